//! Where matching shows on pages: the recommended jobs on a person's page,
//! the verdict on one person and one posting ("why not",
//! `/persons/{id}/jobs/{posting_id}`), and the consenting candidates on a
//! posting's page. Every result lists each factor's contribution in words.

use ablework_app::App;
use ablework_app::postings::JobPostingRecord;
use ablework_app::recommendations::{Candidates, DEFAULT_TOP, Recommendations};
use ablework_domain::matching::{Match, Verdict};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::pages::{app_error_page, district_name, id_or_return, session_or_return};
use crate::view::Layout;

/// The matching routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/jobs/{posting_id}", get(verdict))
        .route("/jobs/{id}/why", get(why_form))
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
    }
}

/// The recommendations section of a person's page.
pub(crate) struct RecommendationSection {
    pub jobs: Vec<MatchView>,
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
    let jobs: Vec<MatchView> = found
        .jobs
        .iter()
        .map(|(posting, matched)| {
            let mut view = job_match(ctx, posting, matched);
            if let Some(applied) = applied
                && !applied.contains(&posting.id)
            {
                view.apply = Some((
                    format!("/persons/{}/applications", found.person.id),
                    posting.id,
                ));
            }
            view
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
    RecommendationSection { jobs, empty, notes }
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

#[derive(Template, WebTemplate)]
#[template(path = "match_verdict.html")]
struct VerdictPage {
    layout: Layout,
    person_id: i64,
    person_name: String,
    posting_id: i64,
    posting_title: String,
    matched: Option<MatchView>,
    excluded: Option<String>,
}

async fn verdict(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, posting_id)): Path<(String, String)>,
) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    let posting_id = id_or_return!(ctx, posting_id);
    match state.app.why_not(&session.actor, id, posting_id).await {
        Ok(found) => {
            let t = ctx.text();
            let (matched, excluded) = match &found.verdict {
                Verdict::Matched(matched) => (Some(job_match(&ctx, &found.posting, matched)), None),
                Verdict::Excluded(excluded) => (None, Some(excluded.exclusion.describe(ctx.lang))),
            };
            let title = format!(
                "{}{}",
                t.get("match.verdict.title"),
                crate::pages::bracket(ctx.lang, &found.posting.fields.title)
            );
            VerdictPage {
                layout: Layout::new(&ctx, title),
                person_id: found.person.id,
                person_name: found.person.name_masked.clone(),
                posting_id: found.posting.id,
                posting_title: found.posting.fields.title.clone(),
                matched,
                excluded,
            }
            .into_response()
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
