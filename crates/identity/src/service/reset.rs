//! Password reset by a code sent to the confirmed phone.

use super::codes;
use super::{record, send, take_code, take_sms};
use crate::model::Password;
use crate::store;
use sep_kernel::i18n::FluentValue;
use sep_kernel::{FieldError, Rule};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::messages::Channel;
use sep_platform::{error::AppError, error::Result};
use sep_platform::{throttle::durable, throttle::durable::Rate};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Serialize)]
pub struct ResetStarted {
    pub reset_id: Uuid,
    pub expires_in: i64,
}

/// Always answers the same way, known login or not, so that the form cannot be
/// used to find out who has an account. Only a real account gets a code.
pub async fn forgot_password(p: &Platform, client: &Client, login: &str) -> Result<ResetStarted> {
    if login.trim().is_empty() {
        return Err(AppError::field("login", "required"));
    }
    let answer = |id| ResetStarted {
        reset_id: id,
        expires_in: codes::VALID_MINUTES * 60,
    };
    // Counted per login before anyone is looked up, so that the wait is the
    // same for an account and for none.
    let key = super::login::login_key(login);
    for rate in [
        Rate::per(
            "forgot",
            1,
            chrono::Duration::seconds(codes::RESEND_AFTER_SECS),
        ),
        Rate::per("forgot-hour", 5, chrono::Duration::hours(1)),
    ] {
        let taken = {
            let _gate = p.db.gate().await;
            durable::take(&*p.db, &p.secrets, rate, &key, p.now()).await?
        };
        if let Err(wait) = taken {
            return Err(AppError::TooMany {
                rule: Rule("code-resend-wait"),
                retry_after_secs: wait,
            });
        }
    }
    let Some(u) = super::login::find_by_login(&*p.db, &p.secrets, login)
        .await?
        .filter(|u| u.status == "active")
    else {
        return Ok(answer(Uuid::now_v7()));
    };
    let txn = p.db.begin().await?;
    // A spent SMS allowance is not said either: the code is simply not sent.
    if take_sms(p, &*txn, &u.phone).await?.is_err() {
        tracing::info!("reset code not sent: the number's SMS allowance is spent");
        return Ok(answer(Uuid::now_v7()));
    }
    store::cancel_codes(&*txn, u.id, Some("reset"), p.now()).await?;
    let code = codes::generate();
    let id = codes::issue(p, &*txn, u.id, "reset", "sms", Some(&u.phone), Some(&code)).await?;
    send(
        p,
        &*txn,
        Channel::Sms,
        &u.phone,
        None,
        &client
            .lang
            .t_args("sms-reset-code", &[("code", FluentValue::from(code))]),
    )
    .await?;
    record(
        p,
        &*txn,
        client,
        Some(u.id),
        "identity.password.forgot",
        ("user", u.id.to_string()),
        "ok",
        json!({}),
    )
    .await?;
    txn.commit().await?;
    p.flush_messages().await;
    Ok(answer(id))
}

/// Sets a new password with the code; every session of the account ends and
/// the lock, if any, is lifted (the owner proved possession of the phone).
pub async fn reset_password(
    p: &Platform,
    client: &Client,
    reset_id: &str,
    code: &str,
    new_password: &str,
) -> Result<()> {
    let mut errors = Vec::new();
    if code.trim().is_empty() {
        errors.push(FieldError::new("code", Rule("required")));
    }
    let id = Uuid::parse_str(reset_id.trim()).ok();
    let row = match id {
        Some(id) => store::code_by_id(&*p.db, id)
            .await?
            .filter(|r| r.purpose == "reset"),
        None => None,
    };
    let u = match &row {
        Some(r) => store::user_by_id(&*p.db, r.user_id).await?,
        None => None,
    };
    let personal: Vec<&str> = u
        .as_ref()
        .map(|u| vec![u.phone.as_str(), u.email.as_str()])
        .unwrap_or_default();
    let password = match Password::parse(new_password, &personal) {
        Ok(pw) => Some(pw),
        Err(rule) => {
            let rule = if new_password.is_empty() {
                Rule("required")
            } else {
                rule
            };
            errors.push(FieldError::new("password", rule));
            None
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let (Some(row), Some(u), Some(password)) = (row, u, password) else {
        return Err(AppError::field("code", "code-wrong"));
    };
    let hash = p
        .workers
        .run(sep_platform::workers::Work::Password, move || {
            password.hash()
        })
        .await?;
    let txn = p.db.begin().await?;
    let txn = take_code(
        p,
        txn,
        client,
        u.id,
        "identity.password.reset",
        &row,
        code,
        json!({}),
    )
    .await?;
    // Whoever set up the authenticator may have been a thief with a session:
    // the owner who proved the phone gets SMS codes back, and is told.
    let had_totp = u.totp_enabled || u.totp_secret.is_some();
    store::accounts::reset_password(&*txn, &u, hash).await?;
    let notice = if had_totp {
        "notice-password-reset-totp-cleared"
    } else {
        "notice-password-reset"
    };
    super::totp::tell_owner(p, &*txn, client, &u, notice).await?;
    store::end_all_sessions(&*txn, u.id, "password-reset", p.now()).await?;
    store::cancel_codes(&*txn, u.id, Some("login"), p.now()).await?;
    record(
        p,
        &*txn,
        client,
        Some(u.id),
        "identity.password.reset",
        ("user", u.id.to_string()),
        "ok",
        json!({}),
    )
    .await?;
    txn.commit().await?;
    store::recent::changed();
    p.bus.session_ended(u.id);
    p.flush_messages().await;
    Ok(())
}
