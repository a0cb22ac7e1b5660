//! The events applications publish, for whoever reacts to them
//! (notifications, documents, live pages).

use crate::model::state::{Action, Actor, State};
use sep_platform::events::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
