//! The events documents publish, for whoever reacts to them (notifications,
//! live pages).

use sep_platform::events::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Something happened to a person's document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentChanged {
    pub document_id: Uuid,
    pub owner_id: Uuid,
    pub number: String,
    pub title: String,
    #[serde(flatten)]
    pub change: Change,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Signed and ready (`document.issued`).
    Issued {
        kind: String,
        application_id: Option<Uuid>,
    },
    /// No longer valid (`document.revoked`), with the reason given.
    Revoked { comment: String },
    /// Its paper copy moved on (`document.postal`) to `state`.
    Postal { state: String },
}

impl DomainEvent for DocumentChanged {
    const KINDS: &'static [&'static str] =
        &["document.issued", "document.revoked", "document.postal"];
    const VERSION: u32 = 1;
    fn kind(&self) -> &'static str {
        match self.change {
            Change::Issued { .. } => Self::KINDS[0],
            Change::Revoked { .. } => Self::KINDS[1],
            Change::Postal { .. } => Self::KINDS[2],
        }
    }
    fn subject(&self) -> String {
        self.document_id.to_string()
    }
    fn audience(&self) -> Vec<Uuid> {
        vec![self.owner_id]
    }
}
