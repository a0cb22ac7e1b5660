//! What applications tell the other contexts: the state graph's vocabulary,
//! the event of a step along it (for notifications, documents, live pages),
//! and, through [`Applications`], a decided application and a person's uploads.

pub mod state;

use chrono::{DateTime, NaiveDate, Utc};
use sep_identity::service::Principal;
use sep_platform::Platform;
use sep_platform::error::Result;
use sep_platform::events::DomainEvent;
use serde::{Deserialize, Serialize};
pub use state::{Action, Actor, State};
use uuid::Uuid;

#[async_trait::async_trait]
pub trait Applications: Send + Sync {
    /// The decision on application `id`; not found until it is decided.
    async fn decision_of(&self, p: &Platform, id: Uuid) -> Result<Decision>;
    /// Everything `who` uploaded to applications (for «Мои документы»).
    async fn uploads_of(&self, p: &Platform, who: &Principal) -> Result<Vec<AttachmentView>>;
}

/// Applications, as installed at boot.
pub fn applications(p: &Platform) -> &dyn Applications {
    crate::port(p)
}

/// What a decision document says about an application.
#[derive(Debug, Clone)]
pub struct Decision {
    pub number: String,
    pub applicant_id: Uuid,
    pub service_title: String,
    pub agency_code: String,
    pub department: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub due_on: NaiveDate,
    pub approved: bool,
    pub decided_at: DateTime<Utc>,
    pub reason: Option<String>,
}

/// A file a person uploaded.
#[derive(Debug, Serialize)]
pub struct AttachmentView {
    pub id: Uuid,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    /// SHA-256 of the content.
    pub digest: String,
    pub created_at: DateTime<Utc>,
}

/// An application moved along its state graph (`application.state`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StateChanged {
    pub application_id: Uuid,
    pub applicant_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub number: String,
    pub service: String,
    pub action: Action,
    pub actor: Actor,
    pub state: State,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Everyone who follows the application (applicant, department's staff).
    #[serde(skip)]
    pub audience: Vec<Uuid>,
}

impl DomainEvent for StateChanged {
    const KINDS: &'static [&'static str] = &["application.state"];
    const VERSION: u32 = 1;
    fn subject(&self) -> String {
        self.application_id.to_string()
    }
    fn audience(&self) -> Vec<Uuid> {
        self.audience.clone()
    }
}
