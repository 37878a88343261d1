//! The employment security fund levy (残疾人就业保障金, DOMAIN.md §3–§4):
//! from an employer's declaration to the amount due, with a line of
//! explanation for every rule applied.
//!
//! The calculation is exact. Headcounts and counted employees are averages
//! over twelve months, so they are carried in twelfths (`N × 12`, `D × 12`)
//! and every quotient is kept as a fraction; the one division and the one
//! rounding happen when a value is reported. That matters at the edges the
//! policy cares about: a ratio of exactly 1% is decided by comparing
//! `D × 12` with `1% × N × 12`, never by comparing two rounded quotients.
//!
//! Every number of the policy comes from a [`PolicyPreset`]; this module
//! holds none. The wire types follow CONTRACT.md: [`Declaration`] is what
//! `ablework levy` reads and `POST /api/v1/levy/assessments` accepts, and
//! [`Assessment`] is what both answer.

use std::cmp::Ordering;
use std::fmt;
use std::ops::RangeInclusive;

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::ident::{CertificateNumber, DisabilityLevel};
use crate::lang::Lang;
use crate::policy::{self, PolicyPreset};

/// Months in the year over which headcounts are averaged.
const MONTHS_PER_YEAR: Decimal = Decimal::from_parts(12, 0, 0, false, 0);

/// Decimal places of the headcount, quotas and ratio in an assessment
/// (CONTRACT.md: `"required":"3.0000"`).
const REPORT_DECIMAL_PLACES: u32 = 4;

/// The entries of `monthly_headcount`: one for each month of the year.
const MONTHLY_ENTRIES: usize = 12;

/// The months a person or a seasonal worker may be counted for.
const MONTHS: RangeInclusive<i64> = 1..=12;

/// The ten grades of a disabled veteran's certificate (伤残等级 1–10).
const VETERAN_LEVELS: RangeInclusive<i64> = 1..=10;

/// Input limits that keep every product of the calculation far inside the
/// range of [`Decimal`], so no arithmetic can overflow on any accepted
/// declaration. They are sanity bounds, not policy: the largest employer in
/// China has about half a million staff.
pub(crate) const MAX_HEADCOUNT: Decimal = Decimal::from_parts(10_000_000, 0, 0, false, 0);
/// The largest average wage accepted, in CNY a year.
const MAX_WAGE: Decimal = Decimal::from_parts(100_000_000, 0, 0, false, 0);
/// The largest total wages accepted, in CNY a year (10¹⁵).
const MAX_TOTAL_WAGES: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);
/// The most seasonal-worker entries in one declaration.
const MAX_SEASONAL_ENTRIES: usize = 1_000;
/// The most disabled employees in one declaration.
const MAX_DISABLED_EMPLOYEES: usize = 100_000;

// ---- declaration (input) ---------------------------------------------------

/// The kind of employer, which decides whether the small-enterprise
/// exemption can apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployerKind {
    /// 企业: a company. Only enterprises can be exempt.
    Enterprise,
    /// 机关: a government agency.
    Agency,
    /// 事业单位: a public institution.
    Institution,
    /// 社会团体 and other social organisations.
    SocialOrg,
}

impl EmployerKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [EmployerKind; 4] = [
        EmployerKind::Enterprise,
        EmployerKind::Agency,
        EmployerKind::Institution,
        EmployerKind::SocialOrg,
    ];

    /// The stable code used in the API.
    pub fn code(self) -> &'static str {
        match self {
            EmployerKind::Enterprise => "enterprise",
            EmployerKind::Agency => "agency",
            EmployerKind::Institution => "institution",
            EmployerKind::SocialOrg => "social_org",
        }
    }

    /// The name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (EmployerKind::Enterprise, Lang::Zh) => "企业",
            (EmployerKind::Agency, Lang::Zh) => "机关",
            (EmployerKind::Institution, Lang::Zh) => "事业单位",
            (EmployerKind::SocialOrg, Lang::Zh) => "社会团体",
            (EmployerKind::Enterprise, Lang::En) => "Enterprise",
            (EmployerKind::Agency, Lang::En) => "Government agency",
            (EmployerKind::Institution, Lang::En) => "Public institution",
            (EmployerKind::SocialOrg, Lang::En) => "Social organisation",
        }
    }
}

/// Which certificate a disabled employee holds when no certificate number
/// is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployeeKind {
    /// A disability certificate (残疾人证), levels 1–4.
    Disability,
    /// A disabled veteran's certificate (残疾军人证), levels 1–10.
    Veteran,
}

/// Seasonal workers: `count` people employed for `months` months.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeasonalWorkers {
    /// How many people.
    #[serde(deserialize_with = "decimal")]
    pub count: Decimal,
    /// For how many months of the year (1–12).
    pub months: i64,
}

/// One disabled employee, given by certificate number or by kind and level.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisabledEmployee {
    /// The disability certificate number; category and level are read from it.
    #[serde(default)]
    pub certificate: Option<String>,
    /// The certificate kind, when no number is given.
    #[serde(default)]
    pub kind: Option<EmployeeKind>,
    /// The level, when no number is given: 1–4, or 1–10 for veterans.
    #[serde(default)]
    pub level: Option<i64>,
    /// Months of the year the person was employed and eligible (1–12).
    pub months: i64,
    /// Whether the person counts toward the quota (working age, contract
    /// of a year or more, paid at least the minimum wage, insured in full).
    /// `false` leaves the person out.
    #[serde(default = "eligible_by_default")]
    pub eligible: bool,
}

fn eligible_by_default() -> bool {
    true
}

/// An employer's levy declaration for one data year (CONTRACT.md, `levy`).
///
/// Exactly one of `average_headcount` and `monthly_headcount`, and exactly
/// one of `average_wage` and `total_wages`, must be given; [`assess`]
/// checks that and every other rule, reporting all problems at once.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// The policy preset's identifier; the default preset when absent.
    #[serde(default)]
    pub policy: Option<String>,
    /// The day of the declaration, which decides the tier and exemption
    /// windows. It is also the day certificate numbers are checked against.
    pub declared_on: NaiveDate,
    /// The kind of employer.
    pub employer_kind: EmployerKind,
    /// The average monthly in-service headcount of the year.
    #[serde(default, deserialize_with = "optional_decimal")]
    pub average_headcount: Option<Decimal>,
    /// The in-service headcount of each of the twelve months.
    #[serde(default, deserialize_with = "optional_decimal_list")]
    pub monthly_headcount: Option<Vec<Decimal>>,
    /// Seasonal workers, counted by the months they worked.
    #[serde(default)]
    pub seasonal: Vec<SeasonalWorkers>,
    /// The employer's average annual wage per employee.
    #[serde(default, deserialize_with = "optional_decimal")]
    pub average_wage: Option<Decimal>,
    /// The employer's total annual wages; the average is this divided by
    /// the headcount.
    #[serde(default, deserialize_with = "optional_decimal")]
    pub total_wages: Option<Decimal>,
    /// The local social average wage of the data year.
    #[serde(deserialize_with = "decimal")]
    pub social_average_wage: Decimal,
    /// The disabled employees.
    #[serde(default)]
    pub disabled_employees: Vec<DisabledEmployee>,
}

impl Declaration {
    /// Reads a declaration from any serde data format (the CLI passes a
    /// JSON reader, the API a parsed JSON value), so both report a field
    /// that does not fit in the same way: by its path, with a stable code.
    pub fn from_deserializer<'de, D>(deserializer: D) -> Result<Declaration, Vec<FieldError>>
    where
        D: Deserializer<'de>,
    {
        serde_path_to_error::deserialize(deserializer).map_err(|error| {
            vec![FieldError::from_serde(
                &error.path().to_string(),
                &error.inner().to_string(),
            )]
        })
    }
}

/// Reads a decimal written as a JSON string (`"80000.50"`) or number
/// (`80000.5`). Strings keep every digit; numbers are read from their
/// shortest decimal spelling, so `0.1` is exactly one tenth.
struct FlexibleDecimal(Decimal);

impl<'de> Deserialize<'de> for FlexibleDecimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FlexibleDecimalVisitor)
    }
}

struct FlexibleDecimalVisitor;

impl Visitor<'_> for FlexibleDecimalVisitor {
    type Value = FlexibleDecimal;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a decimal number, as a string or a number")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<FlexibleDecimal, E> {
        Ok(FlexibleDecimal(Decimal::from(value)))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<FlexibleDecimal, E> {
        Ok(FlexibleDecimal(Decimal::from(value)))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<FlexibleDecimal, E> {
        // `Display` of an `f64` is its shortest exact round-trip spelling,
        // which is what the sender wrote for any ordinary amount.
        Decimal::from_str_exact(&value.to_string())
            .map(FlexibleDecimal)
            .map_err(|_| E::invalid_value(de::Unexpected::Float(value), &self))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<FlexibleDecimal, E> {
        let trimmed = value.trim();
        // Only plain decimals: no exponent, no underscores, no sign but `-`.
        let plain = !trimmed.is_empty()
            && trimmed.bytes().enumerate().all(|(index, byte)| {
                byte.is_ascii_digit() || byte == b'.' || (byte == b'-' && index == 0)
            });
        plain
            .then(|| Decimal::from_str_exact(trimmed).ok())
            .flatten()
            .map(FlexibleDecimal)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(value), &self))
    }
}

fn decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    FlexibleDecimal::deserialize(deserializer).map(|value| value.0)
}

fn optional_decimal<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Decimal>, D::Error> {
    Option::<FlexibleDecimal>::deserialize(deserializer).map(|value| value.map(|value| value.0))
}

fn optional_decimal_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<Decimal>>, D::Error> {
    Option::<Vec<FlexibleDecimal>>::deserialize(deserializer)
        .map(|list| list.map(|list| list.into_iter().map(|value| value.0).collect()))
}

// ---- field errors ------------------------------------------------------------

/// One problem with a declaration: the JSON path of the field
/// (`disabled_employees[1].months`), a stable `snake_case` code and a
/// message in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field's JSON path.
    pub field: String,
    /// Stable code: `required`, `unknown_field`, `out_of_range`, `checksum`, …
    pub code: &'static str,
    /// What is wrong, in Chinese.
    pub message_zh: String,
    /// What is wrong, in English.
    pub message_en: String,
}

/// A [`FieldError`] in one language, as the CLI and the API print it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldErrorReport {
    /// The field's JSON path.
    pub field: String,
    /// Stable code.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
}

impl FieldError {
    /// A field error from its parts; the messages are full sentences.
    pub(crate) fn new(
        field: impl Into<String>,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            code,
            message_zh: zh.into(),
            message_en: en.into(),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.message_zh,
            Lang::En => &self.message_en,
        }
    }

    /// The error in one language.
    pub fn report(&self, lang: Lang) -> FieldErrorReport {
        FieldErrorReport {
            field: self.field.clone(),
            code: self.code,
            message: self.message(lang).to_owned(),
        }
    }

    /// Explains a deserialisation error at `path`. serde says which field
    /// is unknown or missing only in its message, and the path may or may
    /// not already end with that field's name, so both are read.
    fn from_serde(path: &str, detail: &str) -> FieldError {
        let detail = detail.split(" at line ").next().unwrap_or(detail);
        let named = |rest: &str| {
            let name = rest.split('`').next().unwrap_or_default();
            if path == "." || path.is_empty() {
                name.to_owned()
            } else if path == name || path.ends_with(&format!(".{name}")) {
                path.to_owned()
            } else {
                format!("{path}.{name}")
            }
        };
        if let Some(rest) = detail.strip_prefix("unknown field `") {
            let field = named(rest);
            return FieldError::new(
                &field,
                "unknown_field",
                format!("不认识的字段 {field}，请删除或改正。"),
                format!("{field} is not a field of a declaration: remove or correct it."),
            );
        }
        if let Some(rest) = detail.strip_prefix("missing field `") {
            let field = named(rest);
            return FieldError::new(&field, "required", "此项必填。", "This field is required.");
        }
        if let Some(rest) = detail.strip_prefix("unknown variant `") {
            // "unknown variant `x`, expected one of `a`, `b`": the value
            // found, then the accepted ones, each between backticks.
            let mut quoted = rest.split('`').step_by(2);
            let found = quoted.next().unwrap_or_default();
            let accepted: Vec<&str> = quoted.filter(|name| !name.is_empty()).collect();
            return FieldError::new(
                path,
                "unknown_value",
                format!("“{found}”不是可选的值；可选：{}。", accepted.join("、")),
                format!(
                    "\"{found}\" is not an accepted value; use one of: {}.",
                    accepted.join(", ")
                ),
            );
        }
        let (code, zh, en) = if detail.starts_with("invalid type:") {
            ("invalid_type", "类型不对", "Wrong type")
        } else {
            ("invalid_value", "取值无效", "Not valid")
        };
        FieldError::new(
            path,
            code,
            format!("{zh}：{detail}。"),
            format!("{en}: {detail}."),
        )
    }
}

// ---- validation --------------------------------------------------------------

/// How the headcount was given.
enum StaffInput {
    Average(Decimal),
    Monthly(Decimal),
}

/// How the wage was given.
enum WageInput {
    Average(Decimal),
    Total(Decimal),
}

/// A disabled employee as the calculation needs them.
struct CountedEmployee {
    /// 1, or the preset's double weight.
    weight: Decimal,
    months: Decimal,
    eligible: bool,
}

/// A declaration that passed every check against a preset.
struct Checked {
    staff: StaffInput,
    /// Σ seasonal count × months: seasonal workers in twelfths.
    seasonal_twelfths: Decimal,
    wage: WageInput,
    employees: Vec<CountedEmployee>,
}

/// Collects every problem so a person can fix the declaration in one go.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Checks a count or an amount: not negative and not absurdly large.
    /// The field's name is only spelled out when there is a problem, so a
    /// valid declaration is checked without building a string per field.
    fn amount(&mut self, field: impl fmt::Display, value: Decimal, max: Decimal) -> bool {
        if value.is_sign_negative() && !value.is_zero() {
            self.push(FieldError::new(
                field.to_string(),
                "negative",
                "不能为负数。",
                "This cannot be negative.",
            ));
            false
        } else if value > max {
            self.push(FieldError::new(
                field.to_string(),
                "too_large",
                format!("数值过大，不能超过 {max}。"),
                format!("This is too large: at most {max}."),
            ));
            false
        } else {
            true
        }
    }

    fn months(&mut self, field: impl fmt::Display, months: i64) -> bool {
        if MONTHS.contains(&months) {
            true
        } else {
            self.push(FieldError::new(
                field.to_string(),
                "out_of_range",
                format!("月数应为 1—12，现为 {months}。"),
                format!("The number of months must be 1 to 12; it is {months}."),
            ));
            false
        }
    }

    fn too_many(&mut self, field: &str, found: usize, max: usize) -> bool {
        if found > max {
            self.push(FieldError::new(
                field,
                "too_many",
                format!("最多 {max} 项，现有 {found} 项。"),
                format!("At most {max} entries are accepted; there are {found}."),
            ));
            false
        } else {
            true
        }
    }

    fn exactly_one(&mut self, first: &str, second: &str, found: usize) {
        if found == 0 {
            self.push(FieldError::new(
                first,
                "exactly_one",
                format!("请填写 {first} 或 {second}（二选一）。"),
                format!("Give either {first} or {second}."),
            ));
        } else {
            self.push(FieldError::new(
                second,
                "exactly_one",
                format!("{first} 与 {second} 只能填写一个。"),
                format!("Give only one of {first} and {second}."),
            ));
        }
    }
}

/// The built-in preset the declaration names, or the default one. An
/// unknown name is a problem with the `policy` field; the rest of the
/// declaration is then still checked, against the default preset, so every
/// problem is reported at once.
fn resolve_preset(declaration: &Declaration, problems: &mut Problems) -> PolicyPreset {
    let policy_id = declaration
        .policy
        .as_deref()
        .unwrap_or(policy::DEFAULT_PRESET_ID);
    policy::by_id(policy_id).unwrap_or_else(|| {
        let known: Vec<String> = policy::presets().into_iter().map(|p| p.id).collect();
        problems.push(FieldError::new(
            "policy",
            "unknown_policy",
            format!(
                "没有编号为“{policy_id}”的政策预设；可用的有：{}。",
                known.join("、")
            ),
            format!(
                "There is no policy preset \"{policy_id}\"; the presets are: {}.",
                known.join(", ")
            ),
        ));
        policy::default_preset()
    })
}

/// Checks every field of a declaration against `preset`, adding to the
/// problems already found (an unknown preset, say), and reports them all.
fn check(
    declaration: &Declaration,
    preset: &PolicyPreset,
    mut problems: Problems,
) -> Result<Checked, Vec<FieldError>> {
    let staff = check_staff(declaration, &mut problems);
    let seasonal_twelfths = check_seasonal(&declaration.seasonal, &mut problems);
    if let (Some(staff), Some(seasonal)) = (&staff, seasonal_twelfths) {
        let staff_twelfths = match staff {
            StaffInput::Average(average) => *average * MONTHS_PER_YEAR,
            StaffInput::Monthly(sum) => *sum,
        };
        if (staff_twelfths + seasonal).is_zero() {
            let field = match staff {
                StaffInput::Average(_) => "average_headcount",
                StaffInput::Monthly(_) => "monthly_headcount",
            };
            problems.push(FieldError::new(
                field,
                "not_positive",
                "在职职工人数必须大于 0。",
                "The headcount must be greater than 0.",
            ));
        }
    }
    let wage = check_wage(declaration, &mut problems);
    if problems.amount(
        "social_average_wage",
        declaration.social_average_wage,
        MAX_WAGE,
    ) && declaration.social_average_wage.is_zero()
    {
        problems.push(FieldError::new(
            "social_average_wage",
            "not_positive",
            "社会平均工资必须大于 0。",
            "The social average wage must be greater than 0.",
        ));
    }
    let employees = check_employees(declaration, preset, &mut problems);

    match (staff, seasonal_twelfths, wage) {
        (Some(staff), Some(seasonal_twelfths), Some(wage)) if problems.0.is_empty() => {
            Ok(Checked {
                staff,
                seasonal_twelfths,
                wage,
                employees,
            })
        }
        _ => Err(problems.0),
    }
}

fn check_staff(declaration: &Declaration, problems: &mut Problems) -> Option<StaffInput> {
    match (
        declaration.average_headcount,
        declaration.monthly_headcount.as_deref(),
    ) {
        (Some(average), None) => problems
            .amount("average_headcount", average, MAX_HEADCOUNT)
            .then_some(StaffInput::Average(average)),
        (None, Some(months)) => {
            let mut valid = true;
            if months.len() != MONTHLY_ENTRIES {
                problems.push(FieldError::new(
                    "monthly_headcount",
                    "length",
                    format!("应有 12 个月的人数，现有 {} 个。", months.len()),
                    format!(
                        "There must be a headcount for each of the 12 months; there are {}.",
                        months.len()
                    ),
                ));
                valid = false;
            }
            for (index, count) in months.iter().enumerate() {
                valid &= problems.amount(
                    format_args!("monthly_headcount[{index}]"),
                    *count,
                    MAX_HEADCOUNT,
                );
            }
            valid.then(|| StaffInput::Monthly(months.iter().sum()))
        }
        (average, monthly) => {
            let found = usize::from(average.is_some()) + usize::from(monthly.is_some());
            problems.exactly_one("average_headcount", "monthly_headcount", found);
            None
        }
    }
}

fn check_seasonal(seasonal: &[SeasonalWorkers], problems: &mut Problems) -> Option<Decimal> {
    if !problems.too_many("seasonal", seasonal.len(), MAX_SEASONAL_ENTRIES) {
        return None;
    }
    let mut valid = true;
    let mut twelfths = Decimal::ZERO;
    for (index, workers) in seasonal.iter().enumerate() {
        let count_ok = problems.amount(
            format_args!("seasonal[{index}].count"),
            workers.count,
            MAX_HEADCOUNT,
        );
        let months_ok = problems.months(format_args!("seasonal[{index}].months"), workers.months);
        if count_ok && months_ok {
            twelfths += workers.count * Decimal::from(workers.months);
        } else {
            valid = false;
        }
    }
    valid.then_some(twelfths)
}

fn check_wage(declaration: &Declaration, problems: &mut Problems) -> Option<WageInput> {
    match (declaration.average_wage, declaration.total_wages) {
        (Some(average), None) => problems
            .amount("average_wage", average, MAX_WAGE)
            .then_some(WageInput::Average(average)),
        (None, Some(total)) => problems
            .amount("total_wages", total, MAX_TOTAL_WAGES)
            .then_some(WageInput::Total(total)),
        (average, total) => {
            let found = usize::from(average.is_some()) + usize::from(total.is_some());
            problems.exactly_one("average_wage", "total_wages", found);
            None
        }
    }
}

fn check_employees(
    declaration: &Declaration,
    preset: &PolicyPreset,
    problems: &mut Problems,
) -> Vec<CountedEmployee> {
    let list = &declaration.disabled_employees;
    if !problems.too_many("disabled_employees", list.len(), MAX_DISABLED_EMPLOYEES) {
        return Vec::new();
    }
    let quota = &preset.quota;
    let mut counted = Vec::with_capacity(list.len());
    for (index, employee) in list.iter().enumerate() {
        let at = |name: &str| format!("disabled_employees[{index}].{name}");
        let months_ok = problems.months(
            format_args!("disabled_employees[{index}].months"),
            employee.months,
        );
        let double = match (&employee.certificate, employee.kind, employee.level) {
            (Some(number), None, None) => {
                // The certificate is checked as of the declaration day: a
                // holder cannot be born after the day they were declared.
                match CertificateNumber::parse(number, declaration.declared_on) {
                    Ok(certificate) => {
                        Some(certificate.level().get() <= quota.double_count_max_disability_level)
                    }
                    Err(errors) => {
                        for error in errors {
                            problems.push(FieldError::new(
                                at("certificate"),
                                error.code(),
                                error.message(Lang::Zh),
                                error.message(Lang::En),
                            ));
                        }
                        None
                    }
                }
            }
            (Some(_), _, _) => {
                problems.push(FieldError::new(
                    at("certificate"),
                    "exactly_one",
                    "请填写残疾证号，或者填写类别（kind）和等级（level），不能同时填写。",
                    "Give either a certificate number or a kind and a level, not both.",
                ));
                None
            }
            (None, None, _) => {
                problems.push(FieldError::new(
                    at("certificate"),
                    "required",
                    "请填写残疾证号，或者填写类别（kind）和等级（level）。",
                    "Give a certificate number, or a kind and a level.",
                ));
                None
            }
            (None, Some(_), None) => {
                problems.push(FieldError::new(
                    at("level"),
                    "required",
                    "此项必填。",
                    "This field is required.",
                ));
                None
            }
            (None, Some(EmployeeKind::Disability), Some(level)) => {
                let valid = u8::try_from(level).ok().and_then(DisabilityLevel::new);
                if valid.is_none() {
                    problems.push(FieldError::new(
                        at("level"),
                        "out_of_range",
                        format!("残疾等级应为 1—4 级，现为 {level}。"),
                        format!("A disability level must be 1 to 4; it is {level}."),
                    ));
                }
                valid.map(|valid| valid.get() <= quota.double_count_max_disability_level)
            }
            (None, Some(EmployeeKind::Veteran), Some(level)) => {
                if VETERAN_LEVELS.contains(&level) {
                    Some(level <= i64::from(quota.double_count_max_veteran_level))
                } else {
                    problems.push(FieldError::new(
                        at("level"),
                        "out_of_range",
                        format!("残疾军人伤残等级应为 1—10 级，现为 {level}。"),
                        format!("A disabled veteran's level must be 1 to 10; it is {level}."),
                    ));
                    None
                }
            }
        };
        if let (true, Some(double)) = (months_ok, double) {
            counted.push(CountedEmployee {
                weight: if double {
                    quota.double_weight
                } else {
                    Decimal::ONE
                },
                months: Decimal::from(employee.months),
                eligible: employee.eligible,
            });
        }
    }
    counted
}

// ---- calculation ---------------------------------------------------------------

/// A non-negative quantity kept as `numerator / denominator` so that no
/// division happens before the value is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fraction {
    numerator: Decimal,
    /// Always greater than zero.
    denominator: Decimal,
}

impl Fraction {
    fn whole(value: Decimal) -> Fraction {
        Fraction {
            numerator: value,
            denominator: Decimal::ONE,
        }
    }

    fn twelfths(value: Decimal) -> Fraction {
        Fraction {
            numerator: value,
            denominator: MONTHS_PER_YEAR,
        }
    }

    fn times(self, other: Fraction) -> Fraction {
        Fraction {
            numerator: self.numerator * other.numerator,
            denominator: self.denominator * other.denominator,
        }
    }

    /// Compares the values (not the spellings) of two fractions. Both
    /// denominators are positive, so cross-multiplying keeps the order.
    fn compare(self, other: Fraction) -> Ordering {
        (self.numerator * other.denominator).cmp(&(other.numerator * self.denominator))
    }

    /// The value rounded half-up to `places` decimal places. The quotient
    /// carries 28 significant digits, so it can only land on the wrong side
    /// of a rounding midpoint if the exact value is that midpoint, and then
    /// the quotient is exact.
    fn round(self, places: u32) -> Decimal {
        let mut value = (self.numerator / self.denominator)
            .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
        value.rescale(places);
        value
    }

    /// The smallest whole number at least the value. The quotient is only
    /// a first guess, since it may be rounded in its last digit; the guess
    /// is then corrected by exact comparison with the fraction itself.
    fn ceil(self) -> Decimal {
        let mut whole = (self.numerator / self.denominator).ceil();
        while whole > Decimal::ZERO && (whole - Decimal::ONE) * self.denominator >= self.numerator {
            whole -= Decimal::ONE;
        }
        while whole * self.denominator < self.numerator {
            whole += Decimal::ONE;
        }
        whole
    }
}

/// One rule applied in an assessment, with the numbers it used, as values
/// rather than text: a stable code (the serde tag) and parameters, shown to
/// people by [`Explanation::text`] in either language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Explanation {
    /// The policy preset used.
    Policy {
        /// Identifier.
        id: String,
        /// Chinese name.
        name_zh: String,
        /// English name.
        name_en: String,
        /// Version.
        version: u32,
    },
    /// N = average monthly staff + seasonal workers × months ÷ 12.
    Headcount {
        /// Average monthly in-service staff.
        staff: Decimal,
        /// Seasonal workers converted to a year.
        seasonal: Decimal,
        /// N.
        headcount: Decimal,
    },
    /// R = N × rate.
    Required {
        /// The quota rate in percent.
        rate_percent: Decimal,
        /// R.
        required: Decimal,
    },
    /// D = Σ weight × months ÷ 12 over eligible disabled employees.
    Counted {
        /// D.
        counted: Decimal,
        /// Eligible employees counted.
        employees: usize,
        /// Of them, counted with the double weight.
        double_weighted: usize,
        /// The double weight.
        weight: Decimal,
        /// Disability levels up to this one are double-weighted.
        max_disability_level: u8,
        /// Veteran levels up to this one are double-weighted.
        max_veteran_level: u8,
        /// Declared but not eligible, so left out.
        excluded: usize,
    },
    /// G = max(0, R − D).
    Shortfall {
        /// G.
        shortfall: Decimal,
    },
    /// ratio = D ÷ N.
    Ratio {
        /// The ratio.
        ratio: Decimal,
        /// The ratio in percent.
        percent: Decimal,
    },
    /// Wc = min(W, cap × S).
    Wage {
        /// The total wages, when the average was derived from them.
        total_wages: Option<Decimal>,
        /// W.
        average_wage: Decimal,
        /// The cap multiple.
        cap_multiple: Decimal,
        /// S.
        social_average_wage: Decimal,
        /// cap × S.
        cap: Decimal,
        /// Wc.
        wage_used: Decimal,
        /// Whether W exceeded the cap.
        capped: bool,
    },
    /// A small enterprise declaring in the exemption window pays nothing.
    Exempt {
        /// The largest headcount exempted.
        max_headcount: Decimal,
        /// The window's first day.
        from: NaiveDate,
        /// The window's last day.
        to: NaiveDate,
    },
    /// D ≥ R: nothing is due.
    QuotaMet,
    /// Declared in the tier window: a share of the full levy is due.
    Tier {
        /// Whether the ratio reached the threshold.
        at_or_above: bool,
        /// The threshold in percent.
        threshold_percent: Decimal,
        /// The factor applied.
        factor: Decimal,
        /// The window's first day.
        from: NaiveDate,
        /// The window's last day.
        to: NaiveDate,
    },
    /// Declared outside the tier window: the full levy is due.
    FullLevy {
        /// The tier window's first day.
        from: NaiveDate,
        /// The tier window's last day.
        to: NaiveDate,
    },
    /// levy = G × Wc × factor.
    Levy {
        /// G.
        shortfall: Decimal,
        /// Wc.
        wage_used: Decimal,
        /// The factor.
        factor: Decimal,
        /// The levy.
        levy: Decimal,
    },
    /// Nothing is due.
    NoLevy {
        /// The levy (zero).
        levy: Decimal,
    },
}

impl Explanation {
    /// The stable code of the rule.
    pub fn code(&self) -> &'static str {
        match self {
            Explanation::Policy { .. } => "policy",
            Explanation::Headcount { .. } => "headcount",
            Explanation::Required { .. } => "required",
            Explanation::Counted { .. } => "counted",
            Explanation::Shortfall { .. } => "shortfall",
            Explanation::Ratio { .. } => "ratio",
            Explanation::Wage { .. } => "wage",
            Explanation::Exempt { .. } => "exempt",
            Explanation::QuotaMet => "quota_met",
            Explanation::Tier { .. } => "tier",
            Explanation::FullLevy { .. } => "full_levy",
            Explanation::Levy { .. } => "levy",
            Explanation::NoLevy { .. } => "no_levy",
        }
    }

    /// The line for people, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.text_zh(),
            Lang::En => self.text_en(),
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one arm per rule; the sentences read best side by side"
    )]
    fn text_zh(&self) -> String {
        match self {
            Explanation::Policy {
                id,
                name_zh,
                version,
                ..
            } => format!("适用政策：{name_zh}（{id}，第 {version} 版）。"),
            Explanation::Headcount {
                staff,
                seasonal,
                headcount,
            } => {
                if seasonal.is_zero() {
                    format!("在职职工人数 N = 月平均在职职工人数 {headcount}。")
                } else {
                    format!(
                        "在职职工人数 N = 月平均在职职工人数 {staff} + 季节性用工折算 {seasonal}（人数 × 月数 ÷ 12）= {headcount}。"
                    )
                }
            }
            Explanation::Required {
                rate_percent,
                required,
            } => format!("应安排残疾人就业人数 R = N × {rate_percent}% = {required}。"),
            Explanation::Counted {
                counted,
                employees,
                double_weighted,
                weight,
                max_disability_level,
                max_veteran_level,
                excluded,
            } => {
                if *employees == 0 && *excluded == 0 {
                    format!("未申报残疾人职工，已安排人数 D = {counted}。")
                } else {
                    format!(
                        "已安排残疾人就业人数 D = Σ 权重 × 月数 ÷ 12 = {counted}：计入 {employees} 人，其中 {double_weighted} 人按 {weight} 人计算\
                         （残疾等级 1—{max_disability_level} 级、残疾军人伤残等级 1—{max_veteran_level} 级）；{excluded} 人不符合条件，未计入。"
                    )
                }
            }
            Explanation::Shortfall { shortfall } => {
                format!("差额 G = max(0, R − D) = {shortfall}。")
            }
            Explanation::Ratio { ratio, percent } => {
                format!("安排比例 D ÷ N = {ratio}（{percent}%）。")
            }
            Explanation::Wage {
                total_wages,
                average_wage,
                cap_multiple,
                social_average_wage,
                cap,
                wage_used,
                capped,
            } => {
                let average = match total_wages {
                    Some(total) => {
                        format!("职工年平均工资 W = 工资总额 {total} ÷ N = {average_wage}")
                    }
                    None => format!("职工年平均工资 W = {average_wage}"),
                };
                let note = if *capped {
                    "；W 超过上限，按上限计算"
                } else {
                    ""
                };
                format!(
                    "{average}；计征工资 Wc = min(W, {cap_multiple} × 社会平均工资 {social_average_wage} = {cap}) = {wage_used}{note}。"
                )
            }
            Explanation::Exempt {
                max_headcount,
                from,
                to,
            } => format!(
                "企业在职职工人数不超过 {max_headcount} 人，且在 {from} 至 {to} 期间申报：暂免征收保障金。"
            ),
            Explanation::QuotaMet => "D ≥ R：已达到规定比例，无需缴纳保障金。".to_owned(),
            Explanation::Tier {
                at_or_above,
                threshold_percent,
                factor,
                from,
                to,
            } => {
                let reached = if *at_or_above { "达到" } else { "低于" };
                format!(
                    "在 {from} 至 {to} 分档征收期内申报，安排比例{reached} {threshold_percent}%：按应缴额乘以系数 {factor} 征收。"
                )
            }
            Explanation::FullLevy { from, to } => {
                format!("申报日期不在 {from} 至 {to} 分档征收期内：全额征收。")
            }
            Explanation::Levy {
                shortfall,
                wage_used,
                factor,
                levy,
            } => format!(
                "保障金 = G × Wc × 系数 = {shortfall} × {wage_used} × {factor} = {levy} 元。"
            ),
            Explanation::NoLevy { levy } => format!("应缴保障金 {levy} 元。"),
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one arm per rule; the sentences read best side by side"
    )]
    fn text_en(&self) -> String {
        match self {
            Explanation::Policy {
                id,
                name_en,
                version,
                ..
            } => format!("Policy: {name_en} ({id}, version {version})."),
            Explanation::Headcount {
                staff,
                seasonal,
                headcount,
            } => {
                if seasonal.is_zero() {
                    format!("Headcount N = average monthly staff {headcount}.")
                } else {
                    format!(
                        "Headcount N = average monthly staff {staff} + seasonal workers {seasonal} (count × months ÷ 12) = {headcount}."
                    )
                }
            }
            Explanation::Required {
                rate_percent,
                required,
            } => format!("Required R = N × {rate_percent}% = {required}."),
            Explanation::Counted {
                counted,
                employees,
                double_weighted,
                weight,
                max_disability_level,
                max_veteran_level,
                excluded,
            } => {
                if *employees == 0 && *excluded == 0 {
                    format!("No disabled employees were declared: D = {counted}.")
                } else {
                    format!(
                        "Counted D = Σ weight × months ÷ 12 = {counted}: {employees} employees counted, {double_weighted} of them as {weight} people each \
                         (disability levels 1–{max_disability_level}, veteran levels 1–{max_veteran_level}); {excluded} not eligible and left out."
                    )
                }
            }
            Explanation::Shortfall { shortfall } => {
                format!("Shortfall G = max(0, R − D) = {shortfall}.")
            }
            Explanation::Ratio { ratio, percent } => {
                format!("Ratio D ÷ N = {ratio} ({percent}%).")
            }
            Explanation::Wage {
                total_wages,
                average_wage,
                cap_multiple,
                social_average_wage,
                cap,
                wage_used,
                capped,
            } => {
                let average = match total_wages {
                    Some(total) => {
                        format!("Average wage W = total wages {total} ÷ N = {average_wage}")
                    }
                    None => format!("Average wage W = {average_wage}"),
                };
                let note = if *capped {
                    "; W is above the cap, so the cap is used"
                } else {
                    ""
                };
                format!(
                    "{average}; wage used Wc = min(W, {cap_multiple} × social average wage {social_average_wage} = {cap}) = {wage_used}{note}."
                )
            }
            Explanation::Exempt {
                max_headcount,
                from,
                to,
            } => format!(
                "An enterprise with at most {max_headcount} staff declaring between {from} and {to} is exempt from the levy."
            ),
            Explanation::QuotaMet => "D ≥ R: the quota is met, so no levy is due.".to_owned(),
            Explanation::Tier {
                at_or_above,
                threshold_percent,
                factor,
                from,
                to,
            } => {
                let reached = if *at_or_above { "at least" } else { "below" };
                format!(
                    "Declared in the tier window ({from} to {to}) with a ratio {reached} {threshold_percent}%: the full levy is multiplied by {factor}."
                )
            }
            Explanation::FullLevy { from, to } => {
                format!("Declared outside the tier window ({from} to {to}): the full levy is due.")
            }
            Explanation::Levy {
                shortfall,
                wage_used,
                factor,
                levy,
            } => format!(
                "Levy = G × Wc × factor = {shortfall} × {wage_used} × {factor} = {levy} CNY."
            ),
            Explanation::NoLevy { levy } => format!("Levy due: {levy} CNY."),
        }
    }
}

/// The exact outcome of a levy assessment. Quantities are held exactly;
/// the accessors and [`Calculation::assessment`] round them for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calculation {
    policy_id: String,
    policy_version: u32,
    money_places: u32,
    headcount: Fraction,
    required: Fraction,
    counted: Fraction,
    shortfall: Fraction,
    ratio: Fraction,
    wage_used: Fraction,
    factor: Decimal,
    exempt: bool,
    levy: Fraction,
    explanation: Vec<Explanation>,
}

impl Calculation {
    /// The levy, rounded half-up to the preset's money places.
    pub fn levy(&self) -> Decimal {
        self.levy.round(self.money_places)
    }

    /// The headcount N, rounded half-up to four places.
    pub fn headcount(&self) -> Decimal {
        self.headcount.round(REPORT_DECIMAL_PLACES)
    }

    /// The required number of disabled employees R = N × rate, rounded
    /// half-up to four places.
    pub fn required(&self) -> Decimal {
        self.required.round(REPORT_DECIMAL_PLACES)
    }

    /// The counted disabled employees D, rounded half-up to four places.
    pub fn counted(&self) -> Decimal {
        self.counted.round(REPORT_DECIMAL_PLACES)
    }

    /// The shortfall G = max(0, R − D), rounded half-up to four places.
    pub fn shortfall(&self) -> Decimal {
        self.shortfall.round(REPORT_DECIMAL_PLACES)
    }

    /// The ratio D ÷ N, rounded half-up to four places.
    pub fn ratio(&self) -> Decimal {
        self.ratio.round(REPORT_DECIMAL_PLACES)
    }

    /// The wage used Wc = min(W, cap × S), rounded half-up to the preset's
    /// money places.
    pub fn wage_used(&self) -> Decimal {
        self.wage_used.round(self.money_places)
    }

    /// The identifier of the policy preset assessed under.
    pub fn policy_id(&self) -> &str {
        &self.policy_id
    }

    /// The version of the policy preset assessed under.
    pub fn policy_version(&self) -> u32 {
        self.policy_version
    }

    /// How many more disabled employees, each counted once and employed
    /// all year, would bring D up to R: the shortfall G rounded up to a
    /// whole person, and 0 when the quota is met. This is what an employer
    /// is shown as "hire N people". The headcount N is taken as declared,
    /// as if the people filled posts already counted in it. A shortfall
    /// beyond `u32::MAX` (never on an accepted declaration of a real
    /// employer) is reported as `u32::MAX`.
    pub fn shortfall_people(&self) -> u32 {
        self.shortfall.ceil().to_u32().unwrap_or(u32::MAX)
    }

    /// Whether the small-enterprise exemption applied.
    pub fn exempt(&self) -> bool {
        self.exempt
    }

    /// The factor applied to the full levy: a tier factor, 1 outside the
    /// tier window, or 0 when nothing is due.
    pub fn factor(&self) -> Decimal {
        self.factor
    }

    /// Whether the employer meets its quota (D ≥ R), compared exactly.
    pub fn meets_quota(&self) -> bool {
        self.counted.compare(self.required) != Ordering::Less
    }

    /// Every rule applied, in order.
    pub fn explanation(&self) -> &[Explanation] {
        &self.explanation
    }

    /// The assessment as CONTRACT.md prints it, explained in `lang`.
    pub fn assessment(&self, lang: Lang) -> Assessment {
        Assessment {
            headcount: self.headcount().normalize().to_string(),
            required: self.required().to_string(),
            counted: self.counted().to_string(),
            shortfall: self.shortfall().to_string(),
            ratio: self.ratio().to_string(),
            wage_used: self.wage_used().to_string(),
            factor: self.factor.normalize().to_string(),
            exempt: self.exempt,
            levy: self.levy().to_string(),
            explanation: self
                .explanation
                .iter()
                .map(|line| line.text(lang))
                .collect(),
            policy: self.policy_id.clone(),
            policy_version: self.policy_version,
        }
    }
}

/// The assessment as CONTRACT.md defines it. The field order is part of
/// the contract: numbers are strings, quantities to four places, money to
/// the preset's places, the headcount without trailing zeros.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// N, e.g. `"200"`.
    pub headcount: String,
    /// R, e.g. `"3.0000"`.
    pub required: String,
    /// D.
    pub counted: String,
    /// G.
    pub shortfall: String,
    /// D ÷ N.
    pub ratio: String,
    /// Wc, e.g. `"80000.00"`.
    pub wage_used: String,
    /// `"0.9"`, `"0.5"`, `"1"` or `"0"`.
    pub factor: String,
    /// Whether the small-enterprise exemption applied.
    pub exempt: bool,
    /// The levy, e.g. `"108000.00"`.
    pub levy: String,
    /// One line per rule applied, in the requested language.
    pub explanation: Vec<String>,
    /// The policy preset's identifier.
    pub policy: String,
    /// The policy preset's version.
    pub policy_version: u32,
}

/// Assesses a declaration under the built-in preset it names (or the
/// default one). Every problem with the declaration is reported at once; a
/// preset that does not exist is a problem with the `policy` field.
pub fn assess(declaration: &Declaration) -> Result<Calculation, Vec<FieldError>> {
    let mut problems = Problems::default();
    let preset = resolve_preset(declaration, &mut problems);
    let checked = check(declaration, &preset, problems)?;
    Ok(calculate(declaration, &preset, &checked))
}

/// Assesses a declaration under a preset the caller has already resolved,
/// such as one an administrator created and the database holds. The
/// declaration's `policy` field is ignored: the caller chose the preset.
/// Every problem with the declaration is reported at once.
///
/// The preset should be one that passes [`PolicyPreset::validate`]: its
/// bounds are what keep every product of the calculation inside the range
/// of [`Decimal`] for every declaration this module accepts.
pub fn assess_with(
    declaration: &Declaration,
    preset: &PolicyPreset,
) -> Result<Calculation, Vec<FieldError>> {
    let checked = check(declaration, preset, Problems::default())?;
    Ok(calculate(declaration, preset, &checked))
}

#[expect(
    clippy::too_many_lines,
    reason = "the calculation reads top to bottom in the order of DOMAIN.md §3–§4"
)]
fn calculate(declaration: &Declaration, preset: &PolicyPreset, checked: &Checked) -> Calculation {
    let quota = &preset.quota;
    let rules = &preset.levy;
    let places = rules.money_decimal_places;
    let report = |value: Fraction| value.round(REPORT_DECIMAL_PLACES);
    let percent = |value: Decimal| (value * Decimal::ONE_HUNDRED).normalize();

    // N × 12 and D × 12: sums of people × months, exact.
    let staff_twelfths = match checked.staff {
        StaffInput::Average(average) => average * MONTHS_PER_YEAR,
        StaffInput::Monthly(sum) => sum,
    };
    let headcount_twelfths = staff_twelfths + checked.seasonal_twelfths;
    let counted_twelfths: Decimal = checked
        .employees
        .iter()
        .filter(|employee| employee.eligible)
        .map(|employee| employee.weight * employee.months)
        .sum();
    let required_twelfths = headcount_twelfths * quota.rate;
    let shortfall_twelfths = (required_twelfths - counted_twelfths).max(Decimal::ZERO);

    let headcount = Fraction::twelfths(headcount_twelfths);
    let required = Fraction::twelfths(required_twelfths);
    let counted = Fraction::twelfths(counted_twelfths);
    let shortfall = Fraction::twelfths(shortfall_twelfths);
    let ratio = Fraction {
        numerator: counted_twelfths,
        denominator: headcount_twelfths,
    };

    let (average_wage, total_wages) = match checked.wage {
        WageInput::Average(average) => (Fraction::whole(average), None),
        // W = total ÷ N = total × 12 ÷ (N × 12).
        WageInput::Total(total) => (
            Fraction {
                numerator: total * MONTHS_PER_YEAR,
                denominator: headcount_twelfths,
            },
            Some(total),
        ),
    };
    let cap = rules.wage_cap_multiple * declaration.social_average_wage;
    let capped = average_wage.compare(Fraction::whole(cap)) == Ordering::Greater;
    let wage_used = if capped {
        Fraction::whole(cap)
    } else {
        average_wage
    };

    let counted_eligible = checked.employees.iter().filter(|e| e.eligible);
    let mut explanation = vec![
        Explanation::Policy {
            id: preset.id.clone(),
            name_zh: preset.name_zh.clone(),
            name_en: preset.name_en.clone(),
            version: preset.version,
        },
        Explanation::Headcount {
            staff: report(Fraction::twelfths(staff_twelfths)).normalize(),
            seasonal: report(Fraction::twelfths(checked.seasonal_twelfths)).normalize(),
            headcount: report(headcount).normalize(),
        },
        Explanation::Required {
            rate_percent: percent(quota.rate),
            required: report(required),
        },
        Explanation::Counted {
            counted: report(counted),
            employees: counted_eligible.clone().count(),
            double_weighted: counted_eligible
                .filter(|employee| employee.weight != Decimal::ONE)
                .count(),
            weight: quota.double_weight.normalize(),
            max_disability_level: quota.double_count_max_disability_level,
            max_veteran_level: quota.double_count_max_veteran_level,
            excluded: checked.employees.iter().filter(|e| !e.eligible).count(),
        },
        Explanation::Shortfall {
            shortfall: report(shortfall),
        },
        Explanation::Ratio {
            ratio: report(ratio),
            percent: (ratio.round(REPORT_DECIMAL_PLACES + 2) * Decimal::ONE_HUNDRED).normalize(),
        },
        Explanation::Wage {
            total_wages,
            average_wage: average_wage.round(places),
            cap_multiple: rules.wage_cap_multiple.normalize(),
            social_average_wage: declaration.social_average_wage,
            cap: Fraction::whole(cap).round(places),
            wage_used: wage_used.round(places),
            capped,
        },
    ];

    let exempt = declaration.employer_kind == EmployerKind::Enterprise
        && headcount_twelfths <= rules.small_enterprise_max_headcount * MONTHS_PER_YEAR
        && rules.exemption_window.contains(declaration.declared_on);
    let factor = if exempt {
        explanation.push(Explanation::Exempt {
            max_headcount: rules.small_enterprise_max_headcount.normalize(),
            from: rules.exemption_window.from,
            to: rules.exemption_window.to,
        });
        Decimal::ZERO
    } else if shortfall_twelfths.is_zero() {
        explanation.push(Explanation::QuotaMet);
        Decimal::ZERO
    } else if rules.tier_window.contains(declaration.declared_on) {
        // D ÷ N ≥ threshold, compared without dividing.
        let at_or_above = counted_twelfths >= rules.tier_threshold_ratio * headcount_twelfths;
        let factor = if at_or_above {
            rules.tier_factor_at_or_above
        } else {
            rules.tier_factor_below
        };
        explanation.push(Explanation::Tier {
            at_or_above,
            threshold_percent: percent(rules.tier_threshold_ratio),
            factor: factor.normalize(),
            from: rules.tier_window.from,
            to: rules.tier_window.to,
        });
        factor
    } else {
        explanation.push(Explanation::FullLevy {
            from: rules.tier_window.from,
            to: rules.tier_window.to,
        });
        Decimal::ONE
    };

    let levy = shortfall.times(wage_used).times(Fraction::whole(factor));
    if factor.is_zero() {
        explanation.push(Explanation::NoLevy {
            levy: levy.round(places),
        });
    } else {
        explanation.push(Explanation::Levy {
            shortfall: report(shortfall),
            wage_used: wage_used.round(places),
            factor: factor.normalize(),
            levy: levy.round(places),
        });
    }

    Calculation {
        policy_id: preset.id.clone(),
        policy_version: preset.version,
        money_places: places,
        headcount,
        required,
        counted,
        shortfall,
        ratio,
        wage_used,
        factor,
        exempt,
        levy,
        explanation,
    }
}

#[cfg(test)]
pub(crate) mod properties;

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use serde_json::{Value, json};

    use super::*;

    fn parse(value: &Value) -> Result<Declaration, Vec<FieldError>> {
        Declaration::from_deserializer(value)
    }

    fn assess_json(value: &Value) -> Calculation {
        let declaration = parse(value).unwrap_or_else(|errors| panic!("{value}: {errors:?}"));
        assess(&declaration).unwrap_or_else(|errors| panic!("{value}: {errors:?}"))
    }

    fn assessment_json(value: &Value, lang: Lang) -> Value {
        serde_json::to_value(assess_json(value).assessment(lang)).unwrap()
    }

    /// The problems with a declaration, as (field, code) pairs.
    fn problems(value: &Value) -> Vec<(String, &'static str)> {
        let errors = match parse(value) {
            Ok(declaration) => match assess(&declaration) {
                Ok(_) => panic!("{value} was accepted"),
                Err(errors) => errors,
            },
            Err(errors) => errors,
        };
        for error in &errors {
            assert!(error.message_zh.ends_with('。'), "{error:?}");
            assert!(error.message_en.ends_with('.'), "{error:?}");
        }
        errors
            .into_iter()
            .map(|error| (error.field, error.code))
            .collect()
    }

    fn disability(level: u8, months: u8) -> Value {
        json!({"kind": "disability", "level": level, "months": months})
    }

    /// A declaration in 2024 with S = 100,000, as in DOMAIN.md §4.
    fn declaration(kind: &str, headcount: u32, wage: u32, employees: &[Value]) -> Value {
        json!({
            "declared_on": "2024-06-30",
            "employer_kind": kind,
            "average_headcount": headcount.to_string(),
            "average_wage": wage,
            "social_average_wage": "100000",
            "disabled_employees": employees,
        })
    }

    /// The contract's example, without its seasonal workers.
    fn contract_example_without_seasonal() -> Value {
        json!({
            "policy": "tianjin-2022-2024",
            "declared_on": "2024-06-30",
            "employer_kind": "enterprise",
            "average_headcount": "200",
            "average_wage": "80000",
            "social_average_wage": "100000",
            "disabled_employees": [
                {"certificate": "12010119900307123543", "months": 12},
                {"kind": "veteran", "level": 2, "months": 3}
            ]
        })
    }

    #[test]
    #[expect(
        clippy::too_many_lines,
        reason = "one row per worked example of DOMAIN.md §4"
    )]
    fn every_worked_example_of_the_domain_rules() {
        // (case, declaration, N, D, factor, exempt, levy)
        let cases = [
            (
                "level-3 all year + level-2 from 1 October",
                declaration(
                    "enterprise",
                    200,
                    80_000,
                    &[disability(3, 12), disability(2, 3)],
                ),
                "200",
                "1.5000",
                "0.9",
                false,
                "108000.00",
            ),
            (
                "two level-1 all year + level-4 six months",
                declaration(
                    "enterprise",
                    400,
                    250_000,
                    &[disability(1, 12), disability(1, 12), disability(4, 6)],
                ),
                "400",
                "4.5000",
                "0.5",
                false,
                "150000.00",
            ),
            (
                "enterprise, 28 staff",
                declaration("enterprise", 28, 90_000, &[]),
                "28",
                "0.0000",
                "0",
                true,
                "0.00",
            ),
            (
                "public institution, 28 staff",
                declaration("institution", 28, 90_000, &[]),
                "28",
                "0.0000",
                "0.9",
                false,
                "34020.00",
            ),
            (
                "one level-2 all year",
                declaration("enterprise", 120, 75_000, &[disability(2, 12)]),
                "120",
                "2.0000",
                "0",
                false,
                "0.00",
            ),
            (
                "150 staff + 40 seasonal × 6 months",
                {
                    let mut value = declaration("enterprise", 150, 60_000, &[]);
                    value["seasonal"] = json!([{"count": 40, "months": 6}]);
                    value
                },
                "170",
                "0.0000",
                "0.9",
                false,
                "137700.00",
            ),
            (
                "ratio exactly 1%",
                declaration(
                    "enterprise",
                    300,
                    100_000,
                    &[disability(3, 12), disability(4, 12), disability(3, 12)],
                ),
                "300",
                "3.0000",
                "0.5",
                false,
                "75000.00",
            ),
            (
                "enterprise, 31 staff",
                declaration("enterprise", 31, 70_000, &[]),
                "31",
                "0.0000",
                "0.9",
                false,
                "29295.00",
            ),
        ];
        for (case, input, headcount, counted, factor, exempt, levy) in cases {
            let output = assessment_json(&input, Lang::En);
            assert_eq!(output["headcount"], headcount, "{case}");
            assert_eq!(output["counted"], counted, "{case}");
            assert_eq!(output["factor"], factor, "{case}");
            assert_eq!(output["exempt"], exempt, "{case}");
            assert_eq!(output["levy"], levy, "{case}");
        }
    }

    #[test]
    fn assessing_with_a_resolved_preset_ignores_the_policy_field() {
        let mut input = contract_example_without_seasonal();
        input["policy"] = json!("tianjin-2025-draft");
        let declaration = parse(&input).unwrap();
        // `assess` does not know the preset; the caller of `assess_with` does.
        assert_eq!(assess(&declaration).unwrap_err()[0].code, "unknown_policy");
        let mut preset = policy::default_preset();
        preset.id = "tianjin-2025-draft".to_owned();
        preset.version = 3;
        preset.quota.rate = Decimal::new(17, 3);
        let calculation = assess_with(&declaration, &preset).unwrap();
        assert_eq!(calculation.policy_id(), "tianjin-2025-draft");
        assert_eq!(calculation.policy_version(), 3);
        // R = 200 × 1.7% = 3.4; G = 1.9; 1.9 × 80,000 × 0.9.
        assert_eq!(calculation.required().to_string(), "3.4000");
        assert_eq!(calculation.levy().to_string(), "136800.00");
        // The preset named in the declaration does not matter either way.
        input["policy"] = json!("tianjin-2022-2024");
        let named = parse(&input).unwrap();
        assert_eq!(assess_with(&named, &preset).unwrap(), calculation);
        // Problems with the declaration are still reported, all at once.
        input["average_headcount"] = json!("-1");
        input["social_average_wage"] = json!(0);
        let errors = assess_with(&parse(&input).unwrap(), &preset).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["average_headcount", "social_average_wage"]);
    }

    #[test]
    fn the_accessors_round_like_the_assessment() {
        let calculation = assess_json(&contract_example_without_seasonal());
        let output = calculation.assessment(Lang::En);
        assert_eq!(calculation.required().to_string(), output.required);
        assert_eq!(calculation.counted().to_string(), output.counted);
        assert_eq!(calculation.shortfall().to_string(), output.shortfall);
        assert_eq!(calculation.ratio().to_string(), output.ratio);
        assert_eq!(calculation.wage_used().to_string(), output.wage_used);
        assert_eq!(calculation.policy_id(), output.policy);
        assert_eq!(calculation.policy_version(), output.policy_version);
        assert_eq!(calculation.ratio().to_string(), "0.0075");
        assert_eq!(calculation.wage_used().to_string(), "80000.00");
    }

    #[test]
    fn the_shortfall_in_people_is_rounded_up() {
        // (declaration, G, people)
        let cases = [
            // G = 1.5: two more people.
            (
                declaration(
                    "enterprise",
                    200,
                    80_000,
                    &[disability(3, 12), disability(2, 3)],
                ),
                "1.5000",
                2,
            ),
            // Meets the quota.
            (
                declaration("enterprise", 120, 75_000, &[disability(2, 12)]),
                "0.0000",
                0,
            ),
            // G = 3 exactly: three, not four.
            (declaration("institution", 200, 90_000, &[]), "3.0000", 3),
            // G = 0.42: one person.
            (declaration("enterprise", 28, 90_000, &[]), "0.4200", 1),
            // G = 3 − 35/12 = 1/12: one person.
            (
                declaration(
                    "enterprise",
                    200,
                    80_000,
                    &[disability(1, 12), disability(3, 11)],
                ),
                "0.0833",
                1,
            ),
        ];
        for (input, shortfall, people) in cases {
            let calculation = assess_json(&input);
            assert_eq!(calculation.shortfall().to_string(), shortfall, "{input}");
            assert_eq!(calculation.shortfall_people(), people, "{input}");
        }
        // N = 100 ÷ 12 (a ratio of exactly 1% above): R = 0.125, D = 1/12.
        let input = json!({
            "declared_on": "2024-03-01",
            "employer_kind": "institution",
            "monthly_headcount": [8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9],
            "average_wage": "100000",
            "social_average_wage": "100000",
            "disabled_employees": [{"kind": "disability", "level": 3, "months": 1}]
        });
        assert_eq!(assess_json(&input).shortfall_people(), 1);
    }

    #[test]
    fn seasonal_workers_count_by_their_months() {
        // DOMAIN.md §4: 150 staff + 40 seasonal × 6 months.
        let mut input = declaration("enterprise", 150, 60_000, &[]);
        input["seasonal"] = json!([{"count": 40, "months": 6}]);
        let output = assessment_json(&input, Lang::En);
        assert_eq!(output["headcount"], "170");
        assert_eq!(output["required"], "2.5500");
        assert_eq!(output["levy"], "137700.00");
    }

    #[test]
    fn the_contract_example_without_seasonal_workers_gives_the_contract_json() {
        let output = assess_json(&contract_example_without_seasonal()).assessment(Lang::En);
        let text = serde_json::to_string(&output).unwrap();
        assert!(
            text.starts_with(
                r#"{"headcount":"200","required":"3.0000","counted":"1.5000","shortfall":"1.5000","ratio":"0.0075","wage_used":"80000.00","factor":"0.9","exempt":false,"levy":"108000.00","explanation":["#
            ),
            "{text}"
        );
        assert!(
            text.ends_with(r#"],"policy":"tianjin-2022-2024","policy_version":1}"#),
            "{text}"
        );
        assert_eq!(
            output.explanation,
            [
                "Policy: Tianjin disability employment policy 2022–2024 (tianjin-2022-2024, version 1).",
                "Headcount N = average monthly staff 200.",
                "Required R = N × 1.5% = 3.0000.",
                "Counted D = Σ weight × months ÷ 12 = 1.5000: 2 employees counted, 1 of them as 2 people each (disability levels 1–2, veteran levels 1–3); 0 not eligible and left out.",
                "Shortfall G = max(0, R − D) = 1.5000.",
                "Ratio D ÷ N = 0.0075 (0.75%).",
                "Average wage W = 80000.00; wage used Wc = min(W, 2 × social average wage 100000 = 200000.00) = 80000.00.",
                "Declared in the tier window (2020-01-01 to 2027-12-31) with a ratio below 1%: the full levy is multiplied by 0.9.",
                "Levy = G × Wc × factor = 1.5000 × 80000.00 × 0.9 = 108000.00 CNY.",
            ]
        );
        let chinese = assess_json(&contract_example_without_seasonal()).assessment(Lang::Zh);
        assert_eq!(
            chinese.explanation[8],
            "保障金 = G × Wc × 系数 = 1.5000 × 80000.00 × 0.9 = 108000.00 元。"
        );
        assert_eq!(
            chinese.explanation[2],
            "应安排残疾人就业人数 R = N × 1.5% = 3.0000。"
        );
    }

    #[test]
    fn the_contract_example_as_written_adds_its_seasonal_workers() {
        // CONTRACT.md's declaration also lists 40 seasonal workers for six
        // months, which DOMAIN.md §3 adds to N: 200 + 20 = 220.
        let mut input = contract_example_without_seasonal();
        input["seasonal"] = json!([{"count": 40, "months": 6}]);
        let output = assess_json(&input).assessment(Lang::Zh);
        let mut value = serde_json::to_value(&output).unwrap();
        value["explanation"] = json!([]);
        assert_eq!(
            value,
            json!({"headcount":"220","required":"3.3000","counted":"1.5000","shortfall":"1.8000",
                   "ratio":"0.0068","wage_used":"80000.00","factor":"0.9","exempt":false,
                   "levy":"129600.00","explanation":[],"policy":"tianjin-2022-2024","policy_version":1})
        );
    }

    #[test]
    fn a_ratio_of_exactly_one_percent_is_decided_exactly() {
        // N = 100 ÷ 12 and D = 1 ÷ 12: neither is a finite decimal, but the
        // ratio is exactly 1%, so the lower tier applies.
        let input = json!({
            "declared_on": "2024-03-01",
            "employer_kind": "institution",
            "monthly_headcount": [8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, "9"],
            "average_wage": "100000",
            "social_average_wage": "100000",
            "disabled_employees": [{"kind": "disability", "level": 3, "months": 1}]
        });
        let output = assessment_json(&input, Lang::En);
        assert_eq!(output["headcount"], "8.3333");
        assert_eq!(output["ratio"], "0.0100");
        assert_eq!(output["factor"], "0.5");
        // G = (1.5 − 1) ÷ 12; levy = G × 100,000 × 0.5 = 2083.333…
        assert_eq!(output["shortfall"], "0.0417");
        assert_eq!(output["levy"], "2083.33");
    }

    #[test]
    fn money_rounds_half_up() {
        // G = 1.5, Wc = 6.75, full levy (declared after the tier window):
        // 10.125 rounds up to 10.13, where banker's rounding would give 10.12.
        let mut input = declaration("institution", 100, 0, &[]);
        input["average_wage"] = json!("6.75");
        input["declared_on"] = json!("2028-01-01");
        let output = assessment_json(&input, Lang::En);
        assert_eq!(output["factor"], "1");
        assert_eq!(output["wage_used"], "6.75");
        assert_eq!(output["levy"], "10.13");
    }

    #[test]
    fn outside_the_windows_the_full_levy_is_due_and_nobody_is_exempt() {
        let mut input = declaration(
            "enterprise",
            200,
            80_000,
            &[disability(3, 12), disability(2, 3)],
        );
        input["declared_on"] = json!("2028-01-01");
        assert_eq!(assessment_json(&input, Lang::En)["levy"], "120000.00");
        let mut small = declaration("enterprise", 28, 90_000, &[]);
        small["declared_on"] = json!("2019-12-31");
        let output = assessment_json(&small, Lang::En);
        assert_eq!(output["exempt"], false);
        assert_eq!(output["factor"], "1");
        assert_eq!(output["levy"], "37800.00");
        small["declared_on"] = json!("2020-01-01");
        assert_eq!(assessment_json(&small, Lang::En)["exempt"], true);
        small["declared_on"] = json!("2027-12-31");
        assert_eq!(assessment_json(&small, Lang::En)["exempt"], true);
    }

    #[test]
    fn the_exemption_is_for_enterprises_up_to_thirty_staff() {
        for kind in ["agency", "institution", "social_org"] {
            let output = assessment_json(&declaration(kind, 28, 90_000, &[]), Lang::En);
            assert_eq!(output["exempt"], false, "{kind}");
            assert_eq!(output["levy"], "34020.00", "{kind}");
        }
        assert_eq!(
            assessment_json(&declaration("enterprise", 30, 90_000, &[]), Lang::En)["exempt"],
            true
        );
        let mut seasonal = declaration("enterprise", 30, 90_000, &[]);
        seasonal["seasonal"] = json!([{"count": 1, "months": 1}]);
        let output = assessment_json(&seasonal, Lang::En);
        assert_eq!(output["headcount"], "30.0833");
        assert_eq!(output["exempt"], false);
    }

    #[test]
    fn total_wages_are_divided_by_the_headcount_and_capped() {
        let mut input = declaration("enterprise", 200, 0, &[disability(3, 12), disability(2, 3)]);
        input.as_object_mut().unwrap().remove("average_wage");
        input["total_wages"] = json!("16000000");
        let output = assessment_json(&input, Lang::En);
        assert_eq!(output["wage_used"], "80000.00");
        assert_eq!(output["levy"], "108000.00");
        input["total_wages"] = json!(60_000_000);
        let calculation = assess_json(&input);
        assert_eq!(calculation.assessment(Lang::En).wage_used, "200000.00");
        assert_eq!(calculation.levy().to_string(), "270000.00");
        assert!(calculation.explanation().iter().any(|line| matches!(
            line,
            Explanation::Wage {
                capped: true,
                total_wages: Some(_),
                ..
            }
        )));
    }

    #[test]
    fn ineligible_employees_are_left_out() {
        let mut excluded = disability(1, 12);
        excluded["eligible"] = json!(false);
        let output = assessment_json(
            &declaration(
                "enterprise",
                200,
                80_000,
                &[disability(3, 12), disability(2, 3), excluded],
            ),
            Lang::En,
        );
        assert_eq!(output["counted"], "1.5000");
        assert_eq!(output["levy"], "108000.00");
        assert!(
            output["explanation"][3]
                .as_str()
                .unwrap()
                .ends_with("1 not eligible and left out.")
        );
    }

    #[test]
    fn veterans_count_double_up_to_level_three() {
        for (level, counted) in [(1, "2.0000"), (3, "2.0000"), (4, "1.0000"), (10, "1.0000")] {
            let employee = json!({"kind": "veteran", "level": level, "months": 12});
            let output = assessment_json(
                &declaration("enterprise", 200, 80_000, &[employee]),
                Lang::En,
            );
            assert_eq!(output["counted"], counted, "veteran level {level}");
        }
    }

    #[test]
    fn certificates_give_the_level() {
        // 12010119900307123522: hearing, level 2, so it counts double.
        let employee = json!({"certificate": "12010119900307123522", "months": 6});
        let output = assessment_json(
            &declaration("enterprise", 200, 80_000, &[employee]),
            Lang::En,
        );
        assert_eq!(output["counted"], "1.0000");
    }

    #[test]
    fn decimals_are_read_from_strings_and_numbers_exactly() {
        for (written, expected) in [
            (json!("80000.10"), "80000.10"),
            (json!(80000.1), "80000.10"),
            (json!(80000), "80000.00"),
            (json!(" 0.1 "), "0.10"),
        ] {
            let mut input = declaration("enterprise", 200, 0, &[]);
            input["average_wage"] = written.clone();
            let output = assessment_json(&input, Lang::En);
            assert_eq!(output["wage_used"], expected, "{written}");
        }
        for written in [
            json!("1e5"),
            json!(""),
            json!("eighty"),
            json!("+5"),
            json!(true),
        ] {
            let mut input = declaration("enterprise", 200, 0, &[]);
            input["average_wage"] = written.clone();
            let found = problems(&input);
            assert_eq!(found.len(), 1, "{written}");
            assert_eq!(found[0].0, "average_wage", "{written}");
        }
    }

    #[test]
    #[expect(clippy::too_many_lines, reason = "one case per rule")]
    fn every_validation_rule_names_the_field() {
        let base = || declaration("enterprise", 200, 80_000, &[disability(3, 12)]);
        let with = |edit: &dyn Fn(&mut Value)| {
            let mut value = base();
            edit(&mut value);
            problems(&value)
        };
        let one = |field: &str, code: &'static str| vec![(field.to_owned(), code)];

        assert_eq!(
            with(&|v| v["disabled_employees"][0]["months"] = json!(13)),
            one("disabled_employees[0].months", "out_of_range")
        );
        assert_eq!(
            with(&|v| v["disabled_employees"][0]["months"] = json!(0)),
            one("disabled_employees[0].months", "out_of_range")
        );
        assert_eq!(
            with(&|v| v["seasonal"] = json!([{"count": 3, "months": 6}, {"count": 3, "months": 0}])),
            one("seasonal[1].months", "out_of_range")
        );
        assert_eq!(
            with(&|v| v["seasonal"] = json!([{"count": "-3", "months": 6}])),
            one("seasonal[0].count", "negative")
        );
        assert_eq!(
            with(&|v| v["average_headcount"] = json!("-1")),
            one("average_headcount", "negative")
        );
        assert_eq!(
            with(&|v| v["average_headcount"] = json!(0)),
            one("average_headcount", "not_positive")
        );
        assert_eq!(
            with(&|v| v["average_headcount"] = json!("1e9")),
            one("average_headcount", "invalid_value")
        );
        assert_eq!(
            with(&|v| v["average_headcount"] = json!("100000000")),
            one("average_headcount", "too_large")
        );
        assert_eq!(
            with(&|v| {
                v.as_object_mut().unwrap().remove("average_headcount");
                v["monthly_headcount"] = Value::from(vec![200; 11]);
            }),
            one("monthly_headcount", "length")
        );
        assert_eq!(
            with(&|v| {
                v.as_object_mut().unwrap().remove("average_headcount");
                v["monthly_headcount"] =
                    json!([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, "-1", 200]);
            }),
            one("monthly_headcount[10]", "negative")
        );
        assert_eq!(
            with(&|v| v["monthly_headcount"] = Value::from(vec![200; 12])),
            one("monthly_headcount", "exactly_one")
        );
        assert_eq!(
            with(&|v| {
                v.as_object_mut().unwrap().remove("average_headcount");
            }),
            one("average_headcount", "exactly_one")
        );
        assert_eq!(
            with(&|v| v["total_wages"] = json!("1")),
            one("total_wages", "exactly_one")
        );
        assert_eq!(
            with(&|v| {
                v.as_object_mut().unwrap().remove("average_wage");
            }),
            one("average_wage", "exactly_one")
        );
        assert_eq!(
            with(&|v| v["social_average_wage"] = json!(0)),
            one("social_average_wage", "not_positive")
        );
        assert_eq!(
            with(&|v| v["disabled_employees"][0]["level"] = json!(5)),
            one("disabled_employees[0].level", "out_of_range")
        );
        assert_eq!(
            with(&|v| v["disabled_employees"] =
                json!([{"kind": "veteran", "level": 11, "months": 1}])),
            one("disabled_employees[0].level", "out_of_range")
        );
        assert_eq!(
            with(&|v| v["disabled_employees"] = json!([{"kind": "veteran", "months": 1}])),
            one("disabled_employees[0].level", "required")
        );
        assert_eq!(
            with(&|v| v["disabled_employees"] = json!([{"months": 1}])),
            one("disabled_employees[0].certificate", "required")
        );
        assert_eq!(
            with(&|v| v["disabled_employees"][0]["certificate"] = json!("12010119900307123543")),
            one("disabled_employees[0].certificate", "exactly_one")
        );
        assert_eq!(
            with(&|v| v["disabled_employees"] =
                json!([{"certificate": "12010119900307123443", "months": 2}])),
            one("disabled_employees[0].certificate", "checksum")
        );
        assert_eq!(
            with(&|v| v["policy"] = json!("beijing-2030")),
            one("policy", "unknown_policy")
        );
        assert_eq!(
            with(&|v| v["employer_kind"] = json!("company")),
            one("employer_kind", "unknown_value")
        );
        assert_eq!(
            with(&|v| v["colour"] = json!("blue")),
            one("colour", "unknown_field")
        );
        assert_eq!(
            with(&|v| v["disabled_employees"][0]["colour"] = json!("blue")),
            one("disabled_employees[0].colour", "unknown_field")
        );
        assert_eq!(
            with(&|v| {
                v.as_object_mut().unwrap().remove("declared_on");
            }),
            one("declared_on", "required")
        );
        assert_eq!(
            with(&|v| v["declared_on"] = json!("2024-02-30")),
            one("declared_on", "invalid_value")
        );
        assert_eq!(
            with(&|v| v["disabled_employees"][0]["months"] = json!("six")),
            one("disabled_employees[0].months", "invalid_type")
        );
    }

    #[test]
    fn a_certificate_cannot_be_born_after_the_declaration() {
        let mut input = declaration("enterprise", 200, 80_000, &[]);
        input["declared_on"] = json!("1990-03-06");
        input["disabled_employees"] = json!([{"certificate": "12010119900307123543", "months": 2}]);
        assert_eq!(
            problems(&input),
            [(
                "disabled_employees[0].certificate".to_owned(),
                "future_birth_date"
            )]
        );
    }

    #[test]
    fn all_problems_are_reported_at_once_in_field_order() {
        let input = json!({
            "policy": "nowhere",
            "declared_on": "2024-06-30",
            "employer_kind": "agency",
            "average_headcount": "200",
            "monthly_headcount": [1, 2],
            "seasonal": [{"count": 1, "months": 13}],
            "social_average_wage": "-5",
            "disabled_employees": [
                {"kind": "disability", "level": 2, "months": 12},
                {"kind": "disability", "level": 9, "months": -1}
            ]
        });
        let found: Vec<String> = problems(&input)
            .into_iter()
            .map(|(field, code)| format!("{field}:{code}"))
            .collect();
        assert_eq!(
            found,
            [
                "policy:unknown_policy",
                "monthly_headcount:exactly_one",
                "seasonal[0].months:out_of_range",
                "average_wage:exactly_one",
                "social_average_wage:negative",
                "disabled_employees[1].months:out_of_range",
                "disabled_employees[1].level:out_of_range",
            ]
        );
    }

    #[test]
    fn field_errors_speak_both_languages() {
        let mut input = declaration("enterprise", 200, 80_000, &[]);
        input["disabled_employees"] = json!([{"certificate": "12010119900307123443", "months": 2}]);
        let errors = assess(&parse(&input).unwrap()).unwrap_err();
        let report = errors[0].report(Lang::Zh);
        assert_eq!(report.code, "checksum");
        assert!(
            report.message.starts_with("校验位应为"),
            "{}",
            report.message
        );
        assert_eq!(
            serde_json::to_value(errors[0].report(Lang::En)).unwrap()["field"],
            "disabled_employees[0].certificate"
        );
        // serde stops at its first error, so each case has one.
        let mut input = declaration("company", 200, 80_000, &[]);
        let errors = parse(&input).unwrap_err();
        assert_eq!(errors[0].field, "employer_kind");
        assert_eq!(
            errors[0].message_en,
            "\"company\" is not an accepted value; use one of: enterprise, agency, institution, social_org."
        );
        assert_eq!(
            errors[0].message_zh,
            "“company”不是可选的值；可选：enterprise、agency、institution、social_org。"
        );
        input["employer_kind"] = json!("agency");
        input["disabled_employees"] = json!([{"kind": "soldier", "level": 1, "months": 1}]);
        let errors = parse(&input).unwrap_err();
        assert_eq!(errors[0].field, "disabled_employees[0].kind");
        assert_eq!(
            errors[0].message_en,
            "\"soldier\" is not an accepted value; use one of: disability, veteran."
        );
    }

    #[test]
    fn every_explanation_is_a_sentence_in_both_languages() {
        let inputs = [
            contract_example_without_seasonal(),
            declaration("enterprise", 28, 90_000, &[]),
            declaration("enterprise", 120, 75_000, &[disability(2, 12)]),
            {
                let mut value = declaration("enterprise", 150, 300_000, &[]);
                value["seasonal"] = json!([{"count": 40, "months": 6}]);
                value["declared_on"] = json!("2028-06-30");
                value
            },
        ];
        let mut codes = std::collections::BTreeSet::new();
        for input in inputs {
            let calculation = assess_json(&input);
            for line in calculation.explanation() {
                codes.insert(line.code());
                assert_eq!(serde_json::to_value(line).unwrap()["code"], line.code());
                let zh = line.text(Lang::Zh);
                let en = line.text(Lang::En);
                assert!(zh.ends_with('。'), "{zh}");
                assert!(en.ends_with('.'), "{en}");
            }
        }
        assert_eq!(
            codes.into_iter().collect::<Vec<_>>(),
            [
                "counted",
                "exempt",
                "full_levy",
                "headcount",
                "levy",
                "no_levy",
                "policy",
                "quota_met",
                "ratio",
                "required",
                "shortfall",
                "tier",
                "wage"
            ]
        );
    }

    #[test]
    fn employer_kinds_have_codes_and_labels() {
        for kind in EmployerKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.code());
            assert!(!kind.label(Lang::Zh).is_empty());
            assert!(!kind.label(Lang::En).is_empty());
        }
    }
}
