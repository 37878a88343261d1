//! The shares the generated population is drawn with. They follow the
//! Tianjin and national figures in DOMAIN.md §6 where those exist; the rest
//! (age profile, education, employment odds) are plausible assumptions for
//! a register of certificate holders, stated next to each table.

use ablework_domain::ident::DisabilityCategory;
use ablework_domain::person::Education;

/// Disability categories weighted by the Tianjin mix. The published shares
/// add up to 99%, so each is drawn as its share of 99.
pub(crate) static CATEGORIES: &[(DisabilityCategory, u32)] = &[
    (DisabilityCategory::Vision, 110),
    (DisabilityCategory::Hearing, 210),
    (DisabilityCategory::Speech, 10),
    (DisabilityCategory::Physical, 380),
    (DisabilityCategory::Intellectual, 80),
    (DisabilityCategory::Mental, 60),
    (DisabilityCategory::Multiple, 140),
];

/// Per mille of each category holding a severe (level 1 or 2) certificate.
/// Multiple disabilities are most often severe and speech least; weighted by
/// the category mix this gives the 34% of levels 1–2 in DOMAIN.md §6.
pub(crate) fn severe_per_mille(category: DisabilityCategory) -> u32 {
    match category {
        DisabilityCategory::Vision => 400,
        DisabilityCategory::Speech => 200,
        DisabilityCategory::Physical => 280,
        DisabilityCategory::Multiple => 600,
        DisabilityCategory::Hearing
        | DisabilityCategory::Intellectual
        | DisabilityCategory::Mental => 300,
    }
}

/// Per mille of severe certificates that are level 1 rather than level 2.
pub(crate) const LEVEL_1_OF_SEVERE: u32 = 450;

/// Per mille of mild certificates that are level 3 rather than level 4.
pub(crate) const LEVEL_3_OF_MILD: u32 = 400;

/// Age bands on the reference date (inclusive), weighted per mille. The
/// demo serves an employment programme, so 85% are aged 16–64, leaning to
/// the later working years as disability becomes more common with age; the
/// other 15% are older people still on the register.
pub(crate) static AGE_BANDS: &[((i32, i32), u32)] = &[
    ((16, 24), 60),
    ((25, 34), 110),
    ((35, 44), 150),
    ((45, 54), 250),
    ((55, 64), 280),
    ((65, 74), 100),
    ((75, 84), 40),
    ((85, 94), 10),
];

/// Education of people of working age on the register: lower than the
/// general population, with most having finished at most junior secondary.
static EDUCATION_WORKING_AGE: &[(Education, u32)] = &[
    (Education::None, 60),
    (Education::Primary, 220),
    (Education::JuniorSecondary, 380),
    (Education::SeniorSecondary, 120),
    (Education::Vocational, 90),
    (Education::College, 70),
    (Education::BachelorOrAbove, 60),
];

/// Education of people aged 65 and over, who went to school when few did.
static EDUCATION_OLDER: &[(Education, u32)] = &[
    (Education::None, 300),
    (Education::Primary, 380),
    (Education::JuniorSecondary, 200),
    (Education::SeniorSecondary, 70),
    (Education::Vocational, 20),
    (Education::College, 20),
    (Education::BachelorOrAbove, 10),
];

/// Education of people with an intellectual disability, most of whom left
/// school early or attended special education up to primary level.
static EDUCATION_INTELLECTUAL: &[(Education, u32)] = &[
    (Education::None, 350),
    (Education::Primary, 400),
    (Education::JuniorSecondary, 200),
    (Education::SeniorSecondary, 20),
    (Education::Vocational, 30),
];

/// The education table for a person of this category and age.
pub(crate) fn education_table(
    category: DisabilityCategory,
    age: u32,
) -> &'static [(Education, u32)] {
    if category == DisabilityCategory::Intellectual {
        EDUCATION_INTELLECTUAL
    } else if age >= 65 {
        EDUCATION_OLDER
    } else {
        EDUCATION_WORKING_AGE
    }
}

/// Caps education at what someone of `age` can have finished: nobody is a
/// graduate at 18, or holds a bachelor's degree at 20.
pub(crate) fn cap_education_for_age(education: Education, age: u32) -> Education {
    match education {
        Education::College | Education::BachelorOrAbove if age < 19 => Education::SeniorSecondary,
        Education::BachelorOrAbove if age < 22 => Education::College,
        other => other,
    }
}

/// Base chance (per mille) that a person of working age is employed:
/// about 45% of working-age certificate holders are in work.
pub(crate) const EMPLOYED_BASE: i32 = 450;

/// Adjustment (per mille) of the employment chance for severity. Each
/// adjustment averages to zero over its own mix, so the overall rate stays
/// at the base while severe, intellectual, mental and urban cases are less
/// often employed, as in the national statistics.
pub(crate) fn employment_adjustment(
    category: DisabilityCategory,
    severe: bool,
    rural: bool,
    age: u32,
) -> i32 {
    // Levels 1–2 are 34% of the mix: −120 there is balanced by +62 on the
    // other 66%.
    let severity = if severe { -120 } else { 62 };
    // Intellectual (8%), mental (6%) and multiple (14%) disabilities weigh
    // −28.2 per mille in total, balanced by +39 on the other 72%.
    let category = match category {
        DisabilityCategory::Intellectual => -100,
        DisabilityCategory::Mental => -150,
        DisabilityCategory::Multiple => -80,
        DisabilityCategory::Vision
        | DisabilityCategory::Hearing
        | DisabilityCategory::Speech
        | DisabilityCategory::Physical => 39,
    };
    // Rural (42%) people mostly count as employed in farming: +60, balanced
    // by −43 on the 58% urban.
    let household = if rural { 60 } else { -43 };
    // Teenagers are mostly still at school (about 3.4% of working age):
    // −200 there, balanced by +7 on everyone else.
    let youth = if age < 20 { -200 } else { 7 };
    severity + category + household + youth
}

/// Chance (per mille) that someone past retirement age but under 65 is
/// still in work, mostly in farming or odd jobs.
pub(crate) const EMPLOYED_PAST_RETIREMENT: u32 = 150;

/// Chance (per mille) that someone aged 65 or over is still in work.
pub(crate) const EMPLOYED_ELDERLY: u32 = 40;

/// Mobile prefixes of the three operators, all in the 13x, 15x, 18x and
/// 19x ranges; older numbers (13x) are more common among the people on the
/// register.
#[rustfmt::skip]
pub(crate) static PHONE_PREFIXES: &[(&str, u32)] = &[
    ("130", 4), ("131", 4), ("132", 4), ("133", 3), ("134", 3), ("135", 5),
    ("136", 5), ("137", 4), ("138", 5), ("139", 5), ("150", 3), ("151", 3),
    ("152", 3), ("153", 2), ("155", 3), ("156", 3), ("157", 2), ("158", 3),
    ("159", 3), ("180", 2), ("181", 2), ("182", 2), ("183", 2), ("185", 2),
    ("186", 3), ("187", 2), ("188", 2), ("189", 2), ("191", 1), ("193", 1),
    ("195", 1), ("198", 1), ("199", 1),
];

/// Chance (per mille) that a person of working age left a mobile number.
pub(crate) const PHONE_WORKING_AGE: u32 = 880;

/// Chance (per mille) that a person aged 65 or over left one; together with
/// the working-age rate this gives about 85% overall.
pub(crate) const PHONE_ELDERLY: u32 = 700;

/// Per mille of women in the age-50 retirement group (workers) rather than
/// the age-55 group (cadres and some professions).
pub(crate) const FEMALE_GROUP_50: u32 = 700;

/// Per mille of people who are male.
pub(crate) const MALE: u32 = 540;

/// Per mille of people whose district of service differs from the
/// district of their ID (people move, mostly towards work).
pub(crate) const MOVED: u32 = 80;

/// Per mille of people who, born while their district had a former code,
/// still carry it in their ID number; the rest were registered again.
pub(crate) const KEEPS_LEGACY_CODE: u32 = 600;

/// Per mille of people who live in the kind of street their household
/// suggests (rural in a town, urban in a subdistrict), where the district
/// has both.
pub(crate) const MATCHING_STREET_KIND: u32 = 850;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severe_share_is_about_34_percent() {
        let total: u32 = CATEGORIES.iter().map(|&(_, w)| w).sum();
        let severe: u32 = CATEGORIES
            .iter()
            .map(|&(category, w)| w * severe_per_mille(category))
            .sum();
        let per_mille = severe / total;
        assert!((335..=350).contains(&per_mille), "{per_mille}");
    }

    #[test]
    fn age_bands_put_85_percent_in_working_years() {
        let working: u32 = AGE_BANDS
            .iter()
            .filter(|((_, hi), _)| *hi <= 64)
            .map(|&(_, w)| w)
            .sum();
        let total: u32 = AGE_BANDS.iter().map(|&(_, w)| w).sum();
        assert_eq!((working, total), (850, 1000));
        assert!(AGE_BANDS.iter().all(|((lo, _), _)| *lo >= 16));
    }

    #[test]
    fn employment_adjustments_average_about_zero() {
        // Weighted over the category and level mix, rural share 42% and
        // youth share 3.4%, the adjustments cancel to within a few per mille.
        let total: u32 = CATEGORIES.iter().map(|&(_, w)| w).sum();
        let mut sum = 0.0;
        for &(category, weight) in CATEGORIES {
            let severe = f64::from(severe_per_mille(category)) / 1000.0;
            for (is_severe, share) in [(true, severe), (false, 1.0 - severe)] {
                for (rural, share_rural) in [(true, 0.42), (false, 0.58)] {
                    for (age, share_age) in [(18, 0.034), (40, 0.966)] {
                        let p =
                            f64::from(weight) / f64::from(total) * share * share_rural * share_age;
                        sum +=
                            p * f64::from(employment_adjustment(category, is_severe, rural, age));
                    }
                }
            }
        }
        assert!(sum.abs() < 10.0, "{sum}");
    }
}
