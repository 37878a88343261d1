//! Working age (DOMAIN.md §2): from the 16th birthday until the statutory
//! retirement age.
//!
//! The policy numbers are data: every function takes a [`WorkingAgeRule`]
//! chosen by the caller (normally from a policy preset). The constructors
//! [`WorkingAgeRule::gradual_2025`] and [`WorkingAgeRule::fixed_bands_2022`]
//! hold the published numbers.
//!
//! Ages are counted in calendar months from the birth date. A person born
//! on the 31st reaches an age on the last day of a shorter month, and one
//! born on 29 February reaches it on 28 February in common years.

use std::cmp::min;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Which retirement rule applies to a person. Whether a woman is in the
/// 50 or 55 group depends on her post, not on her ID, so it is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RetirementGroup {
    /// Men (original retirement age 60).
    #[serde(rename = "male")]
    Male,
    /// Women whose original retirement age is 50.
    #[serde(rename = "female_50")]
    Female50,
    /// Women whose original retirement age is 55.
    #[serde(rename = "female_55")]
    Female55,
}

impl RetirementGroup {
    /// Every group, in display order.
    pub const ALL: [RetirementGroup; 3] = [
        RetirementGroup::Male,
        RetirementGroup::Female50,
        RetirementGroup::Female55,
    ];

    /// The stable code used in the API and the database.
    pub fn code(self) -> &'static str {
        match self {
            RetirementGroup::Male => "male",
            RetirementGroup::Female50 => "female_50",
            RetirementGroup::Female55 => "female_55",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<RetirementGroup> {
        RetirementGroup::ALL
            .into_iter()
            .find(|group| group.code() == code)
    }

    /// The name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RetirementGroup::Male, Lang::Zh) => "男职工",
            (RetirementGroup::Female50, Lang::Zh) => "原法定退休年龄 50 周岁的女职工",
            (RetirementGroup::Female55, Lang::Zh) => "原法定退休年龄 55 周岁的女职工",
            (RetirementGroup::Male, Lang::En) => "Men",
            (RetirementGroup::Female50, Lang::En) => "Women with an original retirement age of 50",
            (RetirementGroup::Female55, Lang::En) => "Women with an original retirement age of 55",
        }
    }
}

/// How one group's retirement age rises under the gradual reform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RetirementGroupRule {
    /// Retirement age before the reform, in years.
    pub original_age_years: u32,
    /// Months of later original retirement that add one month of delay.
    /// Zero applies the maximum delay at once.
    pub step_months: u32,
    /// The largest delay, in months.
    pub max_delay_months: u32,
}

/// The gradual reform's rule for each group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RetirementGroupRules {
    /// Men.
    pub male: RetirementGroupRule,
    /// Women with an original retirement age of 50.
    pub female_50: RetirementGroupRule,
    /// Women with an original retirement age of 55.
    pub female_55: RetirementGroupRule,
}

impl RetirementGroupRules {
    /// The rule for `group`.
    pub fn for_group(&self, group: RetirementGroup) -> RetirementGroupRule {
        match group {
            RetirementGroup::Male => self.male,
            RetirementGroup::Female50 => self.female_50,
            RetirementGroup::Female55 => self.female_55,
        }
    }
}

/// How working age is decided; part of a policy preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkingAgeRule {
    /// The retirement age rises gradually from `reform_start`:
    /// delay = min(max, ⌊k / step⌋ + 1) months, where k is the number of
    /// months from the reform's first month to the original retirement
    /// month. A person whose original retirement month came before the
    /// reform's first month had already retired and gets no delay.
    Gradual {
        /// Age in years at which working age begins.
        min_age: u32,
        /// The day the reform took effect; only its month counts.
        reform_start: NaiveDate,
        /// The rule for each group.
        groups: RetirementGroupRules,
    },
    /// Fixed age bands, as in the statistics of 2022–2024: working age is
    /// from `min_age` up to and including the maximum age (every woman uses
    /// `female_max_age`, whatever her group).
    FixedBands {
        /// Age in years at which working age begins.
        min_age: u32,
        /// The last age in years at which a man is of working age.
        male_max_age: u32,
        /// The last age in years at which a woman is of working age.
        female_max_age: u32,
    },
}

impl WorkingAgeRule {
    /// The gradual retirement reform in force since 2025-01-01: men 60 → 63
    /// (one month per 4), women 55 → 58 (one month per 4), women 50 → 55
    /// (one month per 2); working age begins at 16.
    pub fn gradual_2025() -> WorkingAgeRule {
        WorkingAgeRule::Gradual {
            min_age: 16,
            reform_start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or(NaiveDate::MIN),
            groups: RetirementGroupRules {
                male: RetirementGroupRule {
                    original_age_years: 60,
                    step_months: 4,
                    max_delay_months: 36,
                },
                female_50: RetirementGroupRule {
                    original_age_years: 50,
                    step_months: 2,
                    max_delay_months: 60,
                },
                female_55: RetirementGroupRule {
                    original_age_years: 55,
                    step_months: 4,
                    max_delay_months: 36,
                },
            },
        }
    }

    /// The fixed bands of the 2022–2024 statistics: men 16–59, women 16–54.
    pub fn fixed_bands_2022() -> WorkingAgeRule {
        WorkingAgeRule::FixedBands {
            min_age: 16,
            male_max_age: 59,
            female_max_age: 54,
        }
    }

    /// The age in years at which working age begins.
    pub fn min_age(&self) -> u32 {
        match *self {
            WorkingAgeRule::Gradual { min_age, .. }
            | WorkingAgeRule::FixedBands { min_age, .. } => min_age,
        }
    }
}

/// Months of delay the reform adds to the retirement age of a person born
/// on `birth` in `group`; always 0 under fixed bands.
pub fn retirement_delay_months(
    birth: NaiveDate,
    group: RetirementGroup,
    rule: &WorkingAgeRule,
) -> u32 {
    match rule {
        WorkingAgeRule::FixedBands { .. } => 0,
        WorkingAgeRule::Gradual {
            reform_start,
            groups,
            ..
        } => {
            let group_rule = groups.for_group(group);
            let original_month = month_index(birth) + i64::from(group_rule.original_age_years) * 12;
            let months_after_reform = original_month - month_index(*reform_start);
            // An original retirement month before the reform means the
            // person had already retired when it began.
            let Ok(k) = u32::try_from(months_after_reform) else {
                return 0;
            };
            match k.checked_div(group_rule.step_months) {
                Some(steps) => min(group_rule.max_delay_months, steps.saturating_add(1)),
                None => group_rule.max_delay_months,
            }
        }
    }
}

/// The statutory retirement age of a person born on `birth` in `group`, in
/// months (e.g. 722 for 60 years and 2 months).
pub fn retirement_age_months(
    birth: NaiveDate,
    group: RetirementGroup,
    rule: &WorkingAgeRule,
) -> u32 {
    match *rule {
        WorkingAgeRule::Gradual { groups, .. } => {
            let original = groups
                .for_group(group)
                .original_age_years
                .saturating_mul(12);
            original.saturating_add(retirement_delay_months(birth, group, rule))
        }
        WorkingAgeRule::FixedBands {
            male_max_age,
            female_max_age,
            ..
        } => {
            let max_age = match group {
                RetirementGroup::Male => male_max_age,
                RetirementGroup::Female50 | RetirementGroup::Female55 => female_max_age,
            };
            // A person stays of working age for the whole year of the
            // maximum age, so retirement is at the next birthday.
            max_age.saturating_add(1).saturating_mul(12)
        }
    }
}

/// The day a person reaches the statutory retirement age; from this day on
/// they are no longer of working age.
pub fn retirement_date(
    birth: NaiveDate,
    group: RetirementGroup,
    rule: &WorkingAgeRule,
) -> NaiveDate {
    add_months(birth, retirement_age_months(birth, group, rule))
}

/// The first day of the month in which a person reaches the statutory
/// retirement age (a man born in May 1965 retires in July 2025).
pub fn retirement_month(
    birth: NaiveDate,
    group: RetirementGroup,
    rule: &WorkingAgeRule,
) -> NaiveDate {
    let date = retirement_date(birth, group, rule);
    date.with_day(1).unwrap_or(date)
}

/// The day working age begins: the birthday at the rule's minimum age.
pub fn working_age_start(birth: NaiveDate, rule: &WorkingAgeRule) -> NaiveDate {
    add_months(birth, rule.min_age().saturating_mul(12))
}

/// Whether a person born on `birth` in `group` is of working age on `on`:
/// at least the minimum age and below the statutory retirement age.
pub fn is_working_age(
    birth: NaiveDate,
    group: RetirementGroup,
    on: NaiveDate,
    rule: &WorkingAgeRule,
) -> bool {
    working_age_start(birth, rule) <= on && on < retirement_date(birth, group, rule)
}

/// The birth dates of the people of `group` who are of working age on
/// `on`, as an inclusive range `(earliest, latest)`, so a store can select
/// them with a plain comparison. `None` when nobody is. Working age starts
/// later for a later birth and retirement comes later for a later birth, so
/// both ends are found by bisection over the days of a long life.
pub fn birth_range(
    group: RetirementGroup,
    on: NaiveDate,
    rule: &WorkingAgeRule,
) -> Option<(NaiveDate, NaiveDate)> {
    let oldest = on.checked_sub_months(Months::new(100 * 12))?;
    // The latest birth whose working age has started on `on`.
    let latest = last_where(oldest, on, |birth| working_age_start(birth, rule) <= on)?;
    // The earliest birth not yet retired on `on`.
    let earliest = first_where(oldest, latest, |birth| {
        on < retirement_date(birth, group, rule)
    })?;
    Some((earliest, latest))
}

/// The last day in `low..=high` for which a predicate that is true up to
/// some day and false after it holds.
fn last_where(
    low: NaiveDate,
    high: NaiveDate,
    holds: impl Fn(NaiveDate) -> bool,
) -> Option<NaiveDate> {
    if !holds(low) {
        return None;
    }
    let (mut good, mut bad) = (low, high.succ_opt()?);
    while (bad - good).num_days() > 1 {
        let mid = good + chrono::Duration::days((bad - good).num_days() / 2);
        if holds(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    Some(good)
}

/// The first day in `low..=high` for which a predicate that is false up to
/// some day and true after it holds.
fn first_where(
    low: NaiveDate,
    high: NaiveDate,
    holds: impl Fn(NaiveDate) -> bool,
) -> Option<NaiveDate> {
    if !holds(high) {
        return None;
    }
    if holds(low) {
        return Some(low);
    }
    let (mut bad, mut good) = (low, high);
    while (good - bad).num_days() > 1 {
        let mid = bad + chrono::Duration::days((good - bad).num_days() / 2);
        if holds(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    Some(good)
}

/// A month counted from year 0, so month differences are subtractions.
fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

/// Adds whole months, clamping to the end of shorter months. A result past
/// the last representable date saturates there: such a person never
/// reaches the age within the calendar.
fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use chrono::Days;
    use proptest::prelude::*;

    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn years_and_months(months: u32) -> (u32, u32) {
        (months / 12, months % 12)
    }

    #[test]
    fn domain_examples() {
        let rule = WorkingAgeRule::gradual_2025();
        // (birth, group, retirement month, age at retirement)
        let cases = [
            (
                date(1965, 5, 10),
                RetirementGroup::Male,
                date(2025, 7, 1),
                (60, 2),
            ),
            (
                date(1975, 3, 1),
                RetirementGroup::Female50,
                date(2025, 5, 1),
                (50, 2),
            ),
            (
                date(1976, 9, 30),
                RetirementGroup::Male,
                date(2039, 9, 1),
                (63, 0),
            ),
        ];
        for (birth, group, month, age) in cases {
            assert_eq!(
                retirement_month(birth, group, &rule),
                month,
                "{birth} {group:?}"
            );
            assert_eq!(
                years_and_months(retirement_age_months(birth, group, &rule)),
                age,
                "{birth} {group:?}"
            );
        }
    }

    #[test]
    fn published_table_boundaries() {
        let rule = WorkingAgeRule::gradual_2025();
        // (birth month, group, delay in months), from the published table
        // of the reform: the first and last birth months of the schedule.
        let cases = [
            (date(1964, 12, 1), RetirementGroup::Male, 0),
            (date(1965, 1, 1), RetirementGroup::Male, 1),
            (date(1965, 4, 1), RetirementGroup::Male, 1),
            (date(1965, 5, 1), RetirementGroup::Male, 2),
            (date(1976, 8, 1), RetirementGroup::Male, 35),
            (date(1976, 9, 1), RetirementGroup::Male, 36),
            (date(1990, 1, 1), RetirementGroup::Male, 36),
            (date(1969, 12, 1), RetirementGroup::Female55, 0),
            (date(1970, 1, 1), RetirementGroup::Female55, 1),
            (date(1981, 8, 1), RetirementGroup::Female55, 35),
            (date(1981, 9, 1), RetirementGroup::Female55, 36),
            (date(1974, 12, 1), RetirementGroup::Female50, 0),
            (date(1975, 1, 1), RetirementGroup::Female50, 1),
            (date(1975, 2, 1), RetirementGroup::Female50, 1),
            (date(1975, 3, 1), RetirementGroup::Female50, 2),
            (date(1984, 10, 1), RetirementGroup::Female50, 59),
            (date(1984, 11, 1), RetirementGroup::Female50, 60),
            (date(2000, 1, 1), RetirementGroup::Female50, 60),
        ];
        for (birth, group, delay) in cases {
            assert_eq!(
                retirement_delay_months(birth, group, &rule),
                delay,
                "{birth} {group:?}"
            );
        }
    }

    #[test]
    fn working_age_begins_on_the_sixteenth_birthday() {
        for rule in [
            WorkingAgeRule::gradual_2025(),
            WorkingAgeRule::fixed_bands_2022(),
        ] {
            let birth = date(2008, 6, 15);
            let cases = [
                (date(2024, 6, 14), false),
                (date(2024, 6, 15), true),
                (date(2024, 6, 16), true),
                (date(2008, 6, 15), false),
            ];
            for (on, expected) in cases {
                assert_eq!(
                    is_working_age(birth, RetirementGroup::Male, on, &rule),
                    expected,
                    "{on} {rule:?}"
                );
            }
        }
        let leap = date(2008, 2, 29);
        let rule = WorkingAgeRule::gradual_2025();
        assert_eq!(working_age_start(leap, &rule), date(2024, 2, 29));
        assert_eq!(add_months(date(2009, 2, 28), 12 * 16), date(2025, 2, 28));
        assert_eq!(add_months(leap, 12), date(2009, 2, 28));
    }

    #[test]
    fn working_age_ends_at_retirement() {
        let rule = WorkingAgeRule::gradual_2025();
        let birth = date(1965, 5, 10);
        let group = RetirementGroup::Male;
        assert_eq!(retirement_date(birth, group, &rule), date(2025, 7, 10));
        let cases = [
            (date(2025, 5, 10), true),
            (date(2025, 7, 9), true),
            (date(2025, 7, 10), false),
        ];
        for (on, expected) in cases {
            assert_eq!(is_working_age(birth, group, on, &rule), expected, "{on}");
        }
    }

    #[test]
    fn fixed_bands_include_the_maximum_age() {
        let rule = WorkingAgeRule::fixed_bands_2022();
        let birth = date(1964, 3, 1);
        let cases = [
            (RetirementGroup::Male, date(2024, 2, 29), true),
            (RetirementGroup::Male, date(2024, 3, 1), false),
            (RetirementGroup::Female55, date(2019, 2, 28), true),
            (RetirementGroup::Female55, date(2019, 3, 1), false),
            (RetirementGroup::Female50, date(2019, 2, 28), true),
            (RetirementGroup::Female50, date(2019, 3, 1), false),
        ];
        for (group, on, expected) in cases {
            assert_eq!(
                is_working_age(birth, group, on, &rule),
                expected,
                "{group:?} {on}"
            );
        }
        assert_eq!(
            retirement_delay_months(birth, RetirementGroup::Male, &rule),
            0
        );
        assert_eq!(
            retirement_month(birth, RetirementGroup::Male, &rule),
            date(2024, 3, 1)
        );
    }

    #[test]
    fn a_zero_step_applies_the_maximum_delay() {
        let rule = WorkingAgeRule::Gradual {
            min_age: 16,
            reform_start: date(2025, 1, 1),
            groups: RetirementGroupRules {
                male: RetirementGroupRule {
                    original_age_years: 60,
                    step_months: 0,
                    max_delay_months: 12,
                },
                female_50: RetirementGroupRule {
                    original_age_years: 50,
                    step_months: 0,
                    max_delay_months: 12,
                },
                female_55: RetirementGroupRule {
                    original_age_years: 55,
                    step_months: 0,
                    max_delay_months: 12,
                },
            },
        };
        assert_eq!(
            retirement_delay_months(date(1970, 1, 1), RetirementGroup::Male, &rule),
            12
        );
        assert_eq!(
            retirement_delay_months(date(1960, 1, 1), RetirementGroup::Male, &rule),
            0
        );
    }

    #[test]
    fn groups_and_rules_serialise_with_stable_names() {
        for group in RetirementGroup::ALL {
            assert_eq!(serde_json::to_value(group).unwrap(), group.code());
            assert_eq!(RetirementGroup::from_code(group.code()), Some(group));
            assert!(!group.label(Lang::Zh).is_empty());
        }
        assert_eq!(RetirementGroup::from_code("female50"), None);
        for rule in [
            WorkingAgeRule::gradual_2025(),
            WorkingAgeRule::fixed_bands_2022(),
        ] {
            let json = serde_json::to_value(rule).unwrap();
            assert_eq!(
                serde_json::from_value::<WorkingAgeRule>(json).unwrap(),
                rule
            );
        }
        let json = serde_json::to_value(WorkingAgeRule::fixed_bands_2022()).unwrap();
        assert_eq!(json["kind"], "fixed_bands");
        assert_eq!(json["male_max_age"], 59);
    }

    fn birth_date() -> impl Strategy<Value = NaiveDate> {
        (0..40_000u64).prop_map(|offset| {
            date(1930, 1, 1)
                .checked_add_days(Days::new(offset))
                .unwrap()
        })
    }

    fn group() -> impl Strategy<Value = RetirementGroup> {
        proptest::sample::select(RetirementGroup::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn delay_stays_within_the_group_maximum(birth in birth_date(), group in group()) {
            let rule = WorkingAgeRule::gradual_2025();
            let WorkingAgeRule::Gradual { groups, .. } = rule else { unreachable!() };
            let group_rule = groups.for_group(group);
            let delay = retirement_delay_months(birth, group, &rule);
            prop_assert!(delay <= group_rule.max_delay_months);
            prop_assert_eq!(retirement_age_months(birth, group, &rule), group_rule.original_age_years * 12 + delay);
        }

        #[test]
        fn later_births_never_retire_earlier(first in birth_date(), second in birth_date(), group in group()) {
            let (earlier, later) = if first <= second { (first, second) } else { (second, first) };
            let rule = WorkingAgeRule::gradual_2025();
            prop_assert!(retirement_month(earlier, group, &rule) <= retirement_month(later, group, &rule));
            prop_assert!(retirement_delay_months(earlier, group, &rule) <= retirement_delay_months(later, group, &rule));
        }

        #[test]
        fn working_age_is_exactly_the_interval(
            birth in birth_date(),
            group in group(),
            offset in 0..30_000u64,
            gradual in any::<bool>(),
        ) {
            let rule = if gradual { WorkingAgeRule::gradual_2025() } else { WorkingAgeRule::fixed_bands_2022() };
            let on = birth.checked_add_days(Days::new(offset)).unwrap();
            let start = working_age_start(birth, &rule);
            let end = retirement_date(birth, group, &rule);
            prop_assert!(start < end);
            prop_assert_eq!(is_working_age(birth, group, on, &rule), start <= on && on < end);
            prop_assert!(is_working_age(birth, group, start, &rule));
            prop_assert!(!is_working_age(birth, group, end, &rule));
            prop_assert!(is_working_age(birth, group, end.pred_opt().unwrap(), &rule));
            prop_assert_eq!(retirement_month(birth, group, &rule), end.with_day(1).unwrap());
        }
    }

    #[test]
    fn the_birth_range_agrees_with_the_rule_at_both_ends() {
        let rule = WorkingAgeRule::gradual_2025();
        let on = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        for group in [
            RetirementGroup::Male,
            RetirementGroup::Female50,
            RetirementGroup::Female55,
        ] {
            let (earliest, latest) = birth_range(group, on, &rule).unwrap();
            assert!(
                is_working_age(earliest, group, on, &rule),
                "{group:?} earliest"
            );
            assert!(is_working_age(latest, group, on, &rule), "{group:?} latest");
            assert!(
                !is_working_age(earliest.pred_opt().unwrap(), group, on, &rule),
                "{group:?} before"
            );
            assert!(
                !is_working_age(latest.succ_opt().unwrap(), group, on, &rule),
                "{group:?} after"
            );
        }
    }
}
