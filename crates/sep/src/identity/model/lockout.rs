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

    /// Records a failure; returns the reason when this failure locks the account.
    pub fn fail(&mut self, reason: LockReason, now: DateTime<Utc>) -> Option<LockReason> {
        let (count, max) = match reason {
            LockReason::Password => (&mut self.password_failures, MAX_PASSWORD_FAILURES),
            LockReason::Code => (&mut self.code_failures, MAX_CODE_FAILURES),
        };
        *count += 1;
        if *count >= max {
            *count = 0;
            self.locked_until = Some(now + Duration::minutes(LOCK_MINUTES));
            return Some(reason);
        }
        None
    }

    pub fn password_ok(&mut self) {
        self.password_failures = 0;
    }

    pub fn code_ok(&mut self) {
        self.code_failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn third_wrong_password_locks_for_fifteen_minutes() {
        let now = Utc::now();
        let mut l = Lockout::default();
        assert_eq!(l.fail(LockReason::Password, now), None);
        assert_eq!(l.fail(LockReason::Password, now), None);
        assert_eq!(
            l.fail(LockReason::Password, now),
            Some(LockReason::Password)
        );
        assert_eq!(l.remaining(now), Some(Duration::minutes(15)));
        assert_eq!(l.remaining(now + Duration::minutes(15)), None);
    }

    #[test]
    fn success_resets_only_its_own_counter() {
        let now = Utc::now();
        let mut l = Lockout::default();
        l.fail(LockReason::Password, now);
        l.fail(LockReason::Code, now);
        l.password_ok();
        assert_eq!((l.password_failures, l.code_failures), (0, 1));
    }
}
