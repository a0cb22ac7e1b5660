use sea_orm_migration::{prelude::*, schema::*};
use sep_platform::{migrations::index, migrations::unique_index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000009_payment_intents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("payment_intents")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("owner_id"))
                .col(string("idempotency_key"))
                // Keyed MAC of the request (it may hold a card number).
                .col(string("request_hash"))
                // charges, top_up
                .col(string("purpose"))
                // card, sbp, wallet, balance
                .col(string("method"))
                .col(uuid_null("card_id"))
                .col(boolean("save_card"))
                .col(big_integer("amount_kopecks"))
                .col(string("state"))
                .col(string_null("acquirer_payment_id"))
                .col(string_null("card_mask"))
                .col(string_null("failure"))
                .col(string_null("operation_number"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("settled_at"))
                .col(integer("version"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "payment_intents_key",
            "payment_intents",
            &["owner_id", "idempotency_key"],
        ))
        .await?;
        m.create_index(index(
            "payment_intents_owner_idx",
            "payment_intents",
            &["owner_id", "created_at"],
        ))
        .await?;
        m.create_index(index(
            "payment_intents_state_idx",
            "payment_intents",
            &["state", "updated_at"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("payment_intent_charges")
                .if_not_exists()
                .col(uuid("intent_id"))
                .col(string("uin"))
                .col(big_integer("amount_kopecks"))
                .primary_key(Index::create().col("intent_id").col("uin"))
                .foreign_key(
                    ForeignKey::create()
                        .from("payment_intent_charges", "intent_id")
                        .to("payment_intents", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "payment_intent_charges_uin_idx",
            "payment_intent_charges",
            &["uin"],
        ))
        .await?;
        // The intent that holds a charge while it is being paid: one at a time.
        m.alter_table(
            Table::alter()
                .table("charges")
                .add_column(uuid_null("intent_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("payment_counters")
                .if_not_exists()
                .col(integer("year").primary_key())
                .col(big_integer("last"))
                .to_owned(),
        )
        .await?;
        // Linked cards: the acquirer's token (sealed), what the card shows, never its number.
        m.create_table(
            Table::create()
                .table("payment_cards")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("owner_id"))
                .col(string("token"))
                .col(string("mask"))
                .col(string("brand"))
                .col(small_integer("expiry_month"))
                .col(small_integer("expiry_year"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("removed_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "payment_cards_owner_idx",
            "payment_cards",
            &["owner_id"],
        ))
        .await?;
        // Money returned from the personal account to the card it came from.
        m.create_table(
            Table::create()
                .table("payment_refunds")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("owner_id"))
                .col(uuid("intent_id"))
                .col(big_integer("amount_kopecks"))
                // pending, succeeded, failed
                .col(string("state"))
                .col(string_null("acquirer_refund_id"))
                .col(string_null("failure"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "payment_refunds_owner_idx",
            "payment_refunds",
            &["owner_id"],
        ))
        .await?;
        Ok(())
    }
}
