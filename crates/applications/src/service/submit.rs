//! Submission: one application per idempotency key, validated against the
//! service's current form, numbered at once, then checked and routed.

use super::{ApplicationView, answers_context, get, kept, view, views};
use crate::{model::Action, model::Actor, model::ApplicationNumber, model::State};
use crate::{store, store::application, store::idempotency_key};
use chrono::{Datelike, Duration};
use sep_contracts::catalog::catalogue;
use sep_forms::{Answers, Mode};
use sep_identity::model::AssuranceLevel;
use sep_identity::{service as identity, service::Principal};
use sep_kernel::{FieldError, RegionCode, Rule};
use sep_platform::Platform;
use sep_platform::calendar::RUSSIA;
use sep_platform::client::Client;
use sep_platform::clock::local_date;
use sep_platform::db::violates;
use sep_platform::events;
use sep_platform::{error::AppError, error::Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// How long a key protects against a second application (DOMAIN.md: 24 h).
pub const KEY_LIFETIME_HOURS: i64 = 24;

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
    // Inside the transaction only `txn` is used: a second connection taken
    // from the pool while holding this one could wait for ever when many
    // twins hold the rest of the pool, each waiting for this one to commit.
    let txn = p.db.begin().await?;
    if matches!(earlier, Prior::Expired) {
        store::delete_idempotency_key(&*txn, who.user_id, key).await?;
    }
    // The key first: a concurrent twin blocks here until this commits, then
    // fails on the primary key and finds this application instead.
    let claimed = store::insert_idempotency_key(
        &*txn,
        idempotency_key::Model {
            owner_id: who.user_id,
            key: key.to_string(),
            request_hash: hash.clone(),
            application_id: id,
            expires_at: now + Duration::hours(KEY_LIFETIME_HOURS),
        },
    )
    .await;
    if let Err(e) = claimed {
        drop(txn);
        if !matches!(
            e.sql_err(),
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
        ) {
            return Err(e.into());
        }
        return match prior(p, who, key, &hash).await? {
            Prior::Same(existing) => Ok(Submitted {
                created: false,
                application: get(p, who, existing).await?,
            }),
            _ => Err(AppError::conflict("idempotency-key-reused", Vec::new())),
        };
    }
    let year = today.year();
    let seq = store::next_number(&*txn, year).await?;
    let number = ApplicationNumber::new(year, seq);
    let answers = serde_json::Value::Object(answers);
    let sealed = p.secrets.seal(&answers_context(id), &answers.to_string());
    let row = application::Model {
        id,
        number: number.to_string(),
        applicant_id: who.user_id,
        service_code: terms.code.to_string(),
        form_version: terms.form_version,
        kind: terms.kind.as_str().into(),
        region_code: region.map(|r| r.to_string()),
        department_code: None,
        assignee_id: None,
        state: State::Accepted.as_str().into(),
        priority: "normal".into(),
        answers: sealed,
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
    // Submitting with the account's password and code is a simple signature.
    let signed_bytes = super::signing::payload(&row, &answers);
    sep_contracts::signatures::signatures(p)
        .record_simple(
            &txn,
            now,
            who.user_id,
            &super::signing::act(&row, &signed_bytes),
        )
        .await?;
    if let Err(e) = store::insert(&*txn, row.clone()).await {
        if violates(&e, &store::NUMBER_KEY) {
            return Err(AppError::Internal(anyhow::anyhow!(
                "number {number} issued twice"
            )));
        }
        return Err(e.into());
    }
    for (field, attachment) in &files {
        store::link_file(&*txn, id, field, *attachment).await?;
    }
    let submitted = store::event::Model {
        id: Uuid::now_v7(),
        application_id: id,
        at: now,
        actor_id: Some(who.user_id),
        actor: "applicant".into(),
        action: Action::Submit.as_str().into(),
        from_state: State::Draft.as_str().into(),
        to_state: State::Accepted.as_str().into(),
        comment: None,
    };
    store::insert_event(&*txn, submitted.clone()).await?;
    store::delete_draft(&*txn, who.user_id, terms.code.as_str()).await?;
    sep_audit::log(
        &*txn,
        now,
        client,
        Some(who.user_id),
        "application.submit",
        ("application", id.to_string()),
        json!({ "number": number.as_str(), "service": terms.code.as_str() }),
    )
    .await?;
    events::publish(
        &*txn,
        now,
        &crate::events::StateChanged {
            application_id: id,
            applicant_id: who.user_id,
            assignee_id: None,
            number: number.as_str().into(),
            service: terms.code.as_str().into(),
            action: Action::Submit,
            actor: Actor::Applicant,
            state: State::Accepted,
            comment: None,
            audience: vec![who.user_id],
        },
    )
    .await?;
    txn.commit().await?;
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
