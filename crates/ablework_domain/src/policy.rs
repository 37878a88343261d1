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
}
