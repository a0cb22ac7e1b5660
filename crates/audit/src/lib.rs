//! The audit journal: an append-only, hash-chained record of every state-changing
//! action (who, what, which object, when, from where, with what result).
//!
//! Every context appends through [`append`], inside the transaction of the change
//! it records, so the record and the change commit or vanish together. Each
//! record's hash covers the previous record's hash; [`verify`] recomputes the
//! chain and names the first record that was altered, removed or inserted.

pub mod migration;
mod model;
mod store;

pub use model::{Entry, GENESIS, Record, chain_hash};
pub use store::{Verdict, append, append_all, list_for_actor, verify};

/// Records a successful change by `actor` from `client`, inside the change's transaction.
pub async fn log(
    txn: &impl sea_orm::ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    client: &sep_platform::client::Client,
    actor: Option<uuid::Uuid>,
    action: &str,
    object: (&str, String),
    details: serde_json::Value,
) -> Result<(), sea_orm::DbErr> {
    append(
        txn,
        now,
        Entry {
            actor,
            action,
            object_type: object.0,
            object_id: object.1,
            ip: &client.ip,
            result: "ok",
            details,
        },
    )
    .await
    .map(|_| ())
}

/// One change for [`log_all`]: actor, action, object (type, id), details.
pub type Change<'a> = (
    Option<uuid::Uuid>,
    String,
    (&'a str, String),
    serde_json::Value,
);

/// Records several successful changes by one client, as [`log`] does one,
/// in the statements of one.
pub async fn log_all(
    txn: &impl sea_orm::ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    client: &sep_platform::client::Client,
    changes: Vec<Change<'_>>,
) -> Result<(), sea_orm::DbErr> {
    let entries = changes
        .iter()
        .map(|(actor, action, object, details)| Entry {
            actor: *actor,
            action,
            object_type: object.0,
            object_id: object.1.clone(),
            ip: &client.ip,
            result: "ok",
            details: details.clone(),
        })
        .collect();
    append_all(txn, now, entries).await.map(|_| ())
}

/// Records a successful change (as [`log`]) and commits the transaction that
/// made it: the common ending of an audited change.
pub async fn commit(
    txn: sep_platform::db::Txn,
    now: chrono::DateTime<chrono::Utc>,
    client: &sep_platform::client::Client,
    actor: Option<uuid::Uuid>,
    action: &str,
    object: (&str, String),
    details: serde_json::Value,
) -> Result<(), sea_orm::DbErr> {
    log(&*txn, now, client, actor, action, object, details).await?;
    txn.commit().await
}
