//! The application page's signatures: what the application carries (simple
//! at submission; enhanced or qualified added later), and the applicant's
//! form to add one — the bytes to sign are downloaded, signed with the
//! person's own tool, and the `.sig` uploaded.

use crate::service;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use sep_identity::service::Principal;
use sep_identity::visit::Member;
use sep_identity::visit::Visit;
use sep_kernel::i18n::Lang;
use sep_platform::clock::show;
use sep_platform::{error::AppError, error::Result};
use sep_web::csrf::CheckedMultipart;
use uuid::Uuid;

pub struct SignatureLine {
    pub level: String,
    pub signer: String,
    pub at: String,
    pub valid: bool,
    pub status: String,
}

/// The signatures shown, and whether the reader holds a certificate in force.
pub async fn section(
    v: &Visit,
    who: &Principal,
    id: Uuid,
    lang: Lang,
) -> Result<(Vec<SignatureLine>, bool)> {
    let lines = service::signatures(&v.p, who, id)
        .await?
        .into_iter()
        .map(|s| {
            let status = match (&s.certificate, s.valid) {
                (_, false) => lang.t("signature-status-invalid"),
                (Some(c), true) if c.annulled_at.is_some() => lang.t_args(
                    "signature-status-annulled-later",
                    &[("at", show(c.annulled_at.unwrap_or_default()).into())],
                ),
                _ => lang.t("signature-status-valid"),
            };
            SignatureLine {
                level: lang.t(&format!("signature-level-{}", s.level)),
                signer: s
                    .certificate
                    .as_ref()
                    .map(|c| format!("{} ({}, № {})", c.subject, c.issuer, c.serial))
                    .unwrap_or_else(|| lang.t("signature-signer-account")),
                at: show(s.signed_at),
                valid: s.valid,
                status,
            }
        })
        .collect();
    let holds = sep_contracts::signatures::signatures(&v.p)
        .certificates_of(&v.p, who)
        .await?
        .iter()
        .any(|c| c.annulled_at.is_none());
    Ok((lines, holds))
}

pub async fn sign(
    Path(id): Path<Uuid>,
    m: Member,
    CheckedMultipart(mut form): CheckedMultipart,
) -> Result<Response> {
    let Member(v, who) = &m;
    let mut signature = Vec::new();
    let mut parts =
        sep_platform::multipart::Parts::new(&mut form, "signature", "signature-too-large");
    let read = parts.rules();
    while let Some(field) = parts.next().await? {
        if field.name() == Some("signature") {
            signature = read.bytes(field).await?;
        }
    }
    let lang = v.lang();
    if signature.is_empty() {
        let message = lang.field_error(&sep_kernel::FieldError::new(
            "signature",
            sep_kernel::Rule("required"),
        ));
        return super::detail_page(&m, id, None, Some(message)).await;
    }
    let message = match service::sign(&v.p, &v.client, who, id, &signature).await {
        Ok(_) => return Ok(Redirect::to(&format!("/applications/{id}?signed=1")).into_response()),
        Err(AppError::Invalid(errors)) => errors
            .first()
            .map(|e| lang.field_error(e))
            .unwrap_or_default(),
        Err(e @ AppError::Refused { .. }) => e.refusal_message(lang).unwrap_or_default(),
        Err(e) => return Err(e),
    };
    super::detail_page(&m, id, None, Some(message)).await
}
