use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000013_signatures"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("trust_anchors")
                .if_not_exists()
                // SHA-256 of the certificate's DER, hex.
                .col(string("fingerprint").primary_key())
                .col(string("name"))
                // Base64 of the DER.
                .col(text("certificate"))
                // Only СЭП's own demo CA keeps its key (sealed), to issue
                // agency certificates; anchors added by administrators have none.
                .col(text_null("key"))
                .col(timestamp_with_time_zone("not_after"))
                .col(timestamp_with_time_zone("added_at"))
                .col(timestamp_with_time_zone_null("removed_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("issuer_certificates")
                .if_not_exists()
                .col(string("agency_code").primary_key())
                .col(text("certificate"))
                // PKCS#8, sealed.
                .col(text("key"))
                .col(string("fingerprint"))
                .col(string("issuer_fingerprint"))
                .col(timestamp_with_time_zone("not_before"))
                .col(timestamp_with_time_zone("not_after"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .to_owned(),
        )
        .await
    }
}
