//! «Документы для поиска начислений»: the driver licences and vehicle
//! certificates (СТС) a person adds so that traffic fines posted against
//! them appear in their «Начисления».

use super::charges::{licence_lookup, vehicle_lookup};
use crate::{store, store::PAYER_DOCUMENT_KEY, store::payer_document as row};
use chrono::{DateTime, Utc};
use sep_identity::service::Principal;
use sep_kernel::{DriverLicence, FieldError, Rule, VehicleCertificate};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::db::taken_or;
use sep_platform::{error::AppError, error::Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PayerDocumentInput {
    /// driver_licence, vehicle_certificate
    pub kind: String,
    pub number: String,
}

#[derive(Debug, Serialize)]
pub struct PayerDocumentView {
    pub id: Uuid,
    pub kind: String,
    /// As printed: «77 УС 123456».
    pub number: String,
    pub created_at: DateTime<Utc>,
}

fn context(owner: Uuid) -> String {
    format!("payer_documents.number/{owner}")
}

/// The document checked: its kind, printed form and lookup hash.
fn checked(p: &Platform, input: &PayerDocumentInput) -> Result<(&'static str, String, String)> {
    let invalid = |field: &'static str, r: Rule| AppError::Invalid(vec![FieldError::new(field, r)]);
    match input.kind.as_str() {
        "driver_licence" => {
            let l = DriverLicence::parse(&input.number).map_err(|r| invalid("number", r))?;
            Ok(("driver_licence", l.to_string(), licence_lookup(p, &l)))
        }
        "vehicle_certificate" => {
            let v = VehicleCertificate::parse(&input.number).map_err(|r| invalid("number", r))?;
            Ok(("vehicle_certificate", v.to_string(), vehicle_lookup(p, &v)))
        }
        _ => Err(invalid("kind", Rule("payer-document-kind"))),
    }
}

pub async fn payer_documents(p: &Platform, who: &Principal) -> Result<Vec<PayerDocumentView>> {
    store::payer_documents(&*p.db, who.user_id)
        .await?
        .into_iter()
        .map(|d| {
            Ok(PayerDocumentView {
                number: p
                    .secrets
                    .open(&context(who.user_id), &d.number)
                    .map_err(|e| AppError::Internal(anyhow::anyhow!("payer document: {e:?}")))?,
                id: d.id,
                kind: d.kind,
                created_at: d.created_at,
            })
        })
        .collect()
}

pub async fn add_payer_document(
    p: &Platform,
    client: &Client,
    who: &Principal,
    input: PayerDocumentInput,
) -> Result<PayerDocumentView> {
    let (kind, number, lookup) = checked(p, &input)?;
    let now = p.now();
    let id = Uuid::now_v7();
    let txn = p.db.begin().await?;
    let row = row::Model {
        id,
        owner_id: who.user_id,
        kind: kind.into(),
        number: p.secrets.seal(&context(who.user_id), &number),
        lookup,
        created_at: now,
    };
    store::insert_payer_document(&*txn, row)
        .await
        .map_err(|e| taken_or(e, &PAYER_DOCUMENT_KEY, "number", "payer-document-exists"))?;
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "payer_document.add",
        ("payer_document", id.to_string()),
        json!({ "kind": kind }),
    )
    .await?;
    Ok(PayerDocumentView {
        id,
        kind: kind.into(),
        number,
        created_at: now,
    })
}

pub async fn remove_payer_document(
    p: &Platform,
    client: &Client,
    who: &Principal,
    id: Uuid,
) -> Result<()> {
    let now = p.now();
    let txn = p.db.begin().await?;
    if !store::remove_payer_document(&*txn, who.user_id, id).await? {
        return Err(AppError::NotFound);
    }
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "payer_document.remove",
        ("payer_document", id.to_string()),
        json!({}),
    )
    .await?;
    Ok(())
}
