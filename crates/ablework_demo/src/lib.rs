//! Deterministic synthetic Tianjin persons with disabilities, for the demo
//! data, tests and benchmarks of `AbleWork`.
//!
//! Everything here is a pure function of a seed: the same seed and count
//! always give the same people, on every platform, and a larger count
//! extends a smaller one (the first `n` people never depend on how many
//! follow). The crate performs no I/O.
//!
//! The people look like real register entries: valid 18-character resident
//! ID numbers (including former area codes for older residents of merged or
//! renamed districts), matching 20-character disability certificate numbers,
//! Chinese names, real streets and towns of the sixteen districts, and mixes
//! of category, severity, sex, household type and age that follow the Tianjin
//! figures in DOMAIN.md §6. None of them is a real person.
//!
//! ```
//! let people: Vec<_> = ablework_demo::persons(2024, 3).collect();
//! assert_eq!(people.len(), 3);
//! assert!(people[0].certificate_number.starts_with(&people[0].id_number));
//! ```

mod draw;
pub mod employers;
mod mix;
mod names;
pub mod outcomes;
mod places;

use std::collections::HashSet;

use ablework_domain::district;
use ablework_domain::ident::{DisabilityCategory, DisabilityLevel, Sex, resident_id_check_char};
use ablework_domain::person::{Education, EmploymentStatus, Hukou};
use ablework_domain::working_age::RetirementGroup;
use chrono::{Datelike, NaiveDate};

use crate::draw::Draw;
use crate::places::{DistrictProfile, Street};

/// The date ages are measured on: the last day of the 2022–2024 plan.
pub const REFERENCE_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2024, 12, 31) {
    Some(date) => date,
    None => panic!("2024-12-31 is a valid date"),
};

/// First day registrations are drawn from.
const REGISTERED_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2010, 1, 1) {
    Some(date) => date,
    None => panic!("2010-01-01 is a valid date"),
};

/// One synthetic person with a disability certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntheticPerson {
    /// A Chinese name: a surname weighted by frequency and a one- or
    /// two-character given name.
    pub name: String,
    /// A valid 18-character resident ID number (GB 11643-1999), unique
    /// within one generated set.
    pub id_number: String,
    /// The 20-character disability certificate number: the ID number, the
    /// category digit and the level digit.
    pub certificate_number: String,
    /// Agrees with the parity of the ID's 17th digit.
    pub sex: Sex,
    /// Agrees with digits 7–14 of the ID number.
    pub birth_date: NaiveDate,
    /// Disability category; its digit is the 19th character of the
    /// certificate number.
    pub category: DisabilityCategory,
    /// Disability level, 1 (most severe) to 4; the 20th character of the
    /// certificate number.
    pub level: DisabilityLevel,
    /// GB/T 2260 code of the district of service, one of the current
    /// sixteen. Usually the district of the ID's area code, but not always:
    /// people move, and the ID keeps the code in force when it was issued.
    pub district_code: &'static str,
    /// A real 街道 or 镇 of the district of service.
    pub street: String,
    /// Household registration type.
    pub hukou: Hukou,
    /// An 11-digit mobile number, when the person left one.
    pub phone: Option<String>,
    /// Highest education completed.
    pub education: Education,
    /// Whether the person is in work.
    pub employment_status: EmploymentStatus,
    /// For women, the retirement group ([`RetirementGroup::Female50`] or
    /// [`RetirementGroup::Female55`], about 70/30); `None` for men.
    pub female_retirement_group: Option<RetirementGroup>,
    /// When the person was registered, between 2010-01-01 and 2024-12-31.
    pub registered_on: NaiveDate,
}

impl SyntheticPerson {
    /// Age in whole years on `date` (0 before the birth date).
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        date.years_since(self.birth_date).unwrap_or(0)
    }

    /// The person's retirement group: [`RetirementGroup::Male`] for men,
    /// the stored group for women.
    pub fn retirement_group(&self) -> RetirementGroup {
        self.female_retirement_group
            .unwrap_or(RetirementGroup::Male)
    }
}

/// The streets and towns the generator places people in, by district code,
/// in the order of [`district::all`].
pub fn district_streets() -> impl Iterator<Item = (&'static str, Vec<&'static str>)> {
    district::all().iter().filter_map(|district| {
        let profile = places::profile(district.code)?;
        let streets = profile.streets.iter().map(|street| street.name).collect();
        Some((district.code, streets))
    })
}

/// A deterministic, endless source of synthetic persons.
///
/// It is also an [`Iterator`] that never ends, so `take(n)` gives the first
/// `n` people of the seed.
#[derive(Clone, Debug)]
pub struct Generator {
    draw: Draw,
    /// The first 17 digits of every ID handed out, as a number, so that no
    /// two people in one set share an ID.
    used_ids: HashSet<u64>,
    /// The districts weighted by population, built once.
    district_weights: Vec<(&'static DistrictProfile, u32)>,
}

impl Generator {
    /// A generator whose people are fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            draw: Draw::new(seed),
            used_ids: HashSet::new(),
            // The domain's list decides which districts exist; this crate
            // adds what it knows of each (population, streets, former codes).
            district_weights: district::all()
                .iter()
                .filter_map(|district| places::profile(district.code))
                .map(|profile| (profile, profile.population_k))
                .collect(),
        }
    }

    /// The next person.
    pub fn person(&mut self) -> SyntheticPerson {
        let male = self.draw.chance(mix::MALE);
        let mut birth_date = self.birth_date();
        let female_retirement_group = if male {
            None
        } else if self.draw.chance(mix::FEMALE_GROUP_50) {
            Some(RetirementGroup::Female50)
        } else {
            Some(RetirementGroup::Female55)
        };

        // Where the ID was issued and where the person is served now.
        let origin = self.draw.pick(&self.district_weights);
        let service = if self.draw.chance(mix::MOVED) {
            self.other_district(origin)
        } else {
            origin
        };
        let rural = self.draw.chance(service.rural_per_mille);
        let street = self.street(service, rural);
        let area_code = self.area_code(origin, service, street, birth_date.year());

        // The sequence makes the ID unique: redraw it on a clash, and in the
        // (practically unreachable) case that a day's sequences of this sex
        // are exhausted for this area, move the birth date a day earlier,
        // which can only make the person older.
        let sequence = loop {
            if let Some(sequence) = self.unused_sequence(area_code, birth_date, male) {
                break sequence;
            }
            birth_date = birth_date.pred_opt().unwrap_or(birth_date);
        };
        let mut id_number = String::with_capacity(20);
        id_number.push_str(area_code);
        push_digits(&mut id_number, birth_date.year().unsigned_abs(), 4);
        push_digits(&mut id_number, birth_date.month(), 2);
        push_digits(&mut id_number, birth_date.day(), 2);
        push_digits(&mut id_number, sequence, 3);
        #[expect(
            clippy::expect_used,
            reason = "the first 17 characters are built from ASCII digits only, which always have a check character"
        )]
        let check = resident_id_check_char(&id_number).expect("17 ASCII digits");
        id_number.push(check);

        let name = names::full_name(&mut self.draw, male, birth_date.year());
        let age = REFERENCE_DATE.years_since(birth_date).unwrap_or(0);
        let category = self.draw.pick(mix::CATEGORIES);
        let level = self.level(category);
        let mut certificate_number = String::with_capacity(20);
        certificate_number.push_str(&id_number);
        push_digits(&mut certificate_number, u32::from(category.digit()), 1);
        push_digits(&mut certificate_number, u32::from(level.get()), 1);

        let education =
            mix::cap_education_for_age(self.draw.pick(mix::education_table(category, age)), age);
        // On the reference date the 2025 reform has not begun, so the
        // original retirement ages apply: 60 for men, 50 or 55 for women.
        let retirement_age = match female_retirement_group {
            None => 60,
            Some(RetirementGroup::Female50) => 50,
            Some(_) => 55,
        };
        let employed_per_mille = if age < retirement_age {
            let severe = level.get() <= 2;
            let adjusted =
                mix::EMPLOYED_BASE + mix::employment_adjustment(category, severe, rural, age);
            u32::try_from(adjusted).unwrap_or(0)
        } else if age < 65 {
            mix::EMPLOYED_PAST_RETIREMENT
        } else {
            mix::EMPLOYED_ELDERLY
        };
        let employment_status = if self.draw.chance(employed_per_mille) {
            EmploymentStatus::Employed
        } else {
            EmploymentStatus::Unemployed
        };
        let phone_per_mille = if age < 65 {
            mix::PHONE_WORKING_AGE
        } else {
            mix::PHONE_ELDERLY
        };
        let phone = self.draw.chance(phone_per_mille).then(|| self.phone());
        let registered_on = self.date_between(REGISTERED_FROM, REFERENCE_DATE);

        SyntheticPerson {
            name,
            id_number,
            certificate_number,
            sex: if male { Sex::Male } else { Sex::Female },
            birth_date,
            category,
            level,
            district_code: service.code,
            street: street.name.to_owned(),
            hukou: if rural { Hukou::Rural } else { Hukou::Urban },
            phone,
            education,
            employment_status,
            female_retirement_group,
            registered_on,
        }
    }

    /// A district other than `from`, weighted by population: where someone
    /// who moved lives now.
    fn other_district(&mut self, from: &DistrictProfile) -> &'static DistrictProfile {
        let mut district = self.draw.pick(&self.district_weights);
        // The largest district holds under a sixth of the weight, so a few
        // redraws all but surely land elsewhere; staying put after them is
        // harmless.
        for _ in 0..8 {
            if !std::ptr::eq(district, from) {
                break;
            }
            district = self.draw.pick(&self.district_weights);
        }
        district
    }

    /// A birth date in one of the age bands, uniform within the band.
    fn birth_date(&mut self) -> NaiveDate {
        let (youngest, oldest) = self.draw.pick(mix::AGE_BANDS);
        let reference_year = REFERENCE_DATE.year();
        // Aged `youngest` or more on 31 December means born no later than
        // 31 December of `reference_year - youngest`; aged `oldest` or less
        // means born no earlier than 1 January of `reference_year - oldest`.
        let earliest = NaiveDate::from_ymd_opt(reference_year - oldest, 1, 1);
        let latest = NaiveDate::from_ymd_opt(reference_year - youngest, 12, 31);
        match (earliest, latest) {
            (Some(earliest), Some(latest)) => self.date_between(earliest, latest),
            // The bands are fixed and valid; falling back to the youngest
            // permitted birth date keeps the function total.
            _ => REFERENCE_DATE,
        }
    }

    /// A date uniformly between `first` and `last`, both included.
    fn date_between(&mut self, first: NaiveDate, last: NaiveDate) -> NaiveDate {
        let start = first.num_days_from_ce();
        let span = u32::try_from(last.num_days_from_ce() - start + 1).unwrap_or(1);
        let offset = i32::try_from(self.draw.below(span)).unwrap_or(0);
        NaiveDate::from_num_days_from_ce_opt(start + offset).unwrap_or(first)
    }

    /// A street of `district`, preferring towns for rural households and
    /// subdistricts for urban ones.
    fn street(&mut self, district: &DistrictProfile, rural: bool) -> &'static Street {
        let streets = district.streets;
        let matching = streets.iter().filter(|s| s.town == rural).count();
        let prefer_matching =
            matching > 0 && matching < streets.len() && self.draw.chance(mix::MATCHING_STREET_KIND);
        if prefer_matching {
            let nth = self.draw.below(u32::try_from(matching).unwrap_or(1)) as usize;
            if let Some(street) = streets.iter().filter(|s| s.town == rural).nth(nth) {
                return street;
            }
        }
        let index = self.draw.below(u32::try_from(streets.len()).unwrap_or(1)) as usize;
        &streets[index]
    }

    /// The area code of the ID: the origin district's current code, or for
    /// people born while a former code was in force, often that code. Where
    /// the person still lives in the district of their ID and their street
    /// lay in a particular former district (滨海新区), the code is that one.
    fn area_code(
        &mut self,
        origin: &DistrictProfile,
        service: &DistrictProfile,
        street: &Street,
        birth_year: i32,
    ) -> &'static str {
        let Some(legacy) = origin.legacy else {
            return origin.code;
        };
        if birth_year >= legacy.born_before || !self.draw.chance(mix::KEEPS_LEGACY_CODE) {
            return origin.code;
        }
        match street.legacy_code {
            Some(code) if std::ptr::eq(origin, service) => code,
            _ => self.draw.pick(legacy.codes),
        }
    }

    /// An unused sequence number for this area, birth date and sex, if one
    /// is found in a few tries. Men get odd numbers 001–999, women even
    /// numbers 002–998.
    fn unused_sequence(
        &mut self,
        area_code: &str,
        birth_date: NaiveDate,
        male: bool,
    ) -> Option<u32> {
        let area = area_code
            .bytes()
            .fold(0_u64, |acc, digit| acc * 10 + u64::from(digit - b'0'));
        let date = u64::from(birth_date.year().unsigned_abs()) * 10_000
            + u64::from(birth_date.month()) * 100
            + u64::from(birth_date.day());
        for _ in 0..64 {
            let sequence = if male {
                2 * self.draw.below(500) + 1
            } else {
                2 * self.draw.below(499) + 2
            };
            let key = (area * 100_000_000 + date) * 1000 + u64::from(sequence);
            if self.used_ids.insert(key) {
                return Some(sequence);
            }
        }
        None
    }

    /// A level for the category: severe (1–2) with the category's odds.
    fn level(&mut self, category: DisabilityCategory) -> DisabilityLevel {
        let [level_1, level_2, level_3, level_4] = DisabilityLevel::ALL;
        if self.draw.chance(mix::severe_per_mille(category)) {
            if self.draw.chance(mix::LEVEL_1_OF_SEVERE) {
                level_1
            } else {
                level_2
            }
        } else if self.draw.chance(mix::LEVEL_3_OF_MILD) {
            level_3
        } else {
            level_4
        }
    }

    /// An 11-digit mobile number.
    fn phone(&mut self) -> String {
        let mut phone = String::with_capacity(11);
        phone.push_str(self.draw.pick(mix::PHONE_PREFIXES));
        push_digits(&mut phone, self.draw.below(100_000_000), 8);
        phone
    }
}

impl Iterator for Generator {
    type Item = SyntheticPerson;

    fn next(&mut self) -> Option<SyntheticPerson> {
        Some(self.person())
    }

    /// The stream never ends; saying so lets `take(n)` report exactly `n`,
    /// so collecting a set allocates once.
    fn size_hint(&self) -> (usize, Option<usize>) {
        (usize::MAX, None)
    }
}

/// The first `count` people of `seed`.
pub fn persons(seed: u64, count: usize) -> impl Iterator<Item = SyntheticPerson> {
    Generator::new(seed).take(count)
}

/// The header row of a people file as a district office writes it, in
/// Chinese, for `ablework import persons` (CONTRACT.md).
pub const PERSON_FILE_HEADER: &str =
    "姓名,身份证号,残疾证号,所属区,街道,户籍类型,联系电话,文化程度,就业状态";

impl SyntheticPerson {
    /// Appends the person as one CSV line of a people file under
    /// [`PERSON_FILE_HEADER`], with the Chinese words a district office uses
    /// and a CRLF line end. No field of a synthetic person needs quoting.
    pub fn write_file_line(&self, out: &mut String) {
        use ablework_domain::lang::Lang;
        let district =
            district::by_code(self.district_code).map_or(self.district_code, |d| d.name_zh);
        let fields = [
            self.name.as_str(),
            &self.id_number,
            &self.certificate_number,
            district,
            &self.street,
            self.hukou.label(Lang::Zh),
            self.phone.as_deref().unwrap_or(""),
            self.education.label(Lang::Zh),
            self.employment_status.label(Lang::Zh),
        ];
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(field);
        }
        out.push_str("\r\n");
    }
}

/// Appends `value` as exactly `width` decimal digits, zero-padded (the
/// callers guarantee it fits).
fn push_digits(out: &mut String, value: u32, width: u32) {
    let mut divisor = 10_u32.pow(width - 1);
    while divisor > 0 {
        let digit = (value / divisor) % 10;
        out.push(char::from_digit(digit, 10).unwrap_or('0'));
        divisor /= 10;
    }
}

#[cfg(test)]
mod tests;
