//! SQL for payments. Services call these functions; nothing else touches the
//! payments context's tables.

mod cards;
mod charges;
mod documents;
mod intents;

pub use cards::*;
pub use charges::*;
pub use documents::*;
pub use intents::*;
