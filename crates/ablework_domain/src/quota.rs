//! Employers' annual quota declarations (按比例安排残疾人就业, DOMAIN.md §3):
//! the months a person was employed, the plan's measure 1, and the what-if
//! comparison of a whole year's declarations under another policy preset.
//!
//! The levy itself is calculated by [`crate::levy`]; this module only
//! decides who must employ whom and adds assessments up.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::lang::Lang;
use crate::levy::{self, Declaration, EmployerKind};
use crate::policy::{MeasureOneRules, PolicyPreset};

/// The first and last month of the year.
const FIRST_MONTH: u8 = 1;
const LAST_MONTH: u8 = 12;

// ---- months ----------------------------------------------------------------------

/// A run of whole months within one year, both ends included: months 3 to
/// 6 is March to June. Always `1 ≤ from ≤ to ≤ 12`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MonthSpan {
    from: u8,
    to: u8,
}

impl MonthSpan {
    /// The months `from` to `to`, or `None` unless `1 ≤ from ≤ to ≤ 12`.
    pub fn new(from: u8, to: u8) -> Option<MonthSpan> {
        (FIRST_MONTH <= from && from <= to && to <= LAST_MONTH).then_some(MonthSpan { from, to })
    }

    /// The whole year, months 1 to 12.
    pub fn whole_year() -> MonthSpan {
        MonthSpan {
            from: FIRST_MONTH,
            to: LAST_MONTH,
        }
    }

    /// The first month (1–12).
    pub fn from(self) -> u8 {
        self.from
    }

    /// The last month (1–12), included.
    pub fn to(self) -> u8 {
        self.to
    }

    /// How many months the span covers (1–12).
    pub fn months(self) -> u8 {
        self.to - self.from + 1
    }

    /// The months as bits: bit `m − 1` is set for each month `m` covered,
    /// so months 3 to 6 are `0b0000_0011_1100`.
    pub fn mask(self) -> u16 {
        // Bits below `to`, less the bits below `from − 1`; `to ≤ 12`, so
        // no shift reaches the width of a u16.
        ((1_u16 << self.to) - 1) & !((1_u16 << (self.from - 1)) - 1)
    }

    /// Whether the two spans share at least one month.
    pub fn overlaps(&self, other: &MonthSpan) -> bool {
        self.from <= other.to && other.from <= self.to
    }

    /// The months the two spans share, if any.
    pub fn overlap(&self, other: &MonthSpan) -> Option<MonthSpan> {
        MonthSpan::new(self.from.max(other.from), self.to.min(other.to))
    }

    /// The span for people: `3—6 月` or `months 3–6`; a single month is
    /// `3 月` or `month 3`.
    pub fn label(self, lang: Lang) -> String {
        let MonthSpan { from, to } = self;
        match (lang, from == to) {
            (Lang::Zh, true) => format!("{from} 月"),
            (Lang::Zh, false) => format!("{from}—{to} 月"),
            (Lang::En, true) => format!("month {from}"),
            (Lang::En, false) => format!("months {from}–{to}"),
        }
    }
}

// ---- measure 1 -------------------------------------------------------------------

/// Whether the plan's measure 1 (DOMAIN.md §3) obliges an employer to
/// employ at least one disabled person: a government agency whose staffing
/// quota is at least `rules.agency_min_staffing`, or a public institution
/// with at least `rules.institution_min_staffing` staff that is not a
/// primary or secondary school or a kindergarten (`is_school`). Enterprises
/// and social organisations are not covered, and neither is an employer
/// whose staffing is unknown (`None`). `is_school` matters only for
/// institutions.
pub fn must_employ_one(
    kind: EmployerKind,
    is_school: bool,
    staffing: Option<u32>,
    rules: &MeasureOneRules,
) -> bool {
    let Some(staffing) = staffing else {
        return false;
    };
    match kind {
        EmployerKind::Agency => staffing >= rules.agency_min_staffing,
        EmployerKind::Institution => !is_school && staffing >= rules.institution_min_staffing,
        EmployerKind::Enterprise | EmployerKind::SocialOrg => false,
    }
}

// ---- what-if -----------------------------------------------------------------------

/// One employer's declaration in a what-if comparison.
#[derive(Clone, Copy, Debug)]
pub struct WhatIfItem<'a> {
    /// The district the employer is reported under (GB/T 2260 code).
    pub district_code: &'a str,
    /// The kind the employer is reported under; normally the
    /// declaration's own `employer_kind`.
    pub kind: EmployerKind,
    /// The declaration.
    pub declaration: &'a Declaration,
    /// The preset the declaration is assessed under today.
    pub current: &'a PolicyPreset,
}

/// Totals of a group of employers under the current presets and under the
/// alternative one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WhatIfRow {
    /// Employers assessed.
    pub employers: u64,
    /// The levies due today, each rounded as assessed, summed.
    pub levy_current: Decimal,
    /// The levies due under the alternative, each rounded, summed.
    pub levy_alternative: Decimal,
    /// Employers that do not meet their quota today.
    pub short_current: u64,
    /// Employers that would not meet their quota under the alternative.
    pub short_alternative: u64,
    /// Employers that meet their quota today but would not under the
    /// alternative.
    pub newly_short: u64,
    /// Employers that do not meet their quota today but would under the
    /// alternative.
    pub no_longer_short: u64,
}

impl WhatIfRow {
    /// How much more (or, if negative, less) levy the alternative raises.
    pub fn difference(&self) -> Decimal {
        self.levy_alternative - self.levy_current
    }

    fn add(&mut self, outcome: &Outcome) {
        self.employers += 1;
        self.levy_current += outcome.levy_current;
        self.levy_alternative += outcome.levy_alternative;
        self.short_current += u64::from(outcome.short_current);
        self.short_alternative += u64::from(outcome.short_alternative);
        self.newly_short += u64::from(outcome.short_alternative && !outcome.short_current);
        self.no_longer_short += u64::from(outcome.short_current && !outcome.short_alternative);
    }
}

/// The what-if comparison: the whole, by district and by kind of employer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WhatIfReport {
    /// Every employer assessed.
    pub total: WhatIfRow,
    /// By district code, in the order of the codes.
    pub by_district: Vec<(String, WhatIfRow)>,
    /// By kind of employer, in the order of [`EmployerKind::ALL`]; only the
    /// kinds present.
    pub by_kind: Vec<(EmployerKind, WhatIfRow)>,
    /// Declarations left out because they did not pass validation.
    pub skipped: usize,
}

/// One employer's assessments, as the rows add them up.
struct Outcome {
    levy_current: Decimal,
    levy_alternative: Decimal,
    short_current: bool,
    short_alternative: bool,
}

/// What the employers' levies and quota shortfalls would be under the
/// `alternative` preset, compared with their current presets. Each
/// declaration is assessed under both with [`levy::assess_with`]; one that
/// does not pass validation is counted in [`WhatIfReport::skipped`] and
/// left out of every row. An employer is short when it does not meet its
/// quota, whether or not it pays a levy (a small enterprise may be short
/// and exempt).
///
/// The presets are borrowed, never copied, and the rows are accumulated
/// in place, so the work per employer is the two assessments.
pub fn what_if<'a>(
    items: impl IntoIterator<Item = WhatIfItem<'a>>,
    alternative: &PolicyPreset,
) -> WhatIfReport {
    let mut total = WhatIfRow::default();
    let mut by_district: BTreeMap<&'a str, WhatIfRow> = BTreeMap::new();
    let mut by_kind = [WhatIfRow::default(); EmployerKind::ALL.len()];
    let mut skipped = 0;
    for item in items {
        // Validation does not depend on the preset's numbers, so a
        // declaration the current preset rejects is not tried again.
        let Ok(current) = levy::assess_with(item.declaration, item.current) else {
            skipped += 1;
            continue;
        };
        let Ok(changed) = levy::assess_with(item.declaration, alternative) else {
            skipped += 1;
            continue;
        };
        let outcome = Outcome {
            levy_current: current.levy(),
            levy_alternative: changed.levy(),
            short_current: !current.meets_quota(),
            short_alternative: !changed.meets_quota(),
        };
        total.add(&outcome);
        by_district
            .entry(item.district_code)
            .or_default()
            .add(&outcome);
        by_kind[kind_index(item.kind)].add(&outcome);
    }
    WhatIfReport {
        total,
        by_district: by_district
            .into_iter()
            .map(|(code, row)| (code.to_owned(), row))
            .collect(),
        by_kind: EmployerKind::ALL
            .into_iter()
            .zip(by_kind)
            .filter(|(_, row)| row.employers > 0)
            .collect(),
        skipped,
    }
}

/// The position of `kind` in [`EmployerKind::ALL`].
fn kind_index(kind: EmployerKind) -> usize {
    match kind {
        EmployerKind::Enterprise => 0,
        EmployerKind::Agency => 1,
        EmployerKind::Institution => 2,
        EmployerKind::SocialOrg => 3,
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use chrono::NaiveDate;
    use proptest::prelude::*;

    use super::*;
    use crate::levy::{DisabledEmployee, EmployeeKind};
    use crate::policy;

    // ---- months ----

    #[test]
    fn month_spans_lie_within_one_year() {
        assert_eq!(
            MonthSpan::new(3, 6).map(|s| (s.from(), s.to())),
            Some((3, 6))
        );
        assert!(MonthSpan::new(1, 12).is_some());
        assert!(MonthSpan::new(7, 7).is_some());
        assert_eq!(MonthSpan::new(0, 6), None);
        assert_eq!(MonthSpan::new(6, 13), None);
        assert_eq!(MonthSpan::new(7, 6), None);
        assert_eq!(MonthSpan::whole_year(), MonthSpan::new(1, 12).unwrap());
    }

    #[test]
    fn months_and_masks() {
        let span = |from, to| MonthSpan::new(from, to).unwrap();
        assert_eq!(span(3, 6).months(), 4);
        assert_eq!(span(3, 6).mask(), 0b0000_0011_1100);
        assert_eq!(span(1, 1).mask(), 0b1);
        assert_eq!(span(12, 12).mask(), 0b1000_0000_0000);
        assert_eq!(span(1, 12).mask(), 0x0FFF);
        assert_eq!(span(1, 12).months(), 12);
    }

    #[test]
    fn overlaps_share_months() {
        let span = |from, to| MonthSpan::new(from, to).unwrap();
        assert!(span(3, 6).overlaps(&span(6, 9)));
        assert_eq!(span(3, 6).overlap(&span(6, 9)), Some(span(6, 6)));
        assert_eq!(span(1, 12).overlap(&span(4, 5)), Some(span(4, 5)));
        assert!(!span(3, 5).overlaps(&span(6, 9)));
        assert_eq!(span(3, 5).overlap(&span(6, 9)), None);
        assert_eq!(span(6, 9).overlap(&span(3, 5)), None);
    }

    #[test]
    fn labels_in_both_languages() {
        let span = |from, to| MonthSpan::new(from, to).unwrap();
        assert_eq!(span(3, 6).label(Lang::Zh), "3—6 月");
        assert_eq!(span(3, 6).label(Lang::En), "months 3–6");
        assert_eq!(span(3, 3).label(Lang::Zh), "3 月");
        assert_eq!(span(3, 3).label(Lang::En), "month 3");
    }

    fn any_span() -> impl Strategy<Value = MonthSpan> {
        (1..=12_u8, 1..=12_u8).prop_map(|(a, b)| MonthSpan::new(a.min(b), a.max(b)).unwrap())
    }

    proptest! {
        #[test]
        fn masks_agree_with_months_and_overlaps(a in any_span(), b in any_span()) {
            prop_assert_eq!(u32::from(a.months()), a.mask().count_ones());
            prop_assert_eq!(a.overlaps(&b), a.mask() & b.mask() != 0);
            prop_assert_eq!(a.overlap(&b).map_or(0, MonthSpan::mask), a.mask() & b.mask());
            prop_assert_eq!(a.overlap(&b), b.overlap(&a));
        }
    }

    // ---- measure 1 ----

    #[test]
    fn measure_one_applies_at_its_boundaries() {
        let rules = PolicyPreset::tianjin_2022_2024().measure_one;
        let check = |kind, is_school, staffing| must_employ_one(kind, is_school, staffing, &rules);
        assert!(!check(EmployerKind::Agency, false, Some(49)));
        assert!(check(EmployerKind::Agency, false, Some(50)));
        assert!(check(EmployerKind::Agency, true, Some(50)));
        assert!(!check(EmployerKind::Institution, false, Some(66)));
        assert!(check(EmployerKind::Institution, false, Some(67)));
        assert!(!check(EmployerKind::Institution, true, Some(67)));
        assert!(!check(EmployerKind::Institution, true, Some(200)));
        assert!(!check(EmployerKind::Enterprise, false, Some(1000)));
        assert!(!check(EmployerKind::SocialOrg, false, Some(1000)));
        assert!(!check(EmployerKind::Agency, false, None));
        assert!(!check(EmployerKind::Institution, false, None));
    }

    // ---- what-if ----

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn disability(level: i64, months: i64) -> DisabledEmployee {
        DisabledEmployee {
            certificate: None,
            kind: Some(EmployeeKind::Disability),
            level: Some(level),
            months,
            eligible: true,
        }
    }

    /// A declaration of 2024 with S = 100,000, as in DOMAIN.md §4.
    fn declaration(
        kind: EmployerKind,
        headcount: i64,
        wage: i64,
        employees: Vec<DisabledEmployee>,
    ) -> Declaration {
        Declaration {
            policy: None,
            declared_on: date(2024, 6, 30),
            employer_kind: kind,
            average_headcount: Some(Decimal::from(headcount)),
            monthly_headcount: None,
            seasonal: Vec::new(),
            average_wage: Some(Decimal::from(wage)),
            total_wages: None,
            social_average_wage: Decimal::from(100_000),
            disabled_employees: employees,
        }
    }

    fn with_rate(thousandths: i64) -> PolicyPreset {
        let mut preset = policy::default_preset();
        preset.id = format!("rate-{thousandths}");
        preset.quota.rate = Decimal::new(thousandths, 3);
        preset
    }

    fn item<'a>(
        district_code: &'a str,
        declaration: &'a Declaration,
        current: &'a PolicyPreset,
    ) -> WhatIfItem<'a> {
        WhatIfItem {
            district_code,
            kind: declaration.employer_kind,
            declaration,
            current,
        }
    }

    fn money(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn a_higher_rate_makes_an_employer_at_one_and_a_half_percent_short() {
        let current = policy::default_preset();
        // N = 100, D = 2 × 9/12 = 1.5: exactly 1.5%, so the quota is met.
        let meets = declaration(
            EmployerKind::Enterprise,
            100,
            80_000,
            vec![disability(2, 9)],
        );
        // N = 200, D = 0: short either way; 0.9 × 3 × 100,000 today.
        let short = declaration(EmployerKind::Institution, 200, 100_000, Vec::new());
        let report = what_if(
            [
                item("120104", &meets, &current),
                item("120101", &short, &current),
            ],
            &with_rate(17),
        );
        assert_eq!(report.skipped, 0);
        assert_eq!(
            report.total,
            WhatIfRow {
                employers: 2,
                levy_current: money("270000.00"),
                // 0.2 × 80,000 × 0.5 (ratio 1.5% ≥ 1%) + 3.4 × 100,000 × 0.9.
                levy_alternative: money("314000.00"),
                short_current: 1,
                short_alternative: 2,
                newly_short: 1,
                no_longer_short: 0,
            }
        );
        assert_eq!(report.total.difference(), money("44000.00"));
        let districts: Vec<&str> = report
            .by_district
            .iter()
            .map(|(code, _)| code.as_str())
            .collect();
        assert_eq!(districts, ["120101", "120104"]);
        assert_eq!(report.by_district[1].1.newly_short, 1);
        assert_eq!(report.by_district[1].1.levy_alternative, money("8000.00"));
        assert_eq!(report.by_district[0].1.levy_current, money("270000.00"));
        assert_eq!(
            report
                .by_kind
                .iter()
                .map(|(kind, row)| (*kind, row.employers))
                .collect::<Vec<_>>(),
            [
                (EmployerKind::Enterprise, 1),
                (EmployerKind::Institution, 1)
            ]
        );
    }

    #[test]
    fn a_lower_rate_lifts_employers_out_of_shortfall() {
        let current = with_rate(17);
        let meets = declaration(
            EmployerKind::Enterprise,
            100,
            80_000,
            vec![disability(2, 9)],
        );
        let report = what_if(
            [item("120101", &meets, &current)],
            &policy::default_preset(),
        );
        assert_eq!(report.total.no_longer_short, 1);
        assert_eq!(report.total.newly_short, 0);
        assert_eq!(report.total.difference(), money("-8000.00"));
    }

    #[test]
    fn invalid_declarations_are_skipped_and_the_policy_field_is_ignored() {
        let current = policy::default_preset();
        let mut invalid = declaration(EmployerKind::Agency, 100, 80_000, Vec::new());
        invalid.average_wage = None;
        let mut elsewhere = declaration(EmployerKind::Agency, 100, 80_000, Vec::new());
        elsewhere.policy = Some("no-such-preset".to_owned());
        // A small enterprise is exempt, so pays nothing, yet it is short.
        let small = declaration(EmployerKind::Enterprise, 28, 90_000, Vec::new());
        let report = what_if(
            [
                item("120101", &invalid, &current),
                item("120102", &elsewhere, &current),
                item("120102", &small, &current),
            ],
            &with_rate(15),
        );
        assert_eq!(report.skipped, 1);
        assert_eq!(report.total.employers, 2);
        assert_eq!(report.total.short_current, 2);
        assert_eq!(report.total.short_alternative, 2);
        assert_eq!(report.total.levy_current, money("108000.00"));
        assert_eq!(report.total.difference(), Decimal::ZERO);
        assert_eq!(report.by_district.len(), 1);
        assert_eq!(
            report
                .by_kind
                .iter()
                .map(|(kind, _)| *kind)
                .collect::<Vec<_>>(),
            [EmployerKind::Enterprise, EmployerKind::Agency]
        );
    }

    #[test]
    fn each_item_uses_its_own_current_preset() {
        let old = with_rate(10);
        let new = policy::default_preset();
        let employer = declaration(EmployerKind::Institution, 200, 100_000, Vec::new());
        let report = what_if(
            [
                item("120101", &employer, &old),
                item("120101", &employer, &new),
            ],
            &new,
        );
        // 0.9 × 100,000 × (2 + 3) today; 0.9 × 100,000 × (3 + 3) then.
        assert_eq!(report.total.levy_current, money("450000.00"));
        assert_eq!(report.total.levy_alternative, money("540000.00"));
    }

    #[test]
    fn nothing_to_compare_gives_an_empty_report() {
        let report = what_if(std::iter::empty(), &policy::default_preset());
        assert_eq!(report, WhatIfReport::default());
    }

    #[test]
    fn kinds_are_indexed_in_their_listed_order() {
        for (index, kind) in EmployerKind::ALL.into_iter().enumerate() {
            assert_eq!(kind_index(kind), index);
        }
    }

    fn sum<'a>(rows: impl Iterator<Item = &'a WhatIfRow>) -> WhatIfRow {
        rows.fold(WhatIfRow::default(), |mut sum, row| {
            sum.employers += row.employers;
            sum.levy_current += row.levy_current;
            sum.levy_alternative += row.levy_alternative;
            sum.short_current += row.short_current;
            sum.short_alternative += row.short_alternative;
            sum.newly_short += row.newly_short;
            sum.no_longer_short += row.no_longer_short;
            sum
        })
    }

    proptest! {
        #[test]
        fn the_groups_add_up_and_a_higher_rate_never_lowers_a_levy(
            declarations in proptest::collection::vec(crate::levy::properties::any_declaration(), 0..20),
            districts in proptest::collection::vec(0..4_usize, 20),
            thousandths in 15..40_i64,
        ) {
            const CODES: [&str; 4] = ["120101", "120102", "120116", "120119"];
            let current = policy::default_preset();
            let alternative = with_rate(thousandths);
            let report = what_if(
                declarations
                    .iter()
                    .zip(&districts)
                    .map(|(declaration, district)| item(CODES[*district], declaration, &current)),
                &alternative,
            );
            prop_assert_eq!(report.skipped, 0);
            prop_assert_eq!(usize::try_from(report.total.employers).unwrap(), declarations.len());
            prop_assert_eq!(sum(report.by_district.iter().map(|(_, row)| row)), report.total);
            prop_assert_eq!(sum(report.by_kind.iter().map(|(_, row)| row)), report.total);
            prop_assert!(report.by_district.windows(2).all(|pair| pair[0].0 < pair[1].0));
            let total = report.total;
            prop_assert_eq!(total.no_longer_short, 0);
            prop_assert_eq!(total.short_alternative, total.short_current + total.newly_short);
            prop_assert!(total.difference() >= Decimal::ZERO);
            for declaration in &declarations {
                let before = levy::assess_with(declaration, &current).unwrap().levy();
                let after = levy::assess_with(declaration, &alternative).unwrap().levy();
                prop_assert!(after >= before, "{} then {}", before, after);
            }
        }
    }
}
