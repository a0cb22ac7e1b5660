//! Identity and access (ЕСИА-like): accounts, registration with a code, login
//! with a second factor, sessions, profile, roles, lockout.
//!
//! Owns the tables `users`, `user_roles`, `profiles`, `one_time_codes`,
//! `sessions`, `login_events`. Other contexts ask it who a user is through
//! [`service`] and [`auth`], never through those tables.

pub mod auth;
pub mod authz;
pub mod http;
pub mod http_audit;
pub mod migration;
pub mod model;
pub mod pages;
pub mod service;
pub mod store;
pub mod visit;
