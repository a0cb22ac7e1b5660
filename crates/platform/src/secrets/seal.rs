//! Personal data at rest: AES-256-GCM with a fresh random 96-bit nonce per
//! value. A sealed value reads `v1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`;
//! the key id says which key sealed it, so a later key can be introduced while
//! old rows stay readable. The associated data names the table, column and row,
//! so a ciphertext copied into another row or column does not open.

use super::Secrets;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::Zeroizing;

const FORMAT: &str = "v1";
const NONCE_LEN: usize = 12;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("sealed value is malformed")]
    Malformed,
    #[error("sealed with key {0}, which this instance does not hold")]
    UnknownKey(String),
    #[error("sealed value fails authentication (altered, or moved from another row)")]
    Forged,
}

/// The data key and its public id, derived from the master secret rather than
/// stored, so one secret (env or key file) is all an operator must keep safe.
#[derive(Clone)]
pub(super) struct SealingKey {
    cipher: Aes256Gcm,
    id: String,
}

impl SealingKey {
    pub(super) fn derive(mac: impl Fn(&str) -> String) -> Self {
        let hex_key = Zeroizing::new(mac("data-encryption-key/1"));
        let mut key = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(hex_key.as_bytes(), key.as_mut()).expect("a MAC is 32 bytes");
        Self {
            cipher: Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key)),
            id: mac("data-key-id/1")[..8].to_string(),
        }
    }
}

impl Secrets {
    /// Short public name of the data key: safe to store and to log.
    pub fn key_id(&self) -> &str {
        &self.sealing.id
    }

    /// nonce ‖ ciphertext ‖ tag of `msg`, bound to `context`.
    fn encrypt(&self, context: &str, msg: &[u8]) -> Vec<u8> {
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let sealed = self
            .sealing
            .cipher
            .encrypt(
                &Nonce::from(nonce_bytes),
                Payload {
                    msg,
                    aad: context.as_bytes(),
                },
            )
            .expect("AES-GCM encryption fails only past 64 GiB");
        let mut blob = Vec::with_capacity(NONCE_LEN + sealed.len());
        blob.extend_from_slice(&nonce_bytes);
        blob.extend_from_slice(&sealed);
        blob
    }

    fn decrypt(&self, context: &str, blob: &[u8]) -> Result<Vec<u8>, SealError> {
        if blob.len() < NONCE_LEN {
            return Err(SealError::Malformed);
        }
        let (nonce_bytes, ciphertext) = blob.split_at(NONCE_LEN);
        let nonce_bytes: [u8; NONCE_LEN] = nonce_bytes.try_into().expect("split at NONCE_LEN");
        self.sealing
            .cipher
            .decrypt(
                &Nonce::from(nonce_bytes),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SealError::Forged)
    }

    /// Encrypts `plain`, bound to `context` (e.g. `profiles.snils/<user id>`).
    pub fn seal(&self, context: &str, plain: &str) -> String {
        let blob = self.encrypt(context, plain.as_bytes());
        format!(
            "{FORMAT}.{}.{}",
            self.key_id(),
            URL_SAFE_NO_PAD.encode(blob)
        )
    }

    /// Decrypts what [`seal`](Self::seal) made for the same `context`.
    pub fn open(&self, context: &str, sealed: &str) -> Result<String, SealError> {
        let mut parts = sealed.splitn(3, '.');
        let (Some(FORMAT), Some(kid), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(SealError::Malformed);
        };
        if kid != self.key_id() {
            return Err(SealError::UnknownKey(kid.to_string()));
        }
        let blob = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SealError::Malformed)?;
        String::from_utf8(self.decrypt(context, &blob)?).map_err(|_| SealError::Malformed)
    }

    /// Encrypts a file's bytes: `v1.<key id>.` then nonce ‖ ciphertext ‖ tag.
    pub fn seal_bytes(&self, context: &str, plain: &[u8]) -> Vec<u8> {
        let mut out = format!("{FORMAT}.{}.", self.key_id()).into_bytes();
        out.extend(self.encrypt(context, plain));
        out
    }

    /// Decrypts what [`seal_bytes`](Self::seal_bytes) made for the same `context`.
    pub fn open_bytes(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
        let mut dots = sealed.iter().enumerate().filter(|(_, b)| **b == b'.');
        let (Some((first, _)), Some((second, _))) = (dots.next(), dots.next()) else {
            return Err(SealError::Malformed);
        };
        if &sealed[..first] != FORMAT.as_bytes() {
            return Err(SealError::Malformed);
        }
        let kid =
            std::str::from_utf8(&sealed[first + 1..second]).map_err(|_| SealError::Malformed)?;
        if kid != self.key_id() {
            return Err(SealError::UnknownKey(kid.to_string()));
        }
        self.decrypt(context, &sealed[second + 1..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(byte: u8) -> Secrets {
        Secrets::from_hex(&hex::encode([byte; 32])).unwrap()
    }

    #[test]
    fn opens_what_it_sealed_and_hides_it() {
        let s = secrets(7);
        let sealed = s.seal("profiles.snils/u1", "11223344595");
        assert!(!sealed.contains("11223344595"));
        assert!(sealed.starts_with(&format!("v1.{}.", s.key_id())));
        assert_eq!(s.open("profiles.snils/u1", &sealed).unwrap(), "11223344595");
    }

    #[test]
    fn same_value_seals_differently_each_time() {
        let s = secrets(7);
        assert_ne!(s.seal("c", "4510 123456"), s.seal("c", "4510 123456"));
    }

    #[test]
    fn refuses_another_row_or_column() {
        let s = secrets(7);
        let sealed = s.seal("profiles.snils/u1", "11223344595");
        assert_eq!(s.open("profiles.snils/u2", &sealed), Err(SealError::Forged));
        assert_eq!(s.open("profiles.inn/u1", &sealed), Err(SealError::Forged));
    }

    #[test]
    fn refuses_an_altered_value() {
        let s = secrets(7);
        let sealed = s.seal("c", "secret");
        let mut bytes = sealed.into_bytes();
        let last = bytes.len() - 3;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap();
        assert_eq!(s.open("c", &altered), Err(SealError::Forged));
        assert_eq!(s.open("c", "plain text"), Err(SealError::Malformed));
    }

    #[test]
    fn names_a_key_it_does_not_hold() {
        let sealed = secrets(7).seal("c", "secret");
        let other = secrets(8);
        assert_eq!(
            other.open("c", &sealed),
            Err(SealError::UnknownKey(secrets(7).key_id().to_string()))
        );
    }
}
