use super::codes::{self, Check};
use super::sessions::{NewSession, open_session};
use super::{notify_sms, record, send, sms_budget, totp};
use crate::{model::LockReason, model::password};
use crate::{store, store::user};
use sea_orm::ConnectionTrait;
use sep_kernel::i18n::FluentValue;
use sep_kernel::{Email, Phone, Rule, Snils};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::messages::Channel;
use sep_platform::secrets::Secrets;
use sep_platform::{error::AppError, error::Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginInput {
    /// Phone, email or СНИЛС.
    pub login: String,
    pub password: String,
}

/// The second step of a login: what to answer and where the code went.
#[derive(Debug, Serialize)]
pub struct Challenge {
    pub challenge_id: Uuid,
    /// `sms` or `totp`.
    pub method: String,
    pub sent_to: Option<String>,
    pub expires_in: i64,
}

/// A PHC hash of a random password, verified when the login names nobody, so
/// that "no such user" takes as long as "wrong password".
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| password::hash_secret("no-such-user-dummy-password"));

/// One spelling per login, for counting requests about it whether or not an
/// account has it: an email in lower case, a phone in E.164, a СНИЛС in digits.
pub(super) fn login_key(login: &str) -> String {
    let login = login.trim();
    if let Ok(e) = Email::parse(login) {
        return e.as_str().to_lowercase();
    }
    if let Ok(phone) = Phone::parse(login) {
        return phone.as_e164().to_string();
    }
    if let Ok(s) = Snils::parse(login) {
        return s.digits().to_string();
    }
    login.to_lowercase()
}

pub(super) async fn find_by_login(
    db: &impl ConnectionTrait,
    secrets: &Secrets,
    login: &str,
) -> Result<Option<user::Model>> {
    let login = login.trim();
    if login.contains('@') {
        return match Email::parse(login) {
            Ok(e) => Ok(store::user_by_email(db, e.as_str()).await?),
            Err(_) => Ok(None),
        };
    }
    if let Ok(phone) = Phone::parse(login)
        && let Some(u) = store::user_by_phone(db, phone.as_e164()).await?
    {
        return Ok(Some(u));
    }
    match Snils::parse(login) {
        Ok(s) => Ok(store::user_by_snils(db, secrets, &s).await?),
        Err(_) => Ok(None),
    }
}

fn lock_error(remaining: chrono::Duration) -> AppError {
    AppError::Locked {
        retry_after_secs: remaining.num_seconds().max(1),
    }
}

/// Tells the owner by SMS and email that the account is locked and until when.
pub(super) async fn announce_lock(
    p: &Platform,
    txn: &impl ConnectionTrait,
    client: &Client,
    u: &user::Model,
    reason: LockReason,
    until: chrono::DateTime<chrono::Utc>,
) -> std::result::Result<(), sea_orm::DbErr> {
    let args = [("until", FluentValue::from(sep_platform::clock::show(until)))];
    let text = client.lang.t_args("notice-locked", &args);
    notify_sms(p, txn, &u.phone, &text).await?;
    send(
        p,
        txn,
        Channel::Email,
        &u.email,
        Some(&client.lang.t("notice-locked-subject")),
        &text,
    )
    .await?;
    // A lock ends every login attempt in progress: codes already sent are void.
    store::cancel_codes(txn, u.id, Some("login"), p.now()).await?;
    record(
        p,
        txn,
        client,
        Some(u.id),
        "identity.lock",
        ("user", u.id.to_string()),
        "ok",
        json!({ "reason": reason.as_str(), "until": until }),
    )
    .await?;
    Ok(())
}

/// First step: login and password. On success a second factor is sent or expected.
pub async fn login(p: &Platform, client: &Client, input: LoginInput) -> Result<Challenge> {
    if input.login.trim().is_empty() || input.password.is_empty() {
        let mut errors = Vec::new();
        if input.login.trim().is_empty() {
            errors.push(sep_kernel::FieldError::new("login", Rule("required")));
        }
        if input.password.is_empty() {
            errors.push(sep_kernel::FieldError::new("password", Rule("required")));
        }
        return Err(AppError::Invalid(errors));
    }
    let found = find_by_login(&*p.db, &p.secrets, &input.login).await?;
    let phc = found
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let typed = input.password.clone();
    let password_ok = p
        .workers
        .run(sep_platform::workers::Work::Password, move || {
            password::verify_secret(&typed, &phc)
        })
        .await?;
    let Some(found) = found else {
        return Err(AppError::Unauthorized(Rule("login-failed")));
    };

    let now = p.now();
    let txn = p.db.begin().await?;
    // Re-read inside the transaction: the counters must not lose a concurrent failure.
    let u = store::user_by_id(&*txn, found.id)
        .await?
        .ok_or(AppError::Unauthorized(Rule("login-failed")))?;
    if let Some(remaining) = store::lockout_of(&u).remaining(now) {
        journal(&*txn, client, u.id, now, "password", "locked").await?;
        txn.commit().await?;
        return Err(lock_error(remaining));
    }
    if !password_ok {
        let locked = store::count_failure(&*txn, u.id, LockReason::Password, now).await?;
        journal(&*txn, client, u.id, now, "password", "wrong-password").await?;
        record(
            p,
            &*txn,
            client,
            Some(u.id),
            "identity.login.password",
            ("user", u.id.to_string()),
            "denied",
            json!({}),
        )
        .await?;
        if let Some(until) = locked {
            announce_lock(p, &*txn, client, &u, LockReason::Password, until).await?;
        }
        txn.commit().await?;
        p.flush_messages().await;
        return Err(AppError::Unauthorized(Rule("login-failed")));
    }
    if u.status != "active" {
        txn.commit().await?;
        return Err(AppError::Unauthorized(Rule(if u.status == "pending" {
            "account-not-confirmed"
        } else {
            "account-blocked"
        })));
    }
    store::clear_failures(&*txn, u.id, LockReason::Password).await?;
    store::cancel_codes(&*txn, u.id, Some("login"), now).await?;
    let challenge = if u.totp_enabled {
        let id = codes::issue(p, &*txn, u.id, "login", "totp", None, None).await?;
        Challenge {
            challenge_id: id,
            method: "totp".into(),
            sent_to: None,
            expires_in: codes::VALID_MINUTES * 60,
        }
    } else {
        let code = codes::generate();
        let id = codes::issue(p, &*txn, u.id, "login", "sms", Some(&u.phone), Some(&code)).await?;
        let text = client
            .lang
            .t_args("sms-login-code", &[("code", FluentValue::from(code))]);
        sms_budget(p, &*txn, &u.phone).await?;
        send(p, &*txn, Channel::Sms, &u.phone, None, &text).await?;
        let masked = Phone::parse(&u.phone).map(|ph| ph.masked()).ok();
        Challenge {
            challenge_id: id,
            method: "sms".into(),
            sent_to: masked,
            expires_in: codes::VALID_MINUTES * 60,
        }
    };
    record(
        p,
        &*txn,
        client,
        Some(u.id),
        "identity.login.password",
        ("user", u.id.to_string()),
        "ok",
        json!({ "second_factor": challenge.method }),
    )
    .await?;
    txn.commit().await?;
    p.flush_messages().await;
    Ok(challenge)
}

/// Second step: the code. On success a session begins.
pub async fn confirm_login(
    p: &Platform,
    client: &Client,
    challenge_id: &str,
    code: &str,
) -> Result<NewSession> {
    let Ok(challenge_id) = Uuid::parse_str(challenge_id.trim()) else {
        return Err(AppError::field("challenge_id", "challenge-unknown"));
    };
    if code.trim().is_empty() {
        return Err(AppError::field("code", "required"));
    }
    let now = p.now();
    let txn = p.db.begin().await?;
    let row = match store::code_by_id(&*txn, challenge_id).await? {
        Some(r) if r.purpose == "login" => r,
        _ => return Err(AppError::Unauthorized(Rule("challenge-unknown"))),
    };
    let u = store::user_by_id(&*txn, row.user_id)
        .await?
        .ok_or(AppError::Unauthorized(Rule("challenge-unknown")))?;
    if let Some(remaining) = store::lockout_of(&u).remaining(now) {
        return Err(lock_error(remaining));
    }
    let check = if row.method == "totp" {
        totp::check_login(p, &*txn, &u, &row, code).await?
    } else {
        codes::check(p, &*txn, &row, code).await?
    };
    let methods = format!("password+{}", row.method);
    if let Some(refusal) = check.refusal("challenge-expired") {
        let rule = refusal.rule.code();
        if matches!(check, Check::Wrong { .. })
            && let Some(until) = store::count_failure(&*txn, u.id, LockReason::Code, now).await?
        {
            announce_lock(p, &*txn, client, &u, LockReason::Code, until).await?;
        }
        journal(&*txn, client, u.id, now, &methods, rule).await?;
        record(
            p,
            &*txn,
            client,
            Some(u.id),
            "identity.login.code",
            ("user", u.id.to_string()),
            "denied",
            json!({ "reason": rule }),
        )
        .await?;
        txn.commit().await?;
        p.flush_messages().await;
        return Err(AppError::CodeRefused(refusal));
    }
    store::clear_failures(&*txn, u.id, LockReason::Code).await?;
    let session = open_session(p, &*txn, u.id, &methods, client).await?;
    journal(&*txn, client, u.id, now, &methods, "ok").await?;
    record(
        p,
        &*txn,
        client,
        Some(u.id),
        "identity.login",
        ("session", session.session_id.to_string()),
        "ok",
        json!({ "methods": methods }),
    )
    .await?;
    txn.commit().await?;
    Ok(session)
}

/// One attempt in the account's login journal (what «Безопасность» lists),
/// from where the client says it came.
async fn journal(
    txn: &impl sea_orm::ConnectionTrait,
    client: &Client,
    user: Uuid,
    now: chrono::DateTime<chrono::Utc>,
    methods: &str,
    result: &str,
) -> Result<(), sea_orm::DbErr> {
    store::record_login(
        txn,
        user,
        now,
        &client.ip,
        &client.user_agent,
        methods,
        result,
    )
    .await
}
