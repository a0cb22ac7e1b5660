//! «Мои документы»: a person's documents — the list with filters, the PDF
//! and its signature, sending it by email, ordering it by post.

use super::views::{DocumentView, view, views};
use crate::{store, store::Filter, store::document as row, store::postal};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::NaiveDate;
use sep_identity::service::Principal;
use sep_kernel::{Address, FieldError, Postcode, RegionCode};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::clock::start_of_local_day;
use sep_platform::{error::AppError, error::Result};
use sep_platform::{
    messages, messages::Attachment, messages::AttachmentSource, messages::Channel,
    messages::Outgoing,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub kind: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// true: only revoked; false: only standing.
    pub revoked: Option<bool>,
}

pub async fn list(p: &Platform, who: &Principal, q: &ListQuery) -> Result<Vec<DocumentView>> {
    if let (Some(from), Some(to)) = (q.from, q.to)
        && from > to
    {
        return Err(AppError::field("from", "period-reversed"));
    }
    let kind = q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty());
    if let Some(k) = kind
        && crate::model::Kind::parse(k).is_none()
    {
        return Err(AppError::field("kind", "document-kind-unknown"));
    }
    let filter = Filter {
        kind: kind.map(Into::into),
        from: q.from.map(start_of_local_day),
        until: q.to.map(|d| start_of_local_day(d + chrono::Days::new(1))),
        revoked: q.revoked,
    };
    views(p, store::list(&*p.db, who.user_id, &filter).await?).await
}

/// The holder's document; anyone else's is "not found".
async fn own(p: &Platform, who: &Principal, id: Uuid) -> Result<row::Model> {
    store::get(&*p.db, id)
        .await?
        .filter(|d| d.owner_id == who.user_id)
        .ok_or(AppError::NotFound)
}

fn ready(d: &row::Model) -> Result<(&str, &str)> {
    match (
        d.state.as_str(),
        d.sha256.as_deref(),
        d.signature.as_deref(),
    ) {
        (store::ISSUED, Some(sha), Some(sig)) => Ok((sha, sig)),
        _ => Err(AppError::conflict(
            "document-not-ready",
            vec![("number", d.number.clone())],
        )),
    }
}

pub async fn get(p: &Platform, who: &Principal, id: Uuid) -> Result<DocumentView> {
    view(p, own(p, who, id).await?).await
}

fn file_stem(d: &row::Model) -> String {
    d.number.replace(['/', ' '], "-")
}

async fn pdf_of(p: &Platform, d: &row::Model) -> Result<(String, Vec<u8>)> {
    let (sha, _) = ready(d)?;
    let bytes = p.blobs.get(sha).await?;
    Ok((format!("{}.pdf", file_stem(d)), bytes))
}

pub async fn pdf(p: &Platform, who: &Principal, id: Uuid) -> Result<(String, Vec<u8>)> {
    pdf_of(p, &own(p, who, id).await?).await
}

/// The detached CMS signature (`.sig`, DER) of the document's PDF.
pub async fn signature(p: &Platform, who: &Principal, id: Uuid) -> Result<(String, Vec<u8>)> {
    let d = own(p, who, id).await?;
    let (_, sig) = ready(&d)?;
    let bytes = B64
        .decode(sig)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("signature of {id}: {e}")))?;
    Ok((format!("{}.pdf.sig", file_stem(&d)), bytes))
}

#[derive(Debug, Serialize)]
pub struct Emailed {
    /// Where it goes, masked («a***@example.ru»).
    pub sent_to: String,
}

/// Sends the document's PDF to the holder's confirmed email.
pub async fn email(p: &Platform, client: &Client, who: &Principal, id: Uuid) -> Result<Emailed> {
    let d = own(p, who, id).await?;
    ready(&d)?;
    let (_, email) = sep_identity::service::contacts_of(&*p.db, who.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = p.now();
    let subject = format!("СЭП: {} № {}", d.title, d.number);
    let body = format!(
        "{} № {} — во вложении.\nПодлинность можно проверить по QR-коду на документе.\n",
        d.title, d.number
    );
    let attachment = attachment_ref(id);
    let txn = p.db.begin().await?;
    messages::enqueue(
        &*txn,
        &p.secrets,
        now,
        Outgoing {
            channel: Channel::Email,
            to: &email,
            subject: Some(&subject),
            body: &body,
            attachment: Some(&attachment),
        },
    )
    .await?;
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "documents.email",
        ("document", id.to_string()),
        json!({ "number": d.number }),
    )
    .await?;
    p.after_commit().await;
    Ok(Emailed {
        sent_to: sep_kernel::Email::parse(&email)
            .map(|e| e.masked())
            .unwrap_or(email),
    })
}

/// How mails name a document (see `platform::messages::AttachmentSource`).
pub const ATTACHMENT_SOURCE: &str = "documents.pdf";

fn attachment_ref(id: Uuid) -> String {
    format!("{ATTACHMENT_SOURCE}:{id}")
}

/// Reads documents for the mails that carry them.
pub struct DocumentMail;

#[async_trait::async_trait]
impl AttachmentSource for DocumentMail {
    async fn attachment(&self, p: &Platform, id: &str) -> anyhow::Result<Attachment> {
        let d = store::get(&*p.db, id.parse()?)
            .await?
            .ok_or_else(|| anyhow::anyhow!("document {id} is gone"))?;
        let (name, bytes) = pdf_of(p, &d)
            .await
            .map_err(|e| anyhow::anyhow!("document {id}: {e:?}"))?;
        Ok(Attachment {
            name,
            media_type: "application/pdf".into(),
            bytes,
        })
    }
}

#[derive(Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct PostalInput {
    /// Whom to hand it to; the holder's name when empty.
    pub recipient: String,
    pub postcode: String,
    pub region_code: String,
    pub delivery_address: String,
    /// The account's password: a paper copy leaves the account for any
    /// address, so a session alone is not enough.
    #[serde(skip_serializing)]
    pub password: String,
}

/// Orders a paper copy by post to an address the person gives (checked:
/// postcode, region, address line), once per document.
pub async fn order_postal(
    p: &Platform,
    client: &Client,
    who: &Principal,
    id: Uuid,
    input: PostalInput,
) -> Result<DocumentView> {
    let d = own(p, who, id).await?;
    let mut errors = Vec::new();
    let postcode = Postcode::parse(&input.postcode)
        .map_err(|r| errors.push(FieldError::new("postcode", r)))
        .ok();
    let region = RegionCode::parse(&input.region_code)
        .map_err(|r| errors.push(FieldError::new("region_code", r)))
        .ok();
    let line = Address::parse_line(&input.delivery_address)
        .map_err(|r| errors.push(FieldError::new("delivery_address", r)))
        .ok();
    let recipient = input
        .recipient
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if recipient.chars().count() > 200 || recipient.chars().any(char::is_control) {
        errors.push(FieldError::new(
            "recipient",
            sep_kernel::Rule("recipient-format"),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    sep_identity::service::confirm_password(
        p,
        client,
        who.user_id,
        &input.password,
        "documents.postal",
    )
    .await?;
    ready(&d)?;
    if d.revoked_at.is_some() {
        return Err(AppError::conflict(
            "document-revoked",
            vec![("number", d.number.clone())],
        ));
    }
    let recipient = if recipient.is_empty() {
        sep_identity::service::full_name_of(p, who.user_id)
            .await?
            .unwrap_or_default()
    } else {
        recipient
    };
    let delivery = json!({
        "recipient": recipient,
        "postcode": postcode.map(|c| c.as_str().to_string()),
        "region_code": region.map(|r| r.to_string()),
        "address": line,
    });
    let now = p.now();
    let order_id = Uuid::now_v7();
    let txn = p.db.begin().await?;
    store::insert_postal(
        &*txn,
        postal::Model {
            id: order_id,
            document_id: id,
            owner_id: who.user_id,
            delivery: p.secrets.seal(
                &format!("postal_orders.delivery/{order_id}"),
                &delivery.to_string(),
            ),
            state: "requested".into(),
            created_at: now,
            updated_at: now,
        },
    )
    .await
    .map_err(|e| {
        sep_platform::db::taken_or(e, &store::POSTAL_KEY, "document", "postal-already-ordered")
    })?;
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "documents.postal",
        ("document", id.to_string()),
        json!({ "postal_order": order_id }),
    )
    .await?;
    get(p, who, id).await
}
