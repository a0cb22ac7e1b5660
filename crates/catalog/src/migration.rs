use sea_orm_migration::{prelude::*, schema::*};
use sep_platform::migrations::index;

pub struct Migration;

// Named explicitly: the derived name is the file's, and every context's file is `migration.rs`.
impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000004_catalog"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("agencies")
                .if_not_exists()
                .col(string("code").primary_key())
                .col(string("name_ru"))
                .col(string("name_en"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("departments")
                .if_not_exists()
                .col(string("code").primary_key())
                .col(string("agency_code"))
                .col(string("name_ru"))
                .col(string("name_en"))
                .col(string("region_code"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("departments", "agency_code")
                        .to("agencies", "code"),
                )
                .to_owned(),
        )
        .await?;
        // Which officers work in which department. The user id is identity's;
        // no foreign key crosses the contexts' tables.
        m.create_table(
            Table::create()
                .table("department_officers")
                .if_not_exists()
                .col(string("department_code"))
                .col(uuid("user_id"))
                .col(timestamp_with_time_zone("since"))
                .primary_key(Index::create().col("department_code").col("user_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("department_officers", "department_code")
                        .to("departments", "code")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "department_officers_user_idx",
            "department_officers",
            &["user_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("categories")
                .if_not_exists()
                .col(string("code").primary_key())
                .col(string("name_ru"))
                .col(string("name_en"))
                .col(integer("position"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("services")
                .if_not_exists()
                .col(string("code").primary_key())
                .col(string("category_code"))
                .col(string("agency_code"))
                .col(string("title_ru"))
                .col(string("title_en"))
                .col(text("summary_ru"))
                .col(text("summary_en"))
                .col(text("keywords"))
                .col(big_integer("fee_kopecks"))
                .col(integer("deadline_days"))
                .col(string("level"))
                .col(string("kind"))
                .col(integer("form_version"))
                .col(boolean("active"))
                // The stems the search engines match (see model/search.rs).
                .col(text("search_text"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("services", "category_code")
                        .to("categories", "code"),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("services", "agency_code")
                        .to("agencies", "code"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "services_category_idx",
            "services",
            &["category_code"],
        ))
        .await?;
        // Every version an application was ever submitted against stays readable.
        m.create_table(
            Table::create()
                .table("service_forms")
                .if_not_exists()
                .col(string("service_code"))
                .col(integer("version"))
                .col(text("definition"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("service_code").col("version"))
                .foreign_key(
                    ForeignKey::create()
                        .from("service_forms", "service_code")
                        .to("services", "code")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // region_code '*' is the fallback for every region without its own rule.
        m.create_table(
            Table::create()
                .table("routing_rules")
                .if_not_exists()
                .col(string("service_code"))
                .col(string("region_code"))
                .col(string("department_code"))
                .primary_key(Index::create().col("service_code").col("region_code"))
                .foreign_key(
                    ForeignKey::create()
                        .from("routing_rules", "service_code")
                        .to("services", "code")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("routing_rules", "department_code")
                        .to("departments", "code"),
                )
                .to_owned(),
        )
        .await?;
        // Full-text matching, one marked block per engine; ranking is ours
        // (model/search.rs), so both engines return the same order.
        let db = m.get_connection();
        if m.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            db.execute_unprepared(
                "CREATE INDEX IF NOT EXISTS services_search_idx ON services \
                 USING GIN (to_tsvector('simple', search_text))",
            )
            .await?;
        } else {
            db.execute_unprepared(
                "CREATE VIRTUAL TABLE IF NOT EXISTS services_fts USING fts5(\
                 code UNINDEXED, terms, tokenize = 'unicode61 remove_diacritics 0')",
            )
            .await?;
        }
        Ok(())
    }
}

/// Who an agency's state fees are paid to (its treasury requisites).
pub struct AgencyPayees;

impl MigrationName for AgencyPayees {
    fn name(&self) -> &str {
        "m20261124_000011_agency_payees"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AgencyPayees {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column at a time.
        for column in [
            "payee_name",
            "payee_inn",
            "payee_kpp",
            "payee_bik",
            "payee_account",
        ] {
            m.alter_table(
                Table::alter()
                    .table("agencies")
                    .add_column(string_null(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
