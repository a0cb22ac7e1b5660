//! How a document is shown to its holder.

use super::issue::verify_path;
use crate::documents::store::{self, document as row, postal};
use crate::platform::Platform;
use crate::platform::error::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub id: Uuid,
    pub number: String,
    pub kind: String,
    pub title: String,
    pub agency_code: String,
    pub agency: String,
    /// pending (being issued) or issued.
    pub state: String,
    pub requested_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub streebog256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<i64>,
    /// The public check the document's QR code leads to.
    pub verify_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal: Option<PostalView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PostalView {
    pub id: Uuid,
    /// requested, sent, delivered, cancelled.
    pub state: String,
    pub created_at: DateTime<Utc>,
}

impl DocumentView {
    pub fn issued(&self) -> bool {
        self.state == store::ISSUED
    }
}

pub async fn view(p: &Platform, d: row::Model, postal: Vec<postal::Model>) -> Result<DocumentView> {
    let agency = crate::catalog::service::agency_name(p, &d.agency_code)
        .await
        .unwrap_or_else(|_| d.agency_code.clone());
    Ok(DocumentView {
        postal: postal
            .into_iter()
            .find(|o| o.document_id == d.id)
            .map(|o| PostalView {
                id: o.id,
                state: o.state,
                created_at: o.created_at,
            }),
        verify_url: format!("{}{}", p.config.public_url, verify_path(&d.token)),
        id: d.id,
        number: d.number,
        kind: d.kind,
        title: d.title,
        agency_code: d.agency_code,
        agency,
        state: d.state,
        requested_at: d.requested_at,
        issued_at: d.issued_at,
        sha256: d.sha256,
        streebog256: d.streebog,
        size_bytes: d.size_bytes,
        application_id: d.application_id,
        revoked_at: d.revoked_at,
        revoked_reason: d.revoked_reason,
    })
}
