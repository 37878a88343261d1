//! Policy presets: every number of the quota and the levy (DOMAIN.md §3–§4)
//! as versioned, effective-dated data.
//!
//! A [`PolicyPreset`] is plain data that serialises with serde, so presets
//! can later be stored, reviewed and edited by an administrator without a
//! new release. The constructors here ([`PolicyPreset::tianjin_2022_2024`])
//! hold the published numbers; the calculations in [`crate::levy`] read
//! only the preset they are given and contain no policy literal of their
//! own (ARCHITECTURE.md, invariant 6).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::levy::{FieldError, MAX_HEADCOUNT};
use crate::working_age::WorkingAgeRule;

/// The identifier of the preset used when a caller names none.
pub const DEFAULT_PRESET_ID: &str = "tianjin-2022-2024";

/// An inclusive range of days, such as the years in which the levy is
/// charged in tiers. Windows are decided by the declaration date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateWindow {
    /// The first day of the window.
    pub from: NaiveDate,
    /// The last day of the window (inclusive).
    pub to: NaiveDate,
}

impl DateWindow {
    /// Whether `date` lies in the window, both ends included.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// The quota (按比例安排残疾人就业) rules: how many disabled employees an
/// employer must have and how each one counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaRules {
    /// The share of in-service staff that must be disabled employees
    /// (0.015 is 1.5%).
    pub rate: Decimal,
    /// Holders of a disability certificate at this level or a more severe
    /// one (a lower number) count `double_weight` times.
    pub double_count_max_disability_level: u8,
    /// Holders of a disabled-veteran certificate at this level or a more
    /// severe one count `double_weight` times.
    pub double_count_max_veteran_level: u8,
    /// How many people a double-counted employee counts as.
    pub double_weight: Decimal,
}

/// The employment security fund levy (残疾人就业保障金) rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevyRules {
    /// The employer's average wage is capped at this multiple of the local
    /// social average wage.
    pub wage_cap_multiple: Decimal,
    /// An employer whose ratio of disabled employees is at least this
    /// (0.01 is 1%) pays the lower tier.
    pub tier_threshold_ratio: Decimal,
    /// The share of the full levy paid at or above the threshold.
    pub tier_factor_at_or_above: Decimal,
    /// The share of the full levy paid below the threshold.
    pub tier_factor_below: Decimal,
    /// Declarations made in this window pay by tier; others pay in full.
    pub tier_window: DateWindow,
    /// Enterprises with at most this many in-service staff are exempt
    /// within the exemption window.
    pub small_enterprise_max_headcount: Decimal,
    /// Declarations made in this window may claim the small-enterprise
    /// exemption.
    pub exemption_window: DateWindow,
    /// Money is rounded half-up to this many decimal places (2: fen).
    pub money_decimal_places: u32,
}

/// The plan's own rule (measure 1): agencies and public institutions of a
/// given size must employ at least one disabled person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MeasureOneRules {
    /// Government agencies with a staffing quota of at least this.
    pub agency_min_staffing: u32,
    /// Public institutions (other than schools and kindergartens) with at
    /// least this many staff.
    pub institution_min_staffing: u32,
}

/// The programmes' own numbers (measure 10's placements).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProgrammeRules {
    /// Work counts for a course when it starts within this many months of
    /// the trainee's completion (*assumed*: six; the plan names no window).
    pub placement_months: u32,
}

impl Default for ProgrammeRules {
    /// Six months after completion.
    fn default() -> ProgrammeRules {
        ProgrammeRules {
            placement_months: 6,
        }
    }
}

/// The longest placement window a preset may set, in months.
const MAX_PLACEMENT_MONTHS: u32 = 36;

/// A versioned, effective-dated set of policy numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyPreset {
    /// Stable identifier, e.g. `tianjin-2022-2024`.
    pub id: String,
    /// The name for people, in Chinese.
    pub name_zh: String,
    /// The name for people, in English.
    pub name_en: String,
    /// The first day the preset applies.
    pub effective_from: NaiveDate,
    /// The last day the preset applies, if it has an end.
    pub effective_to: Option<NaiveDate>,
    /// Incremented whenever a number in the preset changes, so an
    /// assessment can say which numbers it used.
    pub version: u32,
    /// How working age is decided.
    pub working_age: WorkingAgeRule,
    /// The quota.
    pub quota: QuotaRules,
    /// The levy.
    pub levy: LevyRules,
    /// The plan's measure 1.
    pub measure_one: MeasureOneRules,
    /// The programmes' numbers; a preset stored before they were part of
    /// it reads with the defaults.
    #[serde(default)]
    pub programmes: ProgrammeRules,
}

impl PolicyPreset {
    /// The Tianjin preset for the plan's years 2022–2024: the national
    /// minimum quota of 1.5%, double counting for disability levels 1–2
    /// and veteran levels 1–3, the wage cap at twice the social average,
    /// the levy in tiers (50% at or above a 1% ratio, 90% below) and the
    /// small-enterprise exemption (30 staff or fewer) for declarations from
    /// 2020 to 2027, and the plan's measure 1 (agencies with a staffing
    /// quota of 50, institutions with 67 staff).
    ///
    /// Working age follows the gradual retirement reform, which agrees with
    /// the old fixed retirement ages for everyone who retired before 2025,
    /// so the same rule serves the whole period.
    pub fn tianjin_2022_2024() -> PolicyPreset {
        let window = DateWindow {
            from: date(2020, 1, 1),
            to: date(2027, 12, 31),
        };
        PolicyPreset {
            id: DEFAULT_PRESET_ID.to_owned(),
            name_zh: "天津市 2022—2024 年残疾人就业政策".to_owned(),
            name_en: "Tianjin disability employment policy 2022–2024".to_owned(),
            effective_from: date(2022, 1, 1),
            effective_to: Some(date(2024, 12, 31)),
            version: 1,
            working_age: WorkingAgeRule::gradual_2025(),
            quota: QuotaRules {
                rate: Decimal::new(15, 3),
                double_count_max_disability_level: 2,
                double_count_max_veteran_level: 3,
                double_weight: Decimal::TWO,
            },
            levy: LevyRules {
                wage_cap_multiple: Decimal::TWO,
                tier_threshold_ratio: Decimal::new(1, 2),
                tier_factor_at_or_above: Decimal::new(5, 1),
                tier_factor_below: Decimal::new(9, 1),
                tier_window: window,
                small_enterprise_max_headcount: Decimal::from(30),
                exemption_window: window,
                money_decimal_places: 2,
            },
            measure_one: MeasureOneRules {
                agency_min_staffing: 50,
                institution_min_staffing: 67,
            },
            programmes: ProgrammeRules::default(),
        }
    }

    /// The preset's name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }

    /// Whether the preset is in force on `date`.
    pub fn is_effective_on(&self, date: NaiveDate) -> bool {
        self.effective_from <= date && self.effective_to.is_none_or(|to| date <= to)
    }
}

/// The accepted lengths of a preset's identifier, in characters.
const ID_LENGTH: std::ops::RangeInclusive<usize> = 3..=64;

/// The longest name of a preset, in characters.
const MAX_NAME_CHARS: usize = 100;

/// The most money decimal places a preset may ask for (4: a hundredth of a fen).
const MAX_MONEY_DECIMAL_PLACES: u32 = 4;

/// The largest double weight accepted.
const MAX_DOUBLE_WEIGHT: Decimal = Decimal::TEN;

/// The largest wage cap multiple accepted.
const MAX_WAGE_CAP_MULTIPLE: Decimal = Decimal::ONE_HUNDRED;

/// The most severe-to-least-severe levels of each certificate: a preset's
/// double-counting limit lies in `0..=` these (0: nobody counts double).
const MAX_DISABILITY_LEVEL: u8 = 4;
/// The ten grades of a disabled veteran's certificate.
const MAX_VETERAN_LEVEL: u8 = 10;

impl PolicyPreset {
    /// Every problem with a preset an administrator created, each naming
    /// its field by the dotted path of the struct (`quota.rate`,
    /// `levy.tier_window.to`, …) and saying what is accepted. An empty list
    /// means the preset can be stored and used by
    /// [`crate::levy::assess_with`]; its bounds also keep every product of
    /// that calculation inside the range of [`Decimal`].
    ///
    /// The working-age rule is not checked here: it has its own types.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_id(&mut errors, &self.id);
        check_name(
            &mut errors,
            "name_zh",
            ("中文名称", "The Chinese name"),
            &self.name_zh,
        );
        check_name(
            &mut errors,
            "name_en",
            ("英文名称", "The English name"),
            &self.name_en,
        );
        if let Some(to) = self.effective_to {
            check_order(
                &mut errors,
                "effective_to",
                ("有效期", "The period in force"),
                self.effective_from,
                to,
            );
        }

        self.quota.check(&mut errors);
        self.levy.check(&mut errors);
        self.measure_one.check(&mut errors);
        self.programmes.check(&mut errors);
        errors
    }
}

impl QuotaRules {
    /// Adds the problems with the quota rules to `errors`.
    fn check(&self, errors: &mut Vec<FieldError>) {
        check_decimal(
            errors,
            "quota.rate",
            (
                "规定比例（0.015 即 1.5%）",
                "The quota rate (0.015 is 1.5%)",
            ),
            self.rate,
            Limit::above(Decimal::ZERO),
            Limit::below(Decimal::ONE),
        );
        check_level(
            errors,
            "quota.double_count_max_disability_level",
            (
                "加倍计算的最高残疾等级（0 表示不加倍）",
                "The highest disability level counted double (0: none)",
            ),
            self.double_count_max_disability_level,
            MAX_DISABILITY_LEVEL,
        );
        check_level(
            errors,
            "quota.double_count_max_veteran_level",
            (
                "加倍计算的最高残疾军人伤残等级（0 表示不加倍）",
                "The highest veteran level counted double (0: none)",
            ),
            self.double_count_max_veteran_level,
            MAX_VETERAN_LEVEL,
        );
        check_decimal(
            errors,
            "quota.double_weight",
            ("加倍计算的人数", "The double weight"),
            self.double_weight,
            Limit::at_least(Decimal::ONE),
            Limit::at_most(MAX_DOUBLE_WEIGHT),
        );
    }
}

impl LevyRules {
    /// Adds the problems with the levy rules to `errors`.
    fn check(&self, errors: &mut Vec<FieldError>) {
        check_decimal(
            errors,
            "levy.wage_cap_multiple",
            ("工资上限倍数", "The wage cap multiple"),
            self.wage_cap_multiple,
            Limit::above(Decimal::ZERO),
            Limit::at_most(MAX_WAGE_CAP_MULTIPLE),
        );
        check_decimal(
            errors,
            "levy.tier_threshold_ratio",
            (
                "分档比例（0.01 即 1%）",
                "The tier threshold ratio (0.01 is 1%)",
            ),
            self.tier_threshold_ratio,
            Limit::at_least(Decimal::ZERO),
            Limit::at_most(Decimal::ONE),
        );
        check_decimal(
            errors,
            "levy.tier_factor_at_or_above",
            (
                "达到分档比例时的征收系数",
                "The factor at or above the threshold",
            ),
            self.tier_factor_at_or_above,
            Limit::at_least(Decimal::ZERO),
            Limit::at_most(Decimal::ONE),
        );
        check_decimal(
            errors,
            "levy.tier_factor_below",
            ("低于分档比例时的征收系数", "The factor below the threshold"),
            self.tier_factor_below,
            Limit::at_least(Decimal::ZERO),
            Limit::at_most(Decimal::ONE),
        );
        check_order(
            errors,
            "levy.tier_window.to",
            ("分档征收期", "The tier window"),
            self.tier_window.from,
            self.tier_window.to,
        );
        check_decimal(
            errors,
            "levy.small_enterprise_max_headcount",
            (
                "小微企业免征的最多在职职工人数",
                "The largest headcount of an exempt small enterprise",
            ),
            self.small_enterprise_max_headcount,
            Limit::at_least(Decimal::ZERO),
            Limit::at_most(MAX_HEADCOUNT),
        );
        check_order(
            errors,
            "levy.exemption_window.to",
            ("小微企业免征期", "The exemption window"),
            self.exemption_window.from,
            self.exemption_window.to,
        );
        if self.money_decimal_places > MAX_MONEY_DECIMAL_PLACES {
            let places = self.money_decimal_places;
            errors.push(FieldError::new(
                "levy.money_decimal_places",
                "out_of_range",
                format!("金额保留的小数位数应为 0—{MAX_MONEY_DECIMAL_PLACES}，现为 {places}。"),
                format!(
                    "Money may be rounded to 0 to {MAX_MONEY_DECIMAL_PLACES} decimal places; it is {places}."
                ),
            ));
        }
    }
}

impl MeasureOneRules {
    /// Adds the problems with measure 1's minimums to `errors`.
    fn check(self, errors: &mut Vec<FieldError>) {
        for (field, what, staffing) in [
            (
                "measure_one.agency_min_staffing",
                ("机关的最低编制人数", "The agencies' minimum staffing quota"),
                self.agency_min_staffing,
            ),
            (
                "measure_one.institution_min_staffing",
                ("事业单位的最低人数", "The institutions' minimum staff"),
                self.institution_min_staffing,
            ),
        ] {
            if staffing == 0 {
                errors.push(FieldError::new(
                    field,
                    "out_of_range",
                    format!("{}应至少为 1，现为 0。", what.0),
                    format!("{} must be at least 1; it is 0.", what.1),
                ));
            }
        }
    }
}

impl ProgrammeRules {
    /// Adds the problems with the programmes' numbers to `errors`.
    fn check(self, errors: &mut Vec<FieldError>) {
        if !(1..=MAX_PLACEMENT_MONTHS).contains(&self.placement_months) {
            errors.push(FieldError::new(
                "programmes.placement_months",
                "out_of_range",
                format!(
                    "结业后计入培训的就业月数应为 1 至 {MAX_PLACEMENT_MONTHS}，现为 {}。",
                    self.placement_months
                ),
                format!(
                    "The months after completion in which work counts for a course must be 1 to {MAX_PLACEMENT_MONTHS}; it is {}.",
                    self.placement_months
                ),
            ));
        }
    }
}

/// One end of an accepted range of decimals.
#[derive(Clone, Copy)]
struct Limit {
    value: Decimal,
    inclusive: bool,
}

impl Limit {
    fn at_least(value: Decimal) -> Limit {
        Limit {
            value,
            inclusive: true,
        }
    }

    fn above(value: Decimal) -> Limit {
        Limit {
            value,
            inclusive: false,
        }
    }

    fn at_most(value: Decimal) -> Limit {
        Limit::at_least(value)
    }

    fn below(value: Decimal) -> Limit {
        Limit::above(value)
    }
}

/// Checks that `low ≤ value ≤ high` (or `<` for an exclusive end) and
/// says both ends in the message.
fn check_decimal(
    errors: &mut Vec<FieldError>,
    field: &str,
    (what_zh, what_en): (&str, &str),
    value: Decimal,
    low: Limit,
    high: Limit,
) {
    let above_low = if low.inclusive {
        value >= low.value
    } else {
        value > low.value
    };
    let below_high = if high.inclusive {
        value <= high.value
    } else {
        value < high.value
    };
    if above_low && below_high {
        return;
    }
    let (low_value, high_value) = (low.value.normalize(), high.value.normalize());
    let (low_zh, low_en) = if low.inclusive {
        (
            format!("不小于 {low_value}"),
            format!("at least {low_value}"),
        )
    } else {
        (
            format!("大于 {low_value}"),
            format!("greater than {low_value}"),
        )
    };
    let (high_zh, high_en) = if high.inclusive {
        (
            format!("不大于 {high_value}"),
            format!("at most {high_value}"),
        )
    } else {
        (
            format!("小于 {high_value}"),
            format!("less than {high_value}"),
        )
    };
    errors.push(FieldError::new(
        field,
        "out_of_range",
        format!("{what_zh}应{low_zh} 且{high_zh}，现为 {value}。"),
        format!("{what_en} must be {low_en} and {high_en}; it is {value}."),
    ));
}

/// Checks a double-counting level limit: 0 (nobody) up to `max`.
fn check_level(
    errors: &mut Vec<FieldError>,
    field: &str,
    (what_zh, what_en): (&str, &str),
    level: u8,
    max: u8,
) {
    if level > max {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("{what_zh}应为 0—{max}，现为 {level}。"),
            format!("{what_en} must be from 0 to {max}; it is {level}."),
        ));
    }
}

/// Checks that a period does not end before it begins; the error is on
/// its end, the field a person would correct.
fn check_order(
    errors: &mut Vec<FieldError>,
    field: &str,
    (what_zh, what_en): (&str, &str),
    from: NaiveDate,
    to: NaiveDate,
) {
    if to < from {
        errors.push(FieldError::new(
            field,
            "before_start",
            format!("{what_zh}的结束日期 {to} 早于开始日期 {from}；结束日期应不早于开始日期。"),
            format!(
                "{what_en} ends on {to}, before it begins on {from}; the last day must be on or after the first."
            ),
        ));
    }
}

/// Checks an identifier: 3 to 64 characters of `a-z`, `0-9` and `-`.
fn check_id(errors: &mut Vec<FieldError>, id: &str) {
    const ACCEPTED_ZH: &str = "编号应为 3—64 个字符，只能使用小写字母 a—z、数字 0—9 和连字符“-”";
    const ACCEPTED_EN: &str = "The identifier must be 3 to 64 characters of lower-case letters a–z, digits 0–9 and hyphens";
    let length = id.chars().count();
    let wrong = id
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'));
    if let Some(wrong) = wrong {
        errors.push(FieldError::new(
            "id",
            "invalid_format",
            format!("{ACCEPTED_ZH}；“{wrong}”不可用。"),
            format!("{ACCEPTED_EN}; \"{wrong}\" is not accepted."),
        ));
    } else if !ID_LENGTH.contains(&length) {
        errors.push(FieldError::new(
            "id",
            "invalid_format",
            format!("{ACCEPTED_ZH}；现有 {length} 个字符。"),
            format!("{ACCEPTED_EN}; it has {length}."),
        ));
    }
}

/// Checks a name: not blank and at most 100 characters.
fn check_name(
    errors: &mut Vec<FieldError>,
    field: &str,
    (what_zh, what_en): (&str, &str),
    name: &str,
) {
    let length = name.chars().count();
    if name.trim().is_empty() {
        errors.push(FieldError::new(
            field,
            "required",
            format!("请填写{what_zh}（最多 {MAX_NAME_CHARS} 个字符）。"),
            format!("{what_en} is required (at most {MAX_NAME_CHARS} characters)."),
        ));
    } else if length > MAX_NAME_CHARS {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("{what_zh}最多 {MAX_NAME_CHARS} 个字符，现有 {length} 个。"),
            format!("{what_en} may have at most {MAX_NAME_CHARS} characters; it has {length}."),
        ));
    }
}

/// Every built-in preset, oldest first.
pub fn presets() -> Vec<PolicyPreset> {
    vec![PolicyPreset::tianjin_2022_2024()]
}

/// The built-in preset with this identifier.
pub fn by_id(id: &str) -> Option<PolicyPreset> {
    presets().into_iter().find(|preset| preset.id == id)
}

/// The preset used when a caller names none.
pub fn default_preset() -> PolicyPreset {
    PolicyPreset::tianjin_2022_2024()
}

/// A date from the published texts; an impossible one (a typing mistake
/// here) falls back to the earliest date, which the tests would catch.
fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn the_tianjin_preset_holds_the_published_numbers() {
        let preset = PolicyPreset::tianjin_2022_2024();
        assert_eq!(preset.id, "tianjin-2022-2024");
        assert_eq!(preset.version, 1);
        assert_eq!(preset.quota.rate.to_string(), "0.015");
        assert_eq!(preset.quota.double_count_max_disability_level, 2);
        assert_eq!(preset.quota.double_count_max_veteran_level, 3);
        assert_eq!(preset.quota.double_weight, Decimal::TWO);
        assert_eq!(preset.levy.wage_cap_multiple, Decimal::TWO);
        assert_eq!(preset.levy.tier_threshold_ratio.to_string(), "0.01");
        assert_eq!(preset.levy.tier_factor_at_or_above.to_string(), "0.5");
        assert_eq!(preset.levy.tier_factor_below.to_string(), "0.9");
        assert_eq!(
            preset.levy.small_enterprise_max_headcount,
            Decimal::from(30)
        );
        assert_eq!(preset.levy.money_decimal_places, 2);
        for window in [preset.levy.tier_window, preset.levy.exemption_window] {
            assert_eq!(window.from, date(2020, 1, 1));
            assert_eq!(window.to, date(2027, 12, 31));
        }
        assert_eq!(preset.measure_one.agency_min_staffing, 50);
        assert_eq!(preset.measure_one.institution_min_staffing, 67);
        assert_eq!(preset.working_age, WorkingAgeRule::gradual_2025());
        assert_eq!(preset.programmes.placement_months, 6);
    }

    #[test]
    fn a_preset_stored_before_the_programmes_numbers_reads_with_their_defaults() {
        let mut stored = serde_json::to_value(PolicyPreset::tianjin_2022_2024()).unwrap();
        stored.as_object_mut().unwrap().remove("programmes");
        let read: PolicyPreset = serde_json::from_value(stored).unwrap();
        assert_eq!(read, PolicyPreset::tianjin_2022_2024());
    }

    #[test]
    fn the_placement_window_is_one_to_thirty_six_months() {
        for (months, valid) in [(0, false), (1, true), (36, true), (37, false)] {
            let mut preset = PolicyPreset::tianjin_2022_2024();
            preset.programmes.placement_months = months;
            let errors = preset.validate();
            assert_eq!(errors.is_empty(), valid, "{months}: {errors:?}");
            if !valid {
                assert_eq!(errors[0].field, "programmes.placement_months");
                assert_eq!(errors[0].code, "out_of_range");
            }
        }
    }

    #[test]
    fn sixty_seven_is_the_smallest_staff_for_which_the_quota_reaches_one() {
        // The plan's own explanation of measure 1: 1.5% of 67 is at least one.
        let preset = PolicyPreset::tianjin_2022_2024();
        let staffing = Decimal::from(preset.measure_one.institution_min_staffing);
        assert!(staffing * preset.quota.rate >= Decimal::ONE);
        assert!((staffing - Decimal::ONE) * preset.quota.rate < Decimal::ONE);
    }

    #[test]
    fn windows_include_both_ends() {
        let window = PolicyPreset::tianjin_2022_2024().levy.tier_window;
        assert!(window.contains(date(2020, 1, 1)));
        assert!(window.contains(date(2027, 12, 31)));
        assert!(!window.contains(date(2019, 12, 31)));
        assert!(!window.contains(date(2028, 1, 1)));
    }

    #[test]
    fn effective_dates_bound_the_preset() {
        let preset = PolicyPreset::tianjin_2022_2024();
        assert!(preset.is_effective_on(date(2022, 1, 1)));
        assert!(preset.is_effective_on(date(2024, 12, 31)));
        assert!(!preset.is_effective_on(date(2021, 12, 31)));
        assert!(!preset.is_effective_on(date(2025, 1, 1)));
        let open_ended = PolicyPreset {
            effective_to: None,
            ..preset
        };
        assert!(open_ended.is_effective_on(date(2099, 1, 1)));
    }

    #[test]
    fn presets_are_found_by_id() {
        assert_eq!(
            by_id("tianjin-2022-2024"),
            Some(PolicyPreset::tianjin_2022_2024())
        );
        assert_eq!(by_id("beijing"), None);
        assert_eq!(default_preset().id, DEFAULT_PRESET_ID);
        assert!(presets().iter().all(|preset| by_id(&preset.id).is_some()));
        assert_eq!(
            PolicyPreset::tianjin_2022_2024().name(Lang::En),
            "Tianjin disability employment policy 2022–2024"
        );
    }

    #[test]
    fn presets_round_trip_as_data() {
        for preset in presets() {
            let json = serde_json::to_value(&preset).unwrap();
            assert_eq!(json["quota"]["rate"], "0.015");
            assert_eq!(json["levy"]["tier_window"]["from"], "2020-01-01");
            let back: PolicyPreset = serde_json::from_value(json).unwrap();
            assert_eq!(back, preset);
        }
    }

    #[test]
    fn the_built_in_presets_validate_clean() {
        for preset in presets() {
            assert_eq!(preset.validate(), [], "{}", preset.id);
        }
    }

    /// The fields named by `validate` after `edit`, each message checked
    /// to be a sentence in both languages.
    fn invalid_fields(edit: impl FnOnce(&mut PolicyPreset)) -> Vec<(String, &'static str)> {
        let mut preset = PolicyPreset::tianjin_2022_2024();
        edit(&mut preset);
        let errors = preset.validate();
        for error in &errors {
            assert!(error.message_zh.ends_with('。'), "{error:?}");
            assert!(error.message_en.ends_with('.'), "{error:?}");
        }
        errors
            .into_iter()
            .map(|error| (error.field, error.code))
            .collect()
    }

    /// A change to a preset, in a table of cases.
    type Edit = Box<dyn Fn(&mut PolicyPreset)>;

    #[test]
    #[expect(clippy::too_many_lines, reason = "one case per field")]
    fn each_bad_value_names_exactly_its_field() {
        let decimal = |text: &str| text.parse::<Decimal>().unwrap();
        let cases: Vec<(&str, &str, Edit)> = vec![
            ("id", "invalid_format", Box::new(|p| p.id = "tj".to_owned())),
            ("id", "invalid_format", Box::new(|p| p.id = "a".repeat(65))),
            (
                "id",
                "invalid_format",
                Box::new(|p| p.id = "Tianjin-2025".to_owned()),
            ),
            (
                "id",
                "invalid_format",
                Box::new(|p| p.id = "tianjin 2025".to_owned()),
            ),
            (
                "id",
                "invalid_format",
                Box::new(|p| p.id = "tianjin_2025".to_owned()),
            ),
            (
                "id",
                "invalid_format",
                Box::new(|p| p.id = "天津-2025".to_owned()),
            ),
            (
                "name_zh",
                "required",
                Box::new(|p| p.name_zh = "  ".to_owned()),
            ),
            (
                "name_en",
                "required",
                Box::new(|p| p.name_en = String::new()),
            ),
            (
                "name_zh",
                "too_long",
                Box::new(|p| p.name_zh = "津".repeat(101)),
            ),
            (
                "name_en",
                "too_long",
                Box::new(|p| p.name_en = "x".repeat(101)),
            ),
            (
                "effective_to",
                "before_start",
                Box::new(|p| p.effective_to = Some(date(2021, 12, 31))),
            ),
            (
                "quota.rate",
                "out_of_range",
                Box::new(|p| p.quota.rate = Decimal::ZERO),
            ),
            (
                "quota.rate",
                "out_of_range",
                Box::new(|p| p.quota.rate = Decimal::ONE),
            ),
            (
                "quota.rate",
                "out_of_range",
                Box::new(move |p| p.quota.rate = decimal("-0.015")),
            ),
            (
                "quota.double_count_max_disability_level",
                "out_of_range",
                Box::new(|p| p.quota.double_count_max_disability_level = 5),
            ),
            (
                "quota.double_count_max_veteran_level",
                "out_of_range",
                Box::new(|p| p.quota.double_count_max_veteran_level = 11),
            ),
            (
                "quota.double_weight",
                "out_of_range",
                Box::new(move |p| p.quota.double_weight = decimal("0.99")),
            ),
            (
                "quota.double_weight",
                "out_of_range",
                Box::new(move |p| p.quota.double_weight = decimal("10.01")),
            ),
            (
                "levy.wage_cap_multiple",
                "out_of_range",
                Box::new(|p| p.levy.wage_cap_multiple = Decimal::ZERO),
            ),
            (
                "levy.wage_cap_multiple",
                "out_of_range",
                Box::new(move |p| p.levy.wage_cap_multiple = decimal("100.5")),
            ),
            (
                "levy.tier_threshold_ratio",
                "out_of_range",
                Box::new(move |p| p.levy.tier_threshold_ratio = decimal("-0.01")),
            ),
            (
                "levy.tier_threshold_ratio",
                "out_of_range",
                Box::new(move |p| p.levy.tier_threshold_ratio = decimal("1.01")),
            ),
            (
                "levy.tier_factor_at_or_above",
                "out_of_range",
                Box::new(move |p| p.levy.tier_factor_at_or_above = decimal("1.5")),
            ),
            (
                "levy.tier_factor_below",
                "out_of_range",
                Box::new(move |p| p.levy.tier_factor_below = decimal("-0.1")),
            ),
            (
                "levy.tier_window.to",
                "before_start",
                Box::new(|p| p.levy.tier_window.to = date(2019, 12, 31)),
            ),
            (
                "levy.exemption_window.to",
                "before_start",
                Box::new(|p| p.levy.exemption_window.from = date(2028, 1, 1)),
            ),
            (
                "levy.small_enterprise_max_headcount",
                "out_of_range",
                Box::new(move |p| p.levy.small_enterprise_max_headcount = decimal("-1")),
            ),
            (
                "levy.small_enterprise_max_headcount",
                "out_of_range",
                Box::new(move |p| p.levy.small_enterprise_max_headcount = decimal("1e8")),
            ),
            (
                "levy.money_decimal_places",
                "out_of_range",
                Box::new(|p| p.levy.money_decimal_places = 5),
            ),
            (
                "measure_one.agency_min_staffing",
                "out_of_range",
                Box::new(|p| p.measure_one.agency_min_staffing = 0),
            ),
            (
                "measure_one.institution_min_staffing",
                "out_of_range",
                Box::new(|p| p.measure_one.institution_min_staffing = 0),
            ),
        ];
        for (field, code, edit) in cases {
            assert_eq!(invalid_fields(edit), [(field.to_owned(), code)], "{field}");
        }
    }

    #[test]
    fn values_at_the_ends_of_each_range_are_accepted() {
        let decimal = |text: &str| text.parse::<Decimal>().unwrap();
        let mut preset = PolicyPreset::tianjin_2022_2024();
        preset.id = "abc".to_owned();
        preset.name_zh = "津".repeat(100);
        preset.effective_to = Some(preset.effective_from);
        preset.quota.rate = decimal("0.9999");
        preset.quota.double_count_max_disability_level = 0;
        preset.quota.double_count_max_veteran_level = 10;
        preset.quota.double_weight = Decimal::TEN;
        preset.levy.wage_cap_multiple = Decimal::ONE_HUNDRED;
        preset.levy.tier_threshold_ratio = Decimal::ONE;
        preset.levy.tier_factor_at_or_above = Decimal::ZERO;
        preset.levy.tier_factor_below = Decimal::ONE;
        preset.levy.tier_window.to = preset.levy.tier_window.from;
        preset.levy.small_enterprise_max_headcount = Decimal::ZERO;
        preset.levy.money_decimal_places = 4;
        preset.measure_one.agency_min_staffing = 1;
        assert_eq!(preset.validate(), []);
        preset.id = format!("{}-9", "a".repeat(62));
        preset.effective_to = None;
        preset.quota.double_count_max_disability_level = 4;
        preset.quota.double_weight = Decimal::ONE;
        assert_eq!(preset.validate(), []);
    }

    #[test]
    fn every_problem_is_reported_at_once_and_says_what_is_accepted() {
        let found = invalid_fields(|preset| {
            preset.id = "X".to_owned();
            preset.quota.rate = Decimal::TWO;
            preset.levy.money_decimal_places = 9;
        });
        assert_eq!(
            found,
            [
                ("id".to_owned(), "invalid_format"),
                ("quota.rate".to_owned(), "out_of_range"),
                ("levy.money_decimal_places".to_owned(), "out_of_range"),
            ]
        );
        let mut preset = PolicyPreset::tianjin_2022_2024();
        preset.quota.rate = Decimal::TWO;
        let errors = preset.validate();
        assert_eq!(
            errors[0].message(Lang::En),
            "The quota rate (0.015 is 1.5%) must be greater than 0 and less than 1; it is 2."
        );
        assert_eq!(
            errors[0].message(Lang::Zh),
            "规定比例（0.015 即 1.5%）应大于 0 且小于 1，现为 2。"
        );
    }
}
