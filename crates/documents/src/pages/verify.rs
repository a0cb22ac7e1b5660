//! The public check page: what a document's QR code opens (the document as
//! issued, personal data masked) and where anyone uploads a file to learn
//! whether it is authentic, altered or revoked. No login needed.

use crate::http::read_check_form;
use crate::{service, service::CheckView, service::DigestInput, service::Evidence};
use askama::Template;
use axum::extract::{FromRequest, Path, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sep_identity::visit::Visit;
use sep_kernel::i18n::Lang;
use sep_platform::clock;
use sep_platform::{error::AppError, error::Result};
use sep_web::csrf::{CheckedForm, CheckedMultipart};
use sep_web::{Chrome, render};

pub struct Outcome {
    pub verdict: &'static str,
    pub message: String,
}

pub struct Shown {
    pub number: String,
    pub title: String,
    pub agency: String,
    pub holder: String,
    pub issued_at: String,
    pub revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "documents/verify.html")]
struct VerifyPage {
    chrome: Chrome,
    token: Option<String>,
    document: Option<Shown>,
    outcome: Option<Outcome>,
    error: Option<String>,
}

fn outcome(lang: Lang, v: &CheckView) -> Outcome {
    Outcome {
        verdict: v.verdict.as_str(),
        message: lang.t(&format!("verdict-{}", v.verdict.as_str())),
    }
}

fn shown(lang: Lang, v: &CheckView) -> Option<Shown> {
    let d = v.document.as_ref()?;
    Some(Shown {
        number: d.number.clone(),
        title: d.title.clone(),
        agency: d.agency.clone(),
        holder: d.holder.clone(),
        issued_at: d.issued_at.map(clock::show).unwrap_or_default(),
        revoked: d.revoked_at.map(|at| {
            lang.t_args(
                "label-revoked-at",
                &[
                    ("at", clock::show(at).into()),
                    (
                        "reason",
                        d.revoked_reason.clone().unwrap_or_default().into(),
                    ),
                ],
            )
        }),
    })
}

fn page(
    v: &Visit,
    token: Option<String>,
    view: Option<&CheckView>,
    checked: bool,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = v.lang();
    (
        status,
        render(&VerifyPage {
            chrome: v.chrome(),
            token,
            document: view.and_then(|c| shown(lang, c)),
            outcome: view.filter(|_| checked).map(|c| outcome(lang, c)),
            error,
        }),
    )
        .into_response()
}

pub async fn blank(v: Visit) -> Response {
    page(&v, None, None, false, None, StatusCode::OK)
}

/// The document the QR code names: shown as issued (or revoked).
pub async fn show(v: Visit, Path(token): Path<String>) -> Result<Response> {
    let view = service::by_token(&v.p, &v.client, &token).await?;
    Ok(page(
        &v,
        Some(token),
        Some(&view),
        false,
        None,
        StatusCode::OK,
    ))
}

/// The uploaded file (CSRF checked), or what to say about the form.
async fn uploaded(v: &Visit, req: Request) -> Result<std::result::Result<Vec<u8>, String>> {
    let CheckedMultipart(mut form) = CheckedMultipart::from_request(req, &v.p).await?;
    match read_check_form(&mut form).await {
        Ok(form) => Ok(Ok(form.file)),
        Err(AppError::Invalid(errors)) => Ok(Err(errors
            .first()
            .map(|e| v.lang().field_error(e))
            .unwrap_or_default())),
        Err(e) => Err(e),
    }
}

/// A file checked against the document the page is about.
pub async fn check_named(v: Visit, Path(token): Path<String>, req: Request) -> Result<Response> {
    // One check, one journal line: the visit itself is audited only when
    // there is no file to judge.
    if !service::token_known(&v.p, &token).await? {
        return Err(AppError::NotFound);
    }
    match uploaded(&v, req).await? {
        Ok(file) => {
            let checked =
                service::check(&v.p, &v.client, Evidence::File(file), Some(&token), "page").await?;
            Ok(page(
                &v,
                Some(token),
                Some(&checked),
                true,
                None,
                StatusCode::OK,
            ))
        }
        Err(error) => {
            let view = service::by_token(&v.p, &v.client, &token).await?;
            Ok(page(
                &v,
                Some(token),
                Some(&view),
                false,
                Some(error),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

/// A file, or a digest typed in, checked against everything СЭП issued.
pub async fn check_any(v: Visit, req: Request) -> Result<Response> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    let lang = v.lang();
    let refused = |v: &Visit, error: String| {
        page(
            v,
            None,
            None,
            false,
            Some(error),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let evidence = if multipart {
        match uploaded(&v, req).await? {
            Ok(file) => Evidence::File(file),
            Err(error) => return Ok(refused(&v, error)),
        }
    } else {
        let CheckedForm(form) = CheckedForm::<DigestForm>::from_request(req, &v.p).await?;
        let digest = form.digest.trim().to_string();
        // One box takes either digest: the form says which.
        let input = if form.algorithm == "streebog256" {
            DigestInput {
                streebog256: Some(digest),
                ..DigestInput::default()
            }
        } else {
            DigestInput {
                sha256: Some(digest),
                ..DigestInput::default()
            }
        };
        Evidence::Digest(input)
    };
    match service::check(&v.p, &v.client, evidence, None, "page").await {
        Ok(checked) => {
            let token = checked
                .document
                .as_ref()
                .and_then(|d| d.verify_url.rsplit('/').next().map(str::to_string));
            Ok(page(&v, token, Some(&checked), true, None, StatusCode::OK))
        }
        Err(AppError::Invalid(errors)) => Ok(refused(
            &v,
            errors
                .first()
                .map(|e| lang.field_error(e))
                .unwrap_or_default(),
        )),
        Err(e) => Err(e),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DigestForm {
    csrf: String,
    algorithm: String,
    digest: String,
}
