//! Whether an agency's signature over a document stands: the CMS checks out
//! over the bytes, the signing certificate is one of the agencies', its CA
//! is on the trust list, and the certificate was not revoked when it signed.

use super::service::fingerprint;
use super::store;
use chrono::{DateTime, Utc};
use sep_pki::verify::{VerifyError, verify_detached};
use sep_platform::Platform;
use sep_platform::error::Result;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct SignatureCheck {
    pub valid: bool,
    /// Why not, as a rule name (`signature-digest-mismatch`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_sha256: Option<String>,
}

impl SignatureCheck {
    fn refused(problem: &'static str) -> Self {
        Self {
            valid: false,
            problem: Some(problem),
            agency: None,
            signed_at: None,
            certificate_sha256: None,
        }
    }
}

fn rule(e: VerifyError) -> &'static str {
    match e {
        VerifyError::Malformed => "signature-malformed",
        VerifyError::NoCertificate => "signature-no-certificate",
        VerifyError::DigestMismatch => "signature-digest-mismatch",
        VerifyError::BadSignature => "signature-bad",
        VerifyError::Unsupported => "signature-unsupported",
    }
}

/// Checks `signature` (detached CMS, DER) over `content` as an agency's.
pub async fn check_agency_signature(
    p: &Platform,
    content: &[u8],
    signature: &[u8],
) -> Result<SignatureCheck> {
    let signed = match verify_detached(content, signature) {
        Ok(s) => s,
        Err(e) => return Ok(SignatureCheck::refused(rule(e))),
    };
    let fp = fingerprint(&signed.certificate);
    let Some(issuer) = store::issuer_by_fingerprint(&*p.db, &fp).await? else {
        return Ok(SignatureCheck::refused("signature-untrusted"));
    };
    let anchored = store::anchor(&*p.db, &issuer.issuer_fingerprint)
        .await?
        .is_some_and(|a| a.removed_at.is_none());
    let at = signed.signed_at.unwrap_or_else(|| p.now());
    let problem = if !anchored {
        Some("signature-untrusted")
    } else if at < issuer.not_before || at > issuer.not_after {
        Some("signature-certificate-expired")
    } else if issuer.revoked_at.is_some_and(|r| r <= at) {
        Some("signature-certificate-revoked")
    } else {
        None
    };
    Ok(SignatureCheck {
        valid: problem.is_none(),
        problem,
        agency: Some(issuer.agency_code),
        signed_at: signed.signed_at,
        certificate_sha256: Some(fp),
    })
}
