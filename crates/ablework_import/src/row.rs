//! One row of people data, before ([`RawPersonRow`]) and after
//! ([`PersonRow`]) validation against the domain rules.

use ablework_domain::district;
use ablework_domain::ident::{CertificateNumber, IdentError, ResidentId};
use ablework_domain::lang::Lang;
use ablework_domain::person::{Education, EmploymentStatus, Hukou};
use chrono::NaiveDate;

use crate::error::RowError;
use crate::field::Field;
use crate::values;

/// The longest name accepted, as when a person is registered by hand.
const MAX_NAME_CHARS: usize = 50;

/// Something wrong with a cell before its text can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CellDefect {
    /// Bytes that are not valid in the file's encoding; they were replaced
    /// by U+FFFD.
    Undecodable,
    /// A number with more digits than a spreadsheet keeps (15 significant
    /// digits), stored in a number cell or written as `1.20101E+17`: the
    /// digits read are not the ones typed.
    InexactNumber,
}

/// One input row after header mapping and normalisation, as strings.
///
/// Every value is trimmed, with full-width characters made half-width;
/// district and street are in simplified characters. Required fields are
/// empty strings when blank, optional ones `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawPersonRow {
    /// The row number a spreadsheet shows (1-based; title and header rows
    /// count, and so do blank lines).
    pub row: usize,
    /// 姓名.
    pub name: String,
    /// 身份证号.
    pub id_number: String,
    /// 残疾证号.
    pub certificate_number: String,
    /// 所属区: a code (current or withdrawn) or a name.
    pub district: String,
    /// 街道.
    pub street: Option<String>,
    /// 户籍类型.
    pub hukou: Option<String>,
    /// 联系电话.
    pub phone: Option<String>,
    /// 文化程度.
    pub education: Option<String>,
    /// 就业状态.
    pub employment_status: Option<String>,
    /// Cells whose text cannot be trusted, and why.
    pub defects: Vec<(Field, CellDefect)>,
}

/// A row validated against the domain rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRow {
    /// The row number a spreadsheet shows.
    pub row: usize,
    /// 姓名, at most 50 characters.
    pub name: String,
    /// 身份证号, normalised to 18 characters (a legacy 15-digit number is
    /// converted).
    pub id_number: ResidentId,
    /// 残疾证号; its first 18 characters are `id_number`.
    pub certificate: CertificateNumber,
    /// The current district's code, also when the file gave a withdrawn
    /// code or a former name.
    pub district_code: &'static str,
    /// 街道, in simplified characters.
    pub street: Option<String>,
    /// 户籍类型.
    pub hukou: Option<Hukou>,
    /// 联系电话: 11 digits starting with 1.
    pub phone: Option<String>,
    /// 文化程度.
    pub education: Option<Education>,
    /// 就业状态.
    pub employment_status: Option<EmploymentStatus>,
}

/// Validates one row, listing every problem it has, not just the first.
///
/// Identifiers are checked with the domain's parsers against `today`. The
/// certificate's first 18 characters must be the ID number (`id_mismatch`).
pub fn validate_row(raw: RawPersonRow, today: NaiveDate) -> Result<PersonRow, Vec<RowError>> {
    check_row(raw, today).1
}

/// Like [`validate_row`], also giving the ID number whenever it parsed, so
/// that the reader can find a person listed twice even on rows with other
/// errors.
pub(crate) fn check_row(
    raw: RawPersonRow,
    today: NaiveDate,
) -> (Option<ResidentId>, Result<PersonRow, Vec<RowError>>) {
    let row = raw.row;
    let mut check = RowCheck {
        row,
        defects: &raw.defects,
        errors: Vec::new(),
    };
    let name = check.name(raw.name);
    let id = check.identifier(Field::IdNumber, &raw.id_number, |text| {
        ResidentId::parse(text, today)
    });
    let certificate = check.identifier(Field::CertificateNumber, &raw.certificate_number, |text| {
        CertificateNumber::parse(text, today)
    });
    if let (Some(id), Some(certificate)) = (&id, &certificate)
        && certificate.resident_id() != id
    {
        check.push(
            Field::CertificateNumber,
            "id_mismatch",
            "残疾证号的前 18 位应与身份证号一致。".to_owned(),
            "The certificate number's first 18 characters must be the ID number.".to_owned(),
        );
    }
    let district_code = check.district(&raw.district);
    let street = raw.street.filter(|_| check.trusted(Field::Street));
    let hukou = check.word(
        Field::Hukou,
        raw.hukou.as_deref(),
        values::hukou,
        ("城镇或农村", "urban or rural"),
    );
    let phone = check.phone(raw.phone.as_deref());
    let education = check.word(
        Field::Education,
        raw.education.as_deref(),
        values::education,
        (
            "未上学、小学、初中、高中、中专/职高、大专或本科及以上",
            "none, primary, junior_secondary, senior_secondary, vocational, college or bachelor_or_above",
        ),
    );
    let employment_status = check.word(
        Field::EmploymentStatus,
        raw.employment_status.as_deref(),
        values::employment_status,
        ("未就业或已就业", "unemployed or employed"),
    );

    let errors = check.errors;
    let result = match (name, id.clone(), certificate, district_code) {
        (Some(name), Some(id_number), Some(certificate), Some(district_code))
            if errors.is_empty() =>
        {
            Ok(PersonRow {
                row,
                name,
                id_number,
                certificate,
                district_code,
                street,
                hukou,
                phone,
                education,
                employment_status,
            })
        }
        _ => Err(errors),
    };
    (id, result)
}

/// The checks of one row, collecting every error.
struct RowCheck<'row> {
    row: usize,
    defects: &'row [(Field, CellDefect)],
    errors: Vec<RowError>,
}

impl RowCheck<'_> {
    fn push(&mut self, field: Field, code: &str, message_zh: String, message_en: String) {
        self.errors
            .push(RowError::new(self.row, field, code, message_zh, message_en));
    }

    fn required(&mut self, field: Field) {
        self.push(
            field,
            "required",
            "此项必填。".to_owned(),
            "This field is required.".to_owned(),
        );
    }

    /// Whether a field's cell can be trusted. A damaged cell is reported
    /// once, as such, rather than as whatever its damaged text fails.
    fn trusted(&mut self, field: Field) -> bool {
        let Some((_, defect)) = self.defects.iter().find(|(damaged, _)| *damaged == field) else {
            return true;
        };
        self.errors
            .push(RowError::defect(self.row, field.name(), *defect));
        false
    }

    fn name(&mut self, name: String) -> Option<String> {
        if !self.trusted(Field::Name) {
            None
        } else if name.is_empty() {
            self.required(Field::Name);
            None
        } else if name.chars().count() > MAX_NAME_CHARS {
            self.push(
                Field::Name,
                "too_long",
                format!("姓名不超过 {MAX_NAME_CHARS} 个字。"),
                format!("A name is at most {MAX_NAME_CHARS} characters."),
            );
            None
        } else {
            Some(name)
        }
    }

    /// A required identifier, with every reason the domain's parser gives
    /// for refusing it.
    fn identifier<T>(
        &mut self,
        field: Field,
        text: &str,
        parse: impl FnOnce(&str) -> Result<T, Vec<IdentError>>,
    ) -> Option<T> {
        if !self.trusted(field) {
            return None;
        }
        if text.is_empty() {
            self.required(field);
            return None;
        }
        match parse(text) {
            Ok(value) => Some(value),
            Err(refusals) => {
                let row = self.row;
                self.errors.extend(
                    refusals
                        .iter()
                        .map(|refusal| RowError::ident(row, field, refusal)),
                );
                None
            }
        }
    }

    /// The current district's code for a code or name.
    fn district(&mut self, text: &str) -> Option<&'static str> {
        if !self.trusted(Field::District) {
            return None;
        }
        if text.is_empty() {
            self.required(Field::District);
            return None;
        }
        let found = district::resolve(text).map(|district| district.code);
        if found.is_none() {
            self.push(
                Field::District,
                "unknown",
                format!(
                    "“{text}”不是天津市的区。请填写区名（如“和平区”）或区划代码（如 120101）。"
                ),
                format!(
                    "\"{text}\" is not a district of Tianjin. Write a district name \
                     (such as Heping District) or its code (such as 120101)."
                ),
            );
        }
        found
    }

    fn phone(&mut self, text: Option<&str>) -> Option<String> {
        let text = text.filter(|_| self.trusted(Field::Phone))?;
        let mobile = values::mobile_number(text);
        if mobile.is_none() {
            self.push(
                Field::Phone,
                "format",
                "手机号应为 1 开头的 11 位数字。".to_owned(),
                "A mobile number is 11 digits starting with 1.".to_owned(),
            );
        }
        mobile
    }

    /// An optional vocabulary word; an unknown one is reported with the
    /// words accepted (`expected`, in Chinese and English).
    fn word<T>(
        &mut self,
        field: Field,
        text: Option<&str>,
        parse: fn(&str) -> Option<T>,
        expected: (&str, &str),
    ) -> Option<T> {
        let text = text.filter(|_| self.trusted(field))?;
        let value = parse(text);
        if value.is_none() {
            let (expected_zh, expected_en) = expected;
            self.push(
                field,
                "unknown",
                format!(
                    "{}“{text}”无法识别：应为{expected_zh}。",
                    field.header(Lang::Zh)
                ),
                format!(
                    "\"{text}\" is not a recognised {}: use {expected_en}.",
                    field.name()
                ),
            );
        }
        value
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use ablework_domain::ident::resident_id_check_char;

    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
    }

    fn id(first17: &str) -> String {
        format!("{first17}{}", resident_id_check_char(first17).unwrap())
    }

    fn good() -> RawPersonRow {
        let id_number = id("12010119900307123");
        RawPersonRow {
            row: 7,
            name: "张三".to_owned(),
            certificate_number: format!("{id_number}21"),
            id_number,
            district: "和平区".to_owned(),
            street: Some("小白楼街道".to_owned()),
            hukou: Some("城镇".to_owned()),
            phone: Some("138 1234 1234".to_owned()),
            education: Some("大专".to_owned()),
            employment_status: Some("未就业".to_owned()),
            defects: Vec::new(),
        }
    }

    fn codes(raw: RawPersonRow) -> Vec<(String, String)> {
        match validate_row(raw, today()) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(field, code)| ((*field).to_owned(), (*code).to_owned()))
            .collect()
    }

    #[test]
    fn a_good_row_is_typed() {
        let row = validate_row(good(), today()).unwrap();
        assert_eq!(row.row, 7);
        assert_eq!(row.name, "张三");
        assert_eq!(row.id_number.as_str(), "120101199003071235");
        assert_eq!(row.certificate.as_str(), "12010119900307123521");
        assert_eq!(row.district_code, "120101");
        assert_eq!(row.street.as_deref(), Some("小白楼街道"));
        assert_eq!(row.hukou, Some(Hukou::Urban));
        assert_eq!(row.phone.as_deref(), Some("13812341234"));
        assert_eq!(row.education, Some(Education::College));
        assert_eq!(row.employment_status, Some(EmploymentStatus::Unemployed));
    }

    #[test]
    fn optional_fields_may_be_blank_and_old_codes_resolve() {
        let raw = RawPersonRow {
            district: "120107".to_owned(),
            street: None,
            hukou: None,
            phone: None,
            education: None,
            employment_status: None,
            ..good()
        };
        let row = validate_row(raw, today()).unwrap();
        assert_eq!(row.district_code, "120116");
        assert_eq!((row.hukou, row.phone, row.education), (None, None, None));
    }

    #[test]
    fn every_problem_of_a_row_is_listed() {
        let cases: Vec<(RawPersonRow, Vec<(&str, &str)>)> = vec![
            (
                RawPersonRow {
                    row: 3,
                    ..RawPersonRow::default()
                },
                vec![
                    ("name", "required"),
                    ("id_number", "required"),
                    ("certificate_number", "required"),
                    ("district", "required"),
                ],
            ),
            (
                RawPersonRow {
                    name: "张".repeat(51),
                    id_number: "120101199003071234".to_owned(),
                    certificate_number: format!("{}91", id("12010119900307123")),
                    district: "朝阳区".to_owned(),
                    hukou: Some("居民".to_owned()),
                    phone: Some("022-23451234".to_owned()),
                    education: Some("幼儿园".to_owned()),
                    employment_status: Some("退休".to_owned()),
                    ..good()
                },
                vec![
                    ("name", "too_long"),
                    ("id_number", "checksum"),
                    ("certificate_number", "category"),
                    ("district", "unknown"),
                    ("hukou", "unknown"),
                    ("phone", "format"),
                    ("education", "unknown"),
                    ("employment_status", "unknown"),
                ],
            ),
            (
                RawPersonRow {
                    certificate_number: format!("{}21", id("12010119900307124")),
                    ..good()
                },
                vec![("certificate_number", "id_mismatch")],
            ),
            (
                RawPersonRow {
                    id_number: "1.20101E+17".to_owned(),
                    name: "张\u{FFFD}".to_owned(),
                    defects: vec![
                        (Field::IdNumber, CellDefect::InexactNumber),
                        (Field::Name, CellDefect::Undecodable),
                    ],
                    ..good()
                },
                vec![("name", "undecodable"), ("id_number", "stored_as_number")],
            ),
        ];
        for (raw, expected) in cases {
            assert_eq!(codes(raw), pairs(&expected));
        }
    }

    #[test]
    fn a_legacy_id_matches_its_certificate() {
        let raw = RawPersonRow {
            id_number: "120101900307123".to_owned(),
            ..good()
        };
        let row = validate_row(raw, today()).unwrap();
        assert_eq!(row.id_number.as_str(), "120101199003071235");
    }

    #[test]
    fn errors_carry_both_languages() {
        let raw = RawPersonRow {
            district: "朝阳区".to_owned(),
            ..good()
        };
        let errors = validate_row(raw, today()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].row, 7);
        assert_eq!(
            errors[0].message_zh,
            "“朝阳区”不是天津市的区。请填写区名（如“和平区”）或区划代码（如 120101）。"
        );
        assert!(
            errors[0]
                .message_en
                .starts_with("\"朝阳区\" is not a district of Tianjin.")
        );
    }
}
