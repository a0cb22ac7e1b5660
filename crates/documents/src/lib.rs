//! Documents (SPEC M5): certificates (справки) built from agencies'
//! registries and decisions on applications, issued as PDF files with a
//! visible stamp and a QR code to their public check, signed by the issuing
//! agency (detached CMS), stored encrypted; the holder's «Мои документы»;
//! the check that tells authentic, altered or revoked; revocation.
//!
//! Owns `documents`, `document_counters` and `postal_orders`. The PDF
//! composer here is also what other contexts render their documents with
//! (receipts, statements).

pub use sep_contracts::documents as events;
pub mod http;
pub mod migration;
pub mod model;
pub mod pages;
pub mod registry;
pub mod service;
mod store;
