//! X.509 certificates as the checks see them: read from PEM or DER, their
//! names, serial, validity and whether they may issue others; whether one
//! was issued by another; whether a private key belongs to one. The checks
//! verify ECDSA P-256 and RSA (PKCS#1 v1.5) with SHA-256 — the demo CA's
//! algorithm and what `openssl` makes by default; ГОСТ Р 34.10-2012 keys
//! (what Russian accredited CAs issue) have no maintained Rust
//! implementation, and the refusal says so rather than pretending.

use chrono::{DateTime, Utc};
use der::{Decode, DecodePem, Encode};
use p256::ecdsa::{DerSignature, VerifyingKey};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};

use const_oid::ObjectIdentifier;

const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// Whether `sig` over `msg` verifies with the key of `spki` under signature
/// algorithm `alg` (SHA-256 with ECDSA P-256 or RSA PKCS#1 v1.5; CMS names
/// the latter by the key's own OID too). Unsupported algorithms are an error,
/// a wrong signature is `false`.
pub fn verify_with(
    spki: &spki::SubjectPublicKeyInfoOwned,
    alg: ObjectIdentifier,
    msg: &[u8],
    sig: &[u8],
) -> Result<bool, CertError> {
    use signature::Verifier;
    match spki.algorithm.oid {
        EC_PUBLIC_KEY if alg == ECDSA_WITH_SHA256 => {
            let key = VerifyingKey::from_sec1_bytes(spki.subject_public_key.raw_bytes())
                .map_err(|_| CertError::UnsupportedKey)?;
            Ok(DerSignature::try_from(sig).is_ok_and(|sig| key.verify(msg, &sig).is_ok()))
        }
        RSA_ENCRYPTION if alg == SHA256_WITH_RSA || alg == RSA_ENCRYPTION => {
            use rsa::pkcs8::DecodePublicKey;
            let der = spki.to_der().map_err(|_| CertError::Unreadable)?;
            let key =
                rsa::PublicKey::from_public_key_der(&der).map_err(|_| CertError::UnsupportedKey)?;
            let key = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key);
            Ok(rsa::pkcs1v15::Signature::try_from(sig)
                .is_ok_and(|sig| key.verify(msg, &sig).is_ok()))
        }
        _ => Err(CertError::UnsupportedKey),
    }
}

/// The public key (SPKI, DER) of a PKCS#8 private key, for the key types
/// the checks verify.
fn public_of(key_pkcs8: &[u8]) -> Result<Vec<u8>, CertError> {
    use p256::pkcs8::{DecodePrivateKey, EncodePublicKey};
    if let Ok(secret) = p256::SecretKey::from_pkcs8_der(key_pkcs8) {
        return secret
            .public_key()
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .map_err(|_| CertError::UnsupportedKey);
    }
    let private =
        rsa::PrivateKey::from_pkcs8_der(key_pkcs8).map_err(|_| CertError::UnsupportedKey)?;
    rsa::pkcs8::EncodePublicKey::to_public_key_der(&private.to_public_key())
        .map(|d| d.as_bytes().to_vec())
        .map_err(|_| CertError::UnsupportedKey)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CertError {
    #[error("not a certificate")]
    Unreadable,
    #[error("unsupported key algorithm")]
    UnsupportedKey,
}

#[derive(Debug, Clone)]
pub struct Parsed {
    pub der: Vec<u8>,
    pub subject: String,
    pub issuer: String,
    /// Hex, upper case.
    pub serial: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub is_ca: bool,
    /// May sign: no key usage extension (any use), or one that names
    /// digitalSignature or nonRepudiation.
    pub signs: bool,
    /// The subject's attributes by OID (dotted), values as text: the
    /// holder's СНИЛС (1.2.643.100.3), ИНН (1.2.643.3.131.1.1), names.
    pub attributes: Vec<(String, String)>,
    cert: Certificate,
}

fn time(t: x509_cert::time::Time) -> DateTime<Utc> {
    DateTime::from_timestamp(t.to_unix_duration().as_secs() as i64, 0).unwrap_or_default()
}

/// The common name if there is one, else the whole name.
fn shown(name: &x509_cert::name::Name) -> String {
    match name.common_name() {
        Ok(Some(cn)) => String::from(cn),
        _ => name.to_string(),
    }
}

/// A certificate from PEM text or DER bytes.
pub fn parse(input: &[u8]) -> Result<Parsed, CertError> {
    let cert = if input.trim_ascii_start().starts_with(b"-----BEGIN") {
        Certificate::from_pem(input).map_err(|_| CertError::Unreadable)?
    } else {
        Certificate::from_der(input).map_err(|_| CertError::Unreadable)?
    };
    let tbs = cert.tbs_certificate();
    let is_ca = matches!(
        tbs.get_extension::<BasicConstraints>(),
        Ok(Some((_, bc))) if bc.ca
    );
    let signs = match tbs.get_extension::<KeyUsage>() {
        Ok(None) => true,
        Ok(Some((_, ku))) => ku.digital_signature() || ku.non_repudiation(),
        Err(_) => false,
    };
    let attributes = tbs
        .subject()
        .iter()
        .map(|atv| {
            let text = String::from_utf8_lossy(atv.value.value()).into_owned();
            (atv.oid.to_string(), text)
        })
        .collect();
    Ok(Parsed {
        der: cert.to_der().map_err(|_| CertError::Unreadable)?,
        subject: shown(tbs.subject()),
        issuer: shown(tbs.issuer()),
        serial: hex::encode_upper(tbs.serial_number().as_bytes()),
        not_before: time(tbs.validity().not_before),
        not_after: time(tbs.validity().not_after),
        is_ca,
        signs,
        attributes,
        cert,
    })
}

impl Parsed {
    pub fn valid_at(&self, at: DateTime<Utc>) -> bool {
        self.not_before <= at && at <= self.not_after
    }

    pub fn spki(&self) -> &spki::SubjectPublicKeyInfoOwned {
        self.cert.tbs_certificate().subject_public_key_info()
    }

    /// Whether `issuer` signed this certificate (names chain, signature verifies).
    pub fn issued_by(&self, issuer: &Parsed) -> bool {
        if self.cert.tbs_certificate().issuer() != issuer.cert.tbs_certificate().subject() {
            return false;
        }
        let (Ok(tbs), Some(sig)) = (
            self.cert.tbs_certificate().to_der(),
            self.cert.signature().as_bytes(),
        ) else {
            return false;
        };
        verify_with(
            issuer.spki(),
            self.cert.signature_algorithm().oid,
            &tbs,
            sig,
        )
        .unwrap_or(false)
    }

    /// Whether the PKCS#8 private key `key` is this certificate's: its public
    /// half is the certificate's.
    pub fn owns_key(&self, key_pkcs8: &[u8]) -> Result<bool, CertError> {
        let ours = self.spki().to_der().map_err(|_| CertError::Unreadable)?;
        Ok(public_of(key_pkcs8)? == ours)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki;

    #[test]
    fn a_key_meant_only_for_encryption_does_not_sign() {
        let der = |usages: Vec<rcgen::KeyUsagePurpose>| {
            let key = rcgen::KeyPair::generate().unwrap();
            let mut params = rcgen::CertificateParams::new(vec![]).unwrap();
            params.key_usages = usages;
            params.self_signed(&key).unwrap().der().to_vec()
        };
        let encrypts = parse(&der(vec![rcgen::KeyUsagePurpose::KeyEncipherment])).unwrap();
        assert!(!encrypts.signs);
        let signs = parse(&der(vec![rcgen::KeyUsagePurpose::ContentCommitment])).unwrap();
        assert!(signs.signs, "nonRepudiation is a signing use");
        assert!(parse(&der(vec![])).unwrap().signs, "no extension: any use");
    }

    #[test]
    fn a_chain_is_followed_and_a_key_is_matched() {
        let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).expect("a fixed instant"); // tests never read the wall clock
        let ca = pki::demo_ca("СЭП", now, 10).unwrap();
        let other = pki::demo_ca("Чужой", now, 10).unwrap();
        let leaf = pki::issue_agency(&ca, "ФНС России", None, now, 3).unwrap();
        let ca_p = parse(ca.cert_pem().as_bytes()).unwrap();
        let leaf_p = parse(&leaf.cert_der).unwrap();
        assert!(ca_p.is_ca && !leaf_p.is_ca);
        assert_eq!(leaf_p.subject, "ФНС России");
        assert!(leaf_p.issued_by(&ca_p));
        assert!(!leaf_p.issued_by(&parse(&other.cert_der).unwrap()));
        assert!(leaf_p.valid_at(now) && !leaf_p.valid_at(now + chrono::Duration::days(4 * 365)));
        assert_eq!(leaf_p.owns_key(&leaf.key_pkcs8), Ok(true));
        assert_eq!(leaf_p.owns_key(&other.key_pkcs8), Ok(false));
        assert_eq!(parse(b"garbage").unwrap_err(), CertError::Unreadable);
    }
}
