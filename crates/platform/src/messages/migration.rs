use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

// Named explicitly: the derived name is the file's, and every context's file is `migration.rs`.
impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000001_outbound_messages"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("outbound_messages")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(string("channel"))
                .col(string("recipient"))
                .col(string_null("subject"))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("next_attempt_at"))
                // A sender holds a message until this time; a crashed sender's claim lapses.
                .col(timestamp_with_time_zone_null("claimed_until"))
                .col(integer("attempts"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(crate::migrations::index(
            "outbound_messages_due_idx",
            "outbound_messages",
            &["sent_at", "next_attempt_at"],
        ))
        .await
    }
}

/// A mail may carry a document, named by reference and rendered when sent.
pub struct Attachments;

impl MigrationName for Attachments {
    fn name(&self) -> &str {
        "m20261124_000010_outbound_message_attachments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Attachments {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("outbound_messages")
                .add_column(text_null("attachment"))
                .to_owned(),
        )
        .await
    }
}

/// Messages are claimed, oldest first, among those not yet sent, under the
/// write gate and on every wake of the follow-up: by this index of only
/// those, not by reading every message ever sent (44,000 after a burst of
/// submissions, each claim a scan while the gate waited).
pub struct DueIndex;

impl MigrationName for DueIndex {
    fn name(&self) -> &str {
        "m20261202_000022_outbound_messages_due"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for DueIndex {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        crate::migrations::create_partial_index(
            m,
            "outbound_messages_due_idx",
            "outbound_messages",
            "created_at, id",
            "sent_at IS NULL",
        )
        .await
    }
}
