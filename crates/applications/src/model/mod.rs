//! Application rules: no I/O.

pub mod number;
pub use sep_contracts::applications::state;
pub mod upload_check;

pub use number::ApplicationNumber;
pub use state::{Action, Actor, Refusal, State};
