//! Checking a detached CMS signature over a file's bytes: the message
//! digest attribute equals the file's SHA-256, and the signer's key signed
//! the attributes. Whether the signer is trusted (the certificate's issuer,
//! its validity, revocation) is the caller's question: this answers only
//! "these bytes, signed by this certificate, at this time".

use super::cms::{ID_MESSAGE_DIGEST, ID_SIGNING_TIME};
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::OctetString;
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// What a valid signature says.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The signer's certificate, DER.
    pub certificate: Vec<u8>,
    pub signed_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("not a CMS signature")]
    Malformed,
    #[error("the signature carries no signer's certificate")]
    NoCertificate,
    #[error("the signed file is not this file")]
    DigestMismatch,
    #[error("the signature does not match the signer's key")]
    BadSignature,
    #[error("unsupported signature algorithm")]
    Unsupported,
}

fn malformed<E>(_: E) -> VerifyError {
    VerifyError::Malformed
}

pub fn verify_detached(content: &[u8], signature: &[u8]) -> Result<Signed, VerifyError> {
    let info = ContentInfo::from_der(signature).map_err(malformed)?;
    let signed: SignedData = info.content.decode_as().map_err(malformed)?;
    let si = signed
        .signer_infos
        .0
        .get(0)
        .ok_or(VerifyError::Malformed)?
        .clone();
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &si.sid else {
        return Err(VerifyError::Unsupported);
    };
    let cert = signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .find_map(|c| match c {
            CertificateChoices::Certificate(c)
                if c.tbs_certificate().serial_number() == &sid.serial_number
                    && c.tbs_certificate().issuer() == &sid.issuer =>
            {
                Some(c.clone())
            }
            _ => None,
        })
        .ok_or(VerifyError::NoCertificate)?;
    let attrs = si.signed_attrs.as_ref().ok_or(VerifyError::Unsupported)?;
    let digest = attrs
        .iter()
        .find(|a| a.oid == ID_MESSAGE_DIGEST)
        .and_then(|a| a.values.get(0))
        .ok_or(VerifyError::Malformed)?
        .decode_as::<OctetString>()
        .map_err(malformed)?;
    if !bool::from(digest.as_bytes().ct_eq(Sha256::digest(content).as_slice())) {
        return Err(VerifyError::DigestMismatch);
    }
    if si.digest_alg.oid != super::cms::ID_SHA256 {
        return Err(VerifyError::Unsupported);
    }
    let to_verify = attrs.to_der().map_err(malformed)?;
    match super::certificate::verify_with(
        cert.tbs_certificate().subject_public_key_info(),
        si.signature_algorithm.oid,
        &to_verify,
        si.signature.as_bytes(),
    ) {
        Ok(true) => {}
        Ok(false) => return Err(VerifyError::BadSignature),
        Err(_) => return Err(VerifyError::Unsupported),
    }
    let signed_at = attrs
        .iter()
        .find(|a| a.oid == ID_SIGNING_TIME)
        .and_then(|a| a.values.get(0))
        .and_then(|v| v.decode_as::<x509_cert::time::Time>().ok())
        .and_then(|t| chrono::DateTime::from_timestamp(t.to_unix_duration().as_secs() as i64, 0));
    Ok(Signed {
        certificate: cert.to_der().map_err(malformed)?,
        signed_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{cms::sign_detached, pki};

    #[test]
    fn a_signature_verifies_over_its_own_bytes_only() {
        let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).expect("a fixed instant"); // tests never read the wall clock
        let ca = pki::demo_ca("СЭП", now, 10).unwrap();
        let agency = pki::issue_agency(&ca, "ФНС России", Some("7707329152"), now, 3).unwrap();
        let doc = b"%PDF-1.7 ...".to_vec();
        let sig = sign_detached(&doc, &agency.cert_der, &agency.key_pkcs8, now).unwrap();
        let ok = verify_detached(&doc, &sig).unwrap();
        assert_eq!(ok.certificate, agency.cert_der);
        assert_eq!(ok.signed_at.unwrap().timestamp(), now.timestamp());
        let mut altered = doc.clone();
        altered[3] ^= 1;
        assert_eq!(
            verify_detached(&altered, &sig).unwrap_err(),
            VerifyError::DigestMismatch
        );
        // A signature whose signed attributes were tampered with.
        let mut forged = sig.clone();
        let n = forged.len();
        forged[n - 3] ^= 1;
        assert!(verify_detached(&doc, &forged).is_err());
        assert_eq!(
            verify_detached(&doc, b"not a signature").unwrap_err(),
            VerifyError::Malformed
        );
    }
}
