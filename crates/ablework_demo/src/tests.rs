//! Properties of generated sets: determinism, validity of every identifier
//! by the domain's own parsers, uniqueness, and the mixes of DOMAIN.md §6.

use std::collections::HashSet;
use std::sync::OnceLock;

use ablework_domain::district;
use ablework_domain::ident::{CertificateNumber, ResidentId};
use ablework_domain::working_age::{WorkingAgeRule, is_working_age};
use proptest::prelude::*;

use super::*;
use crate::places::DISTRICTS;

/// Size of the sample the mix tests look at.
const SAMPLE: usize = 20_000;

/// One large sample, generated once for all the tests that read it.
fn sample() -> &'static [SyntheticPerson] {
    static SAMPLE_SET: OnceLock<Vec<SyntheticPerson>> = OnceLock::new();
    SAMPLE_SET.get_or_init(|| persons(20_241_231, SAMPLE).collect())
}

/// Share (in percent) of `people` that satisfies `predicate`.
fn percent<'a>(
    people: impl IntoIterator<Item = &'a SyntheticPerson>,
    predicate: impl Fn(&SyntheticPerson) -> bool,
) -> f64 {
    let (hits, total) = people.into_iter().fold((0_u32, 0_u32), |(hits, total), p| {
        (hits + u32::from(predicate(p)), total + 1)
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

/// Checks everything that must hold of a single person.
fn assert_consistent(person: &SyntheticPerson) {
    let id = &person.id_number;
    assert_eq!(id.len(), 18, "{id}");
    let parsed = ResidentId::parse(id, REFERENCE_DATE)
        .unwrap_or_else(|errors| panic!("{id} is not a valid ID: {errors:?}"));
    assert_eq!(parsed.as_str(), id.as_str());
    assert_eq!(parsed.birth_date(), person.birth_date, "{id}");
    assert_eq!(parsed.sex(), person.sex, "{id}");
    // The domain reads the sex from the 17th digit; check the digit itself
    // too, so the test does not rest on the parser alone.
    let sequence_digit = id.as_bytes()[16] - b'0';
    let expected_sex = if sequence_digit % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    };
    assert_eq!(person.sex, expected_sex, "{id}");
    assert_ne!(&id[14..17], "000", "{id}");
    assert!(
        district::current_for(parsed.area_code()).is_some(),
        "{id}: not a Tianjin area code"
    );

    let certificate = &person.certificate_number;
    assert_eq!(certificate.len(), 20, "{certificate}");
    assert!(certificate.starts_with(id.as_str()), "{certificate}");
    let parsed = CertificateNumber::parse(certificate, REFERENCE_DATE)
        .unwrap_or_else(|errors| panic!("{certificate} is not valid: {errors:?}"));
    assert_eq!(parsed.category(), person.category, "{certificate}");
    assert_eq!(parsed.level(), person.level, "{certificate}");
    assert_eq!(parsed.resident_id().as_str(), id.as_str());

    assert!(person.age_on(REFERENCE_DATE) >= 16, "{id} is under 16");
    assert!(person.registered_on >= REGISTERED_FROM);
    assert!(person.registered_on <= REFERENCE_DATE);

    assert!(
        district::by_code(person.district_code).is_some(),
        "{} is not a current district",
        person.district_code
    );
    let streets = places::profile(person.district_code).map_or(&[][..], |p| p.streets);
    assert!(
        streets.iter().any(|s| s.name == person.street),
        "{} is not in {}",
        person.street,
        person.district_code
    );

    let name_chars = person.name.chars().count();
    assert!((2..=4).contains(&name_chars), "{}", person.name);

    if let Some(phone) = &person.phone {
        assert_eq!(phone.len(), 11, "{phone}");
        assert!(phone.bytes().all(|b| b.is_ascii_digit()), "{phone}");
        assert!(["13", "15", "18", "19"].contains(&&phone[..2]), "{phone}");
    }

    match person.sex {
        Sex::Male => assert_eq!(person.female_retirement_group, None),
        Sex::Female => assert!(matches!(
            person.female_retirement_group,
            Some(RetirementGroup::Female50 | RetirementGroup::Female55)
        )),
    }
}

/// Whether the person is served in the district their ID's area code
/// belongs to today.
fn served_where_registered(person: &SyntheticPerson) -> bool {
    district::current_for(&person.id_number[..6]).map(|d| d.code) == Some(person.district_code)
}

#[test]
fn the_same_seed_gives_the_same_people() {
    let first: Vec<_> = persons(7, 500).collect();
    let second: Vec<_> = persons(7, 500).collect();
    assert_eq!(first, second);
}

#[test]
fn different_seeds_give_different_people() {
    let first: Vec<_> = persons(7, 50).collect();
    let second: Vec<_> = persons(8, 50).collect();
    let ids: HashSet<&str> = first.iter().map(|p| p.id_number.as_str()).collect();
    assert!(second.iter().all(|p| !ids.contains(p.id_number.as_str())));
}

#[test]
fn a_smaller_set_is_a_prefix_of_a_larger_one() {
    let small: Vec<_> = persons(99, 300).collect();
    let large: Vec<_> = persons(99, 3000).collect();
    assert_eq!(small[..], large[..300]);
}

#[test]
fn the_generator_the_iterator_and_persons_agree() {
    let mut generator = Generator::new(1);
    let by_hand: Vec<_> = (0..20).map(|_| generator.person()).collect();
    let by_iterator: Vec<_> = Generator::new(1).take(20).collect();
    let by_function: Vec<_> = persons(1, 20).collect();
    assert_eq!(by_hand, by_iterator);
    assert_eq!(by_hand, by_function);
}

#[test]
fn every_person_of_the_sample_is_consistent() {
    for person in sample() {
        assert_consistent(person);
    }
}

#[test]
fn ids_are_unique_over_the_sample() {
    let ids: HashSet<&str> = sample().iter().map(|p| p.id_number.as_str()).collect();
    assert_eq!(ids.len(), SAMPLE);
}

#[test]
fn category_mix_matches_tianjin() {
    // The published shares add up to 99%; each target is its share of 99.
    let targets = [
        (DisabilityCategory::Vision, 11.0),
        (DisabilityCategory::Hearing, 21.0),
        (DisabilityCategory::Speech, 1.0),
        (DisabilityCategory::Physical, 38.0),
        (DisabilityCategory::Intellectual, 8.0),
        (DisabilityCategory::Mental, 6.0),
        (DisabilityCategory::Multiple, 14.0),
    ];
    for (category, share) in targets {
        let actual = percent(sample(), |p| p.category == category);
        assert_near(category.code(), actual, share / 0.99, 1.5);
    }
}

#[test]
fn severity_sex_household_and_age_mixes_match() {
    let people = sample();
    let severe = percent(people, |p| p.level.get() <= 2);
    assert_near("levels 1–2", severe, 34.0, 2.0);
    assert_near("male", percent(people, |p| p.sex == Sex::Male), 54.0, 2.0);
    let urban = percent(people, |p| p.hukou == Hukou::Urban);
    assert_near("urban", urban, 58.0, 2.0);
    let aged_16_to_64 = percent(people, |p| (16..=64).contains(&p.age_on(REFERENCE_DATE)));
    assert_near("aged 16–64", aged_16_to_64, 85.0, 2.0);
    let with_phone = percent(people, |p| p.phone.is_some());
    assert_near("with a phone", with_phone, 85.0, 2.0);
    let moved = percent(people, |p| !served_where_registered(p));
    assert_near("served outside the ID's district", moved, 8.0, 1.5);
}

#[test]
fn women_are_mostly_in_the_age_50_group() {
    let women = sample().iter().filter(|p| p.sex == Sex::Female);
    let group_50 = percent(women, |p| {
        p.female_retirement_group == Some(RetirementGroup::Female50)
    });
    assert_near("women retiring at 50", group_50, 70.0, 2.5);
}

#[test]
fn about_45_percent_of_working_age_people_are_employed() {
    // Working age as the domain decides it on the reference date, when
    // the original retirement ages (60, 50, 55) still applied.
    let rule = WorkingAgeRule::gradual_2025();
    let working_age = sample()
        .iter()
        .filter(|p| is_working_age(p.birth_date, p.retirement_group(), REFERENCE_DATE, &rule));
    let employed = percent(working_age, |p| {
        p.employment_status == EmploymentStatus::Employed
    });
    assert_near("employed of working age", employed, 45.0, 2.0);

    // The 2022–2024 statistics' fixed bands (men 16–59, women 16–54) give
    // nearly the same rate.
    let bands = WorkingAgeRule::fixed_bands_2022();
    let in_bands = sample()
        .iter()
        .filter(|p| is_working_age(p.birth_date, p.retirement_group(), REFERENCE_DATE, &bands));
    let employed = percent(in_bands, |p| {
        p.employment_status == EmploymentStatus::Employed
    });
    assert_near("employed in the fixed bands", employed, 45.0, 3.0);
}

#[test]
fn districts_follow_population() {
    let people = sample();
    let total: u32 = DISTRICTS.iter().map(|d| d.population_k).sum();
    for district in &DISTRICTS {
        let target = 100.0 * f64::from(district.population_k) / f64::from(total);
        let actual = percent(people, |p| p.district_code == district.code);
        assert_near(district.code, actual, target, 1.5);
    }
}

#[test]
fn rural_households_concentrate_in_the_outer_districts() {
    let rural_share = |codes: &[&str]| {
        let group = sample().iter().filter(|p| codes.contains(&p.district_code));
        percent(group, |p| p.hukou == Hukou::Rural)
    };
    let central = rural_share(&["120101", "120102", "120103", "120104", "120105", "120106"]);
    let outer = rural_share(&["120114", "120115", "120117", "120118", "120119"]);
    assert!(central < 6.0, "{central}");
    assert!(outer > 75.0, "{outer}");
}

#[test]
fn older_residents_of_merged_districts_carry_former_codes() {
    let people = sample();
    let former = |p: &SyntheticPerson| district::by_code(&p.id_number[..6]).is_none();
    // About 60% of the people from 滨海, 宁河, 静海 and 蓟州 and of the older
    // ones from 武清 and 宝坻: between a tenth and a third of everyone.
    let share = percent(people, former);
    assert!((10.0..=33.0).contains(&share), "{share}");
    for person in people.iter().filter(|p| former(p)) {
        let year = person.birth_date.year();
        let code = &person.id_number[..6];
        let born_before = match code {
            "120222" => 2000,
            "120224" => 2001,
            "120107" | "120108" | "120109" => 2010,
            "120221" | "120223" => 2015,
            _ => 2016,
        };
        assert!(year < born_before, "{code} for someone born in {year}");
    }
    // All three former districts of 滨海新区 occur.
    for code in ["120107", "120108", "120109"] {
        assert!(
            people.iter().any(|p| p.id_number.starts_with(code)),
            "{code}"
        );
    }
}

#[test]
fn binhai_streets_agree_with_former_codes_of_people_who_stayed() {
    for person in sample() {
        let code = &person.id_number[..6];
        if !["120107", "120108", "120109"].contains(&code) || person.district_code != "120116" {
            continue;
        }
        let street = places::profile("120116")
            .and_then(|p| p.streets.iter().find(|s| s.name == person.street));
        if let Some(legacy) = street.and_then(|s| s.legacy_code) {
            // Someone who moved into 滨海新区 from elsewhere cannot hold a
            // former 滨海 code, so a mismatch would be an error.
            assert_eq!(legacy, code, "{} on {}", person.id_number, person.street);
        }
    }
}

#[test]
fn education_is_skewed_low_and_fits_age() {
    let people = sample();
    let at_most_junior = percent(people, |p| {
        matches!(
            p.education,
            Education::None | Education::Primary | Education::JuniorSecondary
        )
    });
    assert!((60.0..=80.0).contains(&at_most_junior), "{at_most_junior}");
    for person in people {
        if person.education == Education::BachelorOrAbove {
            assert!(person.age_on(REFERENCE_DATE) >= 22, "{}", person.id_number);
        }
    }
}

#[test]
fn district_streets_lists_all_sixteen() {
    let listed: Vec<_> = district_streets().collect();
    assert_eq!(listed.len(), 16);
    assert!(listed.iter().all(|(_, streets)| streets.len() >= 5));
    assert!(
        listed
            .iter()
            .any(|(code, streets)| *code == "120101" && streets.contains(&"劝业场街道"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_seed_gives_consistent_people(seed in any::<u64>()) {
        let people: Vec<_> = persons(seed, 40).collect();
        prop_assert_eq!(people.len(), 40);
        let ids: HashSet<&str> = people.iter().map(|p| p.id_number.as_str()).collect();
        prop_assert_eq!(ids.len(), 40);
        for person in &people {
            assert_consistent(person);
        }
    }
}
