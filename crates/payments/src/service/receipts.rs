//! Receipts of successful payments: the PDF for the payer (download and
//! mail) and the public check the receipt's QR code leads to.

use super::pay::own;
use crate::{model::Receipt, model::ReceiptLine};
use crate::{store, store::intent as row};
use chrono::{DateTime, Utc};
use sep_identity::service::full_name_of;
use sep_platform::Platform;
use sep_platform::{error::AppError, error::Result};
use sep_platform::{messages::Attachment, messages::AttachmentSource};
use serde::Serialize;
use subtle::ConstantTimeEq;
use uuid::Uuid;

/// The unguessable part of a receipt's public address: whoever holds the
/// receipt can check it; nobody can walk the operation numbers.
fn check_code(p: &Platform, id: Uuid) -> String {
    p.secrets.mac("payments.receipt-check", id.as_bytes())[..20].to_string()
}

pub fn check_path(p: &Platform, id: Uuid) -> String {
    format!("/receipts/{id}/{}", check_code(p, id))
}

async fn compose(p: &Platform, intent: &row::Model) -> Result<Receipt> {
    let (Some(number), Some(paid_at), "succeeded") = (
        &intent.operation_number,
        intent.settled_at,
        intent.state.as_str(),
    ) else {
        return Err(AppError::conflict(
            "receipt-not-ready",
            vec![("state", format!("payment-state-{}", intent.state))],
        ));
    };
    let paid = store::intent_charges(&*p.db, vec![intent.id]).await?;
    let charges =
        store::charges_by_uin(&*p.db, paid.iter().map(|c| c.uin.clone()).collect()).await?;
    let lines = paid
        .iter()
        .filter_map(|line| {
            let c = charges.iter().find(|c| c.uin == line.uin)?;
            Some(ReceiptLine {
                uin: c.uin.clone(),
                purpose: c.purpose.clone(),
                payee_name: c.payee_name.clone(),
                payee_inn: c.payee_inn.clone(),
                payee_kpp: c.payee_kpp.clone(),
                payee_bik: c.payee_bik.clone(),
                payee_account: c.payee_account.clone(),
                amount_kopecks: line.amount_kopecks,
            })
        })
        .collect();
    Ok(Receipt {
        operation_number: number.clone(),
        paid_at,
        payer: full_name_of(p, intent.owner_id)
            .await?
            .unwrap_or_else(|| "—".into()),
        method: intent.method.clone(),
        card: intent.card_mask.clone(),
        acquirer_payment_id: intent.acquirer_payment_id.clone(),
        amount_kopecks: intent.amount_kopecks,
        lines,
        check_url: format!("{}{}", p.config.public_url(), check_path(p, intent.id)),
    })
}

/// The payer's receipt of their payment `id` (409 until it has succeeded).
pub async fn receipt(
    p: &Platform,
    who: &sep_identity::service::Principal,
    id: Uuid,
) -> Result<Receipt> {
    compose(p, &own(p, who, id).await?).await
}

/// The receipt's PDF and its file name, for anyone the receipt is for.
pub async fn receipt_pdf(p: &Platform, intent_id: Uuid) -> Result<(String, Vec<u8>)> {
    let intent = store::intent(&*p.db, intent_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let receipt = compose(p, &intent).await?;
    let name = receipt.file_name();
    // Font subsetting takes a few milliseconds of CPU: off the reactor.
    let bytes = p
        .workers
        .run(sep_platform::workers::Work::Documents, move || {
            receipt.render()
        })
        .await?;
    Ok((name, bytes))
}

/// How mails name a receipt (see `platform::messages::AttachmentSource`).
pub const ATTACHMENT_SOURCE: &str = "payments.receipt";

pub fn attachment_ref(intent_id: Uuid) -> String {
    format!("{ATTACHMENT_SOURCE}:{intent_id}")
}

/// Renders receipts for the mails that carry them.
pub struct ReceiptMail;

#[async_trait::async_trait]
impl AttachmentSource for ReceiptMail {
    async fn attachment(&self, p: &Platform, id: &str) -> anyhow::Result<Attachment> {
        let (name, bytes) = receipt_pdf(p, id.parse()?)
            .await
            .map_err(|e| anyhow::anyhow!("receipt {id}: {e:?}"))?;
        Ok(Attachment {
            name,
            media_type: "application/pdf".into(),
            bytes,
        })
    }
}

/// What the public check shows: enough to tell a genuine receipt from a
/// forged one, with the payer's name masked.
#[derive(Debug, Serialize)]
pub struct ReceiptCheck {
    pub genuine: bool,
    pub operation_number: String,
    pub paid_at: DateTime<Utc>,
    pub amount_kopecks: i64,
    pub payer: String,
    pub method: String,
    pub charges: Vec<CheckedCharge>,
    /// Whether the money was later returned (a refund of a top-up).
    pub refunded_kopecks: i64,
}

#[derive(Debug, Serialize)]
pub struct CheckedCharge {
    pub uin: String,
    pub payee_name: String,
    pub amount_kopecks: i64,
}

/// The public check of a receipt. A wrong code is "not found", exactly like
/// an unknown payment: the answer must not confirm that a payment exists.
pub async fn check(p: &Platform, id: Uuid, code: &str) -> Result<ReceiptCheck> {
    let expected = check_code(p, id);
    if !bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
        return Err(AppError::NotFound);
    }
    let intent = store::intent(&*p.db, id).await?.ok_or(AppError::NotFound)?;
    let receipt = compose(p, &intent).await.map_err(|_| AppError::NotFound)?;
    let refunded_kopecks = store::refunds_of_intents(&*p.db, vec![id])
        .await?
        .iter()
        .filter(|r| r.state == "succeeded")
        .map(|r| r.amount_kopecks)
        .sum();
    Ok(ReceiptCheck {
        genuine: true,
        operation_number: receipt.operation_number,
        paid_at: receipt.paid_at,
        amount_kopecks: receipt.amount_kopecks,
        payer: sep_identity::model::masked_full_name(&receipt.payer),
        method: receipt.method,
        charges: receipt
            .lines
            .into_iter()
            .map(|l| CheckedCharge {
                uin: l.uin,
                payee_name: l.payee_name,
                amount_kopecks: l.amount_kopecks,
            })
            .collect(),
        refunded_kopecks,
    })
}
