//! `/api/v1/catalog`, `/api/v1/services`, `/api/v1/agencies` (public reading)
//! and `/api/v1/admin/…` for the catalogue's administrators.

use super::model::form::{Answers, FormDefinition, Mode};
use super::model::{RouteInput, ServiceInput};
use super::service::{self, AgencyInput, DepartmentInput};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use sep_identity::auth::Auth;
use sep_kernel::i18n::Lang;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::clock::local_date;
use sep_platform::{error::AppError, error::Result};
use sep_platform::{negotiate::Api, negotiate::Payload, negotiate::field_errors_json};
use sep_platform::{openapi, openapi::Access::*, openapi::Entry};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

pub fn api() -> Vec<Entry> {
    let t = "catalog";
    vec![
        Entry::get(
            t,
            "/api/v1/catalog/categories",
            "Categories with how many services each holds",
            Public,
            categories,
        ),
        Entry::get(
            t,
            "/api/v1/services",
            "Search the catalogue in Russian (`q`, `category`), best first",
            Public,
            search,
        ),
        Entry::get(
            t,
            "/api/v1/services/{code}",
            "A service: agency, fee, deadline, level, form, routing",
            Public,
            service_detail,
        ),
        Entry::post(
            t,
            "/api/v1/services/{code}/form/check",
            "Check answers typed so far against the form",
            Public,
            check_answers,
        ),
        Entry::get(
            t,
            "/api/v1/agencies",
            "Agencies and their departments by region",
            Public,
            agencies,
        ),
        Entry::post(
            t,
            "/api/v1/admin/agencies",
            "Add an agency (administrators)",
            Session,
            create_agency,
        ),
        Entry::post(
            t,
            "/api/v1/admin/departments",
            "Add a department in a region (administrators)",
            Session,
            create_department,
        ),
        Entry::put(
            t,
            "/api/v1/admin/departments/{code}/officers/{user_id}",
            "Put an officer into a department (administrators)",
            Session,
            add_officer,
        )
        .without_body(),
        Entry::delete(
            t,
            "/api/v1/admin/departments/{code}/officers/{user_id}",
            "Take an officer out of a department (administrators)",
            Session,
            remove_officer,
        ),
        Entry::put(
            t,
            "/api/v1/admin/agencies/{code}/staff/{user_id}",
            "Make an officer or integrator act for an agency (administrators)",
            Session,
            add_staff,
        )
        .without_body(),
        Entry::delete(
            t,
            "/api/v1/admin/agencies/{code}/staff/{user_id}",
            "Stop an officer or integrator acting for an agency (administrators)",
            Session,
            remove_staff,
        ),
        Entry::post(
            t,
            "/api/v1/admin/services",
            "Add a service with its form and routing (administrators)",
            Session,
            create_service,
        ),
        Entry::get(
            t,
            "/api/v1/admin/services/{code}",
            "A service, withdrawn or not (administrators)",
            Session,
            admin_service,
        ),
        Entry::post(
            t,
            "/api/v1/admin/services/{code}/forms",
            "Publish a new version of a service's form (administrators)",
            Session,
            publish_form,
        ),
        Entry::put(
            t,
            "/api/v1/admin/services/{code}/routes",
            "Replace a service's routing rules (administrators)",
            Session,
            set_routes,
        ),
        Entry::put(
            t,
            "/api/v1/admin/services/{code}/active",
            "Withdraw or restore a service (administrators)",
            Session,
            set_active,
        ),
    ]
}

pub fn routes() -> Router<Platform> {
    openapi::router(api())
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
    Ok(Api(
        StatusCode::CREATED,
        service::create_agency(&p, &client, Some(&who), input).await?,
    ))
}

async fn create_department(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<DepartmentInput>,
) -> Result<Api<service::DepartmentView>> {
    Ok(Api(
        StatusCode::CREATED,
        service::create_department(&p, &client, Some(&who), input).await?,
    ))
}

async fn add_officer(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path((code, user_id)): Path<(String, Uuid)>,
) -> Result<StatusCode> {
    service::add_officer(&p, &client, Some(&who), &code, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove_officer(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path((code, user_id)): Path<(String, Uuid)>,
) -> Result<StatusCode> {
    service::remove_officer(&p, &client, Some(&who), &code, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn add_staff(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path((code, user_id)): Path<(String, Uuid)>,
) -> Result<StatusCode> {
    service::set_staff_agency(&p, &client, Some(&who), user_id, Some(&code)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove_staff(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path((code, user_id)): Path<(String, Uuid)>,
) -> Result<StatusCode> {
    service::remove_staff(&p, &client, Some(&who), &code, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn create_service(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<ServiceInput>,
) -> Result<Api<service::ServiceDetail>> {
    Ok(Api(
        StatusCode::CREATED,
        service::create_service(&p, &client, Some(&who), input).await?,
    ))
}

async fn admin_service(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(code): Path<String>,
) -> Result<Api<service::ServiceDetail>> {
    Ok(Api::ok(
        service::service_as_administrator(&p, &who, &code).await?,
    ))
}

async fn publish_form(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(code): Path<String>,
    Payload(definition): Payload<FormDefinition>,
) -> Result<Api<Value>> {
    let version = service::publish_form(&p, &client, Some(&who), &code, definition).await?;
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
    Ok(Api::ok(
        service::set_routes(&p, &client, Some(&who), &code, input.routes).await?,
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
    service::set_active(&p, &client, Some(&who), &code, input.active).await?;
    Ok(StatusCode::NO_CONTENT)
}
