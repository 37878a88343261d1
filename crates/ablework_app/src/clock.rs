//! The one source of time.

use chrono::{DateTime, Duration, NaiveDate, SubsecRound, Utc};

/// Where "now" comes from. Tests use [`FixedClock`].
pub trait Clock: Send + Sync {
    /// The current moment, at microsecond precision (what every engine keeps).
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// A clock that says what it is told; it can be moved on.
#[derive(Debug)]
pub struct FixedClock(std::sync::Mutex<DateTime<Utc>>);

impl FixedClock {
    /// A clock stopped at `at`.
    pub fn new(at: DateTime<Utc>) -> FixedClock {
        FixedClock(std::sync::Mutex::new(at.trunc_subsecs(6)))
    }

    /// Moves the clock on.
    pub fn advance(&self, by: chrono::Duration) {
        if let Ok(mut at) = self.0.lock() {
            *at += by;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|at| *at).unwrap_or_default()
    }
}

/// The calendar date in China Standard Time (UTC+8, no daylight saving).
pub fn china_date(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}
