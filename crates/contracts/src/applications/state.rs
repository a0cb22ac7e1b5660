//! The application's life as one explicit graph (SPEC M3): every state, every
//! action, who may take it and where it leads. Anything not in [`GRAPH`] is
//! refused with the reason, and `sep applications graph` prints it as DOT.

use serde::{Deserialize, Serialize};

/// The states a person sees. Stages of [001]: приём (accepted) → валидация
/// (checking) → маршрутизация (routed) → исполнение (in review, needs info)
/// → формирование ответа (approved / refused) → completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Draft,
    Accepted,
    Checking,
    /// The service has a state fee: it waits until the fee is paid.
    AwaitingPayment,
    Routed,
    InReview,
    NeedsInfo,
    Approved,
    Refused,
    Completed,
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Submit,
    BeginCheck,
    RequestPayment,
    Route,
    Take,
    Assign,
    RequestInfo,
    ProvideInfo,
    Approve,
    Refuse,
    Complete,
    Withdraw,
    Escalate,
}

/// Who takes an action: the person who applied, an officer of the
/// department the application is routed to, or the platform itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Applicant,
    Officer,
    System,
}

pub struct Edge {
    pub from: State,
    pub action: Action,
    pub to: State,
    pub by: Actor,
    /// A refusal, a request for data and an answer to it say something.
    pub needs_comment: bool,
}

const fn edge(from: State, action: Action, to: State, by: Actor, needs_comment: bool) -> Edge {
    Edge {
        from,
        action,
        to,
        by,
        needs_comment,
    }
}

use Action as A;
use Actor::{Applicant, Officer, System};
use State as S;

pub const GRAPH: &[Edge] = &[
    edge(S::Draft, A::Submit, S::Accepted, Applicant, false),
    edge(S::Accepted, A::BeginCheck, S::Checking, System, false),
    edge(S::Checking, A::Route, S::Routed, System, false),
    edge(
        S::Checking,
        A::RequestPayment,
        S::AwaitingPayment,
        System,
        false,
    ),
    edge(S::AwaitingPayment, A::Route, S::Routed, System, false),
    edge(
        S::AwaitingPayment,
        A::Withdraw,
        S::Withdrawn,
        Applicant,
        false,
    ),
    edge(S::Checking, A::Refuse, S::Refused, System, true),
    edge(S::Routed, A::Take, S::InReview, Officer, false),
    edge(S::Routed, A::Assign, S::InReview, Officer, false),
    edge(S::InReview, A::Assign, S::InReview, Officer, false),
    edge(S::NeedsInfo, A::Assign, S::NeedsInfo, Officer, false),
    edge(S::InReview, A::RequestInfo, S::NeedsInfo, Officer, true),
    edge(S::NeedsInfo, A::ProvideInfo, S::InReview, Applicant, true),
    edge(S::InReview, A::Approve, S::Approved, Officer, false),
    edge(S::InReview, A::Refuse, S::Refused, Officer, true),
    edge(S::Approved, A::Complete, S::Completed, Officer, false),
    edge(S::Accepted, A::Withdraw, S::Withdrawn, Applicant, false),
    edge(S::Checking, A::Withdraw, S::Withdrawn, Applicant, false),
    edge(S::Routed, A::Withdraw, S::Withdrawn, Applicant, false),
    edge(S::InReview, A::Withdraw, S::Withdrawn, Applicant, false),
    edge(S::NeedsInfo, A::Withdraw, S::Withdrawn, Applicant, false),
    edge(S::Routed, A::Escalate, S::Routed, System, false),
    edge(S::InReview, A::Escalate, S::InReview, System, false),
    edge(S::NeedsInfo, A::Escalate, S::NeedsInfo, System, false),
];

impl State {
    pub const ALL: [State; 11] = [
        S::Draft,
        S::Accepted,
        S::Checking,
        S::AwaitingPayment,
        S::Routed,
        S::InReview,
        S::NeedsInfo,
        S::Approved,
        S::Refused,
        S::Completed,
        S::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            S::Draft => "draft",
            S::Accepted => "accepted",
            S::Checking => "checking",
            S::AwaitingPayment => "awaiting_payment",
            S::Routed => "routed",
            S::InReview => "in_review",
            S::NeedsInfo => "needs_info",
            S::Approved => "approved",
            S::Refused => "refused",
            S::Completed => "completed",
            S::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Nothing more happens to it.
    pub fn is_final(self) -> bool {
        !GRAPH.iter().any(|e| e.from == self)
    }

    /// The deadline runs: the agency still owes a decision.
    pub fn awaits_decision(self) -> bool {
        matches!(
            self,
            S::Accepted | S::Checking | S::Routed | S::InReview | S::NeedsInfo
        )
    }
}

impl Action {
    pub const ALL: [Action; 13] = [
        A::Submit,
        A::BeginCheck,
        A::RequestPayment,
        A::Route,
        A::Take,
        A::Assign,
        A::RequestInfo,
        A::ProvideInfo,
        A::Approve,
        A::Refuse,
        A::Complete,
        A::Withdraw,
        A::Escalate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            A::Submit => "submit",
            A::BeginCheck => "begin_check",
            A::RequestPayment => "request_payment",
            A::Route => "route",
            A::Take => "take",
            A::Assign => "assign",
            A::RequestInfo => "request_info",
            A::ProvideInfo => "provide_info",
            A::Approve => "approve",
            A::Refuse => "refuse",
            A::Complete => "complete",
            A::Withdraw => "withdraw",
            A::Escalate => "escalate",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Why an action cannot be taken: each becomes a 409 with its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The action exists but not from this state ("already approved").
    NotInState,
    /// The action is not this kind of actor's to take.
    NotYourAction,
    /// The action must say why.
    CommentRequired,
}

impl Refusal {
    pub fn rule(self) -> &'static str {
        match self {
            Self::NotInState => "transition-not-allowed",
            Self::NotYourAction => "transition-not-yours",
            Self::CommentRequired => "comment-required",
        }
    }
}

/// Where `action` by `by` leads from `from`, or why it cannot be taken.
pub fn next(
    from: State,
    action: Action,
    by: Actor,
    comment: &str,
) -> Result<&'static Edge, Refusal> {
    let edge = GRAPH
        .iter()
        .find(|e| e.from == from && e.action == action)
        .ok_or(Refusal::NotInState)?;
    if edge.by != by {
        return Err(Refusal::NotYourAction);
    }
    if edge.needs_comment && comment.trim().is_empty() {
        return Err(Refusal::CommentRequired);
    }
    Ok(edge)
}

/// The actions `by` can take now, for buttons and the API's `actions` list.
pub fn available(from: State, by: Actor) -> Vec<Action> {
    GRAPH
        .iter()
        .filter(|e| e.from == from && e.by == by)
        .map(|e| e.action)
        .collect()
}

/// The graph in Graphviz DOT: states as nodes, actions as labelled edges
/// coloured by who takes them.
pub fn dot() -> String {
    let mut out =
        String::from("digraph applications {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
    for s in State::ALL {
        let shape = if s.is_final() { ", peripheries=2" } else { "" };
        out.push_str(&format!(
            "  {} [label=\"{}\"{shape}];\n",
            s.as_str(),
            s.as_str()
        ));
    }
    for e in GRAPH {
        let color = match e.by {
            Applicant => "blue",
            Officer => "darkgreen",
            System => "gray40",
        };
        out.push_str(&format!(
            "  {} -> {} [label=\"{}\", color={color}, fontcolor={color}];\n",
            e.from.as_str(),
            e.to.as_str(),
            e.action.as_str()
        ));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_and_its_refusals() {
        let mut s = State::Draft;
        for (action, by) in [
            (A::Submit, Applicant),
            (A::BeginCheck, System),
            (A::Route, System),
            (A::Take, Officer),
            (A::Approve, Officer),
            (A::Complete, Officer),
        ] {
            s = next(s, action, by, "").unwrap().to;
        }
        assert_eq!(s, S::Completed);
        assert!(s.is_final());
        assert_eq!(
            next(S::Approved, A::Approve, Officer, "").err(),
            Some(Refusal::NotInState)
        );
        assert_eq!(
            next(S::InReview, A::Approve, Applicant, "").err(),
            Some(Refusal::NotYourAction)
        );
        assert_eq!(
            next(S::InReview, A::Refuse, Officer, "  ").err(),
            Some(Refusal::CommentRequired)
        );
        assert_eq!(
            next(S::Refused, A::Withdraw, Applicant, "").err(),
            Some(Refusal::NotInState)
        );
        assert_eq!(
            available(S::InReview, Officer),
            [A::Assign, A::RequestInfo, A::Approve, A::Refuse]
        );
    }

    #[test]
    fn every_state_is_reachable_and_names_round_trip() {
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
            assert!(
                s == S::Draft || GRAPH.iter().any(|e| e.to == s),
                "{s:?} unreachable"
            );
        }
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
            assert!(GRAPH.iter().any(|e| e.action == a), "{a:?} unused");
        }
        let dot = dot();
        assert!(dot.starts_with("digraph applications {"));
        assert_eq!(dot.matches(" -> ").count(), GRAPH.len());
    }
}
