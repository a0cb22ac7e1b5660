use sea_orm_migration::{prelude::*, schema::*};
use sep_platform::{migrations::index, migrations::unique_index};

pub struct Migration;

// Named explicitly: the derived name is the file's, and every context's file is `migration.rs`.
impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000006_applications"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("applications")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(string("number"))
                .col(uuid("applicant_id"))
                .col(string("service_code"))
                .col(integer("form_version"))
                .col(string("kind"))
                .col(string_null("region_code"))
                .col(string_null("department_code"))
                .col(uuid_null("assignee_id"))
                .col(string("state"))
                .col(string("priority"))
                // Sealed (AES-GCM): the answers hold personal data.
                .col(text("answers"))
                .col(big_integer("fee_kopecks"))
                .col(timestamp_with_time_zone("submitted_at"))
                .col(date("due_on"))
                .col(boolean("overdue"))
                .col(timestamp_with_time_zone_null("escalated_at"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(text_null("decision_reason"))
                .col(timestamp_with_time_zone("updated_at"))
                // Bumped by every transition: two officers acting at once cannot both win.
                .col(integer("version"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "applications_number_key",
            "applications",
            &["number"],
        ))
        .await?;
        m.create_index(index(
            "applications_applicant_idx",
            "applications",
            &["applicant_id", "submitted_at"],
        ))
        .await?;
        m.create_index(index(
            "applications_queue_idx",
            "applications",
            &["department_code", "state", "due_on"],
        ))
        .await?;
        m.create_index(index(
            "applications_due_idx",
            "applications",
            &["overdue", "due_on"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("application_counters")
                .if_not_exists()
                .col(integer("year").primary_key())
                .col(big_integer("last"))
                .to_owned(),
        )
        .await?;

        // The public history: every transition with who, when and a comment.
        m.create_table(
            Table::create()
                .table("application_events")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("application_id"))
                .col(timestamp_with_time_zone("at"))
                .col(uuid_null("actor_id"))
                .col(string("actor"))
                .col(string("action"))
                .col(string("from_state"))
                .col(string("to_state"))
                .col(text_null("comment"))
                .foreign_key(
                    ForeignKey::create()
                        .from("application_events", "application_id")
                        .to("applications", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "application_events_app_idx",
            "application_events",
            &["application_id", "at"],
        ))
        .await?;

        // Idempotency-Key → the application it made, for 24 hours.
        m.create_table(
            Table::create()
                .table("idempotency_keys")
                .if_not_exists()
                .col(uuid("owner_id"))
                .col(string("key"))
                .col(string("request_hash"))
                .col(uuid("application_id"))
                .col(timestamp_with_time_zone("expires_at"))
                .primary_key(Index::create().col("owner_id").col("key"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("attachments")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("owner_id"))
                .col(string("digest"))
                .col(big_integer("size"))
                .col(string("media_type"))
                .col(string("file_name"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("attachments_owner_idx", "attachments", &["owner_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("application_files")
                .if_not_exists()
                .col(uuid("application_id"))
                .col(string("field"))
                .col(uuid("attachment_id"))
                .primary_key(Index::create().col("application_id").col("field"))
                .foreign_key(
                    ForeignKey::create()
                        .from("application_files", "application_id")
                        .to("applications", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("application_files", "attachment_id")
                        .to("attachments", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "application_files_attachment_idx",
            "application_files",
            &["attachment_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("drafts")
                .if_not_exists()
                .col(uuid("owner_id"))
                .col(string("service_code"))
                .col(integer("form_version"))
                .col(text("answers"))
                .col(timestamp_with_time_zone("updated_at"))
                .primary_key(Index::create().col("owner_id").col("service_code"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

/// The sweep looks for applications a crash left before routing by their
/// state alone: without this index it read the whole table every ten
/// seconds, which at a million applications showed in every request's p99.
pub struct StateIndex;

impl MigrationName for StateIndex {
    fn name(&self) -> &str {
        "m20261201_000019_applications_state"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for StateIndex {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index(
            "applications_state_idx",
            "applications",
            &["state", "submitted_at"],
        ))
        .await
    }
}
