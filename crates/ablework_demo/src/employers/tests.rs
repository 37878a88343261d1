//! Properties of generated employers and declarations: determinism,
//! validity and uniqueness of credit codes, the mixes of kinds, sizes and
//! compliance, and agreement with the default policy preset.

use std::collections::HashSet;
use std::sync::OnceLock;

use ablework_domain::ident::CreditCode;
use ablework_domain::policy;
use proptest::prelude::*;

use super::*;

/// Size of the large sample: the top of DOMAIN.md §6's range of employers.
const SAMPLE: usize = 40_000;

/// Seed of the large sample.
const SAMPLE_SEED: u64 = 20_240_101;

/// One large sample, generated once for all the tests that read it.
fn sample() -> &'static [SyntheticEmployer] {
    static SAMPLE_SET: OnceLock<Vec<SyntheticEmployer>> = OnceLock::new();
    SAMPLE_SET.get_or_init(|| employers(SAMPLE_SEED, SAMPLE).collect())
}

/// The declarations for data year 2023 of the first 10,000 employers of the
/// sample, generated once.
fn declarations() -> &'static [(SyntheticEmployer, SyntheticDeclaration)] {
    static DECLARATIONS: OnceLock<Vec<(SyntheticEmployer, SyntheticDeclaration)>> = OnceLock::new();
    DECLARATIONS.get_or_init(|| {
        sample()[..10_000]
            .iter()
            .enumerate()
            .map(|(index, employer)| {
                let declaration = declaration_for(SAMPLE_SEED, index, employer, 2023);
                (employer.clone(), declaration)
            })
            .collect()
    })
}

/// Share (in percent) of `items` that satisfies `predicate`.
fn percent<'a, T: 'a>(
    items: impl IntoIterator<Item = &'a T>,
    predicate: impl Fn(&T) -> bool,
) -> f64 {
    let (hits, total) = items
        .into_iter()
        .fold((0_u32, 0_u32), |(hits, total), item| {
            (hits + u32::from(predicate(item)), total + 1)
        });
    100.0 * f64::from(hits) / f64::from(total.max(1))
}

/// Asserts that `actual` is within `tolerance` percentage points of `target`.
fn assert_near(what: &str, actual: f64, target: f64, tolerance: f64) {
    assert!(
        (actual - target).abs() <= tolerance,
        "{what}: {actual:.2}% is not within {tolerance} points of {target}%"
    );
}

/// The sum of monthly headcounts and seasonal count × months.
fn person_months(declaration: &SyntheticDeclaration) -> u64 {
    let regular: u64 = declaration
        .monthly_headcount
        .iter()
        .copied()
        .map(u64::from)
        .sum();
    let seasonal: u64 = declaration
        .seasonal
        .iter()
        .map(|&(count, months)| u64::from(count) * u64::from(months))
        .sum();
    regular + seasonal
}

/// Whether the declared disabled employees, each counted once for the
/// whole year, meet the 1.5% quota.
fn meets_quota(declaration: &SyntheticDeclaration) -> bool {
    // D ≥ N × 1.5%  ⇔  D × 12 × 1000 ≥ person-months × 15.
    declaration.disabled_employees as u64 * 12_000 >= person_months(declaration) * 15
}

/// Checks everything that must hold of a single employer.
fn assert_consistent(employer: &SyntheticEmployer) {
    assert_valid_code(employer);
    assert_fits_its_kind(employer);
}

/// Checks the employer's credit code: valid, in its district, with the
/// authority and type of its kind and a valid organisation code inside.
fn assert_valid_code(employer: &SyntheticEmployer) {
    let code = &employer.credit_code;
    let parsed =
        CreditCode::parse(code).unwrap_or_else(|errors| panic!("{code} is not valid: {errors:?}"));
    assert_eq!(parsed.as_str(), code.as_str());
    assert_eq!(parsed.area_code(), employer.district_code, "{code}");
    let expected_prefix = match employer.kind {
        EmployerKind::Enterprise => "91",
        EmployerKind::Agency => "11",
        EmployerKind::Institution => "12",
        EmployerKind::SocialOrg => "51",
    };
    assert!(
        code.starts_with(expected_prefix),
        "{code} {:?}",
        employer.kind
    );
    assert_eq!(
        organization_check_char(&code[8..16]),
        code.chars().nth(16).unwrap_or(' '),
        "{code}: the organisation code's check character"
    );
}

/// Checks the employer's district, staff, sector, name, school flag and
/// staffing quota against each other and its kind.
fn assert_fits_its_kind(employer: &SyntheticEmployer) {
    assert!(
        district::by_code(employer.district_code).is_some(),
        "{} is not a current district",
        employer.district_code
    );
    assert!(
        (MIN_STAFF..=MAX_STAFF).contains(&employer.staff),
        "{}",
        employer.staff
    );
    assert!(sectors().contains(&employer.sector), "{}", employer.sector);

    let name = &employer.name;
    let district_name = district::by_code(employer.district_code).map_or("", |d| d.name_zh);
    match employer.kind {
        EmployerKind::Enterprise => {
            assert!(name.ends_with("公司"), "{name}");
            assert!(
                name.starts_with("天津") || name.contains("（天津）"),
                "{name}"
            );
            assert!(!employer.is_school);
            assert_eq!(employer.staffing_quota, None);
            assert!(
                ![EDUCATION, PUBLIC_ADMIN].contains(&employer.sector),
                "{name}"
            );
        }
        EmployerKind::Agency => {
            assert!(
                name.starts_with(&format!("天津市{district_name}")),
                "{name}"
            );
            assert_eq!(employer.sector, PUBLIC_ADMIN);
            assert!(!employer.is_school);
        }
        EmployerKind::Institution => {
            assert!(name.starts_with("天津市"), "{name}");
            let school_name = ["小学", "中学", "幼儿园"].iter().any(|s| name.ends_with(s));
            assert_eq!(employer.is_school, school_name, "{name}");
            if employer.is_school {
                assert_eq!(employer.sector, EDUCATION, "{name}");
                assert!(
                    name.starts_with(&format!("天津市{district_name}")),
                    "{name}"
                );
            }
        }
        EmployerKind::SocialOrg => {
            assert!(
                ["协会", "商会", "学会"].iter().any(|s| name.ends_with(s)),
                "{name}"
            );
            assert_eq!(employer.sector, SOCIAL_SERVICES);
            assert!(!employer.is_school);
            assert_eq!(employer.staffing_quota, None);
        }
    }
    if let Some(staffing) = employer.staffing_quota {
        assert!(
            matches!(
                employer.kind,
                EmployerKind::Agency | EmployerKind::Institution
            ),
            "{name}"
        );
        let ratio = f64::from(staffing) / f64::from(employer.staff);
        assert!(
            (0.85..=1.2).contains(&ratio),
            "{name}: {staffing} posts, {} staff",
            employer.staff
        );
    } else {
        assert!(
            matches!(
                employer.kind,
                EmployerKind::Enterprise | EmployerKind::SocialOrg
            ),
            "{name}"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_employers() {
    let first: Vec<_> = employers(7, 500).collect();
    let second: Vec<_> = employers(7, 500).collect();
    assert_eq!(first, second);
}

#[test]
fn a_smaller_set_is_a_prefix_of_a_larger_one() {
    let small: Vec<_> = employers(99, 10).collect();
    let large: Vec<_> = employers(99, 100).collect();
    assert_eq!(small[..], large[..10]);
}

#[test]
fn employer_gives_the_items_of_employers() {
    for (index, item) in employers(3, 50).enumerate() {
        assert_eq!(employer(3, index), item);
    }
}

#[test]
fn different_seeds_give_different_employers() {
    let first: HashSet<String> = employers(7, 200).map(|e| e.credit_code).collect();
    let overlap = employers(8, 200)
        .filter(|e| first.contains(&e.credit_code))
        .count();
    assert_eq!(overlap, 0);
}

#[test]
fn every_employer_of_the_sample_is_consistent() {
    for employer in sample() {
        assert_consistent(employer);
    }
}

#[test]
fn credit_codes_are_unique_over_40_000_employers() {
    let codes: HashSet<&str> = sample().iter().map(|e| e.credit_code.as_str()).collect();
    assert_eq!(codes.len(), SAMPLE);
}

#[test]
fn serials_are_a_permutation_of_the_whole_space() {
    // Every index below the space gets its own serial, so codes stay unique
    // far beyond any realistic set.
    let space = SERIAL_SPACE as usize;
    let mut seen = vec![false; space];
    for index in 0..space {
        let serial = serial(11, index) as usize;
        assert!(!seen[serial], "serial {serial} repeats at index {index}");
        seen[serial] = true;
    }
}

#[test]
fn organisation_check_characters_follow_gb_11714() {
    // The standard's own example, and the organisation code inside the
    // domain's example credit code 91350100M000100Y43.
    assert_eq!(organization_check_char("D2143569"), 'X');
    assert_eq!(organization_check_char("M000100Y"), '4');
}

#[test]
fn staff_is_log_normal_with_median_about_60_and_a_long_tail() {
    let mut first: Vec<u32> = sample()[..5_000].iter().map(|e| e.staff).collect();
    first.sort_unstable();
    let median = first[first.len() / 2];
    assert!((45..=80).contains(&median), "median {median}");

    let largest = sample().iter().map(|e| e.staff).max().unwrap_or(0);
    assert!(largest > 5_000, "largest {largest}");
    let at_least_1000 = percent(sample(), |e| e.staff >= 1_000);
    assert!(
        (0.5..=4.0).contains(&at_least_1000),
        "{at_least_1000:.2}% with 1,000 or more"
    );
    let exempt_size = percent(sample(), |e| e.staff <= 30);
    assert!(
        (20.0..=40.0).contains(&exempt_size),
        "{exempt_size:.2}% with 30 or fewer"
    );
}

#[test]
fn kinds_follow_the_mix() {
    let targets = [
        (EmployerKind::Enterprise, 86.0),
        (EmployerKind::Institution, 8.0),
        (EmployerKind::Agency, 4.0),
        (EmployerKind::SocialOrg, 2.0),
    ];
    for (kind, share) in targets {
        assert_near(
            kind.code(),
            percent(sample(), |e| e.kind == kind),
            share,
            1.0,
        );
    }
}

#[test]
fn schools_are_about_40_percent_of_institutions_and_nothing_else() {
    let institutions: Vec<&SyntheticEmployer> = sample()
        .iter()
        .filter(|e| e.kind == EmployerKind::Institution)
        .collect();
    assert_near(
        "schools among institutions",
        percent(institutions.iter().copied(), |e| e.is_school),
        40.0,
        4.0,
    );
    assert!(
        sample()
            .iter()
            .filter(|e| e.is_school)
            .all(|e| e.kind == EmployerKind::Institution)
    );
}

#[test]
fn businesses_gather_in_binhai_and_the_centre() {
    let binhai = percent(sample(), |e| e.district_code == "120116");
    assert!((20.0..=30.0).contains(&binhai), "{binhai:.2}% in Binhai");
    let central = percent(sample(), |e| {
        ["120101", "120102", "120103", "120104", "120105", "120106"].contains(&e.district_code)
    });
    assert!(binhai + central >= 60.0, "{binhai:.2}% + {central:.2}%");
    for district in district::all() {
        assert!(
            sample().iter().any(|e| e.district_code == district.code),
            "{}",
            district.name_zh
        );
    }
}

#[test]
fn every_sector_occurs_and_has_labels() {
    let mut zh = HashSet::new();
    let mut en = HashSet::new();
    for &sector in sectors() {
        assert!(
            sample().iter().any(|e| e.sector == sector),
            "{sector} never occurs"
        );
        assert!(zh.insert(sector_label(sector, Lang::Zh)), "{sector}");
        assert!(en.insert(sector_label(sector, Lang::En)), "{sector}");
    }
    assert!(!zh.contains(&None) && !en.contains(&None));
    assert_eq!(sector_label("mining", Lang::Zh), None);
}

#[test]
fn district_weights_cover_exactly_the_domains_districts() {
    let total: u32 = district::all()
        .iter()
        .map(|d| business_weight(d.code))
        .sum();
    assert_eq!(total, 1000);
    assert!(district::all().iter().all(|d| business_weight(d.code) > 0));
}

#[test]
fn names_vary() {
    let names: HashSet<&str> = sample()
        .iter()
        .filter(|e| e.kind == EmployerKind::Enterprise)
        .map(|e| e.name.as_str())
        .collect();
    let enterprises = sample()
        .iter()
        .filter(|e| e.kind == EmployerKind::Enterprise)
        .count();
    // Birthday clashes are expected, but most names are distinct.
    assert!(
        names.len() * 10 >= enterprises * 9,
        "{} of {enterprises}",
        names.len()
    );
}

#[test]
fn the_constants_follow_the_default_policy_preset() {
    let preset = policy::default_preset();
    assert_eq!(
        preset.quota.rate.to_string(),
        format!("0.{QUOTA_PER_MILLE:03}")
    );
    assert_eq!(preset.measure_one.agency_min_staffing, AGENCY_MIN_STAFFING);
    assert_eq!(
        preset.measure_one.institution_min_staffing,
        INSTITUTION_MIN_STAFFING
    );
}

#[test]
fn monthly_headcounts_are_positive_and_near_staff() {
    for (employer, declaration) in declarations() {
        for &count in &declaration.monthly_headcount {
            assert!(count > 0, "{}", employer.name);
            if employer.staff >= 50 {
                let ratio = f64::from(count) / f64::from(employer.staff);
                assert!(
                    (0.7..=1.3).contains(&ratio),
                    "{}: {count} of {}",
                    employer.name,
                    employer.staff
                );
            }
        }
    }
}

#[test]
fn seasonal_workers_are_rare_and_in_seasonal_trades() {
    let with_seasonal = percent(declarations(), |(_, d)| !d.seasonal.is_empty());
    assert!((1.0..=10.0).contains(&with_seasonal), "{with_seasonal:.2}%");
    for (employer, declaration) in declarations() {
        for &(count, months) in &declaration.seasonal {
            assert!(count > 0);
            assert!((1..=12).contains(&months));
            assert!(
                [AGRICULTURE, CONSTRUCTION, HOSPITALITY, RETAIL, LOGISTICS]
                    .contains(&employer.sector),
                "{}",
                employer.name
            );
        }
    }
}

#[test]
fn wages_depend_on_the_sector_and_some_exceed_the_cap() {
    let per_head = |declaration: &SyntheticDeclaration| {
        declaration.total_wages as f64 * 12.0 / person_months(declaration) as f64
    };
    for (employer, declaration) in declarations() {
        let wage = per_head(declaration);
        assert!(
            (20_000.0..=1_000_000.0).contains(&wage),
            "{}: {wage}",
            employer.name
        );
    }
    let above_cap = percent(declarations(), |(_, d)| per_head(d) > 240_000.0);
    assert!(
        (0.3..=5.0).contains(&above_cap),
        "{above_cap:.2}% above 240,000"
    );
    let mean_of = |sector: &str| {
        let wages: Vec<f64> = declarations()
            .iter()
            .filter(|(e, _)| e.sector == sector)
            .map(|(_, d)| per_head(d))
            .collect();
        wages.iter().sum::<f64>() / wages.len().max(1) as f64
    };
    assert!(mean_of(FINANCE) > 1.8 * mean_of(HOSPITALITY));
}

#[test]
fn compliance_follows_the_mix() {
    let meet = percent(declarations(), |(_, d)| meets_quota(d));
    let short = percent(declarations(), |(_, d)| {
        d.disabled_employees > 0 && !meets_quota(d)
    });
    assert_near("meet the quota", meet, 30.0, 4.0);
    assert_near("employ some but too few", short, 25.0, 4.0);

    let measure_one: Vec<_> = declarations()
        .iter()
        .filter(|(e, _)| under_measure_one(e))
        .collect();
    assert!(measure_one.len() > 300, "{}", measure_one.len());
    let complying = percent(measure_one.iter().copied(), |(_, d)| {
        d.disabled_employees > 0
    });
    assert_near("measure 1 complied with", complying, 85.0, 5.0);

    for (employer, declaration) in declarations() {
        let fewest = declaration
            .monthly_headcount
            .iter()
            .copied()
            .min()
            .unwrap_or(0);
        assert!(
            declaration.disabled_employees <= fewest as usize,
            "{}",
            employer.name
        );
    }
}

#[test]
fn declarations_are_deterministic_and_habits_last() {
    let sample = &sample()[..2_000];
    let mut same_habit = 0;
    for (index, employer) in sample.iter().enumerate() {
        let first = declaration_for(5, index, employer, 2023);
        assert_eq!(first, declaration_for(5, index, employer, 2023));
        let next_year = declaration_for(5, index, employer, 2024);
        assert_ne!(first.monthly_headcount, [0; 12]);
        let category = |d: &SyntheticDeclaration| (d.disabled_employees > 0, meets_quota(d));
        if category(&first) == category(&next_year) {
            same_habit += 1;
        }
    }
    // Only employers near a quota boundary change category.
    assert!(same_habit * 100 >= sample.len() * 95, "{same_habit}");
}

#[test]
fn wages_grow_from_year_to_year() {
    let total = |year| -> u64 {
        sample()[..1_000]
            .iter()
            .enumerate()
            .map(|(index, e)| declaration_for(SAMPLE_SEED, index, e, year).total_wages)
            .sum()
    };
    assert!(total(2024) > total(2022));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn any_seed_gives_consistent_employers(seed in any::<u64>()) {
        for (index, employer) in employers(seed, 40).enumerate() {
            assert_consistent(&employer);
            let declaration = declaration_for(seed, index, &employer, 2023);
            prop_assert!(declaration.monthly_headcount.iter().all(|&c| c > 0));
        }
    }
}
