//! The digests recorded for every signed document: SHA-256 (what the CMS
//! signature covers, what standard tools check) and ГОСТ Р 34.11-2012
//! «Стрибог» 256 (what Russian systems look a document up by).

use serde::Serialize;
use sha2::{Digest, Sha256};
use streebog::Streebog256;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Digests {
    pub sha256: String,
    pub streebog256: String,
}

pub fn digests(bytes: &[u8]) -> Digests {
    Digests {
        sha256: hex::encode(Sha256::digest(bytes)),
        streebog256: hex::encode(Streebog256::digest(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streebog_matches_the_gost_engine_reference_vector() {
        // gost-engine test/01-digest.t: "12345670" repeated 128 times.
        let message = b"12345670".repeat(128);
        assert_eq!(
            digests(&message).streebog256,
            "1906512b86a1283c68cec8419e57113efc562a1d0e95d8f4809542900c416fe4"
        );
        assert_eq!(
            digests(b"abc").sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
