//! Documents as the domain sees them, free of storage: kinds, content and
//! how an issued document looks, and what a check of a file can say.

mod kind;
mod sheet;
mod verdict;

pub use kind::{Kind, Need};
pub use sheet::{Block, Marks, Sheet, render};
pub use verdict::Verdict;
