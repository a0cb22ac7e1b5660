//! What people are told and how: kinds of notice, channels, the defaults.

use serde::{Deserialize, Serialize};

/// SPEC M7's events, as far as they exist so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An application of mine changed state.
    StatusChange,
    /// Something is asked of me (more data for an application).
    ActionRequired,
    /// An application in my department is past its deadline.
    DeadlineOverdue,
    /// An applicant answered a request for data (to the officer on it).
    InfoProvided,
    /// A payment of mine went through (with its operation number).
    PaymentSucceeded,
    /// A payment of mine did not go through.
    PaymentFailed,
    /// My personal account's balance changed.
    BalanceChanged,
    /// A document of mine is ready in «Мои документы».
    DocumentIssued,
    /// A document of mine was revoked by its issuer.
    DocumentRevoked,
    /// The paper copy of a document of mine was sent, delivered or cancelled.
    DocumentPostal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// In the cabinet: always on, it is the record.
    Cabinet,
    Email,
    Sms,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::StatusChange,
        Kind::ActionRequired,
        Kind::DeadlineOverdue,
        Kind::InfoProvided,
        Kind::PaymentSucceeded,
        Kind::PaymentFailed,
        Kind::BalanceChanged,
        Kind::DocumentIssued,
        Kind::DocumentRevoked,
        Kind::DocumentPostal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::StatusChange => "status_change",
            Kind::ActionRequired => "action_required",
            Kind::DeadlineOverdue => "deadline_overdue",
            Kind::InfoProvided => "info_provided",
            Kind::PaymentSucceeded => "payment_succeeded",
            Kind::PaymentFailed => "payment_failed",
            Kind::BalanceChanged => "balance_changed",
            Kind::DocumentIssued => "document_issued",
            Kind::DocumentRevoked => "document_revoked",
            Kind::DocumentPostal => "document_postal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What a person gets until they choose: email for everything, SMS only
    /// when something is asked of them.
    pub fn default_for(self, channel: Channel) -> bool {
        match channel {
            Channel::Cabinet | Channel::Email => true,
            Channel::Sms => self == Kind::ActionRequired,
        }
    }
}

impl Channel {
    pub const OPTIONAL: [Channel; 2] = [Channel::Email, Channel::Sms];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Cabinet => "cabinet",
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Channel::Cabinet, Channel::Email, Channel::Sms]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}
