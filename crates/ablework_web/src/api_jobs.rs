//! The JSON API of job postings: the list with its filters, one posting,
//! and the writes that post a job and change, close or reopen one.
//!
//! The conventions are [`crate::api`]'s: bearer tokens, bodies with every
//! field known, the list envelope, the error body (422 names every field
//! that is wrong), 404 outside the caller's scope. Codes are snake_case
//! strings; occupations are ISCO-08 codes (`"41"`). Employers' HR post
//! their own organisation's jobs, officers those of their district's
//! employers, administrators any; job seekers and institutions read open
//! postings. The application layer decides; the handlers only translate.

use ablework_app::postings::{JobPostingRecord, PostingInput, PostingQuery};
use ablework_domain::lang::Lang;
use ablework_domain::roles::Permission;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiActor, ApiJson, ApiQuery, ListBody, path_id};
use crate::api_employers::{NumberText, paging};
use crate::error::{ApiError, ErrorBody};

/// The routes of this module, merged into [`crate::api::routes`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/jobs", get(list_jobs).post(create_job))
        .route("/jobs/{id}", get(get_job).patch(update_job))
}

/// A functional demand of a job with its level.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandBody {
    /// `standing`, `walking`, `lifting`, `fine_motor`, `vision`, `hearing`,
    /// `speech`, `reading`, `phone_use`, `interpersonal` or
    /// `time_pressure`.
    pub demand: String,
    /// `occasional` (a small part of the day) or `frequent` (much or all
    /// of it).
    pub level: String,
}

/// A job posting.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobBody {
    /// Record id.
    pub id: i64,
    /// The employer's record id.
    pub employer_id: i64,
    /// The employer's registered name.
    pub employer_name: String,
    /// The job's title.
    pub title: String,
    /// ISCO-08 sub-major group code (`"41"`).
    pub occupation: String,
    /// Its name in the request's language.
    pub occupation_name: String,
    /// Its ISCO-08 major group code (`"4"`).
    pub major_group: String,
    /// The workplace's district (GB/T 2260 code).
    pub district: String,
    /// The district's name in the request's language.
    pub district_name: String,
    /// The workplace's address.
    pub address: String,
    /// Whether the work can be done from home.
    pub remote_possible: bool,
    /// `full_time`, `part_time` or `flexible`.
    pub hours: String,
    /// Monthly wage, whole yuan.
    pub monthly_wage: u32,
    /// The least education required (an education code), or `null`.
    pub education_required: Option<String>,
    /// Skills required, as tags.
    pub skills: Vec<String>,
    /// The functional demands of the work, in the catalogue's order.
    pub demands: Vec<DemandBody>,
    /// Accommodation codes offered, in the catalogue's order.
    pub accommodations: Vec<String>,
    /// Reserved for persons with disabilities.
    pub reserved_for_disabled: bool,
    /// How many posts.
    pub posts: u32,
    /// Still taking applications.
    pub open: bool,
    /// When it was posted (RFC 3339, UTC).
    pub created_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl JobBody {
    fn from_record(record: &JobPostingRecord, lang: Lang) -> JobBody {
        let fields = &record.fields;
        JobBody {
            id: record.id,
            employer_id: fields.employer_id,
            employer_name: record.employer_name.clone(),
            title: fields.title.clone(),
            occupation: fields.occupation.code().to_owned(),
            occupation_name: fields.occupation.label(lang).to_owned(),
            major_group: fields.occupation.major().code().to_owned(),
            district: fields.district_code.clone(),
            district_name: crate::pages::district_name(&fields.district_code, lang),
            address: fields.address.clone(),
            remote_possible: fields.remote_possible,
            hours: fields.hours.code().to_owned(),
            monthly_wage: fields.monthly_wage,
            education_required: fields.education_required.map(|e| e.code().to_owned()),
            skills: fields.skills_required.clone(),
            demands: fields
                .demands
                .iter()
                .map(|(d, l)| DemandBody {
                    demand: d.code().to_owned(),
                    level: l.code().to_owned(),
                })
                .collect(),
            accommodations: fields
                .accommodations
                .iter()
                .map(|a| a.code().to_owned())
                .collect(),
            reserved_for_disabled: fields.reserved_for_disabled,
            posts: fields.posts,
            open: record.open,
            created_at: record.created_at.to_rfc3339(),
            updated_at: record.updated_at.to_rfc3339(),
        }
    }
}

/// List parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct JobListParams {
    /// Words of the title.
    pub q: Option<String>,
    /// The workplace's district (code or name).
    pub district: Option<String>,
    /// An ISCO-08 major group code (`"4"`).
    pub major_group: Option<String>,
    /// `true`: only jobs that can be done from home.
    pub remote: Option<bool>,
    /// `true`: only posts reserved for persons with disabilities.
    pub reserved: Option<bool>,
    /// Only jobs offering this accommodation (a code).
    pub accommodation: Option<String>,
    /// `open` (default), `closed` or `all`. Job seekers and institutions
    /// see open postings only.
    pub status: Option<String>,
    /// `newest` (default), `wage_high`, `wage_low` or `title`.
    pub sort: Option<String>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, default 20, at most 200.
    pub per_page: Option<u32>,
    /// Interface language of messages and names (`zh` or `en`).
    pub lang: Option<String>,
}

/// The postings in your scope that match, one page at a time.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "jobs", security(("bearer" = [])), params(JobListParams),
    responses((status = 200, body = ListBody<JobBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_jobs(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<JobListParams>,
) -> Result<Json<ListBody<JobBody>>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::JobRead)
        .map_err(|e| caller.error(e))?;
    let (page, per_page) = paging(params.page, params.per_page, &caller)?;
    let query = PostingQuery {
        search: params.q.unwrap_or_default(),
        district: params.district.unwrap_or_default(),
        major_group: params.major_group.unwrap_or_default(),
        remote_only: params.remote.unwrap_or(false),
        reserved_only: params.reserved.unwrap_or(false),
        accommodation: params.accommodation.unwrap_or_default(),
        status: params.status.unwrap_or_default(),
        sort: params.sort.unwrap_or_default(),
        page,
        per_page,
    };
    let list = state
        .app
        .list_postings(&caller.actor, &query)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(ListBody {
        items: list
            .postings
            .items
            .iter()
            .map(|r| JobBody::from_record(r, caller.lang))
            .collect(),
        total: list.postings.total,
        page: list.filter.page,
        per_page: list.filter.per_page,
    }))
}

/// A job to post.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"employer_id": 12, "title": "数据录入员", "occupation": "41", "district": "120101",
    "address": "和平区南京路 100 号", "remote_possible": true, "hours": "part_time", "monthly_wage": 4200,
    "skills": ["打字", "Excel"], "demands": [{"demand": "fine_motor", "level": "frequent"}],
    "accommodations": ["screen_reader", "flexible_hours"], "reserved_for_disabled": true, "posts": 2}))]
pub struct NewJobBody {
    /// The employer's record id, in your scope; an employer's own account
    /// may leave it out (it is always its own organisation).
    pub employer_id: Option<i64>,
    /// The job's title (at most 100 characters).
    pub title: String,
    /// ISCO-08 sub-major group code (`"41"`).
    pub occupation: String,
    /// The workplace's district (code or name).
    pub district: String,
    /// The workplace's address (at most 200 characters).
    pub address: String,
    /// Whether the work can be done from home (default `false`).
    #[serde(default)]
    pub remote_possible: bool,
    /// `full_time`, `part_time` or `flexible`.
    pub hours: String,
    /// Monthly wage in whole yuan, 0 or more; a number or a string.
    #[schema(value_type = String)]
    pub monthly_wage: NumberText,
    /// An education code, or `null` for none.
    pub education_required: Option<String>,
    /// Skills required (at most 20 tags of 30 characters).
    #[serde(default)]
    pub skills: Vec<String>,
    /// Functional demands, each at most once.
    #[serde(default)]
    pub demands: Vec<DemandBody>,
    /// Accommodation codes offered.
    #[serde(default)]
    pub accommodations: Vec<String>,
    /// Reserved for persons with disabilities (default `false`).
    #[serde(default)]
    pub reserved_for_disabled: bool,
    /// How many posts, 1–9999 (default 1); a number or a string.
    #[schema(value_type = Option<String>)]
    pub posts: Option<NumberText>,
}

fn demand_pairs(demands: Vec<DemandBody>) -> Vec<(String, String)> {
    demands.into_iter().map(|d| (d.demand, d.level)).collect()
}

/// Posts a job for an employer of your scope. Every field that is wrong
/// is named in one 422 and nothing is saved.
#[utoipa::path(post, path = "/api/v1/jobs", tag = "jobs", security(("bearer" = [])), request_body = NewJobBody,
    responses((status = 201, body = JobBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_job(
    State(state): State<AppState>,
    caller: ApiActor,
    body: Result<ApiJson<NewJobBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::JobWrite)
        .map_err(|e| caller.error(e))?;
    let ApiJson(body) = body?;
    let input = PostingInput {
        employer_id: body
            .employer_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
        title: body.title,
        occupation: body.occupation,
        district: body.district,
        address: body.address,
        remote_possible: body.remote_possible,
        hours: body.hours,
        monthly_wage: body.monthly_wage.into_string(),
        education_required: body.education_required.unwrap_or_default(),
        skills: body.skills.join(", "),
        demands: demand_pairs(body.demands),
        accommodations: body.accommodations,
        reserved_for_disabled: body.reserved_for_disabled,
        posts: body
            .posts
            .map_or_else(|| "1".to_owned(), NumberText::into_string),
    };
    let record = state
        .app
        .create_posting(&caller.actor, &input)
        .await
        .map_err(|e| caller.error(e))?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/jobs/{}", record.id))],
        Json(JobBody::from_record(&record, caller.lang)),
    )
        .into_response())
}

/// One posting in your scope (job seekers and institutions: open ones).
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")),
    responses((status = 200, body = JobBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_job(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<JobBody>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::JobRead)
        .map_err(|e| caller.error(e))?;
    let id = path_id(&id, &caller)?;
    let record = state
        .app
        .posting(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(JobBody::from_record(&record, caller.lang)))
}

/// Changes to a posting. Absent fields stay as they are; lists given
/// replace the whole list. `open` closes (`false`) or reopens (`true`) it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"monthly_wage": 4500, "open": false}))]
pub struct JobPatchBody {
    /// The job's title.
    pub title: Option<String>,
    /// ISCO-08 sub-major group code.
    pub occupation: Option<String>,
    /// The workplace's district.
    pub district: Option<String>,
    /// The workplace's address.
    pub address: Option<String>,
    /// Whether the work can be done from home.
    pub remote_possible: Option<bool>,
    /// `full_time`, `part_time` or `flexible`.
    pub hours: Option<String>,
    /// Monthly wage in whole yuan; a number or a string.
    #[schema(value_type = Option<String>)]
    pub monthly_wage: Option<NumberText>,
    /// An education code; `""` for none.
    pub education_required: Option<String>,
    /// Skills required.
    pub skills: Option<Vec<String>>,
    /// Functional demands.
    pub demands: Option<Vec<DemandBody>>,
    /// Accommodation codes offered.
    pub accommodations: Option<Vec<String>>,
    /// Reserved for persons with disabilities.
    pub reserved_for_disabled: Option<bool>,
    /// How many posts; a number or a string.
    #[schema(value_type = Option<String>)]
    pub posts: Option<NumberText>,
    /// Still taking applications.
    pub open: Option<bool>,
}

impl JobPatchBody {
    fn changes_fields(&self) -> bool {
        self.title.is_some()
            || self.occupation.is_some()
            || self.district.is_some()
            || self.address.is_some()
            || self.remote_possible.is_some()
            || self.hours.is_some()
            || self.monthly_wage.is_some()
            || self.education_required.is_some()
            || self.skills.is_some()
            || self.demands.is_some()
            || self.accommodations.is_some()
            || self.reserved_for_disabled.is_some()
            || self.posts.is_some()
    }

    fn apply(self, input: &mut PostingInput) {
        if let Some(value) = self.title {
            input.title = value;
        }
        if let Some(value) = self.occupation {
            input.occupation = value;
        }
        if let Some(value) = self.district {
            input.district = value;
        }
        if let Some(value) = self.address {
            input.address = value;
        }
        if let Some(value) = self.remote_possible {
            input.remote_possible = value;
        }
        if let Some(value) = self.hours {
            input.hours = value;
        }
        if let Some(value) = self.monthly_wage {
            input.monthly_wage = value.into_string();
        }
        if let Some(value) = self.education_required {
            input.education_required = value;
        }
        if let Some(value) = self.skills {
            input.skills = value.join(", ");
        }
        if let Some(value) = self.demands {
            input.demands = demand_pairs(value);
        }
        if let Some(value) = self.accommodations {
            input.accommodations = value;
        }
        if let Some(value) = self.reserved_for_disabled {
            input.reserved_for_disabled = value;
        }
        if let Some(value) = self.posts {
            input.posts = value.into_string();
        }
    }
}

/// Changes a posting in your scope; absent fields stay as they are. The
/// fields are checked (and saved) before `open` is applied; a field error
/// saves nothing.
#[utoipa::path(patch, path = "/api/v1/jobs/{id}", tag = "jobs", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = JobPatchBody,
    responses((status = 200, body = JobBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_job(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<JobPatchBody>, ApiError>,
) -> Result<Json<JobBody>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::JobWrite)
        .map_err(|e| caller.error(e))?;
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let mut record = state
        .app
        .managed_posting(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    let open = body.open;
    if body.changes_fields() {
        let mut input = PostingInput::from_record(&record);
        body.apply(&mut input);
        record = state
            .app
            .update_posting(&caller.actor, id, &input)
            .await
            .map_err(|e| caller.error(e))?;
    }
    if let Some(open) = open {
        record = state
            .app
            .set_posting_open(&caller.actor, id, open)
            .await
            .map_err(|e| caller.error(e))?;
    }
    Ok(Json(JobBody::from_record(&record, caller.lang)))
}
