use sea_orm_migration::{prelude::*, schema::*};
use sep_platform::{migrations::index, migrations::unique_index};

pub struct Migration;

// Named explicitly: the derived name is the file's, and every context's file is `migration.rs`.
impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000003_identity"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("users")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(string("phone"))
                .col(string("email"))
                .col(string("password_hash"))
                // pending until the phone is confirmed by code; blocked by an administrator
                .col(string("status"))
                .col(string("level"))
                .col(string("second_factor"))
                .col(string_null("totp_secret"))
                .col(boolean("totp_enabled"))
                .col(big_integer_null("totp_last_step"))
                .col(integer("password_failures"))
                .col(integer("code_failures"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(string("consent_version"))
                .col(timestamp_with_time_zone("consent_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("confirmed_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index("users_phone_key", "users", &["phone"]))
            .await?;
        m.create_index(unique_index("users_email_key", "users", &["email"]))
            .await?;

        m.create_table(
            Table::create()
                .table("user_roles")
                .if_not_exists()
                .col(uuid("user_id"))
                .col(string("role"))
                .primary_key(Index::create().col("user_id").col("role"))
                .foreign_key(
                    ForeignKey::create()
                        .from("user_roles", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("profiles")
                .if_not_exists()
                .col(uuid("user_id").primary_key())
                .col(string("last_name"))
                .col(string("first_name"))
                .col(string_null("patronymic"))
                // Sealed (AES-GCM) columns: see store/profiles.rs.
                .col(string_null("birth_date"))
                .col(string_null("inn"))
                .col(string_null("snils"))
                .col(string_null("snils_lookup"))
                .col(string_null("passport"))
                .col(string_null("postcode"))
                .col(string_null("region_code"))
                .col(string_null("address"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("profiles", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // СНИЛС is a login: one person, one account. The sealed column cannot be
        // compared, so uniqueness and lookup use its keyed hash.
        m.create_index(unique_index(
            "profiles_snils_key",
            "profiles",
            &["snils_lookup"],
        ))
        .await?;

        // One-time codes and the login challenges they answer. Only a keyed hash of
        // the code is kept.
        m.create_table(
            Table::create()
                .table("one_time_codes")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("user_id"))
                .col(string("purpose"))
                .col(string("method"))
                .col(string_null("code_hash"))
                .col(string_null("target"))
                .col(integer("attempts"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("consumed_at"))
                .col(timestamp_with_time_zone_null("cancelled_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("one_time_codes", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "one_time_codes_user_idx",
            "one_time_codes",
            &["user_id", "purpose", "created_at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("sessions")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("user_id"))
                .col(string("token_hash"))
                .col(string("methods"))
                .col(string("ip"))
                .col(string("user_agent"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_seen_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("ended_at"))
                .col(string_null("end_reason"))
                .foreign_key(
                    ForeignKey::create()
                        .from("sessions", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            "sessions_token_key",
            "sessions",
            &["token_hash"],
        ))
        .await?;
        m.create_index(index(
            "sessions_user_idx",
            "sessions",
            &["user_id", "created_at"],
        ))
        .await?;

        // The login journal the user sees: every attempt, successful or not.
        m.create_table(
            Table::create()
                .table("login_events")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(uuid("user_id"))
                .col(timestamp_with_time_zone("at"))
                .col(string("ip"))
                .col(string("user_agent"))
                .col(string("methods"))
                .col(string("result"))
                .foreign_key(
                    ForeignKey::create()
                        .from("login_events", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "login_events_user_idx",
            "login_events",
            &["user_id", "at"],
        ))
        .await
    }
}

/// The agency an officer or an integrator acts for: every charge they post or
/// cancel, and every queue they see, is that agency's.
pub struct StaffAgency;

impl MigrationName for StaffAgency {
    fn name(&self) -> &str {
        "m20261201_000016_staff_agency"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for StaffAgency {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("users")
                .add_column(string_null("agency_code"))
                .to_owned(),
        )
        .await
    }
}
