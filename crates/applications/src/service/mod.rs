//! Application use cases: submit (idempotent), follow, act on (the state
//! machine), attachments, drafts, queues, deadlines. The API, the pages and
//! the command line call these same functions.

mod act;
mod advance;
mod attachments;
mod deadlines;
mod decision;
mod drafts;
mod intake;
mod kept;
mod signing;
mod submit;
mod views;

pub use act::{ActInput, act};
pub use advance::{FeeWatcher, SubmissionWatcher, advance, advance_all, unfinished};
pub use attachments::{
    AttachmentView, MAX_FILE_BYTES, attachment_meta, download, my_uploads, upload,
};
pub use deadlines::check_deadlines;
pub use decision::{Decision, decision_of};
pub use drafts::{DraftView, OpenForm, delete_draft, drafts, open_form, save_draft};
pub use intake::Intake;
pub use signing::{sign, signatures, signing_payload};
pub use submit::{SubmitInput, Submitted, submit};
pub use views::{ApplicationSummary, ApplicationView, FileView, HistoryEntry};

use super::authz;
use super::model::{Actor, State, state};
use super::store::{self, ListFilter, application};
use sep_contracts::catalog::catalogue;
use sep_identity::model::Role;
use sep_identity::service::Principal;
use sep_platform::Platform;
use sep_platform::{error::AppError, error::Result};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

pub(crate) fn answers_context(id: Uuid) -> String {
    format!("applications.answers/{id}")
}

/// The departments `who` works in, if an officer.
pub(crate) async fn departments_of(p: &Platform, who: &Principal) -> Result<Vec<String>> {
    if who.has(Role::Officer) {
        catalogue(p).departments_of_officer(p, who.user_id).await
    } else {
        Ok(Vec::new())
    }
}

/// The application, if `who` may read it. A citizen is told "not found",
/// because whether someone else's application exists is itself private; an
/// officer, who knows applications exist, is told it is not theirs (403).
pub(crate) async fn readable(
    p: &Platform,
    who: &Principal,
    id: Uuid,
) -> Result<(application::Model, Vec<String>)> {
    let app = store::by_id(&*p.db, id).await?;
    may_read(p, who, app).await
}

async fn may_read(
    p: &Platform,
    who: &Principal,
    app: Option<application::Model>,
) -> Result<(application::Model, Vec<String>)> {
    let app = app.ok_or(AppError::NotFound)?;
    let departments = departments_of(p, who).await?;
    if !authz::can_read(who, &app, &departments) {
        return Err(if who.has(Role::Officer) {
            AppError::Forbidden
        } else {
            AppError::NotFound
        });
    }
    Ok((app, departments))
}

pub async fn get(p: &Platform, who: &Principal, id: Uuid) -> Result<ApplicationView> {
    let (app, departments) = readable(p, who, id).await?;
    view(p, who, app, &departments).await
}

pub async fn get_by_number(p: &Platform, who: &Principal, number: &str) -> Result<ApplicationView> {
    let (app, departments) = may_read(p, who, store::by_number(&*p.db, number).await?).await?;
    view(p, who, app, &departments).await
}

pub(super) async fn view(
    p: &Platform,
    who: &Principal,
    app: application::Model,
    departments: &[String],
) -> Result<ApplicationView> {
    let answers: Value = {
        let plain = p
            .secrets
            .open(&answers_context(app.id), &app.answers)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("answers of {}: {e}", app.id)))?;
        serde_json::from_str(&plain).map_err(|e| AppError::Internal(e.into()))?
    };
    let parts = match kept::parts(app.id, app.version) {
        Some(parts) => parts,
        None => read_parts(p, &app).await?,
    };
    let actions = match authz::capacity(who, &app, departments) {
        Some(Actor::Officer) => state::available(views::state_of(&app)?, Actor::Officer),
        Some(Actor::Applicant) => state::available(views::state_of(&app)?, Actor::Applicant),
        _ => Vec::new(),
    };
    let title = views::Titles::default().of(p, &app.service_code).await?;
    // A free service never posts a fee: no round trip to payments to learn so.
    let fee = match parts.paid_fee {
        Some(uin) => Some((uin, true)),
        // The charge is posted from checking on: none yet while accepted.
        None if app.fee_kopecks > 0 && app.state != State::Accepted.as_str() => {
            let fee = sep_contracts::payments::fees(p).fee_of(p, app.id).await?;
            if let Some((uin, true)) = &fee {
                kept::keep(
                    app.id,
                    kept::Parts {
                        paid_fee: Some(uin.clone()),
                        ..parts.clone()
                    },
                );
            }
            fee
        }
        None => None,
    };
    Ok(ApplicationView {
        applicant_id: app.applicant_id,
        summary: views::summary(&app, title)?,
        form_version: app.form_version,
        fee_kopecks: app.fee_kopecks,
        fee_paid: fee.as_ref().is_some_and(|f| f.1),
        fee_uin: fee.map(|f| f.0),
        answers,
        files: parts.files,
        decided_at: app.decided_at,
        decision_reason: app.decision_reason,
        history: parts.history,
        actions,
    })
}

/// The files an application names, with their attachments' metadata, by
/// field in byte order whatever the engine's collation.
pub(super) fn file_views(
    named: impl IntoIterator<Item = (String, Uuid)>,
    metas: &[store::attachment::Model],
) -> Vec<FileView> {
    let mut out: Vec<FileView> = named
        .into_iter()
        .filter_map(|(field, id)| {
            let m = metas.iter().find(|m| m.id == id)?;
            Some(FileView {
                field,
                id: m.id,
                file_name: m.file_name.clone(),
                media_type: m.media_type.clone(),
                size: m.size,
            })
        })
        .collect();
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

/// The files and history of `app` as its version has them, kept for the
/// next read.
async fn read_parts(p: &Platform, app: &application::Model) -> Result<kept::Parts> {
    let files = store::files_of(&*p.db, app.id).await?;
    let metas = store::attachments(&*p.db, files.iter().map(|f| f.attachment_id).collect()).await?;
    let files = file_views(
        files.into_iter().map(|f| (f.field, f.attachment_id)),
        &metas,
    );
    let parts = kept::Parts {
        version: app.version,
        files,
        history: views::history(store::events(&*p.db, app.id).await?)?,
        paid_fee: None,
    };
    kept::keep(app.id, parts.clone());
    Ok(parts)
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub service: Option<String>,
    /// Comma-separated states.
    pub state: Option<String>,
    pub overdue: Option<bool>,
    /// Only those assigned to the reader.
    pub mine: Option<bool>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    /// «Мои заявки» only: the id of the last application of the page before.
    pub after: Option<String>,
}

pub const MAX_PAGE: u64 = 200;

/// The filters every list shares; the cursor is «Мои заявки»'s alone
/// (queues order by urgency and deadline, which a cursor would not follow),
/// and a client that sends one elsewhere is told so rather than looping.
fn filter_of(q: &ListQuery) -> Result<ListFilter> {
    if q.after.is_some() {
        return Err(AppError::field("after", "cursor-own-list-only"));
    }
    let states = match &q.state {
        None => None,
        Some(s) if s.trim().is_empty() => None,
        Some(s) => Some(
            s.split(',')
                .map(|x| {
                    State::parse(x.trim())
                        .map(|st| st.as_str().to_string())
                        .ok_or(AppError::field("state", "state-unknown"))
                })
                .collect::<Result<Vec<_>>>()?,
        ),
    };
    Ok(ListFilter {
        service: q.service.clone().filter(|s| !s.is_empty()),
        states,
        overdue: q.overdue,
        limit: q.limit.unwrap_or(50).clamp(1, MAX_PAGE),
        offset: q.offset.unwrap_or(0),
        ..Default::default()
    })
}

async fn summaries(p: &Platform, rows: Vec<application::Model>) -> Result<Vec<ApplicationSummary>> {
    let mut titles = views::Titles::default();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let title = titles.of(p, &r.service_code).await?;
        out.push(views::summary(&r, title)?);
    }
    Ok(out)
}

/// «Мои заявки»: the reader's own applications, newest first.
pub async fn mine(p: &Platform, who: &Principal, q: &ListQuery) -> Result<Vec<ApplicationSummary>> {
    let after = match q.after.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => {
            // Someone else's application is as unknown as no application.
            let unknown = || AppError::field("after", "cursor-unknown");
            let id = Uuid::parse_str(a).map_err(|_| unknown())?;
            let last = store::by_id(&*p.db, id)
                .await?
                .filter(|r| r.applicant_id == who.user_id)
                .ok_or_else(unknown)?;
            Some((last.submitted_at, last.id))
        }
    };
    let f = ListFilter {
        applicant: Some(who.user_id),
        after,
        ..filter_of(&ListQuery {
            after: None,
            ..q.clone()
        })?
    };
    summaries(p, store::list(&*p.db, &f).await?).await
}

/// An officer's queue: their departments' applications, urgent first, then
/// by deadline.
pub async fn queue(
    p: &Platform,
    who: &Principal,
    q: &ListQuery,
) -> Result<Vec<ApplicationSummary>> {
    if !who.has(Role::Officer) {
        return Err(AppError::Forbidden);
    }
    let departments = departments_of(p, who).await?;
    let mut f = filter_of(q)?;
    f.departments = Some(departments);
    if q.mine == Some(true) {
        f.assignee = Some(who.user_id);
    }
    summaries(p, store::list(&*p.db, &f).await?).await
}

/// Every application (administrators; the command line's export).
pub async fn all(p: &Platform, q: &ListQuery) -> Result<Vec<ApplicationSummary>> {
    summaries(p, store::list(&*p.db, &filter_of(q)?).await?).await
}
