use sea_orm_migration::{prelude::*, schema::*};
use sep_platform::{migrations::index, migrations::unique_index};

/// Traffic fines are found by the driver licence and the vehicle's
/// registration certificate (СТС): charges name them by keyed hash, and a
/// person keeps the ones to search by.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000012_payer_documents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["payer_licence_lookup", "payer_vehicle_lookup"] {
            m.alter_table(
                Table::alter()
                    .table("charges")
                    .add_column(string_null(column))
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(index(
            "charges_payer_licence",
            "charges",
            &["payer_licence_lookup"],
        ))
        .await?;
        m.create_index(index(
            "charges_payer_vehicle",
            "charges",
            &["payer_vehicle_lookup"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("payer_documents")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("owner_id"))
                // driver_licence, vehicle_certificate
                .col(string("kind"))
                // Sealed: shown back to its owner only.
                .col(text("number"))
                .col(string("lookup"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "payer_documents_key",
            "payer_documents",
            &["owner_id", "kind", "lookup"],
        ))
        .await
    }
}
