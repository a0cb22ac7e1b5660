//! How a document is shown to its holder.

use super::issue::verify_path;
use crate::{store, store::document as row, store::postal};
use chrono::{DateTime, Utc};
use sep_platform::Platform;
use sep_platform::error::Result;
use serde::Serialize;
use std::collections::HashMap;
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

/// Documents as their holder sees them: agency names and postal orders
/// read once for the lot.
pub async fn views(p: &Platform, rows: Vec<row::Model>) -> Result<Vec<DocumentView>> {
    let names = sep_contracts::catalog::catalogue(p).agency_names(p).await?;
    let mut postal = store::postal_of(&*p.db, rows.iter().map(|d| d.id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|d| {
            let order = postal
                .iter()
                .position(|o| o.document_id == d.id)
                .map(|i| postal.swap_remove(i));
            shown(p, d, order, &names)
        })
        .collect())
}

pub async fn view(p: &Platform, d: row::Model) -> Result<DocumentView> {
    Ok(views(p, vec![d]).await?.remove(0))
}

fn shown(
    p: &Platform,
    d: row::Model,
    postal: Option<postal::Model>,
    names: &HashMap<String, String>,
) -> DocumentView {
    DocumentView {
        postal: postal.map(|o| PostalView {
            id: o.id,
            state: o.state,
            created_at: o.created_at,
        }),
        verify_url: format!("{}{}", p.config.public_url(), verify_path(&d.token)),
        agency: names
            .get(&d.agency_code)
            .cloned()
            .unwrap_or_else(|| d.agency_code.clone()),
        id: d.id,
        number: d.number,
        kind: d.kind,
        title: d.title,
        agency_code: d.agency_code,
        state: d.state,
        requested_at: d.requested_at,
        issued_at: d.issued_at,
        sha256: d.sha256,
        streebog256: d.streebog,
        size_bytes: d.size_bytes,
        application_id: d.application_id,
        revoked_at: d.revoked_at,
        revoked_reason: d.revoked_reason,
    }
}
