//! Identity use cases: registration, login with a second factor, sessions,
//! profile, TOTP, password reset, roles. Pages and the API call these same functions.

mod admin;
mod codes;
mod contacts;
mod login;
mod profile;
mod register;
mod reset;
mod sessions;
mod step_up;
mod totp;

pub use admin::{
    AdminUser, NewAccount, contacts_of, contacts_of_all, create_user, list_users, roles_of,
    set_roles, set_staff_agency, staff_agency_of, staff_changed, unlock,
};
pub use contacts::{
    ContactChangeInput, ContactChangeStarted, ContactKind, confirm_contact_change,
    start_contact_change,
};
pub use login::{Challenge, LoginInput, confirm_login, login};
pub use profile::{
    ProfileView, StaffRead, full_name_of, get_profile, holder_of, level_and_region, staff_read,
    tax_ids_of, tax_ids_of_all, update_profile,
};
pub use register::{
    RegisterInput, Registered, confirm_registration, register, resend_registration_code,
};
pub use reset::{ResetStarted, forgot_password, reset_password};
pub use sessions::{
    LoginEventView, NewSession, Principal, SessionView, authenticate, csrf_token, end_session,
    list_sessions, login_journal, session_alive,
};
pub use step_up::confirm_password;
pub use totp::{TotpEnrolment, confirm_totp, disable_totp, start_totp};

use crate::model::LockReason;
use crate::store;
use sea_orm::{ConnectionTrait, DbErr};
use sep_audit::Entry;
use sep_kernel::FieldError;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::db::Txn;
use sep_platform::error::AppError;
use sep_platform::{messages, messages::Channel, messages::Outgoing};
use sep_platform::{throttle::durable, throttle::durable::Rate};
use uuid::Uuid;

/// Version of the personal-data consent text (152-ФЗ) a user agrees to on registration.
pub const CONSENT_VERSION: &str = "pd-consent-2026-01";

// The audit record's parts, positionally: grouping them into a struct at
// two dozen call sites would say the same thing with more noise.
#[allow(clippy::too_many_arguments)]
async fn record(
    p: &Platform,
    txn: &impl ConnectionTrait,
    client: &Client,
    actor: Option<Uuid>,
    action: &str,
    object: (&str, String),
    result: &str,
    details: serde_json::Value,
) -> Result<(), DbErr> {
    sep_audit::append(
        txn,
        p.now(),
        Entry {
            actor,
            action,
            object_type: object.0,
            object_id: object.1,
            ip: &client.ip,
            result,
            details,
        },
    )
    .await
    .map(|_| ())
}

/// A refused one-time code: the wrong try was already counted in `txn`; the
/// refusal is journalled, kept, and becomes the `code` field's error.
/// Checks a typed code inside `txn`. A refusal is journalled and committed (a
/// wrong answer counts though the request fails) and comes back as the error;
/// a right code hands the transaction back to go on with.
#[allow(clippy::too_many_arguments)]
async fn take_code(
    p: &Platform,
    txn: Txn,
    client: &Client,
    user_id: Uuid,
    action: &str,
    row: &crate::store::entities::code::Model,
    typed: &str,
    details: serde_json::Value,
) -> sep_platform::error::Result<Txn> {
    match codes::check(p, &*txn, row, typed)
        .await?
        .refusal("code-expired")
    {
        Some(refusal) => Err(refuse_code(p, txn, client, user_id, action, refusal, details).await?),
        None => Ok(txn),
    }
}

async fn refuse_code(
    p: &Platform,
    txn: Txn,
    client: &Client,
    user_id: Uuid,
    action: &str,
    refusal: FieldError,
    mut details: serde_json::Value,
) -> Result<AppError, DbErr> {
    details["reason"] = refusal.rule.code().into();
    // Every wrong code of an active account counts toward its code lock, not
    // only login codes: reset and contact-change codes guard as much.
    let mut locked = false;
    if refusal.rule.code() == "code-wrong"
        && let Some(u) = store::user_by_id(&*txn, user_id).await?
        && u.status == "active"
        && let Some(until) = store::count_failure(&*txn, user_id, LockReason::Code, p.now()).await?
    {
        login::announce_lock(p, &*txn, client, &u, LockReason::Code, until).await?;
        store::end_all_sessions(&*txn, user_id, "locked", p.now()).await?;
        locked = true;
    }
    record(
        p,
        &*txn,
        client,
        Some(user_id),
        action,
        ("user", user_id.to_string()),
        "denied",
        details,
    )
    .await?;
    txn.commit().await?;
    if locked {
        store::recent::changed();
    }
    Ok(AppError::Invalid(vec![refusal]))
}

async fn send(
    p: &Platform,
    txn: &impl ConnectionTrait,
    channel: Channel,
    to: &str,
    subject: Option<&str>,
    body: &str,
) -> Result<(), DbErr> {
    messages::enqueue(
        txn,
        &p.secrets,
        p.now(),
        Outgoing {
            channel,
            to,
            subject,
            body,
            attachment: None,
        },
    )
    .await
    .map(|_| ())
}

/// How many SMS one number may receive: an hour's and a day's worth, whoever
/// asks for them, on every instance (the counters are in the database).
fn sms_rates(p: &Platform) -> [Rate; 2] {
    [
        Rate::per(
            "sms-hour",
            p.config.sms_per_hour,
            chrono::Duration::hours(1),
        ),
        Rate::per("sms-day", p.config.sms_per_day, chrono::Duration::days(1)),
    ]
}

/// Takes one SMS of `phone`'s allowance; the wait when it is spent.
async fn take_sms(
    p: &Platform,
    txn: &impl ConnectionTrait,
    phone: &str,
) -> Result<Result<(), i64>, DbErr> {
    let now = p.now();
    for rate in sms_rates(p) {
        if let Err(wait) = durable::take(txn, &p.secrets, rate, phone, now).await? {
            return Ok(Err(wait));
        }
    }
    Ok(Ok(()))
}

/// Before a code is sent by SMS: refused with 429 when the number has had
/// its allowance, so that nobody can make a phone ring without end.
async fn sms_budget(
    p: &Platform,
    txn: &impl ConnectionTrait,
    phone: &str,
) -> sep_platform::error::Result<()> {
    take_sms(p, txn, phone)
        .await?
        .map_err(|wait| AppError::TooMany {
            rule: sep_kernel::Rule("sms-limit"),
            retry_after_secs: wait,
        })
}

/// A notice by SMS (a lock, a change to the account): sent within the
/// number's allowance, else left to the email that goes with it.
async fn notify_sms(
    p: &Platform,
    txn: &impl ConnectionTrait,
    phone: &str,
    text: &str,
) -> Result<(), DbErr> {
    match take_sms(p, txn, phone).await? {
        Ok(()) => send(p, txn, Channel::Sms, phone, None, text).await,
        Err(_) => {
            tracing::info!("SMS notice not sent: the number's allowance is spent");
            Ok(())
        }
    }
}
