//! Step-up: an action that could lock the owner out or move their money asks
//! for the password again, whatever the session. A wrong password counts like
//! a wrong login, so that a stolen session is no free password oracle.

use super::login::announce_lock;
use super::record;
use crate::store;
use crate::{model::LockReason, model::password};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use serde_json::json;
use uuid::Uuid;

/// Checks the account's password for `action`; a wrong one is journalled,
/// counted and refused on the `password` field. A lock it causes ends every session.
pub async fn confirm_password(
    p: &Platform,
    client: &Client,
    user_id: Uuid,
    typed: &str,
    action: &str,
) -> Result<()> {
    if typed.is_empty() {
        return Err(AppError::field("password", "required"));
    }
    let u = store::user_by_id(&*p.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (typed, phc) = (typed.to_string(), u.password_hash.clone());
    let right = p
        .workers
        .run(sep_platform::workers::Work::Password, move || {
            password::verify_secret(&typed, &phc)
        })
        .await?;
    if right {
        store::clear_failures(&*p.db, u.id, LockReason::Password).await?;
        return Ok(());
    }
    let now = p.now();
    let txn = p.db.begin().await?;
    let locked = store::count_failure(&*txn, u.id, LockReason::Password, now).await?;
    record(
        p,
        &*txn,
        client,
        Some(u.id),
        action,
        ("user", u.id.to_string()),
        "denied",
        json!({ "reason": "password-wrong" }),
    )
    .await?;
    if let Some(until) = locked {
        announce_lock(p, &*txn, client, &u, LockReason::Password, until).await?;
        store::end_all_sessions(&*txn, u.id, "locked", now).await?;
    }
    txn.commit().await?;
    if locked.is_some() {
        store::recent::changed();
        p.bus.session_ended(u.id);
    }
    p.flush_messages().await;
    Err(AppError::field("password", "password-wrong"))
}
