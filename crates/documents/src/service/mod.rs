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

/// Tells the holder about their document.
async fn tell_holder(
    txn: &impl sea_orm::ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    doc: &document::Model,
    change: crate::events::Change,
) -> Result<(), sea_orm::DbErr> {
    let event = crate::events::DocumentChanged {
        document_id: doc.id,
        owner_id: doc.owner_id,
        number: doc.number.clone(),
        title: doc.title.clone(),
        change,
    };
    sep_platform::events::publish(txn, now, &event)
        .await
        .map(|_| ())
}
