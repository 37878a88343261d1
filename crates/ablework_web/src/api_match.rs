//! The JSON API of matching: the jobs recommended to a person, the verdict
//! on one person and one posting ("why not"), and a posting's consenting
//! candidates. Every match carries every factor with its points, weight
//! and reason in the caller's language. The application layer decides who
//! may see what (`ablework_app::recommendations`); the handlers translate.

use ablework_app::postings::JobPostingRecord;
use ablework_app::recommendations::{
    DEFAULT_TOP, MAX_TOP, MarkEntry, MarkInput, RecommendationMark, Recommended,
};
use ablework_domain::application::{CounsellorDecision, HideReason};
use ablework_domain::lang::Lang;
use ablework_domain::matching::{Match, Verdict};
use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiActor, ApiJson, ApiQuery, path_id};
use crate::error::{ApiError, ErrorBody};

/// The routes of this module, merged into [`crate::api::routes`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/recommendations", get(recommendations))
        .route("/persons/{id}/recommendations/{job_id}", get(verdict))
        .route(
            "/persons/{id}/recommendations/{job_id}/hidden",
            put(hide).delete(unhide),
        )
        .route(
            "/persons/{id}/recommendations/{job_id}/decision",
            put(decide),
        )
        .route("/jobs/{id}/candidates", get(candidates))
        .route("/work-list", get(work_list))
}

/// How many results.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TopParams {
    /// How many, 1–50 (default 10).
    pub n: Option<usize>,
}

impl TopParams {
    fn n(&self) -> usize {
        self.n.unwrap_or(DEFAULT_TOP).clamp(1, MAX_TOP)
    }
}

/// One factor's contribution to a score.
#[derive(Debug, Serialize, ToSchema)]
pub struct FactorBody {
    /// `occupation`, `skills`, `education`, `hours`, `wage`, `travel` or
    /// `reserved`.
    pub factor: String,
    /// The factor's name.
    pub label: String,
    /// Points given, at most `weight`.
    pub points: u32,
    /// The factor's weight.
    pub weight: u32,
    /// Why, in words.
    pub reason: String,
}

/// A match: the score and every factor, in the engine's order.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchBody {
    /// The score, 0–100.
    pub score: u32,
    /// `on_site` or `remote`.
    pub arrangement: String,
    /// Every factor.
    pub factors: Vec<FactorBody>,
    /// Conflicts the job's accommodations cover, in words.
    pub accommodated: Vec<String>,
}

impl MatchBody {
    fn new(matched: &Match, lang: Lang) -> MatchBody {
        MatchBody {
            score: matched.score,
            arrangement: matched.arrangement.code().to_owned(),
            factors: matched
                .factors
                .iter()
                .map(|f| FactorBody {
                    factor: f.factor.code().to_owned(),
                    label: f.factor.label(lang).to_owned(),
                    points: f.points,
                    weight: f.weight,
                    reason: f.reason.describe(lang),
                })
                .collect(),
            accommodated: matched
                .accommodated
                .iter()
                .map(|a| a.describe(lang))
                .collect(),
        }
    }
}

/// What the person or a counsellor said about a job: a reason for hiding
/// it, or a decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarkBody {
    /// The reason's or decision's code.
    pub code: String,
    /// Its name.
    pub label: String,
    /// The note (may be empty).
    pub note: String,
    /// Who recorded it.
    pub by: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

impl MarkBody {
    fn new<T: Copy>(
        entry: &MarkEntry<T>,
        code: fn(T) -> &'static str,
        label: fn(T, Lang) -> &'static str,
        lang: Lang,
    ) -> MarkBody {
        MarkBody {
            code: code(entry.value).to_owned(),
            label: label(entry.value, lang).to_owned(),
            note: entry.note.clone(),
            by: entry.recorded.username.clone(),
            at: entry.recorded.at.to_rfc3339(),
        }
    }

    fn hidden(mark: Option<&RecommendationMark>, lang: Lang) -> Option<MarkBody> {
        let hidden = mark?.hidden.as_ref()?;
        Some(MarkBody::new(
            hidden,
            HideReason::code,
            HideReason::label,
            lang,
        ))
    }

    fn decision(mark: Option<&RecommendationMark>, lang: Lang) -> Option<MarkBody> {
        let decision = mark?.decision.as_ref()?;
        Some(MarkBody::new(
            decision,
            CounsellorDecision::code,
            CounsellorDecision::label,
            lang,
        ))
    }
}

/// A recommended job.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendedJobBody {
    /// The posting's id.
    pub job_id: i64,
    /// Its title.
    pub title: String,
    /// The employer's name.
    pub employer_name: String,
    /// The workplace's district (code).
    pub district: String,
    /// The match.
    #[serde(rename = "match")]
    pub matched: MatchBody,
    /// A counsellor's decision on it.
    pub decision: Option<MarkBody>,
}

impl RecommendedJobBody {
    fn new(
        posting: &JobPostingRecord,
        matched: &Match,
        mark: Option<&RecommendationMark>,
        lang: Lang,
    ) -> RecommendedJobBody {
        RecommendedJobBody {
            job_id: posting.id,
            title: posting.fields.title.clone(),
            employer_name: posting.employer_name.clone(),
            district: posting.fields.district_code.clone(),
            matched: MatchBody::new(matched, lang),
            decision: MarkBody::decision(mark, lang),
        }
    }
}

/// A job left out of a person's recommendations.
#[derive(Debug, Serialize, ToSchema)]
pub struct HiddenJobBody {
    /// The posting's id.
    pub job_id: i64,
    /// Its title.
    pub title: String,
    /// Hidden by the person, and why.
    pub hidden: Option<MarkBody>,
    /// A counsellor's decision (`not_suitable` leaves it out).
    pub decision: Option<MarkBody>,
}

/// A person's marks on one job, after a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarkStateBody {
    /// The person's record id.
    pub person_id: i64,
    /// The posting's id.
    pub job_id: i64,
    /// Hidden by the person, and why.
    pub hidden: Option<MarkBody>,
    /// A counsellor's decision.
    pub decision: Option<MarkBody>,
}

impl MarkStateBody {
    fn new(mark: &RecommendationMark, lang: Lang) -> MarkStateBody {
        MarkStateBody {
            person_id: mark.person_id,
            job_id: mark.posting_id,
            hidden: MarkBody::hidden(Some(mark), lang),
            decision: MarkBody::decision(Some(mark), lang),
        }
    }
}

/// Why a person hides a job.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HideBody {
    /// `not_interested`, `too_far`, `wage_too_low`, `hours`, `access`,
    /// `applied_elsewhere` or `other` (a note is required).
    pub reason: String,
    /// Free text, up to 500 characters.
    #[serde(default)]
    pub note: String,
}

/// A counsellor's decision on a job for a person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// `encourage`, `not_suitable` (takes the job out of the person's
    /// recommendations) or `on_hold`.
    pub decision: String,
    /// Free text, up to 500 characters.
    #[serde(default)]
    pub note: String,
}

/// The jobs recommended to a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationsBody {
    /// The person's record id.
    pub person_id: i64,
    /// Whether of working age (nobody else gets recommendations).
    pub working_age: bool,
    /// Whether an approved assessment was used; without one, jobs'
    /// functional demands are not checked.
    pub assessed: bool,
    /// Whether a registered need was used.
    pub need_registered: bool,
    /// Postings open city-wide.
    pub open_postings: usize,
    /// The best jobs, best first.
    pub items: Vec<RecommendedJobBody>,
    /// Open jobs left out: hidden by the person or found not suitable.
    pub hidden: Vec<HiddenJobBody>,
}

/// The hard constraint that excludes a job.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExclusionBody {
    /// `closed`, `below_working_age`, `past_working_age`, `outside_area`,
    /// `no_access` or `conflict`.
    pub kind: String,
    /// In words.
    pub description: String,
}

/// The verdict on one person and one posting.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerdictBody {
    /// The person's record id.
    pub person_id: i64,
    /// The posting's id.
    pub job_id: i64,
    /// `matched` or `excluded`.
    pub verdict: String,
    /// The match, when matched.
    #[serde(rename = "match")]
    pub matched: Option<MatchBody>,
    /// Why not, when excluded.
    pub exclusion: Option<ExclusionBody>,
    /// Hidden by the person, and why.
    pub hidden: Option<MarkBody>,
    /// A counsellor's decision.
    pub decision: Option<MarkBody>,
}

/// A candidate for a posting (masked).
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateBody {
    /// The person's record id.
    pub person_id: i64,
    /// The name, masked (`张*`).
    pub name_masked: String,
    /// District of service (code).
    pub district: String,
    /// The match.
    #[serde(rename = "match")]
    pub matched: MatchBody,
}

/// A posting's candidates.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidatesBody {
    /// The posting's id.
    pub job_id: i64,
    /// People looking for work who consent to sharing with employers.
    pub consenting: usize,
    /// The best candidates, best first.
    pub items: Vec<CandidateBody>,
}

/// The open postings that best fit a person you may read (a job seeker:
/// themself), best first, each with every factor explained.
#[utoipa::path(get, path = "/api/v1/persons/{id}/recommendations", tag = "matching", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Person's record id"), TopParams),
    responses((status = 200, body = RecommendationsBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn recommendations(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<TopParams>,
) -> Result<Json<RecommendationsBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let found = state
        .app
        .recommended_jobs(&caller.actor, id, params.n())
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(RecommendationsBody {
        person_id: found.person.id,
        working_age: found.person.working_age,
        assessed: found.assessed,
        need_registered: found.need_registered,
        open_postings: found.open_postings,
        items: found
            .jobs
            .iter()
            .map(|job: &Recommended| {
                RecommendedJobBody::new(&job.posting, &job.matched, job.mark.as_ref(), caller.lang)
            })
            .collect(),
        hidden: found
            .hidden
            .iter()
            .map(|(posting, mark)| HiddenJobBody {
                job_id: posting.id,
                title: posting.fields.title.clone(),
                hidden: MarkBody::hidden(Some(mark), caller.lang),
                decision: MarkBody::decision(Some(mark), caller.lang),
            })
            .collect(),
    }))
}

/// The verdict on a person and a posting: matched with every factor, or
/// the hard constraint that excludes it ("why not").
#[utoipa::path(get, path = "/api/v1/persons/{id}/recommendations/{job_id}", tag = "matching", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Person's record id"), ("job_id" = i64, Path, description = "Posting's id")),
    responses((status = 200, body = VerdictBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn verdict(
    State(state): State<AppState>,
    caller: ApiActor,
    Path((id, job_id)): Path<(String, String)>,
) -> Result<Json<VerdictBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let job_id = path_id(&job_id, &caller)?;
    let found = state
        .app
        .why_not(&caller.actor, id, job_id)
        .await
        .map_err(|e| caller.error(e))?;
    let (verdict, matched, exclusion) = match &found.verdict {
        Verdict::Matched(matched) => ("matched", Some(MatchBody::new(matched, caller.lang)), None),
        Verdict::Excluded(excluded) => {
            let kind = serde_json::to_value(excluded.exclusion)
                .ok()
                .and_then(|v| v.get("kind").and_then(|k| k.as_str().map(str::to_owned)))
                .unwrap_or_default();
            (
                "excluded",
                None,
                Some(ExclusionBody {
                    kind,
                    description: excluded.exclusion.describe(caller.lang),
                }),
            )
        }
    };
    Ok(Json(VerdictBody {
        person_id: found.person.id,
        job_id: found.posting.id,
        verdict: verdict.to_owned(),
        matched,
        exclusion,
        hidden: MarkBody::hidden(found.mark.as_ref(), caller.lang),
        decision: MarkBody::decision(found.mark.as_ref(), caller.lang),
    }))
}

/// Hides a job from a person's recommendations, with a reason: the job
/// seeker themself, or staff who may change the person's record. Audited.
#[utoipa::path(put, path = "/api/v1/persons/{id}/recommendations/{job_id}/hidden", tag = "matching", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Person's record id"), ("job_id" = i64, Path, description = "Posting's id")),
    request_body = HideBody,
    responses((status = 200, body = MarkStateBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn hide(
    State(state): State<AppState>,
    caller: ApiActor,
    Path((id, job_id)): Path<(String, String)>,
    body: Result<ApiJson<HideBody>, ApiError>,
) -> Result<Json<MarkStateBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let job_id = path_id(&job_id, &caller)?;
    let ApiJson(body) = body?;
    let input = MarkInput {
        value: body.reason,
        note: body.note,
    };
    let mark = state
        .app
        .hide_recommendation(&caller.actor, id, job_id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(MarkStateBody::new(&mark, caller.lang)))
}

/// Shows a hidden job again. Audited.
#[utoipa::path(delete, path = "/api/v1/persons/{id}/recommendations/{job_id}/hidden", tag = "matching", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Person's record id"), ("job_id" = i64, Path, description = "Posting's id")),
    responses((status = 200, body = MarkStateBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unhide(
    State(state): State<AppState>,
    caller: ApiActor,
    Path((id, job_id)): Path<(String, String)>,
) -> Result<Json<MarkStateBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let job_id = path_id(&job_id, &caller)?;
    let mark = state
        .app
        .unhide_recommendation(&caller.actor, id, job_id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(MarkStateBody::new(&mark, caller.lang)))
}

/// Records a counsellor's decision on a job for a person, replacing an
/// earlier one: staff who may change the person's record. Audited.
#[utoipa::path(put, path = "/api/v1/persons/{id}/recommendations/{job_id}/decision", tag = "matching", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Person's record id"), ("job_id" = i64, Path, description = "Posting's id")),
    request_body = DecisionBody,
    responses((status = 200, body = MarkStateBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    caller: ApiActor,
    Path((id, job_id)): Path<(String, String)>,
    body: Result<ApiJson<DecisionBody>, ApiError>,
) -> Result<Json<MarkStateBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let job_id = path_id(&job_id, &caller)?;
    let ApiJson(body) = body?;
    let input = MarkInput {
        value: body.decision,
        note: body.note,
    };
    let mark = state
        .app
        .decide_recommendation(&caller.actor, id, job_id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(MarkStateBody::new(&mark, caller.lang)))
}

/// Which work list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WorkListParams {
    /// A district's code (the city administrator; a district officer always
    /// gets their own district). Absent: the whole city.
    pub district: Option<String>,
    /// Page, from 1.
    pub page: Option<usize>,
    /// Per page, 1–200 (default 50).
    pub per_page: Option<usize>,
}

/// One person on a work list.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkListItemBody {
    /// The person's record id.
    pub person_id: i64,
    /// The name, masked.
    pub name_masked: String,
    /// District of service (code).
    pub district: String,
    /// The best open jobs, best first.
    pub jobs: Vec<RecommendedJobBody>,
}

/// A work list: people looking for work with no application under way,
/// for whom open jobs fit.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkListBody {
    /// The district, or null for the city.
    pub district: Option<String>,
    /// Active, unemployed people with no application under way.
    pub looking: usize,
    /// How many of them open jobs fit.
    pub total: usize,
    /// This page.
    pub items: Vec<WorkListItemBody>,
}

/// A district's work list of unmatched people with open jobs that fit
/// them: district officers and the city administrator. Audited with the
/// people shown.
#[utoipa::path(get, path = "/api/v1/work-list", tag = "matching", security(("bearer" = [])),
    params(WorkListParams),
    responses((status = 200, body = WorkListBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn work_list(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<WorkListParams>,
) -> Result<Json<WorkListBody>, ApiError> {
    let found = state
        .app
        .work_list(
            &caller.actor,
            params.district.as_deref(),
            params.page.unwrap_or(1),
            params.per_page.unwrap_or(50),
        )
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(WorkListBody {
        district: found.district,
        looking: found.looking,
        total: found.total,
        items: found
            .people
            .iter()
            .map(|entry| WorkListItemBody {
                person_id: entry.person.id,
                name_masked: entry.person.name_masked.clone(),
                district: entry.person.district_code.clone(),
                jobs: entry
                    .jobs
                    .iter()
                    .map(|(posting, matched)| {
                        RecommendedJobBody::new(posting, matched, None, caller.lang)
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// The best candidates for a posting you manage, among people looking for
/// work who consent to sharing with employers; masked; the read is
/// audited with the people shown.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/candidates", tag = "matching", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Posting's id"), TopParams),
    responses((status = 200, body = CandidatesBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn candidates(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<TopParams>,
) -> Result<Json<CandidatesBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let found = state
        .app
        .candidates(&caller.actor, id, params.n())
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(CandidatesBody {
        job_id: found.posting.id,
        consenting: found.consenting,
        items: found
            .candidates
            .iter()
            .map(|c| CandidateBody {
                person_id: c.person.id,
                name_masked: c.person.name_masked.clone(),
                district: c.person.district_code.clone(),
                matched: MatchBody::new(&c.matched, caller.lang),
            })
            .collect(),
    }))
}
