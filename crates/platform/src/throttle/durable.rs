//! Limits kept in the database, for what must hold across restarts and
//! instances: how many SMS one number receives, how often one login may ask
//! for a reset. A generic cell rate algorithm: each subject has one row, the
//! time at which its bucket would be full again, moved on by one statement
//! that also decides — so two requests racing cannot both take the last token.

use crate::secrets::Secrets;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement};

/// `burst` at once, one more every `refill`.
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    pub name: &'static str,
    pub burst: u32,
    pub refill: Duration,
}

impl Rate {
    /// `count` in `period`, all of them at once if need be.
    pub fn per(name: &'static str, count: u32, period: Duration) -> Self {
        let count = count.max(1);
        Self {
            name,
            burst: count,
            refill: period / count as i32,
        }
    }
}

fn key(secrets: &Secrets, rate: &Rate, subject: &str) -> String {
    let mac = secrets.mac("throttle", subject.as_bytes());
    format!("{}:{}", rate.name, &mac[..32])
}

fn sql(backend: DatabaseBackend, text: &str) -> String {
    match backend {
        // SQLite takes numbered parameters as ?N.
        DatabaseBackend::Sqlite => text.replace('$', "?"),
        _ => text.to_string(),
    }
}

/// Takes one token of `rate` for `subject`; the wait in seconds (at least
/// one) when none is left. Runs on the caller's connection or transaction.
pub async fn take(
    db: &impl ConnectionTrait,
    secrets: &Secrets,
    rate: Rate,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), i64>, DbErr> {
    let backend = db.get_database_backend();
    let key = key(secrets, &rate, subject);
    let now_ms = now.timestamp_millis();
    let t = rate.refill.num_milliseconds().max(1);
    let tolerance = t * (i64::from(rate.burst.max(1)) - 1);
    let taken = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "INSERT INTO throttle_buckets (key, tat_ms) VALUES ($1, $2 + $3) \
                 ON CONFLICT (key) DO UPDATE SET tat_ms = \
                 (CASE WHEN throttle_buckets.tat_ms > $2 THEN throttle_buckets.tat_ms ELSE $2 END) + $3 \
                 WHERE throttle_buckets.tat_ms - $4 <= $2 \
                 RETURNING tat_ms",
            ),
            [key.clone().into(), now_ms.into(), t.into(), tolerance.into()],
        ))
        .await?;
    if taken.is_some() {
        return Ok(Ok(()));
    }
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT tat_ms FROM throttle_buckets WHERE key = $1",
            ),
            [key.into()],
        ))
        .await?;
    let tat: i64 = match row {
        Some(r) => r.try_get("", "tat_ms")?,
        None => now_ms,
    };
    let wait_ms = (tat - tolerance - now_ms).max(1);
    Ok(Err((wait_ms + 999) / 1000))
}

/// Deletes the rows of full buckets: they say nothing an absent row does not.
pub async fn forget_spent(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let r = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql(backend, "DELETE FROM throttle_buckets WHERE tat_ms < $1"),
            [now.timestamp_millis().into()],
        ))
        .await?;
    Ok(r.rows_affected())
}
