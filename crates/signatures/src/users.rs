//! People's own signature certificates («Электронные подписи»): added from a
//! .p12/.pfx with its password, or as a certificate with a signed challenge
//! for keys that never leave a token; checked for validity, issuer on the
//! trust list and possession of the key; listed; annulled. Only the
//! certificate is kept — never the key, never the password — and a refused
//! one leaves nothing behind.

use super::service::fingerprint;
use super::store::{self, user_cert as row};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use sep_identity::service::Principal;
use sep_kernel::{FieldError, Rule};
use sep_pki::certificate::{self, CertError, Parsed};
use sep_pki::verify::verify_detached;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

/// A .p12 is a few kilobytes; anything much larger is not one.
pub const MAX_P12_BYTES: usize = 64 * 1024;
/// How long a key-possession challenge stays good.
const CHALLENGE_MINUTES: i64 = 15;

pub use sep_contracts::signatures::CertificateView;

pub(super) fn view(r: row::Model) -> CertificateView {
    CertificateView {
        id: r.id,
        subject: r.subject,
        issuer: r.issuer,
        serial: r.serial,
        fingerprint_sha256: r.fingerprint,
        not_before: r.not_before,
        not_after: r.not_after,
        level: r.level,
        added_at: r.added_at,
        annulled_at: r.annulled_at,
        annul_reason: r.annul_reason,
    }
}

fn invalid(field: &'static str, rule: &'static str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, Rule(rule))])
}

/// The certificate and key inside a .p12, each failure named apart.
fn open_p12(bytes: &[u8], password: &str) -> Result<(Vec<u8>, zeroize::Zeroizing<Vec<u8>>)> {
    use p12_keystore::error::Error as P12;
    sep_pki::p12_bounds::check(bytes).map_err(|_| invalid("file", "p12-too-complex"))?;
    let store = p12_keystore::KeyStore::from_pkcs12(
        bytes,
        password,
        p12_keystore::Pkcs12ImportPolicy::Strict,
    )
    .map_err(|e| match e {
        P12::MacError(_) | P12::UnpadError | P12::Pkcs5Error(_) => {
            invalid("password", "p12-wrong-password")
        }
        P12::UnsupportedEncryptionScheme | P12::UnsupportedMacAlgorithm => {
            invalid("file", "p12-unsupported")
        }
        _ => invalid("file", "p12-corrupt"),
    })?;
    let (_, chain) = store
        .private_key_chain()
        .ok_or_else(|| invalid("file", "p12-no-key"))?;
    let cert = chain
        .certs()
        .first()
        .ok_or_else(|| invalid("file", "p12-no-key"))?;
    Ok((
        cert.as_der().to_vec(),
        zeroize::Zeroizing::new(chain.key().as_der().to_vec()),
    ))
}

/// The trust anchor that issued `cert`, if any is on the list.
async fn anchor_of(p: &Platform, cert: &Parsed) -> Result<Option<store::anchor::Model>> {
    for a in store::anchors(&*p.db).await? {
        let Ok(der) = B64.decode(&a.certificate) else {
            continue;
        };
        if let Ok(ca) = certificate::parse(&der)
            && cert.issued_by(&ca)
        {
            return Ok(Some(a));
        }
    }
    Ok(None)
}

/// Checks a certificate the person has shown they hold, and keeps it.
async fn admit(
    p: &Platform,
    client: &Client,
    who: &Principal,
    cert: Parsed,
    via: &str,
) -> Result<CertificateView> {
    let now = p.now();
    if cert.not_before > now {
        return Err(invalid("file", "certificate-not-yet-valid"));
    }
    if cert.not_after < now {
        return Err(invalid("file", "certificate-expired"));
    }
    if cert.is_ca {
        return Err(invalid("file", "certificate-is-ca"));
    }
    if !cert.signs {
        return Err(invalid("file", "certificate-cannot-sign"));
    }
    let profile = sep_identity::service::get_profile(p, who, who.user_id).await?;
    if !super::holder::names_holder(&cert, &profile.fields) {
        return Err(invalid("file", "certificate-other-person"));
    }
    let Some(anchor) = anchor_of(p, &cert).await? else {
        return Err(invalid("file", "certificate-untrusted"));
    };
    let fp = fingerprint(&cert.der);
    if let Some(existing) = store::user_cert_by_fingerprint(&*p.db, who.user_id, &fp).await? {
        return Err(match existing.annulled_at {
            Some(at) => AppError::conflict(
                "certificate-annulled",
                vec![("at", sep_platform::clock::show(at))],
            ),
            None => AppError::Conflict(vec![FieldError::new("file", Rule("certificate-exists"))]),
        });
    }
    let id = Uuid::now_v7();
    let r = row::Model {
        id,
        owner_id: who.user_id,
        fingerprint: fp,
        certificate: B64.encode(&cert.der),
        subject: cert.subject.clone(),
        issuer: cert.issuer.clone(),
        serial: cert.serial.clone(),
        anchor_fingerprint: anchor.fingerprint,
        level: if anchor.qualified {
            "qualified"
        } else {
            "enhanced"
        }
        .into(),
        not_before: cert.not_before,
        not_after: cert.not_after,
        added_at: now,
        annulled_at: None,
        annul_reason: None,
    };
    let txn = p.db.begin().await?;
    store::insert_user_cert(&*txn, r.clone()).await?;
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "certificate.add",
        ("user_certificate", id.to_string()),
        json!({ "serial": r.serial, "issuer": r.issuer, "via": via }),
    )
    .await?;
    Ok(view(r))
}

/// Adds the certificate of a .p12/.pfx opened with `password`.
pub async fn add_p12(
    p: &Platform,
    client: &Client,
    who: &Principal,
    bytes: Vec<u8>,
    password: String,
) -> Result<CertificateView> {
    if bytes.is_empty() {
        return Err(invalid("file", "required"));
    }
    if bytes.len() > MAX_P12_BYTES {
        return Err(invalid("file", "p12-too-large"));
    }
    let password = zeroize::Zeroizing::new(password);
    // Key derivation takes a while by design: off the reactor.
    let (cert_der, key) = p
        .workers
        .run(sep_platform::workers::Work::Files, move || {
            open_p12(&bytes, &password)
        })
        .await??;
    let cert = certificate::parse(&cert_der).map_err(|_| invalid("file", "p12-corrupt"))?;
    match cert.owns_key(&key) {
        Ok(true) => {}
        Ok(false) => return Err(invalid("file", "certificate-key-mismatch")),
        Err(CertError::UnsupportedKey | CertError::Unreadable) => {
            return Err(invalid("file", "certificate-key-unsupported"));
        }
    }
    admit(p, client, who, cert, "p12").await
}

#[derive(Debug, Serialize)]
pub struct Challenge {
    /// Sign exactly these bytes (UTF-8), detached, and send the signature
    /// with the certificate.
    pub challenge: String,
    pub expires_at: DateTime<Utc>,
}

fn challenge_mac(p: &Platform, user: Uuid, issued: i64) -> String {
    p.secrets.mac(
        "signatures.challenge",
        format!("{user}:{issued}").as_bytes(),
    )[..32]
        .to_string()
}

/// A challenge to prove possession of a key that stays on a token.
pub fn challenge(p: &Platform, who: &Principal) -> Challenge {
    let issued = p.now().timestamp();
    Challenge {
        challenge: format!(
            "СЭП: подтверждение владения ключом {} {issued} {}",
            who.user_id,
            challenge_mac(p, who.user_id, issued)
        ),
        expires_at: p.now() + chrono::Duration::minutes(CHALLENGE_MINUTES),
    }
}

fn challenge_is_fresh(p: &Platform, who: &Principal, text: &str) -> bool {
    let parts: Vec<&str> = text.rsplitn(3, ' ').collect();
    let [mac, issued, rest] = parts[..] else {
        return false;
    };
    let Ok(issued) = issued.parse::<i64>() else {
        return false;
    };
    let age = p.now().timestamp() - issued;
    rest.ends_with(&who.user_id.to_string())
        && (0..=CHALLENGE_MINUTES * 60).contains(&age)
        && subtle::ConstantTimeEq::ct_eq(
            challenge_mac(p, who.user_id, issued).as_bytes(),
            mac.as_bytes(),
        )
        .into()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChallengeAnswer {
    /// The certificate: PEM, or base64 of the DER.
    pub certificate: String,
    /// The challenge as it was given.
    pub challenge: String,
    /// Base64 of the detached CMS signature of the challenge (DER).
    pub signature: String,
}

/// Adds a certificate whose key signed a fresh challenge.
pub async fn add_signed(
    p: &Platform,
    client: &Client,
    who: &Principal,
    answer: ChallengeAnswer,
) -> Result<CertificateView> {
    let text = answer.certificate.trim();
    let bytes = if text.starts_with("-----BEGIN") {
        text.as_bytes().to_vec()
    } else {
        B64.decode(text.split_whitespace().collect::<String>())
            .unwrap_or_default()
    };
    let cert =
        certificate::parse(&bytes).map_err(|_| invalid("certificate", "certificate-unreadable"))?;
    if !challenge_is_fresh(p, who, answer.challenge.trim()) {
        return Err(invalid("challenge", "challenge-stale"));
    }
    let sig = B64
        .decode(answer.signature.split_whitespace().collect::<String>())
        .map_err(|_| invalid("signature", "signature-malformed"))?;
    let signed = verify_detached(answer.challenge.trim().as_bytes(), &sig)
        .map_err(|_| invalid("signature", "signature-bad"))?;
    if signed.certificate != cert.der {
        return Err(invalid("signature", "certificate-key-mismatch"));
    }
    admit(p, client, who, cert, "challenge").await
}

pub async fn mine(p: &Platform, who: &Principal) -> Result<Vec<CertificateView>> {
    Ok(store::user_certs(&*p.db, who.user_id)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AnnulInput {
    pub reason: String,
}

/// Annuls the person's certificate: nothing more is signed with it; what
/// was signed before stays valid and says when it was annulled.
pub async fn annul(
    p: &Platform,
    client: &Client,
    who: &Principal,
    id: Uuid,
    input: AnnulInput,
) -> Result<CertificateView> {
    let reason = input
        .reason
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if reason.chars().count() > 500 {
        return Err(invalid("reason", "revoke-reason-long"));
    }
    let cert = store::user_cert(&*p.db, id)
        .await?
        .filter(|c| c.owner_id == who.user_id)
        .ok_or(AppError::NotFound)?;
    let now = p.now();
    let txn = p.db.begin().await?;
    let reason = (!reason.is_empty()).then_some(reason);
    if !store::annul_user_cert(&*txn, id, now, reason.clone()).await? {
        return Err(AppError::conflict(
            "certificate-annulled",
            vec![(
                "at",
                sep_platform::clock::show(cert.annulled_at.unwrap_or(now)),
            )],
        ));
    }
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "certificate.annul",
        ("user_certificate", id.to_string()),
        json!({ "serial": cert.serial, "reason": reason }),
    )
    .await?;
    Ok(view(
        store::user_cert(&*p.db, id)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

/// One line of the public revocation registry.
#[derive(Debug, Serialize)]
pub struct Revoked {
    pub serial: String,
    pub issuer: String,
    pub fingerprint_sha256: String,
    pub annulled_at: DateTime<Utc>,
}

/// The revocation registry: every annulled certificate, newest first, for
/// anyone relying on a signature made with one. Names of holders are not
/// shown: a relying party has the certificate itself.
pub async fn revocations(p: &Platform) -> Result<Vec<Revoked>> {
    Ok(store::annulled_certs(&*p.db)
        .await?
        .into_iter()
        .filter_map(|c| {
            Some(Revoked {
                annulled_at: c.annulled_at?,
                serial: c.serial,
                issuer: c.issuer,
                fingerprint_sha256: c.fingerprint,
            })
        })
        .collect())
}
