//! What every context stands on: configuration, clock, database, secrets,
//! outbound messages, languages, errors and the HTTP edge helpers.
//! Nothing here knows about citizens, applications or payments.

pub mod blobs;
pub mod calendar;
pub mod client;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod events;
pub mod i18n;
pub mod idempotency;
pub mod messages;
pub mod migrations;
pub mod negotiate;
pub mod openapi;
pub mod secrets;

use std::sync::Arc;

/// Everything a service needs from the platform, cheap to clone.
#[derive(Clone)]
pub struct Platform {
    pub db: db::Db,
    pub clock: Arc<dyn clock::Clock>,
    pub secrets: secrets::Secrets,
    pub messenger: messages::Messenger,
    pub blobs: blobs::Blobs,
    pub bus: events::Bus,
    pub config: Arc<config::Config>,
    /// The adapters to outside systems, by type (each context installs and
    /// finds its own, so the platform need not know them).
    pub adapters: Arc<axum::http::Extensions>,
}

impl Platform {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Sends what the last commit queued. A failure here is not the caller's
    /// failure: the message stays queued and the sweep tries again.
    pub async fn flush_messages(&self) {
        if let Err(e) = self.messenger.deliver_due(self).await {
            tracing::warn!(error = %e, "message delivery deferred");
        }
    }
}
