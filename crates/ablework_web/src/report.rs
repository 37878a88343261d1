//! The progress report as labelled tables: the one place that turns the
//! report's codes and counts into rows for people. The dashboard shows these
//! tables (beside their charts) and the workbook writes them as sheets, so
//! the two cannot disagree.

use ablework_domain::district;
use ablework_domain::four_ones::Step;
use ablework_domain::ident::{DisabilityCategory, DisabilityLevel, Sex};
use ablework_domain::lang::Lang;
use ablework_domain::outcome::{EmploymentForm, Measure};
use ablework_domain::person::Hukou;
use ablework_domain::progress::{CountRow, PaceStatus, ProgressReport, TargetRow};

use crate::i18n::Text;

/// How a table is drawn beside it on the dashboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    /// No chart: the table alone.
    None,
    /// Horizontal bars (achieved, with the target marked where there is one).
    Bars,
    /// The cumulative line against the expected pace.
    Cumulative,
}

/// One breakdown of the report.
#[derive(Clone, Debug)]
pub struct ReportTable {
    /// Stable id: the section's anchor on the page.
    pub id: &'static str,
    /// The workbook sheet's name (Excel allows 31 characters).
    pub sheet: &'static str,
    /// The heading, in the page's language.
    pub title: String,
    /// Column headings.
    pub headers: Vec<String>,
    /// The rows; the first cell names the row.
    pub rows: Vec<Vec<String>>,
    /// Where a row's first cell leads on the page (drill-down), if anywhere.
    pub links: Vec<Option<String>>,
    /// The chart's data: label, achieved, and the target or expected value.
    pub points: Vec<(String, u64, Option<u64>)>,
    /// Which chart the dashboard draws.
    pub chart: Chart,
}

/// `12.3%`, or a dash when there is nothing to divide by.
pub fn percent(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "—".to_owned();
    }
    format!("{:.1}%", f64::from(part) * 100.0 / f64::from(whole))
}

/// "On track" or "Behind".
pub fn pace_label(t: Text, status: PaceStatus) -> String {
    t.get(match status {
        PaceStatus::OnTrack => "progress.on_track",
        PaceStatus::Behind => "progress.behind",
    })
    .to_owned()
}

fn headers(t: Text, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|key| t.get(key).to_owned()).collect()
}

fn target_table(
    t: Text,
    id: &'static str,
    sheet: &'static str,
    title_key: &str,
    rows: &[(String, &TargetRow)],
) -> ReportTable {
    ReportTable {
        id,
        sheet,
        title: t.get(title_key).to_owned(),
        headers: headers(
            t,
            &[
                "progress.col.item",
                "progress.col.target",
                "progress.col.achieved",
                "progress.col.expected",
                "progress.col.status",
            ],
        ),
        rows: rows
            .iter()
            .map(|(label, row)| {
                vec![
                    label.clone(),
                    row.target.to_string(),
                    row.achieved.to_string(),
                    row.expected_to_date.to_string(),
                    pace_label(t, row.status),
                ]
            })
            .collect(),
        links: Vec::new(),
        points: rows
            .iter()
            .map(|(label, row)| {
                (
                    label.clone(),
                    u64::from(row.achieved),
                    Some(u64::from(row.target)),
                )
            })
            .collect(),
        chart: Chart::Bars,
    }
}

/// A table's id, its sheet's name and its title's message key.
type Heading = (&'static str, &'static str, &'static str);

/// Counts by one characteristic, with each value's share. The share is of
/// the rows' own sum, which is the report's total: every breakdown adds up.
fn count_table(
    t: Text,
    (id, sheet, title_key): Heading,
    rows: &[CountRow],
    label: &dyn Fn(&str) -> Option<String>,
) -> ReportTable {
    let total = rows.iter().map(|r| r.achieved).sum();
    let labelled: Vec<(String, u32)> = rows
        .iter()
        .map(|r| (label(&r.code).unwrap_or_else(|| r.code.clone()), r.achieved))
        .collect();
    ReportTable {
        id,
        sheet,
        title: t.get(title_key).to_owned(),
        headers: vec![
            t.get("progress.col.item").to_owned(),
            t.get("progress.col.achieved").to_owned(),
            "%".to_owned(),
        ],
        rows: labelled
            .iter()
            .map(|(name, n)| vec![name.clone(), n.to_string(), percent(*n, total)])
            .collect(),
        links: Vec::new(),
        points: labelled
            .iter()
            .map(|(name, n)| (name.clone(), u64::from(*n), None))
            .collect(),
        chart: Chart::None,
    }
}

/// The report's headline figures, as one row.
pub fn summary_table(report: &ProgressReport, t: Text) -> ReportTable {
    let plan_name = if t.0 == Lang::Zh {
        &report.plan_name_zh
    } else {
        &report.plan_name_en
    };
    ReportTable {
        id: "summary",
        sheet: if t.0 == Lang::Zh { "总体" } else { "summary" },
        title: t.get("progress.title").to_owned(),
        headers: headers(
            t,
            &[
                "progress.col.plan",
                "progress.col.start",
                "progress.col.end",
                "progress.col.today",
                "progress.col.target",
                "progress.col.achieved",
                "progress.col.expected",
            ],
        ),
        rows: vec![vec![
            plan_name.clone(),
            report.start.to_string(),
            report.end.to_string(),
            report.today.to_string(),
            report.target.to_string(),
            report.achieved.to_string(),
            report.expected_to_date.to_string(),
        ]],
        links: Vec::new(),
        points: Vec::new(),
        chart: Chart::None,
    }
}

/// Where the dashboard's figures lead (the drill-down); the workbook has
/// no links.
#[derive(Clone, Debug, Default)]
pub struct Drill {
    /// The city's report, seen by someone who may open a district's:
    /// each district leads to its own report.
    pub districts: bool,
    /// The viewer may see people: streets and measures lead to the people
    /// counted.
    pub people: bool,
    /// The plan chosen, if not the default.
    pub plan: Option<String>,
    /// The district the report is of, if any.
    pub district: Option<String>,
}

impl Drill {
    /// `/progress/people?…` narrowed by the report's plan and district and
    /// one more condition.
    fn people_link(&self, name: &str, value: &str) -> Option<String> {
        self.people.then(|| {
            let query = crate::view::query_string([
                ("plan", self.plan.as_deref()),
                ("district", self.district.as_deref()),
                (name, Some(value)),
            ]);
            format!("/progress/people{query}")
        })
    }

    /// `/progress?district=…` (with the plan), for a city report.
    fn district_link(&self, code: &str) -> Option<String> {
        self.districts.then(|| {
            let query = crate::view::query_string([
                ("plan", self.plan.as_deref()),
                ("district", Some(code)),
            ]);
            format!("/progress{query}")
        })
    }
}

/// Every breakdown of the report, in the dashboard's order, with the
/// drill-down's links.
pub fn progress_tables(report: &ProgressReport, t: Text, drill: &Drill) -> Vec<ReportTable> {
    let mut tables = timeline_tables(report, t);
    tables.extend(target_tables(report, t, drill));
    tables.extend(street_table(report, t, drill));
    tables.extend(characteristic_tables(report, t));
    tables.push(retention_table(report, t));
    tables.extend(coverage_table(report, t));
    tables
}

/// The `street` parameter of the people page: the street's name, or `-`
/// for people with none recorded.
pub fn street_param(street: &str) -> &str {
    if street.is_empty() { "-" } else { street }
}

/// A district's new employment per street, each leading to its people.
fn street_table(report: &ProgressReport, t: Text, drill: &Drill) -> Option<ReportTable> {
    if report.by_street.is_empty() {
        return None;
    }
    let name = |code: &str| {
        if code.is_empty() {
            t.get("progress.street_unknown").to_owned()
        } else {
            code.to_owned()
        }
    };
    Some(ReportTable {
        id: "by-street",
        sheet: sheet(t, "按街道", "by street"),
        title: t.get("progress.by_street").to_owned(),
        headers: headers(t, &["progress.street", "progress.achieved"]),
        rows: report
            .by_street
            .iter()
            .map(|r| vec![name(&r.code), r.achieved.to_string()])
            .collect(),
        links: report
            .by_street
            .iter()
            .map(|r| drill.people_link("street", street_param(&r.code)))
            .collect(),
        points: report
            .by_street
            .iter()
            .map(|r| (name(&r.code), u64::from(r.achieved), None))
            .collect(),
        chart: Chart::Bars,
    })
}

/// The Chinese or English sheet name.
fn sheet(t: Text, chinese: &'static str, english: &'static str) -> &'static str {
    if t.0 == Lang::Zh { chinese } else { english }
}

/// By year, month (cumulative, for the line chart) and quarter.
fn timeline_tables(report: &ProgressReport, t: Text) -> Vec<ReportTable> {
    let by_year = ReportTable {
        id: "by-year",
        sheet: sheet(t, "按年度", "by year"),
        title: t.get("progress.by_year").to_owned(),
        headers: headers(
            t,
            &[
                "progress.col.item",
                "progress.col.target",
                "progress.col.achieved",
                "progress.col.expected",
                "progress.col.status",
            ],
        ),
        rows: report
            .by_year
            .iter()
            .map(|r| {
                vec![
                    r.year.to_string(),
                    r.target.to_string(),
                    r.achieved.to_string(),
                    r.expected_to_date.to_string(),
                    pace_label(t, r.status),
                ]
            })
            .collect(),
        links: Vec::new(),
        points: report
            .by_year
            .iter()
            .map(|r| {
                (
                    r.year.to_string(),
                    u64::from(r.achieved),
                    Some(u64::from(r.target)),
                )
            })
            .collect(),
        chart: Chart::Bars,
    };
    let cumulative = monthly_table(report, t);
    let by_quarter = ReportTable {
        id: "by-quarter",
        sheet: sheet(t, "按季度", "by quarter"),
        title: t.get("progress.by_quarter").to_owned(),
        headers: headers(
            t,
            &[
                "progress.by_quarter",
                "progress.col.achieved",
                "progress.col.cumulative",
            ],
        ),
        rows: report
            .by_quarter
            .iter()
            .map(|r| {
                vec![
                    r.period.clone(),
                    r.achieved.to_string(),
                    r.cumulative.to_string(),
                ]
            })
            .collect(),
        links: Vec::new(),
        points: Vec::new(),
        chart: Chart::None,
    };
    vec![by_year, cumulative, by_quarter]
}

/// Month by month, with the running total against the expected pace: the
/// cumulative line chart's data.
fn monthly_table(report: &ProgressReport, t: Text) -> ReportTable {
    // Months that have not begun would draw as a flat line that reads as
    // "no progress": the monthly series stops at the report's day.
    let current_month = report.today.format("%Y-%m").to_string();
    let months: Vec<_> = report
        .by_month
        .iter()
        .filter(|r| r.period <= current_month)
        .collect();
    ReportTable {
        id: "cumulative",
        sheet: sheet(t, "按月", "by month"),
        title: t.get("progress.cumulative").to_owned(),
        headers: headers(
            t,
            &[
                "progress.col.month",
                "progress.col.achieved",
                "progress.col.cumulative",
                "progress.col.expected",
            ],
        ),
        rows: months
            .iter()
            .map(|r| {
                vec![
                    r.period.clone(),
                    r.achieved.to_string(),
                    r.cumulative.to_string(),
                    r.expected_cumulative.to_string(),
                ]
            })
            .collect(),
        links: Vec::new(),
        points: months
            .iter()
            .map(|r| {
                (
                    r.period.clone(),
                    u64::from(r.cumulative),
                    Some(u64::from(r.expected_cumulative)),
                )
            })
            .collect(),
        chart: Chart::Cumulative,
    }
}

/// By district and by measure, each against its share of the target.
fn target_tables(report: &ProgressReport, t: Text, drill: &Drill) -> Vec<ReportTable> {
    let lang = t.0;
    let districts: Vec<(String, &TargetRow)> = report
        .by_district
        .iter()
        .map(|r| {
            (
                district::by_code(&r.code)
                    .map_or_else(|| r.code.clone(), |d| d.name(lang).to_owned()),
                r,
            )
        })
        .collect();
    let mut by_district = target_table(
        t,
        "by-district",
        sheet(t, "按区", "by district"),
        "progress.by_district",
        &districts,
    );
    // A district leads to its own report, and on to its streets.
    by_district.links = report
        .by_district
        .iter()
        .map(|r| drill.district_link(&r.code))
        .collect();
    let measures: Vec<(String, &TargetRow)> = report
        .by_measure
        .iter()
        .map(|r| {
            (
                Measure::from_code(&r.code)
                    .map_or_else(|| r.code.clone(), |m| m.label(lang).to_owned()),
                r,
            )
        })
        .collect();
    let mut by_measure = target_table(
        t,
        "by-measure",
        sheet(t, "按措施", "by measure"),
        "progress.by_measure",
        &measures,
    );
    // A measure leads to the people it counted.
    by_measure.links = report
        .by_measure
        .iter()
        .map(|r| drill.people_link("measure", &r.code))
        .collect();
    vec![by_district, by_measure]
}

/// By employment form, household type, disability category and level, sex.
fn characteristic_tables(report: &ProgressReport, t: Text) -> Vec<ReportTable> {
    let lang = t.0;
    let mut by_form = count_table(
        t,
        (
            "by-form",
            sheet(t, "按就业形式", "by form"),
            "progress.by_form",
        ),
        &report.by_form,
        &|c| EmploymentForm::from_code(c).map(|f| f.label(lang).to_owned()),
    );
    by_form.chart = Chart::Bars;
    vec![
        by_form,
        count_table(
            t,
            (
                "by-hukou",
                sheet(t, "按城乡", "urban and rural"),
                "progress.by_hukou",
            ),
            &report.by_hukou,
            &|c| Hukou::from_code(c).map(|h| h.label(lang).to_owned()),
        ),
        count_table(
            t,
            (
                "by-category",
                sheet(t, "按残疾类别", "by category"),
                "progress.by_category",
            ),
            &report.by_category,
            &|c| DisabilityCategory::from_code(c).map(|d| d.label(lang).to_owned()),
        ),
        count_table(
            t,
            (
                "by-level",
                sheet(t, "按残疾等级", "by level"),
                "progress.by_level",
            ),
            &report.by_level,
            &|c| {
                c.parse()
                    .ok()
                    .and_then(DisabilityLevel::new)
                    .map(|l| l.label(lang).to_owned())
            },
        ),
        count_table(
            t,
            ("by-sex", sheet(t, "按性别", "by sex"), "progress.by_sex"),
            &report.by_sex,
            &|c| Sex::from_code(c).map(|s| s.label(lang).to_owned()),
        ),
    ]
}

/// Still in work 6 and 12 months after starting.
fn retention_table(report: &ProgressReport, t: Text) -> ReportTable {
    ReportTable {
        id: "retention",
        sheet: sheet(t, "稳定就业", "retention"),
        title: t.get("progress.retention").to_owned(),
        headers: headers(
            t,
            &[
                "progress.retention.months",
                "progress.retention.eligible",
                "progress.retention.retained",
                "progress.retention.share",
            ],
        ),
        rows: report
            .retention
            .iter()
            .map(|r| {
                let share = share_text(r.share);
                vec![
                    r.months.to_string(),
                    r.eligible.to_string(),
                    r.retained.to_string(),
                    share,
                ]
            })
            .collect(),
        links: Vec::new(),
        points: Vec::new(),
        chart: Chart::None,
    }
}

/// A share to one decimal place as a percentage, or a dash.
fn share_text(share: Option<rust_decimal::Decimal>) -> String {
    share.map_or_else(
        || "—".to_owned(),
        |s| format!("{:.1}%", s * rust_decimal::Decimal::from(100)),
    )
}

/// The "four ones" coverage: of the working-age unemployed people, how
/// many have each step done, charted against the whole population.
fn coverage_table(report: &ProgressReport, t: Text) -> Option<ReportTable> {
    let coverage = report.four_ones.as_ref()?;
    let label = |code: &str| {
        Step::from_code(code).map_or_else(|| code.to_owned(), |s| s.label(t.0).to_owned())
    };
    Some(ReportTable {
        id: "four-ones",
        sheet: sheet(t, "四个一覆盖", "four ones"),
        title: t.get("progress.four_ones").to_owned(),
        headers: headers(
            t,
            &[
                "progress.four_ones.step",
                "progress.four_ones.done",
                "progress.four_ones.population",
                "progress.four_ones.share",
            ],
        ),
        rows: coverage
            .steps
            .iter()
            .map(|s| {
                vec![
                    label(&s.step),
                    s.done.to_string(),
                    coverage.population.to_string(),
                    share_text(s.share),
                ]
            })
            .collect(),
        links: Vec::new(),
        points: coverage
            .steps
            .iter()
            .map(|s| (label(&s.step), s.done, Some(coverage.population)))
            .collect(),
        chart: Chart::Bars,
    })
}
