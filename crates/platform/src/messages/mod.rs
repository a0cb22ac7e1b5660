//! Outbound SMS and email. A message is written to `outbound_messages` in the
//! same transaction as the change that causes it, so a crash can neither lose an
//! acknowledged code nor send one for a change that was rolled back. Delivery
//! happens after commit: at once by the request that caused it (so a user gets
//! their code before the response) and again by a periodic sweep for anything a
//! transport refused, with backoff.

pub mod migration;
mod store;
mod transport;

use store::Outcome;
pub use store::{Outgoing, enqueue, enqueue_all, redact};

/// Messages claimed and sent in one round at most.
pub const ROUND: usize = store::BATCH as usize;
pub use transport::{Attachment, Mail, MailTransport, SmsTransport};

use crate::Platform;
use std::collections::HashMap;
use std::sync::Arc;

/// Renders the documents mails carry, at the moment of sending: the mail
/// row is written with the change that causes it and names the document;
/// the document itself is made from committed data, outside any transaction.
#[async_trait::async_trait]
pub trait AttachmentSource: Send + Sync {
    async fn attachment(&self, p: &Platform, id: &str) -> anyhow::Result<Attachment>;
}

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
    /// By the part of an attachment reference before the colon.
    sources: Arc<HashMap<&'static str, Arc<dyn AttachmentSource>>>,
    /// One delivery round at a time in this process (see `events::Bus`)…
    delivering: Arc<tokio::sync::Mutex<()>>,
    /// …and apart from it one round with documents, so that a request's
    /// code never queues behind a PDF being rendered. Each message is
    /// claimed before it is sent, so the two rounds never send one twice.
    delivering_documents: Arc<tokio::sync::Mutex<()>>,
}

impl Messenger {
    pub fn new(
        sms: SmsTransport,
        mail: MailTransport,
        sources: Vec<(&'static str, Arc<dyn AttachmentSource>)>,
    ) -> Self {
        Self {
            sms: Arc::new(sms),
            mail: Arc::new(mail),
            sources: Arc::new(sources.into_iter().collect()),
            delivering: Arc::new(tokio::sync::Mutex::new(())),
            delivering_documents: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    async fn attachment(&self, p: &Platform, reference: &str) -> anyhow::Result<Attachment> {
        let (source, id) = reference
            .split_once(':')
            .ok_or_else(|| anyhow::anyhow!("attachment reference without a source: {reference}"))?;
        let source = self
            .sources
            .get(source)
            .ok_or_else(|| anyhow::anyhow!("no attachment source {source}"))?;
        source.attachment(p, id).await
    }

    async fn send_mail(&self, p: &Platform, msg: &store::Model, body: &str) -> anyhow::Result<()> {
        let attachment = match &msg.attachment {
            Some(reference) => Some(self.attachment(p, reference).await?),
            None => None,
        };
        let mail = Mail {
            subject: msg.subject.as_deref().unwrap_or(""),
            body,
            attachment,
        };
        self.mail.send(&msg.recipient, &mail).await
    }

    /// Sends one claimed message (an SMS without waiting for the disk). A
    /// body that cannot be opened fails that message alone: the round's
    /// others, some already sent, are still recorded.
    async fn try_one(
        &self,
        p: &Platform,
        msg: &store::Model,
        text: bool,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Outcome {
        let sent = async {
            let body = store::open_body(&p.secrets, msg)?;
            if text {
                let reference = msg.id.to_string();
                self.sms
                    .send_unsynced(&msg.recipient, &body, now, &reference)
                    .await?;
            } else {
                self.send_mail(p, msg, &body).await?;
            }
            anyhow::Ok(body)
        };
        match sent.await {
            Ok(body) => Outcome::Sent {
                redacted_body: store::redact(&body),
            },
            Err(e) => {
                tracing::warn!(message = %msg.id, channel = %msg.channel, error = %e, "delivery failed; will retry");
                Outcome::failed(msg.attempts, &e)
            }
        }
    }

    /// Sends the messages that are due; returns how many went out and
    /// whether mails carrying documents were left for later (`documents`
    /// false: a request's own delivery, where a code must not wait for a PDF).
    /// Safe to call from many tasks and instances at once: each message is claimed first.
    pub async fn deliver_due(
        &self,
        p: &Platform,
        documents: bool,
    ) -> Result<(usize, bool), sea_orm::DbErr> {
        let _turn = if documents {
            self.delivering_documents.lock().await
        } else {
            self.delivering.lock().await
        };
        let (db, now) = (&p.db, p.now());
        let started = std::time::Instant::now();
        let claimed = {
            let _gate = db.gate().await;
            store::claim_due(db, now, documents).await?
        };
        let mut tried = Vec::with_capacity(claimed.len());
        for msg in claimed {
            let text = msg.channel == "sms";
            let outcome = if started.elapsed() > store::SEND_WITHIN {
                Outcome::Released
            } else {
                self.try_one(p, &msg, text, now).await
            };
            tried.push((msg, text, outcome));
        }
        // Nothing is recorded sent before it is durable where it went: a
        // crash before the outcomes are written sends the round again once
        // its claims lapse.
        let texts = tried
            .iter()
            .any(|(_, text, o)| *text && matches!(o, Outcome::Sent { .. }));
        if texts && let Err(e) = self.sms.sync().await {
            tracing::warn!(error = %e, "the SMS outbox did not reach the disk; its texts are sent again later");
            for (msg, text, o) in tried.iter_mut() {
                if *text && matches!(o, Outcome::Sent { .. }) {
                    *o = Outcome::failed(msg.attempts, &e);
                }
            }
        }
        let sent = tried
            .iter()
            .filter(|(_, _, o)| matches!(o, Outcome::Sent { .. }))
            .count();
        let outcomes = tried.into_iter().map(|(m, _, o)| (m.id, o)).collect();
        store::settle(db, outcomes, now).await?;
        let deferred = !documents && store::documents_due(db, now).await?;
        Ok((sent, deferred))
    }
}
