//! Electronic signatures (SPEC M5): the demo certification authority and
//! the trust list, agencies' signing keys, people's certificates and the acts
//! they sign. The certificate and CMS machinery itself is in `sep-pki`.
//!
//! Owns `trust_anchors`, `issuer_certificates`, users' certificates and
//! signed acts; private keys are sealed.

pub mod acts;
pub mod anchors;
pub mod holder;
pub mod http;
pub mod migration;
pub mod migration_users;
pub mod pages;
mod published;
pub mod service;
mod store;
pub mod trust;
pub mod users;

pub use published::Published;
