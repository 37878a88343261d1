//! The JSON API of employers and their quota (DOMAIN.md §3–§4): the
//! registry, annual declarations with an officer's review, the measure-1
//! list, what-if runs and the policy presets an administrator stores.
//!
//! The conventions are [`crate::api`]'s: bearer tokens, bodies with every
//! field known, the list envelope, the error body, 404 outside the
//! caller's scope. Decimals are accepted as strings or numbers and always
//! answered as strings. The application layer decides who may do what and
//! sees which records; the handlers only translate.

use std::collections::BTreeSet;
use std::fmt;

use ablework_app::employers::{
    DeclarationInput, DeclarationRecord, DeclarationStatus, DeclarationView, EmployeeInput,
    EmployerInput, EmployerRecord, EmployerStanding, MeasureOneReport, Review, sector_label,
};
use ablework_app::{AppError, FieldError, Localized};
use ablework_domain::district;
use ablework_domain::lang::Lang;
use ablework_domain::levy::{Assessment, EmployerKind};
use ablework_domain::person::mask_name;
use ablework_domain::policy::{self, PolicyPreset};
use ablework_domain::quota::{WhatIfReport, WhatIfRow};
use ablework_domain::roles::Permission;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiActor, ApiJson, ApiQuery, ListBody, describe, path_id};
use crate::error::{ApiError, ErrorBody};

/// The largest page a list answers.
const MAX_PER_PAGE: u32 = 200;
/// The page size when none is asked for.
const DEFAULT_PER_PAGE: u32 = 20;

/// The routes of this module, merged into [`crate::api::routes`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/employers", get(list_employers).post(create_employer))
        .route("/employers/{id}", get(get_employer).patch(update_employer))
        .route("/employers/{id}/declarations", post(file_declaration))
        .route("/declarations", get(list_declarations))
        .route("/declarations/{id}", get(get_declaration))
        .route("/declarations/{id}/approve", post(approve_declaration))
        .route("/declarations/{id}/return", post(return_declaration))
        .route("/quota/measure-one", get(measure_one))
        .route("/quota/what-if", get(what_if))
        .route("/policies", get(list_policies).post(create_policy))
        .route("/policies/{id}", get(get_policy))
}

// ---- numbers written as strings or numbers ----------------------------------------

/// A number sent as a JSON number (`200`, `80000.5`) or a string
/// (`"200"`, `"80000.50"`). It is kept as text: the application layer
/// parses it and names the field when it does not fit, with every other
/// problem of the request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NumberText(String);

impl NumberText {
    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

impl<'de> Deserialize<'de> for NumberText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<NumberText, D::Error> {
        deserializer.deserialize_any(NumberTextVisitor)
    }
}

struct NumberTextVisitor;

impl Visitor<'_> for NumberTextVisitor {
    type Value = NumberText;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a number, or a string holding one")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<NumberText, E> {
        Ok(NumberText(value.to_owned()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<NumberText, E> {
        Ok(NumberText(value.to_string()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<NumberText, E> {
        Ok(NumberText(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<NumberText, E> {
        // The shortest spelling that reads back as the same number, so
        // `0.1` stays one tenth.
        Ok(NumberText(value.to_string()))
    }
}

// ---- formatting -----------------------------------------------------------------

/// Money as the assessment writes it: at least two decimal places.
fn money(value: Decimal) -> String {
    let mut value = value;
    if value.scale() < 2 {
        value.rescale(2);
    }
    value.to_string()
}

/// A quantity of people as the assessment writes it: four places.
fn quantity(value: Decimal) -> String {
    let mut value = value;
    if value.scale() < 4 {
        value.rescale(4);
    }
    value.to_string()
}

/// A headcount without trailing zeros (`"200"`, `"170.5"`).
fn headcount(value: Decimal) -> String {
    value.normalize().to_string()
}

fn district_name(code: &str, lang: Lang) -> String {
    district::by_code(code)
        .map(|d| d.name(lang).to_owned())
        .unwrap_or_default()
}

// ---- paging and parameters ---------------------------------------------------------

/// The page and page size asked for: the page from 1, the size 1–200.
pub(crate) fn paging(
    page: Option<u32>,
    per_page: Option<u32>,
    caller: &ApiActor,
) -> Result<(u32, u32), ApiError> {
    let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(caller.error(AppError::field(
            "per_page",
            "out_of_range",
            Localized::new("每页条数应为 1–200", "per_page is 1–200"),
        )));
    }
    Ok((page.unwrap_or(1).max(1), per_page))
}

fn parse_kind(value: Option<&str>, caller: &ApiActor) -> Result<Option<EmployerKind>, ApiError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    EmployerKind::ALL
        .into_iter()
        .find(|kind| kind.code() == value)
        .map(Some)
        .ok_or_else(|| {
            caller.error(AppError::field(
                "kind",
                "unknown_value",
                Localized::new(
                    "单位类型应为 enterprise、agency、institution 或 social_org",
                    "kind is enterprise, agency, institution or social_org",
                ),
            ))
        })
}

/// The data year asked for, or the one declared this year (last year).
fn data_year(year: Option<i32>, state: &AppState) -> i32 {
    year.unwrap_or_else(|| state.app.today().year() - 1)
}

/// A declaration's field errors under the names of the JSON body:
/// `monthly_headcount_3` is `monthly_headcount[3]`, `employees_1_to_month`
/// is `employees[1].to_month`, `seasonal_0_count` is `seasonal[0].count`.
fn json_path(field: &str) -> String {
    if let Some(index) = field.strip_prefix("monthly_headcount_")
        && index.parse::<usize>().is_ok()
    {
        return format!("monthly_headcount[{index}]");
    }
    for list in ["employees", "seasonal"] {
        if let Some(rest) = field.strip_prefix(list).and_then(|r| r.strip_prefix('_'))
            && let Some((index, name)) = rest.split_once('_')
            && index.parse::<usize>().is_ok()
        {
            return format!("{list}[{index}].{name}");
        }
    }
    field.to_owned()
}

/// The name of a declaration's field in the JSON body. A problem with a
/// whole list (its length) is named by the list, not its first element
/// (where a form puts it, to focus the first input).
fn body_field(field: &FieldError) -> String {
    match (field.field.as_str(), field.code.as_str()) {
        ("monthly_headcount_0", "length") => "monthly_headcount".to_owned(),
        ("employees_0_certificate", "too_many") => "employees".to_owned(),
        ("seasonal_0_count", "too_many") => "seasonal".to_owned(),
        (name, _) => json_path(name),
    }
}

fn with_json_paths(error: AppError) -> AppError {
    match error {
        AppError::Invalid(fields) => AppError::Invalid(
            fields
                .into_iter()
                .map(|f| FieldError {
                    field: body_field(&f),
                    ..f
                })
                .collect(),
        ),
        other => other,
    }
}

// ---- employers: bodies ----------------------------------------------------------------

/// An employer's registry entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerBody {
    /// Record id (the `--org` of the employer's accounts).
    pub id: i64,
    /// Unified social credit code.
    pub credit_code: String,
    /// Registered name.
    pub name: String,
    /// `enterprise`, `agency`, `institution` or `social_org`.
    pub kind: String,
    /// The kind's name in the request's language.
    pub kind_label: String,
    /// A primary or secondary school or a kindergarten.
    pub is_school: bool,
    /// Staffing quota (编制) of an agency or institution.
    pub staffing_quota: Option<i32>,
    /// In-service staff.
    pub staff: i32,
    /// District, current GB/T 2260 code.
    pub district: String,
    /// The district's name in the request's language.
    pub district_name: String,
    /// Sector code.
    pub sector: String,
    /// The sector's name in the request's language.
    pub sector_label: String,
    /// A state-owned enterprise (国有企业): its hires count under measure
    /// 2 and it may take part in fairs for state-owned enterprises.
    pub state_owned: bool,
    /// Whether the employer is active.
    pub active: bool,
    /// Registered (RFC 3339, UTC).
    pub created_at: String,
    /// Last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl EmployerBody {
    fn from_record(record: &EmployerRecord, lang: Lang) -> EmployerBody {
        let fields = &record.fields;
        EmployerBody {
            id: record.id,
            credit_code: fields.credit_code.clone(),
            name: fields.name.clone(),
            kind: fields.kind.code().to_owned(),
            kind_label: fields.kind.label(lang).to_owned(),
            is_school: fields.is_school,
            staffing_quota: fields.staffing_quota,
            staff: fields.staff,
            district: fields.district_code.clone(),
            district_name: district_name(&fields.district_code, lang),
            sector: fields.sector.clone(),
            sector_label: sector_label(&fields.sector, lang).to_owned(),
            state_owned: fields.state_owned,
            active: record.active,
            created_at: record.created_at.to_rfc3339(),
            updated_at: record.updated_at.to_rfc3339(),
        }
    }
}

/// An employer with its standing under the quota and its declarations.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerDetailBody {
    /// The registry entry.
    #[serde(flatten)]
    pub employer: EmployerBody,
    /// What it still lacks.
    pub standing: StandingBody,
    /// Its declarations, newest data year first.
    pub declarations: Vec<DeclarationSummaryBody>,
}

/// An employer's standing under the quota.
#[derive(Debug, Serialize, ToSchema)]
pub struct StandingBody {
    /// Whether the plan's measure 1 obliges it to employ at least one
    /// disabled person.
    pub measure_one: bool,
    /// For its newest declaration, if that falls short of the quota.
    pub shortfall: Option<ShortfallBody>,
}

/// What an employer lacks under its newest declaration.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShortfallBody {
    /// The data year.
    pub data_year: i32,
    /// People still needed (each full-year, single weight).
    pub people: u32,
    /// The levy due (CNY).
    pub levy: String,
    /// The levy had one more such person worked the whole year.
    pub levy_with_one_more: String,
}

impl EmployerDetailBody {
    fn from_standing(standing: &EmployerStanding, lang: Lang) -> EmployerDetailBody {
        EmployerDetailBody {
            employer: EmployerBody::from_record(&standing.employer, lang),
            standing: StandingBody {
                measure_one: standing.measure_one,
                shortfall: standing.shortfall.as_ref().map(|s| ShortfallBody {
                    data_year: s.data_year,
                    people: s.people,
                    levy: money(s.levy),
                    levy_with_one_more: money(s.levy_with_one_more),
                }),
            },
            declarations: standing
                .declarations
                .iter()
                .map(|d| DeclarationSummaryBody::from_record(d, lang))
                .collect(),
        }
    }
}

/// Employers list parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EmployerListParams {
    /// Part of the name, or the start of a credit code.
    pub q: Option<String>,
    /// `enterprise`, `agency`, `institution` or `social_org`.
    pub kind: Option<String>,
    /// District code or name (within your scope).
    pub district: Option<String>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, default 20, at most 200.
    pub per_page: Option<u32>,
    /// Interface language of messages (`zh` or `en`).
    pub lang: Option<String>,
}

/// An employer to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEmployerBody {
    /// Unified social credit code, 18 characters.
    pub credit_code: String,
    /// Registered name.
    pub name: String,
    /// `enterprise`, `agency`, `institution` or `social_org`.
    pub kind: String,
    /// A primary or secondary school or a kindergarten (institutions only; default `false`).
    #[serde(default)]
    pub is_school: bool,
    /// Staffing quota (编制), for agencies and institutions; a number or a string.
    #[schema(value_type = Option<String>)]
    pub staffing_quota: Option<NumberText>,
    /// In-service staff; a number or a string.
    #[schema(value_type = String)]
    pub staff: NumberText,
    /// District code (current or historical) or name.
    pub district: String,
    /// Sector code (`manufacturing`, `it`, `public_admin`, …).
    pub sector: String,
    /// A state-owned enterprise (enterprises only; default `false`).
    #[serde(default)]
    pub state_owned: bool,
}

/// Changes to an employer. Absent fields stay as they are; `""` clears the
/// staffing quota. An employer's own account cannot change its credit
/// code, kind, district or state ownership.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerPatchBody {
    /// Unified social credit code.
    pub credit_code: Option<String>,
    /// Registered name.
    pub name: Option<String>,
    /// `enterprise`, `agency`, `institution` or `social_org`.
    pub kind: Option<String>,
    /// A primary or secondary school or a kindergarten.
    pub is_school: Option<bool>,
    /// Staffing quota; `""` clears it.
    #[schema(value_type = Option<String>)]
    pub staffing_quota: Option<NumberText>,
    /// In-service staff.
    #[schema(value_type = Option<String>)]
    pub staff: Option<NumberText>,
    /// District code or name.
    pub district: Option<String>,
    /// Sector code.
    pub sector: Option<String>,
    /// A state-owned enterprise.
    pub state_owned: Option<bool>,
}

// ---- employers: handlers ----------------------------------------------------------------

/// Employers in your scope, one page at a time: the city for
/// administrators, your district for officers, your own organisation for
/// an employer's account.
#[utoipa::path(get, path = "/api/v1/employers", tag = "employers", security(("bearer" = [])), params(EmployerListParams),
    responses((status = 200, body = ListBody<EmployerBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_employers(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<EmployerListParams>,
) -> Result<Json<ListBody<EmployerBody>>, ApiError> {
    let (page, per_page) = paging(params.page, params.per_page, &caller)?;
    let kind = parse_kind(params.kind.as_deref(), &caller)?;
    let district = match params.district.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(value) => Some(
            district::resolve(value)
                .map(|d| d.code.to_owned())
                .ok_or_else(|| {
                    caller.error(AppError::field(
                        "district",
                        "unknown",
                        Localized::new("不是天津市的区", "Not a Tianjin district"),
                    ))
                })?,
        ),
    };
    let found = state
        .app
        .list_employers(&caller.actor, params.q, kind, district, page, per_page)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(ListBody {
        items: found
            .items
            .iter()
            .map(|r| EmployerBody::from_record(r, caller.lang))
            .collect(),
        total: found.total,
        page,
        per_page,
    }))
}

/// Registers an employer (administrators, and officers in their own
/// district). A registered credit code is a field error.
#[utoipa::path(post, path = "/api/v1/employers", tag = "employers", security(("bearer" = [])), request_body = NewEmployerBody,
    responses((status = 201, body = EmployerBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_employer(
    State(state): State<AppState>,
    caller: ApiActor,
    body: Result<ApiJson<NewEmployerBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::EmployerWrite)
        .map_err(|e| caller.error(e))?;
    let ApiJson(body) = body?;
    let input = EmployerInput {
        credit_code: body.credit_code,
        name: body.name,
        kind: body.kind,
        is_school: body.is_school,
        staffing_quota: body.staffing_quota.map(NumberText::into_string),
        staff: body.staff.into_string(),
        district: body.district,
        sector: body.sector,
        state_owned: body.state_owned,
    };
    let record = state
        .app
        .create_employer(&caller.actor, &input)
        .await
        .map_err(|e| caller.error(e))?;
    let location = format!("/api/v1/employers/{}", record.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(EmployerBody::from_record(&record, caller.lang)),
    )
        .into_response())
}

/// One employer in your scope, with its standing under the quota (the
/// people and levy it still lacks, and whether measure 1 covers it) and
/// its declarations.
#[utoipa::path(get, path = "/api/v1/employers/{id}", tag = "employers", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")),
    responses((status = 200, body = EmployerDetailBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_employer(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<EmployerDetailBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let standing = state
        .app
        .employer_standing(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(EmployerDetailBody::from_standing(
        &standing,
        caller.lang,
    )))
}

/// Changes an employer in your scope; absent fields stay as they are.
#[utoipa::path(patch, path = "/api/v1/employers/{id}", tag = "employers", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = EmployerPatchBody,
    responses((status = 200, body = EmployerBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_employer(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<EmployerPatchBody>, ApiError>,
) -> Result<Json<EmployerBody>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::EmployerWrite)
        .map_err(|e| caller.error(e))?;
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let current = state
        .app
        .employer(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    let mut input = EmployerInput::from_record(&current);
    if let Some(value) = body.credit_code {
        input.credit_code = value;
    }
    if let Some(value) = body.name {
        input.name = value;
    }
    if let Some(value) = body.kind {
        input.kind = value;
    }
    if let Some(value) = body.is_school {
        input.is_school = value;
    }
    if let Some(value) = body.staffing_quota {
        input.staffing_quota = Some(value.into_string());
    }
    if let Some(value) = body.staff {
        input.staff = value.into_string();
    }
    if let Some(value) = body.district {
        input.district = value;
    }
    if let Some(value) = body.sector {
        input.sector = value;
    }
    if let Some(value) = body.state_owned {
        input.state_owned = value;
    }
    let record = state
        .app
        .update_employer(&caller.actor, id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(EmployerBody::from_record(&record, caller.lang)))
}

// ---- declarations: bodies ----------------------------------------------------------------

/// A declaration as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeclarationSummaryBody {
    /// Record id.
    pub id: i64,
    /// The employer.
    pub employer_id: i64,
    /// The employer's name.
    pub employer_name: String,
    /// The employer's district code.
    pub district: String,
    /// The district's name in the request's language.
    pub district_name: String,
    /// The employer's kind.
    pub kind: String,
    /// The year the figures describe.
    pub data_year: i32,
    /// `submitted`, `returned` or `approved`.
    pub status: String,
    /// The day it was (last) filed, `YYYY-MM-DD`.
    pub declared_on: String,
    /// In-service headcount N.
    pub headcount: String,
    /// Disabled employees counted D (four places).
    pub counted: String,
    /// Shortfall G (four places).
    pub shortfall: String,
    /// The levy due (CNY).
    pub levy: String,
    /// The policy preset it was assessed under.
    pub policy: String,
    /// That preset's version.
    pub policy_version: i32,
}

impl DeclarationSummaryBody {
    fn from_record(record: &DeclarationRecord, lang: Lang) -> DeclarationSummaryBody {
        let figures = &record.figures;
        DeclarationSummaryBody {
            id: record.id,
            employer_id: record.employer_id,
            employer_name: record.employer_name.clone(),
            district: record.district_code.clone(),
            district_name: district_name(&record.district_code, lang),
            kind: record.kind.code().to_owned(),
            data_year: record.data_year,
            status: record.status.code().to_owned(),
            declared_on: figures.declared_on.to_string(),
            headcount: headcount(figures.headcount),
            counted: quantity(figures.counted),
            shortfall: quantity(figures.shortfall),
            levy: money(figures.levy),
            policy: figures.policy_id.clone(),
            policy_version: figures.policy_version,
        }
    }
}

/// A declaration with its figures, employees, assessment, conflicts and
/// history.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeclarationBody {
    /// What lists show.
    #[serde(flatten)]
    pub summary: DeclarationSummaryBody,
    /// In-service headcount of each month, January first.
    pub monthly_headcount: Vec<String>,
    /// Seasonal workers.
    pub seasonal: Vec<SeasonalBody>,
    /// Total wages of the year (CNY).
    pub total_wages: String,
    /// The local social average wage of the year (CNY).
    pub social_average_wage: String,
    /// The disabled employees declared, masked.
    pub employees: Vec<DeclaredEmployeeBody>,
    /// The assessment recomputed under the preset version it recorded,
    /// explained in the request's language (the same JSON as
    /// `POST /api/v1/levy/assessments`).
    #[schema(value_type = crate::levy::LevyAssessmentBody)]
    pub assessment: Assessment,
    /// People another employer declares for overlapping months of the year.
    pub conflicts: Vec<ConflictBody>,
    /// Every step so far, oldest first.
    pub history: Vec<EventBody>,
    /// Whether you may approve or return it now.
    pub can_review: bool,
    /// Whether you may correct and refile it now.
    pub can_refile: bool,
}

/// Seasonal workers on a stored declaration.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeasonalBody {
    /// How many people.
    pub count: String,
    /// For how many months (1–12).
    pub months: u8,
}

/// A disabled employee on a declaration, masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeclaredEmployeeBody {
    /// The person's record id.
    pub person_id: i64,
    /// Name with all but the surname masked.
    pub name_masked: String,
    /// `1201****************`.
    pub certificate_masked: String,
    /// Disability level, 1 (most severe) to 4.
    pub level: u8,
    /// First month worked (1–12).
    pub from_month: u8,
    /// Last month worked (1–12).
    pub to_month: u8,
    /// On a contract of a year or more, or in the permanent establishment.
    pub contract_ok: bool,
    /// Paid at least the local minimum wage.
    pub min_wage_ok: bool,
    /// Social insurance paid in full.
    pub insured_ok: bool,
}

/// A run of months, both ends included.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthsBody {
    /// First month (1–12).
    pub from: u8,
    /// Last month (1–12).
    pub to: u8,
}

/// One person declared by another employer for overlapping months.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictBody {
    /// The person's record id.
    pub person_id: i64,
    /// Name with all but the surname masked.
    pub name_masked: String,
    /// The months this declaration claims.
    pub months: MonthsBody,
    /// The other employer.
    pub other_employer_id: i64,
    /// Its name.
    pub other_employer_name: String,
    /// The months the other employer claims.
    pub other_months: MonthsBody,
}

/// One step in a declaration's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventBody {
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who, by username (absent for the command line or the demo seed).
    pub actor: Option<String>,
    /// `submitted`, `resubmitted`, `returned` or `approved`.
    pub action: String,
    /// The officer's reasons.
    pub note: Option<String>,
    /// The levy at that moment (CNY).
    pub levy: String,
}

impl DeclarationBody {
    fn from_view(view: DeclarationView, lang: Lang) -> DeclarationBody {
        let record = &view.record;
        let figures = &record.figures;
        DeclarationBody {
            summary: DeclarationSummaryBody::from_record(record, lang),
            monthly_headcount: figures
                .monthly_headcount
                .iter()
                .map(|&n| headcount(n))
                .collect(),
            seasonal: figures
                .seasonal
                .iter()
                .map(|&(count, months)| SeasonalBody {
                    count: headcount(count),
                    months,
                })
                .collect(),
            total_wages: money(figures.total_wages),
            social_average_wage: money(figures.social_average_wage),
            employees: figures
                .employees
                .iter()
                .map(|e| DeclaredEmployeeBody {
                    person_id: e.person_id,
                    name_masked: mask_name(&e.name),
                    certificate_masked: e.certificate_masked.clone(),
                    level: e.level,
                    from_month: e.from_month,
                    to_month: e.to_month,
                    contract_ok: e.contract_ok,
                    min_wage_ok: e.min_wage_ok,
                    insured_ok: e.insured_ok,
                })
                .collect(),
            conflicts: view
                .conflicts
                .iter()
                .map(|c| ConflictBody {
                    person_id: c.person_id,
                    name_masked: mask_name(&c.name),
                    months: MonthsBody {
                        from: c.months.0,
                        to: c.months.1,
                    },
                    other_employer_id: c.other_employer_id,
                    other_employer_name: c.other_employer_name.clone(),
                    other_months: MonthsBody {
                        from: c.other_months.0,
                        to: c.other_months.1,
                    },
                })
                .collect(),
            history: record
                .events
                .iter()
                .map(|e| EventBody {
                    at: e.at.to_rfc3339(),
                    actor: e.username.clone(),
                    action: e.action.clone(),
                    note: e.note.clone(),
                    levy: money(e.levy),
                })
                .collect(),
            can_review: view.can_review,
            can_refile: view.can_refile,
            assessment: view.assessment,
        }
    }
}

/// Declarations list parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeclarationListParams {
    /// One data year.
    pub year: Option<i32>,
    /// `submitted`, `returned` or `approved`.
    pub status: Option<String>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, default 20, at most 200.
    pub per_page: Option<u32>,
    /// Interface language of messages and explanations.
    pub lang: Option<String>,
}

/// An employer's annual quota declaration. Numbers may be JSON numbers or
/// strings. Every problem is reported at once, each field named by its
/// path (`monthly_headcount[3]`, `employees[1].to_month`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "data_year": 2023,
    "monthly_headcount": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "seasonal": [{"count": 40, "months": 6}],
    "total_wages": "16000000",
    "social_average_wage": "100000",
    "employees": [{"certificate": "12010119900307123543", "from_month": 1, "to_month": 12,
        "contract_ok": true, "min_wage_ok": true, "insured_ok": true}]
}))]
pub struct NewDeclarationBody {
    /// The year the figures describe (this year or earlier).
    #[schema(value_type = String)]
    pub data_year: NumberText,
    /// In-service headcount of each of the 12 months, January first.
    #[schema(value_type = Vec<String>)]
    pub monthly_headcount: Vec<NumberText>,
    /// Seasonal workers.
    #[serde(default)]
    pub seasonal: Vec<NewSeasonalBody>,
    /// Total wages of the year (CNY).
    #[schema(value_type = String)]
    pub total_wages: NumberText,
    /// The local social average wage of the year (CNY).
    #[schema(value_type = String)]
    pub social_average_wage: NumberText,
    /// The disabled employees: each must be in the disability register.
    #[serde(default)]
    pub employees: Vec<NewDeclaredEmployeeBody>,
}

/// `count` seasonal workers employed for `months` months.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSeasonalBody {
    /// How many people.
    #[schema(value_type = String)]
    pub count: NumberText,
    /// Months, 1–12.
    #[schema(value_type = String)]
    pub months: NumberText,
}

/// A disabled employee on a declaration, with the conditions the employer
/// attests.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeclaredEmployeeBody {
    /// Disability certificate number (20 characters, optional `B1`–`B9`).
    pub certificate: String,
    /// First month worked in the data year (1–12).
    #[schema(value_type = String)]
    pub from_month: NumberText,
    /// Last month worked (1–12).
    #[schema(value_type = String)]
    pub to_month: NumberText,
    /// On a contract of a year or more, or in the permanent establishment.
    pub contract_ok: bool,
    /// Paid at least the local minimum wage.
    pub min_wage_ok: bool,
    /// Social insurance paid in full.
    pub insured_ok: bool,
}

impl NewDeclarationBody {
    fn into_input(self) -> DeclarationInput {
        DeclarationInput {
            data_year: self.data_year.into_string(),
            monthly_headcount: self
                .monthly_headcount
                .into_iter()
                .map(NumberText::into_string)
                .collect(),
            seasonal: self
                .seasonal
                .into_iter()
                .map(|s| (s.count.into_string(), s.months.into_string()))
                .collect(),
            total_wages: self.total_wages.into_string(),
            social_average_wage: self.social_average_wage.into_string(),
            employees: self
                .employees
                .into_iter()
                .map(|e| EmployeeInput {
                    certificate: e.certificate,
                    from_month: e.from_month.into_string(),
                    to_month: e.to_month.into_string(),
                    contract_ok: e.contract_ok,
                    min_wage_ok: e.min_wage_ok,
                    insured_ok: e.insured_ok,
                })
                .collect(),
        }
    }
}

/// An officer's reasons.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// Required to return a declaration; optional to approve one. At most
    /// 1,000 characters.
    #[serde(default)]
    pub note: Option<String>,
}

// ---- declarations: handlers ----------------------------------------------------------------

/// Declarations in your scope, newest first.
#[utoipa::path(get, path = "/api/v1/declarations", tag = "declarations", security(("bearer" = [])), params(DeclarationListParams),
    responses((status = 200, body = ListBody<DeclarationSummaryBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_declarations(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<DeclarationListParams>,
) -> Result<Json<ListBody<DeclarationSummaryBody>>, ApiError> {
    let (page, per_page) = paging(params.page, params.per_page, &caller)?;
    let status = match params.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(DeclarationStatus::from_code(code).ok_or_else(|| {
            caller.error(AppError::field(
                "status",
                "unknown_value",
                Localized::new(
                    "状态应为 submitted、returned 或 approved",
                    "status is submitted, returned or approved",
                ),
            ))
        })?),
    };
    let found = state
        .app
        .list_declarations(&caller.actor, params.year, status, page, per_page)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(ListBody {
        items: found
            .items
            .iter()
            .map(|r| DeclarationSummaryBody::from_record(r, caller.lang))
            .collect(),
        total: found.total,
        page,
        per_page,
    }))
}

/// Files an employer's declaration for a data year, or corrects and
/// refiles one that is submitted or returned: 201 when it is new, 200 when
/// it replaces the year's declaration. The levy is assessed under the
/// configured preset. An approved declaration cannot change (409).
#[utoipa::path(post, path = "/api/v1/employers/{id}/declarations", tag = "declarations", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The employer's record id")), request_body = NewDeclarationBody,
    responses((status = 201, body = DeclarationBody), (status = 200, description = "The year's declaration, corrected and refiled", body = DeclarationBody),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn file_declaration(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewDeclarationBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::DeclarationFile)
        .map_err(|e| caller.error(e))?;
    let employer_id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let record = state
        .app
        .file_declaration(&caller.actor, employer_id, &body.into_input())
        .await
        .map_err(|e| caller.error(with_json_paths(e)))?;
    let view = state
        .app
        .declaration(&caller.actor, record.id, caller.lang)
        .await
        .map_err(|e| caller.error(e))?;
    let refiled = view.record.events.iter().any(|e| e.action == "resubmitted");
    let location = format!("/api/v1/declarations/{}", record.id);
    let status = if refiled {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        [(header::LOCATION, location)],
        Json(DeclarationBody::from_view(view, caller.lang)),
    )
        .into_response())
}

/// One declaration in your scope: figures, masked employees, the
/// assessment explained in the request's language, double-counting
/// conflicts with other employers, and its history.
#[utoipa::path(get, path = "/api/v1/declarations/{id}", tag = "declarations", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")),
    responses((status = 200, body = DeclarationBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_declaration(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<DeclarationBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let view = state
        .app
        .declaration(&caller.actor, id, caller.lang)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(DeclarationBody::from_view(view, caller.lang)))
}

async fn review(
    state: &AppState,
    caller: &ApiActor,
    id: &str,
    body: Result<ApiJson<ReviewBody>, ApiError>,
    decision: Review,
) -> Result<Json<DeclarationBody>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::DeclarationReview)
        .map_err(|e| caller.error(e))?;
    let id = path_id(id, caller)?;
    let ApiJson(body) = body?;
    let note = body.note.unwrap_or_default();
    state
        .app
        .review_declaration(&caller.actor, id, decision, &note)
        .await
        .map_err(|e| caller.error(e))?;
    let view = state
        .app
        .declaration(&caller.actor, id, caller.lang)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(DeclarationBody::from_view(view, caller.lang)))
}

/// Approves a submitted declaration (officers of its district and
/// administrators); it is final. A declaration not waiting for review is
/// 409.
#[utoipa::path(post, path = "/api/v1/declarations/{id}/approve", tag = "declarations", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = ReviewBody,
    responses((status = 200, body = DeclarationBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn approve_declaration(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<ReviewBody>, ApiError>,
) -> Result<Json<DeclarationBody>, ApiError> {
    review(&state, &caller, &id, body, Review::Approve).await
}

/// Returns a submitted declaration to the employer with reasons (`note`
/// is required) so that it can be corrected and refiled.
#[utoipa::path(post, path = "/api/v1/declarations/{id}/return", tag = "declarations", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = ReviewBody,
    responses((status = 200, body = DeclarationBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn return_declaration(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<ReviewBody>, ApiError>,
) -> Result<Json<DeclarationBody>, ApiError> {
    review(&state, &caller, &id, body, Review::Return).await
}

// ---- quota reports ------------------------------------------------------------------------

/// Measure-1 and what-if parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MeasureOneParams {
    /// The data year (default: last year, the one declared this year).
    pub year: Option<i32>,
    /// Interface language of messages.
    pub lang: Option<String>,
}

/// The measure-1 list of a data year.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureOneBody {
    /// The data year.
    pub data_year: i32,
    /// Every agency and institution in your scope the rule covers.
    pub rows: Vec<MeasureOneRowBody>,
    /// Per district.
    pub by_district: Vec<MeasureOneDistrictBody>,
    /// The data year and the three before it.
    pub over_time: Vec<MeasureOneYearBody>,
}

/// An employer measure 1 covers.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureOneRowBody {
    /// The employer's record id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// `agency` or `institution`.
    pub kind: String,
    /// District code.
    pub district: String,
    /// The district's name in the request's language.
    pub district_name: String,
    /// Staffing quota.
    pub staffing_quota: Option<i32>,
    /// In-service staff.
    pub staff: i32,
    /// The status of its declaration for the year, if it filed one.
    pub declaration_status: Option<String>,
    /// Disabled employees declared with every condition met.
    pub eligible_employees: u32,
    /// Whether it employs none (it fails the measure).
    pub employs_none: bool,
}

/// Measure 1 in one district.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureOneDistrictBody {
    /// District code.
    pub district: String,
    /// The district's name in the request's language.
    pub district_name: String,
    /// Employers covered.
    pub covered: u32,
    /// Of them, employing no disabled person.
    pub employing_none: u32,
}

/// Measure 1 in one year.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureOneYearBody {
    /// The data year.
    pub data_year: i32,
    /// Employers covered.
    pub covered: u32,
    /// Of them, employing no disabled person.
    pub employing_none: u32,
}

impl MeasureOneBody {
    fn from_report(report: &MeasureOneReport, lang: Lang) -> MeasureOneBody {
        MeasureOneBody {
            data_year: report.data_year,
            rows: report
                .rows
                .iter()
                .map(|row| {
                    let fields = &row.employer.fields;
                    MeasureOneRowBody {
                        id: row.employer.id,
                        name: fields.name.clone(),
                        kind: fields.kind.code().to_owned(),
                        district: fields.district_code.clone(),
                        district_name: district_name(&fields.district_code, lang),
                        staffing_quota: fields.staffing_quota,
                        staff: fields.staff,
                        declaration_status: row.status.map(|s| s.code().to_owned()),
                        eligible_employees: row.eligible_employees,
                        employs_none: row.eligible_employees == 0,
                    }
                })
                .collect(),
            by_district: report
                .by_district
                .iter()
                .map(|(code, covered, none)| MeasureOneDistrictBody {
                    district: code.clone(),
                    district_name: district_name(code, lang),
                    covered: *covered,
                    employing_none: *none,
                })
                .collect(),
            over_time: report
                .over_time
                .iter()
                .map(|&(year, covered, none)| MeasureOneYearBody {
                    data_year: year,
                    covered,
                    employing_none: none,
                })
                .collect(),
        }
    }
}

/// The plan's measure 1 for a data year: the agencies and institutions in
/// your scope that must employ at least one disabled person, and which do
/// not (officers and administrators).
#[utoipa::path(get, path = "/api/v1/quota/measure-one", tag = "quota", security(("bearer" = [])), params(MeasureOneParams),
    responses((status = 200, body = MeasureOneBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn measure_one(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<MeasureOneParams>,
) -> Result<Json<MeasureOneBody>, ApiError> {
    let year = data_year(params.year, &state);
    let report = state
        .app
        .measure_one(&caller.actor, year)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(MeasureOneBody::from_report(&report, caller.lang)))
}

/// What-if parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WhatIfParams {
    /// The data year (default: last year).
    pub year: Option<i32>,
    /// The alternative policy preset's id (required).
    pub policy: Option<String>,
    /// Interface language of messages.
    pub lang: Option<String>,
}

/// A year's declarations in your scope under their own presets and under
/// an alternative one.
#[derive(Debug, Serialize, ToSchema)]
pub struct WhatIfBody {
    /// The data year.
    pub data_year: i32,
    /// The alternative preset's id.
    pub policy: String,
    /// Its version.
    pub policy_version: u32,
    /// Its name in the request's language.
    pub policy_name: String,
    /// Every employer assessed.
    pub total: WhatIfRowBody,
    /// By district.
    pub by_district: Vec<WhatIfGroupBody>,
    /// By kind of employer (only the kinds present).
    pub by_kind: Vec<WhatIfGroupBody>,
    /// Declarations left out because they no longer pass validation.
    pub skipped: u64,
}

/// Totals of a group of employers.
#[derive(Debug, Serialize, ToSchema)]
pub struct WhatIfRowBody {
    /// Employers assessed.
    pub employers: u64,
    /// The levies due today, summed (CNY).
    pub levy_current: String,
    /// The levies due under the alternative, summed (CNY).
    pub levy_alternative: String,
    /// Alternative less current (CNY; negative when it raises less).
    pub difference: String,
    /// Employers short of their quota today.
    pub short_current: u64,
    /// Employers that would be short under the alternative.
    pub short_alternative: u64,
    /// Meeting the quota today but not under the alternative.
    pub newly_short: u64,
    /// Short today but not under the alternative.
    pub no_longer_short: u64,
}

/// A group's code and its totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct WhatIfGroupBody {
    /// District code or kind of employer.
    pub code: String,
    /// Its name in the request's language.
    pub label: String,
    /// The totals.
    #[serde(flatten)]
    pub row: WhatIfRowBody,
}

impl WhatIfRowBody {
    fn from_row(row: &WhatIfRow) -> WhatIfRowBody {
        WhatIfRowBody {
            employers: row.employers,
            levy_current: money(row.levy_current),
            levy_alternative: money(row.levy_alternative),
            difference: money(row.difference()),
            short_current: row.short_current,
            short_alternative: row.short_alternative,
            newly_short: row.newly_short,
            no_longer_short: row.no_longer_short,
        }
    }
}

impl WhatIfBody {
    fn from_report(
        data_year: i32,
        preset: &PolicyPreset,
        report: &WhatIfReport,
        lang: Lang,
    ) -> WhatIfBody {
        WhatIfBody {
            data_year,
            policy: preset.id.clone(),
            policy_version: preset.version,
            policy_name: preset.name(lang).to_owned(),
            total: WhatIfRowBody::from_row(&report.total),
            by_district: report
                .by_district
                .iter()
                .map(|(code, row)| WhatIfGroupBody {
                    code: code.clone(),
                    label: district_name(code, lang),
                    row: WhatIfRowBody::from_row(row),
                })
                .collect(),
            by_kind: report
                .by_kind
                .iter()
                .map(|(kind, row)| WhatIfGroupBody {
                    code: kind.code().to_owned(),
                    label: kind.label(lang).to_owned(),
                    row: WhatIfRowBody::from_row(row),
                })
                .collect(),
            skipped: u64::try_from(report.skipped).unwrap_or(u64::MAX),
        }
    }
}

/// Every declaration of a data year in your scope assessed under its own
/// preset and under `policy`, with totals by district and kind (officers
/// and administrators).
#[utoipa::path(get, path = "/api/v1/quota/what-if", tag = "quota", security(("bearer" = [])), params(WhatIfParams),
    responses((status = 200, body = WhatIfBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn what_if(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<WhatIfParams>,
) -> Result<Json<WhatIfBody>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::DeclarationReview)
        .map_err(|e| caller.error(e))?;
    let Some(policy) = params
        .policy
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    else {
        return Err(caller.error(AppError::Invalid(vec![FieldError::required("policy")])));
    };
    let year = data_year(params.year, &state);
    let (preset, report) = state
        .app
        .what_if(&caller.actor, year, policy)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(WhatIfBody::from_report(
        year,
        &preset,
        &report,
        caller.lang,
    )))
}

// ---- policy presets -------------------------------------------------------------------------

/// A policy preset: every number of the quota and the levy, versioned.
/// The fields are those of a preset sent to `POST /api/v1/policies`, plus
/// `built_in`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyBody {
    /// The preset (`id`, `name_zh`, `name_en`, `effective_from`,
    /// `effective_to`, `version`, `working_age`, `quota`, `levy`,
    /// `measure_one`); decimals as strings.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub preset: PolicyPreset,
    /// Whether it ships with AbleWork (and cannot be changed).
    pub built_in: bool,
}

impl PolicyBody {
    fn new(preset: PolicyPreset) -> PolicyBody {
        let built_in = policy::by_id(&preset.id).is_some();
        PolicyBody { preset, built_in }
    }
}

/// Preset list parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PolicyListParams {
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, default 20, at most 200.
    pub per_page: Option<u32>,
    /// Interface language of messages.
    pub lang: Option<String>,
}

/// Every policy preset (the built-in ones and the newest version of each
/// one an administrator stored), by id. Any role may read them.
#[utoipa::path(get, path = "/api/v1/policies", tag = "policies", security(("bearer" = [])), params(PolicyListParams),
    responses((status = 200, body = ListBody<PolicyBody>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_policies(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<PolicyListParams>,
) -> Result<Json<ListBody<PolicyBody>>, ApiError> {
    let (page, per_page) = paging(params.page, params.per_page, &caller)?;
    let presets = state.app.presets().await.map_err(|e| caller.error(e))?;
    let total = u64::try_from(presets.len()).unwrap_or(u64::MAX);
    let skip = usize::try_from(u64::from(page - 1) * u64::from(per_page)).unwrap_or(usize::MAX);
    let items = presets
        .into_iter()
        .skip(skip)
        .take(usize::try_from(per_page).unwrap_or(usize::MAX))
        .map(PolicyBody::new)
        .collect();
    Ok(Json(ListBody {
        items,
        total,
        page,
        per_page,
    }))
}

/// One policy preset by id (its newest version).
#[utoipa::path(get, path = "/api/v1/policies/{id}", tag = "policies", security(("bearer" = [])),
    params(("id" = String, Path, description = "The preset's id")),
    responses((status = 200, body = PolicyBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_policy(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<PolicyBody>, ApiError> {
    let preset = state
        .app
        .preset(&id)
        .await
        .map_err(|e| caller.error(e))?
        .ok_or_else(|| caller.error(AppError::NotFound))?;
    Ok(Json(PolicyBody::new(preset)))
}

/// Stores a policy preset (city administrators): a whole preset as
/// `GET /api/v1/policies/{id}` answers it. Saving an id again stores a new
/// version; `version` is assigned here and may be left out. Built-in
/// presets cannot be changed. Every problem is reported at once, named by
/// its dotted path (`quota.rate`, `levy.tier_window.to`).
#[utoipa::path(post, path = "/api/v1/policies", tag = "policies", security(("bearer" = [])),
    request_body(content = Object, description = "A whole policy preset, as `GET /api/v1/policies/tianjin-2022-2024` answers it"),
    responses((status = 201, body = PolicyBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_policy(
    State(state): State<AppState>,
    caller: ApiActor,
    body: Result<ApiJson<Value>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PolicyManage)
        .map_err(|e| caller.error(e))?;
    let ApiJson(body) = body?;
    let preset = read_preset(body).map_err(|fields| caller.error(AppError::Invalid(fields)))?;
    let saved = state
        .app
        .save_preset(&caller.actor, preset)
        .await
        .map_err(|e| caller.error(e))?;
    let location = format!("/api/v1/policies/{}", saved.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(PolicyBody::new(saved)),
    )
        .into_response())
}

/// Reads a preset sent as JSON: the wrong type of a field, a missing field
/// and a field the preset does not have are each named by their path.
/// `version` may be left out (it is assigned when the preset is saved) and
/// `built_in`, as `GET` answers it, is ignored.
///
/// Used by the API and by `ablework policy add`.
pub fn read_preset(body: Value) -> Result<PolicyPreset, Vec<FieldError>> {
    let mut body = body;
    if let Value::Object(object) = &mut body {
        object.remove("built_in");
        object.entry("version").or_insert(Value::from(0));
    }
    let preset: PolicyPreset = serde_path_to_error::deserialize(&body).map_err(|error| {
        let text = error.inner().to_string();
        let detail = text.split(" at line ").next().unwrap_or(&text).to_owned();
        let (field, code) = describe(&error.path().to_string(), &detail);
        vec![FieldError::new(
            &field,
            code,
            Localized::new(
                format!("字段 {field} 有误：{detail}"),
                format!("Field {field} is not valid: {detail}"),
            ),
        )]
    })?;
    // The preset's types accept fields they do not know; the API does not.
    let known = serde_json::to_value(&preset).unwrap_or(Value::Null);
    let mut unknown = BTreeSet::new();
    unknown_fields(&body, &known, "", &mut unknown);
    if unknown.is_empty() {
        Ok(preset)
    } else {
        Err(unknown
            .into_iter()
            .map(|field| {
                FieldError::new(
                    &field,
                    "unknown_field",
                    Localized::new(
                        format!("政策预设没有字段 {field}"),
                        format!("A policy preset has no field {field}"),
                    ),
                )
            })
            .collect())
    }
}

/// Adds to `found` the dotted path of every key of `sent` that `known`
/// (the same value read and written back) does not have.
fn unknown_fields(sent: &Value, known: &Value, path: &str, found: &mut BTreeSet<String>) {
    let (Value::Object(sent), Value::Object(known)) = (sent, known) else {
        return;
    };
    for (key, value) in sent {
        let field = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match known.get(key) {
            Some(inner) => unknown_fields(value, inner, &field, found),
            None => {
                found.insert(field);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn form_field_names_become_json_paths() {
        for (form, json) in [
            ("monthly_headcount_0", "monthly_headcount[0]"),
            ("monthly_headcount_11", "monthly_headcount[11]"),
            ("employees_2_to_month", "employees[2].to_month"),
            ("employees_0_certificate", "employees[0].certificate"),
            ("employees_1_months", "employees[1].months"),
            ("seasonal_3_count", "seasonal[3].count"),
            ("total_wages", "total_wages"),
            ("data_year", "data_year"),
            ("employees", "employees"),
            ("employees_x_months", "employees_x_months"),
        ] {
            assert_eq!(json_path(form), json, "{form}");
        }
    }

    #[test]
    fn numbers_and_strings_are_read_as_text() {
        let read = |json: &str| serde_json::from_str::<NumberText>(json).map(|n| n.0);
        assert_eq!(read("200").unwrap(), "200");
        assert_eq!(read("-5").unwrap(), "-5");
        assert_eq!(read("80000.5").unwrap(), "80000.5");
        assert_eq!(read("\"80000.50\"").unwrap(), "80000.50");
        assert!(read("true").is_err());
        assert!(read("[1]").is_err());
    }

    #[test]
    fn presets_are_read_with_unknown_fields_named() {
        let mut body = serde_json::to_value(policy::default_preset()).unwrap();
        body["id"] = Value::from("tianjin-2025");
        body.as_object_mut().unwrap().remove("version");
        body["built_in"] = Value::from(true);
        let preset = read_preset(body.clone()).unwrap();
        assert_eq!(preset.id, "tianjin-2025");
        body["quota"]["colour"] = Value::from("blue");
        body["extra"] = Value::from(1);
        let fields: Vec<String> = read_preset(body.clone())
            .unwrap_err()
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(fields, ["extra", "quota.colour"]);
        body["quota"]["rate"] = Value::from(true);
        let errors = read_preset(body).unwrap_err();
        assert_eq!(errors[0].field, "quota.rate");
        assert_eq!(errors[0].code, "invalid_type");
    }
}
