//! Certificates made by СЭП itself: the demo certification authority and a
//! certificate for each agency that issues documents. Real deployments load
//! the agencies' keys from their own УЦ; the demo makes them with rcgen, so
//! that every signature verifies with standard tools against a published CA.

use chrono::{DateTime, Utc};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SerialNumber,
};

/// A certificate and its private key, both DER (the key as PKCS#8).
pub struct Issued {
    pub cert_der: Vec<u8>,
    pub key_pkcs8: Vec<u8>,
}

impl Issued {
    pub fn cert_pem(&self) -> String {
        pem(&self.cert_der)
    }
}

impl Issued {
    /// The key as PEM (`-----BEGIN PRIVATE KEY-----`), for `openssl -inkey`.
    pub fn key_pem(&self) -> String {
        armour("PRIVATE KEY", &self.key_pkcs8)
    }
}

/// The PEM text of a DER certificate (what `openssl -CAfile` reads).
pub fn pem(cert_der: &[u8]) -> String {
    armour("CERTIFICATE", cert_der)
}

fn armour(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    #[error("certificate: {0}")]
    Rcgen(#[from] rcgen::Error),
    #[error("validity: {0}")]
    Time(String),
}

fn offset(at: DateTime<Utc>) -> Result<time::OffsetDateTime, PkiError> {
    time::OffsetDateTime::from_unix_timestamp(at.timestamp())
        .map_err(|e| PkiError::Time(e.to_string()))
}

fn name(org: &str, common: &str, inn: Option<&str>) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "RU");
    dn.push(DnType::OrganizationName, org);
    dn.push(DnType::CommonName, common);
    if let Some(inn) = inn {
        // ИНН ЮЛ (OID 1.2.643.100.4), as Russian qualified certificates carry it.
        dn.push(DnType::CustomDnType(vec![1, 2, 643, 100, 4]), inn);
    }
    dn
}

fn serial() -> SerialNumber {
    // 16 random bytes, first bit clear: a positive INTEGER, unique in practice.
    let mut bytes: [u8; 16] = rand::random();
    bytes[0] &= 0x7f;
    SerialNumber::from_slice(&bytes)
}

/// The demo certification authority, valid `years` from `now`.
pub fn demo_ca(org: &str, now: DateTime<Utc>, years: i64) -> Result<Issued, PkiError> {
    let mut params = CertificateParams::default();
    params.distinguished_name = name(org, &format!("{org} — демонстрационный УЦ"), None);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.serial_number = Some(serial());
    params.not_before = offset(now - chrono::Duration::days(1))?;
    params.not_after = offset(now + chrono::Duration::days(365 * years))?;
    let key = KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    Ok(Issued {
        cert_der: cert.der().to_vec(),
        key_pkcs8: key.serialize_der(),
    })
}

/// A signing certificate for an agency, issued by `ca`.
pub fn issue_agency(
    ca: &Issued,
    agency: &str,
    inn: Option<&str>,
    now: DateTime<Utc>,
    years: i64,
) -> Result<Issued, PkiError> {
    issue(
        ca,
        name(agency, agency, inn),
        now - chrono::Duration::days(1),
        now + chrono::Duration::days(365 * years),
    )
}

/// A person's signature certificate (СНИЛС in the subject, OID
/// 1.2.643.100.3), valid between the given moments. What a УЦ would issue to
/// a citizen; used by the demo and by tests that need one.
pub fn issue_person(
    ca: &Issued,
    full_name: &str,
    snils: Option<&str>,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
) -> Result<Issued, PkiError> {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "RU");
    dn.push(DnType::CommonName, full_name);
    if let Some(snils) = snils {
        dn.push(DnType::CustomDnType(vec![1, 2, 643, 100, 3]), snils);
    }
    issue(ca, dn, not_before, not_after)
}

/// A person's certificate for a key made elsewhere (`spki_der`: its public
/// half, e.g. from `openssl pkey -pubout -outform DER`), valid between the
/// given moments; the certificate's DER.
pub fn certify_person_key(
    ca: &Issued,
    full_name: &str,
    spki_der: &[u8],
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
) -> Result<Vec<u8>, PkiError> {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "RU");
    dn.push(DnType::CommonName, full_name);
    let key = rcgen::SubjectPublicKeyInfo::from_der(spki_der)?;
    sign_subject(ca, dn, &key, not_before, not_after)
}

fn issue(
    ca: &Issued,
    subject: DistinguishedName,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
) -> Result<Issued, PkiError> {
    let key = KeyPair::generate()?;
    let cert_der = sign_subject(ca, subject, &key, not_before, not_after)?;
    Ok(Issued {
        cert_der,
        key_pkcs8: key.serialize_der(),
    })
}

fn sign_subject(
    ca: &Issued,
    subject: DistinguishedName,
    key: &impl rcgen::PublicKeyData,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
) -> Result<Vec<u8>, PkiError> {
    let ca_key = KeyPair::try_from(ca.key_pkcs8.as_slice())?;
    let issuer = Issuer::from_ca_cert_der(&ca.cert_der.as_slice().into(), ca_key)?;
    let mut params = CertificateParams::default();
    params.distinguished_name = subject;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    params.use_authority_key_identifier_extension = true;
    params.serial_number = Some(serial());
    params.not_before = offset(not_before)?;
    params.not_after = offset(not_after)?;
    Ok(params.signed_by(key, &issuer)?.der().to_vec())
}
