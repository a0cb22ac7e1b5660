//! Administration of accounts: used by the administrator's API, the `sep user`
//! command and the demo data. Each call is authorised by its caller's door
//! (the API checks the role; the command line is the operator's own).

use super::{CONSENT_VERSION, record};
use crate::{model::AssuranceLevel, model::Password, model::Role};
use crate::{store, store::USERS_EMAIL_KEY, store::USERS_PHONE_KEY, store::user};
use chrono::{DateTime, Utc};
use sep_kernel::{Email, FieldError, FieldErrors, Phone, Rule};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::db::violates;
use sep_platform::{error::AppError, error::Result};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Serialize)]
pub struct AdminUser {
    pub id: Uuid,
    pub phone: String,
    pub email: String,
    pub status: String,
    pub level: String,
    pub roles: Vec<Role>,
    /// The agency a staff account acts for.
    pub agency: Option<String>,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

async fn view(p: &Platform, u: user::Model) -> Result<AdminUser> {
    Ok(AdminUser {
        roles: store::roles_of(&*p.db, u.id).await?,
        id: u.id,
        phone: u.phone,
        email: u.email,
        status: u.status,
        level: u.level,
        agency: u.agency_code,
        locked_until: u.locked_until,
        created_at: u.created_at,
    })
}

/// What an operator types to make an account.
pub struct NewAccount<'a> {
    pub phone: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub roles: &'a [Role],
    pub level: AssuranceLevel,
}

/// An active account with confirmed contacts, made by an operator (no SMS step).
pub async fn create_user(
    p: &Platform,
    client: &Client,
    actor: Option<Uuid>,
    account: NewAccount<'_>,
) -> Result<AdminUser> {
    let roles = account.roles;
    let mut e = FieldErrors::new();
    let phone = e.required("phone", account.phone, Phone::parse);
    let email = e.required("email", account.email, Email::parse);
    let pw = e.required("password", account.password, |s| Password::parse(s, &[]));
    if roles.is_empty() {
        e.add("roles", Rule("required"));
    }
    let (phone, email, pw) = e.finish(|| (phone, email, pw)).map_err(AppError::Invalid)?;
    let (phone, email, pw) = (
        phone.expect("checked"),
        email.expect("checked"),
        pw.expect("checked"),
    );
    let hash = p
        .workers
        .run(sep_platform::workers::Work::Password, move || pw.hash())
        .await?;
    let now = p.now();
    let id = Uuid::now_v7();
    let txn = p.db.begin().await?;
    let inserted = store::insert_user(
        &*txn,
        store::NewUserRow {
            id,
            phone: phone.as_e164(),
            email: email.as_str(),
            password_hash: hash,
            status: "active",
            level: account.level.as_str(),
            consent_version: CONSENT_VERSION,
            now,
            confirmed: true,
        },
    )
    .await;
    if let Err(err) = inserted {
        for (key, field) in [(&USERS_PHONE_KEY, "phone"), (&USERS_EMAIL_KEY, "email")] {
            if violates(&err, key) {
                return Err(AppError::Conflict(vec![FieldError::new(
                    field,
                    Rule("already-registered"),
                )]));
            }
        }
        return Err(err.into());
    }
    store::set_roles(&*txn, id, roles).await?;
    let role_names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    record(
        p,
        &*txn,
        client,
        actor,
        "identity.user.create",
        ("user", id.to_string()),
        "ok",
        json!({ "roles": role_names }),
    )
    .await?;
    txn.commit().await?;
    let u = store::user_by_id(&*p.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    view(p, u).await
}

pub async fn list_users(
    p: &Platform,
    who: Option<&super::Principal>,
    query: Option<&str>,
) -> Result<Vec<AdminUser>> {
    crate::authz::may_administer_users(who)?;
    let mut out = Vec::new();
    for u in store::list_users(&*p.db, query, 200).await? {
        out.push(view(p, u).await?);
    }
    Ok(out)
}

pub async fn set_roles(
    p: &Platform,
    client: &Client,
    who: Option<&super::Principal>,
    user_id: Uuid,
    roles: &[Role],
) -> Result<AdminUser> {
    let actor = crate::authz::may_administer_users(who)?;
    if roles.is_empty() {
        return Err(AppError::field("roles", "required"));
    }
    let txn = p.db.begin().await?;
    let u = store::user_by_id(&*txn, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = store::roles_of(&*txn, user_id).await?;
    store::set_roles(&*txn, user_id, roles).await?;
    let names = |rs: &[Role]| rs.iter().map(|r| r.as_str()).collect::<Vec<_>>();
    record(
        p,
        &*txn,
        client,
        actor,
        "identity.user.roles",
        ("user", user_id.to_string()),
        "ok",
        json!({ "before": names(&before), "after": names(roles) }),
    )
    .await?;
    txn.commit().await?;
    store::recent::changed();
    view(p, u).await
}

/// Lifts a lock before it expires by itself (the owner called support).
pub async fn unlock(
    p: &Platform,
    client: &Client,
    who: Option<&super::Principal>,
    user_id: Uuid,
) -> Result<AdminUser> {
    let actor = crate::authz::may_administer_users(who)?;
    let txn = p.db.begin().await?;
    let u = store::user_by_id(&*txn, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let u = store::accounts::unlock(&*txn, &u).await?;
    record(
        p,
        &*txn,
        client,
        actor,
        "identity.user.unlock",
        ("user", user_id.to_string()),
        "ok",
        json!({}),
    )
    .await?;
    txn.commit().await?;
    view(p, u).await
}

/// The roles of an account, or `None` if there is no such account: for other
/// contexts that give a person a place (an officer's department).
pub async fn roles_of(p: &Platform, user_id: Uuid) -> Result<Option<Vec<Role>>> {
    if store::user_by_id(&*p.db, user_id).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(store::roles_of(&*p.db, user_id).await?))
}

/// Where to reach a person: their confirmed phone (E.164) and email, for
/// other contexts' notifications.
pub async fn contacts_of(
    db: &impl sea_orm::ConnectionTrait,
    user_id: Uuid,
) -> Result<Option<(String, String)>> {
    Ok(contacts_of_all(db, vec![user_id]).await?.remove(&user_id))
}

/// [`contacts_of`] for several people in one query.
pub async fn contacts_of_all(
    db: &impl sea_orm::ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<std::collections::HashMap<Uuid, (String, String)>> {
    Ok(store::contacts(db, ids)
        .await?
        .into_iter()
        .map(|(id, phone, email)| (id, (phone, email)))
        .collect())
}

/// Who an officer or integrator acts for. Only staff accounts belong to an
/// agency; the catalogue, which knows the agencies, checks the code and calls
/// this inside its own transaction, and calls [`staff_changed`] after it commits.
pub async fn set_staff_agency(
    p: &Platform,
    txn: &impl sea_orm::ConnectionTrait,
    client: &Client,
    actor: Option<Uuid>,
    user_id: Uuid,
    agency: Option<&str>,
) -> Result<()> {
    let u = store::user_by_id(txn, user_id)
        .await?
        .ok_or_else(|| AppError::field("user_id", "user-unknown"))?;
    let roles = store::roles_of(txn, user_id).await?;
    if agency.is_some()
        && !roles
            .iter()
            .any(|r| matches!(r, Role::Officer | Role::Integrator))
    {
        return Err(AppError::field("user_id", "user-not-staff"));
    }
    if u.agency_code.as_deref() == agency {
        return Ok(());
    }
    store::set_agency(txn, user_id, agency).await?;
    record(
        p,
        txn,
        client,
        actor,
        "identity.user.agency",
        ("user", user_id.to_string()),
        "ok",
        json!({ "before": u.agency_code, "after": agency }),
    )
    .await?;
    Ok(())
}

/// The agency a staff account acts for, if any.
pub async fn staff_agency_of(
    db: &impl sea_orm::ConnectionTrait,
    user_id: Uuid,
) -> Result<Option<String>> {
    Ok(store::user_by_id(db, user_id)
        .await?
        .and_then(|u| u.agency_code))
}

/// After a transaction that changed a staff account's agency commits: the
/// sessions kept for a moment are read again.
pub fn staff_changed() {
    store::recent::changed();
}
