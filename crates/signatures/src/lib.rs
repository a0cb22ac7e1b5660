//! Electronic signatures (SPEC M5): the issuing side's public-key
//! infrastructure and detached CMS signatures over the exact bytes of a
//! document. (Being built: issue 5 — so far the demo certification authority
//! on the trust list, agency certificates, signing and the published CA;
//! verification, revocation and users' certificates come next.)
//!
//! Owns `trust_anchors` and `issuer_certificates`; private keys are sealed.

pub mod acts;
pub mod anchors;
pub mod holder;
pub mod http;
pub mod migration;
pub mod migration_users;
pub mod pages;
pub mod service;
mod store;
pub mod trust;
pub mod users;
