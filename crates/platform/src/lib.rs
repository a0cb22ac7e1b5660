//! What every context stands on: configuration, clock, database, secrets,
//! outbound messages, languages, errors and the HTTP edge helpers.
//! Nothing here knows about citizens, applications or payments.

pub mod blobs;
pub mod calendar;
pub mod client;
pub mod clock;
pub mod combine;
pub mod config;
pub mod db;
pub mod error;
pub mod events;

pub mod idempotency;
pub mod messages;
pub mod migrations;
pub mod multipart;
pub mod negotiate;
pub mod openapi;
pub mod secrets;
pub mod throttle;
pub mod workers;

use std::sync::Arc;

/// Everything a service needs from the platform. Every extractor and task
/// clones it, so it is one shared pointer (a clone of ten `Arc`s and their
/// drops were a fifth of a status read's CPU); fields read through it.
#[derive(Clone)]
pub struct Platform(Arc<PlatformParts>);

impl Platform {
    pub fn new(parts: PlatformParts) -> Self {
        Self(Arc::new(parts))
    }
}

impl std::ops::Deref for Platform {
    type Target = PlatformParts;
    fn deref(&self) -> &PlatformParts {
        &self.0
    }
}

pub struct PlatformParts {
    pub db: db::Db,
    pub clock: Arc<dyn clock::Clock>,
    pub secrets: secrets::Secrets,
    pub messenger: messages::Messenger,
    pub blobs: blobs::Blobs,
    pub bus: events::Bus,
    pub config: Arc<config::Config>,
    /// The in-memory request limits (per client address and session).
    pub throttles: Arc<throttle::Throttles>,
    /// The bounded queues of blocking work.
    pub workers: workers::Workers,
    /// The adapters to outside systems, by type (each context installs and
    /// finds its own, so the platform need not know them).
    pub adapters: Arc<axum::http::Extensions>,
}

impl Platform {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Sends one round of the messages that are due (a request's own code
    /// among them: a request never waits for more than a round). A full
    /// round may leave more: then the follow-up worker is woken to go on,
    /// and `true` says so. Mails that carry a document (rendered when sent)
    /// go right after, on a task of their own. A failure here is not the
    /// caller's: the message stays queued and the sweep tries again.
    pub async fn flush_messages(&self) -> bool {
        match self.messenger.deliver_due(self, false).await {
            Ok((sent, deferred)) => {
                if deferred {
                    let p = self.clone();
                    tokio::spawn(async move { p.deliver_all_messages().await });
                }
                let more = sent >= messages::ROUND;
                if more {
                    self.follow_up();
                }
                more
            }
            Err(e) => {
                tracing::warn!(error = %e, "message delivery deferred");
                false
            }
        }
    }

    /// Sends every message that is due, documents included (the sweep's
    /// round), a round at a time until one is not full.
    pub async fn deliver_all_messages(&self) {
        loop {
            match self.messenger.deliver_due(self, true).await {
                Ok((sent, _)) if sent >= messages::ROUND => {}
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "message delivery deferred");
                    break;
                }
            }
        }
    }
}
