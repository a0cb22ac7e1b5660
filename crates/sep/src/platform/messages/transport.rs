use chrono::{DateTime, SecondsFormat, Utc};
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;

/// The SMS gateway adapter. The default writes one JSON line per message to
/// `data/outbox/sms.jsonl` (`{"to","text","at"}`), where a person (or the demo
/// inbox page) can read it.
pub enum SmsTransport {
    File(PathBuf),
}

impl SmsTransport {
    pub async fn send(&self, to: &str, text: &str, at: DateTime<Utc>) -> anyhow::Result<()> {
        match self {
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
                file.sync_data().await?;
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

    fn build(from: &str, to: &str, subject: &str, body: &str) -> anyhow::Result<Message> {
        Ok(Message::builder()
            .from(from.parse()?)
            .to(to.parse()?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())?)
    }

    pub async fn send(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        match self {
            Self::Files { dir, from } => {
                let message = Self::build(from, to, subject, body)?;
                tokio::fs::create_dir_all(dir).await?;
                let name = format!("{}.eml", uuid::Uuid::now_v7());
                let tmp = dir.join(format!(".{name}.tmp"));
                // Written aside and renamed, so a reader never sees half a message.
                tokio::fs::write(&tmp, message.formatted()).await?;
                tokio::fs::rename(&tmp, dir.join(name)).await?;
                Ok(())
            }
            Self::Smtp { transport, from } => {
                transport
                    .send(Self::build(from, to, subject, body)?)
                    .await?;
                Ok(())
            }
        }
    }
}
