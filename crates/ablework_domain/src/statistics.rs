//! The statistical reports of the progress dashboard: new employment
//! (新增就业) in the CDPF indicator set for a month or a quarter, per
//! district and for the city.
//!
//! A [`ReportPeriod`] names the month (`2024-07`) or quarter (`2024-Q3`)
//! reported on. [`new_employment_statistics`] counts the new employment of
//! the period's calendar year up to its last day with the counting rule of
//! [`crate::progress`] — a person counts at most once a calendar year, in
//! the month of their first job that year (DOMAIN.md §5) — and
//! [`statistical_report`] lays the counted outcomes out as the report's
//! rows: new employment in the period, of which urban and rural, each of
//! the seven employment forms, and the year-to-date total. Every row's
//! parts add up to it and the rows add up to the total.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::district;
use crate::lang::Lang;
use crate::normalize::normalize_text;
use crate::outcome::{EmploymentForm, Outcome};
use crate::person::Hukou;
use crate::progress::{CountedOutcome, count_new_employment_between};

/// The first year a period may name: periods are written with four-digit
/// years.
pub const FIRST_YEAR: i32 = 1000;

/// The last year a period may name.
pub const LAST_YEAR: i32 = 9999;

/// Whether a report covers a month or a quarter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// A calendar month.
    Month,
    /// A calendar quarter: January–March, April–June, July–September or
    /// October–December.
    Quarter,
}

impl PeriodKind {
    /// Both kinds, months first.
    pub const ALL: &'static [PeriodKind] = &[PeriodKind::Month, PeriodKind::Quarter];

    /// The stable code: `month` or `quarter`.
    pub fn code(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<PeriodKind> {
        match code {
            "month" => Some(PeriodKind::Month),
            "quarter" => Some(PeriodKind::Quarter),
            _ => None,
        }
    }
}

/// A month or a quarter of a year, written `2024-07` or `2024-Q3`.
///
/// Always valid: the year lies between [`FIRST_YEAR`] and [`LAST_YEAR`],
/// the month between 1 and 12, the quarter between 1 and 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReportPeriod {
    year: i32,
    kind: PeriodKind,
    /// The month (1–12) or the quarter (1–4).
    number: u32,
}

/// Why a text is not a period.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Nothing was entered.
    #[error("no period was given")]
    Empty,
    /// The text is neither `YYYY-MM` nor `YYYY-Qn`.
    #[error("`{found}` is neither a month like 2024-07 nor a quarter like 2024-Q3")]
    Format {
        /// The text found.
        found: String,
    },
    /// The year lies outside [`FIRST_YEAR`]–[`LAST_YEAR`].
    #[error("the year {found} is outside {FIRST_YEAR}–{LAST_YEAR}")]
    Year {
        /// The year found.
        found: i32,
    },
    /// The month is not 1–12.
    #[error("the month {found} is not between 01 and 12")]
    Month {
        /// The month found.
        found: u32,
    },
    /// The quarter is not 1–4.
    #[error("the quarter Q{found} is not between Q1 and Q4")]
    Quarter {
        /// The quarter found.
        found: u32,
    },
}

impl PeriodError {
    /// The stable `snake_case` code of this kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            PeriodError::Empty => "required",
            PeriodError::Format { .. } => "period_format",
            PeriodError::Year { .. } => "period_year",
            PeriodError::Month { .. } => "period_month",
            PeriodError::Quarter { .. } => "period_quarter",
        }
    }

    /// A plain sentence saying what is wrong and what to write instead.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PeriodError::Empty, Lang::Zh) => {
                "请填写统计期：月份如 2024-07，季度如 2024-Q3。".to_owned()
            }
            (PeriodError::Empty, Lang::En) => {
                "Enter a period: a month like 2024-07 or a quarter like 2024-Q3.".to_owned()
            }
            (PeriodError::Format { found }, Lang::Zh) => {
                format!("“{found}”不是统计期：月份请写成 2024-07，季度请写成 2024-Q3。")
            }
            (PeriodError::Format { found }, Lang::En) => format!(
                "“{found}” is not a period: write a month like 2024-07 or a quarter like 2024-Q3."
            ),
            (PeriodError::Year { found }, Lang::Zh) => {
                format!("年份 {found} 不在 {FIRST_YEAR}–{LAST_YEAR} 之间。")
            }
            (PeriodError::Year { found }, Lang::En) => {
                format!("The year {found} is not between {FIRST_YEAR} and {LAST_YEAR}.")
            }
            (PeriodError::Month { found }, Lang::Zh) => {
                format!("月份 {found} 不在 01–12 之间。")
            }
            (PeriodError::Month { found }, Lang::En) => {
                format!("The month {found} is not between 01 and 12.")
            }
            (PeriodError::Quarter { found }, Lang::Zh) => {
                format!("季度 Q{found} 不在 Q1–Q4 之间。")
            }
            (PeriodError::Quarter { found }, Lang::En) => {
                format!("The quarter Q{found} is not between Q1 and Q4.")
            }
        }
    }
}

/// A day; the callers pass only real dates, so the fallback never shows.
fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

fn check_year(year: i32) -> Result<i32, PeriodError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err(PeriodError::Year { found: year })
    }
}

impl ReportPeriod {
    /// The month `month` (1–12) of `year`.
    pub fn month(year: i32, month: u32) -> Result<ReportPeriod, PeriodError> {
        let year = check_year(year)?;
        if !(1..=12).contains(&month) {
            return Err(PeriodError::Month { found: month });
        }
        Ok(ReportPeriod {
            year,
            kind: PeriodKind::Month,
            number: month,
        })
    }

    /// The quarter `quarter` (1–4) of `year`.
    pub fn quarter(year: i32, quarter: u32) -> Result<ReportPeriod, PeriodError> {
        let year = check_year(year)?;
        if !(1..=4).contains(&quarter) {
            return Err(PeriodError::Quarter { found: quarter });
        }
        Ok(ReportPeriod {
            year,
            kind: PeriodKind::Quarter,
            number: quarter,
        })
    }

    /// The period of `kind` that contains `day`; `None` when its year lies
    /// outside [`FIRST_YEAR`]–[`LAST_YEAR`].
    pub fn containing(kind: PeriodKind, day: NaiveDate) -> Option<ReportPeriod> {
        let month = ReportPeriod::month(day.year(), day.month()).ok()?;
        Some(month.in_kind(kind))
    }

    /// The default report: the last period of `kind` that was complete
    /// before `day` (on 15 July 2024, the month `2024-06` and the quarter
    /// `2024-Q2`; on 1 July 2024 the same, since June ended the day before).
    pub fn last_complete_before(kind: PeriodKind, day: NaiveDate) -> Option<ReportPeriod> {
        ReportPeriod::containing(kind, day)?.previous()
    }

    /// Month or quarter.
    pub fn kind(self) -> PeriodKind {
        self.kind
    }

    /// The calendar year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month (1–12) of a month, the quarter (1–4) of a quarter.
    pub fn number(self) -> u32 {
        self.number
    }

    /// The first month of the period (1–12).
    fn first_month(self) -> u32 {
        match self.kind {
            PeriodKind::Month => self.number,
            PeriodKind::Quarter => self.number * 3 - 2,
        }
    }

    /// How many months the period has.
    fn months(self) -> u32 {
        match self.kind {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
        }
    }

    /// The first day of the period.
    pub fn first_day(self) -> NaiveDate {
        date(self.year, self.first_month(), 1)
    }

    /// The last day of the period (included).
    pub fn last_day(self) -> NaiveDate {
        self.first_day()
            .checked_add_months(Months::new(self.months()))
            .and_then(|next| next.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// 1 January of the period's year: where its year to date starts.
    pub fn year_start(self) -> NaiveDate {
        date(self.year, 1, 1)
    }

    /// Whether `day` lies in the period.
    pub fn contains(self, day: NaiveDate) -> bool {
        self.first_day() <= day && day <= self.last_day()
    }

    /// The period of `kind` that holds this one's first month: the quarter
    /// of a month, the first month of a quarter, or the period itself.
    #[must_use]
    pub fn in_kind(self, kind: PeriodKind) -> ReportPeriod {
        let month = self.first_month();
        match kind {
            PeriodKind::Month => ReportPeriod {
                year: self.year,
                kind,
                number: month,
            },
            PeriodKind::Quarter => ReportPeriod {
                year: self.year,
                kind,
                number: (month - 1) / 3 + 1,
            },
        }
    }

    /// The period of the same kind just before this one; `None` before
    /// [`FIRST_YEAR`].
    pub fn previous(self) -> Option<ReportPeriod> {
        let last = match self.kind {
            PeriodKind::Month => 12,
            PeriodKind::Quarter => 4,
        };
        if self.number > 1 {
            Some(ReportPeriod {
                number: self.number - 1,
                ..self
            })
        } else {
            let year = check_year(self.year - 1).ok()?;
            Some(ReportPeriod {
                year,
                number: last,
                ..self
            })
        }
    }

    /// The period of the same kind just after this one; `None` after
    /// [`LAST_YEAR`].
    pub fn next(self) -> Option<ReportPeriod> {
        let last = match self.kind {
            PeriodKind::Month => 12,
            PeriodKind::Quarter => 4,
        };
        if self.number < last {
            Some(ReportPeriod {
                number: self.number + 1,
                ..self
            })
        } else {
            let year = check_year(self.year + 1).ok()?;
            Some(ReportPeriod {
                year,
                number: 1,
                ..self
            })
        }
    }
}

impl fmt::Display for ReportPeriod {
    /// `2024-07` or `2024-Q3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Month => write!(f, "{:04}-{:02}", self.year, self.number),
            PeriodKind::Quarter => write!(f, "{:04}-Q{}", self.year, self.number),
        }
    }
}

impl FromStr for ReportPeriod {
    type Err = PeriodError;

    /// Reads `2024-07` (or `2024-7`) as a month and `2024-Q3` (or `2024-q3`)
    /// as a quarter. Full-width characters and surrounding spaces are
    /// accepted, as people type them.
    fn from_str(text: &str) -> Result<ReportPeriod, PeriodError> {
        let text = normalize_text(text).to_ascii_uppercase();
        if text.is_empty() {
            return Err(PeriodError::Empty);
        }
        let format = || PeriodError::Format {
            found: text.clone(),
        };
        let (year, rest) = text.split_once('-').ok_or_else(format)?;
        let digits = |s: &str, most: usize| {
            !s.is_empty() && s.len() <= most && s.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(year, 4) || year.len() != 4 {
            return Err(format());
        }
        let year: i32 = year.parse().map_err(|_| format())?;
        if let Some(quarter) = rest.strip_prefix('Q') {
            if !digits(quarter, 1) {
                return Err(format());
            }
            let quarter: u32 = quarter.parse().map_err(|_| format())?;
            ReportPeriod::quarter(year, quarter)
        } else {
            if !digits(rest, 2) {
                return Err(format());
            }
            let month: u32 = rest.parse().map_err(|_| format())?;
            ReportPeriod::month(year, month)
        }
    }
}

impl Serialize for ReportPeriod {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReportPeriod {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// New employment of one employment form in a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FormCount {
    /// The employment form.
    pub form: EmploymentForm,
    /// New employment in the period in that form.
    pub count: u32,
}

/// One line of the report: a district, or the total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatisticalRow {
    /// The current district code; `None` on the total.
    pub district_code: Option<String>,
    /// New employment in the period.
    pub new_employment: u32,
    /// Of which with an urban household (城镇).
    pub urban: u32,
    /// Of which with a rural household (农村).
    pub rural: u32,
    /// Of which in each employment form, all seven in their display order.
    pub by_form: Vec<FormCount>,
    /// New employment from 1 January to the period's last day.
    pub year_to_date: u32,
}

/// New employment in a period, per district and in total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatisticalReport {
    /// The period reported on.
    pub period: ReportPeriod,
    /// Month or quarter.
    pub kind: PeriodKind,
    /// The period's first day.
    pub start: NaiveDate,
    /// The period's last day.
    pub end: NaiveDate,
    /// 1 January of the period's year, where the year to date starts.
    pub year_start: NaiveDate,
    /// One row per district: for the city, every current district in code
    /// order (zeros included), then any other district code credited; for
    /// one district, that district alone.
    pub rows: Vec<StatisticalRow>,
    /// The rows added up.
    pub total: StatisticalRow,
}

/// Converts a count to `u32`, saturating; no report counts four billion
/// people.
fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The row of the counted outcomes given (already narrowed to one district
/// or to the whole scope).
fn row(
    district_code: Option<String>,
    counted: &[&CountedOutcome],
    period: ReportPeriod,
) -> StatisticalRow {
    let in_period: Vec<&Outcome> = counted
        .iter()
        .map(|c| &c.outcome)
        .filter(|o| period.contains(o.started_on))
        .collect();
    let with_hukou =
        |hukou: Hukou| count_u32(in_period.iter().filter(|o| o.hukou == hukou).count());
    StatisticalRow {
        district_code,
        new_employment: count_u32(in_period.len()),
        urban: with_hukou(Hukou::Urban),
        rural: with_hukou(Hukou::Rural),
        by_form: EmploymentForm::ALL
            .iter()
            .map(|form| FormCount {
                form: *form,
                count: count_u32(in_period.iter().filter(|o| o.form == *form).count()),
            })
            .collect(),
        year_to_date: count_u32(
            counted
                .iter()
                .filter(|c| {
                    period.year_start() <= c.outcome.started_on
                        && c.outcome.started_on <= period.last_day()
                })
                .count(),
        ),
    }
}

/// Lays counted new employment out as the report of `period`: for the city
/// (`district` `None`) a row for every current district in code order,
/// then one for any other district code credited, so the rows always add
/// up to the total; for one district (a current code), that row alone.
///
/// `counted` is the new employment of the period's calendar year as
/// [`count_new_employment_between`] gives it; outcomes outside the period
/// are not in its figures, and those outside the year to date not in its
/// year-to-date figure.
pub fn statistical_report(
    counted: &[CountedOutcome],
    period: ReportPeriod,
    district: Option<&str>,
) -> StatisticalReport {
    let mut per_district: BTreeMap<&str, Vec<&CountedOutcome>> = BTreeMap::new();
    for c in counted {
        per_district
            .entry(c.district_code.as_str())
            .or_default()
            .push(c);
    }
    let (rows, in_scope): (Vec<StatisticalRow>, Vec<&CountedOutcome>) = if let Some(code) = district
    {
        let code = district::current_for(code).map_or(code, |d| d.code);
        let mine = per_district.remove(code).unwrap_or_default();
        (vec![row(Some(code.to_owned()), &mine, period)], mine)
    } else {
        let mut rows: Vec<StatisticalRow> = district::all()
            .iter()
            .map(|d| {
                let found = per_district.remove(d.code).unwrap_or_default();
                row(Some(d.code.to_owned()), &found, period)
            })
            .collect();
        rows.extend(
            per_district
                .iter()
                .map(|(code, found)| row(Some((*code).to_owned()), found, period)),
        );
        (rows, counted.iter().collect())
    };
    StatisticalReport {
        period,
        kind: period.kind(),
        start: period.first_day(),
        end: period.last_day(),
        year_start: period.year_start(),
        total: row(None, &in_scope, period),
        rows,
    }
}

/// The report of `period` from employment outcomes: the new employment of
/// the period's calendar year up to its last day is counted (a person at
/// most once, in the month of their first job of the year), then laid out
/// by [`statistical_report`]. Outcomes may be given from any span; only
/// those from 1 January to the period's end count.
pub fn new_employment_statistics(
    outcomes: &[Outcome],
    period: ReportPeriod,
    district: Option<&str>,
) -> StatisticalReport {
    let counted = count_new_employment_between(outcomes, period.year_start(), period.last_day());
    statistical_report(&counted, period, district)
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests: a panic is the failure report")]

    use proptest::prelude::*;

    use super::*;
    use crate::ident::{DisabilityCategory, Sex};
    use crate::outcome::Measure;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn period(text: &str) -> ReportPeriod {
        text.parse().unwrap()
    }

    fn outcome(person: i64, started: &str, district: &str) -> Outcome {
        Outcome {
            person_id: person,
            started_on: day(started),
            form: EmploymentForm::Quota,
            measure: Measure::EmploymentService,
            district_code: district.to_owned(),
            hukou: Hukou::Urban,
            category: DisabilityCategory::Physical,
            level: 3,
            sex: Sex::Female,
            ended_on: None,
        }
    }

    fn with(mut o: Outcome, form: EmploymentForm, hukou: Hukou) -> Outcome {
        o.form = form;
        o.hukou = hukou;
        o
    }

    fn row_of<'a>(report: &'a StatisticalReport, code: &str) -> &'a StatisticalRow {
        report
            .rows
            .iter()
            .find(|r| r.district_code.as_deref() == Some(code))
            .unwrap()
    }

    /// Every row's parts add up to it; the rows add up to the total.
    fn assert_adds_up(report: &StatisticalReport) {
        for r in report.rows.iter().chain(std::iter::once(&report.total)) {
            assert_eq!(r.urban + r.rural, r.new_employment, "{r:?}");
            assert_eq!(
                r.by_form.iter().map(|f| f.count).sum::<u32>(),
                r.new_employment,
                "{r:?}"
            );
            assert_eq!(r.by_form.len(), EmploymentForm::ALL.len());
            assert!(r.new_employment <= r.year_to_date, "{r:?}");
        }
        let sum = |field: fn(&StatisticalRow) -> u32| report.rows.iter().map(field).sum::<u32>();
        assert_eq!(sum(|r| r.new_employment), report.total.new_employment);
        assert_eq!(sum(|r| r.urban), report.total.urban);
        assert_eq!(sum(|r| r.rural), report.total.rural);
        assert_eq!(sum(|r| r.year_to_date), report.total.year_to_date);
        for (index, form) in report.total.by_form.iter().enumerate() {
            assert_eq!(
                report
                    .rows
                    .iter()
                    .map(|r| r.by_form[index].count)
                    .sum::<u32>(),
                form.count
            );
        }
    }

    #[test]
    fn periods_parse_and_display() {
        let cases = [
            (
                "2024-07",
                "2024-07",
                PeriodKind::Month,
                "2024-07-01",
                "2024-07-31",
            ),
            (
                "2024-7",
                "2024-07",
                PeriodKind::Month,
                "2024-07-01",
                "2024-07-31",
            ),
            (
                " 2024-02 ",
                "2024-02",
                PeriodKind::Month,
                "2024-02-01",
                "2024-02-29",
            ),
            (
                "2023-02",
                "2023-02",
                PeriodKind::Month,
                "2023-02-01",
                "2023-02-28",
            ),
            (
                "2024-12",
                "2024-12",
                PeriodKind::Month,
                "2024-12-01",
                "2024-12-31",
            ),
            (
                "2024-Q3",
                "2024-Q3",
                PeriodKind::Quarter,
                "2024-07-01",
                "2024-09-30",
            ),
            (
                "2024-q1",
                "2024-Q1",
                PeriodKind::Quarter,
                "2024-01-01",
                "2024-03-31",
            ),
            (
                "２０２４－Ｑ４",
                "2024-Q4",
                PeriodKind::Quarter,
                "2024-10-01",
                "2024-12-31",
            ),
        ];
        for (text, shown, kind, first, last) in cases {
            let p = period(text);
            assert_eq!(p.to_string(), shown, "{text}");
            assert_eq!(p.kind(), kind, "{text}");
            assert_eq!(p.first_day(), day(first), "{text}");
            assert_eq!(p.last_day(), day(last), "{text}");
            assert_eq!(period(shown), p, "round trip of {text}");
        }
    }

    #[test]
    fn bad_periods_say_what_is_wrong() {
        let cases = [
            ("", "required"),
            ("   ", "required"),
            ("2024", "period_format"),
            ("July 2024", "period_format"),
            ("2024/07", "period_format"),
            ("24-07", "period_format"),
            ("2024-007", "period_format"),
            ("2024-Q", "period_format"),
            ("2024-Q12", "period_format"),
            ("2024-07-01", "period_format"),
            ("2024--7", "period_format"),
            ("2024-00", "period_month"),
            ("2024-13", "period_month"),
            ("2024-Q0", "period_quarter"),
            ("2024-Q5", "period_quarter"),
            ("0999-01", "period_year"),
        ];
        for (text, code) in cases {
            let error = text.parse::<ReportPeriod>().unwrap_err();
            assert_eq!(error.code(), code, "{text}");
            for lang in [Lang::Zh, Lang::En] {
                assert!(!error.message(lang).is_empty());
            }
        }
        let error = "2024-13".parse::<ReportPeriod>().unwrap_err();
        assert_eq!(
            error.message(Lang::En),
            "The month 13 is not between 01 and 12."
        );
        assert_eq!(error.message(Lang::Zh), "月份 13 不在 01–12 之间。");
        assert!(
            "2024/07"
                .parse::<ReportPeriod>()
                .unwrap_err()
                .message(Lang::En)
                .contains("2024-Q3")
        );
    }

    #[test]
    fn the_default_is_the_last_complete_period() {
        let cases = [
            ("2024-07-15", PeriodKind::Month, "2024-06"),
            ("2024-07-01", PeriodKind::Month, "2024-06"),
            ("2024-07-31", PeriodKind::Month, "2024-06"),
            ("2024-01-01", PeriodKind::Month, "2023-12"),
            ("2024-07-15", PeriodKind::Quarter, "2024-Q2"),
            ("2024-06-30", PeriodKind::Quarter, "2024-Q1"),
            ("2024-02-10", PeriodKind::Quarter, "2023-Q4"),
        ];
        for (today, kind, expected) in cases {
            assert_eq!(
                ReportPeriod::last_complete_before(kind, day(today)).map(|p| p.to_string()),
                Some(expected.to_owned()),
                "{today} {kind:?}"
            );
        }
        assert_eq!(
            ReportPeriod::last_complete_before(PeriodKind::Month, day("1000-01-20")),
            None
        );
    }

    #[test]
    fn periods_step_and_change_kind() {
        assert_eq!(period("2024-01").previous(), Some(period("2023-12")));
        assert_eq!(period("2024-12").next(), Some(period("2025-01")));
        assert_eq!(period("2024-Q1").previous(), Some(period("2023-Q4")));
        assert_eq!(period("2024-Q4").next(), Some(period("2025-Q1")));
        assert_eq!(period("2024-Q2").next(), Some(period("2024-Q3")));
        assert_eq!(period("9999-12").next(), None);
        assert_eq!(period("1000-Q1").previous(), None);
        assert_eq!(
            period("2024-08").in_kind(PeriodKind::Quarter),
            period("2024-Q3")
        );
        assert_eq!(
            period("2024-Q3").in_kind(PeriodKind::Month),
            period("2024-07")
        );
        assert_eq!(
            period("2024-08").in_kind(PeriodKind::Month),
            period("2024-08")
        );
        assert!(period("2024-Q3").contains(day("2024-09-30")));
        assert!(!period("2024-Q3").contains(day("2024-10-01")));
        assert_eq!(
            serde_json::to_value(period("2024-Q3")).unwrap(),
            serde_json::json!("2024-Q3")
        );
        assert_eq!(
            serde_json::from_value::<ReportPeriod>(serde_json::json!("2024-07")).unwrap(),
            period("2024-07")
        );
        assert!(serde_json::from_value::<ReportPeriod>(serde_json::json!("2024-13")).is_err());
    }

    #[test]
    fn known_outcomes_give_known_rows() {
        let outcomes = [
            outcome(1, "2024-07-03", "120101"),
            with(
                outcome(2, "2024-07-20", "120101"),
                EmploymentForm::Flexible,
                Hukou::Rural,
            ),
            with(
                outcome(3, "2024-07-31", "120119"),
                EmploymentForm::Agriculture,
                Hukou::Rural,
            ),
            outcome(4, "2024-03-01", "120101"),
            outcome(5, "2024-08-01", "120101"),
            // 大港区, a withdrawn code: credited to 滨海新区.
            outcome(6, "2024-07-10", "120109"),
            // Last year: not in this year's figures.
            outcome(7, "2023-07-10", "120101"),
        ];
        let report = new_employment_statistics(&outcomes, period("2024-07"), None);
        assert_eq!(report.rows.len(), 16);
        let codes: Vec<&str> = report
            .rows
            .iter()
            .map(|r| r.district_code.as_deref().unwrap())
            .collect();
        let all: Vec<&str> = district::all().iter().map(|d| d.code).collect();
        assert_eq!(codes, all, "every district, in code order");
        let heping = row_of(&report, "120101");
        assert_eq!(
            (
                heping.new_employment,
                heping.urban,
                heping.rural,
                heping.year_to_date
            ),
            (2, 1, 1, 3)
        );
        assert_eq!(heping.by_form[0].form, EmploymentForm::Quota);
        assert_eq!(heping.by_form[0].count, 1);
        assert_eq!(heping.by_form[5].form, EmploymentForm::Flexible);
        assert_eq!(heping.by_form[5].count, 1);
        let jizhou = row_of(&report, "120119");
        assert_eq!((jizhou.new_employment, jizhou.rural), (1, 1));
        assert_eq!(jizhou.by_form[6].count, 1);
        assert_eq!(row_of(&report, "120116").new_employment, 1);
        assert_eq!(row_of(&report, "120102").new_employment, 0);
        assert_eq!(report.total.district_code, None);
        assert_eq!(
            (report.total.new_employment, report.total.year_to_date),
            (4, 5)
        );
        assert_eq!(report.start, day("2024-07-01"));
        assert_eq!(report.end, day("2024-07-31"));
        assert_eq!(report.year_start, day("2024-01-01"));
        assert_adds_up(&report);

        let one = new_employment_statistics(&outcomes, period("2024-07"), Some("120101"));
        assert_eq!(one.rows.len(), 1);
        assert_eq!(&one.rows[0], heping);
        assert_eq!(one.total.new_employment, 2);
        assert_adds_up(&one);
    }

    #[test]
    fn a_person_employed_twice_counts_once_in_the_month_of_the_first_job() {
        let outcomes = [
            with(
                outcome(1, "2024-09-15", "120102"),
                EmploymentForm::Flexible,
                Hukou::Urban,
            ),
            outcome(1, "2024-05-10", "120101"),
            outcome(1, "2024-11-01", "120103"),
        ];
        let may = new_employment_statistics(&outcomes, period("2024-05"), None);
        assert_eq!(may.total.new_employment, 1);
        assert_eq!(row_of(&may, "120101").new_employment, 1);
        for later in ["2024-09", "2024-11", "2024-Q3", "2024-Q4"] {
            let report = new_employment_statistics(&outcomes, period(later), None);
            assert_eq!(report.total.new_employment, 0, "{later}");
            assert_eq!(report.total.year_to_date, 1, "{later}");
        }
        // The next year, the same person counts again.
        let next_year = [
            outcome(1, "2024-05-10", "120101"),
            outcome(1, "2025-02-01", "120101"),
        ];
        let february = new_employment_statistics(&next_year, period("2025-02"), None);
        assert_eq!(february.total.new_employment, 1);
        assert_eq!(february.total.year_to_date, 1);
    }

    #[test]
    fn a_job_starting_on_31_december_counts_in_that_year() {
        let outcomes = [
            outcome(1, "2024-12-31", "120101"),
            outcome(1, "2025-01-02", "120101"),
        ];
        for text in ["2024-12", "2024-Q4"] {
            let report = new_employment_statistics(&outcomes, period(text), None);
            assert_eq!(report.total.new_employment, 1, "{text}");
        }
        // In January the person is new employment of the new year: the
        // December job belongs to 2024 and does not hide the January one.
        let january = new_employment_statistics(&outcomes, period("2025-01"), None);
        assert_eq!(january.total.new_employment, 1);
        assert_eq!(january.total.year_to_date, 1);
        let only_december = [outcome(1, "2024-12-31", "120101")];
        for text in ["2025-01", "2025-Q1"] {
            let report = new_employment_statistics(&only_december, period(text), None);
            assert_eq!(report.total.new_employment, 0, "{text}");
            assert_eq!(report.total.year_to_date, 0, "{text}");
        }
    }

    fn arbitrary_outcome() -> impl Strategy<Value = Outcome> {
        (
            0_i64..30,
            0_u64..(366 + 60),
            0_usize..7,
            0_usize..18,
            any::<bool>(),
        )
            .prop_map(|(person, offset, form, district_index, urban)| {
                let code = district::all().get(district_index).map_or(
                    if district_index == 16 {
                        "120109"
                    } else {
                        "999999"
                    },
                    |d| d.code,
                );
                Outcome {
                    person_id: person,
                    started_on: day("2023-12-01") + chrono::Days::new(offset),
                    form: EmploymentForm::ALL[form],
                    measure: Measure::Training,
                    district_code: code.to_owned(),
                    hukou: if urban { Hukou::Urban } else { Hukou::Rural },
                    category: DisabilityCategory::Physical,
                    level: 2,
                    sex: Sex::Male,
                    ended_on: None,
                }
            })
    }

    proptest! {
        #[test]
        fn rows_add_up(outcomes in prop::collection::vec(arbitrary_outcome(), 0..150), month in 1_u32..=12) {
            let report = new_employment_statistics(&outcomes, ReportPeriod::month(2024, month).unwrap(), None);
            assert_adds_up(&report);
            let quarter = new_employment_statistics(&outcomes, ReportPeriod::quarter(2024, (month - 1) / 3 + 1).unwrap(), None);
            assert_adds_up(&quarter);
        }

        #[test]
        fn a_quarter_is_the_sum_of_its_months(outcomes in prop::collection::vec(arbitrary_outcome(), 0..150), quarter in 1_u32..=4) {
            let q = new_employment_statistics(&outcomes, ReportPeriod::quarter(2024, quarter).unwrap(), None);
            let months: Vec<StatisticalReport> = (quarter * 3 - 2..=quarter * 3)
                .map(|m| new_employment_statistics(&outcomes, ReportPeriod::month(2024, m).unwrap(), None))
                .collect();
            // A code outside the current districts has a row only once it
            // is credited, so rows are matched by code, a missing row
            // counting as zeros.
            let zeros = row(None, &[], q.period);
            for quarter_row in q.rows.iter().chain(std::iter::once(&q.total)) {
                let month_rows: Vec<&StatisticalRow> = months
                    .iter()
                    .map(|m| match &quarter_row.district_code {
                        None => &m.total,
                        Some(code) => m
                            .rows
                            .iter()
                            .find(|r| r.district_code.as_ref() == Some(code))
                            .unwrap_or(&zeros),
                    })
                    .collect();
                prop_assert_eq!(quarter_row.new_employment, month_rows.iter().map(|r| r.new_employment).sum::<u32>());
                prop_assert_eq!(quarter_row.urban, month_rows.iter().map(|r| r.urban).sum::<u32>());
                prop_assert_eq!(quarter_row.rural, month_rows.iter().map(|r| r.rural).sum::<u32>());
                for form in 0..EmploymentForm::ALL.len() {
                    prop_assert_eq!(quarter_row.by_form[form].count, month_rows.iter().map(|r| r.by_form[form].count).sum::<u32>());
                }
                // The quarter's year to date is its last month's.
                prop_assert_eq!(quarter_row.year_to_date, month_rows[2].year_to_date);
            }
        }

        #[test]
        fn december_year_to_date_is_the_year(outcomes in prop::collection::vec(arbitrary_outcome(), 0..150)) {
            let december = new_employment_statistics(&outcomes, period("2024-12"), None);
            let months: u32 = (1..=12)
                .map(|m| new_employment_statistics(&outcomes, ReportPeriod::month(2024, m).unwrap(), None).total.new_employment)
                .sum();
            let year = crate::progress::count_new_employment_between(&outcomes, day("2024-01-01"), day("2024-12-31"));
            prop_assert_eq!(december.total.year_to_date, count_u32(year.len()));
            prop_assert_eq!(december.total.year_to_date, months);
            let q4 = new_employment_statistics(&outcomes, period("2024-Q4"), None);
            prop_assert_eq!(q4.total.year_to_date, months);
            let persons: std::collections::BTreeSet<i64> = outcomes
                .iter()
                .filter(|o| o.started_on.year() == 2024)
                .map(|o| o.person_id)
                .collect();
            prop_assert_eq!(december.total.year_to_date, count_u32(persons.len()));
        }
    }
}
