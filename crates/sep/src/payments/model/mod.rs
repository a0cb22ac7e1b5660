//! Payment rules: no I/O.

pub mod ledger;

pub use ledger::{LedgerAccount, Movement, Posting, Unbalanced, balance};
