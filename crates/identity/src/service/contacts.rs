//! Changing the phone or email of an account. Both are logins and the places
//! codes go, so a change needs the current password (a stolen session alone is
//! not enough) and a code sent to the new contact (proof it is the person's).
//! The old contact is told afterwards, and every other session ends.

use super::codes;
use super::sessions::Principal;
use super::step_up::confirm_password;
use super::{notify_sms, record, send, sms_budget, take_code};
use crate::{store, store::USERS_EMAIL_KEY, store::USERS_PHONE_KEY, store::user};
use sep_kernel::i18n::FluentValue;
use sep_kernel::{Email, FieldError, FieldErrors, Phone, Rule};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::db::violates;
use sep_platform::messages::Channel;
use sep_platform::{error::AppError, error::Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactKind {
    Phone,
    Email,
}

impl ContactKind {
    pub fn field(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Email => "email",
        }
    }

    fn purpose(self) -> &'static str {
        match self {
            Self::Phone => "contact-phone",
            Self::Email => "contact-email",
        }
    }

    fn of_purpose(purpose: &str) -> Option<Self> {
        [Self::Phone, Self::Email]
            .into_iter()
            .find(|k| k.purpose() == purpose)
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ContactChangeInput {
    pub value: String,
    pub password: String,
}

#[derive(Debug, Serialize)]
pub struct ContactChangeStarted {
    pub change_id: Uuid,
    pub kind: ContactKind,
    pub code_sent_to: String,
    pub code_expires_in: i64,
    pub resend_after: i64,
}

/// The new contact, normalised as it will be stored.
fn parse_contact(kind: ContactKind, raw: &str) -> std::result::Result<String, Rule> {
    match kind {
        ContactKind::Phone => {
            let phone = Phone::parse(raw)?;
            if !phone.is_mobile() {
                return Err(Rule("phone-not-mobile"));
            }
            Ok(phone.as_e164().to_string())
        }
        ContactKind::Email => Ok(Email::parse(raw)?.as_str().to_string()),
    }
}

fn masked(kind: ContactKind, value: &str) -> String {
    match kind {
        ContactKind::Phone => Phone::parse(value).map_or_else(|_| value.into(), |p| p.masked()),
        ContactKind::Email => Email::parse(value).map_or_else(|_| value.into(), |e| e.masked()),
    }
}

fn current(u: &user::Model, kind: ContactKind) -> &str {
    match kind {
        ContactKind::Phone => &u.phone,
        ContactKind::Email => &u.email,
    }
}

async fn holder(
    db: &impl sea_orm::ConnectionTrait,
    kind: ContactKind,
    value: &str,
) -> Result<Option<user::Model>> {
    Ok(match kind {
        ContactKind::Phone => store::user_by_phone(db, value).await?,
        ContactKind::Email => store::user_by_email(db, value).await?,
    })
}

enum Sending {
    /// The code to the new contact.
    Code,
    /// The notice to the old one.
    Notice,
}

/// A message to a phone (SMS) or a mailbox (with the subject `subject_key`).
/// A code by SMS is refused when the number's allowance is spent; a notice
/// is then left out.
async fn send_to(
    p: &Platform,
    txn: &impl sea_orm::ConnectionTrait,
    client: &Client,
    kind: ContactKind,
    to: &str,
    what: Sending,
    text: &str,
) -> Result<()> {
    let (subject_key, is_code) = match what {
        Sending::Code => ("msg-contact-code-subject", true),
        Sending::Notice => ("msg-contact-changed-subject", false),
    };
    match kind {
        ContactKind::Phone if is_code => {
            sms_budget(p, txn, to).await?;
            send(p, txn, Channel::Sms, to, None, text).await?
        }
        ContactKind::Phone => notify_sms(p, txn, to, text).await?,
        ContactKind::Email => {
            let subject = client.lang.t(subject_key);
            send(p, txn, Channel::Email, to, Some(&subject), text).await?
        }
    }
    Ok(())
}

/// Checks the password and the new contact, then sends a code to the new contact.
pub async fn start_contact_change(
    p: &Platform,
    client: &Client,
    who: &Principal,
    kind: ContactKind,
    input: ContactChangeInput,
) -> Result<ContactChangeStarted> {
    let mut errors = FieldErrors::new();
    let value = errors.required(kind.field(), &input.value, |v| parse_contact(kind, v));
    if input.password.is_empty() {
        errors.add("password", Rule("required"));
    }
    let value = errors
        .finish(|| value.expect("parsed when no field is wrong"))
        .map_err(AppError::Invalid)?;

    confirm_password(
        p,
        client,
        who.user_id,
        &input.password,
        "identity.contact.change",
    )
    .await?;

    let now = p.now();
    let txn = p.db.begin().await?;
    let u = store::user_by_id(&*txn, who.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if current(&u, kind) == value {
        return Err(AppError::field(kind.field(), "contact-same"));
    }
    if holder(&*txn, kind, &value)
        .await?
        .is_some_and(|other| other.id != u.id)
    {
        return Err(AppError::Conflict(vec![FieldError::new(
            kind.field(),
            Rule("already-registered"),
        )]));
    }
    if let Some(last) = store::latest_code(&*txn, u.id, kind.purpose()).await?
        && let Some(wait) = codes::resend_wait(&last, now)
    {
        return Err(AppError::TooMany {
            rule: Rule("code-resend-wait"),
            retry_after_secs: wait,
        });
    }
    store::cancel_codes(&*txn, u.id, Some(kind.purpose()), now).await?;
    let code = codes::generate();
    let method = match kind {
        ContactKind::Phone => "sms",
        ContactKind::Email => "email",
    };
    let id = codes::issue(
        p,
        &*txn,
        u.id,
        kind.purpose(),
        method,
        Some(&value),
        Some(&code),
    )
    .await?;
    let text = client
        .lang
        .t_args("msg-contact-code", &[("code", FluentValue::from(code))]);
    send_to(p, &*txn, client, kind, &value, Sending::Code, &text).await?;
    record(
        p,
        &*txn,
        client,
        Some(u.id),
        "identity.contact.change",
        ("user", u.id.to_string()),
        "code-sent",
        json!({ "kind": kind.field() }),
    )
    .await?;
    txn.commit().await?;
    p.flush_messages().await;
    Ok(ContactChangeStarted {
        change_id: id,
        kind,
        code_sent_to: masked(kind, &value),
        code_expires_in: codes::VALID_MINUTES * 60,
        resend_after: codes::RESEND_AFTER_SECS,
    })
}

/// The code from the new contact: the contact is replaced, the old one is told,
/// and every session but this one ends.
pub async fn confirm_contact_change(
    p: &Platform,
    client: &Client,
    who: &Principal,
    change_id: &str,
    code: &str,
) -> Result<ContactKind> {
    if code.trim().is_empty() {
        return Err(AppError::field("code", "required"));
    }
    let row = match Uuid::parse_str(change_id.trim()) {
        Ok(id) => store::code_by_id(&*p.db, id).await?,
        Err(_) => None,
    };
    // Someone else's change is answered like an unknown one.
    let Some((row, kind)) = row
        .filter(|r| r.user_id == who.user_id)
        .and_then(|r| ContactKind::of_purpose(&r.purpose).map(|k| (r, k)))
    else {
        return Err(AppError::field("code", "code-expired"));
    };
    let new_value = row.target.clone().unwrap_or_default();
    let txn = p.db.begin().await?;
    let txn = take_code(
        p,
        txn,
        client,
        who.user_id,
        "identity.contact.confirm",
        &row,
        code,
        json!({ "kind": kind.field() }),
    )
    .await?;
    let u = store::user_by_id(&*txn, who.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let old_value = current(&u, kind).to_string();
    let (phone, email) = match kind {
        ContactKind::Phone => (Some(new_value.clone()), None),
        ContactKind::Email => (None, Some(new_value.clone())),
    };
    if let Err(err) = store::accounts::set_contact(&*txn, &u, phone, email).await {
        if violates(&err, &USERS_PHONE_KEY) || violates(&err, &USERS_EMAIL_KEY) {
            return Err(AppError::Conflict(vec![FieldError::new(
                kind.field(),
                Rule("already-registered"),
            )]));
        }
        return Err(err.into());
    }
    store::end_other_sessions(&*txn, u.id, who.session_id, "contact-changed", p.now()).await?;
    let notice = client.lang.t_args(
        &format!("msg-{}-changed", kind.field()),
        &[("new", FluentValue::from(masked(kind, &new_value)))],
    );
    send_to(p, &*txn, client, kind, &old_value, Sending::Notice, &notice).await?;
    record(
        p,
        &*txn,
        client,
        Some(u.id),
        "identity.contact.confirm",
        ("user", u.id.to_string()),
        "ok",
        json!({ "kind": kind.field() }),
    )
    .await?;
    txn.commit().await?;
    store::recent::changed();
    p.flush_messages().await;
    Ok(kind)
}
