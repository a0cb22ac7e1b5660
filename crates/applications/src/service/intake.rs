//! Writing submissions: each validated submission becomes its idempotency
//! key, its number, its simple signature, the application, its first line of
//! history, its audit record and its event — for all the submissions queued
//! at the write gate together, in one transaction with one statement of
//! each kind (group commit, see `sep_platform::combine`). Should one of them
//! stand in the way (a twin committed meanwhile), each is written alone, so
//! that only that one fails.

use crate::{model::Action, model::Actor, model::ApplicationNumber, model::State};
use crate::{store, store::application, store::idempotency_key};
use chrono::{DateTime, Duration, Utc};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::combine::Combiner;
use sep_platform::db::violates;
use sep_platform::events;
use sep_platform::{error::AppError, error::Result};
use serde_json::{Value, json};
use std::sync::Arc;
use uuid::Uuid;

/// How long a key protects against a second application (DOMAIN.md: 24 h).
pub const KEY_LIFETIME_HOURS: i64 = 24;

/// Submissions written in one transaction at most.
const TOGETHER: usize = 64;

/// The queue of submissions waiting to be written: one per instance,
/// installed at boot among the adapters.
pub struct Intake(Combiner<Job, Result<Written>>);

impl Default for Intake {
    fn default() -> Self {
        Self(Combiner::new(TOGETHER))
    }
}

/// A submission checked and ready to be written; its number is given when
/// it is.
pub(super) struct Job {
    pub client: Client,
    pub key: String,
    pub request_hash: String,
    /// Its key was used before and has expired: it is replaced.
    pub replaces_expired_key: bool,
    /// Everything but the number.
    pub row: application::Model,
    pub answers: Value,
    pub files: Vec<(String, Uuid)>,
}

pub(super) enum Written {
    Created {
        row: Box<application::Model>,
        submitted: store::event::Model,
    },
    /// Its key is taken: by a twin of this request, or by another request.
    KeyTaken,
}

/// Why a batch was not written.
enum Stop {
    KeyTaken,
    Failed(AppError),
}

impl<E: Into<AppError>> From<E> for Stop {
    fn from(e: E) -> Self {
        Stop::Failed(e.into())
    }
}

/// Writes `job`, with whatever else is queued, and answers once it is
/// committed.
pub(super) async fn write(p: &Platform, job: Job) -> Result<Written> {
    let Some(intake) = p.adapters.get::<Arc<Intake>>() else {
        return alone(p, job).await;
    };
    let p = p.clone();
    intake
        .0
        .run(job, move |jobs| {
            let p = p.clone();
            async move { batch(&p, jobs).await }
        })
        .await
        .unwrap_or_else(|| {
            Err(AppError::Internal(anyhow::anyhow!(
                "the batch writing this submission ended without an answer"
            )))
        })
}

async fn batch(p: &Platform, jobs: Vec<Job>) -> Vec<Result<Written>> {
    let mut keys: Vec<_> = jobs.iter().map(|j| (j.row.applicant_id, &j.key)).collect();
    keys.sort();
    keys.dedup();
    // Twins in one batch are written alone: the second finds the first.
    if jobs.len() > 1 && keys.len() == jobs.len() {
        match together(p, &jobs).await {
            Ok(written) => return written.into_iter().map(Ok).collect(),
            Err(Stop::KeyTaken) => {}
            Err(Stop::Failed(e)) => {
                tracing::debug!(error = ?e, "a batch of submissions is written one by one")
            }
        }
    }
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        out.push(alone(p, job).await);
    }
    out
}

async fn alone(p: &Platform, job: Job) -> Result<Written> {
    match together(p, std::slice::from_ref(&job)).await {
        Ok(mut written) => Ok(written.remove(0)),
        Err(Stop::KeyTaken) => Ok(Written::KeyTaken),
        Err(Stop::Failed(e)) => Err(e),
    }
}

async fn together(p: &Platform, jobs: &[Job]) -> std::result::Result<Vec<Written>, Stop> {
    let now = p.now();
    let txn = p.db.begin().await?;
    let expired = jobs
        .iter()
        .filter(|j| j.replaces_expired_key)
        .map(|j| (j.row.applicant_id, j.key.clone()))
        .collect();
    store::delete_idempotency_keys(&*txn, expired).await?;
    // The keys first: a concurrent twin blocks here until this commits,
    // then fails on the primary key and finds this application instead.
    let keys = jobs
        .iter()
        .map(|j| idempotency_key::Model {
            owner_id: j.row.applicant_id,
            key: j.key.clone(),
            request_hash: j.request_hash.clone(),
            application_id: j.row.id,
            expires_at: j.row.submitted_at + Duration::hours(KEY_LIFETIME_HOURS),
        })
        .collect();
    if let Err(e) = store::insert_idempotency_keys(&*txn, keys).await {
        return Err(match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => Stop::KeyTaken,
            _ => Stop::Failed(e.into()),
        });
    }
    let rows = numbered(&txn, jobs).await?;
    let signed: Vec<Vec<u8>> = rows
        .iter()
        .zip(jobs)
        .map(|(row, job)| super::signing::payload(row, &job.answers))
        .collect();
    // Submitting with the account's password and code is a simple signature.
    let acts: Vec<_> = rows
        .iter()
        .zip(&signed)
        .map(|(row, bytes)| {
            (
                row.applicant_id,
                row.submitted_at,
                super::signing::act(row, bytes),
            )
        })
        .collect();
    sep_contracts::signatures::signatures(p)
        .record_simple(&txn, &acts)
        .await?;
    if let Err(e) = store::insert_all(&*txn, rows.clone()).await {
        if violates(&e, &store::NUMBER_KEY) {
            return Err(Stop::Failed(AppError::Internal(anyhow::anyhow!(
                "an application number was issued twice"
            ))));
        }
        return Err(e.into());
    }
    let files = rows
        .iter()
        .zip(jobs)
        .flat_map(|(row, job)| {
            job.files
                .iter()
                .map(|(field, attachment)| (row.id, field.clone(), *attachment))
        })
        .collect();
    store::link_files(&*txn, files).await?;
    let history: Vec<_> = rows.iter().map(first_line).collect();
    store::insert_events(&*txn, history.clone()).await?;
    let drafts = rows
        .iter()
        .map(|row| (row.applicant_id, row.service_code.clone()))
        .collect();
    store::delete_drafts(&*txn, drafts).await?;
    let journal = rows
        .iter()
        .zip(jobs)
        .map(|(row, job)| sep_audit::Entry {
            actor: Some(row.applicant_id),
            action: "application.submit",
            object_type: "application",
            object_id: row.id.to_string(),
            ip: &job.client.ip,
            result: "ok",
            details: json!({ "number": row.number, "service": row.service_code }),
        })
        .collect();
    sep_audit::append_all(&*txn, now, journal).await?;
    let published: Vec<_> = rows.iter().map(submitted).collect();
    events::publish_all(&*txn, now, &published).await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .zip(history)
        .map(|(row, submitted)| Written::Created {
            row: Box::new(row),
            submitted,
        })
        .collect())
}

/// The rows with their numbers, taken for each year at once.
async fn numbered(
    txn: &sep_platform::db::Txn,
    jobs: &[Job],
) -> std::result::Result<Vec<application::Model>, Stop> {
    use chrono::Datelike;
    let mut rows: Vec<application::Model> = jobs.iter().map(|j| j.row.clone()).collect();
    let mut years: Vec<i32> = rows
        .iter()
        .map(|r| year_of(r.submitted_at).year())
        .collect();
    years.sort();
    years.dedup();
    for year in years {
        let of_year: Vec<&mut application::Model> = rows
            .iter_mut()
            .filter(|r| year_of(r.submitted_at).year() == year)
            .collect();
        let mut seq = store::next_numbers(&**txn, year, of_year.len() as i64).await?;
        for row in of_year {
            row.number = ApplicationNumber::new(year, seq).to_string();
            seq += 1;
        }
    }
    Ok(rows)
}

/// The day of submission where the applicant is (the number's year).
fn year_of(at: DateTime<Utc>) -> chrono::NaiveDate {
    sep_platform::clock::local_date(at)
}

fn first_line(row: &application::Model) -> store::event::Model {
    store::event::Model {
        id: Uuid::now_v7(),
        application_id: row.id,
        at: row.submitted_at,
        actor_id: Some(row.applicant_id),
        actor: "applicant".into(),
        action: Action::Submit.as_str().into(),
        from_state: State::Draft.as_str().into(),
        to_state: State::Accepted.as_str().into(),
        comment: None,
    }
}

fn submitted(row: &application::Model) -> crate::events::StateChanged {
    crate::events::StateChanged {
        application_id: row.id,
        applicant_id: row.applicant_id,
        assignee_id: None,
        number: row.number.clone(),
        service: row.service_code.clone(),
        action: Action::Submit,
        actor: Actor::Applicant,
        state: State::Accepted,
        comment: None,
        audience: vec![row.applicant_id],
    }
}
