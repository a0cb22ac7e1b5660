//! The acquirer's own records: payments, stored cards, refunds and the
//! callbacks it owes its merchant. Kept as one JSON document, replaced
//! atomically (written aside, synced, renamed) after every change, so a
//! restarted sandbox remembers what it confirmed and still owes.

use super::cards::Behaviour;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    WaitingForConfirmation,
    Processing,
    Succeeded,
    Canceled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WaitingForConfirmation => "waiting_for_confirmation",
            Self::Processing => "processing",
            Self::Succeeded => "succeeded",
            Self::Canceled => "canceled",
        }
    }
}

/// A card as a payment shows it: never the full number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    pub first6: String,
    pub last4: String,
    pub brand: String,
    pub expiry_month: u32,
    pub expiry_year: u32,
    /// Present when the card was stored for later payments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payment {
    pub id: String,
    pub order_id: String,
    pub idempotence_key: String,
    pub request_hash: String,
    pub amount_kopecks: i64,
    pub description: String,
    pub method: String,
    pub card: Option<CardView>,
    pub behaviour: Behaviour,
    pub phone: String,
    pub status: Status,
    pub cancel_reason: Option<String>,
    /// SHA-256 of the confirmation code: the sandbox keeps no more than a bank would.
    pub code_digest: String,
    pub attempts_left: u8,
    pub callback_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub settle_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub refunded_kopecks: i64,
}

/// A card the bank keeps behind a token (the bank may hold the number; the merchant never does).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredCard {
    pub token: String,
    pub digits: String,
    pub brand: String,
    pub expiry_month: u32,
    pub expiry_year: u32,
    pub behaviour: Behaviour,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Refund {
    pub id: String,
    pub payment_id: String,
    pub idempotence_key: String,
    pub amount_kopecks: i64,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// A notification owed to the merchant, retried until it answers 2xx.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Callback {
    pub id: String,
    /// The payment or refund it is about.
    pub subject: String,
    pub event: String,
    pub url: String,
    /// The exact bytes that were signed.
    pub body: String,
    pub attempts: u32,
    pub next_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub last_status: Option<u16>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Book {
    pub payments: BTreeMap<String, Payment>,
    pub cards: BTreeMap<String, StoredCard>,
    pub refunds: BTreeMap<String, Refund>,
    pub callbacks: Vec<Callback>,
}

impl Book {
    pub fn payment_by_key(&self, key: &str) -> Option<&Payment> {
        self.payments.values().find(|p| p.idempotence_key == key)
    }

    pub fn refund_by_key(&self, key: &str) -> Option<&Refund> {
        self.refunds.values().find(|r| r.idempotence_key == key)
    }
}

/// Where the book lives on disk.
pub struct Shelf {
    path: PathBuf,
}

impl Shelf {
    pub fn new(dir: &Path) -> Self {
        Self {
            path: dir.join("acquirer.json"),
        }
    }

    pub async fn load(&self) -> anyhow::Result<Book> {
        match tokio::fs::read(&self.path).await {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Book::default()),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn save(&self, book: &Book) -> anyhow::Result<()> {
        if let Some(dir) = self.path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let aside = self.path.with_extension("json.new");
        let bytes = serde_json::to_vec(book)?;
        let mut f = tokio::fs::File::create(&aside).await?;
        tokio::io::AsyncWriteExt::write_all(&mut f, &bytes).await?;
        f.sync_all().await?;
        drop(f);
        tokio::fs::rename(&aside, &self.path).await?;
        Ok(())
    }
}
