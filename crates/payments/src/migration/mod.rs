//! The payments context's tables, in the order they came.

pub mod charges;
pub mod documents;
pub mod intents;

pub use charges::Migration;
