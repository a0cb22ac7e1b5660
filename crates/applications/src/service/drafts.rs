//! Drafts and opening a form: a form starts from the person's saved draft,
//! else from their profile (prefill); a draft keeps whatever was typed, right
//! or wrong, and says what is wrong so far.

use crate::{store, store::draft};
use chrono::{DateTime, Utc};
use sep_contracts::catalog::catalogue;
use sep_forms::{Answers, Form, Mode, PrefillSource, address_value};
use sep_identity::{service as identity, service::Principal, service::ProfileView};
use sep_kernel::FieldError;
use sep_platform::Platform;
use sep_platform::clock::local_date;
use sep_platform::{error::AppError, error::Result};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Serialize)]
pub struct DraftView {
    pub service: String,
    pub form_version: i32,
    pub answers: Value,
    pub updated_at: DateTime<Utc>,
}

fn context(owner: uuid::Uuid, service: &str) -> String {
    format!("drafts.answers/{owner}/{service}")
}

fn open(p: &Platform, row: draft::Model) -> Result<DraftView> {
    let plain = p
        .secrets
        .open(&context(row.owner_id, &row.service_code), &row.answers)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("draft: {e}")))?;
    Ok(DraftView {
        answers: serde_json::from_str(&plain).map_err(|e| AppError::Internal(e.into()))?,
        service: row.service_code,
        form_version: row.form_version,
        updated_at: row.updated_at,
    })
}

/// Saves what has been typed so far; returns what is already wrong in it.
pub async fn save_draft(
    p: &Platform,
    who: &Principal,
    service: &str,
    answers: Answers,
) -> Result<(DraftView, Vec<FieldError>)> {
    let detail = catalogue(p).summary(p, service).await?;
    let form = catalogue(p).form(p, service, detail.form_version).await?;
    let errors = form
        .validate(&answers, local_date(p.now()), Mode::Partial)
        .err()
        .unwrap_or_default();
    let now = p.now();
    let row = draft::Model {
        owner_id: who.user_id,
        service_code: service.to_string(),
        form_version: detail.form_version,
        answers: p.secrets.seal(
            &context(who.user_id, service),
            &Value::Object(answers).to_string(),
        ),
        updated_at: now,
    };
    store::save_draft(&*p.db, row.clone()).await?;
    Ok((open(p, row)?, errors))
}

pub async fn drafts(p: &Platform, who: &Principal) -> Result<Vec<DraftView>> {
    store::drafts_of(&*p.db, who.user_id)
        .await?
        .into_iter()
        .map(|d| open(p, d))
        .collect()
}

pub async fn delete_draft(p: &Platform, who: &Principal, service: &str) -> Result<()> {
    if store::delete_draft(&*p.db, who.user_id, service).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// A form ready to fill in: the service, its current form and the answers to
/// start from.
pub struct OpenForm {
    pub service: sep_contracts::catalog::ServiceSummary,
    pub form: std::sync::Arc<Form>,
    pub answers: Answers,
    pub from_draft: bool,
}

pub async fn open_form(p: &Platform, who: &Principal, service: &str) -> Result<OpenForm> {
    let detail = catalogue(p).summary(p, service).await?;
    let form = catalogue(p).form(p, service, detail.form_version).await?;
    if let Some(d) = store::draft(&*p.db, who.user_id, service).await? {
        let d = open(p, d)?;
        if let Value::Object(answers) = d.answers {
            return Ok(OpenForm {
                service: detail,
                form,
                answers,
                from_draft: true,
            });
        }
    }
    let profile = identity::get_profile(p, who, who.user_id).await?;
    let answers = form.prefill(|source| prefill(&profile, source));
    Ok(OpenForm {
        service: detail,
        form,
        answers,
        from_draft: false,
    })
}

fn prefill(profile: &ProfileView, source: PrefillSource) -> Option<Value> {
    let f = &profile.fields;
    let text = |s: &str| (!s.trim().is_empty()).then(|| Value::String(s.to_string()));
    match source {
        PrefillSource::LastName => text(&f.last_name),
        PrefillSource::FirstName => text(&f.first_name),
        PrefillSource::Patronymic => text(&f.patronymic),
        PrefillSource::FullName => profile.full_name.as_deref().and_then(text),
        PrefillSource::BirthDate => text(&f.birth_date),
        PrefillSource::Inn => text(&f.inn),
        PrefillSource::Snils => text(&f.snils),
        PrefillSource::Passport => text(&format!("{} {}", f.passport_series, f.passport_number)),
        PrefillSource::Phone => text(&profile.phone),
        PrefillSource::Email => text(&profile.email),
        PrefillSource::Address => (!f.address.trim().is_empty())
            .then(|| address_value(&f.postcode, &f.region_code, &f.address)),
    }
}
