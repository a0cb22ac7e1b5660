//! The service catalogue (SPEC M2): categories, services, agencies,
//! departments with their regions and officers, forms as data, routing rules,
//! and search in Russian.
//!
//! Owns the tables `agencies`, `departments`, `department_officers`,
//! `categories`, `services`, `service_forms`, `routing_rules` (and the search
//! index). Other contexts ask it through the
//! `sep_contracts::catalog::Catalogue` port, which [`Published`] answers.

pub mod admin_pages;
pub mod authz;
pub mod http;
pub mod migration;
pub mod model;
pub mod pages;
mod published;
pub mod service;
pub mod store;

pub use published::Published;
