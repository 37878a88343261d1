//! New employment counted, grouped by start day and by characteristic: what
//! a progress report is made from ([`super::progress_from`]). The same
//! tally comes from outcomes counted in memory ([`Tally::of`]) or from the
//! table of counts the store keeps beside the outcomes
//! (docs/adr/0002-progress-tally.md), so the two can be compared exactly.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};

use super::{CountedOutcome, RETENTION_MONTHS};
use crate::outcome::Outcome;

/// A characteristic new employment is broken down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    /// The current district credited.
    District,
    /// The plan's measure.
    Measure,
    /// The form of employment.
    Form,
    /// Urban or rural household.
    Hukou,
    /// The disability category.
    Category,
    /// The disability level, `1`–`4`.
    Level,
    /// Sex.
    Sex,
}

impl Dimension {
    /// Every dimension, in the report's order.
    pub const ALL: [Self; 7] = [
        Self::District,
        Self::Measure,
        Self::Form,
        Self::Hukou,
        Self::Category,
        Self::Level,
        Self::Sex,
    ];

    /// The stable code stored for it.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::District => "district",
            Self::Measure => "measure",
            Self::Form => "form",
            Self::Hukou => "hukou",
            Self::Category => "category",
            Self::Level => "level",
            Self::Sex => "sex",
        }
    }

    /// The dimension of a stored code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    /// The code of the value a counted outcome has in this dimension.
    #[must_use]
    pub fn value_of(self, counted: &CountedOutcome) -> String {
        let outcome = &counted.outcome;
        match self {
            Self::District => counted.district_code.clone(),
            Self::Measure => outcome.measure.code().to_owned(),
            Self::Form => outcome.form.code().to_owned(),
            Self::Hukou => outcome.hukou.code().to_owned(),
            Self::Category => outcome.category.code().to_owned(),
            Self::Level => outcome.level.to_string(),
            Self::Sex => outcome.sex.code().to_owned(),
        }
    }
}

/// What one counted outcome adds to a tally, on its start day.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TallyKey {
    /// One person counted.
    Counted,
    /// Still in work this many months after the start (one of
    /// [`RETENTION_MONTHS`]).
    Retained(u32),
    /// The value of a characteristic.
    By(Dimension, String),
}

impl TallyKey {
    /// The keys of a counted outcome: counted, retained at each of
    /// [`RETENTION_MONTHS`] where it was, and its value in every dimension.
    #[must_use]
    pub fn of(counted: &CountedOutcome) -> Vec<Self> {
        let mut keys = vec![Self::Counted];
        keys.extend(
            RETENTION_MONTHS
                .iter()
                .filter(|months| retained_at(&counted.outcome, **months))
                .map(|months| Self::Retained(*months)),
        );
        keys.extend(
            Dimension::ALL
                .iter()
                .map(|d| Self::By(*d, d.value_of(counted))),
        );
        keys
    }

    /// The `(dimension, code)` pair a table of counts stores it as.
    #[must_use]
    pub fn codes(&self) -> (&'static str, String) {
        match self {
            Self::Counted => ("counted", String::new()),
            Self::Retained(months) => ("retained", months.to_string()),
            Self::By(dimension, value) => (dimension.code(), value.clone()),
        }
    }

    /// The key of a stored `(dimension, code)` pair.
    #[must_use]
    pub fn from_codes(dimension: &str, code: &str) -> Option<Self> {
        match dimension {
            "counted" => Some(Self::Counted),
            "retained" => code
                .parse()
                .ok()
                .filter(|months| RETENTION_MONTHS.contains(months))
                .map(Self::Retained),
            _ => Dimension::from_code(dimension).map(|d| Self::By(d, code.to_owned())),
        }
    }
}

/// Whether an outcome was still in work `months` months after it started:
/// not ended, or ended after that day.
#[must_use]
pub fn retained_at(outcome: &Outcome, months: u32) -> bool {
    outcome
        .started_on
        .checked_add_months(Months::new(months))
        .is_some_and(|mark| outcome.ended_on.is_none_or(|ended| ended > mark))
}

/// The people counted on one start day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayTally {
    /// People counted.
    pub counted: u32,
    /// Of them, those still in work after each of [`RETENTION_MONTHS`]
    /// months, in that order.
    pub retained: [u32; RETENTION_MONTHS.len()],
}

/// New employment counted over some days: per start day, and per value of
/// each characteristic over all those days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Per start day (days with nobody counted are absent).
    pub days: BTreeMap<NaiveDate, DayTally>,
    /// Per characteristic and value, over all the days.
    pub by: BTreeMap<(Dimension, String), u32>,
}

impl Tally {
    /// The tally of outcomes already counted (one per person and year).
    #[must_use]
    pub fn of<'a>(counted: impl IntoIterator<Item = &'a CountedOutcome>) -> Self {
        let mut tally = Self::default();
        for c in counted {
            for key in TallyKey::of(c) {
                tally.add(c.outcome.started_on, &key, 1);
            }
        }
        tally
    }

    /// Adds `n` under `key` on `day` (a characteristic's count is kept
    /// over all days).
    pub fn add(&mut self, day: NaiveDate, key: &TallyKey, n: u32) {
        match key {
            TallyKey::Counted => self.days.entry(day).or_default().counted += n,
            TallyKey::Retained(months) => {
                if let Some(slot) = RETENTION_MONTHS.iter().position(|m| m == months) {
                    self.days.entry(day).or_default().retained[slot] += n;
                }
            }
            TallyKey::By(dimension, value) => {
                *self.by.entry((*dimension, value.clone())).or_default() += n;
            }
        }
    }

    /// People counted in all.
    #[must_use]
    pub fn counted(&self) -> u32 {
        self.days.values().map(|d| d.counted).sum()
    }

    /// The count of one value of a characteristic.
    #[must_use]
    pub fn count_of(&self, dimension: Dimension, value: &str) -> u32 {
        self.by
            .get(&(dimension, value.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// The values of one characteristic with their counts, by code.
    pub fn values_of(&self, dimension: Dimension) -> impl Iterator<Item = (&str, u32)> {
        self.by
            .range((dimension, String::new())..)
            .take_while(move |((d, _), _)| *d == dimension)
            .map(|((_, value), n)| (value.as_str(), *n))
    }
}
