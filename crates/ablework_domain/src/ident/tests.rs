#![expect(clippy::unwrap_used, reason = "tests")]

use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;

use super::resident_id::PROVINCE_CODES;
use super::*;
use crate::lang::Lang;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// The day all tests check against; the domain never reads the clock.
fn today() -> NaiveDate {
    date(2026, 1, 1)
}

/// Appends the correct check character to 17 digits.
fn with_check(first17: &str) -> String {
    format!("{first17}{}", resident_id_check_char(first17).unwrap())
}

fn codes(errors: &[IdentError]) -> Vec<&'static str> {
    errors.iter().map(IdentError::code).collect()
}

#[test]
fn resident_ids_that_are_valid() {
    let tanggu = with_check("12010719800101001");
    let jixian = with_check("12022519700615002");
    let taiwan_permit = with_check("83000019900101001");
    let born_today = with_check("12010120260101001");
    let cases: Vec<(&str, &str, NaiveDate, Sex, &str)> = vec![
        (
            "120101199003071235",
            "120101199003071235",
            date(1990, 3, 7),
            Sex::Male,
            "120101",
        ),
        (
            "11010519491231002X",
            "11010519491231002X",
            date(1949, 12, 31),
            Sex::Female,
            "110105",
        ),
        (
            "11010519491231002x",
            "11010519491231002X",
            date(1949, 12, 31),
            Sex::Female,
            "110105",
        ),
        (
            "１２０１１６１９８５０６１５００２３",
            "120116198506150023",
            date(1985, 6, 15),
            Sex::Female,
            "120116",
        ),
        (
            "\u{3000}120101199003071235 ",
            "120101199003071235",
            date(1990, 3, 7),
            Sex::Male,
            "120101",
        ),
        // The legacy 15-digit form of the worked example converts to it.
        (
            "120101900307123",
            "120101199003071235",
            date(1990, 3, 7),
            Sex::Male,
            "120101",
        ),
        // Historical area codes stay valid: 塘沽区 and 蓟县.
        (&tanggu, &tanggu, date(1980, 1, 1), Sex::Male, "120107"),
        (&jixian, &jixian, date(1970, 6, 15), Sex::Female, "120225"),
        (
            &taiwan_permit,
            &taiwan_permit,
            date(1990, 1, 1),
            Sex::Male,
            "830000",
        ),
        // Born on the day of the check.
        (&born_today, &born_today, today(), Sex::Male, "120101"),
    ];
    for (input, normalized, birth_date, sex, area_code) in cases {
        let id = ResidentId::parse(input, today())
            .unwrap_or_else(|errors| panic!("{input}: {errors:?}"));
        assert_eq!(id.as_str(), normalized, "input {input}");
        assert_eq!(id.birth_date(), birth_date, "input {input}");
        assert_eq!(id.sex(), sex, "input {input}");
        assert_eq!(id.area_code(), area_code, "input {input}");
    }
}

#[test]
fn resident_ids_that_are_invalid() {
    let cases: Vec<(String, Vec<&str>)> = vec![
        (String::new(), vec!["empty"]),
        ("\u{3000} ".into(), vec!["empty"]),
        ("12010119900307123".into(), vec!["length"]),
        ("1201011990030712355".into(), vec!["length"]),
        ("12010119900307123A".into(), vec!["invalid_character"]),
        ("X20101199003071235".into(), vec!["invalid_character"]),
        (
            "1201011990O3O71235".into(),
            vec!["invalid_character", "invalid_character"],
        ),
        ("340524198001010013".into(), vec!["checksum"]),
        (with_check("99010119900307123"), vec!["province"]),
        (with_check("00010119900307123"), vec!["province"]),
        (with_check("12010119900230123"), vec!["birth_date"]),
        (with_check("12010119901301123"), vec!["birth_date"]),
        (with_check("12010100000000123"), vec!["birth_date"]),
        (with_check("12010120300101123"), vec!["future_birth_date"]),
        (with_check("12010120260102123"), vec!["future_birth_date"]),
        // Every independent problem is reported at once.
        (
            "990101199002301235".into(),
            vec!["province", "birth_date", "checksum"],
        ),
        ("12010190030712X".into(), vec!["invalid_character"]),
        ("120101900230123".into(), vec!["birth_date"]),
        ("990101900307123".into(), vec!["province"]),
    ];
    for (input, expected) in cases {
        let errors = ResidentId::parse(&input, today()).unwrap_err();
        assert_eq!(codes(&errors), expected, "input {input}");
    }
}

#[test]
fn resident_id_errors_carry_details() {
    let errors = ResidentId::parse("340524198001010013", today()).unwrap_err();
    assert_eq!(
        errors,
        [IdentError::Checksum {
            expected: 'X',
            found: '3'
        }]
    );
    let errors = ResidentId::parse("12010119900307123a", today()).unwrap_err();
    assert_eq!(
        errors,
        [IdentError::InvalidCharacter {
            position: 18,
            found: 'A',
            allowed: AllowedCharacters::DigitOrX
        }]
    );
    let errors = ResidentId::parse("1201011990030712", today()).unwrap_err();
    assert_eq!(
        errors,
        [IdentError::Length {
            expected: vec![18, 15],
            found: 16
        }]
    );
}

#[test]
fn resident_ids_are_masked() {
    let id = ResidentId::parse("120101199003071235", today()).unwrap();
    assert_eq!(id.masked(), "1201**********1235");
    let debug = format!("{id:?}");
    assert!(!debug.contains("120101199003071235"), "{debug}");
    assert!(debug.contains("1201**********1235"), "{debug}");
}

#[test]
fn resident_ids_serialise_as_their_number() {
    let id = ResidentId::parse("11010519491231002x", today()).unwrap();
    let json = serde_json::to_string(&id).unwrap();
    assert_eq!(json, "\"11010519491231002X\"");
    let back: ResidentId = serde_json::from_str(&json).unwrap();
    assert_eq!(back, id);
    assert!(serde_json::from_str::<ResidentId>("\"340524198001010013\"").is_err());
}

#[test]
fn sex_codes_and_labels() {
    for sex in Sex::ALL {
        assert_eq!(Sex::from_code(sex.code()), Some(sex));
        assert_eq!(serde_json::to_value(sex).unwrap(), sex.code());
    }
    assert_eq!(Sex::Female.label(Lang::Zh), "女");
    assert_eq!(Sex::Male.label(Lang::En), "Male");
}

#[test]
fn certificates_that_are_valid() {
    let cases = [
        (
            "12010119900307123522",
            "12010119900307123522",
            DisabilityCategory::Hearing,
            2,
            None,
        ),
        (
            "12010119900307123543",
            "12010119900307123543",
            DisabilityCategory::Physical,
            3,
            None,
        ),
        (
            "11010519491231002x11",
            "11010519491231002X11",
            DisabilityCategory::Vision,
            1,
            None,
        ),
        (
            "12010119900307123574B1",
            "12010119900307123574B1",
            DisabilityCategory::Multiple,
            4,
            Some(1),
        ),
        (
            "１２０１０１１９９００３０７１２３５６３ｂ９",
            "12010119900307123563B9",
            DisabilityCategory::Mental,
            3,
            Some(9),
        ),
        (
            " 12010119900307123551b2 ",
            "12010119900307123551B2",
            DisabilityCategory::Intellectual,
            1,
            Some(2),
        ),
        (
            "12010119900307123531",
            "12010119900307123531",
            DisabilityCategory::Speech,
            1,
            None,
        ),
    ];
    for (input, normalized, category, level, reissue) in cases {
        let certificate = CertificateNumber::parse(input, today())
            .unwrap_or_else(|errors| panic!("{input}: {errors:?}"));
        assert_eq!(certificate.as_str(), normalized, "input {input}");
        assert_eq!(certificate.category(), category, "input {input}");
        assert_eq!(certificate.level().get(), level, "input {input}");
        assert_eq!(certificate.reissue(), reissue, "input {input}");
        assert_eq!(
            certificate.resident_id().as_str(),
            &normalized[..18],
            "input {input}"
        );
        assert_eq!(
            certificate.masked(),
            "1201****************".replace("1201", &normalized[..4])
        );
    }
}

#[test]
fn certificates_that_are_invalid() {
    let cases = [
        ("", vec!["empty"]),
        ("120101199003071235", vec!["length"]),
        ("1201011990030712352", vec!["length"]),
        ("12010119900307123522B", vec!["length"]),
        ("12010119900307123522B12", vec!["length"]),
        ("12010119900307123582", vec!["category"]),
        ("12010119900307123502", vec!["category"]),
        ("12010119900307123525", vec!["level"]),
        ("12010119900307123520", vec!["level"]),
        ("120101199003071235XX", vec!["category", "level"]),
        ("12010119900307123522B0", vec!["suffix"]),
        ("12010119900307123522C1", vec!["suffix"]),
        ("12010119900307123522BB", vec!["suffix"]),
        ("12010119900307123022", vec!["checksum"]),
        ("12010119900307123X22", vec!["checksum"]),
        ("1201011990030712X522", vec!["invalid_character"]),
        (
            "99010119900307123599B0",
            vec!["province", "checksum", "category", "level", "suffix"],
        ),
    ];
    for (input, expected) in cases {
        let errors = CertificateNumber::parse(input, today()).unwrap_err();
        assert_eq!(codes(&errors), expected, "input {input}");
    }
}

#[test]
fn certificates_are_masked_and_serialised() {
    let certificate = CertificateNumber::parse("12010119900307123522b1", today()).unwrap();
    assert_eq!(certificate.masked(), "1201****************");
    assert!(!format!("{certificate:?}").contains("123522"));
    let json = serde_json::to_string(&certificate).unwrap();
    assert_eq!(json, "\"12010119900307123522B1\"");
    assert_eq!(
        serde_json::from_str::<CertificateNumber>(&json).unwrap(),
        certificate
    );
}

#[test]
fn categories_have_codes_digits_and_labels() {
    let expected = [
        (1, "vision", "视力", "Vision"),
        (2, "hearing", "听力", "Hearing"),
        (3, "speech", "言语", "Speech"),
        (4, "physical", "肢体", "Physical"),
        (5, "intellectual", "智力", "Intellectual"),
        (6, "mental", "精神", "Mental"),
        (7, "multiple", "多重", "Multiple"),
    ];
    assert_eq!(DisabilityCategory::ALL.len(), expected.len());
    for (category, (digit, code, zh, en)) in DisabilityCategory::ALL.into_iter().zip(expected) {
        assert_eq!(category.digit(), digit);
        assert_eq!(DisabilityCategory::from_digit(digit), Some(category));
        assert_eq!(category.code(), code);
        assert_eq!(DisabilityCategory::from_code(code), Some(category));
        assert_eq!(serde_json::to_value(category).unwrap(), code);
        assert_eq!(category.label(Lang::Zh), zh);
        assert_eq!(category.label(Lang::En), en);
    }
    assert_eq!(DisabilityCategory::from_digit(0), None);
    assert_eq!(DisabilityCategory::from_digit(8), None);
}

#[test]
fn levels_have_numbers_and_labels() {
    let expected = [
        (1, "一级", "Level 1"),
        (2, "二级", "Level 2"),
        (3, "三级", "Level 3"),
        (4, "四级", "Level 4"),
    ];
    for (level, (number, zh, en)) in DisabilityLevel::ALL.into_iter().zip(expected) {
        assert_eq!(level.get(), number);
        assert_eq!(DisabilityLevel::new(number), Some(level));
        assert_eq!(level.label(Lang::Zh), zh);
        assert_eq!(level.label(Lang::En), en);
        assert_eq!(serde_json::to_value(level).unwrap(), number);
    }
    assert_eq!(DisabilityLevel::new(0), None);
    assert_eq!(DisabilityLevel::new(5), None);
    assert!(serde_json::from_str::<DisabilityLevel>("5").is_err());
    assert!(DisabilityLevel::new(1) < DisabilityLevel::new(2));
}

/// Codes published by well-known enterprises and institutions, collected
/// from public registers, including the commonly cited
/// `91350100M000100Y43`; they confirm the check against real data.
const PUBLIC_CREDIT_CODES: [&str; 9] = [
    "91350100M000100Y43",
    "914403001922038216",
    "91330100716105852F",
    "911000001000013428",
    "91100000100003962T",
    "9144030071526726XG",
    "91110000802100433B",
    "91120000103071899G",
    "91310000132206289R",
];

#[test]
fn credit_codes_that_are_valid() {
    for code in PUBLIC_CREDIT_CODES {
        let parsed = CreditCode::parse(code).unwrap_or_else(|errors| panic!("{code}: {errors:?}"));
        assert_eq!(parsed.as_str(), code);
    }
    let parsed = CreditCode::parse(" ９１３５０１００ｍ０００１００ｙ４３ ").unwrap();
    assert_eq!(parsed.as_str(), "91350100M000100Y43");
    assert_eq!(parsed.area_code(), "350100");
    assert_eq!(parsed.to_string(), "91350100M000100Y43");
    let lower = CreditCode::parse("9144030071526726xg").unwrap();
    assert_eq!(lower.as_str(), "9144030071526726XG");
}

#[test]
fn credit_codes_that_are_invalid() {
    let cases = [
        ("", vec!["empty"]),
        ("91350100M000100Y4", vec!["length"]),
        ("91350100M000100Y430", vec!["length"]),
        ("91350100M000100Y44", vec!["checksum"]),
        ("91350100I000100Y43", vec!["invalid_character"]),
        (
            "91350100O000100S4Z",
            vec![
                "invalid_character",
                "invalid_character",
                "invalid_character",
            ],
        ),
        ("91350100M000100V43", vec!["invalid_character"]),
        ("91350100M-00100Y43", vec!["invalid_character"]),
    ];
    for (input, expected) in cases {
        let errors = CreditCode::parse(input).unwrap_err();
        assert_eq!(codes(&errors), expected, "input {input}");
    }
    assert_eq!(
        CreditCode::parse("91350100M000100Y44").unwrap_err(),
        [IdentError::Checksum {
            expected: '3',
            found: '4'
        }]
    );
}

#[test]
fn credit_codes_serialise_as_their_text() {
    let code = CreditCode::parse("91350100M000100Y43").unwrap();
    let json = serde_json::to_string(&code).unwrap();
    assert_eq!(json, "\"91350100M000100Y43\"");
    assert_eq!(serde_json::from_str::<CreditCode>(&json).unwrap(), code);
    assert!(serde_json::from_str::<CreditCode>("\"91350100M000100Y44\"").is_err());
}

/// Strategy: the 17 digits before the check character of a valid ID, with
/// the birth date they encode.
fn first17_and_birth_date() -> impl Strategy<Value = (String, NaiveDate)> {
    let first_day = date(1900, 1, 1);
    let span = (today() - first_day).num_days().unsigned_abs();
    (
        proptest::sample::select(PROVINCE_CODES.to_vec()),
        0..10_000u32,
        0..=span,
        0..1000u32,
    )
        .prop_map(move |(province, area, offset, sequence)| {
            let birth_date = first_day.checked_add_days(Days::new(offset)).unwrap();
            let first17 = format!(
                "{province}{area:04}{}{sequence:03}",
                birth_date.format("%Y%m%d")
            );
            (first17, birth_date)
        })
}

fn credit_code_first17() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(CREDIT_CODE_ALPHABET.chars().collect::<Vec<_>>()),
        17,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn generated_ids_validate_and_round_trip((first17, birth_date) in first17_and_birth_date()) {
        let number = with_check(&first17);
        let id = ResidentId::parse(&number, today()).unwrap();
        prop_assert_eq!(id.as_str(), number.as_str());
        prop_assert_eq!(id.birth_date(), birth_date);
        let sequence_digit = first17.as_bytes()[16] - b'0';
        prop_assert_eq!(id.sex() == Sex::Male, sequence_digit % 2 == 1);
        prop_assert_eq!(id.area_code(), &first17[..6]);
        // Lower case and full-width forms parse to the same ID.
        let full_width: String = number
            .to_lowercase()
            .chars()
            .map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap())
            .collect();
        prop_assert_eq!(ResidentId::parse(&full_width, today()).unwrap(), id);
    }

    #[test]
    fn changing_one_character_of_an_id_invalidates_it(
        (first17, _) in first17_and_birth_date(),
        position in 0..18usize,
        replacement in 0..10u8,
    ) {
        let number = with_check(&first17);
        let mut bytes = number.into_bytes();
        let replacement = b'0' + replacement;
        prop_assume!(bytes[position] != replacement);
        bytes[position] = replacement;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(ResidentId::parse(&changed, today()).is_err(), "{} was accepted", changed);
    }

    #[test]
    fn legacy_ids_convert_to_valid_ids(
        province in proptest::sample::select(PROVINCE_CODES.to_vec()),
        area in 0..10_000u32,
        offset in 0..36_524u64,
        sequence in 0..1000u32,
    ) {
        let birth_date = date(1900, 1, 1).checked_add_days(Days::new(offset)).unwrap();
        prop_assume!(birth_date.year() < 2000);
        let legacy = format!("{province}{area:04}{}{sequence:03}", birth_date.format("%y%m%d"));
        let id = ResidentId::parse(&legacy, today()).unwrap();
        prop_assert_eq!(id.as_str().len(), 18);
        prop_assert_eq!(id.birth_date(), birth_date);
        prop_assert_eq!(&id.as_str()[..6], &legacy[..6]);
        prop_assert_eq!(&id.as_str()[8..17], &legacy[6..]);
        // The converted number stands on its own as a valid 18-character ID.
        prop_assert_eq!(ResidentId::parse(id.as_str(), today()).unwrap(), id);
    }

    #[test]
    fn generated_certificates_validate(
        (first17, birth_date) in first17_and_birth_date(),
        category in 1..=7u8,
        level in 1..=4u8,
        reissue in proptest::option::of(1..=9u8),
    ) {
        let suffix = reissue.map(|count| format!("B{count}")).unwrap_or_default();
        let number = format!("{}{category}{level}{suffix}", with_check(&first17));
        let certificate = CertificateNumber::parse(&number, today()).unwrap();
        prop_assert_eq!(certificate.as_str(), number.as_str());
        prop_assert_eq!(certificate.category().digit(), category);
        prop_assert_eq!(certificate.level().get(), level);
        prop_assert_eq!(certificate.reissue(), reissue);
        prop_assert_eq!(certificate.resident_id().birth_date(), birth_date);
        prop_assert_eq!(certificate.masked().len(), 20);
    }

    #[test]
    fn generated_credit_codes_validate(first17 in credit_code_first17()) {
        let code = format!("{first17}{}", credit_code_check_char(&first17).unwrap());
        let parsed = CreditCode::parse(&code).unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
        prop_assert_eq!(CreditCode::parse(&code.to_lowercase()).unwrap(), parsed);
    }

    #[test]
    fn changing_one_character_of_a_credit_code_invalidates_it(
        first17 in credit_code_first17(),
        position in 0..18usize,
        replacement in proptest::sample::select(CREDIT_CODE_ALPHABET.chars().collect::<Vec<_>>()),
    ) {
        let code: Vec<char> = format!("{first17}{}", credit_code_check_char(&first17).unwrap()).chars().collect();
        prop_assume!(code[position] != replacement);
        let mut changed = code.clone();
        changed[position] = replacement;
        let changed: String = changed.into_iter().collect();
        let errors = CreditCode::parse(&changed).unwrap_err();
        prop_assert_eq!(codes(&errors), vec!["checksum"]);
    }

    #[test]
    fn parsers_never_panic(input in "\\PC{0,30}") {
        let _ = ResidentId::parse(&input, today());
        let _ = CertificateNumber::parse(&input, today());
        let _ = CreditCode::parse(&input);
    }

    #[test]
    fn parsers_never_panic_on_near_misses(input in "[0-9XxBb１ｘ ]{13,24}") {
        let _ = ResidentId::parse(&input, today());
        let _ = CertificateNumber::parse(&input, today());
        let _ = CreditCode::parse(&input);
    }
}
