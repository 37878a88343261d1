//! The job postings pages: the list with its search, filters and sort; a
//! posting with everything it asks and offers written out; the form that
//! posts a job or changes one (a fieldset per functional demand with a
//! radio group of levels, a checkbox group of accommodations); and the
//! button that closes or reopens a posting.

use ablework_app::applications::ApplicationView;
use ablework_app::export::PostingApplications;
use ablework_app::postings::{
    JobPostingRecord, PostingInput, PostingList, PostingQuery, PostingSort, demand_field,
};
use ablework_app::{App, AppError};
use ablework_domain::district;
use ablework_domain::four_ones::{Accommodation, Hours};
use ablework_domain::lang::Lang;
use ablework_domain::matching::{Demand, DemandLevel};
use ablework_domain::occupation::{MajorGroup, SubMajorGroup};
use ablework_domain::person::Education;
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
use crate::view::{FormError, Layout, Pager, error_for, form_errors};
use crate::view::{Pairs, all, first};

/// Postings on a page of the list.
const PER_PAGE: u32 = 20;

/// The postings routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/jobs", get(list))
        .route("/jobs/export", get(download::<PostingsFile>))
        .route(
            "/jobs/{id}/applications/export",
            get(download::<ApplicationsFile>),
        )
        .route("/jobs/new", get(new_form).post(create))
        .route("/jobs/{id}", get(show))
        .route("/jobs/{id}/edit", get(edit_form).post(edit))
        .route("/jobs/{id}/open", post(set_open))
}

fn status_code(errors: &[FormError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// Money for people: `4,500 元` / `CNY 4,500`.
fn wage_text(wage: u32, lang: Lang) -> String {
    let digits = wage.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match lang {
        Lang::Zh => format!("{grouped} 元/月"),
        Lang::En => format!("CNY {grouped} a month"),
    }
}

fn yes_no(t: Text, value: bool) -> &'static str {
    if value {
        t.get("jobs.yes")
    } else {
        t.get("jobs.no")
    }
}

fn status_text(t: Text, open: bool) -> &'static str {
    if open {
        t.get("jobs.status.open")
    } else {
        t.get("jobs.status.closed")
    }
}

pub(crate) fn district_options(lang: Lang) -> Vec<(String, String)> {
    district::all()
        .iter()
        .map(|d| (d.code.to_owned(), d.name(lang).to_owned()))
        .collect()
}

/// The major groups jobs are posted in (not the armed forces).
fn major_groups() -> impl Iterator<Item = MajorGroup> {
    MajorGroup::ALL
        .iter()
        .copied()
        .filter(|m| *m != MajorGroup::ArmedForces)
}

// ---- the list -------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListParams {
    q: Option<String>,
    district: Option<String>,
    major: Option<String>,
    remote: Option<String>,
    reserved: Option<String>,
    accommodation: Option<String>,
    status: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

impl ListParams {
    fn query(&self) -> PostingQuery {
        PostingQuery {
            search: self.q.clone().unwrap_or_default(),
            district: self.district.clone().unwrap_or_default(),
            major_group: self.major.clone().unwrap_or_default(),
            remote_only: self.remote.as_deref() == Some("1"),
            reserved_only: self.reserved.as_deref() == Some("1"),
            accommodation: self.accommodation.clone().unwrap_or_default(),
            status: self.status.clone().unwrap_or_default(),
            sort: self.sort.clone().unwrap_or_default(),
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

struct JobLine {
    id: i64,
    title: String,
    employer: String,
    occupation: &'static str,
    district: String,
    hours: &'static str,
    wage: String,
    posts: u32,
    reserved: bool,
    status: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "jobs.html")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a template's context: each flag is one checkbox or one part of the page"
)]
struct ListPage {
    layout: Layout,
    errors: Vec<FormError>,
    can_write: bool,
    q: String,
    district: String,
    districts: Vec<(String, String)>,
    major: String,
    majors: Vec<(String, String)>,
    accommodation: String,
    accommodations: Vec<(String, String)>,
    remote: bool,
    reserved: bool,
    status: String,
    statuses: Vec<(String, String)>,
    sort: String,
    sorts: Vec<(String, String)>,
    filtered: bool,
    total: u64,
    downloads: Option<Downloads>,
    rows: Vec<JobLine>,
    pager: Pager,
}

impl ListPage {
    fn err(&self, name: &str) -> Option<&str> {
        error_for(&self.errors, name)
    }
}

/// The postings' file: the list's columns.
pub(crate) struct PostingsFile;

impl ListFile for PostingsFile {
    type Params = ListParams;
    type Listing = PostingQuery;
    const STEM: &'static str = "postings";
    const TITLE: &'static str = "jobs.title";
    const COLUMNS: &'static [&'static str] = &[
        "jobs.job_title",
        "jobs.employer",
        "jobs.occupation",
        "jobs.district",
        "jobs.hours",
        "jobs.wage",
        "jobs.posts",
        "jobs.reserved",
        "jobs.status",
    ];

    fn listing(params: ListParams, _: Option<i64>) -> PostingQuery {
        params.query()
    }

    fn cells(record: &JobPostingRecord, t: Text) -> Vec<String> {
        let line = job_line(t, record, t.0);
        vec![
            line.title,
            line.employer,
            line.occupation.to_owned(),
            line.district,
            line.hours.to_owned(),
            line.wage,
            line.posts.to_string(),
            yes_no(t, line.reserved).to_owned(),
            line.status.to_owned(),
        ]
    }
}

/// A posting's applications as a file: the person (masked), where the
/// application stands and its steps.
pub(crate) struct ApplicationsFile;

impl ListFile for ApplicationsFile {
    type Params = NoParams;
    type Listing = PostingApplications;
    const STEM: &'static str = "applications";
    const TITLE: &'static str = "applications.title";
    const COLUMNS: &'static [&'static str] =
        &["fairs.person", "applications.status", "export.steps"];

    fn listing(_: NoParams, record: Option<i64>) -> PostingApplications {
        PostingApplications {
            posting_id: record.unwrap_or_default(),
        }
    }

    fn cells(view: &ApplicationView, t: Text) -> Vec<String> {
        let record = &view.record;
        let steps: Vec<String> = record
            .steps
            .iter()
            .map(|s| format!("{} {}", s.status.label(t.0), s.on))
            .collect();
        vec![
            view.person_name_masked.clone(),
            record.status.label(t.0).to_owned(),
            steps.join("; "),
        ]
    }
}

fn job_line(t: Text, record: &JobPostingRecord, lang: Lang) -> JobLine {
    let fields = &record.fields;
    JobLine {
        id: record.id,
        title: fields.title.clone(),
        employer: record.employer_name.clone(),
        occupation: fields.occupation.label(lang),
        district: district_name(&fields.district_code, lang),
        hours: fields.hours.label(lang),
        wage: wage_text(fields.monthly_wage, lang),
        posts: fields.posts,
        reserved: fields.reserved_for_disabled,
        status: status_text(t, record.open),
    }
}

fn list_page(ctx: &Ctx, can_write: bool, list: &PostingList, errors: Vec<FormError>) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let filter = &list.filter;
    let status = match filter.open {
        Some(true) => "open",
        Some(false) => "closed",
        None => "all",
    };
    let q = filter.search.clone().unwrap_or_default();
    let district = filter.district_code.clone().unwrap_or_default();
    let major = filter
        .major_group
        .map(|m| m.code().to_owned())
        .unwrap_or_default();
    let accommodation = filter
        .accommodation
        .map(|a| a.code().to_owned())
        .unwrap_or_default();
    let flag = |on: bool| if on { "1".to_owned() } else { String::new() };
    let params = [
        ("q", q.clone()),
        ("district", district.clone()),
        ("major", major.clone()),
        ("remote", flag(filter.remote_only)),
        ("reserved", flag(filter.reserved_only)),
        ("accommodation", accommodation.clone()),
        ("status", status.to_owned()),
        ("sort", filter.sort.code().to_owned()),
    ];
    let filtered = !q.is_empty()
        || !district.is_empty()
        || !major.is_empty()
        || !accommodation.is_empty()
        || filter.remote_only
        || filter.reserved_only
        || status != "open";
    let code = status_code(&errors);
    let page = ListPage {
        layout: Layout::new(ctx, t.get("jobs.title")),
        errors,
        can_write,
        pager: Pager::new(
            "/jobs",
            &params,
            filter.page,
            filter.per_page,
            list.postings.total,
        ),
        districts: district_options(lang),
        majors: major_groups()
            .map(|m| (m.code().to_owned(), m.label(lang).to_owned()))
            .collect(),
        accommodations: Accommodation::ALL
            .iter()
            .map(|a| (a.code().to_owned(), a.label(lang).to_owned()))
            .collect(),
        statuses: vec![
            ("open".to_owned(), t.get("jobs.status.open").to_owned()),
            ("closed".to_owned(), t.get("jobs.status.closed").to_owned()),
            ("all".to_owned(), t.get("jobs.status.all").to_owned()),
        ],
        sorts: PostingSort::ALL
            .iter()
            .map(|s| {
                (
                    s.code().to_owned(),
                    t.get(match s {
                        PostingSort::Newest => "jobs.sort.newest",
                        PostingSort::WageHigh => "jobs.sort.wage_high",
                        PostingSort::WageLow => "jobs.sort.wage_low",
                        PostingSort::Title => "jobs.sort.title",
                    })
                    .to_owned(),
                )
            })
            .collect(),
        q,
        district,
        major,
        accommodation,
        remote: filter.remote_only,
        reserved: filter.reserved_only,
        status: status.to_owned(),
        sort: filter.sort.code().to_owned(),
        filtered,
        total: list.postings.total,
        downloads: ctx
            .session
            .as_ref()
            .and_then(|s| Downloads::offered::<PostingQuery>(&s.actor, "/jobs/export", &params)),
        rows: list
            .postings
            .items
            .iter()
            .map(|r| job_line(t, r, lang))
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
    let can_write = App::can_write_postings(actor);
    let query = params.query();
    match state.app.list_postings(actor, &query).await {
        Ok(list) => list_page(&ctx, can_write, &list, Vec::new()),
        Err(AppError::Invalid(fields)) => {
            // A filter typed into the address: show the open postings with
            // what was wrong.
            let fallback = PostingQuery {
                page: 1,
                per_page: PER_PAGE,
                search: query.search.clone(),
                ..PostingQuery::default()
            };
            match state.app.list_postings(actor, &fallback).await {
                Ok(list) => list_page(&ctx, can_write, &list, form_errors(&fields, ctx.lang)),
                Err(error) => app_error_page(&ctx, error),
            }
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- one posting -----------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "job.html")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a template's switches: saved notice, open, manage and why-not sections"
)]
struct ShowPage {
    layout: Layout,
    errors: Vec<FormError>,
    saved: bool,
    id: i64,
    open: bool,
    can_write: bool,
    facts: Vec<(String, String)>,
    demands: Vec<(&'static str, &'static str)>,
    accommodations: Vec<&'static str>,
    skills: Vec<String>,
    /// The consenting candidates, for those who manage the posting.
    candidates: Option<crate::match_pages::CandidateSection>,
    /// Whether to offer the "why not this job?" form (staff).
    why_form: bool,
    /// The applications, for those who manage the posting.
    application_rows: Option<Vec<crate::application_pages::ApplicationLine>>,
    /// Where a step form comes back to.
    application_back: &'static str,
    /// The applications' downloads, for those who may have them.
    downloads: Option<Downloads>,
    /// The job seeker's own record, when they may apply to this open
    /// posting from its page.
    apply_as: Option<i64>,
}

/// What a posting's page shows beyond the posting.
struct ShowExtras {
    can_write: bool,
    candidates: Option<crate::match_pages::CandidateSection>,
    why_form: bool,
    applications: Option<Vec<crate::application_pages::ApplicationLine>>,
    apply_as: Option<i64>,
    errors: Vec<FormError>,
}

fn show_page(ctx: &Ctx, record: &JobPostingRecord, extras: ShowExtras) -> Response {
    let ShowExtras {
        can_write,
        candidates,
        why_form,
        applications,
        apply_as,
        errors,
    } = extras;
    let t = ctx.text();
    let lang = ctx.lang;
    let fields = &record.fields;
    let occupation = format!(
        "{} {}{}",
        fields.occupation.code(),
        fields.occupation.label(lang),
        crate::pages::bracket(lang, fields.occupation.major().label(lang))
    );
    let facts = vec![
        (
            t.get("jobs.employer").to_owned(),
            record.employer_name.clone(),
        ),
        (t.get("jobs.occupation").to_owned(), occupation),
        (
            t.get("jobs.district").to_owned(),
            district_name(&fields.district_code, lang),
        ),
        (t.get("jobs.address").to_owned(), fields.address.clone()),
        (
            t.get("jobs.remote").to_owned(),
            yes_no(t, fields.remote_possible).to_owned(),
        ),
        (
            t.get("jobs.hours").to_owned(),
            fields.hours.label(lang).to_owned(),
        ),
        (
            t.get("jobs.wage").to_owned(),
            wage_text(fields.monthly_wage, lang),
        ),
        (
            t.get("jobs.education").to_owned(),
            fields.education_required.map_or_else(
                || t.get("jobs.education.none").to_owned(),
                |e| e.label(lang).to_owned(),
            ),
        ),
        (
            t.get("jobs.reserved").to_owned(),
            yes_no(t, fields.reserved_for_disabled).to_owned(),
        ),
        (t.get("jobs.posts").to_owned(), fields.posts.to_string()),
        (
            t.get("jobs.status").to_owned(),
            status_text(t, record.open).to_owned(),
        ),
        (
            t.get("jobs.posted_on").to_owned(),
            crate::view::local_time(record.created_at, "%Y-%m-%d"),
        ),
    ];
    let code = status_code(&errors);
    let page = ShowPage {
        layout: Layout::new(ctx, fields.title.clone()),
        errors,
        saved: ctx.query_without_lang.contains("saved=1"),
        id: record.id,
        open: record.open,
        can_write,
        facts,
        demands: fields
            .demands
            .iter()
            .map(|(d, l)| (d.label(lang), l.label(lang)))
            .collect(),
        accommodations: fields
            .accommodations
            .iter()
            .map(|a| a.label(lang))
            .collect(),
        skills: fields.skills_required.clone(),
        candidates,
        why_form,
        downloads: applications
            .as_ref()
            .filter(|rows| !rows.is_empty())
            .zip(ctx.session.as_ref())
            .and_then(|(_, s)| {
                Downloads::offered::<PostingApplications>(
                    &s.actor,
                    &format!("/jobs/{}/applications/export", record.id),
                    &[],
                )
            }),
        application_rows: applications,
        application_back: "job",
        apply_as: apply_as.filter(|_| record.open),
    };
    (code, page).into_response()
}

async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let id = id_or_return!(ctx, id);
    show_with(&state, &ctx, id, Vec::new(), None).await
}

/// A posting's page, with the errors of a step form sent from it (and
/// what it sent) when there are any.
pub(crate) async fn show_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: Vec<FormError>,
    retry: Option<crate::application_pages::Retry>,
) -> Response {
    let session = session_or_return!(ctx);
    let actor = &session.actor;
    match state.app.posting(actor, id).await {
        Ok(record) => {
            // Another employer's open posting reads like a seeker's view.
            let manages = App::posting_scope(actor).admits(&record);
            let candidates = if manages {
                match crate::match_pages::candidates_for(state, ctx, actor, record.id).await {
                    Ok(section) => section,
                    Err(error) => return app_error_page(ctx, error),
                }
            } else {
                None
            };
            let applications = match state.app.posting_applications(actor, record.id).await {
                Ok(found) => found.map(|views| {
                    crate::application_pages::lines(
                        ctx,
                        &views,
                        crate::application_pages::ListedOn::Posting,
                        state.app.today(),
                        retry.as_ref(),
                    )
                }),
                Err(error) => return app_error_page(ctx, error),
            };
            let apply_as = if record.open {
                match state.app.seeker_applicant(actor).await {
                    Ok(found) => found,
                    Err(error) => return app_error_page(ctx, error),
                }
            } else {
                None
            };
            let extras = ShowExtras {
                can_write: manages && App::can_write_postings(actor),
                candidates,
                why_form: actor
                    .role
                    .permits(ablework_domain::roles::Permission::PersonRead)
                    && actor.role != ablework_domain::roles::Role::Seeker,
                applications,
                // A job seeker applies for themself, from the posting.
                apply_as,
                errors,
            };
            show_page(ctx, &record, extras)
        }
        Err(error) => app_error_page(ctx, error),
    }
}

async fn set_open(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let open = first(&pairs, "open") == "1";
    match state.app.set_posting_open(&session.actor, id, open).await {
        Ok(_) => Redirect::to(&format!("/jobs/{id}?saved=1")).into_response(),
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- the form ----------------------------------------------------------------------------

struct DemandRow {
    field: String,
    label: &'static str,
    level: String,
    error: Option<String>,
}

struct OccupationGroup {
    label: &'static str,
    options: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "job_form.html")]
struct FormPage {
    layout: Layout,
    errors: Vec<FormError>,
    action: String,
    back: String,
    lead: &'static str,
    show_employer: bool,
    employer_id: String,
    title: String,
    occupation: String,
    occupations: Vec<OccupationGroup>,
    district: String,
    districts: Vec<(String, String)>,
    address: String,
    remote_possible: bool,
    hours: String,
    hours_options: Vec<(String, String)>,
    monthly_wage: String,
    education_required: String,
    educations: Vec<(String, String)>,
    skills: String,
    demands: Vec<DemandRow>,
    levels: Vec<(String, String)>,
    accommodations: Vec<(String, String, bool)>,
    reserved_for_disabled: bool,
    posts: String,
}

impl FormPage {
    fn err(&self, name: &str) -> Option<&str> {
        error_for(&self.errors, name)
    }
}

/// Where the form goes.
enum FormKind {
    New,
    Change { id: i64 },
}

fn form_page(
    ctx: &Ctx,
    kind: &FormKind,
    show_employer: bool,
    input: &PostingInput,
    errors: Vec<FormError>,
) -> Response {
    let t = ctx.text();
    let lang = ctx.lang;
    let (title, action, back, lead) = match kind {
        FormKind::New => (
            t.get("jobs.new"),
            "/jobs/new".to_owned(),
            "/jobs".to_owned(),
            t.get("jobs.new.lead"),
        ),
        FormKind::Change { id } => (
            t.get("jobs.edit"),
            format!("/jobs/{id}/edit"),
            format!("/jobs/{id}"),
            t.get("jobs.edit.lead"),
        ),
    };
    let demands = Demand::ALL
        .iter()
        .map(|d| {
            let field = demand_field(*d);
            DemandRow {
                level: input
                    .demands
                    .iter()
                    .find(|(code, _)| code == d.code())
                    .map(|(_, level)| level.clone())
                    .unwrap_or_default(),
                error: error_for(&errors, &field).map(str::to_owned),
                field,
                label: d.label(lang),
            }
        })
        .collect();
    let mut levels = vec![(String::new(), t.get("jobs.demand.none").to_owned())];
    levels.extend(
        DemandLevel::ALL
            .iter()
            .map(|l| (l.code().to_owned(), l.label(lang).to_owned())),
    );
    let mut educations = vec![(String::new(), t.get("jobs.education.none").to_owned())];
    educations.extend(
        Education::ALL
            .iter()
            .map(|e| (e.code().to_owned(), e.label(lang).to_owned())),
    );
    let code = status_code(&errors);
    let page = FormPage {
        layout: Layout::new(ctx, title),
        errors,
        action,
        back,
        lead,
        show_employer,
        employer_id: input.employer_id.clone(),
        title: input.title.clone(),
        occupation: input.occupation.clone(),
        occupations: major_groups()
            .map(|m| OccupationGroup {
                label: m.label(lang),
                options: SubMajorGroup::ALL
                    .iter()
                    .filter(|s| s.major() == m)
                    .map(|s| {
                        (
                            s.code().to_owned(),
                            format!("{} {}", s.code(), s.label(lang)),
                        )
                    })
                    .collect(),
            })
            .collect(),
        district: input.district.clone(),
        districts: district_options(lang),
        address: input.address.clone(),
        remote_possible: input.remote_possible,
        hours: input.hours.clone(),
        hours_options: Hours::ALL
            .iter()
            .map(|h| (h.code().to_owned(), h.label(lang).to_owned()))
            .collect(),
        monthly_wage: input.monthly_wage.clone(),
        education_required: input.education_required.clone(),
        educations,
        skills: input.skills.clone(),
        demands,
        levels,
        accommodations: Accommodation::ALL
            .iter()
            .map(|a| {
                (
                    a.code().to_owned(),
                    a.label(lang).to_owned(),
                    input.accommodations.iter().any(|c| c == a.code()),
                )
            })
            .collect(),
        reserved_for_disabled: input.reserved_for_disabled,
        posts: input.posts.clone(),
    };
    (code, page).into_response()
}

/// The posting a form sent: a demand whose radio is "not required" is
/// left out; a `demand_…` field the catalogue does not know is kept, so
/// that validation names it.
fn posting_input(pairs: &Pairs) -> PostingInput {
    PostingInput {
        employer_id: first(pairs, "employer_id"),
        title: first(pairs, "title"),
        occupation: first(pairs, "occupation"),
        district: first(pairs, "district"),
        address: first(pairs, "address"),
        remote_possible: first(pairs, "remote_possible") == "on",
        hours: first(pairs, "hours"),
        monthly_wage: first(pairs, "monthly_wage"),
        education_required: first(pairs, "education_required"),
        skills: first(pairs, "skills"),
        demands: pairs
            .iter()
            .filter_map(|(k, v)| {
                let code = k.strip_prefix("demand_")?;
                (!v.is_empty()).then(|| (code.to_owned(), v.clone()))
            })
            .collect(),
        accommodations: all(pairs, "accommodations"),
        reserved_for_disabled: first(pairs, "reserved_for_disabled") == "on",
        posts: first(pairs, "posts"),
    }
}

#[derive(Debug, Default, Deserialize)]
struct NewParams {
    employer: Option<String>,
}

async fn new_form(ctx: Ctx, Query(params): Query<NewParams>) -> Response {
    let session = session_or_return!(ctx);
    let actor = &session.actor;
    if !App::can_write_postings(actor) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    let input = PostingInput {
        employer_id: params.employer.unwrap_or_default(),
        hours: Hours::FullTime.code().to_owned(),
        posts: "1".to_owned(),
        reserved_for_disabled: true,
        ..PostingInput::default()
    };
    let show_employer = actor.role != ablework_domain::roles::Role::Employer;
    form_page(&ctx, &FormKind::New, show_employer, &input, Vec::new())
}

async fn create(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Pairs>) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let actor = &session.actor;
    let input = posting_input(&pairs);
    match state.app.create_posting(actor, &input).await {
        Ok(record) => Redirect::to(&format!("/jobs/{}?saved=1", record.id)).into_response(),
        Err(AppError::Invalid(fields)) => {
            let show_employer = actor.role != ablework_domain::roles::Role::Employer;
            form_page(
                &ctx,
                &FormKind::New,
                show_employer,
                &input,
                form_errors(&fields, ctx.lang),
            )
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    let actor = &session.actor;
    if !App::can_write_postings(actor) {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    match state.app.managed_posting(actor, id).await {
        Ok(record) => form_page(
            &ctx,
            &FormKind::Change { id },
            false,
            &PostingInput::from_record(&record),
            Vec::new(),
        ),
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
    let input = posting_input(&pairs);
    match state.app.update_posting(&session.actor, id, &input).await {
        Ok(_) => Redirect::to(&format!("/jobs/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(fields)) => form_page(
            &ctx,
            &FormKind::Change { id },
            false,
            &input,
            form_errors(&fields, ctx.lang),
        ),
        Err(error) => app_error_page(&ctx, error),
    }
}
