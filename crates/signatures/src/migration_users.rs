use sea_orm_migration::{prelude::*, schema::*};
use sep_platform::{migrations::index, migrations::unique_index};

/// Users' own certificates, the acts they sign, and whether a trusted
/// certification authority is accredited (its certificates make qualified
/// signatures).
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000015_user_signatures"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("trust_anchors")
                .add_column(boolean("qualified").default(false))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("user_certificates")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("owner_id"))
                .col(string("fingerprint"))
                // Base64 of the DER; never the key.
                .col(text("certificate"))
                .col(string("subject"))
                .col(string("issuer"))
                .col(string("serial"))
                .col(string("anchor_fingerprint"))
                // enhanced or qualified: what signatures with it are.
                .col(string("level"))
                .col(timestamp_with_time_zone("not_before"))
                .col(timestamp_with_time_zone("not_after"))
                .col(timestamp_with_time_zone("added_at"))
                .col(timestamp_with_time_zone_null("annulled_at"))
                .col(text_null("annul_reason"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "user_certificates_owner_fingerprint",
            "user_certificates",
            &["owner_id", "fingerprint"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("signed_acts")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("owner_id"))
                // application, …
                .col(string("object_type"))
                .col(string("object_id"))
                // simple (the account's own confirmation), enhanced, qualified.
                .col(string("level"))
                .col(uuid_null("certificate_id"))
                // SHA-256 of the exact bytes signed.
                .col(string("payload_sha256"))
                // Base64 of the detached CMS, for enhanced and qualified ones.
                .col(text_null("signature"))
                .col(timestamp_with_time_zone("signed_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "signed_acts_object",
            "signed_acts",
            &["object_type", "object_id"],
        ))
        .await
    }
}
