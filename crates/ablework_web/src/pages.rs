//! The pages for people: server-rendered HTML that works without JavaScript,
//! by keyboard and with a screen reader.
//!
//! Forms post back with a CSRF token (the session's, or before login a
//! double-submit cookie) and redirect after success (POST-redirect-GET),
//! except where the result must be shown once and never cached (a new API
//! token, unmasked identifiers).

use ablework_app::audit::AuditQuery;
use ablework_app::auth::{LoginInput, SessionContext};
use ablework_app::crypto::{random_token, same_secret};
use ablework_app::persons::{PersonQuery, PersonView, Unmasked};
use ablework_app::{AppError, FieldError};
use ablework_domain::district;
use ablework_domain::ident::DisabilityCategory;
use ablework_domain::lang::Lang;
use ablework_domain::person::EmploymentStatus;
use ablework_domain::roles::{Permission, Role, Scope};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use crate::AppState;
use crate::context::{Ctx, PRE_SESSION_CSRF_COOKIE, SESSION_COOKIE};
use crate::export::XLSX;
use crate::i18n::Text;
use crate::view::{FormError, Layout, Pager, error_for, form_errors};

/// The page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/persons", get(persons))
        .route("/persons/new", get(new_person_form).post(create_person))
        .route("/persons/{id}", get(person))
        .route(
            "/persons/{id}/edit",
            get(edit_person_form).post(edit_person),
        )
        .route("/persons/{id}/unmask", post(unmask))
        .route("/persons/{id}/active", post(set_active))
        .route(
            "/persons/{id}/contact",
            get(contact_form).post(save_contact),
        )
        .route("/audit", get(audit))
        .route("/audit/export", get(crate::export::download::<AuditFile>))
        .route("/progress", get(progress_page))
        .route("/progress/report.xlsx", get(progress_download))
        .route(
            "/persons/export",
            get(crate::export::download::<PersonsFile>),
        )
        .route("/account", get(account))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/api/docs", get(crate::pages::api_docs))
}

/// `GET /healthz`: 200 when the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.app.health().await {
        Ok(engine) => (StatusCode::OK, format!("ok {engine}\n")).into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable\n").into_response(),
    }
}

/// The stylesheet, compiled into the binary.
pub async fn static_file(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "app.css" => (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            include_str!("../static/app.css"),
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

// ---- error pages ------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    body: String,
    request_id: Option<String>,
}

pub(crate) fn error_page(
    ctx: &Ctx,
    status: StatusCode,
    title_key: &str,
    body_key: &str,
    show_request: bool,
) -> Response {
    let t = ctx.text();
    let page = ErrorPage {
        layout: Layout::new(ctx, t.get(title_key)),
        body: t.get(body_key).to_owned(),
        request_id: if show_request {
            ctx.request_id.clone()
        } else {
            None
        },
    };
    (status, page).into_response()
}

/// The page for an application error. Internal errors are logged here, once.
pub(crate) fn app_error_page(ctx: &Ctx, error: AppError) -> Response {
    match error {
        AppError::Unauthenticated => ctx
            .require_session()
            .err()
            .unwrap_or_else(|| Redirect::to("/login").into_response()),
        AppError::Forbidden => error_page(
            ctx,
            StatusCode::FORBIDDEN,
            "error.forbidden.title",
            "error.forbidden.body",
            false,
        ),
        AppError::NotFound | AppError::Invalid(_) | AppError::Conflict { .. } => error_page(
            ctx,
            StatusCode::NOT_FOUND,
            "error.not_found.title",
            "error.not_found.body",
            false,
        ),
        AppError::Throttled => error_page(
            ctx,
            StatusCode::TOO_MANY_REQUESTS,
            "error.internal.title",
            "login.throttled",
            false,
        ),
        AppError::Unavailable(why) | AppError::Internal(why) => {
            tracing::error!(request_id = ctx.request_id.as_deref(), %why, "page failed");
            error_page(
                ctx,
                StatusCode::INTERNAL_SERVER_ERROR,
                "error.internal.title",
                "error.internal.body",
                true,
            )
        }
    }
}

/// The fallback: 404 page.
pub async fn not_found(ctx: Ctx) -> Response {
    error_page(
        &ctx,
        StatusCode::NOT_FOUND,
        "error.not_found.title",
        "error.not_found.body",
        false,
    )
}

fn csrf_failed(ctx: &Ctx) -> Response {
    error_page(
        ctx,
        StatusCode::FORBIDDEN,
        "error.csrf.title",
        "error.csrf.body",
        false,
    )
}

/// The session of a page that needs a login, or returns the redirect to
/// the login page from the handler.
macro_rules! session_or_return {
    ($ctx:expr) => {
        match $ctx.require_session() {
            Ok(session) => session,
            Err(redirect) => return redirect,
        }
    };
}

/// A record id from the path, or returns the not-found page from the
/// handler.
macro_rules! id_or_return {
    ($ctx:expr, $raw:expr) => {
        match $crate::pages::parse_id(&$ctx, &$raw) {
            Ok(id) => id,
            Err(response) => return response,
        }
    };
}

/// The session of a submitted form whose CSRF token (the `csrf_token`
/// pair) matches, or returns the refusal from the handler.
macro_rules! form_session_or_return {
    ($ctx:expr, $pairs:expr) => {
        match $crate::pages::checked_session(&$ctx, &$crate::view::first(&$pairs, "csrf_token")) {
            Ok(session) => session,
            Err(response) => return response,
        }
    };
}

pub(crate) use {form_session_or_return, id_or_return, session_or_return};

/// The session, after checking a form's CSRF token against it.
pub(crate) fn checked_session<'a>(
    ctx: &'a Ctx,
    csrf_token: &str,
) -> Result<&'a SessionContext, Response> {
    let session = ctx.require_session()?;
    if same_secret(csrf_token, &session.csrf_token) {
        Ok(session)
    } else {
        Err(csrf_failed(ctx))
    }
}

fn scope_label(ctx: &Ctx, scope: &Scope) -> String {
    let t = ctx.text();
    match scope {
        Scope::City => t.get("home.scope.city").to_owned(),
        Scope::District(code) => {
            let name = district::by_code(code).map_or(code.as_str(), |d| d.name(ctx.lang));
            format!(
                "{}{}",
                t.get("home.scope.district"),
                bracket(ctx.lang, name)
            )
        }
        Scope::Organisation(id) => format!("{} #{id}", t.get("home.scope.org")),
        Scope::Person(_) => t.get("home.scope.self").to_owned(),
    }
}

pub(crate) fn district_name(code: &str, lang: Lang) -> String {
    district::by_code(code).map_or_else(|| code.to_owned(), |d| d.name(lang).to_owned())
}

// ---- home -------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "landing.html")]
struct LandingPage {
    layout: Layout,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a template's switches: each bool shows or hides one part of the page"
)]
struct HomePage {
    layout: Layout,
    username: String,
    role_label: &'static str,
    scope_label: String,
    can_read_persons: bool,
    can_audit: bool,
    can_progress: bool,
    is_seeker: bool,
    own_person_id: Option<i64>,
    role_message: Option<&'static str>,
    /// `(code, name, count)`.
    district_counts: Vec<(String, String, u64)>,
    total_people: u64,
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> Response {
    let t = ctx.text();
    let Some(session) = &ctx.session else {
        return LandingPage {
            layout: Layout::new(&ctx, t.get("app.name")),
        }
        .into_response();
    };
    let actor = &session.actor;
    let mut district_counts = Vec::new();
    if actor.role.permits(Permission::PersonRead) && actor.role != Role::Seeker {
        match state.app.person_counts_by_district(actor).await {
            Ok(counts) => {
                district_counts = counts
                    .into_iter()
                    .map(|(code, n)| (code.clone(), district_name(&code, ctx.lang), n))
                    .collect();
            }
            Err(error) => return app_error_page(&ctx, error),
        }
    }
    let role_message = match actor.role {
        Role::Employer => Some(t.get("home.employer.body")),
        Role::Institution => Some(t.get("home.institution.body")),
        _ => None,
    };
    HomePage {
        layout: Layout::new(&ctx, t.get("home.title")),
        username: actor.username.clone(),
        role_label: actor.role.label(ctx.lang),
        scope_label: scope_label(&ctx, &actor.scope()),
        can_read_persons: actor.role.permits(Permission::PersonRead),
        can_audit: actor.role.permits(Permission::AuditRead),
        can_progress: actor.role.permits(Permission::ProgressRead),
        is_seeker: actor.role == Role::Seeker,
        own_person_id: actor.person_id,
        role_message,
        total_people: district_counts.iter().map(|row| row.2).sum(),
        district_counts,
    }
    .into_response()
}

// ---- login and logout -----------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    errors: Vec<FormError>,
    has_error: bool,
    error_message: String,
    username: String,
    next: String,
    csrf: String,
    demo: bool,
    logged_out: bool,
}

#[derive(Debug, Default, Deserialize)]
struct LoginQuery {
    next: Option<String>,
    logged_out: Option<String>,
}

/// Only a local path is a safe place to go after login.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn pre_session_cookie(jar: CookieJar, secure: bool) -> (CookieJar, String) {
    if let Some(existing) = jar.get(PRE_SESSION_CSRF_COOKIE) {
        let value = existing.value().to_owned();
        return (jar, value);
    }
    let value = random_token(24);
    let cookie = Cookie::build((PRE_SESSION_CSRF_COOKIE, value.clone()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .build();
    (jar.add(cookie), value)
}

fn login_page(
    ctx: &Ctx,
    state: &AppState,
    csrf: String,
    username: String,
    next: String,
    error: Option<&str>,
) -> LoginPage {
    let t = ctx.text();
    let errors: Vec<FormError> = error
        .map(|message| FormError {
            field: "username".to_owned(),
            message: message.to_owned(),
        })
        .into_iter()
        .collect();
    LoginPage {
        layout: Layout::new(ctx, t.get("login.title")),
        has_error: !errors.is_empty(),
        error_message: error.unwrap_or_default().to_owned(),
        errors,
        username,
        next,
        csrf,
        demo: state.app.config().demo,
        logged_out: false,
    }
}

async fn login_form(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Query(query): Query<LoginQuery>,
) -> Response {
    if ctx.session.is_some() {
        return Redirect::to(&safe_next(query.next.as_deref())).into_response();
    }
    let (jar, csrf) = pre_session_cookie(jar, state.app.config().secure_cookies);
    let mut page = login_page(
        &ctx,
        &state,
        csrf,
        String::new(),
        safe_next(query.next.as_deref()),
        None,
    );
    page.logged_out = query.logged_out.is_some();
    (jar, page).into_response()
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    let t = ctx.text();
    let expected = jar
        .get(PRE_SESSION_CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    if expected.is_empty() || !same_secret(&form.csrf_token, &expected) {
        return csrf_failed(&ctx);
    }
    let next = safe_next(Some(&form.next));
    if form.username.trim().is_empty() || form.password.is_empty() {
        let page = login_page(
            &ctx,
            &state,
            expected,
            form.username,
            next,
            Some(t.get("login.required")),
        );
        return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
    }
    let input = LoginInput {
        username: form.username.clone(),
        password: form.password,
        lang: ctx.lang,
        request_id: ctx.request_id.clone(),
    };
    match state.app.login(input).await {
        Ok(started) => {
            let max_age = (started.expires_at - state.app.now()).num_seconds().max(0);
            let cookie = Cookie::build((SESSION_COOKIE, started.token))
                .path("/")
                .http_only(true)
                .secure(state.app.config().secure_cookies)
                .same_site(SameSite::Lax)
                .max_age(cookie::time::Duration::seconds(max_age))
                .build();
            let jar = jar
                .add(cookie)
                .remove(Cookie::from(PRE_SESSION_CSRF_COOKIE));
            (jar, Redirect::to(&next)).into_response()
        }
        Err(AppError::Unauthenticated) => {
            let page = login_page(
                &ctx,
                &state,
                expected,
                form.username,
                next,
                Some(t.get("login.failed")),
            );
            (StatusCode::UNAUTHORIZED, page).into_response()
        }
        Err(AppError::Throttled) => {
            let page = login_page(
                &ctx,
                &state,
                expected,
                form.username,
                next,
                Some(t.get("login.throttled")),
            );
            (StatusCode::TOO_MANY_REQUESTS, page).into_response()
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Response {
    let session = match checked_session(&ctx, &form.csrf_token) {
        Ok(session) => session,
        Err(response) => return response,
    };
    if let Err(error) = state.app.logout(session).await {
        return app_error_page(&ctx, error);
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/").build());
    (jar, Redirect::to("/login?logged_out=1")).into_response()
}

// ---- people ---------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PersonsParams {
    q: Option<String>,
    district: Option<String>,
    category: Option<String>,
    employment_status: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

impl PersonsParams {
    fn query(&self, page: Option<u32>, per_page: Option<u32>) -> PersonQuery {
        PersonQuery {
            q: self.q.clone(),
            district: self.district.clone(),
            category: self.category.clone(),
            employment_status: self.employment_status.clone(),
            sort: self.sort.clone(),
            page,
            per_page,
        }
    }
}

/// The people list's file: every column of a person's record, masked.
pub(crate) struct PersonsFile;

impl crate::export::ListFile for PersonsFile {
    type Params = PersonsParams;
    type Listing = PersonQuery;
    const STEM: &'static str = "persons";
    const TITLE: &'static str = "persons.title";
    const COLUMNS: &'static [&'static str] = &[];

    fn listing(params: PersonsParams, _: Option<i64>) -> PersonQuery {
        params.query(None, None)
    }

    fn cells(person: &ablework_app::persons::PersonView, t: Text) -> Vec<String> {
        crate::export::person_cells(person, t.0)
    }

    fn headers(t: Text) -> Vec<String> {
        crate::export::PERSON_HEADERS
            .iter()
            .map(|(zh, en)| if t.0 == Lang::Zh { *zh } else { *en }.to_owned())
            .collect()
    }
}

struct PersonRow {
    id: i64,
    name: String,
    id_number: String,
    sex: &'static str,
    age: u32,
    category: &'static str,
    level: &'static str,
    district: String,
    status: &'static str,
    registered_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "persons.html")]
struct PersonsPage {
    layout: Layout,
    errors: Vec<FormError>,
    can_write: bool,
    downloads: Option<crate::export::Downloads>,
    q: String,
    district: String,
    category: String,
    employment_status: String,
    sort: String,
    show_district_filter: bool,
    districts: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    sorts: Vec<(String, String)>,
    total: u64,
    rows: Vec<PersonRow>,
    pager: Pager,
}

fn level_label(level: u8, lang: Lang) -> &'static str {
    ablework_domain::ident::DisabilityLevel::new(level).map_or("", |l| l.label(lang))
}

async fn persons(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PersonsParams>,
) -> Response {
    let session = match ctx.require_session() {
        Ok(session) => session,
        Err(redirect) => return redirect,
    };
    let t = ctx.text();
    let lang = ctx.lang;
    let page_number = params
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1_u32)
        .max(1);
    let per_page = 20;
    let query = params.query(Some(page_number), Some(per_page));
    let (rows, total, errors) = match state.app.list_persons(&session.actor, query).await {
        Ok(found) => (found.items, found.total, Vec::new()),
        Err(AppError::Invalid(fields)) => (Vec::new(), 0, form_errors(&fields, lang)),
        Err(error) => return app_error_page(&ctx, error),
    };
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let sort = params
        .sort
        .clone()
        .unwrap_or_else(|| "registered_desc".to_owned());
    let keep = [
        ("q", value(&params.q)),
        ("district", value(&params.district)),
        ("category", value(&params.category)),
        ("employment_status", value(&params.employment_status)),
        ("sort", value(&params.sort)),
    ];
    PersonsPage {
        layout: Layout::new(&ctx, t.get("persons.title")),
        errors,
        can_write: session.actor.role.permits(Permission::PersonWrite),
        downloads: crate::export::Downloads::offered::<PersonQuery>(
            &session.actor,
            "/persons/export",
            &keep,
        ),
        q: value(&params.q),
        district: value(&params.district),
        category: value(&params.category),
        employment_status: value(&params.employment_status),
        sort,
        show_district_filter: session.actor.role == Role::CityAdmin,
        districts: district::all()
            .iter()
            .map(|d| (d.code.to_owned(), d.name(lang).to_owned()))
            .collect(),
        categories: DisabilityCategory::ALL
            .iter()
            .map(|c| (c.code().to_owned(), c.label(lang).to_owned()))
            .collect(),
        statuses: EmploymentStatus::ALL
            .iter()
            .map(|s| (s.code().to_owned(), s.label(lang).to_owned()))
            .collect(),
        sorts: [
            "registered_desc",
            "registered_asc",
            "name",
            "age_asc",
            "age_desc",
        ]
        .iter()
        .map(|code| {
            (
                (*code).to_owned(),
                t.get(&format!("persons.sort.{code}")).to_owned(),
            )
        })
        .collect(),
        total,
        pager: Pager::new("/persons", &keep, page_number, per_page, total),
        rows: rows
            .into_iter()
            .map(|p| PersonRow {
                id: p.id,
                name: p.name_masked,
                id_number: p.id_number_masked,
                sex: p.sex.label(lang),
                age: p.age,
                category: p.category.label(lang),
                level: level_label(p.level, lang),
                district: district_name(&p.district_code, lang),
                status: p.employment_status.label(lang),
                registered_on: p.registered_on.to_string(),
            })
            .collect(),
    }
    .into_response()
}

pub(crate) struct PersonDetail {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) active: bool,
    pub(crate) facts: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "person.html")]
struct PersonPage {
    layout: Layout,
    errors: Vec<FormError>,
    saved: bool,
    can_write: bool,
    person: PersonDetail,
    can_unmask: bool,
    unmasked: Option<Vec<(String, String)>>,
    reason: String,
    reason_error: Option<String>,
    status_reason_error: Option<String>,
    extras: PersonExtras,
}

/// What a person's page shows beyond the record itself.
#[derive(Default)]
struct PersonExtras {
    /// The record's change history.
    history: Vec<HistoryLine>,
    /// Skills, languages and accommodations from the newest approved
    /// assessment, labelled; `None` when no assessment is approved.
    profile: Option<Vec<(String, String)>>,
    /// The jobs recommended to the person, with their explanations.
    recommendations: Option<crate::match_pages::RecommendationSection>,
    /// The person's applications, each with its step form where the
    /// reader may move it.
    applications: Vec<crate::application_pages::ApplicationLine>,
    /// Where a step form comes back to.
    application_back: &'static str,
}

/// The profile rows of an approved assessment.
fn profile_rows(
    ctx: &Ctx,
    assessment: &ablework_app::cases::AssessmentRecord,
) -> Vec<(String, String)> {
    let t = ctx.text();
    let lang = ctx.lang;
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    let or_dash = |text: String| {
        if text.is_empty() {
            "—".to_owned()
        } else {
            text
        }
    };
    let listed = |labels: &mut dyn Iterator<Item = &str>| labels.collect::<Vec<_>>().join(sep);
    let fields = &assessment.fields;
    vec![
        (
            t.get("profile.skills").to_owned(),
            or_dash(fields.skills.trim().to_owned()),
        ),
        (
            t.get("profile.languages").to_owned(),
            or_dash(listed(&mut fields.languages.iter().map(|l| l.label(lang)))),
        ),
        (
            t.get("profile.accommodations").to_owned(),
            or_dash(listed(
                &mut fields.accommodations.iter().map(|a| a.label(lang)),
            )),
        ),
        (
            t.get("profile.assessed_on").to_owned(),
            assessment.assessed_on.to_string(),
        ),
    ]
}

/// One line of a record's history.
struct HistoryLine {
    at: String,
    actor: String,
    action: String,
    fields: String,
}

fn history_lines(ctx: &Ctx, entries: Vec<ablework_app::audit::HistoryEntry>) -> Vec<HistoryLine> {
    let t = ctx.text();
    entries
        .into_iter()
        .map(|e| {
            let key = format!("history.{}", e.action);
            let label = t.get(&key);
            HistoryLine {
                at: crate::view::local_time(e.at, "%Y-%m-%d %H:%M"),
                actor: if e.actor == "system" {
                    t.get("declaration.system").to_owned()
                } else {
                    e.actor
                },
                action: if label == key {
                    e.action
                } else {
                    label.to_owned()
                },
                fields: e
                    .fields
                    .iter()
                    .map(|f| {
                        let key = format!("history.field.{f}");
                        let label = t.get(&key);
                        if label == key {
                            f.clone()
                        } else {
                            label.to_owned()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(if ctx.lang == Lang::Zh { "、" } else { ", " }),
            }
        })
        .collect()
}

pub(crate) fn person_detail(view: &PersonView, ctx: &Ctx) -> PersonDetail {
    let t = ctx.text();
    let lang = ctx.lang;
    let yes_no = |b: bool| {
        t.get(if b { "persons.yes" } else { "persons.no" })
            .to_owned()
    };
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "—".to_owned());
    let facts = vec![
        (t.get("persons.name"), view.name_masked.clone()),
        (t.get("persons.id_number"), view.id_number_masked.clone()),
        (
            t.get("persons.certificate"),
            view.certificate_masked.clone(),
        ),
        (t.get("persons.sex"), view.sex.label(lang).to_owned()),
        (t.get("persons.age"), view.age.to_string()),
        (t.get("persons.working_age"), yes_no(view.working_age)),
        (
            t.get("persons.category"),
            view.category.label(lang).to_owned(),
        ),
        (
            t.get("persons.level"),
            level_label(view.level, lang).to_owned(),
        ),
        (
            t.get("persons.district"),
            district_name(&view.district_code, lang),
        ),
        (t.get("persons.street"), or_dash(view.street.clone())),
        (
            t.get("persons.hukou"),
            or_dash(view.hukou.map(|h| h.label(lang).to_owned())),
        ),
        (t.get("persons.phone"), or_dash(view.phone_masked.clone())),
        (
            t.get("persons.education"),
            or_dash(view.education.map(|e| e.label(lang).to_owned())),
        ),
        (
            t.get("persons.status"),
            view.employment_status.label(lang).to_owned(),
        ),
        (
            t.get("persons.registered_on"),
            view.registered_on.to_string(),
        ),
    ];
    PersonDetail {
        id: view.id,
        name: view.name_masked.clone(),
        active: view.active,
        facts: facts.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
    }
}

fn person_page(
    ctx: &Ctx,
    view: &PersonView,
    unmasked: Option<Unmasked>,
    reason: String,
    errors: Vec<FormError>,
    extras: PersonExtras,
) -> Response {
    let t = ctx.text();
    let can_unmask = ctx
        .session
        .as_ref()
        .is_some_and(|s| s.actor.role.permits(Permission::PersonUnmask));
    let reason_error = error_for(&errors, "reason").map(str::to_owned);
    let status_reason_error = error_for(&errors, "status_reason").map(str::to_owned);
    let clear = unmasked.map(|u| {
        vec![
            (t.get("persons.name").to_owned(), u.name),
            (t.get("persons.id_number").to_owned(), u.id_number),
            (
                t.get("persons.certificate").to_owned(),
                u.certificate_number,
            ),
            (
                t.get("persons.phone").to_owned(),
                u.phone.unwrap_or_else(|| "—".to_owned()),
            ),
        ]
    });
    let no_store = clear.is_some();
    let page = PersonPage {
        layout: Layout::new(
            ctx,
            format!("{}: {}", t.get("persons.detail"), view.name_masked),
        ),
        errors,
        saved: ctx.query_without_lang.contains("saved=1"),
        can_write: ctx
            .session
            .as_ref()
            .is_some_and(|s| s.actor.role.permits(Permission::PersonWrite)),
        person: person_detail(view, ctx),
        can_unmask,
        unmasked: clear,
        reason,
        reason_error,
        status_reason_error,
        extras,
    };
    let mut response = page.into_response();
    if no_store {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

pub(crate) fn parse_id(ctx: &Ctx, raw: &str) -> Result<i64, Response> {
    raw.parse()
        .map_err(|_| app_error_page(ctx, AppError::NotFound))
}

async fn person(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let id = match parse_id(&ctx, &id) {
        Ok(id) => id,
        Err(response) => return response,
    };
    person_with(&state, &ctx, id, Vec::new(), None).await
}

/// A person's page, with the errors of a form sent from it (applying, or
/// moving an application, with what it sent) when there are any.
pub(crate) async fn person_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: Vec<FormError>,
    retry: Option<crate::application_pages::Retry>,
) -> Response {
    let session = match ctx.require_session() {
        Ok(session) => session,
        Err(redirect) => return redirect,
    };
    let actor = &session.actor;
    match state.app.get_person(actor, id).await {
        Ok(view) => {
            let history = match state.app.person_history(actor, &view).await {
                Ok(entries) => history_lines(ctx, entries),
                Err(error) => return app_error_page(ctx, error),
            };
            let profile = match state.app.approved_assessment(&view).await {
                Ok(assessment) => assessment.map(|a| profile_rows(ctx, &a)),
                Err(error) => return app_error_page(ctx, error),
            };
            let applications = match state.app.person_applications(actor, &view).await {
                Ok(found) => found,
                Err(error) => return app_error_page(ctx, error),
            };
            // Not twice to one posting.
            let can_apply = ablework_app::App::may_apply(actor, &view);
            let applied: Vec<i64> = applications.iter().map(|a| a.record.posting_id).collect();
            let recommendations = match state
                .app
                .recommended_jobs(actor, id, ablework_app::recommendations::DEFAULT_TOP)
                .await
            {
                Ok(found) => Some(crate::match_pages::recommendation_section(
                    ctx,
                    &found,
                    can_apply.then_some(applied.as_slice()),
                )),
                Err(error) => return app_error_page(ctx, error),
            };
            let extras = PersonExtras {
                history,
                profile,
                recommendations,
                applications: crate::application_pages::lines(
                    ctx,
                    &applications,
                    crate::application_pages::ListedOn::Person,
                    state.app.today(),
                    retry.as_ref(),
                ),
                application_back: "person",
            };
            let code = if errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let response = person_page(ctx, &view, None, String::new(), errors, extras);
            (code, response).into_response()
        }
        Err(error) => app_error_page(ctx, error),
    }
}

#[derive(Debug, Deserialize)]
struct UnmaskForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

async fn unmask(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<UnmaskForm>,
) -> Response {
    let session = match checked_session(&ctx, &form.csrf_token) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let id = match parse_id(&ctx, &id) {
        Ok(id) => id,
        Err(response) => return response,
    };
    let actor = &session.actor;
    match state.app.unmask_person(actor, id, &form.reason).await {
        Ok(clear) => {
            let view = clear.view.clone();
            person_page(
                &ctx,
                &view,
                Some(clear),
                String::new(),
                Vec::new(),
                PersonExtras::default(),
            )
        }
        Err(AppError::Invalid(fields)) => match state.app.get_person(actor, id).await {
            Ok(view) => {
                let response = person_page(
                    &ctx,
                    &view,
                    None,
                    form.reason,
                    form_errors(&fields, ctx.lang),
                    PersonExtras::default(),
                );
                (StatusCode::UNPROCESSABLE_ENTITY, response).into_response()
            }
            Err(error) => app_error_page(&ctx, error),
        },
        Err(error) => app_error_page(&ctx, error),
    }
}

#[derive(Debug, Deserialize)]
struct ActiveForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    active: String,
    #[serde(default)]
    status_reason: String,
}

/// Deactivates a record (it stays for history) or restores it, with a
/// reason for the audit log.
async fn set_active(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<ActiveForm>,
) -> Response {
    let session = match checked_session(&ctx, &form.csrf_token) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let id = match parse_id(&ctx, &id) {
        Ok(id) => id,
        Err(response) => return response,
    };
    let actor = &session.actor;
    let changes = ablework_app::persons::PersonChanges {
        active: Some(form.active == "yes"),
        reason: Some(form.status_reason.clone()),
        ..ablework_app::persons::PersonChanges::default()
    };
    match state.app.update_person(actor, id, changes).await {
        Ok(_) => Redirect::to(&format!("/persons/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(fields)) => match state.app.get_person(actor, id).await {
            Ok(view) => {
                let errors = form_errors(&fields, ctx.lang)
                    .into_iter()
                    .map(|e| FormError {
                        field: if e.field == "reason" {
                            "status_reason".to_owned()
                        } else {
                            e.field
                        },
                        message: e.message,
                    })
                    .collect();
                let response = person_page(
                    &ctx,
                    &view,
                    None,
                    String::new(),
                    errors,
                    PersonExtras::default(),
                );
                (StatusCode::UNPROCESSABLE_ENTITY, response).into_response()
            }
            Err(error) => app_error_page(&ctx, error),
        },
        Err(error) => app_error_page(&ctx, error),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "contact_form.html")]
struct ContactPage {
    layout: Layout,
    errors: Vec<FormError>,
    id: i64,
    phone_now: String,
    phone: String,
    phone_error: Option<String>,
    street: String,
    street_error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ContactForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    street: String,
}

fn contact_page(
    ctx: &Ctx,
    view: &PersonView,
    form: &ContactForm,
    errors: Vec<FormError>,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ContactPage {
        layout: Layout::new(ctx, ctx.text().get("contact.title")),
        phone_error: error_for(&errors, "phone").map(str::to_owned),
        street_error: error_for(&errors, "street").map(str::to_owned),
        errors,
        id: view.id,
        phone_now: view.phone_masked.clone().unwrap_or_else(|| "—".to_owned()),
        phone: form.phone.clone(),
        street: form.street.clone(),
    };
    (status, page).into_response()
}

/// A person's own contact details (the person themselves, or staff).
async fn contact_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let session = match ctx.require_session() {
        Ok(session) => session,
        Err(redirect) => return redirect,
    };
    let id = match parse_id(&ctx, &id) {
        Ok(id) => id,
        Err(response) => return response,
    };
    match state.app.get_person(&session.actor, id).await {
        Ok(view) => {
            let form = ContactForm {
                street: view.street.clone().unwrap_or_default(),
                ..ContactForm::default()
            };
            contact_page(&ctx, &view, &form, Vec::new())
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn save_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<ContactForm>,
) -> Response {
    let session = match checked_session(&ctx, &form.csrf_token) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let id = match parse_id(&ctx, &id) {
        Ok(id) => id,
        Err(response) => return response,
    };
    let actor = &session.actor;
    // An empty phone leaves the number as it is.
    let changes = ablework_app::persons::PersonChanges {
        phone: blank_to_none(&form.phone),
        street: Some(form.street.clone()),
        ..ablework_app::persons::PersonChanges::default()
    };
    match state.app.update_person(actor, id, changes).await {
        Ok(_) => Redirect::to(&format!("/persons/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(fields)) => match state.app.get_person(actor, id).await {
            Ok(view) => contact_page(&ctx, &view, &form, form_errors(&fields, ctx.lang)),
            Err(error) => app_error_page(&ctx, error),
        },
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- audit ----------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AuditParams {
    actor: Option<String>,
    action: Option<String>,
    entity: Option<String>,
    entity_id: Option<String>,
    from: Option<String>,
    until: Option<String>,
    page: Option<String>,
}

impl AuditParams {
    fn query(&self, page: Option<u32>, per_page: Option<u32>) -> AuditQuery {
        AuditQuery {
            actor: self.actor.clone(),
            action: self.action.clone(),
            entity: self.entity.clone(),
            entity_id: self.entity_id.clone(),
            from: self.from.clone(),
            until: self.until.clone(),
            page,
            per_page,
        }
    }
}

/// A record of the audit log, as its search answers it.
type AuditItem = <AuditQuery as ablework_app::export::Listing>::Item;

struct AuditRow {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    detail: String,
}

impl AuditRow {
    fn new(record: &AuditItem) -> AuditRow {
        AuditRow {
            seq: record.seq,
            at: crate::view::local_time(record.entry.at, "%Y-%m-%d %H:%M:%S"),
            actor: record.entry.actor.clone(),
            action: record.entry.action.clone(),
            entity: record.entry.entity.clone(),
            entity_id: record.entry.entity_id.clone().unwrap_or_default(),
            detail: record.entry.detail.to_string(),
        }
    }
}

/// The audit log's file: the rows the search finds, as the page shows them.
pub(crate) struct AuditFile;

impl crate::export::ListFile for AuditFile {
    type Params = AuditParams;
    type Listing = AuditQuery;
    const STEM: &'static str = "audit";
    const TITLE: &'static str = "audit.title";
    const COLUMNS: &'static [&'static str] = &[
        "audit.seq",
        "audit.at",
        "audit.actor",
        "audit.action",
        "audit.entity",
        "audit.entity_id",
        "audit.detail",
    ];

    fn listing(params: AuditParams, _: Option<i64>) -> AuditQuery {
        params.query(None, None)
    }

    fn cells(record: &AuditItem, _: Text) -> Vec<String> {
        let row = AuditRow::new(record);
        vec![
            row.seq.to_string(),
            row.at,
            row.actor,
            row.action,
            row.entity,
            row.entity_id,
            row.detail,
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    errors: Vec<FormError>,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    from: String,
    until: String,
    total: u64,
    downloads: Option<crate::export::Downloads>,
    rows: Vec<AuditRow>,
    pager: Pager,
}

async fn audit(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<AuditParams>,
) -> Response {
    let session = match ctx.require_session() {
        Ok(session) => session,
        Err(redirect) => return redirect,
    };
    let t = ctx.text();
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let page_number = params
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1_u32)
        .max(1);
    let per_page = 50;
    let query = params.query(Some(page_number), Some(per_page));
    let (records, total, errors) = match state.app.search_audit(&session.actor, query).await {
        Ok(found) => (found.items, found.total, Vec::new()),
        Err(AppError::Invalid(fields)) => (Vec::new(), 0, form_errors(&fields, ctx.lang)),
        Err(error) => return app_error_page(&ctx, error),
    };
    let keep = [
        ("actor", value(&params.actor)),
        ("action", value(&params.action)),
        ("entity", value(&params.entity)),
        ("entity_id", value(&params.entity_id)),
        ("from", value(&params.from)),
        ("until", value(&params.until)),
    ];
    AuditPage {
        layout: Layout::new(&ctx, t.get("audit.title")),
        errors,
        actor: value(&params.actor),
        action: value(&params.action),
        entity: value(&params.entity),
        entity_id: value(&params.entity_id),
        from: value(&params.from),
        until: value(&params.until),
        total,
        pager: Pager::new("/audit", &keep, page_number, per_page, total),
        downloads: crate::export::Downloads::offered::<AuditQuery>(
            &session.actor,
            "/audit/export",
            &keep,
        ),
        rows: records.iter().map(AuditRow::new).collect(),
    }
    .into_response()
}

// ---- account ----------------------------------------------------------------

struct TokenRow {
    id: i64,
    prefix: String,
    created: String,
    revoked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    username: String,
    role_label: &'static str,
    scope_label: String,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    notice: Option<String>,
}

async fn account_page(
    state: &AppState,
    ctx: &Ctx,
    session: &SessionContext,
    new_token: Option<String>,
    notice: Option<String>,
) -> Response {
    let t = ctx.text();
    let actor = &session.actor;
    let tokens = match state.app.my_api_tokens(actor).await {
        Ok(tokens) => tokens,
        Err(error) => return app_error_page(ctx, error),
    };
    let shown_once = new_token.is_some();
    let page = AccountPage {
        layout: Layout::new(ctx, t.get("account.title")),
        username: actor.username.clone(),
        role_label: actor.role.label(ctx.lang),
        scope_label: scope_label(ctx, &actor.scope()),
        tokens: tokens
            .into_iter()
            .map(|token| TokenRow {
                id: token.id,
                prefix: token.prefix,
                created: crate::view::local_time(token.created_at, "%Y-%m-%d %H:%M"),
                revoked: token.revoked_at.is_some(),
            })
            .collect(),
        new_token,
        notice,
    };
    let mut response = page.into_response();
    if shown_once {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

async fn account(State(state): State<AppState>, ctx: Ctx) -> Response {
    match ctx.require_session() {
        Ok(session) => account_page(&state, &ctx, session, None, None).await,
        Err(redirect) => redirect,
    }
}

async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CsrfForm>,
) -> Response {
    let session = match checked_session(&ctx, &form.csrf_token) {
        Ok(session) => session,
        Err(response) => return response,
    };
    match state
        .app
        .create_api_token(Some(&session.actor), &session.actor.username)
        .await
    {
        Ok(token) => account_page(&state, &ctx, session, Some(token), None).await,
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let session = match checked_session(&ctx, &form.csrf_token) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let id = match parse_id(&ctx, &id) {
        Ok(id) => id,
        Err(response) => return response,
    };
    match state
        .app
        .revoke_api_token(Some(&session.actor), &session.actor.username, id)
        .await
    {
        Ok(()) => {
            account_page(
                &state,
                &ctx,
                session,
                None,
                Some(ctx.text().get("account.tokens.revoked_done").to_owned()),
            )
            .await
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- API reference ------------------------------------------------------------

struct ApiParam {
    name: String,
    location: String,
    required: bool,
    description: String,
}

struct ApiOperation {
    anchor: String,
    method: String,
    path: String,
    summary: String,
    params: Vec<ApiParam>,
    request_body: Option<String>,
    responses: Vec<(String, String)>,
}

struct ApiField {
    name: String,
    kind: String,
    required: bool,
    description: String,
}

struct ApiSchema {
    name: String,
    description: String,
    fields: Vec<ApiField>,
}

#[derive(Template, WebTemplate)]
#[template(path = "api_docs.html")]
struct ApiDocsPage {
    layout: Layout,
    operations: Vec<ApiOperation>,
    schemas: Vec<ApiSchema>,
}

/// The API reference, rendered from the same OpenAPI document the API
/// serves, so it cannot drift from the code.
#[expect(
    clippy::too_many_lines,
    reason = "one walk over the document, read top to bottom"
)]
pub async fn api_docs(ctx: Ctx) -> Response {
    let t = ctx.text();
    let document = serde_json::to_value(<crate::api::ApiDoc as utoipa::OpenApi>::openapi())
        .unwrap_or_default();
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let mut operations = Vec::new();
    if let Some(paths) = document["paths"].as_object() {
        for (path, item) in paths {
            for method in ["get", "post", "patch", "put", "delete"] {
                let op = &item[method];
                if op.is_null() {
                    continue;
                }
                let params = op["parameters"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .map(|p| ApiParam {
                                name: text(&p["name"]),
                                location: text(&p["in"]),
                                required: p["required"].as_bool().unwrap_or(false),
                                description: text(&p["description"]),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let request_body =
                    op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                        .as_str()
                        .and_then(|r| r.rsplit('/').next())
                        .map(str::to_owned);
                let responses = op["responses"]
                    .as_object()
                    .map(|r| {
                        r.iter()
                            .map(|(status, body)| (status.clone(), text(&body["description"])))
                            .collect()
                    })
                    .unwrap_or_default();
                let anchor = format!("{method}{}", path.replace(['/', '{', '}'], "-"));
                let summary = [text(&op["summary"]), text(&op["description"])]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                operations.push(ApiOperation {
                    anchor,
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary,
                    params,
                    request_body,
                    responses,
                });
            }
        }
    }
    let mut schemas = Vec::new();
    if let Some(found) = document["components"]["schemas"].as_object() {
        for (name, schema) in found {
            let required: Vec<&str> = schema["required"]
                .as_array()
                .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            let fields = schema["properties"]
                .as_object()
                .map(|props| {
                    props
                        .iter()
                        .map(|(field, spec)| ApiField {
                            name: field.clone(),
                            kind: spec["type"]
                                .as_str()
                                .map(str::to_owned)
                                .or_else(|| {
                                    spec["type"].as_array().map(|kinds| {
                                        kinds
                                            .iter()
                                            .filter_map(|k| k.as_str())
                                            .collect::<Vec<_>>()
                                            .join(" | ")
                                    })
                                })
                                .or_else(|| {
                                    spec["$ref"]
                                        .as_str()
                                        .and_then(|r| r.rsplit('/').next())
                                        .map(str::to_owned)
                                })
                                .unwrap_or_else(|| "object".to_owned()),
                            required: required.contains(&field.as_str()),
                            description: text(&spec["description"]),
                        })
                        .collect()
                })
                .unwrap_or_default();
            schemas.push(ApiSchema {
                name: name.clone(),
                description: text(&schema["description"]),
                fields,
            });
        }
    }
    ApiDocsPage {
        layout: Layout::new(&ctx, t.get("api.title")),
        operations,
        schemas,
    }
    .into_response()
}

/// Field errors from the application, for pages that show them.
pub fn field_errors(fields: &[FieldError], lang: Lang) -> Vec<FormError> {
    form_errors(fields, lang)
}

// ---- registering and changing people ----------------------------------------

struct TextField {
    name: &'static str,
    label: String,
    hint: Option<String>,
    value: String,
    error: Option<String>,
    readonly: bool,
    autocomplete: Option<&'static str>,
}

struct SelectField {
    name: &'static str,
    label: String,
    value: String,
    options: Vec<(String, String)>,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "person_form.html")]
struct PersonFormPage {
    layout: Layout,
    errors: Vec<FormError>,
    action: String,
    back_href: String,
    text_fields: Vec<TextField>,
    selects: Vec<SelectField>,
}

/// What the register and change forms send; every field is text.
#[derive(Debug, Default, Deserialize)]
struct PersonForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    certificate_number: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    hukou: String,
    #[serde(default)]
    education: String,
    #[serde(default)]
    employment_status: String,
    #[serde(default)]
    retirement_group: String,
}

fn options<T: Copy>(
    ctx: &Ctx,
    values: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    blank: bool,
) -> Vec<(String, String)> {
    let mut list = Vec::new();
    if blank {
        list.push((
            String::new(),
            ctx.text().get("persons.not_given").to_owned(),
        ));
    }
    list.extend(
        values
            .iter()
            .map(|v| (code(*v).to_owned(), label(*v, ctx.lang).to_owned())),
    );
    list
}

#[expect(
    clippy::too_many_lines,
    reason = "the form's fields, listed in page order"
)]
/// The form page; `editing` hides the ID number and leaves identifying
/// fields empty, so changing a record never reveals them.
fn person_form(
    ctx: &Ctx,
    form: &PersonForm,
    errors: Vec<FormError>,
    editing: Option<i64>,
) -> Response {
    use ablework_domain::person::{Education, Hukou};
    use ablework_domain::working_age::RetirementGroup;
    let t = ctx.text();
    let error = |name: &str| error_for(&errors, name).map(str::to_owned);
    let unchanged = editing.map(|_| t.get("form.unchanged_hint").to_owned());
    let mut text_fields = vec![TextField {
        name: "name",
        label: t.get("persons.name").to_owned(),
        hint: unchanged.clone(),
        value: form.name.clone(),
        error: error("name"),
        readonly: false,
        autocomplete: Some("off"),
    }];
    if editing.is_none() {
        text_fields.push(TextField {
            name: "id_number",
            label: t.get("persons.id_number").to_owned(),
            hint: Some(t.get("persons.id_number.hint").to_owned()),
            value: form.id_number.clone(),
            error: error("id_number"),
            readonly: false,
            autocomplete: Some("off"),
        });
    }
    text_fields.push(TextField {
        name: "certificate_number",
        label: t.get("persons.certificate").to_owned(),
        hint: Some(match &unchanged {
            Some(keep) => format!("{} {keep}", t.get("persons.certificate.hint")),
            None => t.get("persons.certificate.hint").to_owned(),
        }),
        value: form.certificate_number.clone(),
        error: error("certificate_number"),
        readonly: false,
        autocomplete: Some("off"),
    });
    text_fields.push(TextField {
        name: "street",
        label: t.get("persons.street").to_owned(),
        hint: None,
        value: form.street.clone(),
        error: error("street"),
        readonly: false,
        autocomplete: None,
    });
    text_fields.push(TextField {
        name: "phone",
        label: t.get("persons.phone").to_owned(),
        hint: unchanged,
        value: form.phone.clone(),
        error: error("phone"),
        readonly: false,
        autocomplete: Some("off"),
    });
    let own_district = ctx
        .session
        .as_ref()
        .and_then(|s| s.actor.district_code.clone());
    let districts = district::all()
        .iter()
        .filter(|d| own_district.as_deref().is_none_or(|own| own == d.code))
        .map(|d| (d.code.to_owned(), d.name(ctx.lang).to_owned()))
        .collect();
    let selects = vec![
        SelectField {
            name: "district",
            label: t.get("persons.district").to_owned(),
            value: form.district.clone(),
            options: districts,
            error: error("district"),
        },
        SelectField {
            name: "hukou",
            label: t.get("persons.hukou").to_owned(),
            value: form.hukou.clone(),
            options: options(ctx, Hukou::ALL, Hukou::code, Hukou::label, true),
            error: error("hukou"),
        },
        SelectField {
            name: "education",
            label: t.get("persons.education").to_owned(),
            value: form.education.clone(),
            options: options(ctx, Education::ALL, Education::code, Education::label, true),
            error: error("education"),
        },
        SelectField {
            name: "employment_status",
            label: t.get("persons.status").to_owned(),
            value: form.employment_status.clone(),
            options: options(
                ctx,
                EmploymentStatus::ALL,
                EmploymentStatus::code,
                EmploymentStatus::label,
                false,
            ),
            error: error("employment_status"),
        },
        SelectField {
            name: "retirement_group",
            label: t.get("persons.retirement_group").to_owned(),
            value: form.retirement_group.clone(),
            options: options(
                ctx,
                &[RetirementGroup::Female50, RetirementGroup::Female55],
                RetirementGroup::code,
                RetirementGroup::label,
                true,
            ),
            error: error("retirement_group"),
        },
    ];
    let (title, action, back_href) = match editing {
        Some(id) => (
            t.get("persons.edit"),
            format!("/persons/{id}/edit"),
            format!("/persons/{id}"),
        ),
        None => (
            t.get("persons.new"),
            "/persons/new".to_owned(),
            "/persons".to_owned(),
        ),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PersonFormPage {
        layout: Layout::new(ctx, title),
        errors,
        action,
        back_href,
        text_fields,
        selects,
    };
    (status, page).into_response()
}

fn blank_to_none(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

async fn new_person_form(ctx: Ctx) -> Response {
    let session = match ctx.require_session() {
        Ok(session) => session,
        Err(redirect) => return redirect,
    };
    if !session.actor.role.permits(Permission::PersonWrite) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    let form = PersonForm {
        district: session.actor.district_code.clone().unwrap_or_default(),
        employment_status: "unemployed".to_owned(),
        ..PersonForm::default()
    };
    person_form(&ctx, &form, Vec::new(), None)
}

async fn create_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PersonForm>,
) -> Response {
    let session = match checked_session(&ctx, &form.csrf_token) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let input = ablework_app::persons::NewPersonInput {
        name: form.name.clone(),
        id_number: form.id_number.clone(),
        certificate_number: form.certificate_number.clone(),
        district: form.district.clone(),
        street: blank_to_none(&form.street),
        hukou: blank_to_none(&form.hukou),
        phone: blank_to_none(&form.phone),
        education: blank_to_none(&form.education),
        employment_status: blank_to_none(&form.employment_status),
        retirement_group: blank_to_none(&form.retirement_group),
    };
    match state.app.create_person(&session.actor, input).await {
        Ok(view) => Redirect::to(&format!("/persons/{}?saved=1", view.id)).into_response(),
        Err(AppError::Invalid(fields)) => {
            person_form(&ctx, &form, form_errors(&fields, ctx.lang), None)
        }
        Err(AppError::Conflict { message, .. }) => {
            let errors = vec![FormError {
                field: "id_number".to_owned(),
                message: message.get(ctx.lang).to_owned(),
            }];
            person_form(&ctx, &form, errors, None)
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn edit_person_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Response {
    let session = match ctx.require_session() {
        Ok(session) => session,
        Err(redirect) => return redirect,
    };
    if !session.actor.role.permits(Permission::PersonWrite) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    let id = match parse_id(&ctx, &id) {
        Ok(id) => id,
        Err(response) => return response,
    };
    match state.app.get_person(&session.actor, id).await {
        Ok(view) => {
            let form = PersonForm {
                district: view.district_code.clone(),
                street: view.street.clone().unwrap_or_default(),
                hukou: view.hukou.map(|h| h.code().to_owned()).unwrap_or_default(),
                education: view
                    .education
                    .map(|e| e.code().to_owned())
                    .unwrap_or_default(),
                employment_status: view.employment_status.code().to_owned(),
                retirement_group: view.retirement_group.code().to_owned(),
                ..PersonForm::default()
            };
            person_form(&ctx, &form, Vec::new(), Some(id))
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn edit_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<PersonForm>,
) -> Response {
    let session = match checked_session(&ctx, &form.csrf_token) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let id = match parse_id(&ctx, &id) {
        Ok(id) => id,
        Err(response) => return response,
    };
    // Empty identifying fields mean "unchanged"; the rest are set as shown,
    // an empty choice clearing an optional field.
    let changes = ablework_app::persons::PersonChanges {
        name: blank_to_none(&form.name),
        certificate_number: blank_to_none(&form.certificate_number),
        phone: blank_to_none(&form.phone),
        district: Some(form.district.clone()),
        street: Some(form.street.clone()),
        hukou: Some(form.hukou.clone()),
        education: Some(form.education.clone()),
        employment_status: Some(form.employment_status.clone()),
        retirement_group: blank_to_none(&form.retirement_group),
        active: None,
        reason: None,
    };
    match state.app.update_person(&session.actor, id, changes).await {
        Ok(_) => Redirect::to(&format!("/persons/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(fields)) => {
            person_form(&ctx, &form, form_errors(&fields, ctx.lang), Some(id))
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- progress -----------------------------------------------------------------

struct ReportSection {
    table: crate::report::ReportTable,
    chart: Option<String>,
}

impl ReportSection {
    /// Where a row's first cell leads, if anywhere. The template engine
    /// hands loop indices by reference.
    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "askama passes template variables by reference"
    )]
    fn link_for(&self, row: &usize) -> Option<&str> {
        self.table.links.get(*row).and_then(Option::as_deref)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "progress.html")]
struct ProgressPage {
    layout: Layout,
    /// The plans to choose from: id, name, chosen.
    plans: Vec<(String, String, bool)>,
    /// `?plan=…&district=…` as chosen, for the download link.
    plan_query: String,
    /// Back to the city's report from a district's.
    city_link: Option<String>,
    /// The district asked for, kept when another plan is chosen.
    chosen_district: Option<String>,
    plan_name: String,
    period: String,
    today: String,
    target: u32,
    achieved: u32,
    achieved_share: String,
    expected: u32,
    status: String,
    projection: Option<String>,
    sections: Vec<ReportSection>,
}

/// Text in brackets of the language: full-width in Chinese.
pub(crate) fn bracket(lang: Lang, text: &str) -> String {
    match lang {
        Lang::Zh => format!("（{text}）"),
        Lang::En => format!(" ({text})"),
    }
}

/// A chart's text alternative, for its description; the table beside it
/// has every figure.
fn chart_description(
    lang: Lang,
    report: &ablework_domain::progress::ProgressReport,
    table: &crate::report::ReportTable,
) -> String {
    if table.chart == crate::report::Chart::Cumulative {
        return match lang {
            Lang::Zh => format!(
                "折线图：从 {} 起按月累计的新增就业，最新累计 {}，目标 {}。完整数据见下表。",
                report.start, report.achieved, report.target
            ),
            Lang::En => format!(
                "Line chart of new jobs added up month by month from {}; the latest total is {} of a target of {}. The table below has every month.",
                report.start, report.achieved, report.target
            ),
        };
    }
    let top = table.points.iter().max_by_key(|point| point.1);
    match (top, lang) {
        (Some((label, value, _)), Lang::Zh) => format!(
            "条形图，共 {} 项，最多的是{label}（{value}）。完整数据见下表。",
            table.points.len()
        ),
        (Some((label, value, _)), Lang::En) => format!(
            "Bar chart of {} items; the largest is {label} ({value}). The table below has every figure.",
            table.points.len()
        ),
        (None, Lang::Zh) => "暂无数据。".to_owned(),
        (None, Lang::En) => "No data yet.".to_owned(),
    }
}

async fn progress_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(param): Query<crate::plan_pages::ProgressParams>,
) -> Response {
    use crate::report::{Chart, pace_label, percent, progress_tables};
    let session = match ctx.require_session() {
        Ok(session) => session,
        Err(redirect) => return redirect,
    };
    let report = match state
        .app
        .progress_report(&session.actor, &param.query())
        .await
    {
        Ok(report) => report,
        Err(error) => return app_error_page(&ctx, error),
    };
    let plans = match state.app.plans(&session.actor).await {
        Ok(plans) => plans,
        Err(error) => return app_error_page(&ctx, error),
    };
    let t = ctx.text();
    let lang = ctx.lang;
    let query = param.query();
    let district = query
        .district
        .clone()
        .or_else(|| session.actor.district_code.clone());
    let drill = crate::report::Drill {
        districts: district.is_none(),
        people: session.actor.role.permits(Permission::PersonRead),
        plan: query.plan.clone(),
        district: district.clone(),
    };
    let projection = report.projection.as_ref().map(|p| {
        (
            u64::from(p.low),
            u64::from(p.projected_total),
            u64::from(p.high),
        )
    });
    let sections = progress_tables(&report, t, &drill)
        .into_iter()
        .map(|table| {
            let description = chart_description(lang, &report, &table);
            let chart = match table.chart {
                Chart::None => None,
                Chart::Bars => Some(crate::charts::bar_chart(
                    &table.title,
                    &description,
                    &table.points,
                    table.id,
                )),
                Chart::Cumulative => Some(crate::charts::line_chart(
                    &table.title,
                    &description,
                    &table.points,
                    u64::from(report.target),
                    projection,
                    table.id,
                )),
            };
            ReportSection { table, chart }
        })
        .collect();
    let scope_suffix = match &district {
        Some(code) => bracket(lang, &district_name(code, lang)),
        None => String::new(),
    };
    ProgressPage {
        chosen_district: query.district.clone(),
        city_link: (query.district.is_some() && session.actor.district_code.is_none()).then(|| {
            match &query.plan {
                Some(plan) => format!("/progress?plan={plan}"),
                None => "/progress".to_owned(),
            }
        }),
        layout: Layout::new(&ctx, format!("{}{scope_suffix}", t.get("progress.title"))),
        plans: crate::plan_pages::plan_choices(&plans, &report.plan_id, t),
        plan_query: param.link_query(),
        plan_name: if lang == Lang::Zh {
            report.plan_name_zh.clone()
        } else {
            report.plan_name_en.clone()
        },
        period: bracket(lang, &format!("{} – {}", report.start, report.end)),
        today: report.today.to_string(),
        target: report.target,
        achieved: report.achieved,
        achieved_share: bracket(lang, &percent(report.achieved, report.target)),
        expected: report.expected_to_date,
        status: pace_label(t, report.status),
        projection: report.projection.as_ref().map(|p| {
            format!(
                "{}{}",
                p.projected_total,
                bracket(lang, &format!("{}–{}", p.low, p.high))
            )
        }),
        sections,
    }
    .into_response()
}

// ---- downloads ------------------------------------------------------------------

pub(crate) fn attachment(bytes: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}

async fn progress_download(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(param): Query<crate::plan_pages::ProgressParams>,
) -> Response {
    let session = match ctx.require_session() {
        Ok(session) => session,
        Err(redirect) => return redirect,
    };
    let report = match state
        .app
        .progress_report(&session.actor, &param.query())
        .await
    {
        Ok(report) => report,
        Err(error) => return app_error_page(&ctx, error),
    };
    match crate::export::progress_workbook(&report, ctx.lang) {
        Ok(bytes) => attachment(
            bytes,
            XLSX,
            &format!(
                "progress-{}-{}.xlsx",
                report.plan_id,
                report.today.format("%Y%m%d")
            ),
        ),
        Err(error) => app_error_page(&ctx, error),
    }
}
