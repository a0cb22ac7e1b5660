//! The ordered list of schema migrations. Each context owns its tables and its
//! migrations; this list only fixes the order in which they run.

use sea_orm_migration::prelude::*;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(crate::platform::messages::migration::Migration),
            Box::new(crate::audit::migration::Migration),
            Box::new(crate::identity::migration::Migration),
            Box::new(crate::catalog::migration::Migration),
            Box::new(crate::platform::events::migration::Migration),
            Box::new(crate::applications::migration::Migration),
            Box::new(crate::notifications::migration::Migration),
            Box::new(crate::payments::migration::Migration),
            Box::new(crate::payments::migration::intents::Migration),
            Box::new(crate::platform::messages::migration::Attachments),
            Box::new(crate::catalog::migration::AgencyPayees),
            Box::new(crate::payments::migration::documents::Migration),
            Box::new(crate::signatures::migration::Migration),
            Box::new(crate::documents::migration::Migration),
            Box::new(crate::signatures::migration_users::Migration),
            Box::new(crate::identity::migration::StaffAgency),
            Box::new(crate::payments::migration::charges::ChargeAgency),
            Box::new(crate::platform::throttle::migration::Migration),
        ]
    }
}

pub async fn run(db: &crate::platform::db::Db) -> Result<(), DbErr> {
    Migrator::up(&**db, None).await
}

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
