//! The events payments publish, for whoever reacts to them (notifications,
//! applications waiting for their fee, live pages).

use crate::model::Method;
use sep_platform::events::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A payment ended (`payment.succeeded` or `payment.failed`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaymentSettled {
    pub intent_id: Uuid,
    pub owner_id: Uuid,
    pub purpose: PaidFor,
    pub method: Method,
    pub amount_kopecks: i64,
    /// The acquirer's or the ledger's operation number, when it succeeded.
    pub operation_number: Option<String>,
    /// The УИН of each charge it paid.
    pub charges: Vec<String>,
    /// The applications whose fees those charges were.
    pub applications: Vec<Uuid>,
    /// The receipt to send with the notice, when it succeeded.
    pub attachment: Option<String>,
    /// Whether it went through; says the same as the kind.
    pub succeeded: bool,
}

impl PaymentSettled {
    pub const SUCCEEDED: &'static str = "payment.succeeded";
    pub const FAILED: &'static str = "payment.failed";
}

impl DomainEvent for PaymentSettled {
    const KINDS: &'static [&'static str] = &[Self::SUCCEEDED, Self::FAILED];
    const VERSION: u32 = 1;
    fn kind(&self) -> &'static str {
        if self.succeeded {
            Self::SUCCEEDED
        } else {
            Self::FAILED
        }
    }
    fn subject(&self) -> String {
        self.intent_id.to_string()
    }
    fn audience(&self) -> Vec<Uuid> {
        vec![self.owner_id]
    }
}

/// What a payment was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaidFor {
    /// Charges by their УИН.
    Charges,
    /// Money onto the person's balance.
    TopUp,
}

impl PaidFor {
    /// The purpose as stored (`charges`, `top_up`).
    pub fn from_stored(s: &str) -> Option<Self> {
        match s {
            "charges" => Some(Self::Charges),
            "top_up" => Some(Self::TopUp),
            _ => None,
        }
    }
}

/// Money came onto or left a person's balance (`account.balance`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BalanceChanged {
    pub owner_id: Uuid,
    /// Positive in, negative out.
    pub delta_kopecks: i64,
    pub cause: String,
}

impl DomainEvent for BalanceChanged {
    const KINDS: &'static [&'static str] = &["account.balance"];
    const VERSION: u32 = 1;
    fn subject(&self) -> String {
        self.owner_id.to_string()
    }
    fn audience(&self) -> Vec<Uuid> {
        vec![self.owner_id]
    }
}
