use super::codes;
use super::{CONSENT_VERSION, notify_sms, record, send, sms_budget, take_code};
use crate::{model::AssuranceLevel, model::Password, model::Role};
use crate::{store, store::USERS_EMAIL_KEY, store::USERS_PHONE_KEY, store::user};
use sep_kernel::i18n::FluentValue;
use sep_kernel::{Email, FieldError, FieldErrors, Phone, Rule};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::db::violates;
use sep_platform::messages::Channel;
use sep_platform::{error::AppError, error::Result};
use sep_platform::{throttle::durable, throttle::durable::Rate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegisterInput {
    pub phone: String,
    pub email: String,
    pub password: String,
    /// Agreement to the processing of personal data. The API treats an absent
    /// field as agreement to the published text; the page asks with a checkbox.
    pub consent: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct Registered {
    pub user_id: Uuid,
    pub phone: String,
    pub code_sent_to: String,
    pub code_expires_in: i64,
    pub resend_after: i64,
}

struct Valid {
    phone: Phone,
    email: Email,
    password: Password,
}

fn validate(input: &RegisterInput) -> std::result::Result<Valid, Vec<FieldError>> {
    let mut e = FieldErrors::new();
    let phone = e.required("phone", &input.phone, |s| {
        Phone::parse(s).and_then(|p| {
            if p.is_mobile() {
                Ok(p)
            } else {
                Err(Rule("phone-not-mobile"))
            }
        })
    });
    let email = e.required("email", &input.email, Email::parse);
    let personal: Vec<&str> = [
        input.phone.as_str(),
        input.email.split('@').next().unwrap_or(""),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect();
    let password = e.required("password", &input.password, |s| {
        Password::parse(s, &personal)
    });
    if input.consent == Some(false) {
        e.add("consent", Rule("consent-required"));
    }
    e.finish(|| ())?;
    Ok(Valid {
        phone: phone.expect("checked"),
        email: email.expect("checked"),
        password: password.expect("checked"),
    })
}

/// Creates a pending account and texts a confirmation code to the phone.
/// A pending account with the same phone or email is replaced: an unconfirmed
/// registration proves nothing and must not block the real owner.
pub async fn register(p: &Platform, client: &Client, input: RegisterInput) -> Result<Registered> {
    let valid = validate(&input).map_err(AppError::Invalid)?;
    let password = valid.password;
    let hash = p
        .workers
        .run(sep_platform::workers::Work::Password, move || {
            password.hash()
        })
        .await?;
    let now = p.now();
    let txn = p.db.begin().await?;
    // The same for every number, with an account or without: one attempt a
    // minute, within the number's SMS allowance. The answers cannot tell them apart.
    let phone = valid.phone.as_e164();
    let per_minute = Rate::per(
        "register",
        1,
        chrono::Duration::seconds(codes::RESEND_AFTER_SECS),
    );
    if let Err(wait) = durable::take(&*txn, &p.secrets, per_minute, phone, now).await? {
        return Err(AppError::TooMany {
            rule: Rule("code-resend-wait"),
            retry_after_secs: wait,
        });
    }
    sms_budget(p, &*txn, phone).await?;
    let by_phone = store::user_by_phone(&*txn, valid.phone.as_e164()).await?;
    let by_email = store::user_by_email(&*txn, valid.email.as_str()).await?;
    // An existing account is never revealed: the answer looks like a new
    // registration, and the owner is told of the attempt instead.
    let owners: Vec<&user::Model> = [&by_phone, &by_email]
        .into_iter()
        .flatten()
        .filter(|u| u.status != "pending")
        .collect();
    if !owners.is_empty() {
        for owner in owners {
            tell_owner_of_attempt(p, &*txn, client, owner, phone).await?;
        }
        txn.commit().await?;
        p.flush_messages().await;
        return Ok(registered_like(&valid.phone));
    }
    for pending in [&by_phone, &by_email].into_iter().flatten() {
        give_way(&*txn, pending, &valid.phone, &valid.email, now).await?;
    }
    let id = Uuid::now_v7();
    let inserted = store::insert_user(
        &*txn,
        store::NewUserRow {
            id,
            phone: valid.phone.as_e164(),
            email: valid.email.as_str(),
            password_hash: hash,
            status: "pending",
            level: AssuranceLevel::Simplified.as_str(),
            consent_version: CONSENT_VERSION,
            now,
            confirmed: false,
        },
    )
    .await;
    if let Err(err) = inserted {
        // Two registrations raced for one phone or email: the loser gets a field error.
        let field = if violates(&err, &USERS_PHONE_KEY) {
            "phone"
        } else if violates(&err, &USERS_EMAIL_KEY) {
            "email"
        } else {
            return Err(err.into());
        };
        return Err(AppError::Conflict(vec![FieldError::new(
            field,
            Rule("already-registered"),
        )]));
    }
    store::set_roles(&*txn, id, &[Role::Citizen]).await?;
    let code = codes::generate();
    codes::issue(
        p,
        &*txn,
        id,
        "register",
        "sms",
        Some(valid.phone.as_e164()),
        Some(&code),
    )
    .await?;
    let text = client.lang.t_args(
        "sms-register-code",
        &[("code", FluentValue::from(code.clone()))],
    );
    send(p, &*txn, Channel::Sms, valid.phone.as_e164(), None, &text).await?;
    record(
        p,
        &*txn,
        client,
        Some(id),
        "identity.register",
        ("user", id.to_string()),
        "ok",
        json!({ "consent_version": CONSENT_VERSION }),
    )
    .await?;
    txn.commit().await?;
    p.flush_messages().await;
    Ok(Registered {
        user_id: id,
        phone: valid.phone.as_e164().into(),
        code_sent_to: valid.phone.masked(),
        code_expires_in: codes::VALID_MINUTES * 60,
        resend_after: codes::RESEND_AFTER_SECS,
    })
}

/// What a registration answers: the same for a new phone and for one that
/// already has an account.
fn registered_like(phone: &Phone) -> Registered {
    Registered {
        user_id: Uuid::now_v7(),
        phone: phone.as_e164().into(),
        code_sent_to: phone.masked(),
        code_expires_in: codes::VALID_MINUTES * 60,
        resend_after: codes::RESEND_AFTER_SECS,
    }
}

/// Someone tried to register with this person's phone or email: they are
/// told by SMS (at most once a minute for the phone typed, within their
/// number's allowance when the email matched).
async fn tell_owner_of_attempt(
    p: &Platform,
    txn: &impl sea_orm::ConnectionTrait,
    client: &Client,
    owner: &user::Model,
    typed_phone: &str,
) -> Result<()> {
    let text = client.lang.t("sms-register-attempt");
    if owner.phone == typed_phone {
        // The attempt took this number's allowance already.
        send(p, txn, Channel::Sms, &owner.phone, None, &text).await?;
    } else {
        notify_sms(p, txn, &owner.phone, &text).await?;
    }
    record(
        p,
        txn,
        client,
        Some(owner.id),
        "identity.register.attempt",
        ("user", owner.id.to_string()),
        "denied",
        json!({}),
    )
    .await?;
    Ok(())
}

/// A pending registration proves nothing and gives way to a new one — but
/// not while its code is still live for someone else (that would let anyone
/// replace a stranger's registration with their own password), and never
/// sooner than a code may be resent (else each attempt is one more SMS).
async fn give_way(
    txn: &impl sea_orm::ConnectionTrait,
    pending: &user::Model,
    phone: &Phone,
    email: &Email,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let same_person = pending.phone == phone.as_e164() && pending.email == email.as_str();
    if let Some(last) = store::latest_code(txn, pending.id, "register").await? {
        let wait = if same_person {
            codes::resend_wait(&last, now)
        } else {
            (last.expires_at > now).then(|| (last.expires_at - now).num_seconds().max(1))
        };
        if let Some(wait) = wait {
            return Err(AppError::TooMany {
                rule: Rule("code-resend-wait"),
                retry_after_secs: wait,
            });
        }
    }
    store::delete_user(txn, pending.id).await?;
    Ok(())
}

async fn pending_user(p: &Platform, phone: &str) -> Result<user::Model> {
    let phone =
        Phone::parse(phone).map_err(|r| AppError::Invalid(vec![FieldError::new("phone", r)]))?;
    // Whether the phone has an account, or none, is not said: both are a
    // code that no longer works.
    match store::user_by_phone(&*p.db, phone.as_e164()).await? {
        Some(u) if u.status == "pending" => Ok(u),
        _ => Err(AppError::field("code", "code-expired")),
    }
}

/// Confirms the phone with the code: the account becomes active (simplified level).
pub async fn confirm_registration(
    p: &Platform,
    client: &Client,
    phone: &str,
    code: &str,
) -> Result<Uuid> {
    if code.trim().is_empty() {
        return Err(AppError::field("code", "required"));
    }
    let u = pending_user(p, phone).await?;
    let txn = p.db.begin().await?;
    let Some(row) = store::latest_open_code(&*txn, u.id, "register").await? else {
        return Err(AppError::field("code", "code-expired"));
    };
    let txn = take_code(
        p,
        txn,
        client,
        u.id,
        "identity.register.confirm",
        &row,
        code,
        json!({}),
    )
    .await?;
    let now = p.now();
    store::accounts::activate(&*txn, &u, now).await?;
    record(
        p,
        &*txn,
        client,
        Some(u.id),
        "identity.register.confirm",
        ("user", u.id.to_string()),
        "ok",
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(u.id)
}

/// Sends a new registration code, by SMS or (the second channel) by email.
pub async fn resend_registration_code(
    p: &Platform,
    client: &Client,
    phone: &str,
    channel: &str,
) -> Result<Registered> {
    let channel = match channel {
        "" | "sms" => Channel::Sms,
        "email" => Channel::Email,
        _ => return Err(AppError::field("channel", "channel-unknown")),
    };
    let u = pending_user(p, phone).await?;
    let now = p.now();
    let txn = p.db.begin().await?;
    if let Some(last) = store::latest_code(&*txn, u.id, "register").await?
        && let Some(wait) = codes::resend_wait(&last, now)
    {
        return Err(AppError::TooMany {
            rule: Rule("code-resend-wait"),
            retry_after_secs: wait,
        });
    }
    store::cancel_codes(&*txn, u.id, Some("register"), now).await?;
    let code = codes::generate();
    let (to, shown) = match channel {
        Channel::Sms => (
            u.phone.clone(),
            Phone::parse(&u.phone)
                .map(|p| p.masked())
                .unwrap_or_default(),
        ),
        Channel::Email => (
            u.email.clone(),
            Email::parse(&u.email)
                .map(|e| e.masked())
                .unwrap_or_default(),
        ),
    };
    codes::issue(
        p,
        &*txn,
        u.id,
        "register",
        channel.as_str(),
        Some(&to),
        Some(&code),
    )
    .await?;
    let text = client
        .lang
        .t_args("sms-register-code", &[("code", FluentValue::from(code))]);
    let subject = client.lang.t("mail-register-subject");
    if channel == Channel::Sms {
        sms_budget(p, &*txn, &to).await?;
    }
    send(p, &*txn, channel, &to, Some(&subject), &text).await?;
    record(
        p,
        &*txn,
        client,
        Some(u.id),
        "identity.register.resend",
        ("user", u.id.to_string()),
        "ok",
        json!({ "channel": channel.as_str() }),
    )
    .await?;
    txn.commit().await?;
    p.flush_messages().await;
    Ok(Registered {
        user_id: u.id,
        phone: u.phone,
        code_sent_to: shown,
        code_expires_in: codes::VALID_MINUTES * 60,
        resend_after: codes::RESEND_AFTER_SECS,
    })
}
