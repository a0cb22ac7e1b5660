//! `/admin/services`: administrators list services, withdraw or restore them,
//! and add a service with its form and routing by pasting its description
//! (the same JSON the API takes), checked by the same rules.

use super::authz::can_administer_catalog;
use super::model::ServiceInput;
use super::service;
use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sep_identity::visit::Visit;
use sep_platform::Platform;
use sep_platform::{error::AppError, error::Result};
use sep_web::csrf::CheckedForm;
use sep_web::{Chrome, render};
use serde::Deserialize;

pub fn routes() -> Router<Platform> {
    Router::new()
        .route("/admin/services", get(page).post(create))
        .route("/admin/services/active", post(toggle))
}

const EXAMPLE: &str = include_str!("admin_example.json");

#[derive(Template)]
#[template(path = "catalog/admin.html")]
struct AdminPage {
    chrome: Chrome,
    services: Vec<(String, String, String, bool)>,
    description: String,
    errors: Vec<String>,
    notice: Option<String>,
}

/// `None` for an administrator; otherwise the response to give instead.
fn not_admin(v: &Visit) -> Option<Response> {
    match v.user.0.as_ref() {
        None => v
            .require_login("/admin/services")
            .err()
            .map(IntoResponse::into_response),
        Some(u) if !can_administer_catalog(u) => Some(AppError::Forbidden.into_response()),
        Some(_) => None,
    }
}

async fn show(
    v: &Visit,
    description: String,
    errors: Vec<String>,
    notice: Option<String>,
) -> Result<Response> {
    let lang = v.lang();
    let services = service::all_services(&v.p)
        .await?
        .into_iter()
        .map(|(s, active)| {
            (
                s.code,
                s.title.get(lang).to_string(),
                s.agency.name.get(lang).to_string(),
                active,
            )
        })
        .collect();
    Ok(render(&AdminPage {
        chrome: v.chrome(),
        services,
        description,
        errors,
        notice,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Done {
    created: Option<String>,
}

async fn page(v: Visit, Query(q): Query<Done>) -> Result<Response> {
    if let Some(r) = not_admin(&v) {
        return Ok(r);
    }
    let notice = q.created.map(|c| {
        v.lang()
            .t_args("notice-service-created", &[("code", c.into())])
    });
    show(&v, EXAMPLE.to_string(), Vec::new(), notice).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CreateForm {
    csrf: String,
    description: String,
}

async fn create(v: Visit, CheckedForm(form): CheckedForm<CreateForm>) -> Result<Response> {
    if let Some(r) = not_admin(&v) {
        return Ok(r);
    }
    let lang = v.lang();
    let refused = |errors: Vec<String>| async {
        let mut r = show(&v, form.description.clone(), errors, None).await?;
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        Ok::<Response, AppError>(r)
    };
    let input: ServiceInput = match serde_json::from_str(&form.description) {
        Ok(i) => i,
        Err(e) => {
            return refused(vec![
                lang.t_args("rule-json-malformed", &[("error", e.to_string().into())]),
            ])
            .await;
        }
    };
    match service::create_service(&v.p, &v.client, v.user.0.as_ref(), input).await {
        Ok(s) => Ok(
            Redirect::to(&format!("/admin/services?created={}", s.summary.code)).into_response(),
        ),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            refused(
                e.field_errors()
                    .iter()
                    .map(|f| lang.field_error(f))
                    .collect(),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ToggleForm {
    csrf: String,
    code: String,
    active: String,
}

async fn toggle(v: Visit, CheckedForm(form): CheckedForm<ToggleForm>) -> Result<Response> {
    if let Some(r) = not_admin(&v) {
        return Ok(r);
    }
    service::set_active(
        &v.p,
        &v.client,
        v.user.0.as_ref(),
        &form.code,
        form.active == "true",
    )
    .await?;
    Ok(Redirect::to("/admin/services").into_response())
}
