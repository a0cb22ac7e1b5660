//! Withdrawing an issued document (an error in it, a court's ruling): the
//! file stays with its holder, but every check of it now says «отозван»,
//! with when and why.

use super::views::{DocumentView, view};
use crate::store;
use sep_identity::model::Role;
use sep_identity::service::Principal;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RevokeInput {
    pub reason: String,
}

/// Revokes document `id` (or the one numbered so) for `reason`. Only
/// administrators (and operators at the command line, `who` = None).
pub async fn revoke(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    id_or_number: &str,
    input: RevokeInput,
) -> Result<DocumentView> {
    if who.is_some_and(|w| !w.has(Role::Admin)) {
        return Err(AppError::Forbidden);
    }
    let reason = input
        .reason
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if reason.chars().count() < 5 {
        return Err(AppError::field("reason", "revoke-reason-short"));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::field("reason", "revoke-reason-long"));
    }
    let doc = match id_or_number.parse::<Uuid>() {
        Ok(id) => store::get(&*p.db, id).await?,
        Err(_) => store::by_number(&*p.db, id_or_number.trim()).await?,
    }
    .ok_or(AppError::NotFound)?;
    let now = p.now();
    let txn = p.db.begin().await?;
    if !store::revoke(&*txn, doc.id, now, &reason).await? {
        let rule = if doc.revoked_at.is_some() {
            "document-already-revoked"
        } else {
            "document-not-ready"
        };
        return Err(AppError::conflict(
            rule,
            vec![("number", doc.number.clone())],
        ));
    }
    super::tell_holder(
        &*txn,
        now,
        &doc,
        crate::events::Change::Revoked {
            comment: reason.to_string(),
        },
    )
    .await?;
    sep_audit::commit(
        txn,
        now,
        client,
        who.map(|w| w.user_id),
        "documents.revoke",
        ("document", doc.id.to_string()),
        json!({ "number": doc.number, "reason": reason }),
    )
    .await?;
    p.after_commit().await;
    let row = store::get(&*p.db, doc.id)
        .await?
        .ok_or(AppError::NotFound)?;
    view(p, row).await
}
