//! What an application looks like to whoever may read it.

use crate::{model::Action, model::Actor, model::State};
use crate::{store::application, store::event};
use chrono::{DateTime, NaiveDate, Utc};
use sep_contracts::catalog::catalogue;
use sep_kernel::i18n::Text;
use sep_platform::Platform;
use sep_platform::error::Result;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize)]
pub struct ApplicationSummary {
    pub id: Uuid,
    pub number: String,
    pub service: String,
    pub service_title: Text,
    pub kind: String,
    pub state: State,
    pub priority: String,
    pub department: Option<String>,
    pub assignee_id: Option<Uuid>,
    pub submitted_at: DateTime<Utc>,
    /// The day by which the agency owes a decision (working days from submission).
    pub due_on: NaiveDate,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileView {
    pub field: String,
    pub id: Uuid,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
}

/// One line of the public journal: who (in what capacity), when, what, and why.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub action: Action,
    pub from: State,
    pub to: State,
    pub comment: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ApplicationView {
    #[serde(flatten)]
    pub summary: ApplicationSummary,
    pub applicant_id: Uuid,
    pub form_version: i32,
    pub fee_kopecks: i64,
    /// The state fee's charge, once posted: pay it by this УИН.
    pub fee_uin: Option<String>,
    pub fee_paid: bool,
    pub answers: Value,
    pub files: Vec<FileView>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    pub history: Vec<HistoryEntry>,
    /// What the reader may do now.
    pub actions: Vec<Action>,
}

/// Service titles, fetched once per code per request.
#[derive(Default)]
pub(super) struct Titles(HashMap<String, Text>);

impl Titles {
    pub(super) async fn of(&mut self, p: &Platform, code: &str) -> Result<Text> {
        if let Some(t) = self.0.get(code) {
            return Ok(t.clone());
        }
        let title = catalogue(p)
            .title(p, code)
            .await?
            .unwrap_or_else(|| Text::new(code, code));
        self.0.insert(code.to_string(), title.clone());
        Ok(title)
    }
}

pub(super) fn state_of(row: &application::Model) -> Result<State, sea_orm::DbErr> {
    sep_platform::db::stored("applications.state", &row.state, State::parse)
}

pub(super) fn summary(
    row: &application::Model,
    service_title: Text,
) -> Result<ApplicationSummary, sea_orm::DbErr> {
    Ok(ApplicationSummary {
        id: row.id,
        number: row.number.clone(),
        service: row.service_code.clone(),
        service_title,
        kind: row.kind.clone(),
        state: state_of(row)?,
        priority: row.priority.clone(),
        department: row.department_code.clone(),
        assignee_id: row.assignee_id,
        submitted_at: row.submitted_at,
        due_on: row.due_on,
        overdue: row.overdue,
    })
}

pub(super) fn history(rows: Vec<event::Model>) -> Result<Vec<HistoryEntry>, sea_orm::DbErr> {
    use sep_platform::db::stored;
    rows.into_iter()
        .map(|e| {
            Ok(HistoryEntry {
                at: e.at,
                actor: stored("application_events.actor", &e.actor, |a| match a {
                    "applicant" => Some(Actor::Applicant),
                    "officer" => Some(Actor::Officer),
                    "system" => Some(Actor::System),
                    _ => None,
                })?,
                action: stored("application_events.action", &e.action, Action::parse)?,
                from: stored("application_events.from_state", &e.from_state, State::parse)?,
                to: stored("application_events.to_state", &e.to_state, State::parse)?,
                comment: e.comment,
            })
        })
        .collect()
}
