//! Signing an application: the exact bytes a signature covers (the
//! application's number, service, form version, time of submission and
//! answers, as canonical JSON), the applicant's enhanced or qualified
//! signature over them, and every signature it carries, checked again.

use super::{answers_context, readable};
use crate::store::application;
use sep_contracts::signatures::{Act, SignedActView};
use sep_identity::service::Principal;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use serde_json::{Value, json};
use uuid::Uuid;

/// The bytes signed for `app` with `answers`: the same however often they
/// are asked for (times to the second, the answers as stored).
pub(super) fn payload(app: &application::Model, answers: &Value) -> Vec<u8> {
    let doc = json!({
        "application": app.number,
        "service": app.service_code,
        "form_version": app.form_version,
        "submitted_at": app.submitted_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "answers": answers,
    });
    serde_json::to_vec_pretty(&doc).expect("a JSON value serialises")
}

pub(super) fn act<'a>(app: &application::Model, payload: &'a [u8]) -> Act<'a> {
    Act {
        object_type: "application",
        object_id: app.id.to_string(),
        payload,
    }
}

async fn stored_payload(p: &Platform, app: &application::Model) -> Result<Vec<u8>> {
    let plain = p
        .secrets
        .open(&answers_context(app.id), &app.answers)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("answers of {}: {e}", app.id)))?;
    let answers: Value = serde_json::from_str(&plain).map_err(|e| AppError::Internal(e.into()))?;
    Ok(payload(app, &answers))
}

/// What a signature of application `id` must cover, and a file name for it.
pub async fn signing_payload(p: &Platform, who: &Principal, id: Uuid) -> Result<(String, Vec<u8>)> {
    let (app, _) = readable(p, who, id).await?;
    Ok((
        format!("{}.json", app.number),
        stored_payload(p, &app).await?,
    ))
}

/// The applicant signs their application with one of their certificates.
pub async fn sign(
    p: &Platform,
    client: &Client,
    who: &Principal,
    id: Uuid,
    signature: &[u8],
) -> Result<SignedActView> {
    let (app, _) = readable(p, who, id).await?;
    if app.applicant_id != who.user_id {
        return Err(AppError::Forbidden);
    }
    let bytes = stored_payload(p, &app).await?;
    sep_contracts::signatures::signatures(p)
        .sign(p, client, who, act(&app, &bytes), signature)
        .await
}

/// Every signature application `id` carries, each checked again.
pub async fn signatures(p: &Platform, who: &Principal, id: Uuid) -> Result<Vec<SignedActView>> {
    let (app, _) = readable(p, who, id).await?;
    let bytes = stored_payload(p, &app).await?;
    sep_contracts::signatures::signatures(p)
        .signatures_of(p, act(&app, &bytes))
        .await
}
