//! The platform's own stages after submission: checking (the attached files
//! are intact), the state fee, and routing to the department. They follow a
//! submission from the outbox — for all the submissions one dispatch took
//! together, with one read of each kind and one transaction — and run again
//! from the sweep for anything a crash left half-way.

use super::act::{Step, apply_runs};
use crate::model::{Action, Actor, State, state, state::Edge};
use crate::{store, store::Change, store::application};
use sep_contracts::catalog::catalogue;
use sep_kernel::{Code, RegionCode};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Takes application `id` as far as the platform can by itself.
pub async fn advance(p: &Platform, id: Uuid) -> Result<()> {
    let client = Client::system();
    let mut ids = vec![id];
    while !ids.is_empty() {
        ids = match pass(p, &client, &ids).await {
            Ok(again) => again,
            // Another instance advanced it; look again.
            Err(AppError::Refused { .. }) => ids,
            Err(e) => return Err(e),
        };
    }
    Ok(())
}

/// [`advance`] for applications submitted together: one pass for all; if
/// one of them stands in the way (changed meanwhile, a bad row), each on
/// its own, so that the others go on.
pub async fn advance_all(p: &Platform, mut ids: Vec<Uuid>) {
    ids.sort();
    ids.dedup();
    let client = Client::system();
    for some in ids.chunks(TOGETHER) {
        let again = match pass(p, &client, some).await {
            Ok(again) => again,
            Err(_) => some.to_vec(),
        };
        for id in again {
            if let Err(e) = advance(p, id).await {
                tracing::warn!(application = %id, error = ?e, "advance failed; the sweep retries");
            }
        }
    }
}

/// Applications one pass takes at most: its transaction holds SQLite's
/// write gate, which the submissions wait at.
const TOGETHER: usize = 32;

/// One step of the platform's for each of `ids` that has one to take, all
/// in one transaction; the ids to look at again: those now waiting for a
/// fee that was paid meanwhile (its payment's nudge may have found them not
/// yet waiting).
async fn pass(p: &Platform, client: &Client, ids: &[Uuid]) -> Result<Vec<Uuid>> {
    let apps = store::by_ids(&*p.db, ids.to_vec()).await?;
    let mut stages = Vec::with_capacity(apps.len());
    for app in &apps {
        stages.push((app, super::views::state_of(app)?));
    }
    let checked: Vec<&application::Model> = stages
        .iter()
        .filter(|(_, s)| matches!(s, State::Accepted | State::Checking))
        .map(|(app, _)| *app)
        .collect();
    let broken = broken_files(p, &checked).await?;
    let fee_due: Vec<Uuid> = stages
        .iter()
        // A fresh submission's fee is not asked yet: whether it was paid by
        // the time it waits is looked at after the pass.
        .filter(|(app, s)| match s {
            State::Checking => app.fee_kopecks > 0 && !broken.contains_key(&app.id),
            State::AwaitingPayment => true,
            _ => false,
        })
        .map(|(app, _)| app.id)
        .collect();
    let paid = fees_paid(p, &fee_due).await?;
    let mut routes = Routes::default();
    let mut ask = Vec::new();
    let mut runs = Vec::new();
    for (app, from) in stages {
        let mut steps = Vec::new();
        // Checking needs nothing read: taken with what follows it.
        let at = if from == State::Accepted {
            steps.push(Step::system(
                system_edge(from, Action::BeginCheck, "")?,
                String::new(),
                Change::default(),
            ));
            State::Checking
        } else {
            from
        };
        let (action, change, comment) = match at {
            State::Checking => match broken.get(&app.id) {
                Some(field) => (
                    Action::Refuse,
                    Change {
                        decided_at: Some(p.now()),
                        decision_reason: Some(format!("file-damaged:{field}")),
                        ..Change::default()
                    },
                    format!("file-damaged:{field}"),
                ),
                None if app.fee_kopecks > 0 && !paid.contains(&app.id) => {
                    ask.push(app);
                    (Action::RequestPayment, Change::default(), String::new())
                }
                None => routes.routing(p, app).await?,
            },
            State::AwaitingPayment if paid.contains(&app.id) => routes.routing(p, app).await?,
            _ => continue,
        };
        steps.push(Step::system(
            system_edge(at, action, &comment)?,
            comment,
            change,
        ));
        runs.push((app, steps));
    }
    // Posted before the states change, so a crash in between leaves charges
    // the next attempt finds, never a waiting application with nothing to pay.
    ask_for_fees(p, &ask).await?;
    apply_runs(p, client, runs).await?;
    let waiting: Vec<Uuid> = ask.iter().map(|app| app.id).collect();
    Ok(fees_paid(p, &waiting).await?.into_iter().collect())
}

fn system_edge(from: State, action: Action, comment: &str) -> Result<&'static Edge> {
    state::next(from, action, Actor::System, comment)
        .map_err(|r| super::act::refusal(r, action, from))
}

/// The departments found for the services and regions of one pass: the
/// submissions of a pass are mostly for a few services.
#[derive(Default)]
struct Routes(HashMap<(String, Option<String>), Code>);

impl Routes {
    /// Sends the application to the department for its service and region.
    async fn routing(
        &mut self,
        p: &Platform,
        app: &application::Model,
    ) -> Result<(Action, Change, String)> {
        let key = (app.service_code.clone(), app.region_code.clone());
        if !self.0.contains_key(&key) {
            let region = app
                .region_code
                .as_deref()
                .and_then(|r| RegionCode::parse(r).ok());
            let department = catalogue(p).route(p, &app.service_code, region).await?;
            self.0.insert(key.clone(), department);
        }
        Ok((
            Action::Route,
            Change {
                department: Some(self.0[&key].to_string()),
                ..Change::default()
            },
            String::new(),
        ))
    }
}

async fn fees_paid(p: &Platform, ids: &[Uuid]) -> Result<HashSet<Uuid>> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(sep_contracts::payments::fees(p)
        .fees_paid(p, ids)
        .await?
        .into_iter()
        .collect())
}

/// Posts the state fees' charges (payable by their УИН in «Начисления»).
async fn ask_for_fees(p: &Platform, apps: &[&application::Model]) -> Result<()> {
    if apps.is_empty() {
        return Ok(());
    }
    let mut payees = HashMap::new();
    for app in apps {
        if !payees.contains_key(&app.service_code) {
            let fee = catalogue(p)
                .fee_payee(p, &app.service_code)
                .await?
                .ok_or_else(|| {
                    AppError::Internal(anyhow::anyhow!(
                        "service {} has a fee but its agency names no payee",
                        app.service_code
                    ))
                })?;
            payees.insert(app.service_code.clone(), fee);
        }
    }
    let requests = apps
        .iter()
        .map(|app| {
            let fee = &payees[&app.service_code];
            sep_contracts::payments::FeeRequest {
                application_id: app.id,
                number: &app.number,
                applicant: app.applicant_id,
                amount: sep_kernel::Kopecks(app.fee_kopecks),
                agency: &fee.agency,
                payee: &fee.payee,
                service_title: &fee.service_title,
            }
        })
        .collect();
    sep_contracts::payments::fees(p)
        .state_fees(p, requests)
        .await?;
    Ok(())
}

/// For each application with an attached file whose stored bytes are
/// missing or altered, the first such field.
async fn broken_files(p: &Platform, apps: &[&application::Model]) -> Result<HashMap<Uuid, String>> {
    let files = store::files_of_all(&*p.db, apps.iter().map(|a| a.id).collect()).await?;
    let stored =
        store::attachments(&*p.db, files.iter().map(|f| f.attachment_id).collect()).await?;
    let digests: HashMap<Uuid, &str> = stored.iter().map(|a| (a.id, a.digest.as_str())).collect();
    let mut broken = HashMap::new();
    for f in files {
        if broken.contains_key(&f.application_id) {
            continue;
        }
        let intact = match digests.get(&f.attachment_id) {
            Some(digest) => p.blobs.get(digest).await.is_ok(),
            None => false,
        };
        if !intact {
            broken.insert(f.application_id, f.field);
        }
    }
    Ok(broken)
}

/// Takes submitted applications through checking, the fee and routing once
/// their submissions' events are out of the outbox: the submitting request
/// only commits and answers. A crash before this ran leaves the events due
/// (or the applications unfinished), and the next pass or the sweep does it.
pub struct SubmissionWatcher;

#[async_trait::async_trait]
impl sep_platform::events::Subscriber for SubmissionWatcher {
    async fn committed_all(&self, p: &Platform, events: &[sep_platform::events::Event]) {
        let submitted: Vec<Uuid> = events
            .iter()
            .filter_map(|e| e.read::<crate::events::StateChanged>().ok().flatten())
            .filter(|changed| changed.action == Action::Submit)
            .map(|changed| changed.application_id)
            .collect();
        if !submitted.is_empty() {
            advance_all(p, submitted).await;
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
        if !paid.succeeded || paid.applications.is_empty() {
            return;
        }
        let p = p.clone();
        // Its own task: advancing takes a transaction of its own and
        // publishes events, which the dispatcher (busy with this one) will
        // take in turn.
        tokio::spawn(async move { advance_all(&p, paid.applications).await });
    }
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
