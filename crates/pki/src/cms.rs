//! Detached CMS (PKCS#7) signatures: SignedData without the content, over
//! the SHA-256 of the document's exact bytes, signed attributes (content
//! type, message digest, signing time), the signer's certificate included.
//! What `openssl cms -verify -binary -content doc.pdf` accepts.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use der::asn1::{OctetString, SetOfVec, UtcTime};
use der::{Any, Decode, Encode};
use p256::NistP256;
use p256::pkcs8::DecodePrivateKey;
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
pub(super) const ID_MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
pub(super) const ID_SIGNING_TIME: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
pub(super) const ID_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("signer's certificate: {0}")]
    Certificate(der::Error),
    #[error("signer's key: {0}")]
    Key(String),
    #[error("encoding the signature: {0}")]
    Encode(#[from] der::Error),
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, der::Error> {
    let mut values = SetOfVec::new();
    values.insert(value)?;
    Ok(Attribute { oid, values })
}

/// The DER of a detached signature of `content` made at `at` by the holder
/// of `cert_der` and its PKCS#8 `key`. Built here from the `cms` crate's
/// types: its builder does not compile against today's RustCrypto releases.
pub fn sign_detached(
    content: &[u8],
    cert_der: &[u8],
    key: &[u8],
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<u8>, SignError> {
    let cert = x509_cert::Certificate::from_der(cert_der).map_err(SignError::Certificate)?;
    let secret = p256::SecretKey::from_pkcs8_der(key).map_err(|e| SignError::Key(e.to_string()))?;
    let signer = ecdsa::SigningKey::<NistP256>::from(secret);
    let digest = Sha256::digest(content);
    let sha256 = AlgorithmIdentifierOwned {
        oid: ID_SHA256,
        parameters: None,
    };
    let when =
        UtcTime::from_unix_duration(std::time::Duration::from_secs(at.timestamp().max(0) as u64))?;
    let mut signed_attrs = SetOfVec::new();
    signed_attrs.insert(attribute(ID_CONTENT_TYPE, Any::encode_from(&ID_DATA)?)?)?;
    signed_attrs.insert(attribute(
        ID_MESSAGE_DIGEST,
        Any::encode_from(&OctetString::new(digest.to_vec())?)?,
    )?)?;
    signed_attrs.insert(attribute(ID_SIGNING_TIME, Any::encode_from(&when)?)?)?;
    // RFC 5652 §5.4: the signature covers the attributes' DER as a SET OF.
    let to_sign = signed_attrs.to_der()?;
    let signature: p256::ecdsa::DerSignature = signature::Signer::sign(&signer, &to_sign);
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate().issuer().clone(),
            serial_number: cert.tbs_certificate().serial_number().clone(),
        }),
        digest_alg: sha256.clone(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: AlgorithmIdentifierOwned {
            oid: ECDSA_WITH_SHA256,
            parameters: None,
        },
        signature: OctetString::new(signature.as_bytes())?,
        unsigned_attrs: None,
    };
    let mut digest_algorithms = SetOfVec::new();
    digest_algorithms.insert(sha256)?;
    let mut certificates = SetOfVec::new();
    certificates.insert(CertificateChoices::Certificate(cert))?;
    let mut signer_infos = SetOfVec::new();
    signer_infos.insert(signer_info)?;
    let signed = SignedData {
        version: CmsVersion::V1,
        digest_algorithms,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(certificates)),
        crls: None,
        signer_infos: SignerInfos(signer_infos),
    };
    Ok(ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed)?,
    }
    .to_der()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki;

    /// The structure that comes out (openssl's verdict is checked by the
    /// black-box test against the published CA).
    #[test]
    fn the_signature_is_detached_carries_the_signer_and_signs_the_digest() {
        let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).expect("a fixed instant"); // tests never read the wall clock
        let ca = pki::demo_ca("СЭП", now, 10).unwrap();
        let agency = pki::issue_agency(&ca, "ФНС России", Some("7707329152"), now, 3).unwrap();
        let der = sign_detached(b"%PDF-1.7 ...", &agency.cert_der, &agency.key_pkcs8, now).unwrap();
        let info = ContentInfo::from_der(&der).unwrap();
        assert_eq!(info.content_type, ID_SIGNED_DATA);
        let signed: SignedData = info.content.decode_as().unwrap();
        assert!(signed.encap_content_info.econtent.is_none(), "detached");
        assert_eq!(signed.certificates.unwrap().0.len(), 1);
        let si = signed.signer_infos.0.get(0).unwrap().clone();
        let attrs = si.signed_attrs.unwrap();
        let digest = attrs
            .iter()
            .find(|a| a.oid == ID_MESSAGE_DIGEST)
            .unwrap()
            .values
            .get(0)
            .unwrap()
            .decode_as::<OctetString>()
            .unwrap();
        assert_eq!(
            digest.as_bytes(),
            Sha256::digest(b"%PDF-1.7 ...").as_slice()
        );
        // The signature verifies over the attributes with the signer's key.
        let cert = x509_cert::Certificate::from_der(&agency.cert_der).unwrap();
        let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(
            cert.tbs_certificate()
                .subject_public_key_info()
                .subject_public_key
                .raw_bytes(),
        )
        .unwrap();
        let sig = p256::ecdsa::DerSignature::try_from(si.signature.as_bytes()).unwrap();
        use signature::Verifier;
        assert!(key.verify(&attrs.to_der().unwrap(), &sig).is_ok());
        assert!(key.verify(b"other bytes", &sig).is_err());
    }
}
