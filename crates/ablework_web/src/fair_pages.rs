//! The job fairs pages: the list with its search and filters; a fair with
//! the employers and the posts they bring, the people registered and
//! their access needs, the attendance form and the report (with a print
//! view); the form that enters a fair or changes one; and the forms on a
//! fair's page that take part (an employer's HR), register (staff for a
//! person, a job seeker for themself) and record an application made at
//! the fair. Errors of a form on the fair's page link to its section.

use ablework_app::export::FairRegistrations;
use ablework_app::fairs::{
    FairList, FairQuery, FairRecord, FairView, JoinInput, RegistrationInput, RegistrationView,
};
use ablework_app::postings::PostingQuery;
use ablework_app::{App, AppError};
use ablework_domain::fair::{AccessNeed, FairInput, FairMode, FairReport, Organiser};
use ablework_domain::lang::Lang;
use ablework_domain::roles::Role;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::export::{Downloads, ListFile, NoParams, download};
use crate::i18n::Text;
use crate::pages::{
    app_error_page, district_name, form_session_or_return, id_or_return, session_or_return,
};
use crate::view::{FormError, Layout, Pager, Pairs, all, error_for, first, form_errors};

/// Fairs on a page of the list.
const PER_PAGE: u32 = 20;

/// The fairs routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/fairs", get(list))
        .route("/fairs/export", get(download::<FairsFile>))
        .route(
            "/fairs/{id}/registrations/export",
            get(download::<RegistrationsFile>),
        )
        .route("/fairs/new", get(new_form).post(create))
        .route("/fairs/{id}", get(show))
        .route("/fairs/{id}/edit", get(edit_form).post(edit))
        .route("/fairs/{id}/report", get(print))
        .route("/fairs/{id}/employers", post(join))
        .route("/fairs/{id}/registrations", post(register))
        .route("/fairs/{id}/attendance", post(attendance))
        .route("/fairs/{id}/applications", post(apply))
}

fn status_code(errors: &[FormError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

fn yes_no(t: Text, value: bool) -> &'static str {
    t.get(if value { "jobs.yes" } else { "jobs.no" })
}

fn options<T: Copy>(all: &[T], code: impl Fn(T) -> (String, String)) -> Vec<(String, String)> {
    all.iter().copied().map(code).collect()
}

fn need_options(lang: Lang, chosen: &[String]) -> Vec<(String, String, bool)> {
    AccessNeed::ALL
        .iter()
        .map(|n| {
            (
                n.code().to_owned(),
                n.label(lang).to_owned(),
                chosen.iter().any(|c| c == n.code()),
            )
        })
        .collect()
}

/// Where a fair is: its venue or its web address.
fn place(record: &FairRecord) -> String {
    let fields = &record.fields;
    fields
        .venue
        .clone()
        .or_else(|| fields.online_url.clone())
        .unwrap_or_default()
}

// ---- the list -------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListParams {
    q: Option<String>,
    district: Option<String>,
    mode: Option<String>,
    soe: Option<String>,
    when: Option<String>,
    page: Option<String>,
}

impl ListParams {
    fn query(&self) -> FairQuery {
        FairQuery {
            search: self.q.clone().unwrap_or_default(),
            district: self.district.clone().unwrap_or_default(),
            mode: self.mode.clone().unwrap_or_default(),
            soe_only: self.soe.as_deref() == Some("1"),
            when: self.when.clone().unwrap_or_default(),
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

struct FairLine {
    id: i64,
    title: String,
    held_on: String,
    mode: &'static str,
    organiser: &'static str,
    district: String,
    soe_only: bool,
    employers: u32,
    registrations: u32,
}

impl FairLine {
    fn new(r: &FairRecord, lang: Lang) -> FairLine {
        FairLine {
            id: r.id,
            title: r.fields.title.clone(),
            held_on: r.fields.held_on.to_string(),
            mode: r.fields.mode.label(lang),
            organiser: r.fields.organiser.label(lang),
            district: district_name(&r.fields.district_code, lang),
            soe_only: r.fields.soe_only,
            employers: r.employers,
            registrations: r.registrations,
        }
    }
}

/// The fairs' file: the list's columns.
pub(crate) struct FairsFile;

impl ListFile for FairsFile {
    type Params = ListParams;
    type Listing = FairQuery;
    const STEM: &'static str = "fairs";
    const TITLE: &'static str = "fairs.title";
    const COLUMNS: &'static [&'static str] = &[
        "fairs.fair_title",
        "fairs.held_on",
        "fairs.mode",
        "fairs.organiser",
        "fairs.district",
        "fairs.soe_only",
        "fairs.report.employers",
        "fairs.report.registered",
    ];

    fn listing(params: ListParams, _: Option<i64>) -> FairQuery {
        params.query()
    }

    fn cells(record: &FairRecord, t: Text) -> Vec<String> {
        let line = FairLine::new(record, t.0);
        vec![
            line.title,
            line.held_on,
            line.mode.to_owned(),
            line.organiser.to_owned(),
            line.district,
            yes_no(t, line.soe_only).to_owned(),
            line.employers.to_string(),
            line.registrations.to_string(),
        ]
    }
}

/// A fair's registrations as a file: the people (masked) the reader may
/// see, their access needs, the day they registered and whether they came.
pub(crate) struct RegistrationsFile;

impl ListFile for RegistrationsFile {
    type Params = NoParams;
    type Listing = FairRegistrations;
    const STEM: &'static str = "fair-registrations";
    const TITLE: &'static str = "fairs.registrations";
    const COLUMNS: &'static [&'static str] = &[
        "fairs.person",
        "fairs.access_needs",
        "fairs.registered_on",
        "fairs.attendance.status",
    ];

    fn listing(_: NoParams, record: Option<i64>) -> FairRegistrations {
        FairRegistrations {
            fair_id: record.unwrap_or_default(),
        }
    }

    fn cells(view: &RegistrationView, t: Text) -> Vec<String> {
        let needs: Vec<&str> = view
            .record
            .access_needs
            .iter()
            .map(|n| n.label(t.0))
            .collect();
        vec![
            view.name_masked.clone(),
            needs.join(if t.0 == Lang::Zh { "、" } else { ", " }),
            view.record.registered_on.to_string(),
            view.record.status.label(t.0).to_owned(),
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "fairs.html")]
struct ListPage {
    layout: Layout,
    errors: Vec<FormError>,
    can_organise: bool,
    q: String,
    district: String,
    districts: Vec<(String, String)>,
    mode: String,
    modes: Vec<(String, String)>,
    when: String,
    whens: Vec<(String, String)>,
    soe: bool,
    filtered: bool,
    total: u64,
    downloads: Option<Downloads>,
    rows: Vec<FairLine>,
    pager: Pager,
}

impl ListPage {
    fn err(&self, name: &str) -> Option<&str> {
        error_for(&self.errors, name)
    }
}

fn list_page(
    ctx: &Ctx,
    can_organise: bool,
    query: &FairQuery,
    list: &FairList,
    errors: Vec<FormError>,
) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let filter = &list.filter;
    let q = filter.search.clone().unwrap_or_default();
    let district = filter.district_code.clone().unwrap_or_default();
    let mode = filter.mode.map(|m| m.code().to_owned()).unwrap_or_default();
    let when = match query.when.as_str() {
        "upcoming" | "past" => query.when.clone(),
        _ => "all".to_owned(),
    };
    let flag = |on: bool| if on { "1".to_owned() } else { String::new() };
    let params = [
        ("q", q.clone()),
        ("district", district.clone()),
        ("mode", mode.clone()),
        ("soe", flag(filter.soe_only)),
        ("when", when.clone()),
    ];
    let filtered = !q.is_empty()
        || !district.is_empty()
        || !mode.is_empty()
        || filter.soe_only
        || when != "all";
    let code = status_code(&errors);
    let page = ListPage {
        layout: Layout::new(ctx, t.get("fairs.title")),
        errors,
        can_organise,
        pager: Pager::new(
            "/fairs",
            &params,
            filter.page,
            filter.per_page,
            list.fairs.total,
        ),
        districts: crate::job_pages::district_options(lang),
        modes: options(FairMode::ALL, |m| {
            (m.code().to_owned(), m.label(lang).to_owned())
        }),
        whens: [
            ("all", "fairs.when.all"),
            ("upcoming", "fairs.when.upcoming"),
            ("past", "fairs.when.past"),
        ]
        .iter()
        .map(|(code, key)| ((*code).to_owned(), t.get(key).to_owned()))
        .collect(),
        q,
        district,
        mode,
        when,
        soe: filter.soe_only,
        filtered,
        total: list.fairs.total,
        downloads: ctx
            .session
            .as_ref()
            .and_then(|s| Downloads::offered::<FairQuery>(&s.actor, "/fairs/export", &params)),
        rows: list
            .fairs
            .items
            .iter()
            .map(|r| FairLine::new(r, lang))
            .collect(),
    };
    (code, page).into_response()
}

async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ListParams>,
) -> Response {
    let session = session_or_return!(ctx);
    let actor = &session.actor;
    let can_organise = App::can_organise_fairs(actor);
    let query = params.query();
    match state.app.list_fairs(actor, &query).await {
        Ok(list) => list_page(&ctx, can_organise, &query, &list, Vec::new()),
        Err(AppError::Invalid(fields)) => {
            // A filter typed into the address: show every fair with what
            // was wrong.
            let fallback = FairQuery {
                page: 1,
                per_page: PER_PAGE,
                ..FairQuery::default()
            };
            match state.app.list_fairs(actor, &fallback).await {
                Ok(list) => list_page(
                    &ctx,
                    can_organise,
                    &fallback,
                    &list,
                    form_errors(&fields, ctx.lang),
                ),
                Err(error) => app_error_page(&ctx, error),
            }
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- one fair ---------------------------------------------------------------------------

struct PostLine {
    /// Where the title links, when the reader may open the posting.
    href: Option<String>,
    title: String,
    posts: u32,
    open: bool,
}

struct ParticipantLine {
    name: String,
    state_owned: bool,
    postings: Vec<PostLine>,
}

struct RegistrationLine {
    id: i64,
    person_id: i64,
    name: String,
    needs: Vec<(&'static str, bool)>,
    status: String,
    status_label: &'static str,
    registered_on: String,
}

struct NeedLine {
    label: &'static str,
    offered: bool,
    registered: u32,
    attended: u32,
}

/// The report's figures as rows of a table: (label, value).
fn report_rows(t: Text, report: &FairReport) -> Vec<(&'static str, u32)> {
    vec![
        (t.get("fairs.report.registered"), report.registered),
        (t.get("fairs.report.attended"), report.attended),
        (t.get("fairs.report.no_show"), report.no_show),
        (t.get("fairs.report.unmarked"), report.unmarked),
        (t.get("fairs.report.unmet"), report.unmet),
        (t.get("fairs.report.employers"), report.employers),
        (t.get("fairs.report.postings"), report.postings),
        (t.get("fairs.report.posts"), report.posts_offered),
        (t.get("fairs.report.applications"), report.applications),
        (t.get("fairs.report.interview"), report.interview),
        (t.get("fairs.report.offer"), report.offer),
        (t.get("fairs.report.hired"), report.hired),
    ]
}

fn need_lines(report: &FairReport, lang: Lang) -> Vec<NeedLine> {
    report
        .needs
        .iter()
        .map(|row| NeedLine {
            label: row.need.label(lang),
            offered: row.offered,
            registered: row.registered,
            attended: row.attended,
        })
        .collect()
}

fn facts(t: Text, lang: Lang, record: &FairRecord) -> Vec<(String, String)> {
    let fields = &record.fields;
    let mut facts = vec![
        (
            t.get("fairs.held_on").to_owned(),
            fields.held_on.to_string(),
        ),
        (
            t.get("fairs.mode").to_owned(),
            fields.mode.label(lang).to_owned(),
        ),
        (
            t.get("fairs.organiser").to_owned(),
            fields.organiser.label(lang).to_owned(),
        ),
        (
            t.get("fairs.district").to_owned(),
            district_name(&fields.district_code, lang),
        ),
        (
            t.get(match fields.mode {
                FairMode::OnSite => "fairs.venue",
                FairMode::Online => "fairs.online_url",
            })
            .to_owned(),
            place(record),
        ),
        (
            t.get("fairs.soe_only").to_owned(),
            yes_no(t, fields.soe_only).to_owned(),
        ),
    ];
    let provisions: Vec<&str> = fields.provisions.iter().map(|p| p.label(lang)).collect();
    facts.push((
        t.get("fairs.provisions").to_owned(),
        if provisions.is_empty() {
            t.get("fairs.provisions.none").to_owned()
        } else {
            provisions.join(match lang {
                Lang::Zh => "、",
                Lang::En => ", ",
            })
        },
    ));
    facts
}

/// What the reader may do on a fair's page, and what a failed form sent.
struct Offers {
    /// An employer's HR: its own open postings to bring (id, title, chosen).
    join_postings: Option<Vec<(i64, String, bool)>>,
    /// Staff register people by record number.
    register_staff: bool,
    /// A job seeker may register themself.
    register_self: bool,
    /// The values a failed form sent.
    sent: Pairs,
}

#[derive(Template, WebTemplate)]
#[template(path = "fair.html")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a template's switches: each flag shows one part of the page"
)]
struct ShowPage {
    layout: Layout,
    errors: Vec<FormError>,
    saved: bool,
    id: i64,
    facts: Vec<(String, String)>,
    participants: Vec<ParticipantLine>,
    registrations: Vec<RegistrationLine>,
    /// The registrations' downloads, for those who may have them.
    downloads: Option<Downloads>,
    statuses: Vec<(String, String)>,
    report: Vec<(&'static str, u32)>,
    needs: Vec<NeedLine>,
    can_organise: bool,
    held: bool,
    soe_only: bool,
    join_postings: Option<Vec<(i64, String, bool)>>,
    register_staff: bool,
    register_self: bool,
    need_options: Vec<(String, String, bool)>,
    person_id: String,
    fair_postings: Vec<(i64, String)>,
    applicant_id: String,
    posting_id: String,
}

impl ShowPage {
    fn section_error(&self, section: &str) -> Option<&str> {
        error_for(&self.errors, section)
    }
}

fn show_page(ctx: &Ctx, view: &FairView, offers: Offers, errors: Vec<FormError>) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let record = &view.record;
    let participants: Vec<ParticipantLine> = view
        .participants
        .iter()
        .map(|p| ParticipantLine {
            name: p.record.employer_name.clone(),
            state_owned: p.record.state_owned,
            postings: p
                .postings
                .iter()
                .map(|j| PostLine {
                    href: ctx
                        .session
                        .as_ref()
                        .is_some_and(|s| App::may_open_posting(&s.actor, j))
                        .then(|| format!("/jobs/{}", j.id)),
                    title: j.fields.title.clone(),
                    posts: j.fields.posts,
                    open: j.open,
                })
                .collect(),
        })
        .collect();
    let fair_postings = view
        .participants
        .iter()
        .flat_map(|p| {
            p.postings.iter().map(|j| {
                (
                    j.id,
                    format!("{} – {}", j.fields.title, p.record.employer_name),
                )
            })
        })
        .collect();
    let sent = &offers.sent;
    let code = status_code(&errors);
    let page = ShowPage {
        layout: Layout::new(ctx, record.fields.title.clone()),
        errors,
        saved: ctx.query_without_lang.contains("saved=1"),
        id: record.id,
        facts: facts(t, lang, record),
        participants,
        downloads: ctx
            .session
            .as_ref()
            .filter(|_| !view.registrations.is_empty())
            .and_then(|s| {
                Downloads::offered::<FairRegistrations>(
                    &s.actor,
                    &format!("/fairs/{}/registrations/export", record.id),
                    &[],
                )
            }),
        registrations: view
            .registrations
            .iter()
            .map(|r| RegistrationLine {
                id: r.record.id,
                person_id: r.record.person_id,
                name: r.name_masked.clone(),
                needs: r
                    .record
                    .access_needs
                    .iter()
                    .map(|n| (n.label(lang), record.fields.offers(*n)))
                    .collect(),
                status: r.record.status.code().to_owned(),
                status_label: r.record.status.label(lang),
                registered_on: r.record.registered_on.to_string(),
            })
            .collect(),
        statuses: options(ablework_domain::fair::RegistrationStatus::ALL, |s| {
            (s.code().to_owned(), s.label(lang).to_owned())
        }),
        report: report_rows(t, &view.report),
        needs: need_lines(&view.report, lang),
        can_organise: view.can_organise,
        held: view.held,
        soe_only: record.fields.soe_only,
        join_postings: offers.join_postings,
        register_staff: offers.register_staff,
        register_self: offers.register_self,
        need_options: need_options(lang, &all(sent, "access_needs")),
        person_id: first(sent, "person_id"),
        fair_postings,
        applicant_id: first(sent, "applicant_id"),
        posting_id: first(sent, "posting_id"),
    };
    (code, page).into_response()
}

async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let id = id_or_return!(ctx, id);
    show_with(&state, &ctx, id, Vec::new(), Pairs::new()).await
}

/// A fair's page, with the errors of a form sent from it (and what it
/// sent) when there are any.
async fn show_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: Vec<FormError>,
    sent: Pairs,
) -> Response {
    let session = session_or_return!(ctx);
    let actor = &session.actor;
    let view = match state.app.fair_view(actor, id).await {
        Ok(view) => view,
        Err(error) => return app_error_page(ctx, error),
    };
    let join_postings = if actor.role == Role::Employer {
        let query = PostingQuery {
            status: "open".to_owned(),
            per_page: 100,
            page: 1,
            ..PostingQuery::default()
        };
        let chosen = all(&sent, "postings");
        let brought: Vec<i64> = view
            .participants
            .iter()
            .filter(|p| Some(p.record.employer_id) == actor.organisation_id)
            .flat_map(|p| p.record.posting_ids.clone())
            .collect();
        match state.app.list_postings(actor, &query).await {
            Ok(list) => Some(
                list.postings
                    .items
                    .iter()
                    .map(|j| {
                        let on = chosen.iter().any(|c| *c == j.id.to_string())
                            || brought.contains(&j.id);
                        (j.id, j.fields.title.clone(), on)
                    })
                    .collect(),
            ),
            Err(error) => return app_error_page(ctx, error),
        }
    } else {
        None
    };
    let upcoming = view.record.fields.held_on >= state.app.today();
    let offers = Offers {
        join_postings,
        register_staff: view.can_organise,
        register_self: actor.role == Role::Seeker
            && upcoming
            && !view
                .registrations
                .iter()
                .any(|r| Some(r.record.person_id) == actor.person_id),
        sent,
    };
    show_page(ctx, &view, offers, errors)
}

/// The errors of a form on the fair's page, all linking to its section.
fn section_errors(
    fields: &[ablework_app::FieldError],
    lang: Lang,
    section: &str,
) -> Vec<FormError> {
    form_errors(fields, lang)
        .into_iter()
        .map(|e| FormError {
            field: section.to_owned(),
            message: e.message,
        })
        .collect()
}

/// Runs a form of the fair's page: on success back to the fair, on field
/// errors the fair's page again with them linked to `section`.
macro_rules! fair_form {
    ($state:ident, $ctx:ident, $id:ident, $pairs:ident, $section:literal, $session:ident => $call:expr) => {{
        let $session = form_session_or_return!($ctx, $pairs);
        let $id = id_or_return!($ctx, $id);
        match $call {
            Ok(_) => Redirect::to(&format!("/fairs/{}?saved=1#{}", $id, $section)).into_response(),
            Err(AppError::Invalid(fields)) => {
                let errors = section_errors(&fields, $ctx.lang, $section);
                show_with(&$state, &$ctx, $id, errors, $pairs).await
            }
            Err(error) => app_error_page(&$ctx, error),
        }
    }};
}

async fn join(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = JoinInput {
        employer_id: first(&pairs, "employer_id"),
        postings: all(&pairs, "postings"),
    };
    fair_form!(state, ctx, id, pairs, "join", session =>
        state.app.join_fair(&session.actor, id, &input).await)
}

async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = RegistrationInput {
        person_id: first(&pairs, "person_id"),
        access_needs: all(&pairs, "access_needs"),
    };
    fair_form!(state, ctx, id, pairs, "register", session =>
        state.app.register_for_fair(&session.actor, id, &input).await)
}

async fn attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    // One radio group per registration, named `attendance_{id}`.
    let marks: Vec<(String, String)> = pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("attendance_")
                .map(|id| (id.to_owned(), v.clone()))
        })
        .collect();
    fair_form!(state, ctx, id, pairs, "attendance", session =>
        state.app.mark_attendance(&session.actor, id, &marks).await)
}

async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let person = first(&pairs, "applicant_id")
        .trim()
        .parse::<i64>()
        .unwrap_or(0);
    let posting = first(&pairs, "posting_id")
        .trim()
        .parse::<i64>()
        .unwrap_or(0);
    fair_form!(state, ctx, id, pairs, "apply", session =>
        state.app.apply_at_fair(&session.actor, id, person, posting).await)
}

// ---- the print view -------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "fair_print.html")]
struct PrintPage {
    layout: Layout,
    id: i64,
    facts: Vec<(String, String)>,
    report: Vec<(&'static str, u32)>,
    needs: Vec<NeedLine>,
    made_on: String,
}

async fn print(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    let t = ctx.text();
    match state.app.fair_summary(&session.actor, id).await {
        Ok(view) => PrintPage {
            layout: Layout::new(
                &ctx,
                format!(
                    "{}{}",
                    view.record.fields.title,
                    t.get("fairs.report.suffix")
                ),
            ),
            id,
            facts: facts(t, ctx.lang, &view.record),
            report: report_rows(t, &view.report),
            needs: need_lines(&view.report, ctx.lang),
            made_on: state.app.today().to_string(),
        }
        .into_response(),
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- the form ---------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "fair_form.html")]
struct FormPage {
    layout: Layout,
    errors: Vec<FormError>,
    action: String,
    back: String,
    lead: &'static str,
    input: FairInput,
    modes: Vec<(String, String)>,
    organisers: Vec<(String, String)>,
    districts: Vec<(String, String)>,
    provisions: Vec<(String, String, bool)>,
}

impl FormPage {
    fn err(&self, name: &str) -> Option<&str> {
        error_for(&self.errors, name)
    }
}

fn form_page(ctx: &Ctx, change: Option<i64>, input: FairInput, errors: Vec<FormError>) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let (title, action, back, lead) = match change {
        None => (
            t.get("fairs.new"),
            "/fairs/new".to_owned(),
            "/fairs".to_owned(),
            t.get("fairs.new.lead"),
        ),
        Some(id) => (
            t.get("fairs.edit"),
            format!("/fairs/{id}/edit"),
            format!("/fairs/{id}"),
            t.get("fairs.edit.lead"),
        ),
    };
    let code = status_code(&errors);
    let page = FormPage {
        layout: Layout::new(ctx, title),
        errors,
        action,
        back,
        lead,
        modes: options(FairMode::ALL, |m| {
            (m.code().to_owned(), m.label(lang).to_owned())
        }),
        organisers: options(Organiser::ALL, |o| {
            (o.code().to_owned(), o.label(lang).to_owned())
        }),
        districts: crate::job_pages::district_options(lang),
        provisions: need_options(lang, &input.provisions),
        input,
    };
    (code, page).into_response()
}

fn fair_input(pairs: &Pairs) -> FairInput {
    FairInput {
        title: first(pairs, "title"),
        mode: first(pairs, "mode"),
        organiser: first(pairs, "organiser"),
        soe_only: first(pairs, "soe_only") == "on",
        held_on: first(pairs, "held_on"),
        district: first(pairs, "district"),
        venue: first(pairs, "venue"),
        online_url: first(pairs, "online_url"),
        provisions: all(pairs, "provisions"),
    }
}

async fn new_form(ctx: Ctx) -> Response {
    let session = session_or_return!(ctx);
    let actor = &session.actor;
    if !App::can_organise_fairs(actor) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    let input = FairInput {
        mode: FairMode::OnSite.code().to_owned(),
        district: actor.district_code.clone().unwrap_or_default(),
        ..FairInput::default()
    };
    form_page(&ctx, None, input, Vec::new())
}

async fn create(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Pairs>) -> Response {
    save(&state, &ctx, None, &pairs).await
}

/// Enters a fair (`change` none) or changes one, from the form.
async fn save(state: &AppState, ctx: &Ctx, change: Option<i64>, pairs: &Pairs) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let input = fair_input(pairs);
    let saved = match change {
        None => state.app.create_fair(&session.actor, &input).await,
        Some(id) => state.app.update_fair(&session.actor, id, &input).await,
    };
    match saved {
        Ok(record) => Redirect::to(&format!("/fairs/{}?saved=1", record.id)).into_response(),
        Err(AppError::Invalid(fields)) => {
            form_page(ctx, change, input, form_errors(&fields, ctx.lang))
        }
        Err(error) => app_error_page(ctx, error),
    }
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    let actor = &session.actor;
    if !App::can_organise_fairs(actor) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    match state.app.fair(actor, id).await {
        Ok(record) => form_page(&ctx, Some(id), record.fields.to_input(), Vec::new()),
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let id = id_or_return!(ctx, id);
    save(&state, &ctx, Some(id), &pairs).await
}
