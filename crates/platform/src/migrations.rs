//! Helpers for the schema migrations that each context owns. The binary lists
//! them in the order they run (`sep::migrations`): the platform knows no context.

use sea_orm_migration::prelude::*;

/// A unique index with a name both engines report the same way.
pub fn unique_index(
    name: &str,
    table: &'static str,
    cols: &[&'static str],
) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table).unique().if_not_exists();
    for c in cols {
        idx.col(*c);
    }
    idx.to_owned()
}

pub fn index(name: &str, table: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table).if_not_exists();
    for c in cols {
        idx.col(*c);
    }
    idx.to_owned()
}
