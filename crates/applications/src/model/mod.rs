//! Application rules: no I/O.

pub mod number;
pub mod state;
pub mod upload_check;

pub use number::ApplicationNumber;
pub use state::{Action, Actor, Refusal, State};
