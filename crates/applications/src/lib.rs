//! Applications (SPEC M3): submission against a form version with
//! attachments, idempotent; the human number; the state machine with its
//! public history; routing to a department, officers' queues and decisions;
//! deadlines in working days.

pub mod authz;
pub use sep_contracts::applications as events;
pub mod http;
pub mod migration;
pub mod model;
pub mod pages;
mod published;
pub mod service;
pub mod store;

pub use published::Published;
