//! Speed of the domain rules at Tianjin and national scale:
//! `cargo bench -p ablework_domain`. The numbers are in docs/benchmarks.md.

#![expect(
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "benchmark set-up"
)]

use ablework_domain::ident::{DisabilityCategory, Sex};
use ablework_domain::ident::{ResidentId, resident_id_check_char};
use ablework_domain::levy::{
    Declaration, DisabledEmployee, EmployeeKind, EmployerKind, assess, assess_with,
};
use ablework_domain::outcome::{EmploymentForm, Measure, Outcome};
use ablework_domain::person::Hukou;
use ablework_domain::policy::{PolicyPreset, default_preset};
use ablework_domain::progress::{PlanTarget, progress};
use ablework_domain::quota::{WhatIfItem, what_if};
use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;

fn main() {
    divan::main();
}

/// A small deterministic generator, so every run measures the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }

    /// A uniform number in (0, 1).
    fn unit(&mut self) -> f64 {
        (self.next(1 << 30) + 1) as f64 / f64::from((1 << 30) + 1)
    }

    /// A standard normal number (Box–Muller).
    fn normal(&mut self) -> f64 {
        let (first, second) = (self.unit(), self.unit());
        (-2.0 * first.ln()).sqrt() * (std::f64::consts::TAU * second).cos()
    }
}

fn ids(count: usize) -> Vec<String> {
    let mut random = Lcg(7);
    (0..count)
        .map(|_| {
            let first17 = format!(
                "1201{:02}19{:02}{:02}{:02}{:03}",
                1 + random.next(16),
                50 + random.next(50),
                1 + random.next(12),
                1 + random.next(28),
                random.next(1000)
            );
            format!("{first17}{}", resident_id_check_char(&first17).unwrap())
        })
        .collect()
}

/// Parsing and checking resident ID numbers (an import's hottest rule).
#[divan::bench]
fn parse_100k_resident_ids(bencher: divan::Bencher) {
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let ids = ids(100_000);
    bencher.bench(|| {
        ids.iter()
            .filter(|id| ResidentId::parse(id, today).is_ok())
            .count()
    });
}

fn declarations(count: usize) -> Vec<Declaration> {
    let mut random = Lcg(11);
    (0..count)
        .map(|_| {
            // Log-normal-ish sizes: most employers are small, a few are large.
            let staff = 5 + random.next(60) * (1 + random.next(4)).pow(3);
            let disabled: Vec<_> = (0..random.next(6)).map(|_| serde_json::json!({"kind": "disability", "level": 1 + random.next(4), "months": 1 + random.next(12)})).collect();
            let json = serde_json::json!({
                "declared_on": "2024-06-30",
                "employer_kind": if random.next(10) == 0 { "institution" } else { "enterprise" },
                "average_headcount": staff.to_string(),
                "average_wage": (40_000 + random.next(160_000)).to_string(),
                "social_average_wage": "100000",
                "disabled_employees": disabled,
            });
            serde_json::from_value(json).unwrap()
        })
        .collect()
}

/// Assessing a Tianjin year of declarations (about 40,000 employers).
#[divan::bench]
fn assess_40k_declarations(bencher: divan::Bencher) {
    let declarations = declarations(40_000);
    bencher.bench(|| {
        declarations
            .iter()
            .filter_map(|d| assess(d).ok())
            .map(|c| c.levy())
            .sum::<rust_decimal::Decimal>()
    });
}

/// A Tianjin year of employers' declarations (DOMAIN.md §6): staff
/// log-normal with a median of 60 and a tail past 10,000, given month by
/// month; 0 to 3 disabled employees by kind and level; mostly enterprises.
fn employers(count: usize) -> Vec<(&'static str, Declaration)> {
    let mut random = Lcg(17);
    let districts: Vec<&'static str> = ablework_domain::district::all()
        .iter()
        .map(|d| d.code)
        .collect();
    (0..count)
        .map(|_| {
            let size = (60.0 * (1.3 * random.normal()).exp()).clamp(1.0, 50_000.0) as u64;
            let monthly = (0..12)
                .map(|_| Decimal::from(size * (90 + random.next(21)) / 100))
                .collect::<Vec<_>>();
            let employer_kind = match random.next(100) {
                0..85 => EmployerKind::Enterprise,
                85..93 => EmployerKind::Institution,
                93..97 => EmployerKind::Agency,
                _ => EmployerKind::SocialOrg,
            };
            let disabled_employees = (0..random.next(4))
                .map(|_| {
                    let veteran = random.next(100) < 15;
                    DisabledEmployee {
                        certificate: None,
                        kind: Some(if veteran {
                            EmployeeKind::Veteran
                        } else {
                            EmployeeKind::Disability
                        }),
                        level: Some(1 + random.next(if veteran { 10 } else { 4 }).cast_signed()),
                        months: 1 + random.next(12).cast_signed(),
                        eligible: random.next(20) != 0,
                    }
                })
                .collect();
            let average_wage = Decimal::from(40_000 + random.next(160_000));
            let by_total = random.next(3) == 0;
            let declaration = Declaration {
                policy: None,
                declared_on: NaiveDate::from_ymd_opt(2024, 6, 30).unwrap(),
                employer_kind,
                average_headcount: None,
                monthly_headcount: Some(monthly),
                seasonal: Vec::new(),
                average_wage: (!by_total).then_some(average_wage),
                total_wages: by_total.then(|| average_wage * Decimal::from(size)),
                social_average_wage: Decimal::from(100_000),
                disabled_employees,
            };
            (districts[random.next(16) as usize], declaration)
        })
        .collect()
}

/// The preset of a what-if: the default one with a quota rate of 1.7%.
fn alternative_preset() -> PolicyPreset {
    let mut preset = default_preset();
    "what-if-rate-1-7".clone_into(&mut preset.id);
    preset.quota.rate = Decimal::new(17, 3);
    preset
}

/// The what-if of a Tianjin year (40,000 employers): every declaration
/// assessed under its current preset and under a rate of 1.7%, summed by
/// district and kind.
#[divan::bench(sample_count = 20)]
fn what_if_40k(bencher: divan::Bencher) {
    let employers = employers(40_000);
    let current = default_preset();
    let alternative = alternative_preset();
    bencher.bench(|| {
        what_if(
            employers
                .iter()
                .map(|(district_code, declaration)| WhatIfItem {
                    district_code,
                    kind: declaration.employer_kind,
                    declaration,
                    current: &current,
                }),
            &alternative,
        )
    });
}

/// One side of the what-if: the same 40,000 declarations assessed once
/// under a preset already resolved.
#[divan::bench(sample_count = 20)]
fn assess_40k(bencher: divan::Bencher) {
    let employers = employers(40_000);
    let current = default_preset();
    bencher.bench(|| {
        employers
            .iter()
            .filter_map(|(_, declaration)| assess_with(declaration, &current).ok())
            .map(|calculation| calculation.levy())
            .sum::<Decimal>()
    });
}

fn outcomes(count: usize) -> Vec<Outcome> {
    let mut random = Lcg(13);
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let districts: Vec<&str> = ablework_domain::district::all()
        .iter()
        .map(|d| d.code)
        .collect();
    (0..count)
        .map(|_| Outcome {
            person_id: random.next(count as u64 * 8 / 10).cast_signed(),
            started_on: start + Duration::days(random.next(1096).cast_signed()),
            ended_on: None,
            form: EmploymentForm::ALL[random.next(7) as usize],
            measure: Measure::ALL[random.next(10) as usize],
            district_code: districts[random.next(16) as usize].to_owned(),
            hukou: if random.next(2) == 0 {
                Hukou::Urban
            } else {
                Hukou::Rural
            },
            category: DisabilityCategory::Physical,
            level: 1 + random.next(4) as u8,
            sex: if random.next(2) == 0 {
                Sex::Male
            } else {
                Sex::Female
            },
        })
        .collect()
}

/// The whole progress report over a million outcomes, in memory.
#[divan::bench(sample_count = 10)]
fn progress_over_1m_outcomes(bencher: divan::Bencher) {
    let outcomes = outcomes(1_000_000);
    let plan = PlanTarget::tianjin_2022_2024();
    let today = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap();
    bencher.bench(|| progress(&outcomes, &plan, today).achieved);
}
