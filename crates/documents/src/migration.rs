use sea_orm_migration::{prelude::*, schema::*};
use sep_platform::{migrations::index, migrations::unique_index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000014_documents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("documents")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("owner_id"))
                .col(string("number").unique_key())
                .col(string("kind"))
                .col(string("title"))
                .col(string("agency_code"))
                // The batch it was ordered in; decisions have none.
                .col(uuid_null("order_id"))
                .col(uuid_null("application_id"))
                // pending → issued (rendered, signed, stored).
                .col(string("state"))
                // The unguessable part of the public check's address; fixed
                // when ordered, because the PDF prints it.
                .col(string("token").unique_key())
                .col(timestamp_with_time_zone("requested_at"))
                .col(timestamp_with_time_zone_null("issued_at"))
                // SHA-256 of the PDF: also the name of its encrypted blob.
                .col(string_null("sha256"))
                .col(string_null("streebog"))
                .col(big_integer_null("size_bytes"))
                // Base64 of the detached CMS signature's DER.
                .col(text_null("signature"))
                .col(string_null("signer_fingerprint"))
                // What the public check shows of the holder («П****** А. С.»).
                .col(string_null("holder_masked"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(text_null("revoked_reason"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "documents_owner",
            "documents",
            &["owner_id", "requested_at"],
        ))
        .await?;
        m.create_index(index("documents_sha256", "documents", &["sha256"]))
            .await?;
        m.create_index(index("documents_streebog", "documents", &["streebog"]))
            .await?;
        m.create_index(index("documents_state", "documents", &["state"]))
            .await?;
        // One decision document per application.
        m.create_index(unique_index(
            "documents_application_kind",
            "documents",
            &["application_id", "kind"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("document_counters")
                .if_not_exists()
                .col(integer("year").primary_key())
                .col(big_integer("last"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("postal_orders")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("document_id").unique_key())
                .col(uuid("owner_id"))
                // Sealed JSON: recipient, postcode, region, address.
                .col(text("delivery"))
                // requested → sent → delivered, or cancelled.
                .col(string("state"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("postal_orders_owner", "postal_orders", &["owner_id"]))
            .await
    }
}
