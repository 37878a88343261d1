//! Properties of the levy that hold for every valid declaration
//! (DOMAIN.md §3–§4), checked on arbitrary ones. The generators are shared
//! with the what-if tests of [`crate::quota`].
//!
//! The expected values are computed here from the rules as DOMAIN.md
//! writes them, not by the code under test.

#![expect(clippy::unwrap_used, reason = "tests")]

use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::{
    Declaration, DisabledEmployee, EmployeeKind, EmployerKind, SeasonalWorkers, assess, assess_with,
};
use crate::lang::Lang;
use crate::policy::{self, PolicyPreset};

/// The first and last days a generated declaration is made on.
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 1, 1).unwrap()
}

fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 12, 31).unwrap()
}

/// A disabled employee given by kind and level, eligible nine times in ten.
pub(crate) fn employee() -> impl Strategy<Value = DisabledEmployee> {
    (
        any::<bool>(),
        1..=10_i64,
        1..=12_i64,
        proptest::bool::weighted(0.9),
    )
        .prop_map(|(veteran, level, months, eligible)| DisabledEmployee {
            certificate: None,
            kind: Some(if veteran {
                EmployeeKind::Veteran
            } else {
                EmployeeKind::Disability
            }),
            level: Some(if veteran { level } else { (level - 1) % 4 + 1 }),
            months,
            eligible,
        })
}

/// Staff given as an average (with hundredths) or month by month, each in
/// `0..=max_headcount`, with at least one person on the staff in the year.
fn staff(max_headcount: u32) -> impl Strategy<Value = (Option<Decimal>, Option<Vec<Decimal>>)> {
    prop_oneof![
        (0..=max_headcount, 0..=99_u32).prop_map(|(whole, hundredths)| {
            let average = Decimal::from(whole) + Decimal::new(hundredths.into(), 2);
            let average = if average.is_zero() {
                Decimal::ONE
            } else {
                average
            };
            (Some(average), None)
        }),
        proptest::collection::vec(0..=max_headcount, 12).prop_map(|mut months| {
            if months.iter().all(|count| *count == 0) {
                months[0] = 1;
            }
            (None, Some(months.into_iter().map(Decimal::from).collect()))
        }),
    ]
}

/// The wage as an average (with tenths) or as a total for the year.
fn wage() -> impl Strategy<Value = (Option<Decimal>, Option<Decimal>)> {
    prop_oneof![
        (0..4_000_000_i64).prop_map(|tenths| (Some(Decimal::new(tenths, 1)), None)),
        (0..2_000_000_000_i64).prop_map(|total| (None, Some(Decimal::from(total)))),
    ]
}

/// An arbitrary valid declaration of any kind of employer with up to
/// `max_headcount` staff a month, 0 to 20 disabled employees and a
/// declaration day from 2018 to 2030.
pub(crate) fn declaration_up_to(max_headcount: u32) -> impl Strategy<Value = Declaration> {
    let days = (last_day() - first_day()).num_days().cast_unsigned();
    (
        proptest::sample::select(EmployerKind::ALL.to_vec()),
        0..=days,
        staff(max_headcount),
        proptest::collection::vec((0..50_u32, 1..=12_i64), 0..3),
        wage(),
        1..300_000_u32,
        proptest::collection::vec(employee(), 0..=20),
    )
        .prop_map(
            |(
                kind,
                day,
                (average, monthly),
                seasonal,
                (average_wage, total_wages),
                social,
                employees,
            )| {
                Declaration {
                    policy: None,
                    declared_on: first_day() + Days::new(day),
                    employer_kind: kind,
                    average_headcount: average,
                    monthly_headcount: monthly,
                    seasonal: seasonal
                        .into_iter()
                        .map(|(count, months)| SeasonalWorkers {
                            count: Decimal::from(count),
                            months,
                        })
                        .collect(),
                    average_wage,
                    total_wages,
                    social_average_wage: Decimal::from(social),
                    disabled_employees: employees,
                }
            },
        )
}

/// An arbitrary valid declaration with up to 5,000 staff a month.
pub(crate) fn any_declaration() -> impl Strategy<Value = Declaration> {
    declaration_up_to(5_000)
}

/// N × 12, D × 12 and R × 12 of a declaration under the built-in preset
/// (rate 1.5%; disability levels 1–2 and veteran levels 1–3 count twice).
fn twelfths(declaration: &Declaration) -> (Decimal, Decimal, Decimal) {
    let twelve = Decimal::from(12);
    let staff = match (
        &declaration.average_headcount,
        &declaration.monthly_headcount,
    ) {
        (Some(average), None) => average * twelve,
        (None, Some(months)) => months.iter().sum(),
        _ => unreachable!("the generator gives exactly one"),
    };
    let seasonal: Decimal = declaration
        .seasonal
        .iter()
        .map(|workers| workers.count * Decimal::from(workers.months))
        .sum();
    let counted: Decimal = declaration
        .disabled_employees
        .iter()
        .filter(|employee| employee.eligible)
        .map(|employee| {
            let level = employee.level.unwrap();
            let double = match employee.kind.unwrap() {
                EmployeeKind::Disability => level <= 2,
                EmployeeKind::Veteran => level <= 3,
            };
            Decimal::from(if double { 2 } else { 1 }) * Decimal::from(employee.months)
        })
        .sum();
    let headcount = staff + seasonal;
    (headcount, counted, headcount * Decimal::new(15, 3))
}

proptest! {
    #[test]
    fn the_levy_is_never_negative(declaration in any_declaration()) {
        let calculation = assess(&declaration).unwrap();
        prop_assert!(calculation.levy() >= Decimal::ZERO, "{}", calculation.levy());
        let output = calculation.assessment(Lang::Zh);
        for value in [&output.required, &output.counted, &output.shortfall, &output.ratio, &output.wage_used, &output.levy] {
            prop_assert!(!value.starts_with('-'), "{}", value);
        }
    }

    #[test]
    fn adding_a_disabled_employee_never_raises_the_levy(
        declaration in any_declaration(),
        extra in employee(),
    ) {
        let before = assess(&declaration).unwrap();
        let mut more = declaration.clone();
        more.disabled_employees.push(DisabledEmployee { eligible: true, ..extra });
        let after = assess(&more).unwrap();
        prop_assert!(after.levy() <= before.levy(), "{} then {}", before.levy(), after.levy());
        prop_assert!(after.shortfall_people() <= before.shortfall_people());
    }

    #[test]
    fn a_ratio_at_the_quota_rate_owes_nothing(declaration in any_declaration()) {
        let calculation = assess(&declaration).unwrap();
        let (headcount, counted, required) = twelfths(&declaration);
        // D ÷ N ≥ rate, compared without dividing.
        let at_rate = counted >= headcount * policy::default_preset().quota.rate;
        prop_assert_eq!(at_rate, counted >= required);
        prop_assert_eq!(calculation.meets_quota(), at_rate);
        if at_rate {
            prop_assert!(calculation.levy().is_zero());
            prop_assert_eq!(calculation.factor(), Decimal::ZERO);
            prop_assert_eq!(calculation.shortfall_people(), 0);
        } else {
            prop_assert!(calculation.shortfall_people() >= 1);
        }
    }

    #[test]
    fn small_enterprises_in_the_exemption_window_pay_nothing(
        declaration in declaration_up_to(40),
    ) {
        let calculation = assess(&declaration).unwrap();
        let (headcount, _, _) = twelfths(&declaration);
        let year = declaration.declared_on.year();
        let should_be_exempt = declaration.employer_kind == EmployerKind::Enterprise
            && headcount <= Decimal::from(30 * 12)
            && (2020..=2027).contains(&year);
        prop_assert_eq!(calculation.exempt(), should_be_exempt);
        if should_be_exempt {
            prop_assert!(calculation.levy().is_zero());
            prop_assert_eq!(calculation.assessment(Lang::En).levy, "0.00");
        }
    }

    #[test]
    fn hiring_the_shortfall_in_people_meets_the_quota(declaration in any_declaration()) {
        let calculation = assess(&declaration).unwrap();
        let people = calculation.shortfall_people();
        let mut hired = declaration.clone();
        // Hired into posts already in the headcount, for the whole year.
        for _ in 0..people {
            hired.disabled_employees.push(DisabledEmployee {
                certificate: None,
                kind: Some(EmployeeKind::Disability),
                level: Some(4),
                months: 12,
                eligible: true,
            });
        }
        prop_assert!(assess(&hired).unwrap().meets_quota());
        if people > 0 {
            hired.disabled_employees.pop();
            prop_assert!(!assess(&hired).unwrap().meets_quota());
        }
    }

    #[test]
    fn assessing_with_the_named_preset_is_assessing(declaration in any_declaration()) {
        let preset: PolicyPreset = policy::default_preset();
        prop_assert_eq!(assess(&declaration).unwrap(), assess_with(&declaration, &preset).unwrap());
    }
}
