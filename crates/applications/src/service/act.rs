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
use sep_kernel::RegionCode;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::events;
use sep_platform::{error::AppError, error::Result};
use serde::Deserialize;
use serde_json::json;
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

fn refusal(r: Refusal, action: Action, from: State) -> AppError {
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
/// (their queues update live).
async fn audience(
    p: &Platform,
    app: &application::Model,
    department: Option<&str>,
) -> Result<Vec<Uuid>> {
    let mut out = vec![app.applicant_id];
    if let Some(d) = department {
        out.extend(catalogue(p).officers_of(p, d).await?);
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
    apply_steps(p, client, app, vec![step]).await
}

/// One transition of a run that [`apply_steps`] makes together.
pub(super) struct Step<'a> {
    edge: &'a Edge,
    actor_id: Option<Uuid>,
    capacity: Actor,
    comment: String,
    change: Change,
}

/// Makes `steps` one after another in one transaction, each with its journal
/// line, audit record and event: all or none. The system's own first steps
/// (checking, then routing or the fee) go together — one turn at SQLite's
/// write gate instead of two.
async fn apply_steps(
    p: &Platform,
    client: &Client,
    app: &application::Model,
    steps: Vec<Step<'_>>,
) -> Result<()> {
    let now = p.now();
    let mut department = app.department_code.clone();
    let mut assignee = app.assignee_id;
    let mut planned = Vec::with_capacity(steps.len());
    // Asked again only when a step moves the application to another department.
    let mut known: Option<(Option<String>, Vec<Uuid>)> = None;
    for step in steps {
        department = step.change.department.clone().or(department);
        assignee = step.change.assignee.unwrap_or(assignee);
        let audience = match &known {
            Some((d, a)) if *d == department => a.clone(),
            _ => audience(p, app, department.as_deref()).await?,
        };
        known = Some((department.clone(), audience.clone()));
        planned.push((step, audience, assignee));
    }
    // All steps in one write each: the row, the history, the journal and
    // the events, whatever the number of steps.
    let n = planned.len() as i32;
    let Some(last) = planned.last().map(|(step, ..)| step.edge.to) else {
        return Ok(());
    };
    let mut change = store::Change::default();
    let mut history = Vec::with_capacity(planned.len());
    let mut journal = Vec::with_capacity(planned.len());
    let mut published = Vec::with_capacity(planned.len());
    for (step, audience, assignee) in planned {
        let Step {
            edge,
            actor_id,
            capacity,
            comment,
            change: step_change,
        } = step;
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
    let txn = p.db.begin().await?;
    let moved =
        store::transition_steps(&*txn, app.id, app.version, n, last.as_str(), change, now).await?;
    if !moved {
        // Someone acted between our read and this write; their action stands.
        return Err(AppError::conflict("changed-meanwhile", Vec::new()));
    }
    store::insert_events(&*txn, history).await?;
    sep_audit::log_all(&*txn, now, client, journal).await?;
    events::publish_all(&*txn, now, &published).await?;
    txn.commit().await?;
    Ok(())
}

/// The platform's own stages after submission: validation (the attached files
/// are intact) and routing to the department. Runs right after a submission
/// and again from the sweep for anything a crash left half-way.
pub async fn advance(p: &Platform, id: Uuid) -> Result<()> {
    let client = Client::system();
    loop {
        let Some(app) = store::by_id(&*p.db, id).await? else {
            return Ok(());
        };
        let from = super::views::state_of(&app)?;
        let mut steps = Vec::new();
        let at = match from {
            // Checking needs nothing read: taken with what follows it.
            State::Accepted => {
                let edge = system_edge(from, Action::BeginCheck, "")?;
                steps.push(Step {
                    edge,
                    actor_id: None,
                    capacity: Actor::System,
                    comment: String::new(),
                    change: Change::default(),
                });
                State::Checking
            }
            other => other,
        };
        let (action, change, comment) = match at {
            State::Checking => match broken_file(p, &app).await? {
                Some(field) => (
                    Action::Refuse,
                    Change {
                        decided_at: Some(p.now()),
                        decision_reason: Some(format!("file-damaged:{field}")),
                        ..Change::default()
                    },
                    format!("file-damaged:{field}"),
                ),
                None if app.fee_kopecks > 0 && !fee_paid(p, &app).await? => {
                    ask_for_fee(p, &app).await?;
                    (Action::RequestPayment, Change::default(), String::new())
                }
                None => routing(p, &app).await?,
            },
            State::AwaitingPayment if fee_paid(p, &app).await? => routing(p, &app).await?,
            _ => return Ok(()),
        };
        let edge = system_edge(at, action, &comment)?;
        let waits_for_fee = edge.to == State::AwaitingPayment;
        steps.push(Step {
            edge,
            actor_id: None,
            capacity: Actor::System,
            comment,
            change,
        });
        match apply_steps(p, &client, &app, steps).await {
            // Routed or refused: nothing more is the system's to do. Waiting
            // for the fee: once more from the top if it was paid meanwhile
            // (its payment's nudge may have found the application not yet
            // waiting); else the payment will move it.
            Ok(()) if !waits_for_fee => return Ok(()),
            Ok(()) if !fee_paid(p, &app).await? => return Ok(()),
            Ok(()) => {}
            // Another instance advanced it; look again.
            Err(AppError::Refused { .. }) => {}
            Err(e) => return Err(e),
        }
    }
}

fn system_edge(from: State, action: Action, comment: &str) -> Result<&'static Edge> {
    state::next(from, action, Actor::System, comment).map_err(|r| refusal(r, action, from))
}

/// Sends the application to the department for its service and region.
async fn routing(p: &Platform, app: &application::Model) -> Result<(Action, Change, String)> {
    let region = app
        .region_code
        .as_deref()
        .and_then(|r| RegionCode::parse(r).ok());
    let department = catalogue(p).route(p, &app.service_code, region).await?;
    Ok((
        Action::Route,
        Change {
            department: Some(department.to_string()),
            ..Change::default()
        },
        String::new(),
    ))
}

async fn fee_paid(p: &Platform, app: &application::Model) -> Result<bool> {
    Ok(sep_contracts::payments::fees(p)
        .fee_of(p, app.id)
        .await?
        .is_some_and(|(_, paid)| paid))
}

/// Posts the state fee's charge (payable by its УИН in «Начисления»). It is
/// posted before the state changes, so a crash in between leaves a charge
/// the next attempt finds, never a waiting application with nothing to pay.
async fn ask_for_fee(p: &Platform, app: &application::Model) -> Result<()> {
    let fee = catalogue(p)
        .fee_payee(p, &app.service_code)
        .await?
        .ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!(
                "service {} has a fee but its agency names no payee",
                app.service_code
            ))
        })?;
    sep_contracts::payments::fees(p)
        .state_fee(
            p,
            sep_contracts::payments::FeeRequest {
                application_id: app.id,
                number: &app.number,
                applicant: app.applicant_id,
                amount: sep_kernel::Kopecks(app.fee_kopecks),
                agency: &fee.agency,
                payee: &fee.payee,
                service_title: &fee.service_title,
            },
        )
        .await?;
    Ok(())
}

/// Takes a submitted application through checking and routing once its
/// submission's event is out of the outbox: the submitting request only
/// commits and answers. A crash before this ran leaves the event due (or the
/// application unfinished), and the next pass or the sweep does it.
pub struct SubmissionWatcher;

#[async_trait::async_trait]
impl sep_platform::events::Subscriber for SubmissionWatcher {
    async fn committed(&self, p: &Platform, event: &sep_platform::events::Event) {
        let Ok(Some(changed)) = event.read::<crate::events::StateChanged>() else {
            return;
        };
        if changed.action != Action::Submit {
            return;
        }
        if let Err(e) = advance(p, changed.application_id).await {
            tracing::warn!(application = %changed.application_id, error = ?e, "advance after submission failed; the sweep retries");
        }
    }
}

/// Moves applications on when their state fee is paid: told by the payment's
/// event, it starts `advance` for each (which checks the charge itself; the
/// sweep does the same for any nudge a crash lost).
pub struct FeeWatcher;

#[async_trait::async_trait]
impl sep_platform::events::Subscriber for FeeWatcher {
    /// Refuses (and so retries, loudly) a payment event it cannot read.
    async fn handle(
        &self,
        _: &Platform,
        _: &sep_platform::db::Txn,
        event: &sep_platform::events::Event,
    ) -> anyhow::Result<()> {
        event
            .read::<sep_contracts::payments::PaymentSettled>()
            .map(|_| ())
    }

    async fn committed(&self, p: &Platform, event: &sep_platform::events::Event) {
        // A payload of the wrong shape failed in `handle`: never seen here.
        let Ok(Some(paid)) = event.read::<sep_contracts::payments::PaymentSettled>() else {
            return;
        };
        if !paid.succeeded {
            return;
        }
        for id in paid.applications {
            let p = p.clone();
            // Its own task: advancing takes a transaction of its own and
            // publishes events, which the dispatcher (busy with this one)
            // will take in turn.
            tokio::spawn(async move {
                if let Err(e) = advance(&p, id).await {
                    tracing::warn!(application = %id, error = ?e, "advance after the fee was paid failed; the sweep retries");
                }
            });
        }
    }
}

/// The first attached file whose stored bytes are missing or altered.
async fn broken_file(p: &Platform, app: &application::Model) -> Result<Option<String>> {
    for f in store::files_of(&*p.db, app.id).await? {
        let Some(meta) = store::attachment(&*p.db, f.attachment_id).await? else {
            return Ok(Some(f.field));
        };
        if p.blobs.get(&meta.digest).await.is_err() {
            return Ok(Some(f.field));
        }
    }
    Ok(None)
}

/// Applications that a crash left before routing, for the sweep.
/// Those waiting for a fee are included only once the fee is paid (within a
/// day: the payment's own nudge normally moved them at once), so that many
/// unpaid fees never crowd out the rest.
pub async fn unfinished(p: &Platform) -> Result<Vec<Uuid>> {
    let states = vec![
        State::Accepted.as_str().into(),
        State::Checking.as_str().into(),
    ];
    let mut ids = store::oldest_in(&*p.db, states, 100).await?;
    let since = p.now() - chrono::Duration::days(1);
    ids.extend(
        sep_contracts::payments::fees(p)
            .recently_paid_fees(p, since)
            .await?,
    );
    Ok(ids)
}
