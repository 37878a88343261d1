//! Where matching shows on pages: the recommended jobs on a person's page,
//! the verdict on one person and one posting ("why not",
//! `/persons/{id}/jobs/{posting_id}`), and the consenting candidates on a
//! posting's page. Every result lists each factor's contribution in words.

use ablework_app::App;
use ablework_app::export::WorkListing;
use ablework_app::postings::JobPostingRecord;
use ablework_app::recommendations::{
    Candidates, DEFAULT_TOP, MarkEntry, MarkInput, RecommendationMark, Recommendations,
    WorkListEntry,
};
use ablework_domain::application::{CounsellorDecision, HideReason};
use ablework_domain::lang::Lang;
use ablework_domain::matching::{Match, Verdict};
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
use crate::export::{Downloads, ListFile, download};
use crate::i18n::Text;
use crate::pages::{
    app_error_page, district_name, form_session_or_return, id_or_return, session_or_return,
};
use crate::view::{FormError, Layout, Pager, Pairs, error_for, first, form_errors, local_time};

/// The matching routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/jobs/{posting_id}", get(verdict))
        .route("/persons/{id}/jobs/{posting_id}/{form}", post(mark))
        .route("/jobs/{id}/why", get(why_form))
        .route("/work-list", get(work_list))
        .route("/work-list/export", get(download::<WorkListFile>))
}

/// One factor's contribution, in words.
pub(crate) struct FactorLine {
    pub label: &'static str,
    pub points: u32,
    pub weight: u32,
    pub reason: String,
}

/// One match as a page shows it.
pub(crate) struct MatchView {
    /// The posting's title or the candidate's masked name.
    pub title: String,
    /// Where the title links; `None` when the reader may not open it (an
    /// employer's HR sees candidates, not their records).
    pub href: Option<String>,
    /// The employer or the candidate's district, and more.
    pub detail: String,
    pub score: u32,
    pub arrangement: &'static str,
    pub factors: Vec<FactorLine>,
    /// Conflicts the job's accommodations cover, in words.
    pub accommodated: Vec<String>,
    /// Where the "apply" form posts, with the posting's id, when the
    /// reader may apply the person to this job.
    pub apply: Option<(String, i64)>,
    /// The verdict page, where the job can be hidden or decided on.
    pub verdict: Option<String>,
    /// A counsellor's decision on it, in words.
    pub decision: Option<MarkLine>,
}

fn factor_lines(ctx: &Ctx, matched: &Match) -> (Vec<FactorLine>, Vec<String>) {
    let lang = ctx.lang;
    let factors = matched
        .factors
        .iter()
        .map(|f| FactorLine {
            label: f.factor.label(lang),
            points: f.points,
            weight: f.weight,
            reason: f.reason.describe(lang),
        })
        .collect();
    let accommodated = matched
        .accommodated
        .iter()
        .map(|a| a.describe(lang))
        .collect();
    (factors, accommodated)
}

/// A recommended job.
pub(crate) fn job_match(ctx: &Ctx, posting: &JobPostingRecord, matched: &Match) -> MatchView {
    let (factors, accommodated) = factor_lines(ctx, matched);
    MatchView {
        title: posting.fields.title.clone(),
        href: Some(format!("/jobs/{}", posting.id)),
        detail: format!(
            "{} · {}",
            posting.employer_name,
            district_name(&posting.fields.district_code, ctx.lang)
        ),
        score: matched.score,
        arrangement: matched.arrangement.label(ctx.lang),
        factors,
        accommodated,
        apply: None,
        verdict: None,
        decision: None,
    }
}

/// A job left out of a person's recommendations, and why.
pub(crate) struct HiddenJob {
    pub title: String,
    pub verdict: String,
    pub hidden: Option<MarkLine>,
    pub decision: Option<MarkLine>,
}

/// The recommendations section of a person's page.
pub(crate) struct RecommendationSection {
    pub jobs: Vec<MatchView>,
    /// Jobs the person hid or a counsellor found not suitable.
    pub hidden: Vec<HiddenJob>,
    /// Why the list is empty, when it is.
    pub empty: Option<&'static str>,
    /// Notes on what the list could not use (no assessment, no need).
    pub notes: Vec<&'static str>,
}

/// `applied` is `Some` (the postings the person has applied to already)
/// when the reader may apply the person to the other jobs.
pub(crate) fn recommendation_section(
    ctx: &Ctx,
    found: &Recommendations,
    applied: Option<&[i64]>,
) -> RecommendationSection {
    let t = ctx.text();
    let person_id = found.person.id;
    let jobs: Vec<MatchView> = found
        .jobs
        .iter()
        .map(|job| {
            let posting = &job.posting;
            let mut view = job_match(ctx, posting, &job.matched);
            if let Some(applied) = applied
                && !applied.contains(&posting.id)
            {
                view.apply = Some((format!("/persons/{person_id}/applications"), posting.id));
            }
            view.verdict = Some(format!("/persons/{person_id}/jobs/{}", posting.id));
            view.decision = mark_lines(job.mark.as_ref(), ctx.lang).1;
            view
        })
        .collect();
    let hidden = found
        .hidden
        .iter()
        .map(|(posting, mark)| {
            let (hidden, decision) = mark_lines(Some(mark), ctx.lang);
            HiddenJob {
                title: posting.fields.title.clone(),
                verdict: format!("/persons/{person_id}/jobs/{}", posting.id),
                hidden,
                decision,
            }
        })
        .collect();
    let empty = if !jobs.is_empty() {
        None
    } else if !found.person.working_age {
        Some(t.get("match.empty.working_age"))
    } else if !found.person.active {
        Some(t.get("match.empty.inactive"))
    } else if found.open_postings == 0 {
        Some(t.get("match.empty.no_postings"))
    } else {
        Some(t.get("match.empty.none_fit"))
    };
    let mut notes = Vec::new();
    if !found.assessed {
        notes.push(t.get("match.note.no_assessment"));
    }
    if !found.need_registered {
        notes.push(t.get("match.note.no_need"));
    }
    RecommendationSection {
        jobs,
        hidden,
        empty,
        notes,
    }
}

/// The candidates section of a posting's page.
pub(crate) struct CandidateSection {
    pub candidates: Vec<MatchView>,
    pub empty: Option<&'static str>,
}

pub(crate) fn candidate_section(
    ctx: &Ctx,
    actor: &ablework_app::Actor,
    found: &Candidates,
) -> CandidateSection {
    let t = ctx.text();
    let candidates: Vec<MatchView> = found
        .candidates
        .iter()
        .map(|candidate| {
            let (factors, accommodated) = factor_lines(ctx, &candidate.matched);
            let person = &candidate.person;
            MatchView {
                title: person.name_masked.clone(),
                href: actor
                    .may_read_person(person.id, &person.district_code)
                    .then(|| format!("/persons/{}/jobs/{}", person.id, found.posting.id)),
                detail: format!(
                    "{} · {}",
                    district_name(&person.district_code, ctx.lang),
                    person.category.label(ctx.lang)
                ),
                score: candidate.matched.score,
                arrangement: candidate.matched.arrangement.label(ctx.lang),
                factors,
                accommodated,
                apply: None,
                verdict: None,
                decision: None,
            }
        })
        .collect();
    let empty = if !candidates.is_empty() {
        None
    } else if !found.posting.open {
        Some(t.get("match.candidates.closed"))
    } else if found.consenting == 0 {
        Some(t.get("match.candidates.no_consent"))
    } else {
        Some(t.get("match.candidates.none_fit"))
    };
    CandidateSection { candidates, empty }
}

/// Candidates for a posting's page, if the actor may see them.
pub(crate) async fn candidates_for(
    state: &AppState,
    ctx: &Ctx,
    actor: &ablework_app::Actor,
    posting_id: i64,
) -> Result<Option<CandidateSection>, ablework_app::AppError> {
    if !App::can_see_candidates(actor) {
        return Ok(None);
    }
    let found = state.app.candidates(actor, posting_id, DEFAULT_TOP).await?;
    Ok(Some(candidate_section(ctx, actor, &found)))
}

/// One half of a mark in words: what, the note, who and when.
pub(crate) struct MarkLine {
    pub value: &'static str,
    pub note: String,
    pub by: String,
}

fn mark_line<T: Copy>(
    entry: &MarkEntry<T>,
    label: impl Fn(T, Lang) -> &'static str,
    lang: Lang,
) -> MarkLine {
    MarkLine {
        value: label(entry.value, lang),
        note: entry.note.clone(),
        by: format!(
            "{} {}",
            entry.recorded.username.clone().unwrap_or_default(),
            local_time(entry.recorded.at, "%Y-%m-%d")
        )
        .trim()
        .to_owned(),
    }
}

/// A mark's two halves in words: hidden (why), and the counsellor's
/// decision.
pub(crate) fn mark_lines(
    mark: Option<&RecommendationMark>,
    lang: Lang,
) -> (Option<MarkLine>, Option<MarkLine>) {
    let Some(mark) = mark else {
        return (None, None);
    };
    (
        mark.hidden
            .as_ref()
            .map(|h| mark_line(h, HideReason::label, lang)),
        mark.decision
            .as_ref()
            .map(|d| mark_line(d, CounsellorDecision::label, lang)),
    )
}

/// A form of the verdict page sent back with its errors.
#[derive(Default)]
struct MarkRetry {
    /// `hide` or `decision`.
    form: &'static str,
    value: String,
    note: String,
    errors: Vec<FormError>,
}

#[derive(Template, WebTemplate)]
#[template(path = "match_verdict.html")]
struct VerdictPage {
    layout: Layout,
    errors: Vec<FormError>,
    person_id: i64,
    person_name: String,
    posting_id: i64,
    posting_title: String,
    matched: Option<MatchView>,
    excluded: Option<String>,
    hidden: Option<MarkLine>,
    decision: Option<MarkLine>,
    may_hide: bool,
    may_decide: bool,
    /// Hide reasons: code, name, checked.
    reasons: Vec<(&'static str, &'static str, bool)>,
    /// Decisions: code, name, checked.
    decisions: Vec<(&'static str, &'static str, bool)>,
    hide_note: String,
    decision_note: String,
}

impl VerdictPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn verdict(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, posting_id)): Path<(String, String)>,
) -> Response {
    let _session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    let posting_id = id_or_return!(ctx, posting_id);
    verdict_with(&state, &ctx, id, posting_id, MarkRetry::default()).await
}

async fn verdict_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    posting_id: i64,
    retry: MarkRetry,
) -> Response {
    let Some(session) = ctx.session.as_ref() else {
        return app_error_page(ctx, ablework_app::AppError::Unauthenticated);
    };
    let found = match state.app.why_not(&session.actor, id, posting_id).await {
        Ok(found) => found,
        Err(error) => return app_error_page(ctx, error),
    };
    let t = ctx.text();
    let lang = ctx.lang;
    let (matched, excluded) = match &found.verdict {
        Verdict::Matched(matched) => (Some(job_match(ctx, &found.posting, matched)), None),
        Verdict::Excluded(excluded) => (None, Some(excluded.exclusion.describe(lang))),
    };
    let title = format!(
        "{}{}",
        t.get("match.verdict.title"),
        crate::pages::bracket(lang, &found.posting.fields.title)
    );
    let (hidden, decision) = mark_lines(found.mark.as_ref(), lang);
    let chosen = |form: &str| {
        if retry.form == form {
            retry.value.as_str()
        } else {
            ""
        }
    };
    let reasons = HideReason::ALL
        .iter()
        .map(|r| (r.code(), r.label(lang), r.code() == chosen("hide")))
        .collect();
    let current = found
        .mark
        .as_ref()
        .and_then(|m| m.decision.as_ref())
        .map_or("", |d| d.value.code());
    let decided = if retry.form == "decision" {
        retry.value.as_str()
    } else {
        current
    };
    let decisions = CounsellorDecision::ALL
        .iter()
        .map(|d| (d.code(), d.label(lang), d.code() == decided))
        .collect();
    let note = |form: &str| {
        if retry.form == form {
            retry.note.clone()
        } else {
            String::new()
        }
    };
    let status = if retry.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = VerdictPage {
        layout: Layout::new(ctx, title),
        person_id: found.person.id,
        person_name: found.person.name_masked.clone(),
        posting_id: found.posting.id,
        posting_title: found.posting.fields.title.clone(),
        matched,
        excluded,
        hidden,
        decision,
        may_hide: found.may_hide,
        may_decide: found.may_decide,
        reasons,
        decisions,
        hide_note: note("hide"),
        decision_note: note("decision"),
        errors: retry.errors,
    };
    (status, page).into_response()
}

/// The ids of the verdict page's forms' fields: the hide form's are the
/// app's own (`reason`, `note`); the decision form's are `decision` and
/// `decision_note`.
fn mark_field(form: &str, field: &str) -> String {
    if form == "decision" && field == "note" {
        "decision_note".to_owned()
    } else {
        field.to_owned()
    }
}

/// Hides a job, shows it again, or records a decision, from the verdict
/// page's forms; errors come back on the page.
async fn mark(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, posting_id, form)): Path<(String, String, String)>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let posting_id = id_or_return!(ctx, posting_id);
    let actor = &session.actor;
    let (form, value_field, note_field): (&'static str, &str, &str) = match form.as_str() {
        "hide" => ("hide", "reason", "note"),
        "decision" => ("decision", "decision", "decision_note"),
        "unhide" => ("unhide", "", ""),
        _ => return app_error_page(&ctx, ablework_app::AppError::NotFound),
    };
    let input = MarkInput {
        value: first(&pairs, value_field),
        note: first(&pairs, note_field),
    };
    let app = &state.app;
    let done = match form {
        "hide" => app.hide_recommendation(actor, id, posting_id, &input).await,
        "decision" => {
            app.decide_recommendation(actor, id, posting_id, &input)
                .await
        }
        _ => app.unhide_recommendation(actor, id, posting_id).await,
    };
    match done {
        Ok(_) => Redirect::to(&format!("/persons/{id}?saved=1#recommended-title")).into_response(),
        Err(ablework_app::AppError::Invalid(fields)) => {
            let errors = form_errors(&fields, ctx.lang)
                .into_iter()
                .map(|e| FormError {
                    field: mark_field(form, &e.field),
                    message: e.message,
                })
                .collect();
            let retry = MarkRetry {
                form,
                value: input.value,
                note: input.note,
                errors,
            };
            verdict_with(&state, &ctx, id, posting_id, retry).await
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

#[derive(Debug, Deserialize)]
struct WhyQuery {
    #[serde(default)]
    person: String,
}

/// The "why not this job?" form on a posting's page asks for a person's
/// record id; this sends the browser to the verdict page.
async fn why_form(ctx: Ctx, Path(id): Path<String>, Query(query): Query<WhyQuery>) -> Response {
    let _session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    let person = id_or_return!(ctx, query.person.trim());
    Redirect::to(&format!("/persons/{person}/jobs/{id}")).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct WorkListQuery {
    #[serde(default)]
    district: String,
    #[serde(default)]
    page: String,
}

/// One person's row of the work list.
struct WorkRow {
    id: i64,
    name: String,
    category: &'static str,
    district: String,
    /// Each job: title, employer, score, the verdict page.
    jobs: Vec<(String, String, u32, String)>,
}

impl WorkRow {
    fn new(entry: &WorkListEntry, lang: Lang) -> WorkRow {
        WorkRow {
            id: entry.person.id,
            name: entry.person.name_masked.clone(),
            category: entry.person.category.label(lang),
            district: district_name(&entry.person.district_code, lang),
            jobs: entry
                .jobs
                .iter()
                .map(|(posting, matched)| {
                    (
                        posting.fields.title.clone(),
                        posting.employer_name.clone(),
                        matched.score,
                        format!("/persons/{}/jobs/{}", entry.person.id, posting.id),
                    )
                })
                .collect(),
        }
    }
}

/// The work list as a file: the page's columns, a person's best jobs in
/// one cell.
pub(crate) struct WorkListFile;

impl ListFile for WorkListFile {
    type Params = WorkListQuery;
    type Listing = WorkListing;
    const STEM: &'static str = "work-list";
    const TITLE: &'static str = "work_list.title";
    const COLUMNS: &'static [&'static str] = &[
        "persons.name",
        "persons.category",
        "work_list.district_col",
        "work_list.jobs",
    ];

    fn listing(params: WorkListQuery, _: Option<i64>) -> WorkListing {
        WorkListing {
            district: params.district.trim().to_owned(),
        }
    }

    fn cells(entry: &WorkListEntry, t: Text) -> Vec<String> {
        let row = WorkRow::new(entry, t.0);
        let jobs: Vec<String> = row
            .jobs
            .iter()
            .map(|(title, employer, score, _)| {
                format!("{title} · {employer} · {} {score}", t.get("match.score"))
            })
            .collect();
        vec![
            row.name,
            row.category.to_owned(),
            row.district,
            jobs.join("; "),
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "work_list.html")]
struct WorkListPage {
    layout: Layout,
    /// District choices (the city administrator only): code, name.
    districts: Vec<(String, String)>,
    district: String,
    looking: usize,
    total: usize,
    downloads: Option<Downloads>,
    rows: Vec<WorkRow>,
    pager: Pager,
}

/// How many people a page of the work list shows.
const WORK_LIST_PAGE: usize = 25;

/// The work list: people of a district looking for work with no
/// application under way, for whom open jobs fit, each with the best jobs.
async fn work_list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<WorkListQuery>,
) -> Response {
    let session = session_or_return!(ctx);
    let page: usize = query.page.trim().parse().unwrap_or(1).max(1);
    let actor = &session.actor;
    let found = match state
        .app
        .work_list(actor, Some(query.district.trim()), page, WORK_LIST_PAGE)
        .await
    {
        Ok(found) => found,
        Err(error) => return app_error_page(&ctx, error),
    };
    let lang = ctx.lang;
    let rows = found
        .people
        .iter()
        .map(|entry| WorkRow::new(entry, lang))
        .collect();
    let district = found.district.clone().unwrap_or_default();
    let districts = if actor.district_code.is_none() {
        crate::job_pages::district_options(lang)
    } else {
        Vec::new()
    };
    let pager = Pager::new(
        "/work-list",
        &[("district", district.clone())],
        u32::try_from(page).unwrap_or(u32::MAX),
        u32::try_from(WORK_LIST_PAGE).unwrap_or(u32::MAX),
        found.total as u64,
    );
    WorkListPage {
        downloads: Downloads::offered::<WorkListing>(
            actor,
            "/work-list/export",
            &[("district", district.clone())],
        ),
        layout: Layout::new(&ctx, ctx.text().get("work_list.title")),
        districts,
        district,
        looking: found.looking,
        total: found.total,
        rows,
        pager,
    }
    .into_response()
}
