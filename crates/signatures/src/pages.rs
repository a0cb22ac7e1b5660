//! «Электронные подписи»: a person's certificates (add from .p12/.pfx, or by
//! a signed challenge for a key on a token; annul), and the administrators'
//! page of the trust list.

use super::anchors::{self, AnchorInput};
use super::users::{self, AnnulInput, ChallengeAnswer};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sep_identity::visit::Member;
use sep_identity::visit::Visit;
use sep_kernel::i18n::Lang;
use sep_platform::Platform;
use sep_platform::clock::show;
use sep_platform::throttle::Cost;
use sep_platform::throttle::http::limited;
use sep_platform::{error::AppError, error::Result};
use sep_web::csrf::{CheckedForm, CheckedMultipart};
use sep_web::{Chrome, render};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Router<Platform> {
    Router::new()
        .route("/signatures/{id}/annul", post(annul))
        .route("/admin/trust-list", get(trust_list).post(add_anchor))
        .route(
            "/admin/trust-list/{fingerprint}/remove",
            post(remove_anchor),
        )
}

/// The forms that carry files: a .p12, or a certificate with its signature.
pub fn upload_routes() -> Router<Platform> {
    Router::new()
        .route(
            "/signatures",
            get(mine).merge(limited(Cost::Heavy, post(add_p12))),
        )
        .route("/signatures/signed", limited(Cost::Heavy, post(add_signed)))
        .layer(DefaultBodyLimit::max(users::MAX_P12_BYTES + 64 * 1024))
}

pub struct CertLine {
    pub id: String,
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub valid: String,
    pub level: String,
    pub annulled: Option<String>,
}

#[derive(Template)]
#[template(path = "signatures/list.html")]
struct ListPage {
    chrome: Chrome,
    notice: Option<String>,
    certs: Vec<CertLine>,
    challenge: String,
    /// (field, message) of the last refused form.
    p12_errors: Vec<(String, String)>,
    token_errors: Vec<(String, String)>,
    error: Option<String>,
}

impl ListPage {
    fn p12_error(&self, field: &str) -> Option<&str> {
        self.p12_errors
            .iter()
            .find(|e| e.0 == field)
            .map(|e| e.1.as_str())
    }

    fn token_error(&self, field: &str) -> Option<&str> {
        self.token_errors
            .iter()
            .find(|e| e.0 == field)
            .map(|e| e.1.as_str())
    }
}

#[derive(Default)]
struct Shown {
    notice: Option<String>,
    p12_errors: Vec<(String, String)>,
    token_errors: Vec<(String, String)>,
    error: Option<String>,
}

fn errors_of(lang: Lang, e: &AppError) -> Vec<(String, String)> {
    e.field_errors()
        .iter()
        .map(|fe| (fe.field.to_string(), lang.field_rule(fe)))
        .collect()
}

async fn page(v: &Visit, shown: Shown, status: axum::http::StatusCode) -> Result<Response> {
    let who = v.user.0.as_ref().ok_or(AppError::NotFound)?;
    let lang = v.lang();
    let certs = users::mine(&v.p, who)
        .await?
        .into_iter()
        .map(|c| CertLine {
            id: c.id.to_string(),
            subject: c.subject,
            issuer: c.issuer,
            serial: c.serial,
            valid: format!(
                "{} — {}",
                c.not_before.format("%d.%m.%Y"),
                c.not_after.format("%d.%m.%Y")
            ),
            level: lang.t(&format!("signature-level-{}", c.level)),
            annulled: c.annulled_at.map(|at| {
                lang.t_args(
                    "label-annulled-at",
                    &[
                        ("at", show(at).into()),
                        ("reason", c.annul_reason.unwrap_or_default().into()),
                    ],
                )
            }),
        })
        .collect();
    Ok((
        status,
        render(&ListPage {
            chrome: v.chrome(),
            notice: shown.notice,
            certs,
            challenge: users::challenge(&v.p, who).challenge,
            p12_errors: shown.p12_errors,
            token_errors: shown.token_errors,
            error: shown.error,
        }),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListParams {
    added: Option<String>,
    annulled: Option<String>,
}

pub async fn mine(Member(v, _): Member, Query(q): Query<ListParams>) -> Result<Response> {
    let lang = v.lang();
    let notice = match (q.added, q.annulled) {
        (Some(_), _) => Some(lang.t("notice-certificate-added")),
        (_, Some(_)) => Some(lang.t("notice-certificate-annulled")),
        _ => None,
    };
    page(
        &v,
        Shown {
            notice,
            ..Shown::default()
        },
        axum::http::StatusCode::OK,
    )
    .await
}

/// A refusal shown on the page: field errors by their form, a refusal above.
async fn refused(v: &Visit, e: AppError, p12: bool) -> Result<Response> {
    let lang = v.lang();
    let status = e.status();
    let shown = match &e {
        AppError::Invalid(_) | AppError::Conflict(_) if p12 => Shown {
            p12_errors: errors_of(lang, &e),
            ..Shown::default()
        },
        AppError::Invalid(_) | AppError::Conflict(_) => Shown {
            token_errors: errors_of(lang, &e),
            ..Shown::default()
        },
        AppError::Refused { .. } => Shown {
            error: e.refusal_message(lang),
            ..Shown::default()
        },
        _ => return Err(e),
    };
    page(v, shown, status).await
}

pub async fn add_p12(
    Member(v, who): Member,
    CheckedMultipart(mut form): CheckedMultipart,
) -> Result<Response> {
    let form = match super::http::read_p12_form(&mut form).await {
        Ok(f) => f,
        Err(e) => return refused(&v, e, true).await,
    };
    match users::add_p12(&v.p, &v.client, &who, form.file, form.password).await {
        Ok(_) => Ok(Redirect::to("/signatures?added=1").into_response()),
        Err(e) => refused(&v, e, true).await,
    }
}

/// A certificate file and a signature file of the challenge the page showed.
pub async fn add_signed(
    Member(v, who): Member,
    CheckedMultipart(mut form): CheckedMultipart,
) -> Result<Response> {
    use base64::Engine;
    let mut answer = ChallengeAnswer::default();
    let mut parts = sep_platform::multipart::Parts::new(&mut form, "certificate", "p12-too-large");
    let read = parts.rules();
    while let Some(field) = parts.next().await? {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = read.bytes(field).await?;
        match name.as_str() {
            "challenge" => answer.challenge = String::from_utf8_lossy(&bytes).into_owned(),
            // The certificate as a file: PEM stays text, DER travels as base64.
            "certificate" => {
                answer.certificate = match String::from_utf8(bytes.clone()) {
                    Ok(t) if t.contains("-----BEGIN") => t,
                    _ => base64::engine::general_purpose::STANDARD.encode(&bytes),
                }
            }
            "signature" => {
                answer.signature = base64::engine::general_purpose::STANDARD.encode(&bytes)
            }
            _ => {}
        }
    }
    match users::add_signed(&v.p, &v.client, &who, answer).await {
        Ok(_) => Ok(Redirect::to("/signatures?added=1").into_response()),
        Err(e) => refused(&v, e, false).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnnulForm {
    csrf: String,
    reason: String,
}

pub async fn annul(
    Path(id): Path<Uuid>,
    Member(v, who): Member,
    CheckedForm(form): CheckedForm<AnnulForm>,
) -> Result<Response> {
    match users::annul(
        &v.p,
        &v.client,
        &who,
        id,
        AnnulInput {
            reason: form.reason,
        },
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/signatures?annulled=1").into_response()),
        Err(e) => refused(&v, e, false).await,
    }
}

#[derive(Template)]
#[template(path = "signatures/trust_list.html")]
struct TrustListPage {
    chrome: Chrome,
    anchors: Vec<super::service::AnchorView>,
    name: String,
    certificate: String,
    qualified: bool,
    errors: Vec<(String, String)>,
    error: Option<String>,
}

impl TrustListPage {
    fn error_of(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.0 == field)
            .map(|e| e.1.as_str())
    }
}

fn admin(v: &Visit) -> Result<sep_identity::service::Principal> {
    let who = v.user.0.clone().ok_or(AppError::NotFound)?;
    if !who.has(sep_identity::model::Role::Admin) {
        return Err(AppError::Forbidden);
    }
    Ok(who)
}

async fn trust_page(v: &Visit, input: AnchorInput, e: Option<AppError>) -> Result<Response> {
    let lang = v.lang();
    let status = e
        .as_ref()
        .map_or(axum::http::StatusCode::OK, AppError::status);
    Ok((
        status,
        render(&TrustListPage {
            chrome: v.chrome(),
            anchors: super::service::trust_list(&v.p).await?,
            name: input.name,
            certificate: input.certificate,
            qualified: input.qualified,
            errors: e.as_ref().map(|e| errors_of(lang, e)).unwrap_or_default(),
            error: e.as_ref().and_then(|e| e.refusal_message(lang)),
        }),
    )
        .into_response())
}

pub async fn trust_list(Member(v, _): Member) -> Result<Response> {
    admin(&v)?;
    trust_page(&v, AnchorInput::default(), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnchorForm {
    csrf: String,
    name: String,
    certificate: String,
    qualified: Option<String>,
}

pub async fn add_anchor(v: Visit, CheckedForm(form): CheckedForm<AnchorForm>) -> Result<Response> {
    let who = admin(&v)?;
    let input = AnchorInput {
        name: form.name,
        certificate: form.certificate,
        qualified: form.qualified.is_some(),
    };
    let kept = AnchorInput {
        name: input.name.clone(),
        certificate: input.certificate.clone(),
        qualified: input.qualified,
    };
    match anchors::add_anchor(&v.p, &v.client, Some(&who), input).await {
        Ok(_) => Ok(Redirect::to("/admin/trust-list").into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::Refused { .. })) => {
            trust_page(&v, kept, Some(e)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn remove_anchor(
    v: Visit,
    Path(fingerprint): Path<String>,
    _: CheckedForm<sep_web::csrf::CsrfForm>,
) -> Result<Response> {
    let who = admin(&v)?;
    match anchors::remove_anchor(&v.p, &v.client, Some(&who), &fingerprint).await {
        Ok(()) => Ok(Redirect::to("/admin/trust-list").into_response()),
        Err(e @ AppError::Refused { .. }) => trust_page(&v, AnchorInput::default(), Some(e)).await,
        Err(e) => Err(e),
    }
}
