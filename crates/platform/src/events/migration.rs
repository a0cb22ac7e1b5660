use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

// Named explicitly: the derived name is the file's, and every context's file is `migration.rs`.
impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000005_domain_events"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("domain_events")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(string("kind"))
                .col(string("subject"))
                // JSON array of the user ids the event concerns (who may see it live).
                .col(text("audience"))
                .col(text("payload"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(integer("attempts"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone_null("dispatched_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(crate::migrations::index(
            "domain_events_due_idx",
            "domain_events",
            &["dispatched_at", "next_attempt_at"],
        ))
        .await
    }
}

/// The dispatcher looks for the events not yet dispatched, oldest first, on
/// every wake: by this index of only those, not by walking every event ever
/// dispatched (after a burst of 20,000 submissions that walk took the write
/// gate's share of every second).
pub struct DueIndex;

impl MigrationName for DueIndex {
    fn name(&self) -> &str {
        "m20261202_000021_domain_events_due"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for DueIndex {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        crate::migrations::create_partial_index(
            m,
            "domain_events_due_idx",
            "domain_events",
            "id",
            "dispatched_at IS NULL",
        )
        .await
    }
}
