//! A payment intent's life, one explicit graph: created (pending) → sent to
//! the acquirer, which asks for a confirmation code (requires_confirmation) →
//! confirmed, awaiting the acquirer's word (processing) → succeeded / failed;
//! cancelled before it is confirmed. The acquirer's word is final: a late or
//! repeated callback never moves a finished intent.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntentState {
    Pending,
    RequiresConfirmation,
    Processing,
    Succeeded,
    Failed,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntentEvent {
    /// The acquirer accepted the payment and asked for a code.
    AcquirerAccepted,
    /// The payer entered the code.
    Confirmed,
    /// The acquirer says the money moved (callback or reconciliation).
    Settled,
    /// The acquirer says it did not (declined, expired).
    Declined,
    /// The payer gave up before confirming.
    Cancelled,
}

use IntentEvent as E;
use IntentState as S;

pub const GRAPH: &[(IntentState, IntentEvent, IntentState)] = &[
    (S::Pending, E::AcquirerAccepted, S::RequiresConfirmation),
    (S::Pending, E::Declined, S::Failed),
    (S::Pending, E::Cancelled, S::Cancelled),
    (S::RequiresConfirmation, E::Confirmed, S::Processing),
    (S::RequiresConfirmation, E::Declined, S::Failed),
    (S::RequiresConfirmation, E::Cancelled, S::Cancelled),
    (S::Processing, E::Settled, S::Succeeded),
    (S::Processing, E::Declined, S::Failed),
    // The acquirer's word outranks ours: its callback may overtake the answer
    // to the confirmation that caused it.
    (S::RequiresConfirmation, E::Settled, S::Succeeded),
    (S::Pending, E::Settled, S::Succeeded),
];

/// What an event does to an intent in `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Moves(IntentState),
    /// Already there: a replayed callback, acknowledged and ignored.
    AlreadyDone,
    /// Not possible from here (e.g. confirming a cancelled payment).
    Refused,
}

impl IntentState {
    pub fn as_str(self) -> &'static str {
        match self {
            S::Pending => "pending",
            S::RequiresConfirmation => "requires_confirmation",
            S::Processing => "processing",
            S::Succeeded => "succeeded",
            S::Failed => "failed",
            S::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        GRAPH
            .iter()
            .flat_map(|(f, _, t)| [*f, *t])
            .find(|state| state.as_str() == s)
    }

    pub fn is_final(self) -> bool {
        matches!(self, S::Succeeded | S::Failed | S::Cancelled)
    }
}

pub fn apply(from: IntentState, event: IntentEvent) -> Outcome {
    if let Some((_, _, to)) = GRAPH.iter().find(|(f, e, _)| *f == from && *e == event) {
        return Outcome::Moves(*to);
    }
    let lands_here = GRAPH.iter().any(|(_, e, to)| *e == event && *to == from);
    if lands_here {
        Outcome::AlreadyDone
    } else {
        Outcome::Refused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_and_the_replays() {
        let mut s = S::Pending;
        for e in [E::AcquirerAccepted, E::Confirmed, E::Settled] {
            match apply(s, e) {
                Outcome::Moves(to) => s = to,
                other => panic!("{e:?} from {s:?}: {other:?}"),
            }
        }
        assert_eq!(s, S::Succeeded);
        assert_eq!(
            apply(S::Succeeded, E::Settled),
            Outcome::AlreadyDone,
            "a replayed callback"
        );
        assert_eq!(
            apply(S::Succeeded, E::Declined),
            Outcome::Refused,
            "paid stays paid"
        );
        assert_eq!(apply(S::Failed, E::Settled), Outcome::Refused);
        assert_eq!(
            apply(S::RequiresConfirmation, E::Settled),
            Outcome::Moves(S::Succeeded),
            "a callback overtaking the confirmation's answer"
        );
        assert!(
            GRAPH
                .iter()
                .all(|(f, _, t)| IntentState::parse(f.as_str()) == Some(*f)
                    && IntentState::parse(t.as_str()) == Some(*t))
        );
        assert_eq!(apply(S::Cancelled, E::Confirmed), Outcome::Refused);
        assert_eq!(
            apply(S::Processing, E::Cancelled),
            Outcome::Refused,
            "too late to cancel"
        );
        assert!(
            GRAPH.iter().all(|(f, _, _)| !f.is_final()),
            "nothing leaves a final state"
        );
    }
}
