//! Payments (SPEC M4): charges identified by УИН, payment intents through an
//! acquirer without double charges, receipts, linked cards and the personal
//! account as a double-entry ledger, refunds, statements and state fees.
//!
//! Owns `charges`, payment intents, cards, the ledger and refunds. The payer's ИНН and СНИЛС are
//! sealed, with keyed hashes to find a person's charges.

pub mod acquirer;
pub mod authz;
pub use sep_contracts::payments as events;
pub mod http;
pub mod ledger;
pub mod migration;
pub mod model;
pub mod pages;
mod published;
pub mod service;
mod store;

pub use published::Published;
