//! СЭП's binary crate: it wires the context crates into one server and holds
//! what belongs to no context. `app` is the one boot path (`App::build`, used
//! by `main` and by the tests), `cli` the operator's commands, `demo` the demo
//! data, `migrations` the order in which every context's migrations run, and
//! `ports` the answers one context gives another through a port.

pub mod app;
pub mod cli;
pub mod demo;
pub mod migrations;
pub mod ports;
