//! Outbound SMS and email. A message is written to `outbound_messages` in the
//! same transaction as the change that causes it, so a crash can neither lose an
//! acknowledged code nor send one for a change that was rolled back. Delivery
//! happens after commit: at once by the request that caused it (so a user gets
//! their code before the response) and again by a periodic sweep for anything a
//! transport refused, with backoff.

pub mod migration;
mod store;
mod transport;

pub use store::{Outgoing, enqueue};
pub use transport::{MailTransport, SmsTransport};

use crate::platform::db::Db;
use chrono::{DateTime, Utc};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Email => "email",
        }
    }
}

#[derive(Clone)]
pub struct Messenger {
    sms: Arc<SmsTransport>,
    mail: Arc<MailTransport>,
    /// One delivery round at a time in this process (see `events::Bus`).
    delivering: Arc<tokio::sync::Mutex<()>>,
}

impl Messenger {
    pub fn new(sms: SmsTransport, mail: MailTransport) -> Self {
        Self {
            sms: Arc::new(sms),
            mail: Arc::new(mail),
            delivering: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// Sends every message that is due; returns how many went out.
    /// Safe to call from many tasks and instances at once: each message is claimed first.
    pub async fn deliver_due(&self, db: &Db, now: DateTime<Utc>) -> Result<usize, sea_orm::DbErr> {
        let _turn = self.delivering.lock().await;
        let mut sent = 0;
        for msg in store::due(db, now).await? {
            if !store::claim(db, msg.id, now).await? {
                continue;
            }
            let result = match msg.channel.as_str() {
                "sms" => self.sms.send(&msg.recipient, &msg.body, now).await,
                _ => {
                    self.mail
                        .send(
                            &msg.recipient,
                            msg.subject.as_deref().unwrap_or(""),
                            &msg.body,
                        )
                        .await
                }
            };
            match result {
                Ok(()) => {
                    store::mark_sent(db, msg.id, now).await?;
                    sent += 1;
                }
                Err(e) => {
                    tracing::warn!(message = %msg.id, channel = %msg.channel, error = %e, "delivery failed; will retry");
                    store::mark_failed(db, msg.id, msg.attempts + 1, &e.to_string(), now).await?;
                }
            }
        }
        Ok(sent)
    }
}
