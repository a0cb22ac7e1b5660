use chrono::{DateTime, SecondsFormat, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment as LettreAttachment, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;

/// The SMS gateway adapter. The default writes one JSON line per message to
/// `data/outbox/sms.jsonl` (`{"to","text","at"}`), where a person (or the demo
/// inbox page) can read it.
pub enum SmsTransport {
    /// The demo's: a JSON-lines file the demo SMS page reads. It keeps codes
    /// readable, so `sep serve` uses it only in demo mode.
    File(PathBuf),
    /// An SMS gateway's HTTP API (the shipped sandbox gateway speaks it):
    /// `POST {url}/v1/messages` with a bearer token.
    Http {
        url: String,
        token: String,
        client: reqwest::Client,
    },
}

impl SmsTransport {
    pub fn http(url: &str, token: &str) -> anyhow::Result<Self> {
        Ok(Self::Http {
            url: url.trim_end_matches('/').to_string(),
            token: token.to_string(),
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .build()?,
        })
    }

    /// Sends `text` to `to`; `reference` names the message, so that a retry
    /// after a lost answer is the same message to the gateway.
    pub async fn send(
        &self,
        to: &str,
        text: &str,
        at: DateTime<Utc>,
        reference: &str,
    ) -> anyhow::Result<()> {
        self.send_unsynced(to, text, at, reference).await?;
        self.sync().await
    }

    /// Makes what `send_unsynced` wrote durable: a delivery round of many
    /// messages waits for the disk once, before it records them sent.
    pub async fn sync(&self) -> anyhow::Result<()> {
        match self {
            Self::Http { .. } => Ok(()),
            Self::File(path) => {
                // fsync is of the file, whichever descriptor asks.
                tokio::fs::OpenOptions::new()
                    .append(true)
                    .open(path)
                    .await?
                    .sync_data()
                    .await?;
                Ok(())
            }
        }
    }

    /// `send` without waiting for the demo file to reach the disk (the
    /// gateway's answer is its own acknowledgement).
    pub async fn send_unsynced(
        &self,
        to: &str,
        text: &str,
        at: DateTime<Utc>,
        reference: &str,
    ) -> anyhow::Result<()> {
        match self {
            Self::Http { url, token, client } => {
                let r = client
                    .post(format!("{url}/v1/messages"))
                    .bearer_auth(token)
                    .json(&serde_json::json!({ "to": to, "text": text, "reference": reference }))
                    .send()
                    .await?;
                anyhow::ensure!(
                    r.status().is_success(),
                    "the SMS gateway answered {}",
                    r.status()
                );
                Ok(())
            }
            Self::File(path) => {
                if let Some(dir) = path.parent() {
                    tokio::fs::create_dir_all(dir).await?;
                }
                let line = serde_json::json!({ "to": to, "text": text, "at": at.to_rfc3339_opts(SecondsFormat::Secs, true) });
                let mut file = tokio::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .await?;
                file.write_all(format!("{line}\n").as_bytes()).await?;
                Ok(())
            }
        }
    }
}

/// Email: `.eml` files in `data/outbox/mail/` by default, or a real SMTP server.
pub enum MailTransport {
    Files {
        dir: PathBuf,
        from: String,
    },
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: String,
    },
}

impl MailTransport {
    pub fn from_config(smtp_url: Option<&str>, from: &str, dir: PathBuf) -> anyhow::Result<Self> {
        from.parse::<lettre::message::Mailbox>()
            .map_err(|e| anyhow::anyhow!("SEP_MAIL_FROM: {e}"))?;
        Ok(match smtp_url {
            Some(url) => Self::Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build(),
                from: from.into(),
            },
            None => Self::Files {
                dir,
                from: from.into(),
            },
        })
    }

    fn build(from: &str, to: &str, mail: &Mail) -> anyhow::Result<Message> {
        let builder = Message::builder()
            .from(from.parse()?)
            .to(to.parse()?)
            .subject(mail.subject);
        Ok(match &mail.attachment {
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body.to_string())?,
            Some(a) => builder.multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(mail.body.to_string()))
                    .singlepart(
                        LettreAttachment::new(a.name.clone())
                            .body(a.bytes.clone(), ContentType::parse(&a.media_type)?),
                    ),
            )?,
        })
    }

    pub async fn send(&self, to: &str, mail: &Mail<'_>) -> anyhow::Result<()> {
        match self {
            Self::Files { dir, from } => {
                let message = Self::build(from, to, mail)?;
                tokio::fs::create_dir_all(dir).await?;
                let name = format!("{}.eml", uuid::Uuid::now_v7());
                let tmp = dir.join(format!(".{name}.tmp"));
                // Written aside and renamed, so a reader never sees half a message.
                tokio::fs::write(&tmp, message.formatted()).await?;
                tokio::fs::rename(&tmp, dir.join(name)).await?;
                Ok(())
            }
            Self::Smtp { transport, from } => {
                transport.send(Self::build(from, to, mail)?).await?;
                Ok(())
            }
        }
    }
}

/// One mail as the transport sends it.
pub struct Mail<'a> {
    pub subject: &'a str,
    pub body: &'a str,
    pub attachment: Option<Attachment>,
}

/// A document a mail carries.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}
