//! SQL for the identity context. Services call these functions; nothing else
//! touches the identity tables.

pub mod accounts;
pub mod entities;
pub mod profiles;
pub mod recent;

use crate::{model::LOCK_MINUTES, model::LockReason, model::Lockout, model::Role};
use chrono::{DateTime, Utc};
pub use entities::{code, login_event, profile, session, user, user_role};
use sea_orm::entity::prelude::*;
use sea_orm::{
    ConnectionTrait, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};
use sep_kernel::Snils;
use sep_platform::secrets::Secrets;

pub const USERS_PHONE_KEY: sep_platform::db::UniqueKey = sep_platform::db::UniqueKey {
    constraint: "users_phone_key",
    sqlite_columns: "users.phone",
};
pub const USERS_EMAIL_KEY: sep_platform::db::UniqueKey = sep_platform::db::UniqueKey {
    constraint: "users_email_key",
    sqlite_columns: "users.email",
};
pub const PROFILES_SNILS_KEY: sep_platform::db::UniqueKey = sep_platform::db::UniqueKey {
    constraint: "profiles_snils_key",
    sqlite_columns: "profiles.snils_lookup",
};

pub async fn user_by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id).one(db).await
}

/// Phone and e-mail of each of `ids` that exists, in one query.
pub async fn contacts(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<Vec<(Uuid, String, String)>, DbErr> {
    user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Phone, user::Column::Email])
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await
}

pub async fn user_by_phone(
    db: &impl ConnectionTrait,
    phone: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Phone.eq(phone))
        .one(db)
        .await
}

pub async fn user_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await
}

pub async fn user_by_snils(
    db: &impl ConnectionTrait,
    secrets: &Secrets,
    snils: &Snils,
) -> Result<Option<user::Model>, DbErr> {
    let Some(p) = profile::Entity::find()
        .filter(profile::Column::SnilsLookup.eq(profiles::snils_lookup(secrets, snils)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    user_by_id(db, p.user_id).await
}

/// A new account row: everything else starts empty (SMS second factor, no
/// failures, no lock).
pub struct NewUserRow<'a> {
    pub id: Uuid,
    pub phone: &'a str,
    pub email: &'a str,
    pub password_hash: String,
    pub status: &'a str,
    pub level: &'a str,
    pub consent_version: &'a str,
    pub now: DateTime<Utc>,
    pub confirmed: bool,
}

pub async fn insert_user(db: &impl ConnectionTrait, row: NewUserRow<'_>) -> Result<(), DbErr> {
    user::ActiveModel {
        id: Set(row.id),
        phone: Set(row.phone.into()),
        email: Set(row.email.into()),
        password_hash: Set(row.password_hash),
        status: Set(row.status.into()),
        level: Set(row.level.into()),
        second_factor: Set("sms".into()),
        totp_secret: Set(None),
        totp_enabled: Set(false),
        totp_last_step: Set(None),
        password_failures: Set(0),
        code_failures: Set(0),
        locked_until: Set(None),
        consent_version: Set(row.consent_version.into()),
        consent_at: Set(row.now),
        created_at: Set(row.now),
        confirmed_at: Set(row.confirmed.then_some(row.now)),
        agency_code: Set(None),
    }
    .insert(db)
    .await
    .map(|_| ())
}

fn totp_context(user_id: Uuid) -> String {
    format!("users.totp_secret/{user_id}")
}

/// The TOTP secret as stored: sealed, because with it anyone can make codes.
pub fn seal_totp_secret(secrets: &Secrets, user_id: Uuid, base32: &str) -> String {
    secrets.seal(&totp_context(user_id), base32)
}

pub fn totp_secret(secrets: &Secrets, u: &user::Model) -> Result<Option<String>, DbErr> {
    u.totp_secret
        .as_deref()
        .map(|sealed| {
            secrets
                .open(&totp_context(u.id), sealed)
                .map_err(|e| DbErr::Custom(format!("users.totp_secret of {}: {e}", u.id)))
        })
        .transpose()
}

pub async fn delete_user(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    recent::changed();
    user::Entity::delete_by_id(id).exec(db).await.map(|_| ())
}

pub async fn roles_of(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<Role>, DbErr> {
    let rows = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let mut roles = rows
        .iter()
        .map(|r| sep_platform::db::stored("user_roles.role", &r.role, Role::parse))
        .collect::<Result<Vec<_>, _>>()?;
    roles.sort();
    Ok(roles)
}

pub async fn set_roles(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    roles: &[Role],
) -> Result<(), DbErr> {
    recent::changed();
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    for role in roles {
        user_role::ActiveModel {
            user_id: Set(user_id),
            role: Set(role.as_str().into()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub fn lockout_of(u: &user::Model) -> Lockout {
    Lockout {
        password_failures: u.password_failures,
        code_failures: u.code_failures,
        locked_until: u.locked_until,
    }
}

pub async fn set_agency(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    agency: Option<&str>,
) -> Result<(), DbErr> {
    recent::changed();
    set_user_column(
        db,
        user_id,
        user::Column::AgencyCode,
        agency.map(str::to_string),
    )
    .await
}

pub async fn set_level(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    level: crate::model::AssuranceLevel,
) -> Result<(), DbErr> {
    set_user_column(db, user_id, user::Column::Level, level.as_str()).await
}

async fn set_user_column(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    column: user::Column,
    value: impl Into<sea_orm::Value>,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await
        .map(|_| ())
}

/// Counts one failure of a kind in SQL (never a value read earlier, so that
/// concurrent failures cannot overwrite each other) and locks the account when
/// the count reaches its limit. Returns the lock's end when this failure locked it.
pub async fn count_failure(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    reason: LockReason,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let column = failure_column(reason);
    user::Entity::update_many()
        .col_expr(column, Expr::col(column).add(1))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    // The update above holds the row until commit (SQLite's write lock,
    // PostgreSQL's row lock), so only one failure can see the limit reached.
    let until = now + chrono::Duration::minutes(LOCK_MINUTES);
    let locked = user::Entity::update_many()
        .col_expr(column, Expr::value(0))
        .col_expr(user::Column::LockedUntil, Expr::value(Some(until)))
        .filter(user::Column::Id.eq(user_id))
        .filter(column.gte(reason.limit()))
        .exec(db)
        .await?;
    Ok((locked.rows_affected == 1).then_some(until))
}

/// A success of one kind forgets that kind's earlier failures.
pub async fn clear_failures(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    reason: LockReason,
) -> Result<(), DbErr> {
    let column = failure_column(reason);
    user::Entity::update_many()
        .col_expr(column, Expr::value(0))
        .filter(user::Column::Id.eq(user_id))
        .filter(column.ne(0))
        .exec(db)
        .await
        .map(|_| ())
}

fn failure_column(reason: LockReason) -> user::Column {
    match reason {
        LockReason::Password => user::Column::PasswordFailures,
        LockReason::Code => user::Column::CodeFailures,
    }
}

// --- one-time codes and login challenges ---

pub async fn code_by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<code::Model>, DbErr> {
    code::Entity::find_by_id(id).one(db).await
}

/// The newest code for a purpose that is still open (neither used nor withdrawn).
pub async fn latest_open_code(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: &str,
) -> Result<Option<code::Model>, DbErr> {
    newest_code(user_id, purpose)
        .filter(code::Column::ConsumedAt.is_null())
        .filter(code::Column::CancelledAt.is_null())
        .one(db)
        .await
}

pub async fn latest_code(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: &str,
) -> Result<Option<code::Model>, DbErr> {
    newest_code(user_id, purpose).one(db).await
}

fn newest_code(user_id: Uuid, purpose: &str) -> sea_orm::Select<code::Entity> {
    code::Entity::find()
        .filter(code::Column::UserId.eq(user_id))
        .filter(code::Column::Purpose.eq(purpose))
        .order_by_desc(code::Column::CreatedAt)
        .order_by_desc(code::Column::Id)
}

/// Counts a wrong answer against a code that is still open, in one
/// conditional statement; `None` when the code is closed (used, withdrawn,
/// expired or out of tries), so that racing answers cannot exceed the cap.
pub async fn count_attempt(
    db: &impl ConnectionTrait,
    code_id: Uuid,
    now: DateTime<Utc>,
    max_attempts: i32,
) -> Result<Option<i32>, DbErr> {
    let res = open_code(code::Entity::update_many(), now, max_attempts)
        .col_expr(
            code::Column::Attempts,
            Expr::col(code::Column::Attempts).add(1),
        )
        .filter(code::Column::Id.eq(code_id))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(None);
    }
    // The row is ours until commit: this read sees our own count.
    Ok(code_by_id(db, code_id).await?.map(|r| r.attempts))
}

/// Marks a code used, if it is still open. Conditional, so that two requests
/// racing with one code cannot both succeed: only the one that changed the row may go on.
pub async fn consume_code(
    db: &impl ConnectionTrait,
    code_id: Uuid,
    now: DateTime<Utc>,
    max_attempts: i32,
) -> Result<bool, DbErr> {
    let res = open_code(code::Entity::update_many(), now, max_attempts)
        .col_expr(code::Column::ConsumedAt, Expr::value(now))
        .filter(code::Column::Id.eq(code_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

fn open_code(
    q: sea_orm::UpdateMany<code::Entity>,
    now: DateTime<Utc>,
    max_attempts: i32,
) -> sea_orm::UpdateMany<code::Entity> {
    q.filter(code::Column::ConsumedAt.is_null())
        .filter(code::Column::CancelledAt.is_null())
        .filter(code::Column::ExpiresAt.gt(now))
        .filter(code::Column::Attempts.lt(max_attempts))
}

/// Remembers the newest authenticator step used, if `step` is newer than the
/// last one: an app code is good once.
pub async fn claim_totp_step(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    step: i64,
) -> Result<bool, DbErr> {
    let res = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(Some(step)))
        .filter(user::Column::Id.eq(user_id))
        .filter(
            user::Column::TotpLastStep
                .is_null()
                .or(user::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Withdraws every open code of a user for a purpose (all purposes when `None`).
pub async fn cancel_codes(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut q = code::Entity::update_many()
        .col_expr(code::Column::CancelledAt, Expr::value(now))
        .filter(code::Column::UserId.eq(user_id))
        .filter(code::Column::ConsumedAt.is_null())
        .filter(code::Column::CancelledAt.is_null());
    if let Some(p) = purpose {
        q = q.filter(code::Column::Purpose.eq(p));
    }
    q.exec(db).await.map(|_| ())
}

// --- sessions ---

/// A session with its account, in one round trip: every authenticated
/// request asks for both.
pub async fn session_and_user_by_token_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<(session::Model, user::Model)>, DbErr> {
    let owner = session::Entity::belongs_to(user::Entity)
        .from(session::Column::UserId)
        .to(user::Column::Id)
        .into();
    let row = session::Entity::find()
        .select_also(user::Entity)
        .join(sea_orm::JoinType::InnerJoin, owner)
        .filter(session::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?;
    Ok(row.and_then(|(s, u)| u.map(|u| (s, u))))
}

pub async fn session_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id).one(db).await
}

pub async fn active_sessions(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::EndedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .order_by_desc(session::Column::LastSeenAt)
        .order_by_desc(session::Column::Id)
        .all(db)
        .await
}

pub async fn touch_session(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now))
        .filter(session::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn end_session(
    db: &impl ConnectionTrait,
    id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    recent::changed();
    let res = session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::value(now))
        .col_expr(session::Column::EndReason, Expr::value(reason))
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn end_all_sessions(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    end_sessions(db, user_id, None, reason, now).await
}

/// Ends every session of the user except `keep` (the one making the change).
pub async fn end_other_sessions(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    end_sessions(db, user_id, Some(keep), reason, now).await
}

async fn end_sessions(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Option<Uuid>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    recent::changed();
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::value(now))
        .col_expr(session::Column::EndReason, Expr::value(reason))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::EndedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(session::Column::Id.ne(keep));
    }
    Ok(update.exec(db).await?.rows_affected)
}

// --- login journal ---

pub async fn record_login(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    at: DateTime<Utc>,
    ip: &str,
    user_agent: &str,
    methods: &str,
    result: &str,
) -> Result<(), DbErr> {
    login_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        at: Set(at),
        ip: Set(ip.into()),
        user_agent: Set(user_agent.into()),
        methods: Set(methods.into()),
        result: Set(result.into()),
    }
    .insert(db)
    .await
    .map(|_| ())
}

pub async fn login_journal(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    limit: u64,
) -> Result<Vec<login_event::Model>, DbErr> {
    login_event::Entity::find()
        .filter(login_event::Column::UserId.eq(user_id))
        .order_by_desc(login_event::Column::At)
        .order_by_desc(login_event::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

pub async fn list_users(
    db: &impl ConnectionTrait,
    query: Option<&str>,
    limit: u64,
) -> Result<Vec<user::Model>, DbErr> {
    let mut q = user::Entity::find();
    if let Some(text) = query.filter(|t| !t.is_empty()) {
        q = q.filter(
            user::Column::Phone
                .contains(text)
                .or(user::Column::Email.contains(text)),
        );
    }
    q.order_by_desc(user::Column::CreatedAt)
        .order_by_desc(user::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// An account's assurance level and its profile's region (none without a
/// profile), in one round trip: what a submission asks of the applicant.
pub async fn level_and_region(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Option<(String, Option<String>)>, DbErr> {
    let owner: sea_orm::RelationDef = profile::Entity::belongs_to(user::Entity)
        .from(profile::Column::UserId)
        .to(user::Column::Id)
        .into();
    let filled = owner.rev();
    user::Entity::find_by_id(user_id)
        .select_only()
        .column(user::Column::Level)
        .column(profile::Column::RegionCode)
        .join(sea_orm::JoinType::LeftJoin, filled)
        .into_tuple::<(String, Option<String>)>()
        .one(db)
        .await
}
