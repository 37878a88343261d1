//! Progress against the plan's targets: who counts as new employment
//! (新增就业), how much of the target was expected by a given day, and where
//! the trend of the months so far leads by the end of the period.
//!
//! A [`PlanTarget`] is plain data (ARCHITECTURE.md, invariant 6): the
//! period, the total and its breakdowns by year, district and measure, and
//! the [`PacingRule`] that decides when a row is behind.
//! [`count_new_employment`] applies the counting rule of DOMAIN.md §5 — a
//! person counts at most once per calendar year — and [`progress`] turns
//! the counted outcomes into the [`ProgressReport`] that the dashboard, the
//! API (`GET /api/v1/progress`) and `ablework report progress --json` show.
//!
//! Counts are integers throughout and pacing is compared exactly, with
//! decimals. Only the projection ([`project_linear_trend`]) uses `f64`: it
//! is a statistical estimate with a square root and a confidence band, not
//! an amount anyone is owed, and its result is rounded to whole people.
//! The method is written out in `docs/projection.md`.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::district;
use crate::four_ones::Step;
use crate::ident::{DisabilityCategory, Sex};
use crate::lang::Lang;
use crate::outcome::{EmploymentForm, Measure, Outcome};
use crate::person::Hukou;

mod tally;

pub use tally::{DayTally, Dimension, Tally, TallyKey, retained_at};

/// The identifier of the default plan.
pub const TIANJIN_2022_2024: &str = "tianjin-2022-2024";

/// The name of the projection method, as reported in [`Projection::method`].
pub const PROJECTION_METHOD: &str = "linear_trend_monthly";

/// The months after the start of work at which retention is measured.
pub const RETENTION_MONTHS: [u32; 2] = [6, 12];

/// The fewest completed months a projection is made from: a line through
/// two points has no residuals, so nothing could be said of its error.
pub const MIN_PROJECTION_MONTHS: usize = 3;

/// How far behind the linear pace a row may fall before it is flagged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PacingRule {
    /// A row is behind when it has achieved less than this share of what
    /// was expected to date (0.95 by default: a 5 % tolerance, so that the
    /// ordinary unevenness of registrations does not raise alarms).
    pub on_track_ratio: Decimal,
}

impl Default for PacingRule {
    fn default() -> Self {
        PacingRule {
            on_track_ratio: Decimal::new(95, 2),
        }
    }
}

impl PacingRule {
    /// Whether `achieved` is on track for `target` paced over `window`.
    /// The comparison is exact: `achieved < ratio × target × elapsed / days`
    /// is evaluated as `achieved × days < ratio × target × elapsed`.
    fn status(&self, achieved: u32, target: u32, window: Window) -> PaceStatus {
        let achieved = Decimal::from(achieved) * Decimal::from(window.days);
        let expected = self.on_track_ratio * Decimal::from(target) * Decimal::from(window.elapsed);
        if achieved < expected {
            PaceStatus::Behind
        } else {
            PaceStatus::OnTrack
        }
    }
}

/// Whether a row keeps pace with its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaceStatus {
    /// At least the pacing rule's share of the expected number.
    OnTrack,
    /// Below the pacing rule's share of the expected number.
    Behind,
}

/// A plan's employment target and its breakdowns, as data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanTarget {
    /// Stable identifier, e.g. `tianjin-2022-2024`.
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// The first day of the period.
    pub start: NaiveDate,
    /// The last day of the period (inclusive).
    pub end: NaiveDate,
    /// New employment to be achieved over the whole period.
    pub total: u32,
    /// Targets per calendar year.
    pub by_year: Vec<(i32, u32)>,
    /// Targets per current district code (GB/T 2260).
    pub by_district: Vec<(String, u32)>,
    /// Targets per measure of the plan.
    pub by_measure: Vec<(Measure, u32)>,
    /// When a row counts as behind.
    #[serde(default)]
    pub pacing: PacingRule,
}

/// What is wrong with a [`PlanTarget`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The period ends before it starts.
    #[error("the period ends ({end}) before it starts ({start})")]
    EndBeforeStart {
        /// The first day.
        start: NaiveDate,
        /// The last day.
        end: NaiveDate,
    },
    /// A breakdown does not add up to the total.
    #[error("the {breakdown} targets add up to {sum}, not to the total {total}")]
    BreakdownSum {
        /// `year`, `district` or `measure`.
        breakdown: &'static str,
        /// What the breakdown adds up to.
        sum: u64,
        /// The plan's total.
        total: u32,
    },
    /// A breakdown names the same key twice.
    #[error("the {breakdown} targets name {key} twice")]
    Duplicate {
        /// `year`, `district` or `measure`.
        breakdown: &'static str,
        /// The repeated key.
        key: String,
    },
    /// A year target lies outside the period.
    #[error("the year {0} lies outside the period")]
    YearOutsidePeriod(i32),
    /// A district target names no current district.
    #[error("{0} is not the code of a current district")]
    UnknownDistrict(String),
}

impl PlanError {
    /// The part of the plan at fault, as a form field or JSON path:
    /// `end`, `by_year`, `by_district` or `by_measure`.
    pub fn field(&self) -> &'static str {
        match self {
            PlanError::EndBeforeStart { .. } => "end",
            PlanError::YearOutsidePeriod(_) => "by_year",
            PlanError::UnknownDistrict(_) => "by_district",
            PlanError::BreakdownSum { breakdown, .. } | PlanError::Duplicate { breakdown, .. } => {
                match *breakdown {
                    "year" => "by_year",
                    "district" => "by_district",
                    _ => "by_measure",
                }
            }
        }
    }

    /// A stable code for the problem.
    pub fn code(&self) -> &'static str {
        match self {
            PlanError::EndBeforeStart { .. } => "end_before_start",
            PlanError::BreakdownSum { .. } => "breakdown_sum",
            PlanError::Duplicate { .. } => "duplicate",
            PlanError::YearOutsidePeriod(_) => "year_outside_period",
            PlanError::UnknownDistrict(_) => "unknown_district",
        }
    }

    /// The problem in words, in Chinese or English.
    pub fn message(&self, lang: Lang) -> String {
        let part_zh = |breakdown: &str| match breakdown {
            "year" => "各年度",
            "district" => "各区",
            _ => "各措施",
        };
        match (self, lang) {
            (PlanError::EndBeforeStart { start, end }, Lang::Zh) => {
                format!("结束日期（{end}）早于开始日期（{start}）。")
            }
            (
                PlanError::BreakdownSum {
                    breakdown,
                    sum,
                    total,
                },
                Lang::Zh,
            ) => format!(
                "{}目标合计 {sum}，与总目标 {total} 不一致。",
                part_zh(breakdown)
            ),
            (PlanError::Duplicate { breakdown, key }, Lang::Zh) => {
                format!("{}目标中 {key} 出现了两次。", part_zh(breakdown))
            }
            (PlanError::YearOutsidePeriod(year), Lang::Zh) => {
                format!("{year} 年不在计划期内。")
            }
            (PlanError::UnknownDistrict(code), Lang::Zh) => {
                format!("{code} 不是现行的区代码。")
            }
            (problem, Lang::En) => {
                let text = problem.to_string();
                let mut chars = text.chars();
                chars.next().map_or_else(String::new, |first| {
                    format!("{}{}.", first.to_uppercase(), chars.as_str())
                })
            }
        }
    }
}

/// Relative sizes of the districts' shares of the default target: roughly
/// their registered disabled populations, with the agricultural districts
/// weighted up because the plan's rural measures work there. The plan text
/// gives only the city total; these shares are an illustrative default for
/// the city federation to replace with its own allocation.
const TIANJIN_DISTRICT_WEIGHTS: [(&str, u32); 16] = [
    ("120101", 8),  // 和平区
    ("120102", 16), // 河东区
    ("120103", 17), // 河西区
    ("120104", 18), // 南开区
    ("120105", 15), // 河北区
    ("120106", 11), // 红桥区
    ("120110", 16), // 东丽区
    ("120111", 17), // 西青区
    ("120112", 16), // 津南区
    ("120113", 17), // 北辰区
    ("120114", 26), // 武清区
    ("120115", 22), // 宝坻区
    ("120116", 40), // 滨海新区
    ("120117", 13), // 宁河区
    ("120118", 20), // 静海区
    ("120119", 28), // 蓟州区
];

/// The default target per measure. Private enterprises with flexible and
/// platform work (measure 3) and the rural measures (6) carry most of the
/// plan; like the district shares, this split is an illustrative default.
const TIANJIN_MEASURE_TARGETS: [(Measure, u32); 10] = [
    (Measure::AgenciesLead, 600),
    (Measure::StateEnterprises, 900),
    (Measure::PrivateEnterprises, 4_200),
    (Measure::Organisations, 700),
    (Measure::Auxiliary, 1_300),
    (Measure::Rural, 3_500),
    (Measure::Graduates, 500),
    (Measure::BlindMassage, 800),
    (Measure::EmploymentService, 1_500),
    (Measure::Training, 1_000),
];

impl PlanTarget {
    /// The Tianjin Three-Year Action Plan (2022–2024): 15,000 new jobs,
    /// 5,000 a year, split across the 16 districts and the ten measures.
    pub fn tianjin_2022_2024() -> PlanTarget {
        let districts = district::all();
        let weights: Vec<u32> = districts
            .iter()
            .map(|district| {
                TIANJIN_DISTRICT_WEIGHTS
                    .iter()
                    .find(|(code, _)| *code == district.code)
                    .map_or(0, |(_, weight)| *weight)
            })
            .collect();
        let total = 15_000;
        PlanTarget {
            id: TIANJIN_2022_2024.to_owned(),
            name_zh: "天津市促进残疾人就业三年行动方案（2022—2024年）".to_owned(),
            name_en: "Tianjin Three-Year Action Plan to Promote the Employment of Persons with Disabilities (2022–2024)".to_owned(),
            start: date(2022, 1, 1),
            end: date(2024, 12, 31),
            total,
            by_year: vec![(2022, 5_000), (2023, 5_000), (2024, 5_000)],
            by_district: districts
                .iter()
                .zip(apportion(total, &weights))
                .map(|(district, target)| (district.code.to_owned(), target))
                .collect(),
            by_measure: TIANJIN_MEASURE_TARGETS.to_vec(),
            pacing: PacingRule::default(),
        }
    }

    /// Checks that the period is a period, that every breakdown adds up to
    /// the total without naming a key twice, that year targets fall in the
    /// period and that district targets name current districts; the first
    /// problem found, if any (see [`PlanTarget::problems`] for all).
    pub fn validate(&self) -> Result<(), PlanError> {
        match self.problems().into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Every problem of [`PlanTarget::validate`], at most one per part of
    /// the plan (the period, each breakdown), in that order.
    pub fn problems(&self) -> Vec<PlanError> {
        let mut problems = Vec::new();
        if self.end < self.start {
            problems.push(PlanError::EndBeforeStart {
                start: self.start,
                end: self.end,
            });
        }
        let years = if let Some(year) = self
            .by_year
            .iter()
            .map(|(year, _)| *year)
            .find(|year| *year < self.start.year() || *year > self.end.year())
        {
            Err(PlanError::YearOutsidePeriod(year))
        } else {
            check_breakdown(
                "year",
                self.by_year.iter().map(|(y, t)| (y.to_string(), *t)),
                self.total,
            )
        };
        let districts = if let Some((code, _)) = self
            .by_district
            .iter()
            .find(|(code, _)| district::by_code(code).is_none())
        {
            Err(PlanError::UnknownDistrict(code.clone()))
        } else {
            check_breakdown(
                "district",
                self.by_district.iter().map(|(c, t)| (c.clone(), *t)),
                self.total,
            )
        };
        let measures = check_breakdown(
            "measure",
            self.by_measure
                .iter()
                .map(|(m, t)| (m.code().to_owned(), *t)),
            self.total,
        );
        problems.extend(
            [years, districts, measures]
                .into_iter()
                .filter_map(Result::err),
        );
        problems
    }

    /// Whether `day` lies in the period, both ends included.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

fn check_breakdown(
    breakdown: &'static str,
    rows: impl Iterator<Item = (String, u32)>,
    total: u32,
) -> Result<(), PlanError> {
    let mut seen = BTreeSet::new();
    let mut sum = 0_u64;
    for (key, target) in rows {
        sum += u64::from(target);
        if !seen.insert(key.clone()) {
            return Err(PlanError::Duplicate { breakdown, key });
        }
    }
    if sum == u64::from(total) {
        Ok(())
    } else {
        Err(PlanError::BreakdownSum {
            breakdown,
            sum,
            total,
        })
    }
}

/// Splits `total` in proportion to `weights` so that the parts add up to
/// `total` exactly (the largest-remainder method): each part gets the whole
/// number of its exact share, and the units left over go to the largest
/// remainders, earlier entries first on ties. All-zero weights give zeros.
pub fn apportion(total: u32, weights: &[u32]) -> Vec<u32> {
    let weight_sum: u64 = weights.iter().map(|w| u64::from(*w)).sum();
    if weight_sum == 0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<(u64, u64)> = weights
        .iter()
        .map(|w| {
            let product = u64::from(total) * u64::from(*w);
            (product / weight_sum, product % weight_sum)
        })
        .collect();
    let mut parts: Vec<u64> = exact.iter().map(|(whole, _)| *whole).collect();
    let given: u64 = parts.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| exact[*b].1.cmp(&exact[*a].1).then(a.cmp(b)));
    let left_over = usize::try_from(u64::from(total) - given).unwrap_or(usize::MAX);
    for index in order.into_iter().take(left_over) {
        parts[index] += 1;
    }
    // Every part is at most `total`, so it fits in a `u32`.
    parts
        .into_iter()
        .map(|part| u32::try_from(part).unwrap_or(u32::MAX))
        .collect()
}

/// One outcome that counts as new employment for its person and year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CountedOutcome {
    /// The calendar year it counts in.
    pub year: i32,
    /// The current district credited: the outcome's district code, or the
    /// current district that took over its area when the code is withdrawn.
    pub district_code: String,
    /// The outcome credited.
    pub outcome: Outcome,
}

/// The new employment of the plan period: for each person and calendar
/// year, only the first outcome of that year inside the period counts, and
/// its measure, district, form and the rest are credited. The first is the
/// earliest `started_on`; on the same day the lower measure code, then the
/// lower form code wins (and then the remaining fields), so the result does
/// not depend on the order of `outcomes`. Outcomes outside the period are
/// not counted. The result is ordered by start day, then person.
pub fn count_new_employment(outcomes: &[Outcome], plan: &PlanTarget) -> Vec<CountedOutcome> {
    count_new_employment_between(outcomes, plan.start, plan.end)
}

/// The new employment of the outcomes that started between `start` and
/// `end` (both included), counted as [`count_new_employment`] counts a
/// plan's period: the first outcome of each person and calendar year.
/// Counted over the days of one calendar year up to a period's end, it
/// gives the statistical reports (`statistics`) their figures.
pub fn count_new_employment_between(
    outcomes: &[Outcome],
    start: NaiveDate,
    end: NaiveDate,
) -> Vec<CountedOutcome> {
    count_between(outcomes.iter(), start, end)
}

fn count_refs<'a>(
    outcomes: impl Iterator<Item = &'a Outcome>,
    plan: &PlanTarget,
) -> Vec<CountedOutcome> {
    count_between(outcomes, plan.start, plan.end)
}

fn count_between<'a>(
    outcomes: impl Iterator<Item = &'a Outcome>,
    start: NaiveDate,
    end: NaiveDate,
) -> Vec<CountedOutcome> {
    let mut first: HashMap<(i64, i32), &Outcome> = HashMap::new();
    for outcome in
        outcomes.filter(|outcome| start <= outcome.started_on && outcome.started_on <= end)
    {
        first
            .entry((outcome.person_id, outcome.started_on.year()))
            .and_modify(|kept| {
                if credit_order(outcome, kept) == Ordering::Less {
                    *kept = outcome;
                }
            })
            .or_insert(outcome);
    }
    let mut counted: Vec<CountedOutcome> = first
        .into_iter()
        .map(|((_, year), outcome)| CountedOutcome {
            year,
            district_code: district::current_for(&outcome.district_code)
                .map_or_else(|| outcome.district_code.clone(), |d| d.code.to_owned()),
            outcome: outcome.clone(),
        })
        .collect();
    counted.sort_by(|a, b| {
        (a.outcome.started_on, a.outcome.person_id)
            .cmp(&(b.outcome.started_on, b.outcome.person_id))
    });
    counted
}

/// The order in which one person's outcomes of a year are credited.
fn credit_order(a: &Outcome, b: &Outcome) -> Ordering {
    let key = |o: &Outcome| {
        (
            o.started_on,
            o.measure.code(),
            o.form.code(),
            o.district_code.clone(),
            o.hukou.code(),
            o.category.digit(),
            o.level,
            o.sex.code(),
            o.ended_on,
        )
    };
    key(a).cmp(&key(b))
}

/// A breakdown row with a target and its pacing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TargetRow {
    /// The district code or the measure code.
    pub code: String,
    /// The target for the whole period (0 when the plan sets none).
    pub target: u32,
    /// New employment counted so far.
    pub achieved: u32,
    /// The target paced linearly over the period's days up to today,
    /// rounded half up.
    pub expected_to_date: u32,
    /// On track or behind, by the plan's pacing rule (compared exactly).
    pub status: PaceStatus,
}

/// A year's target, achievement and pacing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct YearRow {
    /// The calendar year.
    pub year: i32,
    /// The year's target (0 when the plan sets none).
    pub target: u32,
    /// New employment counted in the year.
    pub achieved: u32,
    /// The year's target paced over its days in the period up to today.
    pub expected_to_date: u32,
    /// On track or behind, by the plan's pacing rule.
    pub status: PaceStatus,
}

/// New employment in one quarter or month of the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodRow {
    /// `2022-Q1` for a quarter, `2022-01` for a month.
    pub period: String,
    /// New employment counted in it.
    pub achieved: u32,
    /// New employment counted from the start of the plan to its end.
    pub cumulative: u32,
    /// The plan's total paced linearly to its last day: what `cumulative`
    /// should be by then (whether or not that day has come).
    pub expected_cumulative: u32,
}

/// New employment of one value of a characteristic (form, household,
/// disability category or level, sex).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CountRow {
    /// The stable code (for levels, the digit `1`–`4`).
    pub code: String,
    /// New employment counted with it.
    pub achieved: u32,
}

/// How many counted outcomes were still in work some months after they
/// started.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Retention {
    /// Months after the start of work.
    pub months: u32,
    /// Counted outcomes that started at least `months` months before today.
    pub eligible: u32,
    /// Of those, the ones that had not ended by `months` months after their
    /// start (`ended_on` empty or later than that day).
    pub retained: u32,
    /// `retained / eligible` to four decimal places; `None` when nobody is
    /// eligible yet.
    pub share: Option<Decimal>,
}

/// Where the trend of the completed months leads by the end of the period
/// (`docs/projection.md`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Projection {
    /// Always [`PROJECTION_METHOD`].
    pub method: &'static str,
    /// The projected new employment over the whole period.
    pub projected_total: u32,
    /// The lower end of the 95 % prediction interval.
    pub low: u32,
    /// The upper end of the 95 % prediction interval.
    pub high: u32,
    /// The completed months the line was fitted to.
    pub months_used: u32,
}

/// How far the "four ones" service reaches the people it is for: of the
/// working-age unemployed people in scope on the report's day, how many
/// have each step done (MISSION.md measure 9).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FourOnesCoverage {
    /// Working-age, unemployed, active people in scope.
    pub population: u64,
    /// One row per step, in the service's order.
    pub steps: Vec<StepCoverage>,
}

/// One step's coverage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepCoverage {
    /// The step's code (`check`, `assessment`, `need`, `service`).
    pub step: String,
    /// People with the step done.
    pub done: u64,
    /// `done / population` to four decimal places; `None` when nobody is
    /// in the population.
    pub share: Option<Decimal>,
}

impl FourOnesCoverage {
    /// The coverage of `population` people with `done` of each step, in
    /// [`Step::ALL`]'s order.
    pub fn new(population: u64, done: [u64; 4]) -> FourOnesCoverage {
        FourOnesCoverage {
            population,
            steps: Step::ALL
                .iter()
                .zip(done)
                .map(|(step, done)| StepCoverage {
                    step: step.code().to_owned(),
                    done,
                    share: (population > 0)
                        .then(|| (Decimal::from(done) / Decimal::from(population)).round_dp(4)),
                })
                .collect(),
        }
    }
}

/// Achievement against a plan on a given day: the body of
/// `GET /api/v1/progress`. Field names are stable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProgressReport {
    /// The plan's identifier.
    pub plan_id: String,
    /// The plan's Chinese name.
    pub plan_name_zh: String,
    /// The plan's English name.
    pub plan_name_en: String,
    /// The first day of the period.
    pub start: NaiveDate,
    /// The last day of the period (inclusive).
    pub end: NaiveDate,
    /// The day the report was made for.
    pub today: NaiveDate,
    /// The plan's total target.
    pub target: u32,
    /// New employment counted so far (outcomes started by `today`).
    pub achieved: u32,
    /// The total target paced linearly over the period's days up to today.
    pub expected_to_date: u32,
    /// On track or behind overall.
    pub status: PaceStatus,
    /// The share of expected-to-date below which a row is behind.
    pub on_track_ratio: Decimal,
    /// Per calendar year of the period.
    pub by_year: Vec<YearRow>,
    /// Per quarter of the period, all quarters listed.
    pub by_quarter: Vec<PeriodRow>,
    /// Per month of the period, all months listed.
    pub by_month: Vec<PeriodRow>,
    /// Per district: the plan's districts in its order, then any other
    /// district credited (with target 0).
    pub by_district: Vec<TargetRow>,
    /// Per measure, all ten.
    pub by_measure: Vec<TargetRow>,
    /// Per employment form, all seven.
    pub by_form: Vec<CountRow>,
    /// Urban and rural.
    pub by_hukou: Vec<CountRow>,
    /// Per disability category.
    pub by_category: Vec<CountRow>,
    /// Per disability level, 1–4 (and any other level found in the data).
    pub by_level: Vec<CountRow>,
    /// Per sex.
    pub by_sex: Vec<CountRow>,
    /// Retention after 6 and 12 months.
    pub retention: Vec<Retention>,
    /// The projection to the end of the period; `None` with fewer than
    /// three completed months.
    pub projection: Option<Projection>,
    /// The "four ones" coverage in the same scope on the same day, which
    /// the application adds from the people's records; `None` from
    /// [`progress`] alone.
    pub four_ones: Option<FourOnesCoverage>,
    /// For a district's report, new employment per street (`code` is the
    /// street's name, `""` when none is recorded), most first, which the
    /// application adds from the people's records; empty otherwise.
    pub by_street: Vec<CountRow>,
}

/// Makes the progress report of `plan` on `today`. Only outcomes that
/// started by `today` count: a job recorded ahead of its start is not yet
/// achieved. Every breakdown adds up to `achieved`.
pub fn progress(outcomes: &[Outcome], plan: &PlanTarget, today: NaiveDate) -> ProgressReport {
    let counted = count_refs(outcomes.iter().filter(|o| o.started_on <= today), plan);
    progress_from(&Tally::of(&counted), plan, today)
}

/// Makes the progress report of `plan` on `today` from the tally of the
/// new employment counted in its period up to `today` (what [`progress`]
/// counts from outcomes, or what a store keeps counted).
pub fn progress_from(tally: &Tally, plan: &PlanTarget, today: NaiveDate) -> ProgressReport {
    let achieved = tally.counted();
    let period = Window::new(plan.start, plan.end, today);
    let rule = &plan.pacing;

    let months = months_of(plan.start, plan.end);
    let mut per_month: BTreeMap<(i32, u32), u32> = months.iter().map(|m| (*m, 0)).collect();
    for (day, counts) in &tally.days {
        *per_month.entry((day.year(), day.month())).or_default() += counts.counted;
    }
    let by_year = year_rows(&per_month, plan, today);
    let by_month = cumulative_rows(
        plan,
        per_month
            .iter()
            .map(|((y, m), n)| (format!("{y:04}-{m:02}"), *n, month_last_day(*y, *m))),
    );
    let mut per_quarter: BTreeMap<(i32, u32), u32> = BTreeMap::new();
    for ((y, m), n) in &per_month {
        *per_quarter.entry((*y, (m - 1) / 3 + 1)).or_default() += n;
    }
    let by_quarter = cumulative_rows(
        plan,
        per_quarter
            .iter()
            .map(|((y, q), n)| (format!("{y:04}-Q{q}"), *n, month_last_day(*y, q * 3))),
    );

    let (by_district, by_measure) = target_rows(tally, plan, period);

    let by_form = count_rows(
        tally,
        Dimension::Form,
        EmploymentForm::ALL.iter().map(|f| f.code().to_owned()),
    );
    let by_hukou = count_rows(
        tally,
        Dimension::Hukou,
        Hukou::ALL.iter().map(|h| h.code().to_owned()),
    );
    let by_category = count_rows(
        tally,
        Dimension::Category,
        DisabilityCategory::ALL.iter().map(|c| c.code().to_owned()),
    );
    let by_level = count_rows(
        tally,
        Dimension::Level,
        (1..=4_u8).map(|level| level.to_string()),
    );
    let by_sex = count_rows(
        tally,
        Dimension::Sex,
        Sex::ALL.iter().map(|s| s.code().to_owned()),
    );

    let retention = RETENTION_MONTHS
        .iter()
        .enumerate()
        .map(|(slot, months)| retention(tally, slot, *months, today))
        .collect();

    // A month is complete once its last day in the period has passed; only
    // complete months feed the trend, so a half-recorded month does not
    // pull the line down.
    let completed: Vec<u32> = by_month_cumulative(&per_month)
        .into_iter()
        .filter(|((y, m), _)| month_last_day(*y, *m).min(plan.end) < today)
        .map(|(_, cumulative)| cumulative)
        .collect();
    let projection = project_linear_trend(&completed, count_u32(months.len()));

    ProgressReport {
        plan_id: plan.id.clone(),
        plan_name_zh: plan.name_zh.clone(),
        plan_name_en: plan.name_en.clone(),
        start: plan.start,
        end: plan.end,
        today,
        target: plan.total,
        achieved,
        expected_to_date: period.expected(plan.total),
        status: rule.status(achieved, plan.total, period),
        on_track_ratio: rule.on_track_ratio,
        by_year,
        by_quarter,
        by_month,
        by_district,
        by_measure,
        by_form,
        by_hukou,
        by_category,
        by_level,
        by_sex,
        retention,
        projection,
        four_ones: None,
        by_street: Vec::new(),
    }
}

/// One row per calendar year of the period, each paced over its own days
/// in the period with its own target.
fn year_rows(
    per_month: &BTreeMap<(i32, u32), u32>,
    plan: &PlanTarget,
    today: NaiveDate,
) -> Vec<YearRow> {
    let rule = &plan.pacing;
    (plan.start.year()..=plan.end.year())
        .map(|year| {
            let target = plan
                .by_year
                .iter()
                .find(|(y, _)| *y == year)
                .map_or(0, |(_, t)| *t);
            let achieved = per_month
                .range((year, 1)..=(year, 12))
                .map(|(_, n)| n)
                .sum();
            let window = Window::new(
                plan.start.max(date(year, 1, 1)),
                plan.end.min(date(year, 12, 31)),
                today,
            );
            YearRow {
                year,
                target,
                achieved,
                expected_to_date: window.expected(target),
                status: rule.status(achieved, target, window),
            }
        })
        .collect()
}

/// The district rows (the plan's districts in its order, then any other
/// district credited) and the measure rows (all ten), paced over the period.
fn target_rows(
    tally: &Tally,
    plan: &PlanTarget,
    period: Window,
) -> (Vec<TargetRow>, Vec<TargetRow>) {
    let rule = &plan.pacing;
    let target_row = |code: String, target: u32, achieved: u32| TargetRow {
        code,
        target,
        achieved,
        expected_to_date: period.expected(target),
        status: rule.status(achieved, target, period),
    };
    let mut per_district: BTreeMap<&str, u32> = tally.values_of(Dimension::District).collect();
    let mut by_district: Vec<TargetRow> = plan
        .by_district
        .iter()
        .map(|(code, target)| {
            let achieved = per_district.remove(code.as_str()).unwrap_or(0);
            target_row(code.clone(), *target, achieved)
        })
        .collect();
    by_district.extend(
        per_district
            .into_iter()
            .map(|(code, achieved)| target_row(code.to_owned(), 0, achieved)),
    );

    let by_measure = Measure::ALL
        .iter()
        .map(|measure| {
            let target = plan
                .by_measure
                .iter()
                .find(|(m, _)| m == measure)
                .map_or(0, |(_, t)| *t);
            let achieved = tally.count_of(Dimension::Measure, measure.code());
            target_row(measure.code().to_owned(), target, achieved)
        })
        .collect();

    (by_district, by_measure)
}

/// The counts of one characteristic: one row per code of `codes` in that
/// order (zeros included), then any other code found in the data, so the
/// rows always add up to the total even when a record holds an unexpected
/// value.
fn count_rows(
    tally: &Tally,
    dimension: Dimension,
    codes: impl IntoIterator<Item = String>,
) -> Vec<CountRow> {
    let mut counts: BTreeMap<&str, u32> = tally.values_of(dimension).collect();
    let mut rows: Vec<CountRow> = codes
        .into_iter()
        .map(|code| {
            let achieved = counts.remove(code.as_str()).unwrap_or(0);
            CountRow { code, achieved }
        })
        .collect();
    rows.extend(counts.into_iter().map(|(code, achieved)| CountRow {
        code: code.to_owned(),
        achieved,
    }));
    rows
}

/// Retention after `months` (the `slot`-th of [`RETENTION_MONTHS`]): of
/// the people whose work started at least `months` months before `today`,
/// those still in work then.
fn retention(tally: &Tally, slot: usize, months: u32, today: NaiveDate) -> Retention {
    let mut eligible = 0_u32;
    let mut retained = 0_u32;
    for (day, counts) in &tally.days {
        let Some(mark) = day.checked_add_months(Months::new(months)) else {
            continue;
        };
        if mark > today {
            // Later days' marks are no earlier.
            break;
        }
        eligible += counts.counted;
        retained += counts.retained[slot];
    }
    let share =
        (eligible > 0).then(|| (Decimal::from(retained) / Decimal::from(eligible)).round_dp(4));
    Retention {
        months,
        eligible,
        retained,
        share,
    }
}

/// Fits a least-squares line to `cumulative` — the cumulative new
/// employment at the end of months 1, 2, … of the period — and extends it
/// to month `total_months`, the last month of the period, with a 95 %
/// prediction interval (`docs/projection.md`). The projection and its low
/// end are never below the last observed value, since a cumulative count
/// cannot fall. `None` with fewer than [`MIN_PROJECTION_MONTHS`] values.
pub fn project_linear_trend(cumulative: &[u32], total_months: u32) -> Option<Projection> {
    let n = cumulative.len();
    if n < MIN_PROJECTION_MONTHS {
        return None;
    }
    let months_used = count_u32(n);
    let n_f = f64::from(months_used);
    let xs: Vec<f64> = (1..=months_used).map(f64::from).collect();
    let ys: Vec<f64> = cumulative.iter().map(|y| f64::from(*y)).collect();
    let mean_x = xs.iter().sum::<f64>() / n_f;
    let mean_y = ys.iter().sum::<f64>() / n_f;
    let sxx: f64 = xs.iter().map(|x| (x - mean_x).powi(2)).sum();
    let sxy: f64 = xs
        .iter()
        .zip(&ys)
        .map(|(x, y)| (x - mean_x) * (y - mean_y))
        .sum();
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    let sse: f64 = xs
        .iter()
        .zip(&ys)
        .map(|(x, y)| (y - (intercept + slope * x)).powi(2))
        .sum();
    let degrees_of_freedom = months_used - 2;
    let sigma = (sse / f64::from(degrees_of_freedom)).sqrt();
    let horizon = f64::from(total_months.max(months_used));
    let mid = intercept + slope * horizon;
    let standard_error = sigma * (1.0 + 1.0 / n_f + (horizon - mean_x).powi(2) / sxx).sqrt();
    let half_width = student_t_975(degrees_of_freedom) * standard_error;
    let floor = cumulative.last().copied().unwrap_or(0);
    let projected_total = round_count(mid).max(floor);
    Some(Projection {
        method: PROJECTION_METHOD,
        projected_total,
        low: round_count(mid - half_width).max(floor),
        high: round_count(mid + half_width).max(projected_total),
        months_used,
    })
}

/// The 97.5th percentile of Student's t distribution, for a two-sided 95 %
/// interval. Beyond 30 degrees of freedom the value for 30 is used, which
/// errs slightly wide (a plan of three years has at most 34).
fn student_t_975(degrees_of_freedom: u32) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    let index = usize::try_from(degrees_of_freedom.clamp(1, 30) - 1).unwrap_or(29);
    TABLE.get(index).copied().unwrap_or(2.042)
}

/// Rounds an estimate to whole people, clamped to `0..=u32::MAX` first.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the value is rounded and clamped to the range of u32 before the cast"
)]
fn round_count(value: f64) -> u32 {
    if value.is_nan() {
        return 0;
    }
    value.round().clamp(0.0, f64::from(u32::MAX)) as u32
}

/// The days of a period and how many of them have passed by `today`
/// (today included).
#[derive(Clone, Copy, Debug)]
struct Window {
    days: u64,
    elapsed: u64,
}

impl Window {
    fn new(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> Window {
        let span = |to: NaiveDate| u64::try_from((to - start).num_days() + 1).unwrap_or(0);
        Window {
            days: span(end),
            elapsed: if today < start {
                0
            } else {
                span(today.min(end))
            },
        }
    }

    /// `target × elapsed / days`, rounded half up.
    fn expected(self, target: u32) -> u32 {
        if self.days == 0 {
            return 0;
        }
        let expected = (2 * u64::from(target) * self.elapsed + self.days) / (2 * self.days);
        u32::try_from(expected).unwrap_or(u32::MAX)
    }
}

/// Rows of `(label, achieved, last day)` with their running totals and
/// the plan's pace at each last day.
fn cumulative_rows(
    plan: &PlanTarget,
    rows: impl Iterator<Item = (String, u32, NaiveDate)>,
) -> Vec<PeriodRow> {
    let mut cumulative = 0;
    rows.map(|(period, achieved, last_day)| {
        cumulative += achieved;
        PeriodRow {
            period,
            achieved,
            cumulative,
            expected_cumulative: Window::new(plan.start, plan.end, last_day).expected(plan.total),
        }
    })
    .collect()
}

fn by_month_cumulative(per_month: &BTreeMap<(i32, u32), u32>) -> Vec<((i32, u32), u32)> {
    let mut cumulative = 0;
    per_month
        .iter()
        .map(|(month, n)| {
            cumulative += n;
            (*month, cumulative)
        })
        .collect()
}

/// The (year, month) pairs that overlap `start..=end`.
fn months_of(start: NaiveDate, end: NaiveDate) -> Vec<(i32, u32)> {
    let mut months = Vec::new();
    let (mut year, mut month) = (start.year(), start.month());
    while (year, month) <= (end.year(), end.month()) {
        months.push((year, month));
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    months
}

fn month_last_day(year: i32, month: u32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MAX);
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// A calendar date from constants known to be valid.
fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// Converts a count of records to `u32`, saturating; no plan counts
/// anywhere near four billion people.
fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use proptest::prelude::*;

    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// An outcome of `person` starting on `started`, credited to `measure`
    /// in `district`; the other fields are fixed.
    fn outcome(person: i64, started: &str, measure: Measure, district: &str) -> Outcome {
        Outcome {
            person_id: person,
            started_on: day(started),
            form: EmploymentForm::Quota,
            measure,
            district_code: district.to_owned(),
            hukou: Hukou::Urban,
            category: DisabilityCategory::Physical,
            level: 3,
            sex: Sex::Female,
            ended_on: None,
        }
    }

    fn plan() -> PlanTarget {
        PlanTarget::tianjin_2022_2024()
    }

    /// (person, year, measure code, district code) of each counted outcome.
    fn credited(outcomes: &[Outcome]) -> Vec<(i64, i32, &'static str, String)> {
        let mut rows: Vec<_> = count_new_employment(outcomes, &plan())
            .into_iter()
            .map(|c| {
                (
                    c.outcome.person_id,
                    c.year,
                    c.outcome.measure.code(),
                    c.district_code,
                )
            })
            .collect();
        rows.sort();
        rows
    }

    #[test]
    fn the_default_plan_adds_up() {
        let plan = plan();
        assert_eq!(plan.validate(), Ok(()));
        assert_eq!(plan.total, 15_000);
        assert_eq!(
            plan.by_year,
            vec![(2022, 5_000), (2023, 5_000), (2024, 5_000)]
        );
        let codes: Vec<&str> = plan.by_district.iter().map(|(c, _)| c.as_str()).collect();
        let current: Vec<&str> = district::all().iter().map(|d| d.code).collect();
        assert_eq!(codes, current);
        assert!(plan.by_district.iter().all(|(_, t)| *t > 0));
        assert_eq!(plan.by_district.iter().map(|(_, t)| t).sum::<u32>(), 15_000);
        assert_eq!(plan.by_measure.iter().map(|(_, t)| t).sum::<u32>(), 15_000);
        assert_eq!(plan.by_measure.len(), Measure::ALL.len());
        let largest = plan
            .by_measure
            .iter()
            .max_by_key(|(_, t)| *t)
            .map(|(m, _)| *m);
        assert_eq!(largest, Some(Measure::PrivateEnterprises));
        let json = serde_json::to_string(&plan).unwrap();
        let back: PlanTarget = serde_json::from_str(&json).unwrap();
        assert_eq!(back, plan);
    }

    #[test]
    fn a_plan_without_pacing_reads_the_default_rule() {
        let mut json = serde_json::to_value(plan()).unwrap();
        json.as_object_mut().unwrap().remove("pacing");
        let back: PlanTarget = serde_json::from_value(json).unwrap();
        assert_eq!(back.pacing.on_track_ratio, Decimal::new(95, 2));
    }

    #[test]
    fn validation_names_the_problem() {
        type Change = fn(&mut PlanTarget);
        let cases: [(Change, PlanError); 5] = [
            (
                |p| p.end = day("2021-01-01"),
                PlanError::EndBeforeStart {
                    start: day("2022-01-01"),
                    end: day("2021-01-01"),
                },
            ),
            (
                |p| p.by_year[0].1 = 4_999,
                PlanError::BreakdownSum {
                    breakdown: "year",
                    sum: 14_999,
                    total: 15_000,
                },
            ),
            (
                |p| p.by_year[0].0 = 2021,
                PlanError::YearOutsidePeriod(2021),
            ),
            (
                |p| p.by_district[0].0 = "120107".to_owned(),
                PlanError::UnknownDistrict("120107".to_owned()),
            ),
            (
                |p| p.by_measure[1].0 = Measure::AgenciesLead,
                PlanError::Duplicate {
                    breakdown: "measure",
                    key: "m01_agencies".to_owned(),
                },
            ),
        ];
        for (change, expected) in cases {
            let mut plan = plan();
            change(&mut plan);
            assert_eq!(plan.validate(), Err(expected));
        }
    }

    #[test]
    fn four_ones_coverage_is_a_share_per_step() {
        let coverage = FourOnesCoverage::new(3, [3, 2, 1, 0]);
        let shares: Vec<Option<Decimal>> = coverage.steps.iter().map(|s| s.share).collect();
        assert_eq!(
            shares,
            [
                Some(Decimal::ONE),
                Some(Decimal::new(6667, 4)),
                Some(Decimal::new(3333, 4)),
                Some(Decimal::ZERO)
            ]
        );
        assert_eq!(coverage.steps[1].step, "assessment");
        let empty = FourOnesCoverage::new(0, [0; 4]);
        assert!(empty.steps.iter().all(|s| s.share.is_none()));
    }

    #[test]
    fn every_problem_is_listed_with_its_field_in_both_languages() {
        let mut broken = plan();
        broken.total = 15_001;
        broken.by_district[0].0 = "120107".to_owned();
        let problems = broken.problems();
        assert_eq!(
            problems.iter().map(PlanError::field).collect::<Vec<_>>(),
            ["by_year", "by_district", "by_measure"]
        );
        assert_eq!(problems[0].code(), "breakdown_sum");
        assert_eq!(
            problems[0].message(Lang::Zh),
            "各年度目标合计 15000，与总目标 15001 不一致。"
        );
        assert_eq!(
            problems[0].message(Lang::En),
            "The year targets add up to 15000, not to the total 15001."
        );
        assert_eq!(problems[1].message(Lang::Zh), "120107 不是现行的区代码。");
        assert!(plan().problems().is_empty());
    }

    #[test]
    fn apportion_adds_up_exactly() {
        let cases: [(u32, &[u32], &[u32]); 5] = [
            (10, &[1, 1, 1], &[4, 3, 3]),
            (100, &[1, 2, 7], &[10, 20, 70]),
            (7, &[0, 0], &[0, 0]),
            (5, &[], &[]),
            (2, &[1, 1, 1], &[1, 1, 0]),
        ];
        for (total, weights, expected) in cases {
            assert_eq!(
                apportion(total, weights),
                expected,
                "{total} over {weights:?}"
            );
        }
    }

    #[test]
    fn a_person_counts_once_per_calendar_year() {
        use Measure::{PrivateEnterprises as M3, Rural as M6, Training as M10};
        type Case = (
            &'static str,
            Vec<Outcome>,
            Vec<(i64, i32, &'static str, &'static str)>,
        );
        let cases: Vec<Case> = vec![
            (
                "twice in one year: the first outcome's measure and district",
                vec![
                    outcome(1, "2023-05-01", M6, "120119"),
                    outcome(1, "2023-02-01", M3, "120101"),
                ],
                vec![(1, 2023, "m03_private", "120101")],
            ),
            (
                "in two years: counts twice",
                vec![
                    outcome(1, "2022-03-01", M3, "120101"),
                    outcome(1, "2023-03-01", M6, "120119"),
                ],
                vec![
                    (1, 2022, "m03_private", "120101"),
                    (1, 2023, "m06_rural", "120119"),
                ],
            ),
            (
                "31 December and 1 January land in their own years",
                vec![
                    outcome(1, "2022-12-31", M3, "120101"),
                    outcome(1, "2023-01-01", M6, "120119"),
                ],
                vec![
                    (1, 2022, "m03_private", "120101"),
                    (1, 2023, "m06_rural", "120119"),
                ],
            ),
            (
                "the same day: the lower measure code wins",
                vec![
                    outcome(1, "2023-05-01", M10, "120119"),
                    outcome(1, "2023-05-01", M3, "120101"),
                ],
                vec![(1, 2023, "m03_private", "120101")],
            ),
            (
                "before the start and after the end are ignored",
                vec![
                    outcome(1, "2021-12-31", M3, "120101"),
                    outcome(2, "2025-01-01", M3, "120101"),
                    outcome(3, "2022-01-01", M3, "120101"),
                    outcome(4, "2024-12-31", M3, "120101"),
                ],
                vec![
                    (3, 2022, "m03_private", "120101"),
                    (4, 2024, "m03_private", "120101"),
                ],
            ),
            (
                "an outcome before the period does not block the first inside it",
                vec![
                    outcome(1, "2021-06-01", M6, "120119"),
                    outcome(1, "2022-06-01", M3, "120101"),
                ],
                vec![(1, 2022, "m03_private", "120101")],
            ),
            (
                "a withdrawn district code is credited to the current district",
                vec![outcome(1, "2023-05-01", M3, "120107")],
                vec![(1, 2023, "m03_private", "120116")],
            ),
            ("nobody", vec![], vec![]),
        ];
        for (name, outcomes, expected) in cases {
            let expected: Vec<_> = expected
                .into_iter()
                .map(|(p, y, m, d)| (p, y, m, d.to_owned()))
                .collect();
            assert_eq!(credited(&outcomes), expected, "{name}");
            let mut reversed = outcomes.clone();
            reversed.reverse();
            assert_eq!(credited(&reversed), expected, "{name}, reversed");
        }
    }

    #[test]
    fn pacing_on_known_days() {
        // The period has 1,096 days (2024 is a leap year); 2 July 2023 is
        // its 548th, exactly half.
        let cases = [
            ("2021-12-31", 0, [0, 0, 0]),
            ("2022-01-01", 14, [14, 0, 0]),
            ("2022-12-31", 4_995, [5_000, 0, 0]),
            ("2023-07-02", 7_500, [5_000, 2_507, 0]),
            ("2024-12-31", 15_000, [5_000, 5_000, 5_000]),
            ("2030-01-01", 15_000, [5_000, 5_000, 5_000]),
        ];
        for (today, expected, years) in cases {
            let report = progress(&[], &plan(), day(today));
            assert_eq!(report.expected_to_date, expected, "{today}");
            let by_year: Vec<u32> = report.by_year.iter().map(|y| y.expected_to_date).collect();
            assert_eq!(by_year, years, "{today}");
            let district_sum: u32 = report.by_district.iter().map(|r| r.expected_to_date).sum();
            assert!(
                district_sum.abs_diff(expected) <= 16,
                "{today}: {district_sum}"
            );
        }
    }

    #[test]
    fn behind_below_95_percent_of_expected() {
        // 100 days, a target of 100: on day 50, 50 are expected and 47.5 is
        // the threshold.
        let plan = PlanTarget {
            id: "test".to_owned(),
            name_zh: "测试".to_owned(),
            name_en: "Test".to_owned(),
            start: day("2022-01-01"),
            end: day("2022-04-10"),
            total: 100,
            by_year: vec![(2022, 100)],
            by_district: vec![("120101".to_owned(), 100)],
            by_measure: vec![(Measure::Training, 100)],
            pacing: PacingRule::default(),
        };
        assert_eq!(plan.validate(), Ok(()));
        let cases = [
            (50, PaceStatus::OnTrack),
            (48, PaceStatus::OnTrack),
            (47, PaceStatus::Behind),
            (0, PaceStatus::Behind),
        ];
        for (achieved, status) in cases {
            let outcomes: Vec<Outcome> = (0..achieved)
                .map(|person| outcome(person, "2022-01-05", Measure::Training, "120101"))
                .collect();
            let report = progress(&outcomes, &plan, day("2022-02-19"));
            assert_eq!(report.expected_to_date, 50);
            assert_eq!(report.status, status, "{achieved}");
            assert_eq!(report.by_district[0].status, status, "{achieved}");
            let training = report
                .by_measure
                .iter()
                .find(|r| r.code == "m10_training")
                .unwrap();
            assert_eq!(training.status, status, "{achieved}");
            // A measure without a target is never behind.
            assert_eq!(report.by_measure[0].status, PaceStatus::OnTrack);
        }
    }

    #[test]
    fn totals_equal_every_breakdown() {
        let measures = Measure::ALL;
        let forms = EmploymentForm::ALL;
        let districts = district::all();
        let outcomes: Vec<Outcome> = (0..500_i64)
            .map(|i| {
                let index = usize::try_from(i).unwrap();
                let mut o = outcome(
                    i % 170,
                    "2022-01-01",
                    measures[index % measures.len()],
                    if i % 37 == 0 {
                        "120108"
                    } else {
                        districts[index % districts.len()].code
                    },
                );
                o.started_on = day("2021-11-01") + chrono::Days::new(u64::try_from(i * 3).unwrap());
                o.form = forms[index % forms.len()];
                o.hukou = if i % 3 == 0 {
                    Hukou::Rural
                } else {
                    Hukou::Urban
                };
                o.category = DisabilityCategory::ALL[index % 7];
                o.level = u8::try_from(i % 4 + 1).unwrap();
                o.sex = if i % 2 == 0 { Sex::Male } else { Sex::Female };
                o
            })
            .collect();
        let report = progress(&outcomes, &plan(), day("2024-06-15"));
        assert!(report.achieved > 200, "{}", report.achieved);
        assert_breakdowns_add_up(&report);
    }

    fn assert_breakdowns_add_up(report: &ProgressReport) {
        let total = report.achieved;
        let target_sum = |rows: &[TargetRow]| rows.iter().map(|r| r.achieved).sum::<u32>();
        let count_sum = |rows: &[CountRow]| rows.iter().map(|r| r.achieved).sum::<u32>();
        assert_eq!(
            report.by_year.iter().map(|r| r.achieved).sum::<u32>(),
            total,
            "year"
        );
        assert_eq!(
            report.by_quarter.iter().map(|r| r.achieved).sum::<u32>(),
            total,
            "quarter"
        );
        assert_eq!(
            report.by_month.iter().map(|r| r.achieved).sum::<u32>(),
            total,
            "month"
        );
        assert_eq!(
            report.by_month.last().map_or(0, |r| r.cumulative),
            total,
            "cumulative"
        );
        assert_eq!(target_sum(&report.by_district), total, "district");
        assert_eq!(target_sum(&report.by_measure), total, "measure");
        for (name, rows) in [
            ("form", &report.by_form),
            ("hukou", &report.by_hukou),
            ("category", &report.by_category),
            ("level", &report.by_level),
            ("sex", &report.by_sex),
        ] {
            assert_eq!(count_sum(rows), total, "{name}");
        }
        assert_eq!(report.by_quarter.len(), 12);
        assert_eq!(report.by_month.len(), 36);
    }

    #[test]
    fn periods_are_labelled_and_outcomes_after_today_wait() {
        let outcomes = [
            outcome(1, "2022-03-31", Measure::Training, "120101"),
            outcome(2, "2022-04-01", Measure::Training, "120101"),
            outcome(3, "2022-04-02", Measure::Training, "120101"),
        ];
        let report = progress(&outcomes, &plan(), day("2022-04-01"));
        assert_eq!(report.achieved, 2);
        assert_eq!(report.by_month[2].period, "2022-03");
        assert_eq!(report.by_month[2].achieved, 1);
        assert_eq!(report.by_month[3].achieved, 1);
        assert_eq!(report.by_quarter[0].period, "2022-Q1");
        assert_eq!(report.by_quarter[1].period, "2022-Q2");
        assert_eq!(
            (
                report.by_quarter[0].achieved,
                report.by_quarter[1].cumulative
            ),
            (1, 2)
        );
        assert_eq!(report.by_quarter[11].period, "2024-Q4");
        // Paced over 1,096 days: 31 days by the end of January 2022 is
        // 424.3, the whole of 2022 is 4,995.4 and the last quarter 15,000.
        assert_eq!(report.by_month[0].expected_cumulative, 424);
        assert_eq!(report.by_month[11].expected_cumulative, 4_995);
        assert_eq!(report.by_quarter[11].expected_cumulative, 15_000);
    }

    #[test]
    fn retention_after_6_and_12_months() {
        let with_end = |person, started: &str, ended: Option<&str>| {
            let mut o = outcome(person, started, Measure::Training, "120101");
            o.ended_on = ended.map(day);
            o
        };
        let outcomes = [
            with_end(1, "2022-01-10", None),               // in work
            with_end(2, "2022-01-10", Some("2022-07-10")), // ended on the 6-month day
            with_end(3, "2022-01-10", Some("2022-07-11")), // ended the day after
            with_end(4, "2022-08-01", Some("2022-08-30")), // 6 months not yet passed
            with_end(5, "2022-03-15", Some("2023-01-01")), // 6 yes, 12 too recent
        ];
        let report = progress(&outcomes, &plan(), day("2023-01-10"));
        let six = &report.retention[0];
        assert_eq!((six.months, six.eligible, six.retained), (6, 4, 3));
        assert_eq!(six.share, Some(Decimal::new(75, 2)));
        let twelve = &report.retention[1];
        assert_eq!(
            (twelve.months, twelve.eligible, twelve.retained),
            (12, 3, 1)
        );
        assert_eq!(twelve.share, Some(Decimal::new(3333, 4)));
        let early = progress(&outcomes, &plan(), day("2022-02-01"));
        assert_eq!(early.retention[0].eligible, 0);
        assert_eq!(early.retention[0].share, None);
    }

    #[test]
    fn a_linear_series_projects_exactly_with_no_band() {
        let cases: [(&[u32], u32, u32); 3] = [
            (&[400, 800, 1_200], 36, 14_400),
            (
                &[
                    400, 800, 1_200, 1_600, 2_000, 2_400, 2_800, 3_200, 3_600, 4_000, 4_400, 4_800,
                ],
                36,
                14_400,
            ),
            (&[110, 210, 310, 410, 510, 610], 12, 1_210),
        ];
        for (series, months, expected) in cases {
            let projection = project_linear_trend(series, months).unwrap();
            assert_eq!(projection.method, "linear_trend_monthly");
            assert_eq!(projection.projected_total, expected, "{series:?}");
            assert_eq!(
                (projection.low, projection.high),
                (expected, expected),
                "{series:?}"
            );
            assert_eq!(projection.months_used, count_u32(series.len()));
        }
    }

    #[test]
    fn the_documented_example_holds() {
        // docs/projection.md, "An example".
        let projection = project_linear_trend(&[380, 810, 1_190, 1_620, 1_980, 2_430], 36).unwrap();
        assert_eq!(
            (
                projection.projected_total,
                projection.low,
                projection.high,
                projection.months_used
            ),
            (14_578, 14_120, 15_036, 6)
        );
    }

    #[test]
    fn fewer_than_three_months_give_no_projection() {
        for series in [&[][..], &[100], &[100, 200]] {
            assert_eq!(project_linear_trend(series, 36), None);
        }
        let outcomes: Vec<Outcome> = (0..20)
            .map(|p| {
                outcome(
                    p,
                    if p < 10 { "2022-01-15" } else { "2022-02-15" },
                    Measure::Training,
                    "120101",
                )
            })
            .collect();
        // January and February are complete on 1 March; March is not.
        assert_eq!(
            progress(&outcomes, &plan(), day("2022-03-31")).projection,
            None
        );
    }

    /// Deterministic noise in `-50..=50` (a linear congruential generator).
    fn noise(state: &mut u64) -> i64 {
        *state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        i64::try_from((*state >> 33) % 101).unwrap() - 50
    }

    /// `400 × month + noise` for months 1 to 36: a trend of 400 a month,
    /// observed with errors around it.
    fn noisy_series(seed: u64) -> Vec<u32> {
        let mut state = seed;
        (1..=36_i64)
            .map(|month| u32::try_from(400 * month + noise(&mut state)).unwrap())
            .collect()
    }

    #[test]
    fn a_noisy_series_band_contains_the_true_value() {
        let series = noisy_series(7);
        let projection = project_linear_trend(&series[..12], 36).unwrap();
        assert!(
            projection.low < 14_400 && 14_400 < projection.high,
            "{projection:?}"
        );
        assert!(
            projection.projected_total.abs_diff(14_400) < 300,
            "{projection:?}"
        );
        assert!(
            projection.low <= projection.projected_total
                && projection.projected_total <= projection.high
        );
        // The band is a 95 % prediction interval: over many series it holds
        // the realised value of month 36 nearly every time.
        let covered = (0..200)
            .filter(|seed| {
                let series = noisy_series(*seed);
                let p = project_linear_trend(&series[..12], 36).unwrap();
                (p.low..=p.high).contains(&series[35])
            })
            .count();
        assert!(covered >= 185, "{covered} of 200");
    }

    #[test]
    fn the_projection_never_falls_below_what_is_achieved() {
        let projection = project_linear_trend(&[1_000, 1_000, 1_000, 1_000], 36).unwrap();
        assert_eq!(
            (projection.low, projection.projected_total, projection.high),
            (1_000, 1_000, 1_000)
        );
    }

    #[test]
    fn the_report_projects_from_completed_months() {
        // 100 a month for January to June 2022; July has begun.
        let outcomes: Vec<Outcome> = (0..700_i64)
            .map(|p| {
                let month = u32::try_from(p / 100 + 1).unwrap();
                let mut o = outcome(p, "2022-01-01", Measure::Training, "120101");
                o.started_on = NaiveDate::from_ymd_opt(2022, month, 10).unwrap();
                o
            })
            .collect();
        let report = progress(&outcomes, &plan(), day("2022-07-15"));
        assert_eq!(report.achieved, 700);
        let projection = report.projection.unwrap();
        assert_eq!(projection.months_used, 6);
        assert_eq!(projection.projected_total, 3_600);
    }

    #[test]
    fn the_report_serialises_with_stable_names() {
        let outcomes = [outcome(1, "2022-05-01", Measure::Rural, "120119")];
        let json = serde_json::to_value(progress(&outcomes, &plan(), day("2022-06-01"))).unwrap();
        for key in [
            "plan_id",
            "plan_name_zh",
            "plan_name_en",
            "start",
            "end",
            "today",
            "target",
            "achieved",
            "expected_to_date",
            "status",
            "on_track_ratio",
            "by_year",
            "by_quarter",
            "by_month",
            "by_district",
            "by_measure",
            "by_form",
            "by_hukou",
            "by_category",
            "by_level",
            "by_sex",
            "retention",
            "projection",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
        assert_eq!(json["plan_id"], "tianjin-2022-2024");
        assert_eq!(json["start"], "2022-01-01");
        assert_eq!(json["status"], "behind");
        assert_eq!(json["by_measure"][5]["code"], "m06_rural");
        assert_eq!(json["by_measure"][5]["achieved"], 1);
        assert_eq!(json["by_district"][15]["code"], "120119");
        assert_eq!(json["by_district"][15]["status"], "behind");
        assert_eq!(json["by_district"][0]["status"], "behind");
        assert_eq!(json["by_measure"][0]["expected_to_date"], 83);
        assert_eq!(json["by_level"][2]["code"], "3");
        assert_eq!(json["by_month"][4]["period"], "2022-05");
        assert_eq!(json["retention"][0]["months"], 6);
        assert_eq!(json["projection"]["method"], "linear_trend_monthly");
        assert_eq!(json["projection"]["months_used"], 5);
        let early = serde_json::to_value(progress(&outcomes, &plan(), day("2022-02-01"))).unwrap();
        assert!(early["projection"].is_null());
    }

    fn arbitrary_outcome() -> impl Strategy<Value = Outcome> {
        (
            0_i64..25,
            0_u64..(365 * 4 + 60),
            0_usize..10,
            0_usize..7,
            0_usize..17,
            0_usize..7,
            1_u8..=4,
            any::<bool>(),
        )
            .prop_map(
                |(person, offset, measure, form, district_index, category, level, male)| {
                    let code = district::all()
                        .get(district_index)
                        .map_or("120109", |d| d.code);
                    Outcome {
                        person_id: person,
                        started_on: day("2021-11-01") + chrono::Days::new(offset),
                        form: EmploymentForm::ALL[form],
                        measure: Measure::ALL[measure],
                        district_code: code.to_owned(),
                        hukou: if male { Hukou::Urban } else { Hukou::Rural },
                        category: DisabilityCategory::ALL[category],
                        level,
                        sex: if male { Sex::Male } else { Sex::Female },
                        ended_on: None,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn counts_are_distinct_person_years(outcomes in prop::collection::vec(arbitrary_outcome(), 0..120)) {
            let plan = plan();
            let today = day("2024-03-01");
            let pairs: BTreeSet<(i64, i32)> = outcomes
                .iter()
                .filter(|o| plan.contains(o.started_on) && o.started_on <= today)
                .map(|o| (o.person_id, o.started_on.year()))
                .collect();
            let report = progress(&outcomes, &plan, today);
            prop_assert!(report.achieved as usize <= pairs.len());
            prop_assert_eq!(report.achieved as usize, pairs.len());
            assert_breakdowns_add_up(&report);
        }
    }
}
