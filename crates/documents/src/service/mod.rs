//! Documents in use: ordering and issuing, the holder's «Мои документы»,
//! the public check, revocation.

mod decision;
mod issue;
mod mine;
mod postal;
mod revoke;
mod verify;
mod views;

pub use decision::DecisionWatcher;
pub use issue::{OrderInput, Ordered, issue, issue_pending, order, request_decision, verify_path};
pub use mine::{
    ATTACHMENT_SOURCE, DocumentMail, Emailed, ListQuery, PostalInput, email, get, list,
    order_postal, pdf, signature,
};
pub use postal::{PostalOrderView, mark_postal, postal_orders};
pub use revoke::{RevokeInput, revoke};
pub use verify::{CheckView, CheckedDocument, DigestInput, Evidence, by_token, check, token_known};
pub use views::{DocumentView, PostalView};

use crate::store::document;

/// Tells the holder about their document (`document.issued`, `.revoked`,
/// `.postal`): its id, number and title, and what `more` adds.
async fn tell_holder(
    txn: &impl sea_orm::ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    kind: &str,
    doc: &document::Model,
    more: serde_json::Value,
) -> Result<(), sea_orm::DbErr> {
    let mut payload = serde_json::json!({
        "document_id": doc.id,
        "number": doc.number,
        "title": doc.title,
    });
    if let (Some(all), serde_json::Value::Object(extra)) = (payload.as_object_mut(), more) {
        all.extend(extra);
    }
    sep_platform::events::publish(
        txn,
        now,
        kind,
        doc.id.to_string(),
        vec![doc.owner_id],
        payload,
    )
    .await
    .map(|_| ())
}
