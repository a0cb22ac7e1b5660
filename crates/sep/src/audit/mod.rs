//! The audit journal: an append-only, hash-chained record of every state-changing
//! action (who, what, which object, when, from where, with what result).
//!
//! Every context appends through [`append`], inside the transaction of the change
//! it records, so the record and the change commit or vanish together. Each
//! record's hash covers the previous record's hash; [`verify`] recomputes the
//! chain and names the first record that was altered, removed or inserted.

pub mod http;
pub mod migration;
mod model;
mod store;

pub use model::{Entry, GENESIS, Record, chain_hash};
pub use store::{Verdict, append, list_for_actor, verify};
