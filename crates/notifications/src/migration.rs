use sea_orm_migration::{prelude::*, schema::*};
use sep_platform::migrations::index;

pub struct Migration;

// Named explicitly: the derived name is the file's, and every context's file is `migration.rs`.
impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000007_notifications"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("notifications")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("user_id"))
                .col(string("kind"))
                // The event it came from: one notice per person per event, however often dispatched.
                .col(uuid("event_id"))
                .col(text("payload"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("read_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "notifications_user_idx",
            "notifications",
            &["user_id", "created_at"],
        ))
        .await?;
        m.create_index(sep_platform::migrations::unique_index(
            "notifications_event_user_key",
            "notifications",
            &["event_id", "user_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("notification_preferences")
                .if_not_exists()
                .col(uuid("user_id"))
                .col(string("kind"))
                .col(string("channel"))
                .col(boolean("enabled"))
                .primary_key(Index::create().col("user_id").col("kind").col("channel"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
