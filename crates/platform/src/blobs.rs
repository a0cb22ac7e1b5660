//! Files at rest: content-addressed by the SHA-256 of their plain bytes,
//! encrypted (AES-256-GCM, bound to the digest), under `data/blobs/ab/cd/`.
//! A file is written to a temporary name, flushed to disk and renamed, so a
//! crash leaves either the whole file or none; it is written before the row
//! that names it commits, so a committed row never names a missing file.

use super::secrets::Secrets;
use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone)]
pub struct Blobs {
    dir: PathBuf,
    secrets: Secrets,
}

fn is_digest(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

pub fn digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Blobs {
    pub fn new(dir: PathBuf, secrets: Secrets) -> Self {
        Self { dir, secrets }
    }

    fn path(&self, digest: &str) -> PathBuf {
        self.dir.join(&digest[..2]).join(&digest[2..4]).join(digest)
    }

    /// Stores `bytes` (once, however often they are put) and returns their digest.
    pub async fn put(&self, bytes: Vec<u8>) -> anyhow::Result<String> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let digest = digest(&bytes);
            let path = this.path(&digest);
            if path.exists() {
                return Ok(digest);
            }
            let dir = path.parent().expect("a blob path has a parent");
            std::fs::create_dir_all(dir)?;
            let sealed = this.secrets.seal_bytes(&format!("blob/{digest}"), &bytes);
            let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
            tmp.write_all(&sealed)?;
            tmp.as_file().sync_all()?;
            tmp.persist(&path).map_err(|e| e.error)?;
            std::fs::File::open(dir)?.sync_all()?;
            Ok(digest)
        })
        .await?
    }

    /// The plain bytes of a stored file, checked against their digest.
    pub async fn get(&self, digest: &str) -> anyhow::Result<Vec<u8>> {
        if !is_digest(digest) {
            bail!("not a blob digest: {digest}");
        }
        let path = self.path(digest);
        let sealed = tokio::fs::read(&path)
            .await
            .with_context(|| format!("blob {digest}"))?;
        let plain = self
            .secrets
            .open_bytes(&format!("blob/{digest}"), &sealed)
            .with_context(|| format!("blob {digest}"))?;
        if self::digest(&plain) != digest {
            bail!("blob {digest} does not match its digest");
        }
        Ok(plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stored_once_encrypted_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Secrets::from_hex(&"11".repeat(32)).unwrap();
        let blobs = Blobs::new(dir.path().to_path_buf(), secrets);
        let text = b"%PDF-1.7 secret passport scan".to_vec();
        let d = blobs.put(text.clone()).await.unwrap();
        assert_eq!(blobs.put(text.clone()).await.unwrap(), d);
        assert_eq!(blobs.get(&d).await.unwrap(), text);
        let on_disk = std::fs::read(blobs.path(&d)).unwrap();
        assert!(
            !on_disk.windows(6).any(|w| w == b"secret"),
            "encrypted at rest"
        );
        let mut tampered = on_disk.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        std::fs::write(blobs.path(&d), tampered).unwrap();
        assert!(blobs.get(&d).await.is_err());
        assert!(blobs.get("../../etc/passwd").await.is_err());
    }
}
