use super::Channel;
use crate::db::Db;
use crate::secrets::Secrets;
use chrono::{DateTime, Duration, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{
    ConnectionTrait, QueryOrder, QuerySelect, Set,
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
    let id = Uuid::now_v7();
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
    .insert(txn)
    .await?;
    Ok(id)
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

const BATCH: u64 = 100;
const CLAIM_SECONDS: i64 = 60;
/// After this many failures a message stays in the table, visible, but is no longer tried.
pub const MAX_ATTEMPTS: i32 = 10;

/// Messages due now, oldest first; with `documents` false only those that
/// carry no document.
pub(super) async fn due(db: &Db, now: DateTime<Utc>, documents: bool) -> Result<Vec<Model>, DbErr> {
    let mut q = Entity::find();
    if !documents {
        q = q.filter(Column::Attachment.is_null());
    }
    q.filter(Column::SentAt.is_null())
        .filter(Column::NextAttemptAt.lte(now))
        .filter(Column::Attempts.lt(MAX_ATTEMPTS))
        .filter(
            Column::ClaimedUntil
                .is_null()
                .or(Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .limit(BATCH)
        .all(&**db)
        .await
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

/// A conditional update is the claim: only one sender sees one row changed.
pub(super) async fn claim(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let res = Entity::update_many()
        .col_expr(
            Column::ClaimedUntil,
            Expr::value(now + Duration::seconds(CLAIM_SECONDS)),
        )
        .filter(Column::Id.eq(id))
        .filter(Column::SentAt.is_null())
        .filter(
            Column::ClaimedUntil
                .is_null()
                .or(Column::ClaimedUntil.lt(now)),
        )
        .exec(&**db)
        .await?;
    Ok(res.rows_affected == 1)
}

pub(super) async fn mark_sent(
    db: &Db,
    id: Uuid,
    redacted_body: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::SentAt, Expr::value(now))
        .col_expr(Column::Body, Expr::value(redacted_body))
        .col_expr(
            Column::ClaimedUntil,
            Expr::value(Option::<DateTimeUtc>::None),
        )
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .filter(Column::Id.eq(id))
        .exec(&**db)
        .await?;
    Ok(())
}

pub(super) async fn mark_failed(
    db: &Db,
    id: Uuid,
    attempts: i32,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // 30 s, 1 min, 2 min, … capped at an hour.
    let backoff = Duration::seconds(Ord::min(30i64 << attempts.clamp(0, 7), 3600));
    Entity::update_many()
        .col_expr(Column::Attempts, Expr::value(attempts))
        .col_expr(Column::LastError, Expr::value(error))
        .col_expr(Column::NextAttemptAt, Expr::value(now + backoff))
        .col_expr(
            Column::ClaimedUntil,
            Expr::value(Option::<DateTimeUtc>::None),
        )
        .filter(Column::Id.eq(id))
        .exec(&**db)
        .await?;
    Ok(())
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
