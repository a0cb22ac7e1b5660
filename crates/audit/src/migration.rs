use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

// Named explicitly: the derived name is the file's, and every context's file is `migration.rs`.
impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000002_audit"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // `seq` is given by the writer, not by the engine: the chain needs gapless,
        // known numbers, and a missing number is itself evidence of a removed row.
        m.create_table(
            Table::create()
                .table("audit_events")
                .if_not_exists()
                .col(big_integer("seq").primary_key())
                .col(uuid("id"))
                .col(timestamp_with_time_zone("at"))
                .col(uuid_null("actor_id"))
                .col(string("action"))
                .col(string("object_type"))
                .col(string("object_id"))
                .col(string("ip"))
                .col(string("result"))
                .col(text("details"))
                .col(string("prev_hash"))
                .col(string("hash"))
                .to_owned(),
        )
        .await?;
        m.create_index(sep_platform::migrations::index(
            "audit_events_actor_idx",
            "audit_events",
            &["actor_id", "seq"],
        ))
        .await?;
        // One row holding the chain's head: every append locks and moves it, which
        // serialises appenders across instances on PostgreSQL.
        m.create_table(
            Table::create()
                .table("audit_head")
                .if_not_exists()
                .col(integer("id").primary_key())
                .col(big_integer("seq"))
                .col(string("hash"))
                .to_owned(),
        )
        .await?;
        let genesis = Query::insert()
            .into_table("audit_head")
            .columns(["id", "seq", "hash"])
            .values_panic([1.into(), 0i64.into(), crate::GENESIS.into()])
            .to_owned();
        m.exec_stmt(genesis).await
    }
}
