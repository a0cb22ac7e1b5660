//! Applications (SPEC M3): submission against a form version with
//! attachments, idempotent; the human number; the state machine with its
//! public history; routing to a department, officers' queues and decisions;
//! deadlines in working days.

pub mod authz;
pub mod events;
pub mod http;
pub mod migration;
pub mod model;
pub mod pages;
pub mod service;
pub mod store;
