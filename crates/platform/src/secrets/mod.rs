//! The instance's master secret: keys the hashes of one-time codes and tokens, so
//! that a copy of the database alone is not enough to forge or test them, and
//! the encryption of personal data at rest (`seal`).
//! Taken from `SEP_MASTER_KEY` (64 hex digits; all instances of one deployment
//! must share it) or created once in `data/keys/master.key`.

use anyhow::{Context, bail};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::path::Path;
use zeroize::Zeroizing;

#[derive(Clone)]
pub struct Secrets {
    master: Zeroizing<[u8; 32]>,
    /// Derived once here, not per value sealed or opened.
    sealing: seal::SealingKey,
}

impl Secrets {
    pub fn load(data_dir: &Path) -> anyhow::Result<Self> {
        if let Ok(hex_key) = std::env::var("SEP_MASTER_KEY") {
            return Self::from_hex(&hex_key).context("SEP_MASTER_KEY");
        }
        let path = data_dir.join("keys").join("master.key");
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_hex(text.trim()).with_context(|| format!("{}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let master = Zeroizing::new(rand::random::<[u8; 32]>());
                std::fs::create_dir_all(path.parent().unwrap_or(data_dir))?;
                write_private(&path, Zeroizing::new(hex::encode(*master)).as_bytes())?;
                Ok(Self::new(master))
            }
            Err(e) => Err(e).with_context(|| format!("{}", path.display())),
        }
    }

    pub fn from_hex(s: &str) -> anyhow::Result<Self> {
        let bytes = Zeroizing::new(hex::decode(s)?);
        let Ok(master) = <[u8; 32]>::try_from(bytes.as_slice()) else {
            bail!("must be 32 bytes (64 hex digits)")
        };
        Ok(Self::new(Zeroizing::new(master)))
    }

    fn new(master: Zeroizing<[u8; 32]>) -> Self {
        let sealing = seal::SealingKey::derive(|purpose| mac_with(&master, purpose, b""));
        Self { master, sealing }
    }

    /// HMAC-SHA-256 of `data` under a key derived for `purpose`, in hex.
    pub fn mac(&self, purpose: &str, data: &[u8]) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.master.as_ref())
            .expect("any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(data);
        hex::encode(mac.finalize().into_bytes())
    }
}

fn mac_with(master: &[u8; 32], purpose: &str, data: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(master).expect("any key length");
    mac.update(purpose.as_bytes());
    mac.update(&[0]);
    mac.update(data);
    hex::encode(mac.finalize().into_bytes())
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(bytes)
}

mod seal;
pub use seal::SealError;
