//! Electronic signatures (SPEC M5): the issuing side's public-key
//! infrastructure and detached CMS signatures over the exact bytes of a
//! document. (Being built: issue 5 — so far the demo certification authority,
//! agency certificates and signing; storage, trust list, revocation,
//! verification and users' certificates come next.)

pub mod cms;
pub mod digest;
pub mod pki;
