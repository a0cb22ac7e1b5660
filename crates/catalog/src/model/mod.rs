//! The catalogue's rules: no I/O.

pub use sep_forms as form;
pub mod search;
pub mod service;

pub use service::{
    ApplicationKind, CheckedService, Code, Route, RouteInput, ServiceInput, check_title, route_for,
};
