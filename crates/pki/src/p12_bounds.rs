//! How much work a .p12/.pfx asks for before it is opened. Opening runs the
//! key derivation of every encrypted safe and shrouded key with the
//! iteration count the file itself names (up to millions each), so a small
//! file can cost minutes of CPU. The plain layers of the file (the PFX, the
//! authenticated safe, the MAC data, every algorithm's parameters) are
//! walked first with the `der` reader, and a file naming too many safes or
//! too many iterations in all is refused unopened. No crate answers this
//! question: the PKCS#12 readers just do the work.

use der::asn1::AnyRef;
use der::{Reader, SliceReader, Tag, Tagged};

/// Content infos (safes) in the authenticated safe: a key and a chain need two.
pub const MAX_SAFES: usize = 8;
/// Key-derivation iterations named in all: OpenSSL 3 writes 2,048 per
/// layer, Windows 2,000, the most cautious exporters 600,000 for the key.
pub const MAX_ITERATIONS: u64 = 2_000_000;
/// Nesting deeper than any real file has.
const MAX_DEPTH: usize = 16;

/// 1.2.840.113549.1.7.1 (data) and 1.2.840.113549.1.7.6 (encryptedData).
const OID_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const OID_ENCRYPTED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Work {
    pub safes: usize,
    pub iterations: u64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TooMuch {
    Safes(usize),
    Iterations(u64),
}

/// The work `file` names in its plain layers; refused past the bounds. A file
/// that is not DER at all is left to the reader, which refuses it cheaply.
pub fn check(file: &[u8]) -> Result<Work, TooMuch> {
    let mut work = Work::default();
    walk(file, 0, &mut work)?;
    Ok(work)
}

fn children(bytes: &[u8]) -> Option<Vec<AnyRef<'_>>> {
    let mut r = SliceReader::new(bytes).ok()?;
    let mut out = Vec::new();
    while !r.is_finished() {
        out.push(r.decode::<AnyRef<'_>>().ok()?);
        if out.len() > 4096 {
            return None;
        }
    }
    Some(out)
}

fn integer(any: &AnyRef<'_>) -> u64 {
    let v = any.value();
    if v.len() > 8 {
        return u64::MAX;
    }
    v.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b))
}

fn walk(bytes: &[u8], depth: usize, work: &mut Work) -> Result<(), TooMuch> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let Some(items) = children(bytes) else {
        return Ok(());
    };
    for item in &items {
        let tag = item.tag();
        if tag == Tag::ObjectIdentifier
            && (item.value() == OID_DATA || item.value() == OID_ENCRYPTED_DATA)
        {
            work.safes += 1;
            // The outermost content info (the PFX's own) is not a safe.
            if work.safes > MAX_SAFES + 1 {
                return Err(TooMuch::Safes(work.safes - 1));
            }
        }
        if tag == Tag::Sequence
            && let Some(inner) = children(item.value())
        {
            let tags: Vec<Tag> = inner.iter().map(|a| a.tag()).collect();
            // PBKDF2 and PKCS#12 PBE parameters: salt, then iterations;
            // MAC data: digest, salt, then iterations.
            let iterations = match tags.as_slice() {
                [Tag::OctetString, Tag::Integer, ..] => Some(integer(&inner[1])),
                [Tag::Sequence, Tag::OctetString, Tag::Integer] => Some(integer(&inner[2])),
                _ => None,
            };
            if let Some(n) = iterations {
                work.iterations = work.iterations.saturating_add(n);
                if work.iterations > MAX_ITERATIONS {
                    return Err(TooMuch::Iterations(work.iterations));
                }
            }
        }
        if tag.is_constructed() {
            walk(item.value(), depth + 1, work)?;
        } else if tag == Tag::OctetString {
            // The authenticated safe and plain safe contents travel inside
            // octet strings; encrypted ones do not parse and are skipped.
            walk(item.value(), depth + 1, work)?;
        }
    }
    Ok(())
}

/// Building PFX-shaped DER for tests (here and black-box): no file on disk
/// holds two hundred safes.
#[doc(hidden)]
pub mod samples {
    use super::{OID_DATA, OID_ENCRYPTED_DATA};

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let n = content.len();
        if n < 0x80 {
            out.push(n as u8);
        } else if n < 0x100 {
            out.extend([0x81, n as u8]);
        } else if n < 0x10000 {
            out.extend([0x82, (n >> 8) as u8, n as u8]);
        } else {
            out.extend([0x83, (n >> 16) as u8, (n >> 8) as u8, n as u8]);
        }
        out.extend_from_slice(content);
        out
    }

    fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        tlv(0x30, &parts.concat())
    }

    fn int(n: u32) -> Vec<u8> {
        let b = n.to_be_bytes();
        let first = b.iter().position(|x| *x != 0).unwrap_or(3);
        let mut v = b[first..].to_vec();
        if v[0] & 0x80 != 0 {
            v.insert(0, 0);
        }
        tlv(0x02, &v)
    }

    /// A PFX whose authenticated safe holds `safes` encrypted safes, each
    /// asking for `iterations` of PBKDF2, and a MAC of `mac_iterations`.
    pub fn sample_pfx(safes: usize, iterations: u32, mac_iterations: u32) -> Vec<u8> {
        let pbkdf2_oid = tlv(
            0x06,
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c],
        );
        let pbes2_oid = tlv(
            0x06,
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d],
        );
        let kdf = seq(&[pbkdf2_oid, seq(&[tlv(0x04, &[7; 8]), int(iterations)])]);
        let algorithm = seq(&[pbes2_oid, seq(&[kdf])]);
        let encrypted_content_info = seq(&[tlv(0x06, OID_DATA), algorithm, tlv(0x80, &[0xAB; 32])]);
        let encrypted_data = seq(&[int(0), encrypted_content_info]);
        let safe = seq(&[tlv(0x06, OID_ENCRYPTED_DATA), tlv(0xA0, &encrypted_data)]);
        let authenticated_safe = seq(&vec![safe; safes]);
        let auth_safe = seq(&[
            tlv(0x06, OID_DATA),
            tlv(0xA0, &tlv(0x04, &authenticated_safe)),
        ]);
        let sha256 = seq(&[
            tlv(
                0x06,
                &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01],
            ),
            tlv(0x05, &[]),
        ]);
        let mac = seq(&[
            seq(&[sha256, tlv(0x04, &[1; 32])]),
            tlv(0x04, &[2; 8]),
            int(mac_iterations),
        ]);
        seq(&[int(3), auth_safe, mac])
    }
}

#[cfg(test)]
mod tests {
    use super::samples::sample_pfx as pfx;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_usual_file_passes_and_its_work_is_counted() {
        let w = check(&pfx(2, 2048, 2048)).unwrap();
        assert_eq!(w.iterations, 2048 * 3);
    }

    #[test]
    fn two_hundred_safes_or_millions_of_iterations_are_refused_unopened() {
        assert!(matches!(
            check(&pfx(200, 2048, 2048)),
            Err(TooMuch::Safes(_))
        ));
        assert!(matches!(
            check(&pfx(2, 1_000_000, 2048)),
            Err(TooMuch::Iterations(_))
        ));
        assert!(matches!(
            check(&pfx(1, 2048, u32::MAX)),
            Err(TooMuch::Iterations(_))
        ));
    }

    #[test]
    fn what_is_not_der_is_left_to_the_reader() {
        // OpenSSL's real files pass through the black-box upload tests.
        assert_eq!(check(b"not der at all"), Ok(Work::default()));
    }

    proptest! {
        #[test]
        fn no_byte_string_panics_the_walk(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
            let _ = check(&bytes);
        }
    }
}
