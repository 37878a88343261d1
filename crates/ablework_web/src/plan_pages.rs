//! Plans' targets as data: the list of plans, the form on which a city
//! administrator sets a plan's period, total and its breakdowns by year,
//! district and measure (each save a new version, audited), and the JSON
//! API of the same (`GET/POST /api/v1/plans`, `GET /api/v1/plans/{id}`).

use ablework_app::AppError;
use ablework_app::export::PlanListing;
use ablework_app::progress::{PlanEntry, ProgressQuery};
use ablework_domain::district;
use ablework_domain::lang::Lang;
use ablework_domain::outcome::Measure;
use ablework_domain::progress::{PacingRule, PlanTarget};
use ablework_domain::roles::Permission;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiActor, ApiJson};
use crate::context::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::export::{Downloads, ListFile, NoParams, download};
use crate::i18n::Text;
use crate::pages::{app_error_page, bracket, checked_session, session_or_return};
use crate::view::{FormError, Layout, error_for, form_errors};

/// The plan pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans", get(plans))
        .route("/plans/export", get(download::<PlansFile>))
        .route("/plans/new", get(new_form).post(create))
        .route("/plans/{id}/edit", get(edit_form).post(update))
}

/// The plan API's routes, under `/api/v1`.
pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/plans", get(api_list).post(api_save))
        .route("/plans/{id}", get(api_get))
}

/// The `plan` and `district` query parameters of the dashboard, its
/// download and the progress API.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ProgressParams {
    /// The plan's id; the default plan when absent or empty.
    plan: Option<String>,
    /// A district's code: a city administrator's drill-down into one
    /// district; a district officer's own district, or absent.
    district: Option<String>,
}

impl ProgressParams {
    /// The report asked for.
    pub fn query(&self) -> ProgressQuery {
        let given = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        ProgressQuery {
            plan: given(&self.plan),
            district: given(&self.district),
        }
    }

    /// The same parameters for a link: `?plan=…&district=…`, or empty.
    pub fn link_query(&self) -> String {
        let query = self.query();
        crate::view::query_string([
            ("plan", query.plan.as_deref()),
            ("district", query.district.as_deref()),
        ])
    }
}

// ---- the list ---------------------------------------------------------------

struct PlanLine {
    id: String,
    name: String,
    period: String,
    total: u32,
    version: String,
}

impl PlanLine {
    fn new(entry: &PlanEntry, t: Text) -> PlanLine {
        PlanLine {
            id: entry.plan.id.clone(),
            name: plan_name(&entry.plan, t.0).to_owned(),
            period: format!("{} – {}", entry.plan.start, entry.plan.end),
            total: entry.plan.total,
            version: entry.version.map_or_else(
                || t.get("plans.built_in").to_owned(),
                |version| {
                    let saved = entry.saved_at.map_or_else(String::new, |at| {
                        bracket(t.0, &crate::view::local_time(at, "%Y-%m-%d %H:%M"))
                    });
                    format!("{version}{saved}")
                },
            ),
        }
    }
}

/// The plans as a file: the page's columns.
pub(crate) struct PlansFile;

impl ListFile for PlansFile {
    type Params = NoParams;
    type Listing = PlanListing;
    const STEM: &'static str = "plans";
    const TITLE: &'static str = "plans.title";
    const COLUMNS: &'static [&'static str] = &[
        "plans.field.name_zh",
        "plans.field.id",
        "plans.period",
        "plans.field.total",
        "plans.version",
    ];

    fn listing(_: NoParams, _: Option<i64>) -> PlanListing {
        PlanListing
    }

    fn cells(entry: &PlanEntry, t: Text) -> Vec<String> {
        let line = PlanLine::new(entry, t);
        vec![
            line.name,
            line.id,
            line.period,
            line.total.to_string(),
            line.version,
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plans.html")]
struct PlansPage {
    layout: Layout,
    saved: bool,
    can_manage: bool,
    downloads: Option<Downloads>,
    plans: Vec<PlanLine>,
}

fn plan_name(plan: &PlanTarget, lang: Lang) -> &str {
    match lang {
        Lang::Zh => &plan.name_zh,
        Lang::En => &plan.name_en,
    }
}

async fn plans(State(state): State<AppState>, ctx: Ctx) -> Response {
    let session = session_or_return!(ctx);
    let entries = match state.app.plans(&session.actor).await {
        Ok(entries) => entries,
        Err(error) => return app_error_page(&ctx, error),
    };
    let t = ctx.text();
    PlansPage {
        layout: Layout::new(&ctx, t.get("plans.title")),
        saved: ctx.query_without_lang.contains("saved=1"),
        can_manage: session.actor.role.permits(Permission::PolicyManage),
        downloads: Downloads::offered::<PlanListing>(&session.actor, "/plans/export", &[]),
        plans: entries
            .iter()
            .map(|entry| PlanLine::new(entry, t))
            .collect(),
    }
    .into_response()
}

// ---- the form ---------------------------------------------------------------

/// One input of the form.
struct PlanField {
    id: String,
    label: String,
    value: String,
    error: Option<String>,
}

/// A fieldset of the form, with its own error (a breakdown that does not
/// add up).
struct FieldGroup {
    id: &'static str,
    legend: String,
    hint: String,
    error: Option<String>,
    fields: Vec<PlanField>,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan_form.html")]
struct PlanFormPage {
    layout: Layout,
    errors: Vec<FormError>,
    action: String,
    /// The plan's id, fixed when a plan is edited.
    fixed_id: Option<String>,
    groups: Vec<FieldGroup>,
}

/// The form's values by input name.
type Values = Vec<(String, String)>;

fn value(values: &Values, name: &str) -> String {
    values
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

/// The years of a period, or of the default period when the dates do not
/// read (so the form always has year inputs).
fn years_of(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Vec<i32> {
    match (start, end) {
        (Some(start), Some(end)) if start <= end && end.year() - start.year() < 20 => {
            (start.year()..=end.year()).collect()
        }
        (Some(start), _) => vec![start.year()],
        _ => Vec::new(),
    }
}

fn plan_values(plan: &PlanTarget) -> Values {
    let mut values = vec![
        ("id".to_owned(), plan.id.clone()),
        ("name_zh".to_owned(), plan.name_zh.clone()),
        ("name_en".to_owned(), plan.name_en.clone()),
        ("start".to_owned(), plan.start.to_string()),
        ("end".to_owned(), plan.end.to_string()),
        ("total".to_owned(), plan.total.to_string()),
        (
            "on_track_ratio".to_owned(),
            plan.pacing.on_track_ratio.normalize().to_string(),
        ),
    ];
    values.extend(
        plan.by_year
            .iter()
            .map(|(year, target)| (format!("year_{year}"), target.to_string())),
    );
    values.extend(
        plan.by_district
            .iter()
            .map(|(code, target)| (format!("district_{code}"), target.to_string())),
    );
    values.extend(
        plan.by_measure
            .iter()
            .map(|(measure, target)| (format!("measure_{}", measure.code()), target.to_string())),
    );
    values
}

fn date_value(values: &Values, name: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&value(values, name), "%Y-%m-%d").ok()
}

fn plan_form(
    ctx: &Ctx,
    action: String,
    fixed_id: Option<String>,
    values: &Values,
    errors: Vec<FormError>,
) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let field = |name: &str, label: String| PlanField {
        id: name.to_owned(),
        label,
        value: value(values, name),
        error: error_for(&errors, name).map(str::to_owned),
    };
    let mut basic: Vec<PlanField> = Vec::new();
    for name in [
        "id",
        "name_zh",
        "name_en",
        "start",
        "end",
        "total",
        "on_track_ratio",
    ] {
        if name == "id" && fixed_id.is_some() {
            continue;
        }
        basic.push(field(
            name,
            t.get(&format!("plans.field.{name}")).to_owned(),
        ));
    }
    let years = years_of(date_value(values, "start"), date_value(values, "end"));
    let group = |id: &'static str, fields: Vec<PlanField>| FieldGroup {
        id,
        legend: t.get(&format!("plans.group.{id}")).to_owned(),
        hint: t.get(&format!("plans.hint.{id}")).to_owned(),
        error: error_for(&errors, id).map(str::to_owned),
        fields,
    };
    let groups = vec![
        group("basic", basic),
        group(
            "by_year",
            years
                .iter()
                .map(|year| field(&format!("year_{year}"), year_label(*year, lang)))
                .collect(),
        ),
        group(
            "by_district",
            district::all()
                .iter()
                .map(|d| field(&format!("district_{}", d.code), d.name(lang).to_owned()))
                .collect(),
        ),
        group(
            "by_measure",
            Measure::ALL
                .iter()
                .map(|m| field(&format!("measure_{}", m.code()), m.label(lang).to_owned()))
                .collect(),
        ),
    ];
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = match &fixed_id {
        Some(id) => format!("{}{}", t.get("plans.edit"), bracket(lang, id)),
        None => t.get("plans.new").to_owned(),
    };
    let page = PlanFormPage {
        layout: Layout::new(ctx, title),
        errors,
        action,
        fixed_id,
        groups,
    };
    (status, page).into_response()
}

fn year_label(year: i32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{year} 年"),
        Lang::En => year.to_string(),
    }
}

/// A new plan's starting values: the three years after the default plan,
/// with its shares of the target.
fn new_plan_values(base: &PlanTarget) -> Values {
    let mut values = plan_values(base);
    let years = base.end.year() - base.start.year() + 1;
    let shift = |day: NaiveDate| {
        NaiveDate::from_ymd_opt(day.year() + years, day.month(), day.day()).unwrap_or(day)
    };
    values.retain(|(k, _)| !k.starts_with("year_") && k != "id");
    for (name, text) in &mut values {
        match name.as_str() {
            "start" => *text = shift(base.start).to_string(),
            "end" => *text = shift(base.end).to_string(),
            "name_zh" | "name_en" => text.clear(),
            _ => {}
        }
    }
    values.extend(
        base.by_year
            .iter()
            .map(|(year, target)| (format!("year_{}", year + years), target.to_string())),
    );
    values
}

/// Reads the form into a plan, reporting each value that does not read as
/// what its field needs; the rules of a plan are then the app's.
fn plan_from_form(values: &Values, id: &str, lang: Lang) -> Result<PlanTarget, Vec<FormError>> {
    let mut errors = Vec::new();
    let mut number = |name: String| -> u32 {
        let text = value(values, &name);
        if text.is_empty() {
            return 0;
        }
        text.parse::<u32>().unwrap_or_else(|_| {
            errors.push(FormError {
                field: name,
                message: match lang {
                    Lang::Zh => "请填写不小于 0 的整数。".to_owned(),
                    Lang::En => "Enter a whole number, 0 or more.".to_owned(),
                },
            });
            0
        })
    };
    let total = number("total".to_owned());
    let start = date_value(values, "start");
    let end = date_value(values, "end");
    let by_year: Vec<(i32, u32)> = years_of(start, end)
        .into_iter()
        .map(|year| (year, number(format!("year_{year}"))))
        .filter(|(_, target)| *target > 0)
        .collect();
    let by_district: Vec<(String, u32)> = district::all()
        .iter()
        .map(|d| (d.code.to_owned(), number(format!("district_{}", d.code))))
        .collect();
    let by_measure: Vec<(Measure, u32)> = Measure::ALL
        .iter()
        .map(|m| (*m, number(format!("measure_{}", m.code()))))
        .collect();
    for (name, day) in [("start", start), ("end", end)] {
        if day.is_none() {
            errors.push(FormError {
                field: name.to_owned(),
                message: match lang {
                    Lang::Zh => "请按 YYYY-MM-DD 填写日期。".to_owned(),
                    Lang::En => "Enter a date as YYYY-MM-DD.".to_owned(),
                },
            });
        }
    }
    let ratio = value(values, "on_track_ratio").parse::<Decimal>().ok();
    if ratio.is_none() {
        errors.push(FormError {
            field: "on_track_ratio".to_owned(),
            message: match lang {
                Lang::Zh => "请填写 0 到 1 之间的小数，例如 0.95。".to_owned(),
                Lang::En => "Enter a decimal from 0 to 1, for example 0.95.".to_owned(),
            },
        });
    }
    match (start, end, ratio) {
        (Some(start), Some(end), Some(on_track_ratio)) if errors.is_empty() => Ok(PlanTarget {
            id: id.to_owned(),
            name_zh: value(values, "name_zh"),
            name_en: value(values, "name_en"),
            start,
            end,
            total,
            by_year,
            by_district,
            by_measure,
            pacing: PacingRule { on_track_ratio },
        }),
        _ => Err(errors),
    }
}

/// The form's posted pairs, with the CSRF token taken out.
fn posted(pairs: Vec<(String, String)>) -> (String, Values) {
    let token = value(&pairs, "csrf_token");
    (
        token,
        pairs
            .into_iter()
            .filter(|(k, _)| k != "csrf_token")
            .collect(),
    )
}

macro_rules! manager_or_return {
    ($ctx:expr, $session:expr) => {
        if !$session.actor.role.permits(Permission::PolicyManage) {
            return app_error_page(&$ctx, AppError::Forbidden);
        }
    };
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Response {
    let session = session_or_return!(ctx);
    manager_or_return!(ctx, session);
    match state.app.plan(&session.actor, None).await {
        Ok(base) => plan_form(
            &ctx,
            "/plans/new".to_owned(),
            None,
            &new_plan_values(&base.plan),
            Vec::new(),
        ),
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let session = session_or_return!(ctx);
    manager_or_return!(ctx, session);
    match state.app.plan(&session.actor, Some(&id)).await {
        Ok(entry) => plan_form(
            &ctx,
            format!("/plans/{id}/edit"),
            Some(id),
            &plan_values(&entry.plan),
            Vec::new(),
        ),
        Err(error) => app_error_page(&ctx, error),
    }
}

/// Saves the posted plan, or shows the form again with its errors.
async fn save(
    state: &AppState,
    ctx: &Ctx,
    pairs: Vec<(String, String)>,
    fixed_id: Option<String>,
) -> Response {
    let (token, values) = posted(pairs);
    let session = match checked_session(ctx, &token) {
        Ok(session) => session,
        Err(response) => return response,
    };
    manager_or_return!(ctx, session);
    let action = fixed_id
        .as_ref()
        .map_or_else(|| "/plans/new".to_owned(), |id| format!("/plans/{id}/edit"));
    let id = fixed_id.clone().unwrap_or_else(|| value(&values, "id"));
    let plan = match plan_from_form(&values, &id, ctx.lang) {
        Ok(plan) => plan,
        Err(errors) => return plan_form(ctx, action, fixed_id, &values, errors),
    };
    if fixed_id.is_none() {
        match state.app.plan(&session.actor, Some(&id)).await {
            Ok(_) => {
                let errors = vec![FormError {
                    field: "id".to_owned(),
                    message: ctx.text().get("plans.id_taken").to_owned(),
                }];
                return plan_form(ctx, action, fixed_id, &values, errors);
            }
            Err(AppError::NotFound) => {}
            Err(error) => return app_error_page(ctx, error),
        }
    }
    match state.app.save_plan(&session.actor, plan).await {
        Ok(_) => Redirect::to("/plans?saved=1").into_response(),
        Err(AppError::Invalid(fields)) => plan_form(
            ctx,
            action,
            fixed_id,
            &values,
            form_errors(&fields, ctx.lang),
        ),
        Err(error) => app_error_page(ctx, error),
    }
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save(&state, &ctx, pairs, None).await
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save(&state, &ctx, pairs, Some(id)).await
}

/// The plans a user may choose on the dashboard: `(id, name, chosen)`.
pub(crate) fn plan_choices(
    entries: &[PlanEntry],
    chosen: &str,
    t: Text,
) -> Vec<(String, String, bool)> {
    entries
        .iter()
        .map(|e| {
            (
                e.plan.id.clone(),
                plan_name(&e.plan, t.0).to_owned(),
                e.plan.id == chosen,
            )
        })
        .collect()
}

// ---- the API ------------------------------------------------------------------

/// A plan and its version, as the API answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanBody {
    /// The targets: `id`, `name_zh`, `name_en`, `start`, `end`, `total`,
    /// `by_year` (`[[year, target]]`), `by_district` (`[[code, target]]`),
    /// `by_measure` (`[[measure code, target]]`), `pacing`.
    #[schema(value_type = Object)]
    plan: PlanTarget,
    /// The stored version; `null` for a built-in plan never changed.
    version: Option<i32>,
    /// When that version was saved.
    saved_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<PlanEntry> for PlanBody {
    fn from(entry: PlanEntry) -> PlanBody {
        PlanBody {
            plan: entry.plan,
            version: entry.version,
            saved_at: entry.saved_at,
        }
    }
}

/// Every plan, each at its newest version.
#[utoipa::path(get, path = "/api/v1/plans", tag = "progress", security(("bearer" = [])),
    responses((status = 200, description = "The plans", body = [PlanBody]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn api_list(
    State(state): State<AppState>,
    caller: ApiActor,
) -> Result<Json<Vec<PlanBody>>, ApiError> {
    let entries = state
        .app
        .plans(&caller.actor)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(entries.into_iter().map(PlanBody::from).collect()))
}

/// One plan at its newest version.
#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "progress", security(("bearer" = [])),
    params(("id" = String, Path, description = "The plan's id")),
    responses((status = 200, description = "The plan", body = PlanBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn api_get(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<PlanBody>, ApiError> {
    let entry = state
        .app
        .plan(&caller.actor, Some(&id))
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(entry.into()))
}

/// Saves a plan's targets as its next version (a new id starts a new plan).
/// City administrators only. Every breakdown must add up to the total.
#[utoipa::path(post, path = "/api/v1/plans", tag = "progress", security(("bearer" = [])),
    request_body(content = Object, description = "A plan, as `GET /api/v1/plans/{id}` answers its `plan`"),
    responses((status = 201, description = "Saved", body = PlanBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn api_save(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiJson(plan): ApiJson<PlanTarget>,
) -> Result<(StatusCode, Json<PlanBody>), ApiError> {
    let entry = state
        .app
        .save_plan(&caller.actor, plan)
        .await
        .map_err(|e| caller.error(e))?;
    Ok((StatusCode::CREATED, Json(entry.into())))
}
