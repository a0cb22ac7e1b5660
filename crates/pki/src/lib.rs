//! СЭП's public-key machinery, free of storage and HTTP: certification
//! authorities and X.509 certificates (`pki`, `certificate`), detached CMS
//! signatures made and checked over the exact bytes of a document (`cms`,
//! `verify`), the digests a document is known by (`digest`), and the bounds a
//! PKCS #12 file must keep before it is opened (`p12_bounds`). Changes rarely,
//! so the contexts that sign build on it without rebuilding it.

pub mod certificate;
pub mod cms;
pub mod digest;
pub mod p12_bounds;
pub mod pki;
pub mod verify;
