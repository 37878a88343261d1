//! The JSON API of the graduates' ledger (一人一策, MISSION.md measure 7):
//! a cohort's ledger with what needs attention, a student's entry with
//! their plan and contacts, and the writes that enter a person, add a step,
//! mark it done and record a contact.
//!
//! The conventions are [`crate::api`]'s: bearer tokens, bodies with every
//! field known, the list envelope, the error body, 404 outside the
//! caller's scope. Codes are snake_case strings, dates `YYYY-MM-DD`
//! strings. Officers in their district and administrators use it
//! (`person_write`); the application layer decides who sees which
//! records, and the handlers only translate.

use ablework_app::AppError;
use ablework_app::graduates::{
    ContactInput, ContactRecord, GraduateView, LedgerEntry, LedgerQuery, PlanStepInput,
    PlanStepRecord, StudentInput, StudentRecord,
};
use ablework_app::{FieldError, Localized};
use ablework_domain::graduates::LedgerFlag;
use ablework_domain::roles::Permission;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiActor, ApiJson, ApiQuery, PersonBody, path_id};
use crate::api_employers::paging;
use crate::error::{ApiError, ErrorBody};

/// The routes of this module, merged into [`crate::api::routes`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/graduates", get(list_graduates).post(enrol_student))
        .route("/graduates/{id}", get(get_graduate))
        .route("/graduates/{id}/steps", post(add_step))
        .route("/graduates/{id}/steps/{step}/done", post(mark_step_done))
        .route("/graduates/{id}/contacts", post(record_contact))
}

/// Who wrote a record: the account's username, or `system` (the demo
/// seed, an import).
fn by(username: Option<&String>) -> String {
    username.cloned().unwrap_or_else(|| "system".to_owned())
}

fn flag_codes(flags: &[LedgerFlag]) -> Vec<String> {
    flags.iter().map(|f| f.code().to_owned()).collect()
}

// ---- bodies -----------------------------------------------------------------------

/// The fields of a student's entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct StudentBody {
    /// The entry's id.
    pub id: i64,
    /// The person's record id.
    pub person_id: i64,
    /// The university or college.
    pub university: String,
    /// The subject studied.
    pub major: String,
    /// `college` (大专), `bachelor`, `master` or `doctor`.
    pub degree: String,
    /// The day the student is expected to graduate.
    pub expected_graduation: String,
    /// The counsellor's username; `null` when none is assigned.
    pub counsellor: Option<String>,
    /// `studying`, `seeking`, `employed`, `further_study` or `not_seeking`.
    pub status: String,
    /// When the entry was made (RFC 3339, UTC).
    pub created_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl StudentBody {
    fn from_record(record: &StudentRecord) -> StudentBody {
        let fields = &record.fields;
        StudentBody {
            id: record.id,
            person_id: record.person_id,
            university: fields.university.clone(),
            major: fields.major.clone(),
            degree: fields.degree.code().to_owned(),
            expected_graduation: fields.expected_graduation.to_string(),
            counsellor: record.counsellor.clone(),
            status: fields.status.code().to_owned(),
            created_at: record.created_at.to_rfc3339(),
            updated_at: record.updated_at.to_rfc3339(),
        }
    }
}

/// One step of a plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepBody {
    /// The step's id.
    pub id: i64,
    /// When it should be done.
    pub due_on: String,
    /// What is to be done.
    pub description: String,
    /// The day it was done; `null` while it is not.
    pub done_on: Option<String>,
    /// Who wrote it (username, or `system`).
    pub recorded_by: String,
    /// When (RFC 3339, UTC).
    pub recorded_at: String,
}

impl StepBody {
    fn from_record(record: &PlanStepRecord) -> StepBody {
        StepBody {
            id: record.id,
            due_on: record.due_on.to_string(),
            description: record.description.clone(),
            done_on: record.done_on.map(|d| d.to_string()),
            recorded_by: by(record.recorded.username.as_ref()),
            recorded_at: record.recorded.at.to_rfc3339(),
        }
    }
}

/// A contact with a student.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactBody {
    /// The contact's id.
    pub id: i64,
    /// The day of the contact.
    pub contacted_on: String,
    /// `phone`, `visit`, `online`, `message` or `campus`.
    pub channel: String,
    /// What was said or agreed.
    pub summary: String,
    /// Who recorded it (username, or `system`).
    pub recorded_by: String,
    /// When (RFC 3339, UTC).
    pub recorded_at: String,
}

impl ContactBody {
    fn from_record(record: &ContactRecord) -> ContactBody {
        ContactBody {
            id: record.id,
            contacted_on: record.contacted_on.to_string(),
            channel: record.channel.code().to_owned(),
            summary: record.summary.clone(),
            recorded_by: by(record.recorded.username.as_ref()),
            recorded_at: record.recorded.at.to_rfc3339(),
        }
    }
}

/// A student's entry with the person (masked), the plan (by due date), the
/// contacts (newest first) and what needs attention today.
#[derive(Debug, Serialize, ToSchema)]
pub struct GraduateBody {
    /// The entry.
    #[serde(flatten)]
    pub student: StudentBody,
    /// The person, masked, as `GET /api/v1/persons/{id}` answers.
    pub person: PersonBody,
    /// `no_plan`, `no_recent_contact` (none in the last 30 days) and
    /// `no_job_after_graduation`, in that order, where they apply.
    pub flags: Vec<String>,
    /// The plan's steps, by due date.
    pub steps: Vec<StepBody>,
    /// The contacts, newest first.
    pub contacts: Vec<ContactBody>,
}

impl GraduateBody {
    fn from_view(view: GraduateView, caller: &ApiActor) -> GraduateBody {
        GraduateBody {
            student: StudentBody::from_record(&view.student),
            flags: flag_codes(&view.flags),
            steps: view.steps.iter().map(StepBody::from_record).collect(),
            contacts: view.contacts.iter().map(ContactBody::from_record).collect(),
            person: PersonBody::from_view(view.person, caller.lang),
        }
    }
}

/// One line of the ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntryBody {
    /// The entry.
    #[serde(flatten)]
    pub student: StudentBody,
    /// The person's name with all but the surname masked.
    pub name_masked: String,
    /// The person's district of service (GB/T 2260 code).
    pub district: String,
    /// Steps in the plan.
    pub plan_steps: u32,
    /// Steps done.
    pub steps_done: u32,
    /// Contacts recorded.
    pub contacts: u32,
    /// The day of the newest contact.
    pub latest_contact: Option<String>,
    /// What needs attention today (see `GraduateBody.flags`).
    pub flags: Vec<String>,
}

impl LedgerEntryBody {
    fn from_entry(entry: &LedgerEntry) -> LedgerEntryBody {
        LedgerEntryBody {
            student: StudentBody::from_record(&entry.student),
            name_masked: entry.name_masked.clone(),
            district: entry.district_code.clone(),
            plan_steps: entry.plan_steps,
            steps_done: entry.steps_done,
            contacts: entry.contacts,
            latest_contact: entry.latest_contact.map(|d| d.to_string()),
            flags: flag_codes(&entry.flags),
        }
    }
}

/// How many of the cohort have each flag.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagCountsBody {
    /// With no plan steps.
    pub no_plan: u64,
    /// Not contacted in the last 30 days.
    pub no_recent_contact: u64,
    /// Past the expected graduation, neither employed nor in further study.
    pub no_job_after_graduation: u64,
}

/// A cohort's ledger: the list envelope with the entries matching `flag`,
/// and the figures of the whole cohort.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerBody {
    /// The entries on this page, by expected graduation.
    pub items: Vec<LedgerEntryBody>,
    /// How many entries match in all.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
    /// The year of graduation.
    pub cohort: i32,
    /// The flag filtered on (`no_plan`, `no_recent_contact`,
    /// `no_job_after_graduation`), or `null` for all.
    pub flag: Option<String>,
    /// Students in the cohort, in your scope.
    pub cohort_size: u64,
    /// How many of the cohort have each flag.
    pub flag_counts: FlagCountsBody,
}

// ---- handlers ------------------------------------------------------------------------

/// Ledger parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LedgerParams {
    /// The year of graduation (default: this year).
    pub cohort: Option<String>,
    /// `all` (default), `no_plan`, `no_recent_contact` or `no_job`
    /// (`no_job_after_graduation`).
    pub flag: Option<String>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, default 20, at most 200.
    pub per_page: Option<u32>,
    /// Interface language of messages.
    pub lang: Option<String>,
}

/// The ledger of a cohort in your scope (officers and administrators):
/// the students expected to graduate in `cohort`, by expected graduation,
/// each with the counts and flags of its plan and contacts; `flag` keeps
/// those with one flag. `flag_counts` covers the whole cohort.
#[utoipa::path(get, path = "/api/v1/graduates", tag = "graduates", security(("bearer" = [])), params(LedgerParams),
    responses((status = 200, body = LedgerBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_graduates(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<LedgerParams>,
) -> Result<Json<LedgerBody>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let (page, per_page) = paging(params.page, params.per_page, &caller)?;
    let query = LedgerQuery {
        cohort: params.cohort.unwrap_or_default(),
        flag: params.flag.unwrap_or_default(),
        page,
        per_page,
    };
    let ledger = state
        .app
        .graduates_ledger(&caller.actor, &query)
        .await
        .map_err(|e| caller.error(e))?;
    let count = |flag: LedgerFlag| {
        ledger
            .flag_counts
            .iter()
            .find(|(f, _)| *f == flag)
            .map_or(0, |(_, n)| *n)
    };
    Ok(Json(LedgerBody {
        items: ledger
            .entries
            .items
            .iter()
            .map(LedgerEntryBody::from_entry)
            .collect(),
        total: ledger.entries.total,
        page: ledger.page,
        per_page: ledger.per_page,
        cohort: ledger.year,
        flag: ledger.flag.map(|f| f.code().to_owned()),
        cohort_size: ledger.cohort_size,
        flag_counts: FlagCountsBody {
            no_plan: count(LedgerFlag::NoPlan),
            no_recent_contact: count(LedgerFlag::NoRecentContact),
            no_job_after_graduation: count(LedgerFlag::NoJobAfterGraduation),
        },
    }))
}

/// A person to enter in the ledger.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"person_id": 42, "university": "天津理工大学", "major": "软件工程", "degree": "bachelor",
    "expected_graduation": "2025-06-30"}))]
pub struct NewStudentBody {
    /// The person's record id, in your scope.
    pub person_id: i64,
    /// The university or college (at most 100 characters).
    pub university: String,
    /// The subject studied (at most 100 characters).
    pub major: String,
    /// `college` (大专), `bachelor`, `master` or `doctor`.
    pub degree: String,
    /// `YYYY-MM-DD`, from 2000 to six years from today.
    pub expected_graduation: String,
    /// A member of staff's username (default: you).
    pub counsellor: Option<String>,
    /// `studying` (default), `seeking`, `employed`, `further_study` or
    /// `not_seeking`.
    pub status: Option<String>,
}

/// Enters a person of your scope in the graduates' ledger (officers and
/// administrators); you are the counsellor unless another is named. A
/// person absent or outside your scope is 422 on `person_id`; one in the
/// ledger already is 409 (`student_enrolled`).
#[utoipa::path(post, path = "/api/v1/graduates", tag = "graduates", security(("bearer" = [])), request_body = NewStudentBody,
    responses((status = 201, body = GraduateBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn enrol_student(
    State(state): State<AppState>,
    caller: ApiActor,
    body: Result<ApiJson<NewStudentBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let ApiJson(body) = body?;
    let input = StudentInput {
        university: body.university,
        major: body.major,
        degree: body.degree,
        expected_graduation: body.expected_graduation,
        counsellor: body.counsellor.unwrap_or_default(),
        status: body.status.unwrap_or_default(),
    };
    let record = state
        .app
        .enrol_student(&caller.actor, body.person_id, &input)
        .await
        .map_err(|error| {
            caller.error(match error {
                // The only record the body names is the person.
                AppError::NotFound => AppError::Invalid(vec![FieldError::new(
                    "person_id",
                    "not_found",
                    Localized::new(
                        "您的范围内没有这个人员记录",
                        "No person with this id is within your access",
                    ),
                )]),
                other => other,
            })
        })?;
    let view = state
        .app
        .graduate(&caller.actor, record.id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/graduates/{}", record.id))],
        Json(GraduateBody::from_view(view, &caller)),
    )
        .into_response())
}

/// One student's entry in your scope with the person (masked), the plan,
/// the contacts and what needs attention today. The read of the person is
/// recorded in the audit log.
#[utoipa::path(get, path = "/api/v1/graduates/{id}", tag = "graduates", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The entry's id")),
    responses((status = 200, body = GraduateBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_graduate(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<GraduateBody>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let id = path_id(&id, &caller)?;
    let view = state
        .app
        .graduate(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(GraduateBody::from_view(view, &caller)))
}

/// The id of a record just written.
#[derive(Debug, Serialize, ToSchema)]
pub struct GraduateRecordCreatedBody {
    /// The new record's id.
    pub id: i64,
    /// The student's entry.
    pub student_id: i64,
}

/// 201 with the new record's id, pointing at the entry.
fn created(id: i64, student_id: i64) -> Response {
    (
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/graduates/{student_id}"))],
        Json(GraduateRecordCreatedBody { id, student_id }),
    )
        .into_response()
}

/// A step of a plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"due_on": "2025-03-31", "description": "参加残疾人专场招聘会"}))]
pub struct NewStepBody {
    /// When it should be done, `YYYY-MM-DD`.
    pub due_on: String,
    /// What is to be done (at most 200 characters).
    pub description: String,
}

/// Adds a step to a student's plan.
#[utoipa::path(post, path = "/api/v1/graduates/{id}/steps", tag = "graduates", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The entry's id")), request_body = NewStepBody,
    responses((status = 201, body = GraduateRecordCreatedBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_step(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewStepBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let student_id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let input = PlanStepInput {
        due_on: body.due_on,
        description: body.description,
    };
    let id = state
        .app
        .add_plan_step(&caller.actor, student_id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(created(id, student_id))
}

/// Marks a step of a student's plan done today (no body). A step of
/// another student is 404; one done already is 409 (`plan_step_done`).
#[utoipa::path(post, path = "/api/v1/graduates/{id}/steps/{step}/done", tag = "graduates", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The entry's id"), ("step" = i64, Path, description = "The step's id")),
    responses((status = 200, body = StepBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn mark_step_done(
    State(state): State<AppState>,
    caller: ApiActor,
    Path((id, step)): Path<(String, String)>,
) -> Result<Json<StepBody>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let id = path_id(&id, &caller)?;
    let step = path_id(&step, &caller)?;
    state
        .app
        .mark_plan_step_done(&caller.actor, id, step)
        .await
        .map_err(|e| caller.error(e))?;
    let view = state
        .app
        .graduate(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    view.steps
        .iter()
        .find(|s| s.id == step)
        .map(|s| Json(StepBody::from_record(s)))
        .ok_or_else(|| caller.error(AppError::NotFound))
}

/// A contact with a student.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"contacted_on": "2024-06-28", "channel": "phone", "summary": "了解求职进展，推送了三个岗位信息。"}))]
pub struct NewContactBody {
    /// The day of the contact, `YYYY-MM-DD`, not in the future.
    pub contacted_on: String,
    /// `phone`, `visit`, `online`, `message` or `campus`.
    pub channel: String,
    /// What was said or agreed (at most 500 characters).
    pub summary: String,
}

/// Records a contact with a student.
#[utoipa::path(post, path = "/api/v1/graduates/{id}/contacts", tag = "graduates", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The entry's id")), request_body = NewContactBody,
    responses((status = 201, body = GraduateRecordCreatedBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_contact(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewContactBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let student_id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let input = ContactInput {
        contacted_on: body.contacted_on,
        channel: body.channel,
        summary: body.summary,
    };
    let id = state
        .app
        .record_student_contact(&caller.actor, student_id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(created(id, student_id))
}
