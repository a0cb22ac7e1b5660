//! The public check of a document: anyone holding the file (or its digest)
//! learns whether СЭП issued exactly these bytes, whether they were altered
//! and whether the document was revoked. Personal data is masked; every
//! check is written to the audit journal, whoever asks.

use super::issue::verify_path;
use crate::model::Verdict;
use crate::{store, store::document as row};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use sep_contracts::signatures::{SignatureCheck, signatures};
use sep_pki::digest::digests;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// What is checked.
pub enum Evidence {
    File(Vec<u8>),
    Digest(DigestInput),
    /// Only the address: what the QR code leads to.
    Nothing,
}

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct DigestInput {
    /// Hex, 64 characters.
    pub sha256: Option<String>,
    /// ГОСТ Р 34.11-2012 (256 bit), hex.
    pub streebog256: Option<String>,
    /// The token of the check's address, when the digest belongs to a
    /// document one already has in view.
    pub token: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CheckView {
    pub verdict: Verdict,
    pub checked_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<CheckedDocument>,
    /// The agency's signature over the uploaded bytes (file checks only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureCheck>,
}

#[derive(Debug, Serialize)]
pub struct CheckedDocument {
    pub number: String,
    pub title: String,
    pub agency: String,
    /// Masked: «П****** А. С.».
    pub holder: String,
    pub issued_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_reason: Option<String>,
    pub sha256: Option<String>,
    pub streebog256: Option<String>,
    pub verify_url: String,
}

fn hex_digest(field: &'static str, v: &str) -> Result<String> {
    let v = v.trim().to_ascii_lowercase();
    if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(v)
    } else {
        Err(AppError::field(field, "digest-format"))
    }
}

/// The check token printed in a PDF we issued (in its QR link), if any.
fn token_in(bytes: &[u8]) -> Option<String> {
    const MARK: &[u8] = b"/verify/";
    let mut at = 0;
    while let Some(i) = bytes[at..].windows(MARK.len()).position(|w| w == MARK) {
        let start = at + i + MARK.len();
        let candidate = bytes.get(start..start + 32)?;
        if candidate.iter().all(|b| b.is_ascii_hexdigit()) {
            return Some(String::from_utf8_lossy(candidate).into_owned());
        }
        at = start;
    }
    None
}

async fn issued_by_token(p: &Platform, token: &str) -> Result<Option<row::Model>> {
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    Ok(store::by_token(&*p.db, token)
        .await?
        .filter(|d| d.state == store::ISSUED))
}

async fn shown(p: &Platform, d: &row::Model) -> CheckedDocument {
    CheckedDocument {
        number: d.number.clone(),
        title: d.title.clone(),
        agency: sep_contracts::catalog::catalogue(p)
            .agency_name(p, &d.agency_code)
            .await
            .unwrap_or_else(|_| d.agency_code.clone()),
        holder: d.holder_masked.clone().unwrap_or_else(|| "—".into()),
        issued_at: d.issued_at,
        revoked_at: d.revoked_at,
        revoked_reason: d.revoked_reason.clone(),
        sha256: d.sha256.clone(),
        streebog256: d.streebog.clone(),
        verify_url: format!("{}{}", p.config.public_url(), verify_path(&d.token)),
    }
}

/// Checks `evidence`, against the document of `token` when one is named.
/// `via` says where the question came from (api, page), for the journal.
pub async fn check(
    p: &Platform,
    client: &Client,
    evidence: Evidence,
    token: Option<&str>,
    via: &str,
) -> Result<CheckView> {
    let only_address = matches!(evidence, Evidence::Nothing);
    let token = token.map(str::to_string).or_else(|| match &evidence {
        Evidence::Digest(i) => i.token.clone().filter(|t| !t.is_empty()),
        _ => None,
    });
    let (sha256, streebog, file) = match evidence {
        Evidence::File(b) => {
            // Hashing and scanning up to 10 MB: in the files queue, off the reactor.
            let (d, carried, b) = p
                .workers
                .run(sep_platform::workers::Work::Files, move || {
                    let carried = token_in(&b);
                    (digests(&b), carried, b)
                })
                .await?;
            (Some(d.sha256), Some(d.streebog256), Some((b, carried)))
        }
        Evidence::Digest(input) => {
            let sha = input
                .sha256
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| hex_digest("sha256", s))
                .transpose()?;
            let gost = input
                .streebog256
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| hex_digest("streebog256", s))
                .transpose()?;
            if sha.is_none() && gost.is_none() {
                return Err(AppError::field("sha256", "required"));
            }
            (sha, gost, None)
        }
        Evidence::Nothing => (None, None, None),
    };
    let named = match &token {
        Some(t) => issued_by_token(p, t).await?,
        None => None,
    };
    let matches = |d: &row::Model| {
        sha256.is_some() && d.sha256 == sha256 || streebog.is_some() && d.streebog == streebog
    };
    let found = if let Some(d) = named {
        // Against the named document: the address alone shows it as issued.
        let same = only_address || matches(&d);
        Some((d, same))
    } else if let Some(d) = store::by_digest(&*p.db, sha256.as_deref(), streebog.as_deref()).await?
    {
        Some((d, true))
    } else {
        // Not our bytes; but if the file carries our link, it was ours.
        match file.as_ref().and_then(|(_, carried)| carried.clone()) {
            Some(t) => issued_by_token(p, &t).await?.map(|d| (d, false)),
            None => None,
        }
    };
    let signature = match (&found, file.as_ref().map(|(b, _)| b.as_slice())) {
        (Some((d, true)), Some(b)) => match d.signature.as_deref().map(|s| B64.decode(s)) {
            Some(Ok(sig)) => Some(signatures(p).check_agency_signature(p, b, &sig).await?),
            _ => None,
        },
        _ => None,
    };
    let verdict = match &found {
        None => Verdict::Unknown,
        Some((_, false)) => Verdict::Altered,
        Some((d, true)) if d.revoked_at.is_some() => Verdict::Revoked,
        Some(_) if signature.as_ref().is_some_and(|s| !s.valid) => Verdict::Revoked,
        Some(_) => Verdict::Authentic,
    };
    let now = p.now();
    let document = match &found {
        Some((d, _)) => Some(shown(p, d).await),
        None => None,
    };
    let txn = p.db.begin().await?;
    sep_audit::commit(
        txn,
        now,
        client,
        None,
        "documents.verify",
        (
            "document",
            found
                .as_ref()
                .map_or_else(|| "-".to_string(), |(d, _)| d.id.to_string()),
        ),
        json!({
            "verdict": verdict.as_str(),
            "via": via,
            "sha256": sha256,
            "streebog256": streebog,
        }),
    )
    .await?;
    Ok(CheckView {
        verdict,
        checked_at: now,
        document,
        signature,
    })
}

/// Whether `token` names an issued document (nothing audited: the check
/// that follows is).
pub async fn token_known(p: &Platform, token: &str) -> Result<bool> {
    Ok(issued_by_token(p, token).await?.is_some())
}

/// The page the QR code leads to: the document of `token`, or "not found".
pub async fn by_token(p: &Platform, client: &Client, token: &str) -> Result<CheckView> {
    if issued_by_token(p, token).await?.is_none() {
        return Err(AppError::NotFound);
    }
    check(p, client, Evidence::Nothing, Some(token), "page").await
}

#[cfg(test)]
mod tests {
    use super::token_in;

    #[test]
    fn the_token_is_read_from_the_printed_link() {
        let t = "0123456789abcdef0123456789abcdef";
        let pdf = format!("%PDF /URI (https://sep.example/verify/{t}) >> /verify/zz");
        assert_eq!(token_in(pdf.as_bytes()).as_deref(), Some(t));
        assert_eq!(token_in(b"/verify/short"), None);
        assert_eq!(token_in(b"%PDF no link"), None);
    }
}
