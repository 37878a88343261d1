//! The pages for employers and the quota: the registry, the annual
//! declaration and its review, the measure-1 list, what-if runs and the
//! policy presets. Like every page they work without JavaScript, by
//! keyboard and with a screen reader.

use ablework_app::AppError;
use ablework_app::employers::{
    DeclarationInput, DeclarationRecord, DeclarationStatus, EmployeeInput, EmployerInput,
    EmployerRecord, Review, sector_label, sectors,
};
use ablework_app::export::{DeclarationListing, EmployerListing, PolicyListing};
use ablework_domain::district;
use ablework_domain::lang::Lang;
use ablework_domain::levy::EmployerKind;
use ablework_domain::policy::PolicyPreset;
use ablework_domain::quota::{MonthSpan, WhatIfRow};
use ablework_domain::roles::{Permission, Role};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::export::{Downloads, ListFile, NoParams, download};
use crate::i18n::Text;
use crate::pages::{
    app_error_page, attachment, bracket, checked_session, district_name, id_or_return,
    session_or_return,
};
use crate::view::{FormError, Layout, Pager, error_for, form_errors};

/// Blank employee rows a new declaration form offers.
const BLANK_ROWS: usize = 3;
/// The most employee rows a form shows (more go through the API or import).
const MAX_ROWS: usize = 200;
/// Seasonal-worker rows on the form.
const SEASONAL_ROWS: usize = 2;

/// The employer and quota routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/employers", get(employers))
        .route("/employers/export", get(download::<EmployersFile>))
        .route(
            "/employers/new",
            get(new_employer_form).post(create_employer),
        )
        .route("/employers/{id}", get(employer))
        .route(
            "/employers/{id}/edit",
            get(edit_employer_form).post(edit_employer),
        )
        .route(
            "/employers/{id}/declarations/new",
            get(declaration_form).post(file_declaration),
        )
        .route("/declarations", get(declarations))
        .route("/declarations/export", get(download::<DeclarationsFile>))
        .route("/declarations/{id}", get(declaration))
        .route("/declarations/{id}/review", post(review))
        .route("/quota", get(quota_home))
        .route("/quota/measure-one", get(measure_one))
        .route("/quota/measure-one.csv", get(measure_one_csv))
        .route("/quota/what-if", get(what_if))
        .route("/policies", get(policies))
        .route("/policies/export", get(download::<PoliciesFile>))
        .route("/policies/new", get(new_policy_form).post(create_policy))
}

/// Money as pages show it: rounded half-up to the fen (DOMAIN.md §3), the
/// yuan grouped in thousands.
fn money(value: Decimal) -> String {
    let rounded =
        value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{rounded:.2}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, "00"));
    let (sign, digits) = whole.strip_prefix('-').map_or(("", whole), |d| ("-", d));
    let grouped = digits
        .parse::<u64>()
        .map_or_else(|_| digits.to_owned(), crate::charts::group_digits);
    format!("{sign}{grouped}.{fraction}")
}

fn number(value: Decimal) -> String {
    value.normalize().to_string()
}

fn kind_label(kind: EmployerKind, lang: Lang) -> &'static str {
    kind.label(lang)
}

fn status_label(t: Text, status: DeclarationStatus) -> &'static str {
    t.get(match status {
        DeclarationStatus::Submitted => "declaration.status.submitted",
        DeclarationStatus::Returned => "declaration.status.returned",
        DeclarationStatus::Approved => "declaration.status.approved",
    })
}

fn months_label(from: u8, to: u8, lang: Lang) -> String {
    MonthSpan::new(from, to).map_or_else(String::new, |span| span.label(lang))
}

fn district_options(ctx: &Ctx, own_only: bool) -> Vec<(String, String)> {
    let own = ctx
        .session
        .as_ref()
        .and_then(|s| s.actor.district_code.clone())
        .filter(|_| own_only);
    district::all()
        .iter()
        .filter(|d| own.as_deref().is_none_or(|o| o == d.code))
        .map(|d| (d.code.to_owned(), d.name(ctx.lang).to_owned()))
        .collect()
}

fn kind_options(lang: Lang) -> Vec<(String, String)> {
    EmployerKind::ALL
        .iter()
        .map(|k| (k.code().to_owned(), k.label(lang).to_owned()))
        .collect()
}

fn page_number(raw: Option<&str>) -> u32 {
    raw.and_then(|p| p.parse().ok()).unwrap_or(1_u32).max(1)
}

// ---- the registry ------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub(crate) struct EmployersParams {
    q: Option<String>,
    kind: Option<String>,
    district: Option<String>,
    page: Option<String>,
}

impl EmployersParams {
    fn listing(&self) -> EmployerListing {
        EmployerListing {
            search: self.q.clone(),
            kind: self
                .kind
                .as_deref()
                .and_then(|k| EmployerKind::ALL.into_iter().find(|x| x.code() == k)),
            district: self.district.clone(),
        }
    }
}

struct EmployerRow {
    id: i64,
    name: String,
    credit_code: String,
    kind: &'static str,
    district: String,
    staff: i32,
}

impl EmployerRow {
    fn new(e: &EmployerRecord, lang: Lang) -> EmployerRow {
        EmployerRow {
            id: e.id,
            kind: kind_label(e.fields.kind, lang),
            district: district_name(&e.fields.district_code, lang),
            staff: e.fields.staff,
            credit_code: e.fields.credit_code.clone(),
            name: e.fields.name.clone(),
        }
    }
}

/// The registry's file: the page's columns.
pub(crate) struct EmployersFile;

impl ListFile for EmployersFile {
    type Params = EmployersParams;
    type Listing = EmployerListing;
    const STEM: &'static str = "employers";
    const TITLE: &'static str = "employers.title";
    const COLUMNS: &'static [&'static str] = &[
        "employers.name",
        "employers.credit_code",
        "employers.kind",
        "employers.district",
        "employers.staff",
    ];

    fn listing(params: EmployersParams, _: Option<i64>) -> EmployerListing {
        params.listing()
    }

    fn cells(record: &EmployerRecord, t: Text) -> Vec<String> {
        let row = EmployerRow::new(record, t.0);
        vec![
            row.name,
            row.credit_code,
            row.kind.to_owned(),
            row.district,
            row.staff.to_string(),
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "employers.html")]
struct EmployersPage {
    layout: Layout,
    can_write: bool,
    q: String,
    kind: String,
    district: String,
    show_district_filter: bool,
    districts: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    total: u64,
    downloads: Option<Downloads>,
    rows: Vec<EmployerRow>,
    pager: Pager,
}

async fn employers(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<EmployersParams>,
) -> Response {
    let session = session_or_return!(ctx);
    let actor = &session.actor;
    if actor.role == Role::Employer {
        return match actor.organisation_id {
            Some(id) => Redirect::to(&format!("/employers/{id}")).into_response(),
            None => app_error_page(&ctx, AppError::NotFound),
        };
    }
    let lang = ctx.lang;
    let page = page_number(params.page.as_deref());
    let listing = params.listing();
    let found = match state
        .app
        .list_employers(
            actor,
            listing.search,
            listing.kind,
            listing.district,
            page,
            20,
        )
        .await
    {
        Ok(found) => found,
        Err(error) => return app_error_page(&ctx, error),
    };
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let keep = [
        ("q", value(&params.q)),
        ("kind", value(&params.kind)),
        ("district", value(&params.district)),
    ];
    EmployersPage {
        layout: Layout::new(&ctx, ctx.text().get("employers.title")),
        can_write: actor.role.permits(Permission::EmployerWrite),
        q: value(&params.q),
        kind: value(&params.kind),
        district: value(&params.district),
        show_district_filter: actor.role == Role::CityAdmin,
        districts: district_options(&ctx, false),
        kinds: kind_options(lang),
        total: found.total,
        pager: Pager::new("/employers", &keep, page, 20, found.total),
        downloads: Downloads::offered::<EmployerListing>(actor, "/employers/export", &keep),
        rows: found
            .items
            .iter()
            .map(|e| EmployerRow::new(e, lang))
            .collect(),
    }
    .into_response()
}

struct DeclarationRow {
    id: i64,
    employer_id: i64,
    employer: String,
    year: i32,
    status: &'static str,
    headcount: String,
    counted: String,
    shortfall: String,
    levy: String,
}

fn declaration_row(t: Text, record: &DeclarationRecord) -> DeclarationRow {
    let figures = &record.figures;
    DeclarationRow {
        id: record.id,
        employer_id: record.employer_id,
        employer: record.employer_name.clone(),
        year: record.data_year,
        status: status_label(t, record.status),
        headcount: number(figures.headcount),
        counted: number(figures.counted),
        shortfall: number(figures.shortfall),
        levy: money(figures.levy),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "employer.html")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a template's independent switches"
)]
struct EmployerPage {
    layout: Layout,
    saved: bool,
    id: i64,
    facts: Vec<(String, String)>,
    can_edit: bool,
    can_file: bool,
    file_year: i32,
    measure_one: bool,
    shortfall: Option<(i32, u32, String, String, String)>,
    /// The shortfall recounted with this year's hires (`hires`): people
    /// still short, levy.
    with_hires: Option<(u32, String)>,
    /// People hired through AbleWork this year: (year, count).
    hires: (i32, u64),
    declarations: Vec<DeclarationRow>,
}

fn employer_facts(t: Text, lang: Lang, record: &EmployerRecord) -> Vec<(String, String)> {
    let fields = &record.fields;
    let dash = "—".to_owned();
    vec![
        (
            t.get("employers.credit_code").to_owned(),
            fields.credit_code.clone(),
        ),
        (
            t.get("employers.kind").to_owned(),
            fields.kind.label(lang).to_owned(),
        ),
        (
            t.get("employers.is_school").to_owned(),
            t.get(if fields.is_school {
                "persons.yes"
            } else {
                "persons.no"
            })
            .to_owned(),
        ),
        (
            t.get("employers.state_owned").to_owned(),
            t.get(if fields.state_owned {
                "persons.yes"
            } else {
                "persons.no"
            })
            .to_owned(),
        ),
        (
            t.get("employers.staffing_quota").to_owned(),
            fields.staffing_quota.map_or(dash, |s| s.to_string()),
        ),
        (
            t.get("employers.staff").to_owned(),
            fields.staff.to_string(),
        ),
        (
            t.get("employers.district").to_owned(),
            district_name(&fields.district_code, lang),
        ),
        (
            t.get("employers.sector").to_owned(),
            sector_label(&fields.sector, lang).to_owned(),
        ),
    ]
}

async fn employer(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    let standing = match state.app.employer_standing(&session.actor, id).await {
        Ok(standing) => standing,
        Err(error) => return app_error_page(&ctx, error),
    };
    let t = ctx.text();
    let lang = ctx.lang;
    let role = session.actor.role;
    let file_year = state.app.today().year() - 1;
    EmployerPage {
        layout: Layout::new(&ctx, standing.employer.fields.name.clone()),
        saved: ctx.query_without_lang.contains("saved=1"),
        id,
        facts: employer_facts(t, lang, &standing.employer),
        can_edit: role.permits(Permission::EmployerWrite),
        can_file: role.permits(Permission::DeclarationFile)
            && !standing
                .declarations
                .iter()
                .any(|d| d.data_year == file_year && d.status == DeclarationStatus::Approved),
        file_year,
        measure_one: standing.measure_one,
        with_hires: standing
            .shortfall
            .as_ref()
            .and_then(|s| s.with_hires.as_ref())
            .map(|w| (w.people, money(w.levy))),
        shortfall: standing.shortfall.map(|s| {
            let saving = s.levy - s.levy_with_one_more;
            (
                s.data_year,
                s.people,
                money(s.levy),
                money(s.levy_with_one_more),
                money(saving),
            )
        }),
        hires: standing.hires,
        declarations: standing
            .declarations
            .iter()
            .map(|d| declaration_row(t, d))
            .collect(),
    }
    .into_response()
}

struct TextField {
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    value: String,
    error: Option<String>,
    inputmode: Option<&'static str>,
}

struct SelectField {
    name: &'static str,
    label: &'static str,
    value: String,
    options: Vec<(String, String)>,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "employer_form.html")]
struct EmployerFormPage {
    layout: Layout,
    errors: Vec<FormError>,
    action: String,
    back_href: String,
    text_fields: Vec<TextField>,
    selects: Vec<SelectField>,
    is_school: bool,
    is_school_error: Option<String>,
    state_owned: bool,
    state_owned_error: Option<String>,
    /// An employer's own HR sees ownership but does not set it.
    show_state_owned: bool,
}

#[derive(Debug, Default, Deserialize)]
struct EmployerForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    is_school: Option<String>,
    #[serde(default)]
    staffing_quota: String,
    #[serde(default)]
    staff: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    state_owned: Option<String>,
}

impl EmployerForm {
    fn input(&self) -> EmployerInput {
        EmployerInput {
            credit_code: self.credit_code.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            is_school: self.is_school.is_some(),
            staffing_quota: Some(self.staffing_quota.clone()),
            staff: self.staff.clone(),
            district: self.district.clone(),
            sector: self.sector.clone(),
            state_owned: self.state_owned.is_some(),
        }
    }

    fn from_input(input: EmployerInput) -> EmployerForm {
        EmployerForm {
            csrf_token: String::new(),
            credit_code: input.credit_code,
            name: input.name,
            kind: input.kind,
            is_school: input.is_school.then(|| "on".to_owned()),
            staffing_quota: input.staffing_quota.unwrap_or_default(),
            staff: input.staff,
            district: input.district,
            sector: input.sector,
            state_owned: input.state_owned.then(|| "on".to_owned()),
        }
    }
}

fn employer_form(
    ctx: &Ctx,
    form: &EmployerForm,
    errors: Vec<FormError>,
    editing: Option<(i64, bool)>,
) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let error = |name: &str| error_for(&errors, name).map(str::to_owned);
    // An employer's own HR keeps the code, kind and district as registered.
    let locked = editing.is_some_and(|(_, own)| own);
    let mut text_fields = Vec::new();
    if !locked {
        text_fields.push(TextField {
            name: "credit_code",
            label: t.get("employers.credit_code"),
            hint: Some(t.get("employers.credit_code.hint")),
            value: form.credit_code.clone(),
            error: error("credit_code"),
            inputmode: None,
        });
    }
    text_fields.push(TextField {
        name: "name",
        label: t.get("employers.name"),
        hint: None,
        value: form.name.clone(),
        error: error("name"),
        inputmode: None,
    });
    text_fields.push(TextField {
        name: "staff",
        label: t.get("employers.staff"),
        hint: Some(t.get("employers.staff.hint")),
        value: form.staff.clone(),
        error: error("staff"),
        inputmode: Some("numeric"),
    });
    text_fields.push(TextField {
        name: "staffing_quota",
        label: t.get("employers.staffing_quota"),
        hint: Some(t.get("employers.staffing_quota.hint")),
        value: form.staffing_quota.clone(),
        error: error("staffing_quota"),
        inputmode: Some("numeric"),
    });
    let mut selects = Vec::new();
    if !locked {
        selects.push(SelectField {
            name: "kind",
            label: t.get("employers.kind"),
            value: form.kind.clone(),
            options: kind_options(lang),
            error: error("kind"),
        });
        selects.push(SelectField {
            name: "district",
            label: t.get("employers.district"),
            value: form.district.clone(),
            options: district_options(ctx, true),
            error: error("district"),
        });
    }
    selects.push(SelectField {
        name: "sector",
        label: t.get("employers.sector"),
        value: form.sector.clone(),
        options: sectors()
            .iter()
            .map(|code| ((*code).to_owned(), sector_label(code, lang).to_owned()))
            .collect(),
        error: error("sector"),
    });
    let (title, action, back_href) = match editing {
        Some((id, _)) => (
            t.get("employers.edit"),
            format!("/employers/{id}/edit"),
            format!("/employers/{id}"),
        ),
        None => (
            t.get("employers.new"),
            "/employers/new".to_owned(),
            "/employers".to_owned(),
        ),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = EmployerFormPage {
        layout: Layout::new(ctx, title),
        is_school_error: error("is_school"),
        state_owned_error: error("state_owned"),
        show_state_owned: ctx
            .session
            .as_ref()
            .is_none_or(|s| s.actor.role != ablework_domain::roles::Role::Employer),
        errors,
        action,
        back_href,
        text_fields,
        selects,
        is_school: form.is_school.is_some(),
        state_owned: form.state_owned.is_some(),
    };
    (status, page).into_response()
}

async fn new_employer_form(ctx: Ctx) -> Response {
    let session = session_or_return!(ctx);
    let role = session.actor.role;
    if !role.permits(Permission::EmployerWrite) || role == Role::Employer {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    let form = EmployerForm {
        district: session.actor.district_code.clone().unwrap_or_default(),
        kind: "enterprise".to_owned(),
        ..EmployerForm::default()
    };
    employer_form(&ctx, &form, Vec::new(), None)
}

async fn create_employer(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<EmployerForm>,
) -> Response {
    let session = match checked_session(&ctx, &form.csrf_token) {
        Ok(session) => session,
        Err(response) => return response,
    };
    match state
        .app
        .create_employer(&session.actor, &form.input())
        .await
    {
        Ok(record) => Redirect::to(&format!("/employers/{}?saved=1", record.id)).into_response(),
        Err(AppError::Invalid(fields)) => {
            employer_form(&ctx, &form, form_errors(&fields, ctx.lang), None)
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn edit_employer_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    if !session.actor.role.permits(Permission::EmployerWrite) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    match state.app.employer(&session.actor, id).await {
        Ok(record) => {
            let form = EmployerForm::from_input(EmployerInput::from_record(&record));
            let own = session.actor.role == Role::Employer;
            employer_form(&ctx, &form, Vec::new(), Some((id, own)))
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn edit_employer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<EmployerForm>,
) -> Response {
    let session = match checked_session(&ctx, &form.csrf_token) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let id = id_or_return!(ctx, id);
    let own = session.actor.role == Role::Employer;
    match state
        .app
        .update_employer(&session.actor, id, &form.input())
        .await
    {
        Ok(_) => Redirect::to(&format!("/employers/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(fields)) => {
            employer_form(&ctx, &form, form_errors(&fields, ctx.lang), Some((id, own)))
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- declarations ---------------------------------------------------------------

struct MonthField {
    name: String,
    label: String,
    value: String,
    error: Option<String>,
}

struct EmployeeRow {
    index: usize,
    number: usize,
    certificate: String,
    certificate_error: Option<String>,
    from_month: String,
    from_error: Option<String>,
    to_month: String,
    to_error: Option<String>,
    contract_ok: bool,
    min_wage_ok: bool,
    insured_ok: bool,
}

struct SeasonalRow {
    index: usize,
    number: usize,
    count: String,
    count_error: Option<String>,
    months: String,
    months_error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "declaration_form.html")]
struct DeclarationFormPage {
    layout: Layout,
    errors: Vec<FormError>,
    employer_id: i64,
    data_year: String,
    data_year_error: Option<String>,
    months: Vec<MonthField>,
    seasonal: Vec<SeasonalRow>,
    total_wages: String,
    total_wages_error: Option<String>,
    social_average_wage: String,
    social_average_wage_error: Option<String>,
    rows: Vec<EmployeeRow>,
    row_count: usize,
    refiling: bool,
}

/// Reads the declaration form: every field is text, checkboxes are present
/// only when ticked.
fn read_declaration_form(
    pairs: &[(String, String)],
) -> (String, DeclarationInput, usize, bool, bool) {
    let get = |name: &str| crate::view::first(pairs, name);
    let rows = get("rows")
        .parse::<usize>()
        .unwrap_or(BLANK_ROWS)
        .clamp(1, MAX_ROWS);
    let add_row = pairs.iter().any(|(k, _)| k == "add_row");
    let refiling = !get("refiling").is_empty();
    let input = DeclarationInput {
        data_year: get("data_year"),
        monthly_headcount: (0..12)
            .map(|m| get(&format!("monthly_headcount_{m}")))
            .collect(),
        seasonal: (0..SEASONAL_ROWS)
            .map(|i| {
                (
                    get(&format!("seasonal_{i}_count")),
                    get(&format!("seasonal_{i}_months")),
                )
            })
            .collect(),
        total_wages: get("total_wages"),
        social_average_wage: get("social_average_wage"),
        employees: (0..rows)
            .map(|i| EmployeeInput {
                certificate: get(&format!("employees_{i}_certificate")),
                from_month: get(&format!("employees_{i}_from_month")),
                to_month: get(&format!("employees_{i}_to_month")),
                contract_ok: !get(&format!("employees_{i}_contract_ok")).is_empty(),
                min_wage_ok: !get(&format!("employees_{i}_min_wage_ok")).is_empty(),
                insured_ok: !get(&format!("employees_{i}_insured_ok")).is_empty(),
            })
            .collect(),
    };
    (get("csrf_token"), input, rows, add_row, refiling)
}

fn declaration_form_page(
    ctx: &Ctx,
    employer: &EmployerRecord,
    input: &DeclarationInput,
    rows: usize,
    errors: Vec<FormError>,
    refiling: bool,
) -> Response {
    let t = ctx.text();
    let error = |name: &str| error_for(&errors, name).map(str::to_owned);
    let month_names = t.get("declaration.month_names");
    let months = (0..12)
        .map(|m| {
            let name = format!("monthly_headcount_{m}");
            MonthField {
                label: month_names.split(',').nth(m).unwrap_or_default().to_owned(),
                value: input.monthly_headcount.get(m).cloned().unwrap_or_default(),
                error: error(&name),
                name,
            }
        })
        .collect();
    let seasonal = (0..SEASONAL_ROWS)
        .map(|i| {
            let (count, months) = input.seasonal.get(i).cloned().unwrap_or_default();
            SeasonalRow {
                index: i,
                number: i + 1,
                count,
                count_error: error(&format!("seasonal_{i}_count")),
                months,
                months_error: error(&format!("seasonal_{i}_months")),
            }
        })
        .collect();
    let rows = (0..rows.max(input.employees.len()).min(MAX_ROWS))
        .map(|i| {
            let row = input.employees.get(i).cloned().unwrap_or_default();
            EmployeeRow {
                index: i,
                number: i + 1,
                certificate_error: error(&format!("employees_{i}_certificate")),
                from_error: error(&format!("employees_{i}_from_month")),
                to_error: error(&format!("employees_{i}_to_month")),
                certificate: row.certificate,
                from_month: row.from_month,
                to_month: row.to_month,
                contract_ok: row.contract_ok,
                min_wage_ok: row.min_wage_ok,
                insured_ok: row.insured_ok,
            }
        })
        .collect::<Vec<_>>();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = DeclarationFormPage {
        layout: Layout::new(
            ctx,
            format!(
                "{}{}",
                t.get("declaration.new"),
                bracket(ctx.lang, &employer.fields.name)
            ),
        ),
        employer_id: employer.id,
        data_year: input.data_year.clone(),
        data_year_error: error("data_year"),
        months,
        seasonal,
        total_wages: input.total_wages.clone(),
        total_wages_error: error("total_wages"),
        social_average_wage: input.social_average_wage.clone(),
        social_average_wage_error: error("social_average_wage"),
        row_count: rows.len(),
        rows,
        refiling,
        errors,
    };
    (status, page).into_response()
}

#[derive(Debug, Default, Deserialize)]
struct DeclarationParams {
    year: Option<String>,
}

async fn declaration_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(params): Query<DeclarationParams>,
) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    if !session.actor.role.permits(Permission::DeclarationFile) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    let standing = match state.app.employer_standing(&session.actor, id).await {
        Ok(standing) => standing,
        Err(error) => return app_error_page(&ctx, error),
    };
    let year = params
        .year
        .as_deref()
        .and_then(|y| y.parse::<i32>().ok())
        .unwrap_or(state.app.today().year() - 1);
    // Correcting a declaration starts from its figures; a new one from last
    // year's social average wage.
    let same_year = standing.declarations.iter().find(|d| d.data_year == year);
    let (mut input, refiling) = if let Some(record) = same_year {
        (DeclarationInput::from_record(record), true)
    } else {
        let mut input = DeclarationInput {
            data_year: year.to_string(),
            monthly_headcount: vec![String::new(); 12],
            ..DeclarationInput::default()
        };
        if let Some(last) = standing.declarations.first() {
            input.social_average_wage = last.figures.social_average_wage.to_string();
        }
        (input, false)
    };
    if let Some(record) = same_year
        && let Ok(view) = state
            .app
            .declaration(&session.actor, record.id, ctx.lang)
            .await
    {
        input.employees = view
            .record
            .figures
            .employees
            .iter()
            .map(|e| EmployeeInput {
                certificate: String::new(),
                from_month: e.from_month.to_string(),
                to_month: e.to_month.to_string(),
                contract_ok: e.contract_ok,
                min_wage_ok: e.min_wage_ok,
                insured_ok: e.insured_ok,
            })
            .collect();
    }
    let rows = input.employees.len().max(BLANK_ROWS);
    declaration_form_page(&ctx, &standing.employer, &input, rows, Vec::new(), refiling)
}

async fn file_declaration(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (csrf, input, rows, add_row, refiling) = read_declaration_form(&pairs);
    let session = match checked_session(&ctx, &csrf) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let id = id_or_return!(ctx, id);
    let employer = match state.app.employer(&session.actor, id).await {
        Ok(employer) => employer,
        Err(error) => return app_error_page(&ctx, error),
    };
    if add_row {
        let rows = (rows + 1).min(MAX_ROWS);
        return declaration_form_page(&ctx, &employer, &input, rows, Vec::new(), refiling);
    }
    match state.app.file_declaration(&session.actor, id, &input).await {
        Ok(record) => Redirect::to(&format!("/declarations/{}?saved=1", record.id)).into_response(),
        Err(AppError::Invalid(fields)) => declaration_form_page(
            &ctx,
            &employer,
            &input,
            rows,
            form_errors(&fields, ctx.lang),
            refiling,
        ),
        Err(AppError::Conflict { message, .. }) => {
            let errors = vec![FormError {
                field: "data_year".to_owned(),
                message: message.get(ctx.lang).to_owned(),
            }];
            declaration_form_page(&ctx, &employer, &input, rows, errors, refiling)
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DeclarationsParams {
    year: Option<String>,
    status: Option<String>,
    page: Option<String>,
}

impl DeclarationsParams {
    /// The status asked for: the queue opens on what waits for review.
    fn status_code(&self) -> String {
        self.status
            .clone()
            .unwrap_or_else(|| "submitted".to_owned())
    }

    fn listing(&self) -> DeclarationListing {
        DeclarationListing {
            year: self
                .year
                .as_deref()
                .and_then(|y| y.trim().parse::<i32>().ok()),
            status: DeclarationStatus::from_code(&self.status_code()),
        }
    }
}

/// The declarations' file: the page's columns.
pub(crate) struct DeclarationsFile;

impl ListFile for DeclarationsFile {
    type Params = DeclarationsParams;
    type Listing = DeclarationListing;
    const STEM: &'static str = "declarations";
    const TITLE: &'static str = "declarations.title";
    const COLUMNS: &'static [&'static str] = &[
        "declaration.year",
        "declaration.employer",
        "declaration.status",
        "declaration.headcount",
        "declaration.counted",
        "declaration.shortfall",
        "declaration.levy",
    ];

    fn listing(params: DeclarationsParams, _: Option<i64>) -> DeclarationListing {
        params.listing()
    }

    fn cells(record: &DeclarationRecord, t: Text) -> Vec<String> {
        let row = declaration_row(t, record);
        vec![
            row.year.to_string(),
            row.employer,
            row.status.to_owned(),
            row.headcount,
            row.counted,
            row.shortfall,
            row.levy,
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "declarations.html")]
struct DeclarationsPage {
    layout: Layout,
    year: String,
    status: String,
    statuses: Vec<(String, String)>,
    total: u64,
    downloads: Option<Downloads>,
    rows: Vec<DeclarationRow>,
    pager: Pager,
}

async fn declarations(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<DeclarationsParams>,
) -> Response {
    let session = session_or_return!(ctx);
    if !session.actor.role.permits(Permission::DeclarationReview) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    let t = ctx.text();
    let page = page_number(params.page.as_deref());
    let status_code = params.status_code();
    let listing = params.listing();
    let found = match state
        .app
        .list_declarations(&session.actor, listing.year, listing.status, page, 20)
        .await
    {
        Ok(found) => found,
        Err(error) => return app_error_page(&ctx, error),
    };
    let keep = [
        ("year", params.year.clone().unwrap_or_default()),
        ("status", status_code.clone()),
    ];
    let mut statuses = vec![(String::from("all"), t.get("persons.any").to_owned())];
    statuses.extend(
        DeclarationStatus::ALL
            .iter()
            .map(|s| (s.code().to_owned(), status_label(t, *s).to_owned())),
    );
    DeclarationsPage {
        layout: Layout::new(&ctx, t.get("declarations.title")),
        year: params.year.clone().unwrap_or_default(),
        status: status_code,
        statuses,
        total: found.total,
        pager: Pager::new("/declarations", &keep, page, 20, found.total),
        downloads: Downloads::offered::<DeclarationListing>(
            &session.actor,
            "/declarations/export",
            &keep,
        ),
        rows: found.items.iter().map(|d| declaration_row(t, d)).collect(),
    }
    .into_response()
}

struct EmployeeLine {
    name: String,
    certificate: String,
    level: u8,
    months: String,
    conditions: String,
    counted: bool,
}

struct ConflictLine {
    name: String,
    months: String,
    other_employer: String,
    other_months: String,
}

struct EventLine {
    at: String,
    who: String,
    action: &'static str,
    note: String,
    levy: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "declaration.html")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a template's independent switches"
)]
struct DeclarationPage {
    layout: Layout,
    errors: Vec<FormError>,
    saved: bool,
    id: i64,
    employer_id: i64,
    employer_name: String,
    year: i32,
    status: &'static str,
    returned: bool,
    summary: Vec<(String, String)>,
    explanation: Vec<String>,
    months: Vec<(String, String)>,
    seasonal: Vec<(String, String)>,
    employees: Vec<EmployeeLine>,
    conflicts: Vec<ConflictLine>,
    events: Vec<EventLine>,
    can_review: bool,
    can_refile: bool,
    note: String,
    note_error: Option<String>,
}

#[expect(
    clippy::too_many_lines,
    reason = "the declaration page's sections, in page order"
)]
async fn declaration_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: Vec<FormError>,
    note: String,
) -> Response {
    let Some(session) = ctx.session.as_ref() else {
        return app_error_page(ctx, AppError::Unauthenticated);
    };
    let view = match state.app.declaration(&session.actor, id, ctx.lang).await {
        Ok(view) => view,
        Err(error) => return app_error_page(ctx, error),
    };
    let t = ctx.text();
    let lang = ctx.lang;
    let record = &view.record;
    let figures = &record.figures;
    let a = &view.assessment;
    let decimal = |text: &str| {
        text.parse::<Decimal>()
            .map_or_else(|_| text.to_owned(), number)
    };
    let summary = vec![
        (
            t.get("declaration.policy").to_owned(),
            format!("{} v{}", a.policy, a.policy_version),
        ),
        (
            t.get("declaration.declared_on").to_owned(),
            figures.declared_on.to_string(),
        ),
        (
            t.get("declaration.headcount").to_owned(),
            decimal(&a.headcount),
        ),
        (
            t.get("declaration.required").to_owned(),
            decimal(&a.required),
        ),
        (t.get("declaration.counted").to_owned(), decimal(&a.counted)),
        (
            t.get("declaration.shortfall").to_owned(),
            decimal(&a.shortfall),
        ),
        (
            t.get("declaration.total_wages").to_owned(),
            money(figures.total_wages),
        ),
        (
            t.get("declaration.social_average_wage").to_owned(),
            money(figures.social_average_wage),
        ),
        (
            t.get("declaration.wage_used").to_owned(),
            a.wage_used.parse().map(money).unwrap_or_default(),
        ),
        (
            t.get("declaration.levy").to_owned(),
            a.levy.parse().map(money).unwrap_or_default(),
        ),
    ];
    let month_names = t.get("declaration.month_names");
    let months = figures
        .monthly_headcount
        .iter()
        .enumerate()
        .map(|(m, n)| {
            (
                month_names.split(',').nth(m).unwrap_or_default().to_owned(),
                number(*n),
            )
        })
        .collect();
    let seasonal = figures
        .seasonal
        .iter()
        .map(|(count, months)| (number(*count), months.to_string()))
        .collect();
    let yes = |b: bool| t.get(if b { "persons.yes" } else { "persons.no" });
    let employees = figures
        .employees
        .iter()
        .map(|e| EmployeeLine {
            name: ablework_domain::person::mask_name(&e.name),
            certificate: e.certificate_masked.clone(),
            level: e.level,
            months: months_label(e.from_month, e.to_month, lang),
            conditions: format!(
                "{} {} · {} {} · {} {}",
                t.get("declaration.contract_ok"),
                yes(e.contract_ok),
                t.get("declaration.min_wage_ok"),
                yes(e.min_wage_ok),
                t.get("declaration.insured_ok"),
                yes(e.insured_ok)
            ),
            counted: e.contract_ok && e.min_wage_ok && e.insured_ok,
        })
        .collect();
    let conflicts = view
        .conflicts
        .iter()
        .map(|c| ConflictLine {
            name: ablework_domain::person::mask_name(&c.name),
            months: months_label(c.months.0, c.months.1, lang),
            other_employer: c.other_employer_name.clone(),
            other_months: months_label(c.other_months.0, c.other_months.1, lang),
        })
        .collect();
    let events = record
        .events
        .iter()
        .map(|e| EventLine {
            at: crate::view::local_time(e.at, "%Y-%m-%d %H:%M"),
            who: e
                .username
                .clone()
                .unwrap_or_else(|| t.get("declaration.system").to_owned()),
            action: t.get(match e.action.as_str() {
                "submitted" => "declaration.event.submitted",
                "resubmitted" => "declaration.event.resubmitted",
                "returned" => "declaration.event.returned",
                "approved" => "declaration.event.approved",
                _ => "declaration.event.imported",
            }),
            note: e.note.clone().unwrap_or_default(),
            levy: money(e.levy),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = DeclarationPage {
        layout: Layout::new(
            ctx,
            format!(
                "{} {}{}",
                record.data_year,
                t.get("declaration.title"),
                bracket(lang, &record.employer_name)
            ),
        ),
        note_error: error_for(&errors, "note").map(str::to_owned),
        errors,
        saved: ctx.query_without_lang.contains("saved=1"),
        id,
        employer_id: record.employer_id,
        employer_name: record.employer_name.clone(),
        year: record.data_year,
        status: status_label(t, record.status),
        returned: record.status == DeclarationStatus::Returned,
        summary,
        explanation: a.explanation.clone(),
        months,
        seasonal,
        employees,
        conflicts,
        events,
        can_review: view.can_review,
        can_refile: view.can_refile,
        note,
    };
    (status, page).into_response()
}

async fn declaration(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let _session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    declaration_page(&state, &ctx, id, Vec::new(), String::new()).await
}

#[derive(Debug, Default, Deserialize)]
struct ReviewForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Response {
    let session = match checked_session(&ctx, &form.csrf_token) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let id = id_or_return!(ctx, id);
    let decision = match form.decision.as_str() {
        "approve" => Review::Approve,
        "return" => Review::Return,
        _ => return app_error_page(&ctx, AppError::NotFound),
    };
    match state
        .app
        .review_declaration(&session.actor, id, decision, &form.note)
        .await
    {
        Ok(_) => Redirect::to(&format!("/declarations/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(fields)) => {
            declaration_page(&state, &ctx, id, form_errors(&fields, ctx.lang), form.note).await
        }
        Err(AppError::Conflict { message, .. }) => {
            let errors = vec![FormError {
                field: "note".to_owned(),
                message: message.get(ctx.lang).to_owned(),
            }];
            declaration_page(&state, &ctx, id, errors, form.note).await
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- quota reports -----------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "quota.html")]
struct QuotaPage {
    layout: Layout,
    can_manage: bool,
}

async fn quota_home(ctx: Ctx) -> Response {
    let session = session_or_return!(ctx);
    if !session.actor.role.permits(Permission::DeclarationReview) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    QuotaPage {
        layout: Layout::new(&ctx, ctx.text().get("quota.title")),
        can_manage: session.actor.role.permits(Permission::PolicyManage),
    }
    .into_response()
}

#[derive(Debug, Default, Deserialize)]
struct YearParams {
    year: Option<String>,
    policy: Option<String>,
}

fn report_year(state: &AppState, raw: Option<&str>) -> i32 {
    let default = state.app.today().year() - 2;
    raw.and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (2000..=state.app.today().year()).contains(y))
        .unwrap_or(default)
}

struct MeasureOneLine {
    id: i64,
    name: String,
    kind: &'static str,
    district: String,
    staffing: String,
    declaration: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "measure_one.html")]
struct MeasureOnePage {
    layout: Layout,
    year: i32,
    covered: usize,
    failing: usize,
    chart: String,
    by_district: Vec<(String, u32, u32)>,
    over_time: Vec<(i32, u32, u32)>,
    rows: Vec<MeasureOneLine>,
}

async fn measure_one(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<YearParams>,
) -> Response {
    let session = session_or_return!(ctx);
    let year = report_year(&state, params.year.as_deref());
    let report = match state.app.measure_one(&session.actor, year).await {
        Ok(report) => report,
        Err(error) => return app_error_page(&ctx, error),
    };
    let t = ctx.text();
    let lang = ctx.lang;
    let by_district: Vec<(String, u32, u32)> = report
        .by_district
        .iter()
        .map(|(code, covered, none)| (district_name(code, lang), *covered, *none))
        .collect();
    let bars: Vec<(String, u64, Option<u64>)> = by_district
        .iter()
        .map(|(name, _, none)| (name.clone(), u64::from(*none), None))
        .collect();
    let description = match lang {
        Lang::Zh => {
            format!("条形图：{year} 年各区未安排残疾人就业的机关和事业单位数。完整数据见下表。")
        }
        Lang::En => format!(
            "Bar chart of agencies and institutions employing no disabled person in {year}, by district. The table below has every figure."
        ),
    };
    let failing: Vec<MeasureOneLine> = report
        .failing()
        .map(|row| {
            let fields = &row.employer.fields;
            MeasureOneLine {
                id: row.employer.id,
                name: fields.name.clone(),
                kind: fields.kind.label(lang),
                district: district_name(&fields.district_code, lang),
                staffing: fields
                    .staffing_quota
                    .map_or_else(String::new, |s| s.to_string()),
                declaration: row.status.map_or_else(
                    || t.get("measure_one.not_filed").to_owned(),
                    |s| status_label(t, s).to_owned(),
                ),
            }
        })
        .collect();
    MeasureOnePage {
        layout: Layout::new(
            &ctx,
            format!(
                "{}{}",
                t.get("measure_one.title"),
                bracket(lang, &year.to_string())
            ),
        ),
        year,
        covered: report.rows.len(),
        failing: failing.len(),
        chart: crate::charts::bar_chart(
            t.get("measure_one.chart"),
            &description,
            &bars,
            "measure-one-chart",
        ),
        by_district,
        over_time: report.over_time.clone(),
        rows: failing,
    }
    .into_response()
}

async fn measure_one_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<YearParams>,
) -> Response {
    let session = session_or_return!(ctx);
    let year = report_year(&state, params.year.as_deref());
    let report = match state.app.measure_one(&session.actor, year).await {
        Ok(report) => report,
        Err(error) => return app_error_page(&ctx, error),
    };
    let t = ctx.text();
    let lang = ctx.lang;
    let mut writer = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let headers = [
        t.get("employers.credit_code"),
        t.get("employers.name"),
        t.get("employers.kind"),
        t.get("employers.district"),
        t.get("employers.staffing_quota"),
        t.get("measure_one.declaration"),
        t.get("measure_one.eligible"),
    ];
    let mut failed = writer.write_record(headers).is_err();
    for row in &report.rows {
        let fields = &row.employer.fields;
        failed |= writer
            .write_record([
                fields.credit_code.clone(),
                fields.name.clone(),
                fields.kind.label(lang).to_owned(),
                district_name(&fields.district_code, lang),
                fields
                    .staffing_quota
                    .map_or_else(String::new, |s| s.to_string()),
                row.status.map_or_else(
                    || t.get("measure_one.not_filed").to_owned(),
                    |s| status_label(t, s).to_owned(),
                ),
                row.eligible_employees.to_string(),
            ])
            .is_err();
    }
    match (failed, writer.into_inner()) {
        (false, Ok(bytes)) => attachment(
            bytes,
            "text/csv; charset=utf-8",
            &format!("measure-one-{year}.csv"),
        ),
        _ => app_error_page(&ctx, AppError::Internal("measure-one CSV".to_owned())),
    }
}

struct WhatIfLine {
    label: String,
    employers: u64,
    levy_current: String,
    levy_alternative: String,
    difference: String,
    short_current: u64,
    short_alternative: u64,
    newly_short: u64,
}

fn what_if_line(label: String, row: &WhatIfRow) -> WhatIfLine {
    WhatIfLine {
        label,
        employers: row.employers,
        levy_current: money(row.levy_current),
        levy_alternative: money(row.levy_alternative),
        difference: money(row.difference()),
        short_current: row.short_current,
        short_alternative: row.short_alternative,
        newly_short: row.newly_short,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "what_if.html")]
struct WhatIfPage {
    layout: Layout,
    year: i32,
    policy: String,
    presets: Vec<(String, String)>,
    ran: bool,
    alternative_name: String,
    skipped: usize,
    total: Option<WhatIfLine>,
    chart: String,
    by_district: Vec<WhatIfLine>,
    by_kind: Vec<WhatIfLine>,
}

/// Whole yuan, for chart bars.
fn yuan(value: Decimal) -> u64 {
    use rust_decimal::prelude::ToPrimitive;
    value.round().to_u64().unwrap_or(0)
}

async fn what_if(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<YearParams>,
) -> Response {
    let session = session_or_return!(ctx);
    if !session.actor.role.permits(Permission::DeclarationReview) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    let t = ctx.text();
    let lang = ctx.lang;
    let year = report_year(&state, params.year.as_deref());
    let presets = match state.app.presets().await {
        Ok(presets) => presets,
        Err(error) => return app_error_page(&ctx, error),
    };
    let policy = params.policy.clone().unwrap_or_default();
    let mut page = WhatIfPage {
        layout: Layout::new(&ctx, t.get("what_if.title")),
        year,
        policy: policy.clone(),
        presets: presets
            .iter()
            .map(|p: &PolicyPreset| {
                (
                    p.id.clone(),
                    format!("{} ({} v{})", p.name(lang), p.id, p.version),
                )
            })
            .collect(),
        ran: false,
        alternative_name: String::new(),
        skipped: 0,
        total: None,
        chart: String::new(),
        by_district: Vec::new(),
        by_kind: Vec::new(),
    };
    if policy.is_empty() {
        return page.into_response();
    }
    let (alternative, report) = match state.app.what_if(&session.actor, year, &policy).await {
        Ok(found) => found,
        Err(error) => return app_error_page(&ctx, error),
    };
    let mut bars = Vec::new();
    for (code, row) in &report.by_district {
        bars.push((
            district_name(code, lang),
            yuan(row.levy_alternative),
            Some(yuan(row.levy_current)),
        ));
    }
    let description = match lang {
        Lang::Zh => format!(
            "条形图：{year} 年各区按“{}”测算的保障金（条），竖线为现行政策下的金额。完整数据见下表。",
            alternative.name(lang)
        ),
        Lang::En => format!(
            "Bar chart of the {year} levy by district under \"{}\" (bars), with the amount under the current policy marked. The table below has every figure.",
            alternative.name(lang)
        ),
    };
    page.ran = true;
    alternative
        .name(lang)
        .clone_into(&mut page.alternative_name);
    page.skipped = report.skipped;
    page.total = Some(what_if_line(
        t.get("what_if.total").to_owned(),
        &report.total,
    ));
    page.chart =
        crate::charts::bar_chart(t.get("what_if.chart"), &description, &bars, "what-if-chart");
    page.by_district = report
        .by_district
        .iter()
        .map(|(code, row)| what_if_line(district_name(code, lang), row))
        .collect();
    page.by_kind = report
        .by_kind
        .iter()
        .map(|(kind, row)| what_if_line(kind.label(lang).to_owned(), row))
        .collect();
    page.into_response()
}

// ---- policy presets ------------------------------------------------------------------

struct PresetLine {
    id: String,
    name: String,
    version: u32,
    effective: String,
    rate: String,
    tiers: String,
    wage_cap: String,
    exemption: String,
}

impl PresetLine {
    fn new(p: &PolicyPreset, lang: Lang) -> PresetLine {
        PresetLine {
            id: p.id.clone(),
            name: p.name(lang).to_owned(),
            version: p.version,
            effective: format!(
                "{} – {}",
                p.effective_from,
                p.effective_to.map_or_else(String::new, |d| d.to_string())
            ),
            rate: percent_text(p.quota.rate),
            tiers: format!(
                "≥ {}: {} · < {}: {}",
                percent_text(p.levy.tier_threshold_ratio),
                percent_text(p.levy.tier_factor_at_or_above),
                percent_text(p.levy.tier_threshold_ratio),
                percent_text(p.levy.tier_factor_below)
            ),
            wage_cap: format!("× {}", p.levy.wage_cap_multiple.normalize()),
            exemption: format!(
                "≤ {} ({} – {})",
                p.levy.small_enterprise_max_headcount.normalize(),
                p.levy.exemption_window.from,
                p.levy.exemption_window.to
            ),
        }
    }
}

/// The policy presets' file: the page's columns.
pub(crate) struct PoliciesFile;

impl ListFile for PoliciesFile {
    type Params = NoParams;
    type Listing = PolicyListing;
    const STEM: &'static str = "policies";
    const TITLE: &'static str = "policies.title";
    const COLUMNS: &'static [&'static str] = &[
        "policies.name",
        "policies.id",
        "policies.version",
        "policies.effective",
        "policies.rate",
        "policies.tiers",
        "policies.wage_cap",
        "policies.exemption",
    ];

    fn listing(_: NoParams, _: Option<i64>) -> PolicyListing {
        PolicyListing
    }

    fn cells(preset: &PolicyPreset, t: Text) -> Vec<String> {
        let line = PresetLine::new(preset, t.0);
        vec![
            line.name,
            line.id,
            line.version.to_string(),
            line.effective,
            line.rate,
            line.tiers,
            line.wage_cap,
            line.exemption,
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "policies.html")]
struct PoliciesPage {
    layout: Layout,
    saved: bool,
    can_manage: bool,
    downloads: Option<Downloads>,
    presets: Vec<PresetLine>,
}

fn percent_text(value: Decimal) -> String {
    format!("{}%", (value * Decimal::ONE_HUNDRED).normalize())
}

async fn policies(State(state): State<AppState>, ctx: Ctx) -> Response {
    let session = session_or_return!(ctx);
    if !session.actor.role.permits(Permission::DeclarationReview) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    let presets = match state.app.presets().await {
        Ok(presets) => presets,
        Err(error) => return app_error_page(&ctx, error),
    };
    let lang = ctx.lang;
    PoliciesPage {
        layout: Layout::new(&ctx, ctx.text().get("policies.title")),
        saved: ctx.query_without_lang.contains("saved=1"),
        can_manage: session.actor.role.permits(Permission::PolicyManage),
        downloads: Downloads::offered::<PolicyListing>(&session.actor, "/policies/export", &[]),
        presets: presets.iter().map(|p| PresetLine::new(p, lang)).collect(),
    }
    .into_response()
}

/// The preset form's fields: `(name, label key, hint key)` in page order.
/// Each name is the dotted path the preset's validation reports.
const PRESET_FIELDS: [(&str, &str); 18] = [
    ("id", "policies.id"),
    ("name_zh", "policies.name_zh"),
    ("name_en", "policies.name_en"),
    ("effective_from", "policies.effective_from"),
    ("effective_to", "policies.effective_to"),
    ("quota.rate", "policies.rate"),
    (
        "quota.double_count_max_disability_level",
        "policies.double_disability",
    ),
    (
        "quota.double_count_max_veteran_level",
        "policies.double_veteran",
    ),
    ("quota.double_weight", "policies.double_weight"),
    ("levy.wage_cap_multiple", "policies.wage_cap"),
    ("levy.tier_threshold_ratio", "policies.tier_threshold"),
    ("levy.tier_factor_at_or_above", "policies.tier_above"),
    ("levy.tier_factor_below", "policies.tier_below"),
    ("levy.tier_window.from", "policies.tier_from"),
    ("levy.tier_window.to", "policies.tier_to"),
    (
        "levy.small_enterprise_max_headcount",
        "policies.exempt_headcount",
    ),
    ("levy.exemption_window.from", "policies.exempt_from"),
    ("levy.exemption_window.to", "policies.exempt_to"),
];

/// The measures' numbers — measure 1's thresholds and the training
/// placement window — the last fields of the form.
const PRESET_MEASURE_FIELDS: [(&str, &str); 3] = [
    ("measure_one.agency_min_staffing", "policies.agency_min"),
    (
        "measure_one.institution_min_staffing",
        "policies.institution_min",
    ),
    ("programmes.placement_months", "policies.placement_months"),
];

struct PresetField {
    id: String,
    name: &'static str,
    label: &'static str,
    value: String,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "policy_form.html")]
struct PolicyFormPage {
    layout: Layout,
    errors: Vec<FormError>,
    base: String,
    fields: Vec<PresetField>,
}

fn preset_values(preset: &PolicyPreset) -> Vec<(&'static str, String)> {
    let p = preset;
    vec![
        ("id", String::new()),
        ("name_zh", p.name_zh.clone()),
        ("name_en", p.name_en.clone()),
        ("effective_from", p.effective_from.to_string()),
        (
            "effective_to",
            p.effective_to.map_or_else(String::new, |d| d.to_string()),
        ),
        ("quota.rate", p.quota.rate.normalize().to_string()),
        (
            "quota.double_count_max_disability_level",
            p.quota.double_count_max_disability_level.to_string(),
        ),
        (
            "quota.double_count_max_veteran_level",
            p.quota.double_count_max_veteran_level.to_string(),
        ),
        (
            "quota.double_weight",
            p.quota.double_weight.normalize().to_string(),
        ),
        (
            "levy.wage_cap_multiple",
            p.levy.wage_cap_multiple.normalize().to_string(),
        ),
        (
            "levy.tier_threshold_ratio",
            p.levy.tier_threshold_ratio.normalize().to_string(),
        ),
        (
            "levy.tier_factor_at_or_above",
            p.levy.tier_factor_at_or_above.normalize().to_string(),
        ),
        (
            "levy.tier_factor_below",
            p.levy.tier_factor_below.normalize().to_string(),
        ),
        ("levy.tier_window.from", p.levy.tier_window.from.to_string()),
        ("levy.tier_window.to", p.levy.tier_window.to.to_string()),
        (
            "levy.small_enterprise_max_headcount",
            p.levy
                .small_enterprise_max_headcount
                .normalize()
                .to_string(),
        ),
        (
            "levy.exemption_window.from",
            p.levy.exemption_window.from.to_string(),
        ),
        (
            "levy.exemption_window.to",
            p.levy.exemption_window.to.to_string(),
        ),
        (
            "measure_one.agency_min_staffing",
            p.measure_one.agency_min_staffing.to_string(),
        ),
        (
            "measure_one.institution_min_staffing",
            p.measure_one.institution_min_staffing.to_string(),
        ),
        (
            "programmes.placement_months",
            p.programmes.placement_months.to_string(),
        ),
    ]
}

fn policy_form(
    ctx: &Ctx,
    base: &str,
    values: &[(String, String)],
    errors: Vec<FormError>,
) -> Response {
    let t = ctx.text();
    let fields = PRESET_FIELDS
        .iter()
        .chain(PRESET_MEASURE_FIELDS.iter())
        .map(|(name, label)| PresetField {
            id: name.replace('.', "-"),
            name,
            label: t.get(label),
            value: values
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            error: error_for(&errors, name).map(str::to_owned),
        })
        .collect();
    // The summary links to the fields by their ids.
    let errors = errors
        .into_iter()
        .map(|e| FormError {
            field: e.field.replace('.', "-"),
            message: e.message,
        })
        .collect::<Vec<_>>();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PolicyFormPage {
        layout: Layout::new(ctx, t.get("policies.new")),
        errors,
        base: base.to_owned(),
        fields,
    };
    (status, page).into_response()
}

#[derive(Debug, Default, Deserialize)]
struct BaseParams {
    base: Option<String>,
}

async fn new_policy_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<BaseParams>,
) -> Response {
    let session = session_or_return!(ctx);
    if !session.actor.role.permits(Permission::PolicyManage) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    let presets = match state.app.presets().await {
        Ok(presets) => presets,
        Err(error) => return app_error_page(&ctx, error),
    };
    let base = params
        .base
        .as_deref()
        .and_then(|id| presets.iter().find(|p| p.id == id))
        .unwrap_or(&state.app.config().policy)
        .clone();
    let values: Vec<(String, String)> = preset_values(&base)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    policy_form(&ctx, &base.id, &values, Vec::new())
}

/// Builds a preset from the form on top of its base, reporting each value
/// that does not read as what its field needs.
fn preset_from_form(
    base: &PolicyPreset,
    values: &[(String, String)],
    lang: Lang,
) -> Result<PolicyPreset, Vec<FormError>> {
    let mut json = serde_json::to_value(base).unwrap_or_default();
    let mut errors = Vec::new();
    let get = |name: &str| {
        values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    for (name, _) in PRESET_FIELDS.iter().chain(PRESET_MEASURE_FIELDS.iter()) {
        let text = get(name);
        let base_value = name
            .split('.')
            .try_fold(&json, |v, key| v.get(key))
            .cloned();
        let parsed = match base_value {
            _ if *name == "effective_to" && text.is_empty() => Some(serde_json::Value::Null),
            Some(serde_json::Value::Number(_)) => {
                text.parse::<u64>().ok().map(serde_json::Value::from)
            }
            Some(serde_json::Value::String(_))
                if name.contains("rate")
                    || name.contains("ratio")
                    || name.contains("factor")
                    || name.contains("weight")
                    || name.contains("multiple")
                    || name.contains("headcount") =>
            {
                text.parse::<Decimal>()
                    .ok()
                    .map(|d| serde_json::Value::String(d.to_string()))
            }
            Some(serde_json::Value::String(_) | serde_json::Value::Null) => {
                if name.contains("effective") || name.contains("window") {
                    chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                        .ok()
                        .map(|d| serde_json::Value::String(d.to_string()))
                } else {
                    Some(serde_json::Value::String(text.clone()))
                }
            }
            _ => None,
        };
        let Some(parsed) = parsed else {
            errors.push(FormError {
                field: (*name).to_owned(),
                message: match lang {
                    Lang::Zh => "格式不对：数字请写成 0.015 这样，日期写成 2025-01-01。".to_owned(),
                    Lang::En => "Not readable: write numbers like 0.015 and dates like 2025-01-01."
                        .to_owned(),
                },
            });
            continue;
        };
        let mut target = &mut json;
        let keys: Vec<&str> = name.split('.').collect();
        for key in &keys[..keys.len() - 1] {
            target = &mut target[*key];
        }
        target[keys[keys.len() - 1]] = parsed;
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    serde_json::from_value(json).map_err(|e| {
        vec![FormError {
            field: "id".to_owned(),
            message: e.to_string(),
        }]
    })
}

async fn create_policy(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf_token")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let session = match checked_session(&ctx, &csrf) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let presets = match state.app.presets().await {
        Ok(presets) => presets,
        Err(error) => return app_error_page(&ctx, error),
    };
    let base_id = pairs
        .iter()
        .find(|(k, _)| k == "base")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let base = presets
        .iter()
        .find(|p| p.id == base_id)
        .unwrap_or(&state.app.config().policy)
        .clone();
    let preset = match preset_from_form(&base, &pairs, ctx.lang) {
        Ok(preset) => preset,
        Err(errors) => return policy_form(&ctx, &base.id, &pairs, errors),
    };
    match state.app.save_preset(&session.actor, preset).await {
        Ok(_) => Redirect::to("/policies?saved=1").into_response(),
        Err(AppError::Invalid(fields)) => {
            policy_form(&ctx, &base.id, &pairs, form_errors(&fields, ctx.lang))
        }
        Err(error) => app_error_page(&ctx, error),
    }
}
