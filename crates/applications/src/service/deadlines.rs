//! The deadline watch: an application still owed a decision after its due
//! day is marked overdue, moved to the front of the queue (urgent) and
//! escalated — a line in its history and an event that notifies the
//! department's officers and the applicant.
//!
//! Safe on many instances at once without a lease: each escalation is an
//! optimistic transition, so a second instance finds the application
//! already changed and leaves it.

use super::act::apply;
use crate::model::state;
use crate::{model::Action, model::Actor, model::State};
use crate::{store, store::Change};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::clock::local_date;
use sep_platform::{error::AppError, error::Result};

/// Escalates what became overdue; returns how many applications it escalated.
pub async fn check_deadlines(p: &Platform) -> Result<usize> {
    let today = local_date(p.now());
    let waiting = [State::Routed, State::InReview, State::NeedsInfo]
        .map(|s| s.as_str().to_string())
        .to_vec();
    let client = Client::system();
    let mut escalated = 0;
    for app in store::newly_overdue(&*p.db, today, waiting).await? {
        let from = super::views::state_of(&app)?;
        let Ok(edge) = state::next(from, Action::Escalate, Actor::System, "") else {
            continue;
        };
        let change = Change {
            overdue: Some(true),
            priority: Some("urgent"),
            escalated_at: Some(p.now()),
            ..Change::default()
        };
        match apply(p, &client, &app, edge, None, Actor::System, "", change).await {
            Ok(()) => escalated += 1,
            Err(AppError::Refused { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    if escalated > 0 {
        p.after_commit().await;
    }
    Ok(escalated)
}
