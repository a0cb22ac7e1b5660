use chrono::{DateTime, Duration, Utc};

/// Consecutive wrong passwords before the account locks (the "three").
pub const MAX_PASSWORD_FAILURES: i32 = 3;
/// Consecutive wrong one-time codes, across login attempts, before the account locks.
/// Counted apart from passwords: a thief who knows the password must not get
/// unlimited guesses at codes by starting attempt after attempt.
pub const MAX_CODE_FAILURES: i32 = 10;
pub const LOCK_MINUTES: i64 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockReason {
    Password,
    Code,
}

impl LockReason {
    /// Consecutive failures of this kind that lock the account.
    pub fn limit(self) -> i32 {
        match self {
            Self::Password => MAX_PASSWORD_FAILURES,
            Self::Code => MAX_CODE_FAILURES,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Code => "code",
        }
    }
}

/// The per-account failure counters and the lock they lead to. A lock always
/// expires by itself, so nobody can lock an owner out for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lockout {
    pub password_failures: i32,
    pub code_failures: i32,
    pub locked_until: Option<DateTime<Utc>>,
}

impl Lockout {
    /// How long the account stays locked, if it is.
    pub fn remaining(&self, now: DateTime<Utc>) -> Option<Duration> {
        self.locked_until
            .filter(|until| *until > now)
            .map(|until| until - now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_lock_ends_by_itself() {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
        let l = Lockout {
            locked_until: Some(now + Duration::minutes(LOCK_MINUTES)),
            ..Lockout::default()
        };
        assert_eq!(l.remaining(now), Some(Duration::minutes(15)));
        assert_eq!(l.remaining(now + Duration::minutes(15)), None);
        assert_eq!(Lockout::default().remaining(now), None);
    }

    #[test]
    fn passwords_lock_sooner_than_codes() {
        assert_eq!(LockReason::Password.limit(), 3);
        assert!(LockReason::Code.limit() > LockReason::Password.limit());
    }
}
