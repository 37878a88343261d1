//! The pages of the graduates' ledger (一人一策, MISSION.md measure 7): a
//! cohort's ledger with what needs attention and a CSV download, the form
//! that enters a person, and each student's plan with its steps, contacts
//! and status.

use ablework_app::AppError;
use ablework_app::graduates::{
    ContactInput, GraduateView, Ledger, LedgerEntry, LedgerQuery, PlanStepInput, StudentInput,
};
use ablework_domain::graduates::{ContactChannel, Degree, LedgerFlag, StudentStatus};
use ablework_domain::lang::Lang;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Datelike;
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::export::{Downloads, ListFile, download};
use crate::i18n::Text;
use crate::pages::{
    app_error_page, bracket, district_name, form_session_or_return, id_or_return, session_or_return,
};
use crate::view::{FormError, Layout, Pager, error_for, form_errors};
use crate::view::{Pairs, first};

/// Entries on a page of the ledger.
const PER_PAGE: u32 = 20;

/// The ledger routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/graduates", get(ledger))
        .route("/graduates/export", get(download::<GraduatesFile>))
        // The address of the first download, kept for bookmarks and scripts.
        .route("/graduates/ledger.csv", get(download::<GraduatesFile>))
        .route("/graduates/new", get(enrol_form).post(enrol))
        .route("/graduates/{id}", get(plan))
        .route("/graduates/{id}/edit", get(edit_form).post(edit))
        .route("/graduates/{id}/status", post(status))
        .route("/graduates/{id}/steps", post(add_step))
        .route("/graduates/{id}/steps/{step}/done", post(step_done))
        .route("/graduates/{id}/contacts", post(add_contact))
}

fn status_code(errors: &[FormError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

fn options<T: Copy>(
    items: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    lang: Lang,
) -> Vec<(String, String)> {
    items
        .iter()
        .map(|i| (code(*i).to_owned(), label(*i, lang).to_owned()))
        .collect()
}

/// The code a flag has in a ledger link (`no_job` for short).
fn flag_param(flag: LedgerFlag) -> &'static str {
    match flag {
        LedgerFlag::NoJobAfterGraduation => "no_job",
        other => other.code(),
    }
}

fn flag_text(t: Text, flags: &[LedgerFlag], lang: Lang) -> String {
    if flags.is_empty() {
        return t.get("graduates.no_flags").to_owned();
    }
    let labels: Vec<&str> = flags.iter().map(|f| f.label(lang)).collect();
    labels.join(if lang == Lang::Zh { "、" } else { "; " })
}

fn counsellor_text(t: Text, entry: &ablework_app::graduates::StudentRecord) -> String {
    entry
        .counsellor
        .clone()
        .unwrap_or_else(|| t.get("graduates.no_counsellor").to_owned())
}

fn who(t: Text, username: Option<&String>) -> String {
    username
        .cloned()
        .unwrap_or_else(|| t.get("declaration.system").to_owned())
}

// ---- the ledger -------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LedgerParams {
    cohort: Option<String>,
    flag: Option<String>,
    page: Option<String>,
}

impl LedgerParams {
    fn query(&self) -> LedgerQuery {
        LedgerQuery {
            cohort: self.cohort.clone().unwrap_or_default(),
            flag: self.flag.clone().unwrap_or_default(),
            page: self
                .page
                .as_deref()
                .and_then(|p| p.parse().ok())
                .unwrap_or(1_u32)
                .max(1),
            per_page: PER_PAGE,
        }
    }
}

struct LedgerLine {
    id: i64,
    name: String,
    university: String,
    major: String,
    degree: &'static str,
    graduation: String,
    counsellor: String,
    status: &'static str,
    flags: String,
}

struct FlagCount {
    label: &'static str,
    count: u64,
    href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "graduates.html")]
struct LedgerPage {
    layout: Layout,
    errors: Vec<FormError>,
    cohort: String,
    cohorts: Vec<String>,
    flag: &'static str,
    flags: Vec<(&'static str, String)>,
    cohort_size: u64,
    counts: Vec<FlagCount>,
    total: u64,
    rows: Vec<LedgerLine>,
    pager: Pager,
    downloads: Option<Downloads>,
}

fn ledger_page(ctx: &Ctx, state: &AppState, ledger: &Ledger, errors: Vec<FormError>) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let year = ledger.year.to_string();
    let flag = ledger.flag.map_or("all", flag_param);
    let (_, last) = state.app.cohort_years();
    let this_year = state.app.today().year();
    let mut cohorts: Vec<String> = (this_year - 6..=last)
        .rev()
        .map(|y| y.to_string())
        .collect();
    if !cohorts.contains(&year) {
        cohorts.push(year.clone());
    }
    let mut flags = vec![("all", t.get("graduates.flag.all").to_owned())];
    flags.extend(
        LedgerFlag::ALL
            .iter()
            .map(|f| (flag_param(*f), f.label(lang).to_owned())),
    );
    let counts = ledger
        .flag_counts
        .iter()
        .map(|(f, count)| FlagCount {
            label: f.label(lang),
            count: *count,
            href: format!("/graduates?cohort={year}&flag={}", flag_param(*f)),
        })
        .collect();
    let scope = ctx
        .session
        .as_ref()
        .and_then(|s| s.actor.district_code.as_deref())
        .map(|code| bracket(lang, &district_name(code, lang)))
        .unwrap_or_default();
    let params = [("cohort", year.clone()), ("flag", flag.to_owned())];
    let status = status_code(&errors);
    let page = LedgerPage {
        layout: Layout::new(ctx, format!("{}{scope}", t.get("graduates.title"))),
        pager: Pager::new(
            "/graduates",
            &params,
            ledger.page,
            ledger.per_page,
            ledger.entries.total,
        ),
        downloads: ctx.session.as_ref().and_then(|s| {
            Downloads::offered::<LedgerQuery>(&s.actor, "/graduates/export", &params)
        }),
        errors,
        cohort: year,
        cohorts,
        flag,
        flags,
        cohort_size: ledger.cohort_size,
        counts,
        total: ledger.entries.total,
        rows: ledger
            .entries
            .items
            .iter()
            .map(|e| ledger_line(t, e, lang))
            .collect(),
    };
    (status, page).into_response()
}

impl LedgerPage {
    fn err(&self, name: &str) -> Option<&str> {
        error_for(&self.errors, name)
    }
}

fn ledger_line(t: Text, entry: &LedgerEntry, lang: Lang) -> LedgerLine {
    let fields = &entry.student.fields;
    LedgerLine {
        id: entry.student.id,
        name: entry.name_masked.clone(),
        university: fields.university.clone(),
        major: fields.major.clone(),
        degree: fields.degree.label(lang),
        graduation: fields.expected_graduation.to_string(),
        counsellor: counsellor_text(t, &entry.student),
        status: fields.status.label(lang),
        flags: flag_text(t, &entry.flags, lang),
    }
}

async fn ledger(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<LedgerParams>,
) -> Response {
    let session = session_or_return!(ctx);
    let actor = &session.actor;
    let query = params.query();
    match state.app.graduates_ledger(actor, &query).await {
        Ok(ledger) => ledger_page(&ctx, &state, &ledger, Vec::new()),
        Err(AppError::Invalid(fields)) => {
            // A cohort or flag typed into the address: show this year's
            // ledger with what was wrong.
            let fallback = LedgerQuery {
                cohort: String::new(),
                flag: String::new(),
                ..query
            };
            match state.app.graduates_ledger(actor, &fallback).await {
                Ok(ledger) => ledger_page(&ctx, &state, &ledger, form_errors(&fields, ctx.lang)),
                Err(error) => app_error_page(&ctx, error),
            }
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

/// The ledger's file: every entry of the cohort with the chosen flag,
/// masked, with the plan's and the contacts' figures.
pub(crate) struct GraduatesFile;

impl ListFile for GraduatesFile {
    type Params = LedgerParams;
    type Listing = LedgerQuery;
    const STEM: &'static str = "graduates";
    const TITLE: &'static str = "graduates.title";
    const COLUMNS: &'static [&'static str] = &[
        "graduates.name",
        "graduates.district",
        "graduates.university",
        "graduates.major",
        "graduates.degree",
        "graduates.expected_graduation",
        "graduates.counsellor",
        "graduates.status",
        "graduates.steps",
        "graduates.steps_done",
        "graduates.contacts",
        "graduates.latest_contact",
        "graduates.flags",
    ];

    fn listing(params: LedgerParams, _: Option<i64>) -> LedgerQuery {
        params.query()
    }

    fn cells(entry: &LedgerEntry, t: Text) -> Vec<String> {
        let lang = t.0;
        let fields = &entry.student.fields;
        vec![
            entry.name_masked.clone(),
            district_name(&entry.district_code, lang),
            fields.university.clone(),
            fields.major.clone(),
            fields.degree.label(lang).to_owned(),
            fields.expected_graduation.to_string(),
            counsellor_text(t, &entry.student),
            fields.status.label(lang).to_owned(),
            entry.plan_steps.to_string(),
            entry.steps_done.to_string(),
            entry.contacts.to_string(),
            entry
                .latest_contact
                .map(|d| d.to_string())
                .unwrap_or_default(),
            flag_text(t, &entry.flags, lang),
        ]
    }
}

// ---- the enrolment and change form ------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "graduate_form.html")]
struct StudentFormPage {
    layout: Layout,
    errors: Vec<FormError>,
    action: String,
    back: String,
    person: Option<i64>,
    lead: String,
    counsellor_hint: &'static str,
    university: String,
    major: String,
    degree: String,
    degrees: Vec<(String, String)>,
    expected_graduation: String,
    status: String,
    statuses: Vec<(String, String)>,
    counsellor: String,
}

impl StudentFormPage {
    fn err(&self, name: &str) -> Option<&str> {
        error_for(&self.errors, name)
    }
}

/// Where the form goes and what it says.
enum FormKind {
    Enrol { person: i64, name: String },
    Change { id: i64, name: String },
}

fn student_form(
    ctx: &Ctx,
    kind: &FormKind,
    input: &StudentInput,
    errors: Vec<FormError>,
) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let (title, action, back, person, lead, counsellor_hint) = match kind {
        FormKind::Enrol { person, name } => (
            format!("{}: {name}", t.get("graduates.enrol")),
            "/graduates/new".to_owned(),
            format!("/persons/{person}/case"),
            Some(*person),
            t.get("graduates.enrol.lead").to_owned(),
            t.get("graduates.counsellor.hint"),
        ),
        FormKind::Change { id, name } => (
            format!("{}: {name}", t.get("graduates.edit")),
            format!("/graduates/{id}/edit"),
            format!("/graduates/{id}"),
            None,
            t.get("graduates.edit.lead").to_owned(),
            t.get("graduates.counsellor.hint_edit"),
        ),
    };
    let status = status_code(&errors);
    let page = StudentFormPage {
        layout: Layout::new(ctx, title),
        errors,
        action,
        back,
        person,
        lead,
        counsellor_hint,
        university: input.university.clone(),
        major: input.major.clone(),
        degree: input.degree.clone(),
        degrees: options(Degree::ALL, Degree::code, Degree::label, lang),
        expected_graduation: input.expected_graduation.clone(),
        status: input.status.clone(),
        statuses: options(
            StudentStatus::ALL,
            StudentStatus::code,
            StudentStatus::label,
            lang,
        ),
        counsellor: input.counsellor.clone(),
    };
    (status, page).into_response()
}

fn student_input(pairs: &Pairs) -> StudentInput {
    StudentInput {
        university: first(pairs, "university"),
        major: first(pairs, "major"),
        degree: first(pairs, "degree"),
        expected_graduation: first(pairs, "expected_graduation"),
        counsellor: first(pairs, "counsellor"),
        status: first(pairs, "status"),
    }
}

#[derive(Debug, Default, Deserialize)]
struct EnrolParams {
    person: Option<String>,
}

async fn enrol_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<EnrolParams>,
) -> Response {
    let session = session_or_return!(ctx);
    let person = id_or_return!(ctx, params.person.unwrap_or_default());
    match state.app.enrolment(&session.actor, person).await {
        Ok((_, Some(id))) => Redirect::to(&format!("/graduates/{id}?already=1")).into_response(),
        Ok((view, None)) => {
            let input = StudentInput {
                degree: Degree::Bachelor.code().to_owned(),
                status: StudentStatus::Studying.code().to_owned(),
                ..StudentInput::default()
            };
            let kind = FormKind::Enrol {
                person,
                name: view.name_masked,
            };
            student_form(&ctx, &kind, &input, Vec::new())
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn enrol(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Pairs>) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let person = id_or_return!(ctx, first(&pairs, "person"));
    let input = student_input(&pairs);
    let actor = &session.actor;
    match state.app.enrol_student(actor, person, &input).await {
        Ok(record) => Redirect::to(&format!("/graduates/{}?saved=1", record.id)).into_response(),
        Err(AppError::Invalid(fields)) => match state.app.enrolment(actor, person).await {
            Ok((view, _)) => {
                let kind = FormKind::Enrol {
                    person,
                    name: view.name_masked,
                };
                student_form(&ctx, &kind, &input, form_errors(&fields, ctx.lang))
            }
            Err(error) => app_error_page(&ctx, error),
        },
        Err(AppError::Conflict { .. }) => match state.app.enrolment(actor, person).await {
            Ok((_, Some(id))) => {
                Redirect::to(&format!("/graduates/{id}?already=1")).into_response()
            }
            Ok((_, None)) => app_error_page(&ctx, AppError::NotFound),
            Err(error) => app_error_page(&ctx, error),
        },
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    match state.app.graduate(&session.actor, id).await {
        Ok(view) => {
            let fields = &view.student.fields;
            let input = StudentInput {
                university: fields.university.clone(),
                major: fields.major.clone(),
                degree: fields.degree.code().to_owned(),
                expected_graduation: fields.expected_graduation.to_string(),
                counsellor: String::new(),
                status: fields.status.code().to_owned(),
            };
            let kind = FormKind::Change {
                id,
                name: view.person.name_masked,
            };
            student_form(&ctx, &kind, &input, Vec::new())
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let input = student_input(&pairs);
    let actor = &session.actor;
    match state.app.update_student(actor, id, &input).await {
        Ok(_) => Redirect::to(&format!("/graduates/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(fields)) => match state.app.graduate(actor, id).await {
            Ok(view) => {
                let kind = FormKind::Change {
                    id,
                    name: view.person.name_masked,
                };
                student_form(&ctx, &kind, &input, form_errors(&fields, ctx.lang))
            }
            Err(error) => app_error_page(&ctx, error),
        },
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- a student's plan ------------------------------------------------------------------

struct StepLine {
    id: i64,
    due_on: String,
    description: String,
    done_on: Option<String>,
    overdue: bool,
    who: String,
}

struct ContactLine {
    date: String,
    channel: &'static str,
    summary: String,
    who: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "graduate.html")]
struct PlanPage {
    layout: Layout,
    errors: Vec<FormError>,
    saved: bool,
    already: bool,
    id: i64,
    person_id: i64,
    facts: Vec<(String, String)>,
    flags: Vec<&'static str>,
    steps: Vec<StepLine>,
    contacts: Vec<ContactLine>,
    status: &'static str,
    statuses: Vec<(String, String)>,
    channels: Vec<(String, String)>,
    due_on: String,
    description: String,
    contacted_on: String,
    channel: String,
    summary: String,
}

impl PlanPage {
    fn err(&self, name: &str) -> Option<&str> {
        error_for(&self.errors, name)
    }
}

fn plan_page(
    ctx: &Ctx,
    view: &GraduateView,
    today: chrono::NaiveDate,
    pairs: &Pairs,
    errors: Vec<FormError>,
) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let student = &view.student;
    let fields = &student.fields;
    let person = &view.person;
    let facts = vec![
        (
            t.get("persons.id_number").to_owned(),
            person.id_number_masked.clone(),
        ),
        (
            t.get("graduates.district").to_owned(),
            district_name(&person.district_code, lang),
        ),
        (
            t.get("graduates.university").to_owned(),
            fields.university.clone(),
        ),
        (t.get("graduates.major").to_owned(), fields.major.clone()),
        (
            t.get("graduates.degree").to_owned(),
            fields.degree.label(lang).to_owned(),
        ),
        (
            t.get("graduates.expected_graduation").to_owned(),
            fields.expected_graduation.to_string(),
        ),
        (
            t.get("graduates.counsellor").to_owned(),
            counsellor_text(t, student),
        ),
        (
            t.get("graduates.status").to_owned(),
            fields.status.label(lang).to_owned(),
        ),
    ];
    let steps = view
        .steps
        .iter()
        .map(|s| StepLine {
            id: s.id,
            due_on: s.due_on.to_string(),
            description: s.description.clone(),
            done_on: s.done_on.map(|d| d.to_string()),
            overdue: s.done_on.is_none() && s.due_on < today,
            who: who(t, s.recorded.username.as_ref()),
        })
        .collect();
    let contacts = view
        .contacts
        .iter()
        .map(|c| ContactLine {
            date: c.contacted_on.to_string(),
            channel: c.channel.label(lang),
            summary: c.summary.clone(),
            who: who(t, c.recorded.username.as_ref()),
        })
        .collect();
    let value = |name: &str, default: String| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or(default, |(_, v)| v.clone())
    };
    let status = status_code(&errors);
    let page = PlanPage {
        layout: Layout::new(
            ctx,
            format!("{}: {}", t.get("graduates.plan_title"), person.name_masked),
        ),
        errors,
        saved: ctx.query_without_lang.contains("saved=1"),
        already: ctx.query_without_lang.contains("already=1"),
        id: student.id,
        person_id: person.id,
        facts,
        flags: view.flags.iter().map(|f| f.label(lang)).collect(),
        steps,
        contacts,
        status: fields.status.code(),
        statuses: options(
            StudentStatus::ALL,
            StudentStatus::code,
            StudentStatus::label,
            lang,
        ),
        channels: options(
            ContactChannel::ALL,
            ContactChannel::code,
            ContactChannel::label,
            lang,
        ),
        due_on: value("due_on", String::new()),
        description: value("description", String::new()),
        contacted_on: value("contacted_on", today.to_string()),
        channel: value("channel", ContactChannel::Phone.code().to_owned()),
        summary: value("summary", String::new()),
    };
    (status, page).into_response()
}

async fn plan(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    match state.app.graduate(&session.actor, id).await {
        Ok(view) => plan_page(&ctx, &view, state.app.today(), &Vec::new(), Vec::new()),
        Err(error) => app_error_page(&ctx, error),
    }
}

/// After a change on the plan page: back to its section, or the page again
/// with the field errors and what was typed.
async fn after_change(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    anchor: &str,
    pairs: &Pairs,
    outcome: Result<(), AppError>,
) -> Response {
    match outcome {
        Ok(()) => Redirect::to(&format!("/graduates/{id}?saved=1#{anchor}")).into_response(),
        Err(AppError::Invalid(fields)) => {
            let Some(session) = ctx.session.as_ref() else {
                return app_error_page(ctx, AppError::Unauthenticated);
            };
            match state.app.graduate(&session.actor, id).await {
                Ok(view) => plan_page(
                    ctx,
                    &view,
                    state.app.today(),
                    pairs,
                    form_errors(&fields, ctx.lang),
                ),
                Err(error) => app_error_page(ctx, error),
            }
        }
        Err(error) => app_error_page(ctx, error),
    }
}

async fn add_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let input = PlanStepInput {
        due_on: first(&pairs, "due_on"),
        description: first(&pairs, "description"),
    };
    let outcome = state
        .app
        .add_plan_step(&session.actor, id, &input)
        .await
        .map(|_| ());
    after_change(&state, &ctx, id, "plan", &pairs, outcome).await
}

async fn step_done(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, step)): Path<(String, String)>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let step = id_or_return!(ctx, step);
    let outcome = match state
        .app
        .mark_plan_step_done(&session.actor, id, step)
        .await
    {
        // Pressed twice: the step is done, which is what was asked.
        Err(AppError::Conflict { .. }) => Ok(()),
        other => other,
    };
    after_change(&state, &ctx, id, "plan", &pairs, outcome).await
}

async fn add_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let input = ContactInput {
        contacted_on: first(&pairs, "contacted_on"),
        channel: first(&pairs, "channel"),
        summary: first(&pairs, "summary"),
    };
    let outcome = state
        .app
        .record_student_contact(&session.actor, id, &input)
        .await
        .map(|_| ());
    after_change(&state, &ctx, id, "contacts", &pairs, outcome).await
}

async fn status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let outcome = state
        .app
        .set_student_status(&session.actor, id, &first(&pairs, "status"))
        .await
        .map(|_| ());
    after_change(&state, &ctx, id, "status-title", &pairs, outcome).await
}
