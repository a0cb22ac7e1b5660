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

/// An index of only the rows where `condition` holds (both engines have
/// them): the due rows of a queue, however many are done.
pub async fn create_partial_index(
    m: &SchemaManager<'_>,
    name: &str,
    table: &str,
    cols: &str,
    condition: &str,
) -> Result<(), DbErr> {
    m.get_connection()
        .execute_unprepared(&format!(
            "CREATE INDEX IF NOT EXISTS {name} ON {table} ({cols}) WHERE {condition}"
        ))
        .await
        .map(|_| ())
}
