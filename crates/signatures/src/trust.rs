//! Whether an agency's signature over a document stands: the CMS checks out
//! over the bytes, the signing certificate is one of the agencies', its CA
//! is on the trust list, and the certificate was not revoked when it signed.

use super::service::fingerprint;
use super::store;
use sep_pki::verify::{VerifyError, verify_detached};
use sep_platform::Platform;
use sep_platform::error::Result;

pub use sep_contracts::signatures::SignatureCheck;

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
