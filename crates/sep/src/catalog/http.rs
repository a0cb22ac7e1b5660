//! `/api/v1/catalog`, `/api/v1/services`, `/api/v1/agencies` (public reading)
//! and `/api/v1/admin/…` for the catalogue's administrators.

use super::authz::can_administer_catalog;
use super::model::form::{Answers, FormDefinition, Mode};
use super::model::{RouteInput, ServiceInput};
use super::service::{self, AgencyInput, DepartmentInput};
use crate::identity::auth::Auth;
use crate::identity::service::Principal;
use crate::platform::Platform;
use crate::platform::client::Client;
use crate::platform::clock::local_date;
use crate::platform::error::{AppError, Result};
use crate::platform::i18n::Lang;
use crate::platform::negotiate::{Api, Payload, field_errors_json};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

pub fn routes() -> Router<Platform> {
    Router::new()
        .route("/api/v1/catalog/categories", get(categories))
        .route("/api/v1/services", get(search))
        .route("/api/v1/services/{code}", get(service_detail))
        .route("/api/v1/services/{code}/form/check", post(check_answers))
        .route("/api/v1/agencies", get(agencies))
        .route("/api/v1/admin/agencies", post(create_agency))
        .route("/api/v1/admin/departments", post(create_department))
        .route(
            "/api/v1/admin/departments/{code}/officers/{user_id}",
            put(add_officer).delete(remove_officer),
        )
        .route("/api/v1/admin/services", post(create_service))
        .route("/api/v1/admin/services/{code}", get(admin_service))
        .route("/api/v1/admin/services/{code}/forms", post(publish_form))
        .route("/api/v1/admin/services/{code}/routes", put(set_routes))
        .route("/api/v1/admin/services/{code}/active", put(set_active))
}

fn require_admin(who: &Principal) -> Result<()> {
    if can_administer_catalog(who) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn categories(State(p): State<Platform>) -> Result<Api<Vec<service::CategoryView>>> {
    Ok(Api::ok(service::categories(&p).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchQuery {
    q: String,
    category: Option<String>,
}

async fn search(
    State(p): State<Platform>,
    Query(q): Query<SearchQuery>,
) -> Result<Api<Vec<service::ServiceSummary>>> {
    if q.q.chars().count() > 200 {
        return Err(AppError::field("q", "text-too-long"));
    }
    Ok(Api::ok(
        service::search(&p, &q.q, q.category.as_deref()).await?,
    ))
}

async fn service_detail(
    State(p): State<Platform>,
    Path(code): Path<String>,
) -> Result<Api<service::ServiceDetail>> {
    Ok(Api::ok(service::service(&p, &code, false).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CheckInput {
    answers: Answers,
}

/// Checks what has been filled in so far, as the person types: 200 with the
/// wrong fields listed (a form in progress is not a failed request).
async fn check_answers(
    State(p): State<Platform>,
    lang: Lang,
    Path(code): Path<String>,
    Payload(input): Payload<CheckInput>,
) -> Result<Api<Value>> {
    let detail = service::service(&p, &code, false).await?;
    let form = service::form(&p, &code, detail.summary.form_version).await?;
    let errors = match form.validate(&input.answers, local_date(p.now()), Mode::Partial) {
        Ok(_) => Vec::new(),
        Err(e) => e,
    };
    Ok(Api::ok(json!({
        "valid": errors.is_empty(),
        "errors": field_errors_json(lang, &errors),
    })))
}

async fn agencies(State(p): State<Platform>) -> Result<Api<Vec<service::AgencyView>>> {
    Ok(Api::ok(service::agencies(&p).await?))
}

async fn create_agency(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<AgencyInput>,
) -> Result<Api<service::AgencyView>> {
    require_admin(&who)?;
    Ok(Api(
        StatusCode::CREATED,
        service::create_agency(&p, &client, Some(who.user_id), input).await?,
    ))
}

async fn create_department(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<DepartmentInput>,
) -> Result<Api<service::DepartmentView>> {
    require_admin(&who)?;
    Ok(Api(
        StatusCode::CREATED,
        service::create_department(&p, &client, Some(who.user_id), input).await?,
    ))
}

async fn add_officer(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path((code, user_id)): Path<(String, Uuid)>,
) -> Result<StatusCode> {
    require_admin(&who)?;
    service::add_officer(&p, &client, Some(who.user_id), &code, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove_officer(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path((code, user_id)): Path<(String, Uuid)>,
) -> Result<StatusCode> {
    require_admin(&who)?;
    service::remove_officer(&p, &client, Some(who.user_id), &code, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn create_service(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<ServiceInput>,
) -> Result<Api<service::ServiceDetail>> {
    require_admin(&who)?;
    Ok(Api(
        StatusCode::CREATED,
        service::create_service(&p, &client, Some(who.user_id), input).await?,
    ))
}

async fn admin_service(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(code): Path<String>,
) -> Result<Api<service::ServiceDetail>> {
    require_admin(&who)?;
    Ok(Api::ok(service::service(&p, &code, true).await?))
}

async fn publish_form(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(code): Path<String>,
    Payload(definition): Payload<FormDefinition>,
) -> Result<Api<Value>> {
    require_admin(&who)?;
    let version = service::publish_form(&p, &client, Some(who.user_id), &code, definition).await?;
    Ok(Api(StatusCode::CREATED, json!({ "version": version })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoutesInput {
    routes: Vec<RouteInput>,
}

async fn set_routes(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(code): Path<String>,
    Payload(input): Payload<RoutesInput>,
) -> Result<Api<service::ServiceDetail>> {
    require_admin(&who)?;
    Ok(Api::ok(
        service::set_routes(&p, &client, Some(who.user_id), &code, input.routes).await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ActiveInput {
    active: bool,
}

async fn set_active(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(code): Path<String>,
    Payload(input): Payload<ActiveInput>,
) -> Result<StatusCode> {
    require_admin(&who)?;
    service::set_active(&p, &client, Some(who.user_id), &code, input.active).await?;
    Ok(StatusCode::NO_CONTENT)
}
