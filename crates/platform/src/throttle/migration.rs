use sea_orm_migration::{prelude::*, schema::*};

/// One row per limited subject: the GCRA's theoretical arrival time, in
/// milliseconds since the epoch (an integer both engines compare alike).
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000018_throttle_buckets"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("throttle_buckets")
                .if_not_exists()
                // `<limit>:<keyed hash of the subject>`: no number or login in clear.
                .col(string("key").primary_key())
                .col(big_integer("tat_ms"))
                .to_owned(),
        )
        .await
    }
}
