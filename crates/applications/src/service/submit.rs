//! Submission: one application per idempotency key, validated against the
//! service's current form, written with the submissions queued beside it
//! (see `intake`), then checked and routed after the answer.

use super::{ApplicationView, answers_context, get, intake, kept, view, views};
use crate::model::State;
use crate::{store, store::application};
use sep_contracts::catalog::catalogue;
use sep_forms::{Answers, Mode};
use sep_identity::model::AssuranceLevel;
use sep_identity::{service as identity, service::Principal};
use sep_kernel::{FieldError, RegionCode, Rule};
use sep_platform::Platform;
use sep_platform::calendar::RUSSIA;
use sep_platform::client::Client;
use sep_platform::clock::local_date;
use sep_platform::{error::AppError, error::Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(default)]
pub struct SubmitInput {
    pub service: String,
    pub answers: Answers,
    /// The region the application is for; the profile's region when absent.
    pub region_code: Option<String>,
}

/// The first submission (201) or a retry that found it (200).
pub struct Submitted {
    pub created: bool,
    pub application: ApplicationView,
}

fn request_hash(input: &SubmitInput) -> String {
    // serde_json's maps are ordered by key, so equal requests hash equally
    // whatever order their fields came in.
    let canonical = serde_json::to_vec(input).expect("serialisable");
    hex::encode(Sha256::digest(canonical))
}

enum Prior {
    None,
    Expired,
    Same(Uuid),
}

async fn prior(p: &Platform, who: &Principal, key: &str, hash: &str) -> Result<Prior> {
    let Some(k) = store::idempotency_key(&*p.db, who.user_id, key).await? else {
        return Ok(Prior::None);
    };
    if k.expires_at <= p.now() {
        return Ok(Prior::Expired);
    }
    if k.request_hash != hash {
        return Err(AppError::conflict("idempotency-key-reused", Vec::new()));
    }
    Ok(Prior::Same(k.application_id))
}

fn level_args(required: AssuranceLevel) -> Vec<(&'static str, String)> {
    vec![("level", format!("level-{}", required.as_str()))]
}

/// Submits an application for `who`. With the same key and body again, the
/// same application comes back and nothing new is made; with the same key
/// and another body, 409.
pub async fn submit(
    p: &Platform,
    client: &Client,
    who: &Principal,
    key: &str,
    input: SubmitInput,
) -> Result<Submitted> {
    sep_platform::idempotency::check(key)?;
    let hash = request_hash(&input);
    let earlier = prior(p, who, key, &hash).await?;
    if let Prior::Same(id) = earlier {
        return Ok(Submitted {
            created: false,
            application: get(p, who, id).await?,
        });
    }

    let terms = catalogue(p)
        .terms(p, &input.service)
        .await?
        .filter(|t| t.active)
        .ok_or_else(|| AppError::field("service", "service-unknown"))?;
    let (level, profile_region) = identity::level_and_region(p, who).await?;
    if level < terms.level {
        return Err(AppError::not_allowed(
            "level-too-low",
            level_args(terms.level),
        ));
    }
    let form = catalogue(p)
        .form(p, terms.code.as_str(), terms.form_version)
        .await?;
    // What the databases keep (microseconds), so that the answer built here
    // is the one a later read gives.
    let now = sep_platform::clock::stored(p.now());
    let today = local_date(now);
    let mut errors = Vec::new();
    let region = match input
        .region_code
        .as_deref()
        .filter(|r| !r.trim().is_empty())
    {
        Some(r) => RegionCode::parse(r)
            .map_err(|rule| errors.push(FieldError::new("region_code", rule)))
            .ok(),
        None => profile_region
            .as_deref()
            .and_then(|r| RegionCode::parse(r).ok()),
    };
    let answers = form
        .validate(&input.answers, today, Mode::Submit)
        .map_err(|e| errors.extend(e))
        .ok();
    let files = answers.as_ref().map(|a| form.files(a)).unwrap_or_default();
    let owned = store::attachments(&*p.db, files.iter().map(|f| f.1).collect()).await?;
    for (field, id) in &files {
        if !owned
            .iter()
            .any(|a| a.id == *id && a.owner_id == who.user_id)
        {
            errors.push(FieldError::new(field.clone(), Rule("file-unknown")));
        }
    }
    let Some(answers) = answers.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };

    let id = Uuid::now_v7();
    let answers = serde_json::Value::Object(answers);
    let row = application::Model {
        id,
        // Given when it is written: numbers follow the order of commits.
        number: String::new(),
        applicant_id: who.user_id,
        service_code: terms.code.to_string(),
        form_version: terms.form_version,
        kind: terms.kind.as_str().into(),
        region_code: region.map(|r| r.to_string()),
        department_code: None,
        assignee_id: None,
        state: State::Accepted.as_str().into(),
        priority: "normal".into(),
        answers: p.secrets.seal(&answers_context(id), &answers.to_string()),
        fee_kopecks: terms.fee_kopecks,
        submitted_at: now,
        due_on: RUSSIA.add_working_days(today, terms.deadline_days),
        overdue: false,
        escalated_at: None,
        decided_at: None,
        decision_reason: None,
        updated_at: now,
        version: 0,
    };
    let job = intake::Job {
        client: client.clone(),
        key: key.to_string(),
        request_hash: hash.clone(),
        replaces_expired_key: matches!(earlier, Prior::Expired),
        row,
        answers,
        files: files.clone(),
    };
    let (row, submitted) = match intake::write(p, job).await? {
        intake::Written::Created { row, submitted } => (*row, submitted),
        intake::Written::KeyTaken => {
            return match prior(p, who, key, &hash).await? {
                Prior::Same(existing) => Ok(Submitted {
                    created: false,
                    application: get(p, who, existing).await?,
                }),
                _ => Err(AppError::conflict("idempotency-key-reused", Vec::new())),
            };
        }
    };
    // Checking, routing, the fee and the notices follow from the event.
    p.follow_up();
    // The answer from what was just written: nothing to read back.
    kept::keep(
        id,
        kept::Parts {
            version: row.version,
            files: super::file_views(files, &owned),
            history: views::history(vec![submitted])?,
            paid_fee: None,
        },
    );
    let departments = super::departments_of(p, who).await?;
    Ok(Submitted {
        created: true,
        application: view(p, who, row, &departments).await?,
    })
}
