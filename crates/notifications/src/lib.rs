//! Notifications (SPEC M7): notices in the cabinet with unread counts, email
//! and SMS per each person's preferences, and the live event stream.
//!
//! Owns the tables `notifications` and `notification_preferences`. It learns
//! what happened from domain events ([`service::Notifier`]), never from other
//! contexts' tables.

pub mod http;
pub mod migration;
pub mod model;
pub mod pages;
pub mod service;
mod store;
