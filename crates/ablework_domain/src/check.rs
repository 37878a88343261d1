//! The result of checking one identifier, as `ablework check id|cert|uscc
//! VALUE --json` prints it (CONTRACT.md, `check`). The field order of
//! [`CheckReport`] is part of that contract.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ident::{
    CertificateNumber, CreditCode, DisabilityCategory, IdentError, ResidentId, Sex,
};
use crate::lang::Lang;

/// Which identifier is checked; serialised as `id`, `cert` or `uscc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// A resident ID number.
    Id,
    /// A disability certificate number.
    Cert,
    /// A unified social credit code.
    Uscc,
}

impl CheckKind {
    /// Every kind, in the order the command lists them.
    pub const ALL: [CheckKind; 3] = [CheckKind::Id, CheckKind::Cert, CheckKind::Uscc];

    /// The stable code, which is also the command-line word.
    pub fn code(self) -> &'static str {
        match self {
            CheckKind::Id => "id",
            CheckKind::Cert => "cert",
            CheckKind::Uscc => "uscc",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<CheckKind> {
        CheckKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// One reason an identifier was refused: a stable code and a message in
/// the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckError {
    /// Stable `snake_case` code, as [`IdentError::code`].
    pub code: &'static str,
    /// Plain-language message.
    pub message: String,
}

impl CheckError {
    /// Describes `error` in `lang`.
    pub fn new(error: &IdentError, lang: Lang) -> CheckError {
        CheckError {
            code: error.code(),
            message: error.message(lang),
        }
    }
}

/// What an ID number tells about its holder. Present (possibly as nulls)
/// for `id` and `cert`, absent for `uscc`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonFields {
    /// The birth date, `YYYY-MM-DD`.
    pub birth_date: Option<NaiveDate>,
    /// `male` or `female`.
    pub sex: Option<Sex>,
    /// The six-digit area code in the number (possibly historical).
    pub area_code: Option<String>,
}

/// What a certificate number tells about the disability. Present (possibly
/// as nulls) for `cert` only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertificateFields {
    /// The category code, e.g. `hearing`.
    pub category: Option<DisabilityCategory>,
    /// The level, 1–4.
    pub level: Option<u8>,
}

/// The outcome of checking one identifier.
///
/// `normalized` and the fields read from the number are `null` unless the
/// number is valid, so a consumer never mistakes a guess for a fact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// What was checked.
    pub kind: CheckKind,
    /// Whether the identifier is valid.
    pub valid: bool,
    /// The identifier in its canonical form (18 characters for a legacy
    /// 15-digit ID).
    pub normalized: Option<String>,
    /// Birth date, sex and area code, for `id` and `cert`.
    #[serde(flatten)]
    pub person: Option<PersonFields>,
    /// Category and level, for `cert`.
    #[serde(flatten)]
    pub certificate: Option<CertificateFields>,
    /// Every reason the identifier was refused; empty when valid.
    pub errors: Vec<CheckError>,
}

fn person_fields(id: Option<&ResidentId>) -> PersonFields {
    PersonFields {
        birth_date: id.map(ResidentId::birth_date),
        sex: id.map(ResidentId::sex),
        area_code: id.map(|id| id.area_code().to_owned()),
    }
}

fn check_errors(errors: &[IdentError], lang: Lang) -> Vec<CheckError> {
    errors
        .iter()
        .map(|error| CheckError::new(error, lang))
        .collect()
}

/// Checks a resident ID number against the day `today`.
pub fn check_id(value: &str, today: NaiveDate, lang: Lang) -> CheckReport {
    let parsed = ResidentId::parse(value, today);
    let id = parsed.as_ref().ok();
    CheckReport {
        kind: CheckKind::Id,
        valid: id.is_some(),
        normalized: id.map(|id| id.as_str().to_owned()),
        person: Some(person_fields(id)),
        certificate: None,
        errors: parsed
            .as_ref()
            .err()
            .map(|errors| check_errors(errors, lang))
            .unwrap_or_default(),
    }
}

/// Checks a disability certificate number against the day `today`.
pub fn check_cert(value: &str, today: NaiveDate, lang: Lang) -> CheckReport {
    let parsed = CertificateNumber::parse(value, today);
    let certificate = parsed.as_ref().ok();
    CheckReport {
        kind: CheckKind::Cert,
        valid: certificate.is_some(),
        normalized: certificate.map(|certificate| certificate.as_str().to_owned()),
        person: Some(person_fields(
            certificate.map(CertificateNumber::resident_id),
        )),
        certificate: Some(CertificateFields {
            category: certificate.map(CertificateNumber::category),
            level: certificate.map(|certificate| certificate.level().get()),
        }),
        errors: parsed
            .as_ref()
            .err()
            .map(|errors| check_errors(errors, lang))
            .unwrap_or_default(),
    }
}

/// Checks a unified social credit code.
pub fn check_uscc(value: &str, lang: Lang) -> CheckReport {
    let parsed = CreditCode::parse(value);
    let code = parsed.as_ref().ok();
    CheckReport {
        kind: CheckKind::Uscc,
        valid: code.is_some(),
        normalized: code.map(|code| code.as_str().to_owned()),
        person: None,
        certificate: None,
        errors: parsed
            .as_ref()
            .err()
            .map(|errors| check_errors(errors, lang))
            .unwrap_or_default(),
    }
}

/// Checks `value` as an identifier of `kind`; `today` matters only for
/// numbers that carry a birth date.
pub fn check(kind: CheckKind, value: &str, today: NaiveDate, lang: Lang) -> CheckReport {
    match kind {
        CheckKind::Id => check_id(value, today, lang),
        CheckKind::Cert => check_cert(value, today, lang),
        CheckKind::Uscc => check_uscc(value, lang),
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use proptest::prelude::*;

    use super::*;
    use crate::ident::resident_id_check_char;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    fn json(report: &CheckReport) -> String {
        serde_json::to_string(report).unwrap()
    }

    #[test]
    fn exact_json_for_valid_identifiers() {
        let cases = [
            (
                check_id("120101199003071235", today(), Lang::Zh),
                r#"{"kind":"id","valid":true,"normalized":"120101199003071235","birth_date":"1990-03-07","sex":"male","area_code":"120101","errors":[]}"#,
            ),
            (
                check_id("11010519491231002x", today(), Lang::En),
                r#"{"kind":"id","valid":true,"normalized":"11010519491231002X","birth_date":"1949-12-31","sex":"female","area_code":"110105","errors":[]}"#,
            ),
            (
                check_id("120116198506150023", today(), Lang::Zh),
                r#"{"kind":"id","valid":true,"normalized":"120116198506150023","birth_date":"1985-06-15","sex":"female","area_code":"120116","errors":[]}"#,
            ),
            (
                check_id("120101900307123", today(), Lang::Zh),
                r#"{"kind":"id","valid":true,"normalized":"120101199003071235","birth_date":"1990-03-07","sex":"male","area_code":"120101","errors":[]}"#,
            ),
            (
                check_cert("12010119900307123522", today(), Lang::Zh),
                r#"{"kind":"cert","valid":true,"normalized":"12010119900307123522","birth_date":"1990-03-07","sex":"male","area_code":"120101","category":"hearing","level":2,"errors":[]}"#,
            ),
            (
                check_uscc("91350100M000100Y43", Lang::Zh),
                r#"{"kind":"uscc","valid":true,"normalized":"91350100M000100Y43","errors":[]}"#,
            ),
        ];
        for (report, expected) in cases {
            assert_eq!(json(&report), expected);
        }
    }

    #[test]
    fn exact_json_for_invalid_identifiers() {
        let cases = [
            (
                check_id("340524198001010013", today(), Lang::Zh),
                r#"{"kind":"id","valid":false,"normalized":null,"birth_date":null,"sex":null,"area_code":null,"errors":[{"code":"checksum","message":"校验位应为 X，现为 3。请核对号码是否抄错。"}]}"#,
            ),
            (
                check_cert("12010119900307123582", today(), Lang::En),
                r#"{"kind":"cert","valid":false,"normalized":null,"birth_date":null,"sex":null,"area_code":null,"category":null,"level":null,"errors":[{"code":"category","message":"The disability category (character 19, \"8\") is not valid: it should be 1 to 7 (1 vision, 2 hearing, 3 speech, 4 physical, 5 intellectual, 6 mental, 7 multiple)."}]}"#,
            ),
            (
                check_uscc("", Lang::En),
                r#"{"kind":"uscc","valid":false,"normalized":null,"errors":[{"code":"empty","message":"The number is empty. Enter the number."}]}"#,
            ),
        ];
        for (report, expected) in cases {
            assert_eq!(json(&report), expected);
        }
    }

    #[test]
    fn historical_area_codes_validate() {
        for first17 in ["12010719800101001", "12022519700615002"] {
            let number = format!("{first17}{}", resident_id_check_char(first17).unwrap());
            let report = check_id(&number, today(), Lang::Zh);
            assert!(report.valid, "{number}: {:?}", report.errors);
            assert_eq!(
                report.person.unwrap().area_code.as_deref(),
                Some(&number[..6])
            );
        }
    }

    #[test]
    fn every_problem_is_listed() {
        let report = check_id("990101199002301235", today(), Lang::En);
        let codes: Vec<&str> = report.errors.iter().map(|error| error.code).collect();
        assert_eq!(codes, ["province", "birth_date", "checksum"]);
        assert!(!report.valid);
    }

    #[test]
    fn dispatch_by_kind() {
        for kind in CheckKind::ALL {
            assert_eq!(CheckKind::from_code(kind.code()), Some(kind));
            assert_eq!(check(kind, "x", today(), Lang::Zh).kind, kind);
        }
        assert_eq!(CheckKind::from_code("passport"), None);
    }

    proptest! {
        #[test]
        fn valid_exactly_when_there_are_no_errors(input in "[0-9Xx]{14,22}", kind in proptest::sample::select(CheckKind::ALL.to_vec())) {
            let report = check(kind, &input, today(), Lang::Zh);
            prop_assert_eq!(report.valid, report.errors.is_empty());
            prop_assert_eq!(report.valid, report.normalized.is_some());
        }
    }
}
