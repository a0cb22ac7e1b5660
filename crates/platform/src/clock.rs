//! The one source of "now". Tests hold a [`ManualClock`] and move it instead of sleeping.

use chrono::{DateTime, Duration, Utc};
use std::sync::{Arc, Mutex};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The system clock moved so that it read `start` when it was made, and runs on
/// from there: a `sep` process started by a test (or a demo rehearsing a
/// deadline) shares the test's notion of "now" instead of the wall clock's.
pub struct ShiftedClock {
    offset: Duration,
}

impl ShiftedClock {
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            offset: start - Utc::now(),
        }
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }
}

/// The clock a process runs on: the system's, unless the configuration names a start.
pub fn from_config(start: Option<DateTime<Utc>>) -> Arc<dyn Clock> {
    match start {
        Some(start) => Arc::new(ShiftedClock::starting_at(start)),
        None => Arc::new(SystemClock),
    }
}

/// A clock that stands still until told to move: for tests of lockouts, expiry and deadlines.
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(start)))
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The zone dates and times are shown in until a user picks another.
pub const DEFAULT_ZONE: chrono_tz::Tz = chrono_tz::Europe::Moscow;

pub fn local_date(at: DateTime<Utc>) -> chrono::NaiveDate {
    at.with_timezone(&DEFAULT_ZONE).date_naive()
}

/// "24.11.2026 14:05" in Moscow time.
pub fn show(at: DateTime<Utc>) -> String {
    at.with_timezone(&DEFAULT_ZONE)
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// The instant a calendar day begins in the default zone (for periods given as dates).
pub fn start_of_local_day(day: chrono::NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    DEFAULT_ZONE
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .earliest()
        .expect("Moscow has no gap at midnight")
        .with_timezone(&Utc)
}

/// `at` as both engines keep it (microseconds): a value built in memory then
/// equals the one read back.
pub fn stored(at: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::DurationRound;
    at.duration_trunc(chrono::TimeDelta::microseconds(1))
        .unwrap_or(at)
}
