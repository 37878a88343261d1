//! The statistical reports of the progress dashboard: new employment
//! (新增就业) for a month or a quarter in the CDPF indicator set, per
//! district and for the city, as a page, an XLSX download, a print view
//! and `GET /api/v1/progress/statistics`.
//!
//! The page, the workbook and the print view draw one table, built in
//! [`statistics_table`], from the one report of
//! [`ablework_app::App::statistical_report`]; the API answers the same
//! report's rows. So none of them can disagree.

use ablework_app::statistics::Statistics;
use ablework_app::{AppError, FieldError, Localized};
use ablework_domain::lang::Lang;
use ablework_domain::outcome::EmploymentForm;
use ablework_domain::roles::Permission;
use ablework_domain::statistics::{PeriodKind, ReportPeriod, StatisticalRow};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiActor, ApiQuery};
use crate::context::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::i18n::Text;
use crate::pages::{app_error_page, attachment, bracket, district_name};
use crate::view::{FormError, Layout, error_for};

/// The media type of an XLSX workbook.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// English month names, for the periods' labels.
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The statistical reports' page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/progress/statistics", get(statistics_page))
        .route("/progress/statistics.xlsx", get(statistics_download))
        .route("/progress/statistics/print", get(statistics_print))
}

// ---- the period asked for ---------------------------------------------------------

/// The period of a page's address: `period=2024-07` (or `2024-Q3`), and
/// from the form `kind=month|quarter` beside it.
#[derive(Debug, Default, Deserialize)]
struct PeriodParams {
    kind: Option<String>,
    period: Option<String>,
}

/// The period's error as the application's field error, in both languages.
fn period_field_error(error: &ablework_domain::statistics::PeriodError) -> FieldError {
    FieldError::new(
        "period",
        error.code(),
        Localized::new(error.message(Lang::Zh), error.message(Lang::En)),
    )
}

/// The period asked for. With no period, the last complete one of the kind
/// chosen (a month by default); with a period and another kind, the period
/// of that kind holding its first month (`2024-07` as a quarter is
/// `2024-Q3`, `2024-Q3` as a month is `2024-07`).
fn resolve_period(
    kind: Option<&str>,
    period: Option<&str>,
    today: NaiveDate,
) -> Result<ReportPeriod, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = match kind.map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(code) => {
            let found = PeriodKind::from_code(code);
            if found.is_none() {
                errors.push(FieldError::new(
                    "kind",
                    "unknown_value",
                    Localized::new("请选择月报或季报。", "Choose monthly or quarterly."),
                ));
            }
            found
        }
    };
    let text = period.map(str::trim).unwrap_or_default();
    let period = if text.is_empty() {
        ReportPeriod::last_complete_before(kind.unwrap_or(PeriodKind::Month), today)
    } else {
        match text.parse::<ReportPeriod>() {
            Ok(found) => Some(kind.map_or(found, |kind| found.in_kind(kind))),
            Err(error) => {
                errors.push(period_field_error(&error));
                None
            }
        }
    };
    match period {
        Some(period) if errors.is_empty() => Ok(period),
        _ if !errors.is_empty() => Err(errors),
        // Only a day before the year 1000 has no period before it.
        _ => Err(vec![FieldError::new(
            "period",
            "period_year",
            Localized::new("没有更早的统计期。", "There is no earlier period."),
        )]),
    }
}

/// `2024年7月` / `July 2024`, `2024年第3季度` / `Q3 2024`.
fn period_label(period: ReportPeriod, lang: Lang) -> String {
    let (year, number) = (period.year(), period.number());
    match (period.kind(), lang) {
        (PeriodKind::Month, Lang::Zh) => format!("{year}年{number}月"),
        (PeriodKind::Quarter, Lang::Zh) => format!("{year}年第{number}季度"),
        (PeriodKind::Month, Lang::En) => {
            let index = usize::try_from(number.saturating_sub(1)).unwrap_or_default();
            let name = MONTHS_EN.get(index).copied().unwrap_or_default();
            format!("{name} {year}")
        }
        (PeriodKind::Quarter, Lang::En) => format!("Q{number} {year}"),
    }
}

/// `和平区`, or the whole city.
fn scope_label(t: Text, statistics: &Statistics) -> String {
    statistics.district_code.as_deref().map_or_else(
        || t.get("statistics.scope.city").to_owned(),
        |code| district_name(code, t.0),
    )
}

/// The title with the actor's district, as the progress dashboard shows it.
fn title(ctx: &Ctx, t: Text) -> String {
    let scope = ctx
        .session
        .as_ref()
        .and_then(|s| s.actor.district_code.as_deref())
        .map(|code| bracket(ctx.lang, &district_name(code, ctx.lang)))
        .unwrap_or_default();
    format!("{}{scope}", t.get("statistics.title"))
}

// ---- the table ---------------------------------------------------------------------

/// The report as one table: what the page, the print view and the
/// workbook show.
struct StatisticsTable {
    /// The caption, naming the period.
    caption: String,
    /// Column headings.
    headers: Vec<String>,
    /// The rows; the first cell names the district (or the total).
    rows: Vec<Vec<String>>,
    /// Whether the last row is the city total.
    has_total: bool,
}

fn row_cells(label: String, row: &StatisticalRow) -> Vec<String> {
    let mut cells = vec![
        label,
        row.new_employment.to_string(),
        row.urban.to_string(),
        row.rural.to_string(),
    ];
    cells.extend(row.by_form.iter().map(|f| f.count.to_string()));
    cells.push(row.year_to_date.to_string());
    cells
}

/// A row per district, then the city total for the whole city (a district
/// officer's one row is its own total).
fn statistics_table(t: Text, statistics: &Statistics) -> StatisticsTable {
    let lang = t.0;
    let report = &statistics.report;
    let mut headers = vec![
        t.get("statistics.col.district").to_owned(),
        t.get("statistics.col.new").to_owned(),
        t.get("statistics.col.urban").to_owned(),
        t.get("statistics.col.rural").to_owned(),
    ];
    headers.extend(
        EmploymentForm::ALL
            .iter()
            .map(|form| form.label(lang).to_owned()),
    );
    headers.push(t.get("statistics.col.ytd").to_owned());
    let mut rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|row| {
            let name = row
                .district_code
                .as_deref()
                .map(|code| district_name(code, lang))
                .unwrap_or_default();
            row_cells(name, row)
        })
        .collect();
    let has_total = statistics.district_code.is_none();
    if has_total {
        rows.push(row_cells(
            t.get("statistics.total").to_owned(),
            &report.total,
        ));
    }
    StatisticsTable {
        caption: format!(
            "{}{}",
            t.get("statistics.caption"),
            bracket(lang, &period_label(report.period, lang))
        ),
        headers,
        rows,
        has_total,
    }
}

// ---- the page ----------------------------------------------------------------------

/// What the page shows of a report.
struct ReportView {
    /// `2024-07`.
    period: String,
    /// `2024年7月`.
    label: String,
    /// `2024年7月（2024-07-01 – 2024-07-31）`.
    described: String,
    /// The district, or the whole city.
    scope: String,
    /// The day it was made.
    made_on: String,
    /// Whether the period has not ended yet.
    running: bool,
    /// The period before: `(2024-06, "Previous: June 2024")`.
    previous: Option<(String, String)>,
    /// The period after, once it has begun: `(2024-08, "Next: August 2024")`.
    next: Option<(String, String)>,
    table: StatisticsTable,
}

fn report_view(t: Text, statistics: &Statistics) -> ReportView {
    let lang = t.0;
    let report = &statistics.report;
    let period = report.period;
    let colon = if lang == Lang::Zh { "：" } else { ": " };
    let link = |key: &str, p: ReportPeriod| {
        (
            p.to_string(),
            format!("{}{colon}{}", t.get(key), period_label(p, lang)),
        )
    };
    let label = period_label(period, lang);
    ReportView {
        period: period.to_string(),
        described: format!(
            "{label}{}",
            bracket(lang, &format!("{} – {}", report.start, report.end))
        ),
        label,
        scope: scope_label(t, statistics),
        made_on: statistics.made_on.to_string(),
        running: statistics.made_on <= report.end,
        previous: period
            .previous()
            .map(|previous| link("statistics.previous", previous)),
        next: period
            .next()
            .filter(|next| next.first_day() <= statistics.made_on)
            .map(|next| link("statistics.next", next)),
        table: statistics_table(t, statistics),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "statistics.html")]
struct StatisticsPage {
    layout: Layout,
    errors: Vec<FormError>,
    /// The kind selected in the form.
    kind: &'static str,
    /// `(code, label)` of each kind.
    kinds: Vec<(&'static str, &'static str)>,
    /// The period field's value.
    period: String,
    /// The report; `None` when the period asked for is not one.
    report: Option<ReportView>,
}

impl StatisticsPage {
    fn err(&self, name: &str) -> Option<&str> {
        error_for(&self.errors, name)
    }
}

fn kinds(t: Text) -> Vec<(&'static str, &'static str)> {
    PeriodKind::ALL
        .iter()
        .map(|kind| {
            let label = match kind {
                PeriodKind::Month => t.get("statistics.kind.month"),
                PeriodKind::Quarter => t.get("statistics.kind.quarter"),
            };
            (kind.code(), label)
        })
        .collect()
}

/// The page with the form as it was filled in and what is wrong with it:
/// no report is shown for a period that is not one.
fn invalid_page(ctx: &Ctx, params: &PeriodParams, fields: &[FieldError]) -> Response {
    let t = ctx.text();
    let kind = params
        .kind
        .as_deref()
        .and_then(|k| PeriodKind::from_code(k.trim()))
        .unwrap_or(PeriodKind::Month);
    let page = StatisticsPage {
        layout: Layout::new(ctx, title(ctx, t)),
        errors: crate::view::form_errors(fields, ctx.lang),
        kind: kind.code(),
        kinds: kinds(t),
        period: params.period.clone().unwrap_or_default(),
        report: None,
    };
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// The report of the period asked for, or the response to send instead:
/// the login page, the form with its errors (422) or an error page.
async fn report_or_response(
    state: &AppState,
    ctx: &Ctx,
    params: &PeriodParams,
) -> Result<Statistics, Response> {
    let session = ctx.require_session()?;
    let actor = &session.actor;
    // The role is checked first, so a period typed by someone who may not
    // see reports is refused, not corrected.
    state
        .app
        .authorize(actor, Permission::ProgressRead)
        .map_err(|error| app_error_page(ctx, error))?;
    let period = resolve_period(
        params.kind.as_deref(),
        params.period.as_deref(),
        state.app.today(),
    )
    .map_err(|fields| invalid_page(ctx, params, &fields))?;
    state
        .app
        .statistical_report(actor, period)
        .await
        .map_err(|error| app_error_page(ctx, error))
}

async fn statistics_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PeriodParams>,
) -> Response {
    let statistics = match report_or_response(&state, &ctx, &params).await {
        Ok(statistics) => statistics,
        Err(response) => return response,
    };
    let t = ctx.text();
    let period = statistics.report.period;
    StatisticsPage {
        layout: Layout::new(&ctx, title(&ctx, t)),
        errors: Vec::new(),
        kind: period.kind().code(),
        kinds: kinds(t),
        period: period.to_string(),
        report: Some(report_view(t, &statistics)),
    }
    .into_response()
}

async fn statistics_download(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PeriodParams>,
) -> Response {
    let statistics = match report_or_response(&state, &ctx, &params).await {
        Ok(statistics) => statistics,
        Err(response) => return response,
    };
    let t = ctx.text();
    let table = statistics_table(t, &statistics);
    let period = statistics.report.period;
    let sheet = crate::export::Table {
        name: format!("{} {period}", t.get("statistics.sheet")),
        headers: table.headers,
        rows: table.rows,
    };
    match crate::export::file(
        crate::export::Format::Xlsx,
        crate::export::CsvEncoding::Utf8,
        &[sheet],
    ) {
        Ok(bytes) => attachment(bytes, XLSX, &format!("statistics-{period}.xlsx")),
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- the print view ------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "statistics_print.html")]
struct PrintPage {
    layout: Layout,
    report: ReportView,
}

async fn statistics_print(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PeriodParams>,
) -> Response {
    let statistics = match report_or_response(&state, &ctx, &params).await {
        Ok(statistics) => statistics,
        Err(response) => return response,
    };
    let t = ctx.text();
    PrintPage {
        layout: Layout::new(&ctx, title(&ctx, t)),
        report: report_view(t, &statistics),
    }
    .into_response()
}

// ---- the API -------------------------------------------------------------------------

/// Parameters of `GET /api/v1/progress/statistics`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatisticsParams {
    /// A month (`2024-07`) or a quarter (`2024-Q3`); by default the last
    /// complete month before today.
    pub period: Option<String>,
    /// Interface language of messages and district names.
    pub lang: Option<String>,
}

/// New employment of one employment form.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatisticsFormBody {
    /// `quota`, `concentrated`, `self_employed`, `public_welfare`,
    /// `auxiliary`, `flexible` or `agriculture`.
    pub form: String,
    /// New employment in the period in that form.
    pub count: u32,
}

/// One row of the report: a district, or the total.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatisticsRowBody {
    /// The current district code (GB/T 2260); `null` on the total.
    pub district_code: Option<String>,
    /// The district's name in the request's language; `null` on the total.
    pub district_name: Option<String>,
    /// New employment in the period.
    pub new_employment: u32,
    /// Of which with an urban household.
    pub urban: u32,
    /// Of which with a rural household.
    pub rural: u32,
    /// Of which in each employment form, all seven, in the CDPF order.
    pub by_form: Vec<StatisticsFormBody>,
    /// New employment from 1 January to the period's last day.
    pub year_to_date: u32,
}

impl StatisticsRowBody {
    fn from_row(row: &StatisticalRow, lang: Lang) -> StatisticsRowBody {
        StatisticsRowBody {
            district_code: row.district_code.clone(),
            district_name: row
                .district_code
                .as_deref()
                .map(|code| district_name(code, lang)),
            new_employment: row.new_employment,
            urban: row.urban,
            rural: row.rural,
            by_form: row
                .by_form
                .iter()
                .map(|f| StatisticsFormBody {
                    form: f.form.code().to_owned(),
                    count: f.count,
                })
                .collect(),
            year_to_date: row.year_to_date,
        }
    }
}

/// A statistical report of new employment.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatisticsBody {
    /// `2024-07` or `2024-Q3`.
    pub period: String,
    /// `month` or `quarter`.
    pub kind: String,
    /// The period's first day.
    pub start: String,
    /// The period's last day.
    pub end: String,
    /// 1 January of the period's year, where the year to date starts.
    pub year_start: String,
    /// The day the report was made; outcomes that start later are not in it.
    pub made_on: String,
    /// `city`, or the district code of a district officer.
    pub scope: String,
    /// For the city, every current district in code order (zeros
    /// included); for a district officer, their district.
    pub rows: Vec<StatisticsRowBody>,
    /// The rows added up: the city total for the city.
    pub total: StatisticsRowBody,
}

/// New employment (新增就业) in a month or a quarter in the CDPF indicator
/// set, in your scope: every district and the city total for city
/// administrators, your district for district officers. A person counts at
/// most once a calendar year, in the month of their first job of the year.
/// The same figures as the statistics page, its workbook and its print view.
#[utoipa::path(get, path = "/api/v1/progress/statistics", tag = "progress", security(("bearer" = [])), params(StatisticsParams),
    responses((status = 200, description = "The statistical report", body = StatisticsBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn api_statistics(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<StatisticsParams>,
) -> Result<Json<StatisticsBody>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::ProgressRead)
        .map_err(|e| caller.error(e))?;
    let period = resolve_period(None, params.period.as_deref(), state.app.today())
        .map_err(|fields| caller.error(AppError::Invalid(fields)))?;
    let statistics = state
        .app
        .statistical_report(&caller.actor, period)
        .await
        .map_err(|e| caller.error(e))?;
    let report = &statistics.report;
    let lang = caller.lang;
    Ok(Json(StatisticsBody {
        period: report.period.to_string(),
        kind: report.kind.code().to_owned(),
        start: report.start.to_string(),
        end: report.end.to_string(),
        year_start: report.year_start.to_string(),
        made_on: statistics.made_on.to_string(),
        scope: statistics
            .district_code
            .clone()
            .unwrap_or_else(|| "city".to_owned()),
        rows: report
            .rows
            .iter()
            .map(|row| StatisticsRowBody::from_row(row, lang))
            .collect(),
        total: StatisticsRowBody::from_row(&report.total, lang),
    }))
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests: a panic is the failure report")]

    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn resolved(kind: Option<&str>, period: Option<&str>) -> Result<String, Vec<String>> {
        resolve_period(kind, period, day("2024-06-30"))
            .map(|p| p.to_string())
            .map_err(|errors| errors.into_iter().map(|e| e.field).collect())
    }

    /// The kind and period asked for, and the period found or the fields
    /// in error.
    type Case = (
        Option<&'static str>,
        Option<&'static str>,
        Result<&'static str, &'static [&'static str]>,
    );

    #[test]
    fn the_period_asked_for() {
        let cases: [Case; 10] = [
            (None, None, Ok("2024-05")),
            (Some("month"), Some(""), Ok("2024-05")),
            (Some("quarter"), None, Ok("2024-Q1")),
            (None, Some("2024-07"), Ok("2024-07")),
            (Some("quarter"), Some("2024-07"), Ok("2024-Q3")),
            (Some("month"), Some("2024-Q3"), Ok("2024-07")),
            (None, Some("2024-Q2"), Ok("2024-Q2")),
            (None, Some("2024-13"), Err(&["period"])),
            (Some("year"), Some("2024-07"), Err(&["kind"])),
            (Some("year"), Some("nonsense"), Err(&["kind", "period"])),
        ];
        for (kind, period, expected) in cases {
            let expected = expected
                .map(str::to_owned)
                .map_err(|fields| fields.iter().map(|f| (*f).to_owned()).collect());
            assert_eq!(resolved(kind, period), expected, "{kind:?} {period:?}");
        }
    }

    #[test]
    fn periods_are_labelled_in_both_languages() {
        let label = |text: &str, lang| period_label(text.parse().unwrap(), lang);
        assert_eq!(label("2024-07", Lang::Zh), "2024年7月");
        assert_eq!(label("2024-07", Lang::En), "July 2024");
        assert_eq!(label("2024-Q3", Lang::Zh), "2024年第3季度");
        assert_eq!(label("2024-Q3", Lang::En), "Q3 2024");
        assert_eq!(label("2024-12", Lang::En), "December 2024");
    }
}
