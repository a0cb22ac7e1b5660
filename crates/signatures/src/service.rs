//! The issuing side's PKI in use: the demo certification authority on the
//! trust list, each agency's signing certificate, the published CA, and
//! signing a document's bytes as an agency.

use super::store;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use sep_pki::pki::{self, Issued};
use sep_platform::Platform;
use sep_platform::{error::AppError, error::Result};
use serde::Serialize;

/// The name the demo CA goes by on the trust list.
pub const DEMO_CA: &str = "СЭП — демонстрационный удостоверяющий центр";

/// How certificates are named on the trust list and in documents: the
/// SHA-256 of their DER.
pub fn fingerprint(der: &[u8]) -> String {
    sep_platform::blobs::digest(der)
}

fn key_context(fingerprint: &str) -> String {
    format!("signatures.key/{fingerprint}")
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("{e}"))
}

fn opened(p: &Platform, fp: &str, sealed: &str) -> Result<Vec<u8>> {
    let b64 = p
        .secrets
        .open(&key_context(fp), sealed)
        .map_err(|e| internal(format!("{e:?}")))?;
    B64.decode(b64).map_err(internal)
}

/// The demo CA (made and put on the trust list the first time).
async fn demo_ca(p: &Platform) -> Result<(String, Issued)> {
    let existing = store::anchors(&*p.db)
        .await?
        .into_iter()
        .find(|a| a.name == DEMO_CA && a.key.is_some());
    if let Some(a) = existing {
        let cert_der = B64.decode(&a.certificate).map_err(internal)?;
        let key_pkcs8 = opened(p, &a.fingerprint, a.key.as_deref().unwrap_or_default())?;
        return Ok((
            a.fingerprint,
            Issued {
                cert_der,
                key_pkcs8,
            },
        ));
    }
    let now = p.now();
    let ca = pki::demo_ca("СЭП", now, 10).map_err(internal)?;
    let fp = fingerprint(&ca.cert_der);
    store::insert_anchor(
        &*p.db,
        store::anchor::Model {
            fingerprint: fp.clone(),
            name: DEMO_CA.into(),
            certificate: B64.encode(&ca.cert_der),
            key: Some(
                p.secrets
                    .seal(&key_context(&fp), &B64.encode(&ca.key_pkcs8)),
            ),
            not_after: now + chrono::Duration::days(3650),
            added_at: now,
            removed_at: None,
            qualified: false,
        },
    )
    .await?;
    Ok((fp, ca))
}

/// An agency that signs what it issues, as the catalogue knows it.
pub struct IssuingAgency {
    pub code: String,
    /// The name on its certificate (Russian).
    pub name: String,
    pub inn: Option<String>,
}

/// Makes the demo CA and a signing certificate for every one of `agencies`
/// that has none; returns how many certificates it issued. Idempotent.
pub async fn ensure_demo_pki(p: &Platform, agencies: &[IssuingAgency]) -> Result<usize> {
    let (ca_fp, ca) = demo_ca(p).await?;
    let mut issued = 0;
    for agency in agencies {
        if store::issuer(&*p.db, &agency.code).await?.is_some() {
            continue;
        }
        let now = p.now();
        let cert = pki::issue_agency(&ca, &agency.name, agency.inn.as_deref(), now, 3)
            .map_err(internal)?;
        let fp = fingerprint(&cert.cert_der);
        store::insert_issuer(
            &*p.db,
            store::issuer::Model {
                agency_code: agency.code.clone(),
                certificate: B64.encode(&cert.cert_der),
                key: p
                    .secrets
                    .seal(&key_context(&fp), &B64.encode(&cert.key_pkcs8)),
                fingerprint: fp,
                issuer_fingerprint: ca_fp.clone(),
                not_before: now - chrono::Duration::days(1),
                not_after: now + chrono::Duration::days(365 * 3),
                created_at: now,
                revoked_at: None,
            },
        )
        .await?;
        issued += 1;
    }
    Ok(issued)
}

#[derive(Debug, Serialize)]
pub struct AnchorView {
    pub name: String,
    pub fingerprint_sha256: String,
    pub not_after: DateTime<Utc>,
    /// Accredited: its certificates make qualified signatures.
    pub qualified: bool,
    /// PEM, for `openssl … -CAfile`.
    pub certificate: String,
}

pub(super) fn view_of(a: store::anchor::Model) -> Result<AnchorView> {
    Ok(AnchorView {
        certificate: pki::pem(&B64.decode(&a.certificate).map_err(internal)?),
        name: a.name,
        fingerprint_sha256: a.fingerprint,
        not_after: a.not_after,
        qualified: a.qualified,
    })
}

/// The trust list: the certification authorities whose certificates СЭП accepts.
pub async fn trust_list(p: &Platform) -> Result<Vec<AnchorView>> {
    store::anchors(&*p.db)
        .await?
        .into_iter()
        .map(view_of)
        .collect()
}

/// The PEM of the CA that issues the agencies' certificates.
pub async fn published_ca(p: &Platform) -> Result<String> {
    trust_list(p)
        .await?
        .into_iter()
        .find(|a| a.name == DEMO_CA)
        .map(|a| a.certificate)
        .ok_or(AppError::NotFound)
}

/// A detached CMS signature of `bytes` by `agency`'s certificate.
pub async fn sign_as_agency(p: &Platform, agency: &str, bytes: &[u8]) -> Result<Vec<u8>> {
    let row = store::issuer(&*p.db, agency)
        .await?
        .ok_or(AppError::NotFound)?;
    let cert = B64.decode(&row.certificate).map_err(internal)?;
    let key = zeroize::Zeroizing::new(opened(p, &row.fingerprint, &row.key)?);
    sep_pki::cms::sign_detached(bytes, &cert, &key, p.now()).map_err(internal)
}

pub use sep_contracts::signatures::AgencySigner;

pub async fn agency_signer(p: &Platform, agency: &str) -> Result<AgencySigner> {
    use der::Decode;
    let row = store::issuer(&*p.db, agency)
        .await?
        .ok_or(AppError::NotFound)?;
    let der = B64.decode(&row.certificate).map_err(internal)?;
    let cert = x509_cert::Certificate::from_der(&der).map_err(internal)?;
    Ok(AgencySigner {
        fingerprint: row.fingerprint,
        serial: hex::encode_upper(cert.tbs_certificate().serial_number().as_bytes()),
        not_before: row.not_before,
        not_after: row.not_after,
    })
}
