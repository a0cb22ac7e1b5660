//! The changes an account's row goes through, each one named: the services
//! say what happens to an account and this file says which columns that is.

use super::{code, session, user};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

fn edit(u: &user::Model) -> user::ActiveModel {
    u.clone().into()
}

/// The phone or the email proved, registration finished.
pub async fn activate(
    db: &impl ConnectionTrait,
    u: &user::Model,
    now: DateTime<Utc>,
) -> Result<user::Model, DbErr> {
    let mut a = edit(u);
    a.status = Set("active".into());
    a.confirmed_at = Set(Some(now));
    a.update(db).await
}

/// An administrator lifted the lock: both failure counters start again.
pub async fn unlock(db: &impl ConnectionTrait, u: &user::Model) -> Result<user::Model, DbErr> {
    let mut a = edit(u);
    a.password_failures = Set(0);
    a.code_failures = Set(0);
    a.locked_until = Set(None);
    a.update(db).await
}

/// A new password after a reset by code: the lock lifts, and an authenticator
/// app someone may have set up goes (the second factor is SMS again).
pub async fn reset_password(
    db: &impl ConnectionTrait,
    u: &user::Model,
    password_hash: String,
) -> Result<user::Model, DbErr> {
    let mut a = edit(u);
    a.password_hash = Set(password_hash);
    a.password_failures = Set(0);
    a.code_failures = Set(0);
    a.locked_until = Set(None);
    without_totp(&mut a);
    a.update(db).await
}

/// A new phone or email, proved by its code. A unique violation comes back
/// for the caller to name the field.
pub async fn set_contact(
    db: &impl ConnectionTrait,
    u: &user::Model,
    phone: Option<String>,
    email: Option<String>,
) -> Result<user::Model, DbErr> {
    let mut a = edit(u);
    if let Some(phone) = phone {
        a.phone = Set(phone);
    }
    if let Some(email) = email {
        a.email = Set(email);
    }
    a.update(db).await
}

/// An authenticator app being set up: its secret (sealed) kept, not yet used.
pub async fn start_totp(
    db: &impl ConnectionTrait,
    u: &user::Model,
    sealed_secret: String,
) -> Result<user::Model, DbErr> {
    let mut a = edit(u);
    a.totp_secret = Set(Some(sealed_secret));
    a.totp_enabled = Set(false);
    a.second_factor = Set("sms".into());
    a.update(db).await
}

/// The app's first code matched: it is the second factor from now on, and
/// that code's time step is spent.
pub async fn enable_totp(
    db: &impl ConnectionTrait,
    u: &user::Model,
    step: i64,
) -> Result<user::Model, DbErr> {
    let mut a = edit(u);
    a.totp_enabled = Set(true);
    a.totp_last_step = Set(Some(step));
    a.second_factor = Set("totp".into());
    a.update(db).await
}

/// The app is given up: SMS codes again.
pub async fn disable_totp(
    db: &impl ConnectionTrait,
    u: &user::Model,
) -> Result<user::Model, DbErr> {
    let mut a = edit(u);
    without_totp(&mut a);
    a.update(db).await
}

fn without_totp(a: &mut user::ActiveModel) {
    a.totp_enabled = Set(false);
    a.totp_secret = Set(None);
    a.totp_last_step = Set(None);
    a.second_factor = Set("sms".into());
}

pub async fn insert_session(db: &impl ConnectionTrait, row: session::Model) -> Result<(), DbErr> {
    session::ActiveModel::from(row).insert(db).await.map(|_| ())
}

pub async fn insert_code(db: &impl ConnectionTrait, row: code::Model) -> Result<(), DbErr> {
    code::ActiveModel::from(row).insert(db).await.map(|_| ())
}
