//! What payments tells the other contexts: the events it publishes (for
//! notifications, applications waiting for their fee, live pages), and the
//! state fees it posts for applications through [`Fees`].

use sep_kernel::{Kopecks, PayeeInput};
use sep_platform::Platform;
use sep_platform::error::Result;
use sep_platform::events::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[async_trait::async_trait]
pub trait Fees: Send + Sync {
    /// Posts an application's state fee once (asking again names the same
    /// charge); its УИН.
    async fn state_fee(&self, p: &Platform, req: FeeRequest<'_>) -> Result<String>;
    /// [`Self::state_fee`] for several applications at once.
    async fn state_fees(&self, p: &Platform, reqs: Vec<FeeRequest<'_>>) -> Result<Vec<String>>;
    /// The fee charge of an application, if one was posted: (УИН, paid?).
    async fn fee_of(&self, p: &Platform, application: Uuid) -> Result<Option<(String, bool)>>;
    /// Which of `applications` have their fee paid.
    async fn fees_paid(&self, p: &Platform, applications: &[Uuid]) -> Result<Vec<Uuid>>;
    /// The applications whose fees were paid since `since`.
    async fn recently_paid_fees(
        &self,
        p: &Platform,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Uuid>>;
}

/// Payments' fees, as installed at boot.
pub fn fees(p: &Platform) -> &dyn Fees {
    crate::port(p)
}

/// What an application's fee is for and to whom it is paid.
pub struct FeeRequest<'a> {
    pub application_id: Uuid,
    pub number: &'a str,
    pub applicant: Uuid,
    pub amount: Kopecks,
    /// The service's agency, whose payee it is.
    pub agency: &'a str,
    pub payee: &'a PayeeInput,
    pub service_title: &'a str,
}

/// How a payment is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Card,
    Sbp,
    Wallet,
    Balance,
}

impl Method {
    /// A method as stored (`as_str`), or `None` for a value no build writes.
    pub fn from_stored(s: &str) -> Option<Self> {
        [Self::Card, Self::Sbp, Self::Wallet, Self::Balance]
            .into_iter()
            .find(|m| m.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Card => "card",
            Self::Sbp => "sbp",
            Self::Wallet => "wallet",
            Self::Balance => "balance",
        }
    }
}

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
