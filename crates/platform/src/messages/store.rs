use super::Channel;
use crate::db::Db;
use crate::secrets::Secrets;
use chrono::{DateTime, Duration, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{
    ConnectionTrait, QueryOrder, QuerySelect, QueryTrait, Set,
    sea_query::{Expr, ExprTrait},
};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outbound_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub created_at: DateTimeUtc,
    pub next_attempt_at: DateTimeUtc,
    pub claimed_until: Option<DateTimeUtc>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    /// `source:id` of a document the mail carries (see `AttachmentSource`).
    pub attachment: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub struct Outgoing<'a> {
    pub channel: Channel,
    pub to: &'a str,
    pub subject: Option<&'a str>,
    pub body: &'a str,
    pub attachment: Option<&'a str>,
}

/// Queues a message inside the caller's transaction. The body may hold a
/// one-time code: it is sealed until it is sent, then redacted (see [`mark_sent`]),
/// so that a copy of the database never yields a live code.
pub async fn enqueue(
    txn: &impl ConnectionTrait,
    secrets: &Secrets,
    now: DateTime<Utc>,
    msg: Outgoing<'_>,
) -> Result<Uuid, DbErr> {
    Ok(enqueue_all(txn, secrets, now, vec![msg]).await?[0])
}

/// [`enqueue`] for several messages in one statement; their ids, in order.
pub async fn enqueue_all(
    txn: &impl ConnectionTrait,
    secrets: &Secrets,
    now: DateTime<Utc>,
    msgs: Vec<Outgoing<'_>>,
) -> Result<Vec<Uuid>, DbErr> {
    let mut ids = Vec::with_capacity(msgs.len());
    let rows: Vec<ActiveModel> = msgs
        .into_iter()
        .map(|msg| {
            let id = Uuid::now_v7();
            ids.push(id);
            ActiveModel {
                id: Set(id),
                channel: Set(msg.channel.as_str().into()),
                recipient: Set(msg.to.into()),
                subject: Set(msg.subject.map(Into::into)),
                body: Set(secrets.seal(&body_context(id), msg.body)),
                created_at: Set(now),
                next_attempt_at: Set(now),
                claimed_until: Set(None),
                attempts: Set(0),
                last_error: Set(None),
                sent_at: Set(None),
                attachment: Set(msg.attachment.map(Into::into)),
            }
        })
        .collect();
    crate::db::insert_all(txn, rows).await?;
    Ok(ids)
}

fn body_context(id: Uuid) -> String {
    format!("outbound_messages.body/{id}")
}

/// The text of a message still waiting to be sent.
pub(super) fn open_body(secrets: &Secrets, msg: &Model) -> Result<String, DbErr> {
    secrets
        .open(&body_context(msg.id), &msg.body)
        .map_err(|e| DbErr::Custom(format!("message {} body: {e:?}", msg.id)))
}

/// What stays of a sent message: its text with every run of four or more
/// digits (codes, and the numbers around them) blotted out.
pub fn redact(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 4 {
            out.extend(std::iter::repeat_n('•', run.chars().count()));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in body.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Messages one delivery round claims at once: their claim and their
/// outcome are one write each for the whole round.
pub(super) const BATCH: u64 = 32;
const CLAIM_SECONDS: i64 = 60;
/// A round sends nothing once it has run this long, so no message is sent
/// after its claim could have lapsed and another sender taken it.
pub(super) const SEND_WITHIN: std::time::Duration = std::time::Duration::from_secs(30);
/// After this many failures a message stays in the table, visible, but is no longer tried.
pub const MAX_ATTEMPTS: i32 = 10;

/// Claims the messages due now (oldest first; with `documents` false only
/// those that carry no document) in one statement: the conditional update
/// is the claim, so two senders never get one message.
pub(super) async fn claim_due(
    db: &Db,
    now: DateTime<Utc>,
    documents: bool,
) -> Result<Vec<Model>, DbErr> {
    let unclaimed = || {
        Column::ClaimedUntil
            .is_null()
            .or(Column::ClaimedUntil.lt(now))
    };
    let mut due = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::SentAt.is_null())
        .filter(Column::NextAttemptAt.lte(now))
        .filter(Column::Attempts.lt(MAX_ATTEMPTS))
        .filter(unclaimed());
    if !documents {
        due = due.filter(Column::Attachment.is_null());
    }
    let due = due
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .limit(BATCH)
        .into_query();
    let mut claimed = Entity::update_many()
        .col_expr(
            Column::ClaimedUntil,
            Expr::value(now + Duration::seconds(CLAIM_SECONDS)),
        )
        .filter(Column::Id.in_subquery(due))
        // Again on the row itself: PostgreSQL re-checks it once a rival's
        // claim of the same row has committed.
        .filter(Column::SentAt.is_null())
        .filter(unclaimed())
        .exec_with_returning(&**db)
        .await?;
    claimed.sort_by_key(|a| (a.created_at, a.id));
    Ok(claimed)
}

/// Whether a mail with a document is waiting to be sent.
pub(super) async fn documents_due(db: &Db, now: DateTime<Utc>) -> Result<bool, DbErr> {
    Ok(Entity::find()
        .filter(Column::Attachment.is_not_null())
        .filter(Column::SentAt.is_null())
        .filter(Column::NextAttemptAt.lte(now))
        .filter(Column::Attempts.lt(MAX_ATTEMPTS))
        .one(&**db)
        .await?
        .is_some())
}

/// What became of one claimed message.
pub(super) enum Outcome {
    Sent {
        redacted_body: String,
    },
    Failed {
        attempts: i32,
        error: String,
    },
    /// Not tried: the round ran out of time. Its claim is given back.
    Released,
}

impl Outcome {
    /// The failure of a message tried `attempts` times before.
    pub(super) fn failed(attempts: i32, error: &anyhow::Error) -> Self {
        Self::Failed {
            attempts: attempts + 1,
            error: error.to_string(),
        }
    }
}

/// Writes a round's outcomes in one transaction.
pub(super) async fn settle(
    db: &Db,
    outcomes: Vec<(Uuid, Outcome)>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if outcomes.is_empty() {
        return Ok(());
    }
    let txn = db.begin().await?;
    for (id, outcome) in outcomes {
        let update = Entity::update_many()
            .col_expr(
                Column::ClaimedUntil,
                Expr::value(Option::<DateTimeUtc>::None),
            )
            .filter(Column::Id.eq(id));
        let update = match outcome {
            Outcome::Sent { redacted_body } => update
                .col_expr(Column::SentAt, Expr::value(now))
                .col_expr(Column::Body, Expr::value(redacted_body))
                .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1)),
            Outcome::Failed { attempts, error } => {
                // After the first failure 30 s, then 1 min, 2 min, … capped at an hour.
                let backoff =
                    Duration::seconds(Ord::min(30i64 << (attempts - 1).clamp(0, 7), 3600));
                update
                    .col_expr(Column::Attempts, Expr::value(attempts))
                    .col_expr(Column::LastError, Expr::value(error))
                    .col_expr(Column::NextAttemptAt, Expr::value(now + backoff))
            }
            Outcome::Released => update,
        };
        update.exec(&*txn).await?;
    }
    txn.commit().await
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn a_sent_message_keeps_no_code() {
        assert_eq!(
            redact("СЭП: код для входа 123456. Никому его не сообщайте."),
            "СЭП: код для входа ••••••. Никому его не сообщайте."
        );
        assert_eq!(redact("до 24.11.2026"), "до 24.11.••••");
        assert_eq!(redact("осталось 2 попытки"), "осталось 2 попытки");
        assert_eq!(redact("9999"), "••••");
    }

    proptest::proptest! {
        /// Whatever the text, no four digits in a row survive redaction.
        #[test]
        fn no_code_survives(text in "[0-9 а-яa-z.:•]{0,80}") {
            let out = redact(&text);
            let mut run = 0;
            for c in out.chars() {
                run = if c.is_ascii_digit() { run + 1 } else { 0 };
                proptest::prop_assert!(run < 4, "{out}");
            }
            proptest::prop_assert_eq!(out.chars().count(), text.chars().count());
        }
    }
}
