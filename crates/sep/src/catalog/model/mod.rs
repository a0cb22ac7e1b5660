//! The catalogue's rules: no I/O.

pub mod form;
pub mod search;
