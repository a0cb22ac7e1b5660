//! The trust list, managed by administrators: the certification authorities
//! whose certificates СЭП accepts for users' signatures (and whose
//! accreditation makes those signatures qualified).

use super::service::{AnchorView, fingerprint, view_of};
use super::store;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use sep_identity::model::Role;
use sep_identity::service::Principal;
use sep_kernel::{FieldError, Rule};
use sep_pki::certificate::{self, CertError};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AnchorInput {
    pub name: String,
    /// PEM, or base64 of the DER.
    pub certificate: String,
    /// An accredited CA: its certificates make qualified signatures.
    pub qualified: bool,
}

fn admin_only(who: Option<&Principal>) -> Result<()> {
    match who {
        Some(w) if !w.has(Role::Admin) => Err(AppError::Forbidden),
        _ => Ok(()),
    }
}

/// The certificate as given: PEM text, or base64 of the DER.
fn certificate_bytes(text: &str) -> Vec<u8> {
    let t = text.trim();
    if t.starts_with("-----BEGIN") {
        return t.as_bytes().to_vec();
    }
    let compact: String = t.split_whitespace().collect();
    B64.decode(compact).unwrap_or_default()
}

/// Puts a CA on the trust list. `who` None: an operator at the command line.
pub async fn add_anchor(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    input: AnchorInput,
) -> Result<AnchorView> {
    admin_only(who)?;
    let mut errors = Vec::new();
    let name = input.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.chars().count() < 3 || name.chars().count() > 200 {
        errors.push(FieldError::new("name", Rule("anchor-name-length")));
    }
    let now = p.now();
    let parsed = match certificate::parse(&certificate_bytes(&input.certificate)) {
        Ok(c) if !c.is_ca => {
            errors.push(FieldError::new("certificate", Rule("certificate-not-ca")));
            None
        }
        Ok(c) if !c.valid_at(now) => {
            errors.push(FieldError::new("certificate", Rule("certificate-expired")));
            None
        }
        Ok(c) => Some(c),
        Err(CertError::Unreadable | CertError::UnsupportedKey) => {
            errors.push(FieldError::new(
                "certificate",
                Rule("certificate-unreadable"),
            ));
            None
        }
    };
    let Some(cert) = parsed.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let fp = fingerprint(&cert.der);
    if store::anchor(&*p.db, &fp)
        .await?
        .is_some_and(|existing| existing.removed_at.is_none())
    {
        return Err(AppError::Conflict(vec![FieldError::new(
            "certificate",
            Rule("anchor-exists"),
        )]));
    }
    let txn = p.db.begin().await?;
    store::put_anchor(
        &*txn,
        store::anchor::Model {
            fingerprint: fp.clone(),
            name,
            certificate: B64.encode(&cert.der),
            key: None,
            not_after: cert.not_after,
            added_at: now,
            removed_at: None,
            qualified: input.qualified,
        },
    )
    .await?;
    sep_audit::commit(
        txn,
        now,
        client,
        who.map(|w| w.user_id),
        "trust_list.add",
        ("trust_anchor", fp.clone()),
        json!({ "subject": cert.subject, "qualified": input.qualified }),
    )
    .await?;
    let row = store::anchor(&*p.db, &fp)
        .await?
        .ok_or(AppError::NotFound)?;
    view_of(row)
}

/// Takes a CA off the trust list. The one that issues the agencies'
/// certificates stays: removing it would make every issued document fail.
pub async fn remove_anchor(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    fingerprint: &str,
) -> Result<()> {
    admin_only(who)?;
    let row = store::anchor(&*p.db, fingerprint)
        .await?
        .filter(|a| a.removed_at.is_none())
        .ok_or(AppError::NotFound)?;
    if row.key.is_some() {
        return Err(AppError::conflict("anchor-in-use", Vec::new()));
    }
    let now = p.now();
    let txn = p.db.begin().await?;
    store::remove_anchor(&*txn, fingerprint, now).await?;
    sep_audit::commit(
        txn,
        now,
        client,
        who.map(|w| w.user_id),
        "trust_list.remove",
        ("trust_anchor", fingerprint.to_string()),
        json!({ "name": row.name }),
    )
    .await?;
    Ok(())
}
