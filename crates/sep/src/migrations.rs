//! The ordered list of schema migrations. Each context owns its tables and its
//! migrations; this list only fixes the order in which they run, which never
//! changes for a migration already shipped (new ones go at the end).

use sea_orm_migration::prelude::*;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(sep_platform::messages::migration::Migration),
            Box::new(sep_audit::migration::Migration),
            Box::new(sep_identity::migration::Migration),
            Box::new(sep_catalog::migration::Migration),
            Box::new(sep_platform::events::migration::Migration),
            Box::new(sep_applications::migration::Migration),
            Box::new(sep_notifications::migration::Migration),
            Box::new(sep_payments::migration::Migration),
            Box::new(sep_payments::migration::intents::Migration),
            Box::new(sep_platform::messages::migration::Attachments),
            Box::new(sep_catalog::migration::AgencyPayees),
            Box::new(sep_payments::migration::documents::Migration),
            Box::new(sep_signatures::migration::Migration),
            Box::new(sep_documents::migration::Migration),
            Box::new(sep_signatures::migration_users::Migration),
            Box::new(sep_identity::migration::StaffAgency),
            Box::new(sep_payments::migration::charges::ChargeAgency),
            Box::new(sep_platform::throttle::migration::Migration),
            Box::new(sep_applications::migration::StateIndex),
            Box::new(sep_payments::migration::charges::PaidIndex),
            Box::new(sep_platform::events::migration::DueIndex),
            Box::new(sep_platform::messages::migration::DueIndex),
        ]
    }
}

/// Brings the schema up to date.
pub async fn run(db: &sep_platform::db::Db) -> Result<(), DbErr> {
    Migrator::up(&**db, None).await
}
