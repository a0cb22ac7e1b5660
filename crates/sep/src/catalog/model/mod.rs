//! The catalogue's rules: no I/O.

pub mod search;
