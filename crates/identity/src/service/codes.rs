//! One-time codes: six digits, five minutes, five tries, one resend a minute.

use crate::{store, store::code};
use chrono::Duration;
use rand::Rng;
use sea_orm::{ConnectionTrait, DbErr};
use sep_kernel::{FieldError, Rule};
use sep_platform::Platform;
use subtle::ConstantTimeEq;
use uuid::Uuid;

pub const VALID_MINUTES: i64 = 5;
pub const MAX_ATTEMPTS: i32 = 5;
pub const RESEND_AFTER_SECS: i64 = 60;

pub enum Check {
    Ok,
    Wrong { attempts_left: u32 },
    Expired,
    NoAttemptsLeft,
    Used,
}

impl Check {
    /// Why the code was refused, for the `code` field; `None` when it was right.
    /// `expired` names the rule for a code that can no longer be used.
    pub fn refusal(&self, expired: &'static str) -> Option<FieldError> {
        let rule = match self {
            Check::Ok => return None,
            Check::Wrong { attempts_left } => {
                return Some(FieldError {
                    attempts_left: Some(*attempts_left),
                    ..FieldError::new("code", Rule("code-wrong"))
                });
            }
            Check::Expired | Check::Used => expired,
            Check::NoAttemptsLeft => "code-attempts",
        };
        Some(FieldError::new("code", Rule(rule)))
    }
}

/// Why a code can no longer be answered at all, whatever is typed.
pub fn closed(p: &Platform, row: &code::Model) -> Option<Check> {
    if row.consumed_at.is_some() || row.cancelled_at.is_some() {
        Some(Check::Used)
    } else if row.expires_at <= p.now() {
        Some(Check::Expired)
    } else if row.attempts >= MAX_ATTEMPTS {
        Some(Check::NoAttemptsLeft)
    } else {
        None
    }
}

/// Settles an answer to a code in the caller's transaction: a right one uses
/// the code, a wrong one is counted; each in one conditional statement, so
/// that racing answers can neither both succeed nor exceed the cap. A code
/// that turned out closed says why, from the row as it is now.
pub async fn settle(
    p: &Platform,
    txn: &impl ConnectionTrait,
    row: &code::Model,
    right: bool,
) -> Result<Check, DbErr> {
    let now = p.now();
    if right {
        if store::consume_code(txn, row.id, now, MAX_ATTEMPTS).await? {
            return Ok(Check::Ok);
        }
    } else if let Some(attempts) = store::count_attempt(txn, row.id, now, MAX_ATTEMPTS).await? {
        return Ok(Check::Wrong {
            attempts_left: (MAX_ATTEMPTS - attempts).max(0) as u32,
        });
    }
    let fresh = store::code_by_id(txn, row.id).await?;
    Ok(fresh
        .as_ref()
        .and_then(|r| closed(p, r))
        .unwrap_or(Check::Used))
}

pub fn generate() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

fn hash(p: &Platform, id: Uuid, code: &str) -> String {
    p.secrets
        .mac("one-time-code", format!("{id}:{code}").as_bytes())
}

/// Issues a code (or, with `code = None`, a challenge answered by TOTP) and
/// returns its id.
pub async fn issue(
    p: &Platform,
    txn: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: &str,
    method: &str,
    target: Option<&str>,
    code: Option<&str>,
) -> Result<Uuid, DbErr> {
    let id = Uuid::now_v7();
    let now = p.now();
    crate::store::accounts::insert_code(
        txn,
        code::Model {
            id,
            user_id,
            purpose: purpose.into(),
            method: method.into(),
            code_hash: code.map(|c| hash(p, id, c)),
            target: target.map(Into::into),
            attempts: 0,
            created_at: now,
            expires_at: now + Duration::minutes(VALID_MINUTES),
            consumed_at: None,
            cancelled_at: None,
        },
    )
    .await?;
    Ok(id)
}

/// Checks a typed code against a stored one. A wrong answer is counted at once
/// (in the caller's transaction, which the caller must commit even on failure).
/// `row` may be stale: nothing is decided from its counters.
pub async fn check(
    p: &Platform,
    txn: &impl ConnectionTrait,
    row: &code::Model,
    typed: &str,
) -> Result<Check, DbErr> {
    let expected = row.code_hash.as_deref().unwrap_or("");
    let given = hash(p, row.id, typed.trim());
    let right = !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()));
    settle(p, txn, row, right).await
}

/// Seconds until another code may be sent, if it is too soon.
pub fn resend_wait(last: &code::Model, now: chrono::DateTime<chrono::Utc>) -> Option<i64> {
    let ready = last.created_at + Duration::seconds(RESEND_AFTER_SECS);
    (ready > now).then(|| (ready - now).num_seconds().max(1))
}
