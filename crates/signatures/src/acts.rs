//! Signed acts: what a person signed, at which level. Every application
//! is signed simply (the account's own confirmation: password and code); a
//! person who holds a certificate can add an enhanced or qualified signature
//! over the act's exact bytes, which is kept with it and can be checked
//! again later — and says so if the certificate was annulled afterwards.

use super::store::{self, signed_act as row};
use super::users::view;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use sep_identity::service::Principal;
use sep_kernel::{FieldError, Rule};
use sep_pki::certificate;
use sep_pki::verify::{VerifyError, verify_detached};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use serde_json::json;
use uuid::Uuid;

pub use sep_contracts::signatures::{Act, SignedActView};

/// The simple signature every act of a signed-in person carries, inside the
/// act's own transaction.
pub async fn record_simple(
    txn: &impl sea_orm::ConnectionTrait,
    acts: &[(Uuid, DateTime<Utc>, Act<'_>)],
) -> Result<()> {
    let rows = acts
        .iter()
        .map(|(owner, at, act)| {
            row::ActiveModel::from(row::Model {
                id: Uuid::now_v7(),
                owner_id: *owner,
                object_type: act.object_type.into(),
                object_id: act.object_id.clone(),
                level: "simple".into(),
                certificate_id: None,
                payload_sha256: sep_platform::blobs::digest(act.payload),
                signature: None,
                signed_at: *at,
            })
        })
        .collect();
    sep_platform::db::insert_all(txn, rows).await?;
    Ok(())
}

fn invalid(rule: &'static str) -> AppError {
    AppError::Invalid(vec![FieldError::new("signature", Rule(rule))])
}

/// Adds `who`'s signature (detached CMS, DER) over the act's bytes, made
/// with one of their certificates that is in force.
pub async fn sign(
    p: &Platform,
    client: &Client,
    who: &Principal,
    act: Act<'_>,
    signature: &[u8],
) -> Result<SignedActView> {
    let signed = verify_detached(act.payload, signature).map_err(|e| match e {
        VerifyError::DigestMismatch => invalid("signature-not-of-this"),
        VerifyError::Malformed => invalid("signature-malformed"),
        VerifyError::Unsupported => invalid("certificate-key-unsupported"),
        VerifyError::NoCertificate | VerifyError::BadSignature => invalid("signature-bad"),
    })?;
    let fp = super::service::fingerprint(&signed.certificate);
    let cert = store::user_cert_by_fingerprint(&*p.db, who.user_id, &fp)
        .await?
        .ok_or_else(|| invalid("signature-certificate-unknown"))?;
    let now = p.now();
    if let Some(at) = cert.annulled_at {
        return Err(AppError::conflict(
            "certificate-annulled",
            vec![("at", sep_platform::clock::show(at))],
        ));
    }
    if !(cert.not_before <= now && now <= cert.not_after) {
        return Err(invalid("certificate-expired"));
    }
    // The level is the trust list's today, not the day the certificate was
    // added: a CA taken off the list signs nothing more.
    let anchor = store::anchor(&*p.db, &cert.anchor_fingerprint)
        .await?
        .filter(|a| a.removed_at.is_none() && now <= a.not_after);
    let level = match anchor {
        None => return Err(AppError::conflict("certificate-untrusted-now", vec![])),
        Some(a) if a.qualified => "qualified",
        Some(_) => "enhanced",
    };
    let id = Uuid::now_v7();
    let r = row::Model {
        id,
        owner_id: who.user_id,
        object_type: act.object_type.into(),
        object_id: act.object_id.clone(),
        level: level.into(),
        certificate_id: Some(cert.id),
        payload_sha256: sep_platform::blobs::digest(act.payload),
        signature: Some(B64.encode(signature)),
        signed_at: now,
    };
    let txn = p.db.begin().await?;
    store::insert_act(&*txn, r.clone()).await?;
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "act.sign",
        (act.object_type, act.object_id.clone()),
        json!({ "level": level, "certificate": cert.serial }),
    )
    .await?;
    Ok(SignedActView {
        id,
        level: r.level,
        signed_at: now,
        payload_sha256: r.payload_sha256,
        valid: true,
        certificate: Some(view(cert)),
    })
}

/// The signatures an act carries, each checked again over `payload`.
pub async fn signatures_of(p: &Platform, act: Act<'_>) -> Result<Vec<SignedActView>> {
    let digest = sep_platform::blobs::digest(act.payload);
    let mut out = Vec::new();
    for r in store::acts_of(&*p.db, act.object_type, &act.object_id).await? {
        let cert = match r.certificate_id {
            Some(id) => store::user_cert(&*p.db, id).await?,
            None => None,
        };
        let valid = match (&r.signature, &cert) {
            (None, _) => r.payload_sha256 == digest,
            (Some(sig), Some(c)) => {
                let sig = B64.decode(sig).unwrap_or_default();
                let still = verify_detached(act.payload, &sig).is_ok();
                // Annulment counts for what was signed after it, not before.
                // Signing is refused once annulled, so an act at the very moment came first.
                let before_annulment = c.annulled_at.is_none_or(|at| r.signed_at <= at);
                let trusted = certificate::parse(&B64.decode(&c.certificate).unwrap_or_default())
                    .is_ok_and(|parsed| parsed.valid_at(r.signed_at));
                still && before_annulment && trusted
            }
            (Some(_), None) => false,
        };
        out.push(SignedActView {
            id: r.id,
            level: r.level,
            signed_at: r.signed_at,
            payload_sha256: r.payload_sha256,
            valid,
            certificate: cert.map(view),
        });
    }
    Ok(out)
}
