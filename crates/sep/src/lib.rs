//! СЭП: e-government services platform. One library, one binary (`sep`).
//!
//! Layout: `ids` (validated identifiers shared by all), `platform` (config,
//! storage, messages, languages, errors), one module per bounded context
//! (`identity`, `audit`, …), `web` (the cabinet's page machinery), `app` (the
//! one boot path used by `main` and by tests), `cli` (the operator's commands).

pub mod app;
pub mod cli;
pub mod demo;
pub mod migrations;
pub mod ports;
