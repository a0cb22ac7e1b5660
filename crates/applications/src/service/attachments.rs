//! Files attached to applications: PDF, JPEG or PNG by their content (not by
//! their name), at most 5 MB, stored encrypted and content-addressed.

use super::readable;
use crate::{model::upload_check, model::upload_check::Refusal};
use crate::{store, store::attachment};
use sep_identity::service::Principal;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use serde_json::json;
use uuid::Uuid;

pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
const MAX_NAME: usize = 200;

pub use sep_contracts::applications::AttachmentView;

impl From<attachment::Model> for AttachmentView {
    fn from(m: attachment::Model) -> Self {
        Self {
            id: m.id,
            file_name: m.file_name,
            media_type: m.media_type,
            size: m.size,
            digest: m.digest,
            created_at: m.created_at,
        }
    }
}

/// The type by the file's first bytes. Three signatures are all the SPEC
/// accepts; a general detector would only widen what must be refused.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

/// The name as shown back: no directories, no control characters, bounded.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

pub async fn upload(
    p: &Platform,
    client: &Client,
    who: &Principal,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<AttachmentView> {
    if bytes.is_empty() {
        return Err(AppError::field("file", "file-empty"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::field("file", "file-too-large"));
    }
    let media_type = sniff(&bytes).ok_or_else(|| AppError::field("file", "file-type"))?;
    // Inflating streams and reading headers: in the files queue, off the reactor.
    let (bytes, verdict) = p
        .workers
        .run(sep_platform::workers::Work::Files, move || {
            let verdict = upload_check::check(media_type, &bytes);
            (bytes, verdict)
        })
        .await?;
    match verdict {
        Ok(()) => {}
        Err(Refusal::PdfBomb) => return Err(AppError::field("file", "file-pdf-bomb")),
        Err(Refusal::ImageTooLarge) => return Err(AppError::field("file", "file-image-too-large")),
    }
    let size = bytes.len() as i64;
    // The file is on disk before its row commits: a row never names a missing file.
    let digest = p.blobs.put(bytes).await?;
    let now = p.now();
    let row = attachment::Model {
        id: Uuid::now_v7(),
        owner_id: who.user_id,
        digest,
        size,
        media_type: media_type.into(),
        file_name: clean_name(file_name),
        created_at: now,
    };
    let txn = p.db.begin().await?;
    store::insert_attachment(&*txn, row.clone()).await?;
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "attachment.upload",
        ("attachment", row.id.to_string()),
        json!({ "size": size, "media_type": media_type }),
    )
    .await?;
    Ok(row.into())
}

/// A file's bytes, for its owner or whoever may read an application it is
/// attached to.
pub async fn download(
    p: &Platform,
    who: &Principal,
    id: Uuid,
) -> Result<(AttachmentView, Vec<u8>)> {
    let meta = store::attachment(&*p.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut allowed = meta.owner_id == who.user_id;
    if !allowed {
        for app in store::applications_with_file(&*p.db, id).await? {
            if readable(p, who, app).await.is_ok() {
                allowed = true;
                break;
            }
        }
    }
    if !allowed {
        return Err(AppError::NotFound);
    }
    let bytes = p.blobs.get(&meta.digest).await?;
    Ok((meta.into(), bytes))
}

/// The description (no bytes) of one of `owner`'s uploads, for showing what
/// was attached in an earlier post of a form.
pub async fn attachment_meta(
    p: &Platform,
    owner: Uuid,
    id: Uuid,
) -> Result<Option<AttachmentView>> {
    Ok(store::attachment(&*p.db, id)
        .await?
        .filter(|a| a.owner_id == owner)
        .map(Into::into))
}

/// Everything the person uploaded (for «Мои документы»).
pub async fn my_uploads(p: &Platform, who: &Principal) -> Result<Vec<AttachmentView>> {
    Ok(store::attachments_of(&*p.db, who.user_id)
        .await?
        .into_iter()
        .map(AttachmentView::from)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_by_content_and_clean_names() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"MZ\x90\x00 an exe named scan.pdf"), None);
        assert_eq!(
            clean_name("C:\\Users\\me\\скан паспорта.pdf"),
            "скан паспорта.pdf"
        );
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("\u{0}\n"), "file");
    }
}
