//! Taking an action on an application: the graph decides whether it is
//! possible; the transition, its line in the history, its audit record and
//! its event commit together.

use super::{ApplicationView, get, readable};
use crate::authz;
use crate::{model::Action, model::Actor, model::State};
use crate::{model::state, model::state::Edge, model::state::Refusal};
use crate::{store, store::Change, store::application};
use sep_contracts::catalog::catalogue;
use sep_identity::service::Principal;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::events;
use sep_platform::{error::AppError, error::Result};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

pub const MAX_COMMENT: usize = 4000;

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ActInput {
    pub action: String,
    pub comment: String,
    /// For `assign`: the officer who takes it over.
    pub assignee: Option<Uuid>,
}

pub(super) fn refusal(r: Refusal, action: Action, from: State) -> AppError {
    AppError::conflict(
        r.rule(),
        vec![
            ("action", format!("action-{}", action.as_str())),
            ("state", format!("state-{}", from.as_str())),
        ],
    )
}

/// `who` takes `input.action` on application `id`.
pub async fn act(
    p: &Platform,
    client: &Client,
    who: &Principal,
    id: Uuid,
    input: ActInput,
) -> Result<ApplicationView> {
    let action = Action::parse(input.action.trim())
        .ok_or_else(|| AppError::field("action", "action-unknown"))?;
    let comment = input.comment.trim().to_string();
    if comment.chars().count() > MAX_COMMENT {
        return Err(AppError::field("comment", "text-too-long"));
    }
    let (app, departments) = readable(p, who, id).await?;
    // Reading is not acting: support and administrators see but do not decide,
    // and an officer of another department may not touch it.
    let capacity = authz::capacity(who, &app, &departments).ok_or(AppError::Forbidden)?;
    let from = super::views::state_of(&app)?;
    let edge =
        state::next(from, action, capacity, &comment).map_err(|r| refusal(r, action, from))?;
    let mut change = Change::default();
    if capacity == Actor::Officer {
        match action {
            Action::Take => change.assignee = Some(Some(who.user_id)),
            Action::Assign => {
                let target = input
                    .assignee
                    .ok_or_else(|| AppError::field("assignee", "required"))?;
                let department = app.department_code.as_deref().unwrap_or_default();
                if !catalogue(p)
                    .officers_of(p, department)
                    .await?
                    .contains(&target)
                {
                    return Err(AppError::field("assignee", "assignee-not-in-department"));
                }
                change.assignee = Some(Some(target));
            }
            // The one who decides is the one it is assigned to: take it first.
            _ if app.assignee_id != Some(who.user_id) => {
                return Err(AppError::conflict(
                    "not-assignee",
                    vec![("action", format!("action-{}", action.as_str()))],
                ));
            }
            _ => {}
        }
    }
    if matches!(action, Action::Approve | Action::Refuse) {
        change.decided_at = Some(p.now());
        change.decision_reason = (!comment.is_empty()).then(|| comment.clone());
    }
    apply(
        p,
        client,
        &app,
        edge,
        Some(who.user_id),
        capacity,
        &comment,
        change,
    )
    .await?;
    p.after_commit().await;
    get(p, who, id).await
}

/// Who hears of a change: the applicant, and the officers of its department
/// (their queues update live). Officers are asked once per department for
/// all the changes made together.
async fn audience(
    p: &Platform,
    officers: &mut HashMap<String, Vec<Uuid>>,
    app: &application::Model,
    department: Option<&str>,
) -> Result<Vec<Uuid>> {
    let mut out = vec![app.applicant_id];
    if let Some(d) = department {
        if !officers.contains_key(d) {
            let found = catalogue(p).officers_of(p, d).await?;
            officers.insert(d.to_string(), found);
        }
        out.extend(officers[d].iter().copied());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

// Positional like the audit record it writes: the transition's parts.
#[allow(clippy::too_many_arguments)]
pub(super) async fn apply(
    p: &Platform,
    client: &Client,
    app: &application::Model,
    edge: &Edge,
    actor_id: Option<Uuid>,
    capacity: Actor,
    comment: &str,
    change: Change,
) -> Result<()> {
    let step = Step {
        edge,
        actor_id,
        capacity,
        comment: comment.to_string(),
        change,
    };
    apply_runs(p, client, vec![(app, vec![step])]).await
}

/// One transition of a run that [`apply_runs`] makes together.
pub(super) struct Step<'a> {
    pub(super) edge: &'a Edge,
    pub(super) actor_id: Option<Uuid>,
    pub(super) capacity: Actor,
    pub(super) comment: String,
    pub(super) change: Change,
}

impl<'a> Step<'a> {
    /// A step the platform takes by itself.
    pub(super) fn system(edge: &'a Edge, comment: String, change: Change) -> Self {
        Self {
            edge,
            actor_id: None,
            capacity: Actor::System,
            comment,
            change,
        }
    }
}

/// Makes each application's `steps` one after another, all in one
/// transaction, each step with its journal line, audit record and event:
/// all or none. The system's own first steps (checking, then routing or the
/// fee) go together — one turn at SQLite's write gate instead of two — and so
/// do those of the submissions one dispatch took out of the outbox.
pub(super) async fn apply_runs(
    p: &Platform,
    client: &Client,
    runs: Vec<(&application::Model, Vec<Step<'_>>)>,
) -> Result<()> {
    let now = p.now();
    let mut officers = HashMap::new();
    let mut moves = Vec::with_capacity(runs.len());
    let mut history = Vec::new();
    let mut journal = Vec::new();
    let mut published = Vec::new();
    for (app, steps) in runs {
        let Some(last) = steps.last().map(|step| step.edge.to) else {
            continue;
        };
        let mut department = app.department_code.clone();
        let mut assignee = app.assignee_id;
        let mut change = store::Change::default();
        let n = steps.len() as i32;
        for step in steps {
            let Step {
                edge,
                actor_id,
                capacity,
                comment,
                change: step_change,
            } = step;
            department = step_change.department.clone().or(department);
            assignee = step_change.assignee.unwrap_or(assignee);
            let audience = audience(p, &mut officers, app, department.as_deref()).await?;
            change = change.then(step_change);
            let comment = (!comment.is_empty()).then_some(comment);
            history.push(store::event::Model {
                id: Uuid::now_v7(),
                application_id: app.id,
                at: now,
                actor_id,
                actor: match capacity {
                    Actor::Applicant => "applicant",
                    Actor::Officer => "officer",
                    Actor::System => "system",
                }
                .into(),
                action: edge.action.as_str().into(),
                from_state: edge.from.as_str().into(),
                to_state: edge.to.as_str().into(),
                comment: comment.clone(),
            });
            journal.push((
                actor_id,
                format!("application.{}", edge.action.as_str()),
                ("application", app.id.to_string()),
                json!({ "from": edge.from, "to": edge.to }),
            ));
            published.push(crate::events::StateChanged {
                application_id: app.id,
                applicant_id: app.applicant_id,
                assignee_id: assignee,
                number: app.number.clone(),
                service: app.service_code.clone(),
                action: edge.action,
                actor: capacity,
                state: edge.to,
                comment,
                audience,
            });
        }
        moves.push((app.id, app.version, n, last, change));
    }
    if moves.is_empty() {
        return Ok(());
    }
    // Submissions taken together mostly make the same move: one write each.
    let mut together: Vec<(i32, i32, State, store::Change, Vec<Uuid>)> = Vec::new();
    for (id, version, n, last, change) in moves {
        match together
            .iter_mut()
            .find(|t| (t.0, t.1, t.2) == (version, n, last) && t.3 == change)
        {
            Some(t) => t.4.push(id),
            None => together.push((version, n, last, change, vec![id])),
        }
    }
    let txn = p.db.begin().await?;
    for (version, n, last, change, ids) in together {
        let moved =
            store::transition_all(&*txn, ids, version, n, last.as_str(), change, now).await?;
        if !moved {
            // Someone acted between our read and this write; their action stands.
            return Err(AppError::conflict("changed-meanwhile", Vec::new()));
        }
    }
    store::insert_events(&*txn, history).await?;
    sep_audit::log_all(&*txn, now, client, journal).await?;
    events::publish_all(&*txn, now, &published).await?;
    txn.commit().await?;
    Ok(())
}
