use sea_orm_migration::{prelude::*, schema::*};
use sep_platform::migrations::index;

pub struct Migration;

// Named explicitly: the derived name is the file's, and every context's file is `migration.rs`.
impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000008_payments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("charges")
                .if_not_exists()
                .col(string("uin").primary_key())
                .col(string("kind"))
                .col(text("purpose"))
                .col(string("payee_name"))
                .col(string("payee_inn"))
                .col(string("payee_kpp"))
                .col(string("payee_bik"))
                .col(string("payee_account"))
                .col(big_integer("amount_kopecks"))
                .col(date_null("due_on"))
                .col(small_integer_null("discount_percent"))
                .col(date_null("discount_until"))
                // The payer's ИНН and СНИЛС are personal data: sealed for
                // showing, keyed hashes for finding a person's charges.
                .col(string_null("payer_inn"))
                .col(string_null("payer_inn_lookup"))
                .col(string_null("payer_snils"))
                .col(string_null("payer_snils_lookup"))
                .col(uuid_null("application_id"))
                // unpaid, paid, cancelled
                .col(string("status"))
                .col(uuid_null("posted_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("paid_at"))
                .col(timestamp_with_time_zone_null("cancelled_at"))
                .col(text_null("cancel_reason"))
                .col(integer("version"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("charges_inn_idx", "charges", &["payer_inn_lookup"]))
            .await?;
        m.create_index(index(
            "charges_snils_idx",
            "charges",
            &["payer_snils_lookup"],
        ))
        .await?;

        // The ledger: movements and their postings. Rows are only ever added;
        // a correction is a reversing movement.
        m.create_table(
            Table::create()
                .table("ledger_movements")
                .if_not_exists()
                .col(uuid("id").primary_key())
                // top_up, payment, refund, reversal, …
                .col(string("kind"))
                // What caused it (a payment intent id, a УИН, …): one movement per cause and kind.
                .col(string("reference"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(sep_platform::migrations::unique_index(
            "ledger_movements_reference_key",
            "ledger_movements",
            &["kind", "reference"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("ledger_postings")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("movement_id"))
                // personal, acquirer, charge
                .col(string("account_kind"))
                .col(string("account_id"))
                .col(big_integer("amount_kopecks"))
                .foreign_key(
                    ForeignKey::create()
                        .from("ledger_postings", "movement_id")
                        .to("ledger_movements", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ledger_postings_account_idx",
            "ledger_postings",
            &["account_kind", "account_id"],
        ))
        .await?;
        m.create_index(index(
            "ledger_postings_movement_idx",
            "ledger_postings",
            &["movement_id"],
        ))
        .await?;
        Ok(())
    }
}

/// Whose charge it is: only that agency's staff may cancel it.
pub struct ChargeAgency;

impl MigrationName for ChargeAgency {
    fn name(&self) -> &str {
        "m20261201_000017_charge_agency"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for ChargeAgency {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("charges")
                .add_column(string_null("agency_code"))
                .to_owned(),
        )
        .await
    }
}

/// The sweep asks for state fees paid in the last day: by this index, not by
/// reading every charge ever posted each ten seconds.
pub struct PaidIndex;

impl MigrationName for PaidIndex {
    fn name(&self) -> &str {
        "m20261201_000020_charges_paid"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for PaidIndex {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("charges_paid_idx", "charges", &["paid_at"]))
            .await
    }
}
