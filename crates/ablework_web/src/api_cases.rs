//! The JSON API of the "four ones" service (四个一, MISSION.md measure 9):
//! a person's case with its checks, assessments, registered needs,
//! services and consents; the supervisor's approval of assessments; and
//! the work queues of people who still lack a step.
//!
//! The conventions are [`crate::api`]'s: bearer tokens, bodies with every
//! field known, the list envelope, the error body, 404 outside the
//! caller's scope. Codes are snake_case strings, dates `YYYY-MM-DD`
//! strings. The application layer decides who may do what and sees which
//! records; the handlers only translate.

use ablework_app::cases::{
    AssessmentInput, AssessmentRecord, CaseView, CheckInput, CheckRecord, ConsentRecord,
    FollowUpInput, NeedInput, NeedRecord, OutcomeInput, OutcomeRecord, Recorded, ServiceInput,
    ServiceRecord,
};
use ablework_app::employers::Review;
use ablework_app::{AppError, FieldError};
use ablework_domain::four_ones::{Accommodation, CheckedField, Function, Step};
use ablework_domain::outcome::EmploymentForm;
use ablework_domain::person::mask_name;
use ablework_domain::roles::{Permission, Role};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiActor, ApiJson, ApiQuery, ListBody, PersonBody, path_id};
use crate::api_employers::{NumberText, paging};
use crate::error::{ApiError, ErrorBody};

/// The routes of this module, merged into [`crate::api::routes`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/case", get(get_case))
        .route("/persons/{id}/checks", post(record_check))
        .route("/persons/{id}/assessments", post(submit_assessment))
        .route("/persons/{id}/needs", post(register_need))
        .route("/persons/{id}/services", post(record_service))
        .route("/persons/{id}/consents", post(record_consent))
        .route("/persons/{id}/outcomes", post(record_outcome))
        .route(
            "/persons/{id}/outcomes/{outcome}/follow-ups",
            post(record_follow_up),
        )
        .route("/assessments", get(list_waiting))
        .route("/assessments/{id}/approve", post(approve_assessment))
        .route("/assessments/{id}/return", post(return_assessment))
        .route("/queues/{step}", get(work_queue))
}

// ---- field names -----------------------------------------------------------------

/// An application field error under the name of the JSON body:
/// `function_mobility` is `functions.mobility`; every other field has the
/// same name in both.
fn json_path(field: &str) -> String {
    match field.strip_prefix("function_") {
        Some(code) if Function::from_code(code).is_some() => format!("functions.{code}"),
        _ => field.to_owned(),
    }
}

fn with_json_paths(error: AppError) -> AppError {
    match error {
        AppError::Invalid(fields) => AppError::Invalid(
            fields
                .into_iter()
                .map(|f| FieldError {
                    field: json_path(&f.field),
                    ..f
                })
                .collect(),
        ),
        other => other,
    }
}

/// Who wrote a record: the account's username, or `system` (the demo
/// seed, an import).
fn by(recorded: &Recorded) -> String {
    recorded
        .username
        .clone()
        .unwrap_or_else(|| "system".to_owned())
}

fn codes<T: Copy>(values: &[T], code: fn(T) -> &'static str) -> Vec<String> {
    values.iter().map(|v| code(*v).to_owned()).collect()
}

// ---- the case: bodies -------------------------------------------------------------

/// A person's case: the masked record, which steps are done, every record
/// (newest first) and the consents in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseBody {
    /// The person, masked, as `GET /api/v1/persons/{id}` answers.
    pub person: PersonBody,
    /// Which of the four steps are done.
    pub progress: ProgressBody,
    /// Checks of the person's basic information.
    pub checks: Vec<CheckBody>,
    /// Vocational assessments and their supervisors' decisions.
    pub assessments: Vec<AssessmentBody>,
    /// Registered employment needs; the first is current.
    pub needs: Vec<NeedBody>,
    /// Services given.
    pub services: Vec<ServiceBody>,
    /// The consent in force for each purpose (`matching`, `job_fairs`,
    /// `training`).
    pub consents: Vec<ConsentStateBody>,
    /// Every consent given or withdrawn.
    pub consent_history: Vec<ConsentBody>,
    /// Employment outcomes, newest start first, with their follow-ups.
    pub outcomes: Vec<OutcomeBody>,
    /// Whether you may add records to the case.
    pub can_write: bool,
    /// Whether you may give or withdraw consents on it.
    pub can_consent: bool,
}

/// Which of the four steps a person has taken.
#[derive(Debug, Serialize, ToSchema)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per step of the service, as the domain's `Progress`"
)]
pub struct ProgressBody {
    /// Checked at least once.
    pub checked: bool,
    /// An assessment approved by a supervisor.
    pub assessed: bool,
    /// A need registered.
    pub need_registered: bool,
    /// At least one service given.
    pub served: bool,
    /// How many of the four are done.
    pub steps_done: u8,
    /// The first step not yet taken (`check`, `assessment`, `need`,
    /// `service`), or `null` when all four are done.
    pub next_step: Option<String>,
}

/// A check of a person's basic information.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckBody {
    /// Record id.
    pub id: i64,
    /// The day it was verified.
    pub checked_on: String,
    /// What was verified: `identity`, `disability`, `address`, `contact`,
    /// `education`, `employment`.
    pub fields: Vec<String>,
    /// Where the information came from: `certificate`,
    /// `household_register`, `in_person`, `home_visit`, `phone`.
    pub source: String,
    /// Anything worth noting.
    pub note: Option<String>,
    /// Who recorded it (username, or `system`).
    pub recorded_by: String,
    /// When (RFC 3339, UTC).
    pub recorded_at: String,
}

impl CheckBody {
    fn from_record(record: &CheckRecord) -> CheckBody {
        CheckBody {
            id: record.id,
            checked_on: record.checked_on.to_string(),
            fields: codes(&record.fields, CheckedField::code),
            source: record.source.code().to_owned(),
            note: record.note.clone(),
            recorded_by: by(&record.recorded),
            recorded_at: record.recorded.at.to_rfc3339(),
        }
    }
}

/// How much each function limits work: `none`, `mild`, `moderate` or
/// `severe`. Every function must be assessed.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionsBody {
    /// Walking, standing, stairs.
    pub mobility: Option<String>,
    /// Seeing.
    pub vision: Option<String>,
    /// Hearing.
    pub hearing: Option<String>,
    /// Speaking.
    pub speech: Option<String>,
    /// Hand and finger use.
    pub fine_motor: Option<String>,
    /// Understanding, memory, learning.
    pub cognition: Option<String>,
    /// Working through a day.
    pub stamina: Option<String>,
}

impl FunctionsBody {
    fn slot(&mut self, function: Function) -> &mut Option<String> {
        match function {
            Function::Mobility => &mut self.mobility,
            Function::Vision => &mut self.vision,
            Function::Hearing => &mut self.hearing,
            Function::Speech => &mut self.speech,
            Function::FineMotor => &mut self.fine_motor,
            Function::Cognition => &mut self.cognition,
            Function::Stamina => &mut self.stamina,
        }
    }

    /// `(function code, limitation code)` for every function given.
    fn into_pairs(mut self) -> Vec<(String, String)> {
        Function::ALL
            .iter()
            .filter_map(|function| {
                self.slot(*function)
                    .take()
                    .map(|limitation| (function.code().to_owned(), limitation))
            })
            .collect()
    }
}

/// A vocational assessment and its supervisor's decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentBody {
    /// Record id.
    pub id: i64,
    /// The person's record id.
    pub person_id: i64,
    /// The day it was made.
    pub assessed_on: String,
    /// How much each function limits work.
    pub functions: FunctionsBody,
    /// The work the person can take on now: `full_time`, `part_time`,
    /// `supported`, `not_now`.
    pub capacity: String,
    /// Skills, in the assessor's words.
    pub skills: String,
    /// Recommended forms of employment (`quota`, `concentrated`,
    /// `self_employed`, `public_welfare`, `auxiliary`, `flexible`,
    /// `agriculture`).
    pub forms: Vec<String>,
    /// Accommodations needed at work (`step_free`, `accessible_toilet`,
    /// `screen_reader`, `sign_language`, `written_instructions`,
    /// `flexible_hours`, `remote_work`, `adjusted_workstation`,
    /// `quiet_space`, `job_coach`, `transport`).
    pub accommodations: Vec<String>,
    /// Languages and ways of communicating (`mandarin`, `sign_language`,
    /// `braille`, `written_chinese`, `english`, `aac`).
    pub languages: Vec<String>,
    /// `submitted` (waiting for approval), `returned` or `approved`.
    pub status: String,
    /// The assessor (username, or `system`).
    pub recorded_by: String,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// The supervisor who approved or returned it (username, or
    /// `system`); `null` while it waits.
    pub reviewer: Option<String>,
    /// When it was approved or returned (RFC 3339, UTC).
    pub reviewed_at: Option<String>,
    /// The supervisor's reasons.
    pub review_note: Option<String>,
}

impl AssessmentBody {
    fn from_record(record: &AssessmentRecord) -> AssessmentBody {
        let fields = &record.fields;
        let mut functions = FunctionsBody::default();
        for (function, limitation) in &fields.functions {
            *functions.slot(*function) = Some(limitation.code().to_owned());
        }
        AssessmentBody {
            id: record.id,
            person_id: record.person_id,
            assessed_on: record.assessed_on.to_string(),
            functions,
            capacity: fields.capacity.code().to_owned(),
            skills: fields.skills.clone(),
            forms: codes(&fields.forms, EmploymentForm::code),
            accommodations: codes(&fields.accommodations, Accommodation::code),
            languages: codes(
                &fields.languages,
                ablework_domain::four_ones::Language::code,
            ),
            status: record.status.code().to_owned(),
            recorded_by: by(&record.recorded),
            recorded_at: record.recorded.at.to_rfc3339(),
            reviewer: record.reviewed.as_ref().map(by),
            reviewed_at: record.reviewed.as_ref().map(|r| r.at.to_rfc3339()),
            review_note: record.review_note.clone(),
        }
    }
}

/// A registered employment need.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeedBody {
    /// Record id.
    pub id: i64,
    /// The day it was registered.
    pub registered_on: String,
    /// Desired occupations, in the person's words.
    pub occupations: String,
    /// The form of employment wanted.
    pub form: Option<String>,
    /// Districts where they would work (GB/T 2260 codes).
    pub districts: Vec<String>,
    /// The longest commute they accept, in minutes.
    pub commute_minutes: Option<i32>,
    /// Working hours wanted: `full_time`, `part_time`, `flexible`.
    pub hours: String,
    /// Monthly wage expected, whole CNY.
    pub wage_expectation: Option<i32>,
    /// Accommodations needed.
    pub accommodations: Vec<String>,
    /// Willing to train first.
    pub willing_to_train: bool,
    /// Who recorded it (username, or `system`).
    pub recorded_by: String,
    /// When (RFC 3339, UTC).
    pub recorded_at: String,
}

impl NeedBody {
    fn from_record(record: &NeedRecord) -> NeedBody {
        let fields = &record.fields;
        NeedBody {
            id: record.id,
            registered_on: record.registered_on.to_string(),
            occupations: fields.occupations.clone(),
            form: fields.form.map(|f| f.code().to_owned()),
            districts: fields.districts.clone(),
            commute_minutes: fields.commute_minutes,
            hours: fields.hours.code().to_owned(),
            wage_expectation: fields.wage_expectation,
            accommodations: codes(&fields.accommodations, Accommodation::code),
            willing_to_train: fields.willing_to_train,
            recorded_by: by(&record.recorded),
            recorded_at: record.recorded.at.to_rfc3339(),
        }
    }
}

/// A service given.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceBody {
    /// Record id.
    pub id: i64,
    /// `job_recommendation`, `training_referral`, `policy_advice`,
    /// `job_fair_invitation`, `entrepreneurship_support`,
    /// `auxiliary_placement`, `rehabilitation_referral`.
    pub kind: String,
    /// The day it was given.
    pub served_on: String,
    /// `pending`, `accepted`, `declined`, `employed`, `completed`.
    pub result: String,
    /// Details.
    pub note: Option<String>,
    /// Who recorded it (username, or `system`).
    pub recorded_by: String,
    /// When (RFC 3339, UTC).
    pub recorded_at: String,
}

impl ServiceBody {
    fn from_record(record: &ServiceRecord) -> ServiceBody {
        ServiceBody {
            id: record.id,
            kind: record.kind.code().to_owned(),
            served_on: record.served_on.to_string(),
            result: record.result.code().to_owned(),
            note: record.note.clone(),
            recorded_by: by(&record.recorded),
            recorded_at: record.recorded.at.to_rfc3339(),
        }
    }
}

/// A consent given or withdrawn.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentBody {
    /// Record id.
    pub id: i64,
    /// `matching`, `job_fairs` or `training`.
    pub purpose: String,
    /// Given (`true`) or withdrawn (`false`).
    pub given: bool,
    /// The day it took effect.
    pub effective_on: String,
    /// Given by the person themselves (`true`) or recorded by an officer.
    pub by_person: bool,
    /// Who recorded it (username, or `system`).
    pub recorded_by: String,
    /// When (RFC 3339, UTC).
    pub recorded_at: String,
}

impl ConsentBody {
    fn from_record(record: &ConsentRecord) -> ConsentBody {
        ConsentBody {
            id: record.id,
            purpose: record.purpose.code().to_owned(),
            given: record.given,
            effective_on: record.effective_on.to_string(),
            by_person: record.by_person,
            recorded_by: by(&record.recorded),
            recorded_at: record.recorded.at.to_rfc3339(),
        }
    }
}

/// The consent in force for one purpose.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentStateBody {
    /// `matching`, `job_fairs` or `training`.
    pub purpose: String,
    /// Whether the person consents now (`false` when never asked).
    pub given: bool,
    /// The newest record for the purpose; `null` when never asked.
    pub latest: Option<ConsentBody>,
}

impl CaseBody {
    fn from_view(view: CaseView, caller: &ApiActor) -> CaseBody {
        let progress = view.progress;
        let file = &view.file;
        CaseBody {
            progress: ProgressBody {
                checked: progress.checked,
                assessed: progress.assessed,
                need_registered: progress.need_registered,
                served: progress.served,
                steps_done: u8::try_from(progress.count()).unwrap_or(u8::MAX),
                next_step: progress.next_step().map(|s| s.code().to_owned()),
            },
            checks: file.checks.iter().map(CheckBody::from_record).collect(),
            assessments: file
                .assessments
                .iter()
                .map(AssessmentBody::from_record)
                .collect(),
            needs: file.needs.iter().map(NeedBody::from_record).collect(),
            services: file.services.iter().map(ServiceBody::from_record).collect(),
            consents: view
                .consents
                .iter()
                .map(|(purpose, latest)| ConsentStateBody {
                    purpose: purpose.code().to_owned(),
                    given: latest.as_ref().is_some_and(|c| c.given),
                    latest: latest.as_ref().map(ConsentBody::from_record),
                })
                .collect(),
            consent_history: file.consents.iter().map(ConsentBody::from_record).collect(),
            outcomes: view.outcomes.iter().map(OutcomeBody::from_record).collect(),
            can_write: view.can_write,
            can_consent: view.can_consent,
            person: PersonBody::from_view(view.person, caller.lang),
        }
    }
}

// ---- the case: handlers ------------------------------------------------------------

/// A person's case in your scope: the masked record, which of the four
/// steps are done and the next one, every check, assessment, need,
/// service and consent (newest first), and the consents in force. A
/// seeker reads their own. The read is recorded in the audit log.
#[utoipa::path(get, path = "/api/v1/persons/{id}/case", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person's record id")),
    responses((status = 200, body = CaseBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_case(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<CaseBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let view = state
        .app
        .case(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(CaseBody::from_view(view, &caller)))
}

/// The id of a record just written.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedBody {
    /// The new record's id.
    pub id: i64,
    /// The person's record id.
    pub person_id: i64,
}

/// 201 with the new record's id, pointing at the case.
fn created(id: i64, person_id: i64) -> Response {
    (
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/persons/{person_id}/case"),
        )],
        Json(CreatedBody { id, person_id }),
    )
        .into_response()
}

/// A check of a person's basic information.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"checked_on": "2024-06-28", "fields": ["identity", "disability", "address"], "source": "in_person"}))]
pub struct NewCheckBody {
    /// The day it was verified, `YYYY-MM-DD`, not in the future.
    pub checked_on: String,
    /// What was verified, at least one: `identity`, `disability`,
    /// `address`, `contact`, `education`, `employment`.
    pub fields: Vec<String>,
    /// Where the information came from: `certificate`,
    /// `household_register`, `in_person`, `home_visit`, `phone`.
    pub source: String,
    /// Anything worth noting, at most 500 characters.
    pub note: Option<String>,
}

/// Records a check of a person's basic information (officers in their
/// district, administrators).
#[utoipa::path(post, path = "/api/v1/persons/{id}/checks", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person's record id")), request_body = NewCheckBody,
    responses((status = 201, body = CreatedBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_check(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewCheckBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let person_id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let input = CheckInput {
        checked_on: body.checked_on,
        fields: body.fields,
        source: body.source,
        note: body.note.unwrap_or_default(),
    };
    let id = state
        .app
        .record_check(&caller.actor, person_id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(created(id, person_id))
}

/// A vocational assessment; it waits for another officer's approval.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"assessed_on": "2024-06-28",
    "functions": {"mobility": "moderate", "vision": "none", "hearing": "none", "speech": "none",
        "fine_motor": "mild", "cognition": "none", "stamina": "mild"},
    "capacity": "part_time", "skills": "数据录入", "forms": ["flexible"], "accommodations": ["step_free"]}))]
pub struct NewAssessmentBody {
    /// The day it was made, `YYYY-MM-DD`, not in the future.
    pub assessed_on: String,
    /// How much each of the seven functions limits work.
    pub functions: FunctionsBody,
    /// `full_time`, `part_time`, `supported`, `not_now`.
    pub capacity: String,
    /// Skills, at most 500 characters.
    pub skills: Option<String>,
    /// Recommended forms of employment.
    #[serde(default)]
    pub forms: Vec<String>,
    /// Accommodations needed at work.
    #[serde(default)]
    pub accommodations: Vec<String>,
    /// Languages and ways of communicating (`sign_language`, `braille`, …).
    #[serde(default)]
    pub languages: Vec<String>,
}

/// Records a vocational assessment (officers in their district,
/// administrators); it waits for another officer's approval. Problems
/// with a function are named `functions.mobility` and so on.
#[utoipa::path(post, path = "/api/v1/persons/{id}/assessments", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person's record id")), request_body = NewAssessmentBody,
    responses((status = 201, body = CreatedBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit_assessment(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewAssessmentBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let person_id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let input = AssessmentInput {
        assessed_on: body.assessed_on,
        functions: body.functions.into_pairs(),
        capacity: body.capacity,
        skills: body.skills.unwrap_or_default(),
        forms: body.forms,
        accommodations: body.accommodations,
        languages: body.languages,
    };
    let id = state
        .app
        .submit_assessment(&caller.actor, person_id, &input)
        .await
        .map_err(|e| caller.error(with_json_paths(e)))?;
    Ok(created(id, person_id))
}

/// A person's employment need. Numbers may be JSON numbers or strings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"registered_on": "2024-06-28", "occupations": "仓储分拣、数据录入", "form": "flexible",
    "districts": ["120101", "120102"], "commute_minutes": 45, "hours": "part_time", "wage_expectation": 3500,
    "accommodations": ["step_free"], "willing_to_train": true}))]
pub struct NewNeedBody {
    /// The day it was registered, `YYYY-MM-DD`, not in the future.
    pub registered_on: String,
    /// Desired occupations, in the person's words (required, at most 500
    /// characters).
    pub occupations: String,
    /// The form of employment wanted (`quota`, `concentrated`,
    /// `self_employed`, `public_welfare`, `auxiliary`, `flexible`,
    /// `agriculture`).
    pub form: Option<String>,
    /// Districts where they would work (codes or names).
    #[serde(default)]
    pub districts: Vec<String>,
    /// The longest commute they accept, 5–240 minutes.
    #[schema(value_type = Option<String>)]
    pub commute_minutes: Option<NumberText>,
    /// `full_time`, `part_time`, `flexible`.
    pub hours: String,
    /// Monthly wage expected, whole CNY.
    #[schema(value_type = Option<String>)]
    pub wage_expectation: Option<NumberText>,
    /// Accommodations needed.
    #[serde(default)]
    pub accommodations: Vec<String>,
    /// Willing to train first (default `false`).
    #[serde(default)]
    pub willing_to_train: bool,
}

/// Registers a person's employment need (officers in their district,
/// administrators); the newest registration is current.
#[utoipa::path(post, path = "/api/v1/persons/{id}/needs", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person's record id")), request_body = NewNeedBody,
    responses((status = 201, body = CreatedBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register_need(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewNeedBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let person_id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let input = NeedInput {
        registered_on: body.registered_on,
        occupations: body.occupations,
        form: body.form.unwrap_or_default(),
        districts: body.districts,
        commute_minutes: body
            .commute_minutes
            .map(NumberText::into_string)
            .unwrap_or_default(),
        hours: body.hours,
        wage_expectation: body
            .wage_expectation
            .map(NumberText::into_string)
            .unwrap_or_default(),
        accommodations: body.accommodations,
        willing_to_train: body.willing_to_train,
    };
    let id = state
        .app
        .register_need(&caller.actor, person_id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(created(id, person_id))
}

/// A service given to a person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "job_recommendation", "served_on": "2024-06-28", "result": "pending", "note": "推荐至仓储分拣岗位"}))]
pub struct NewServiceBody {
    /// `job_recommendation`, `training_referral`, `policy_advice`,
    /// `job_fair_invitation`, `entrepreneurship_support`,
    /// `auxiliary_placement`, `rehabilitation_referral`.
    pub kind: String,
    /// The day it was given, `YYYY-MM-DD`, not in the future.
    pub served_on: String,
    /// `pending`, `accepted`, `declined`, `employed`, `completed`.
    pub result: String,
    /// Details, at most 500 characters.
    pub note: Option<String>,
}

/// Records a service given to a person (officers in their district,
/// administrators).
#[utoipa::path(post, path = "/api/v1/persons/{id}/services", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person's record id")), request_body = NewServiceBody,
    responses((status = 201, body = CreatedBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_service(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewServiceBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let person_id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let input = ServiceInput {
        kind: body.kind,
        served_on: body.served_on,
        result: body.result,
        note: body.note.unwrap_or_default(),
    };
    let id = state
        .app
        .record_service(&caller.actor, person_id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(created(id, person_id))
}

/// A consent given or withdrawn.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"purpose": "matching", "given": true}))]
pub struct NewConsentBody {
    /// `matching` (share the profile with employers), `job_fairs` (send job
    /// fairs and vacancies) or `training` (share the profile with training
    /// institutions).
    pub purpose: String,
    /// `true` to give, `false` to withdraw.
    pub given: bool,
}

/// Gives or withdraws a consent from today: a seeker on their own record,
/// or an officer recording what the person said. The newest record for a
/// purpose is the one in force.
#[utoipa::path(post, path = "/api/v1/persons/{id}/consents", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person's record id")), request_body = NewConsentBody,
    responses((status = 201, body = CreatedBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_consent(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewConsentBody>, ApiError>,
) -> Result<Response, ApiError> {
    // A seeker speaks for themselves; anyone else must be allowed to write.
    if caller.actor.role != Role::Seeker {
        state
            .app
            .authorize(&caller.actor, Permission::PersonWrite)
            .map_err(|e| caller.error(e))?;
    }
    let person_id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let id = state
        .app
        .save_consent(&caller.actor, person_id, &body.purpose, body.given)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(created(id, person_id))
}

// ---- approvals -----------------------------------------------------------------------

/// An assessment waiting for approval, with whose it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct WaitingAssessmentBody {
    /// The assessment.
    #[serde(flatten)]
    pub assessment: AssessmentBody,
    /// The person's name with all but the surname masked.
    pub name_masked: String,
}

/// Approval list parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WaitingParams {
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, default 20, at most 200.
    pub per_page: Option<u32>,
    /// Interface language of messages.
    pub lang: Option<String>,
}

/// Assessments in your scope waiting for a supervisor's approval, oldest
/// first (officers and administrators).
#[utoipa::path(get, path = "/api/v1/assessments", tag = "cases", security(("bearer" = [])), params(WaitingParams),
    responses((status = 200, body = ListBody<WaitingAssessmentBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_waiting(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<WaitingParams>,
) -> Result<Json<ListBody<WaitingAssessmentBody>>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let (page, per_page) = paging(params.page, params.per_page, &caller)?;
    let found = state
        .app
        .assessments_waiting_page(&caller.actor, page, per_page)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(ListBody {
        items: found
            .items
            .iter()
            .map(|(record, name)| WaitingAssessmentBody {
                assessment: AssessmentBody::from_record(record),
                name_masked: mask_name(name),
            })
            .collect(),
        total: found.total,
        page,
        per_page,
    }))
}

/// A supervisor's reasons.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentReviewBody {
    /// Required to return an assessment; optional to approve one. At most
    /// 500 characters.
    #[serde(default)]
    pub note: Option<String>,
}

async fn review(
    state: &AppState,
    caller: &ApiActor,
    id: &str,
    body: Result<ApiJson<AssessmentReviewBody>, ApiError>,
    decision: Review,
) -> Result<Json<AssessmentBody>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let id = path_id(id, caller)?;
    let ApiJson(body) = body?;
    let note = body.note.unwrap_or_default();
    let person_id = state
        .app
        .review_assessment(&caller.actor, id, decision, &note)
        .await
        .map_err(|e| caller.error(e))?;
    let view = state
        .app
        .case(&caller.actor, person_id)
        .await
        .map_err(|e| caller.error(e))?;
    view.file
        .assessments
        .iter()
        .find(|a| a.id == id)
        .map(|a| Json(AssessmentBody::from_record(a)))
        .ok_or_else(|| caller.error(AppError::NotFound))
}

/// Approves an assessment waiting in your scope. Nobody approves their own
/// (422 on `note`, code `own_assessment`); one not waiting is 409
/// (`assessment_not_submitted`).
#[utoipa::path(post, path = "/api/v1/assessments/{id}/approve", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The assessment's record id")), request_body = AssessmentReviewBody,
    responses((status = 200, body = AssessmentBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn approve_assessment(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<AssessmentReviewBody>, ApiError>,
) -> Result<Json<AssessmentBody>, ApiError> {
    review(&state, &caller, &id, body, Review::Approve).await
}

/// Returns an assessment waiting in your scope to its assessor with
/// reasons (`note` is required).
#[utoipa::path(post, path = "/api/v1/assessments/{id}/return", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The assessment's record id")), request_body = AssessmentReviewBody,
    responses((status = 200, body = AssessmentBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn return_assessment(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<AssessmentReviewBody>, ApiError>,
) -> Result<Json<AssessmentBody>, ApiError> {
    review(&state, &caller, &id, body, Review::Return).await
}

// ---- work queues -----------------------------------------------------------------------

/// Work-queue parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueueParams {
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, default 20, at most 200.
    pub per_page: Option<u32>,
    /// Interface language of messages.
    pub lang: Option<String>,
}

/// The working-age, unemployed, active people in your scope who still
/// lack a step (`check`, `assessment` — an approved one —, `need` or
/// `service`), masked, oldest registration first (officers and
/// administrators). An unknown step is 404.
#[utoipa::path(get, path = "/api/v1/queues/{step}", tag = "cases", security(("bearer" = [])),
    params(("step" = String, Path, description = "`check`, `assessment`, `need` or `service`"), QueueParams),
    responses((status = 200, body = ListBody<PersonBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn work_queue(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(step): Path<String>,
    ApiQuery(params): ApiQuery<QueueParams>,
) -> Result<Json<ListBody<PersonBody>>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let step = Step::from_code(&step).ok_or_else(|| caller.error(AppError::NotFound))?;
    let (page, per_page) = paging(params.page, params.per_page, &caller)?;
    let found = state
        .app
        .work_queue(&caller.actor, step, page, per_page)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(ListBody {
        items: found
            .items
            .into_iter()
            .map(|v| PersonBody::from_view(v, caller.lang))
            .collect(),
        total: found.total,
        page,
        per_page,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_fields_become_json_paths() {
        for (app, json) in [
            ("function_mobility", "functions.mobility"),
            ("function_fine_motor", "functions.fine_motor"),
            ("function_wings", "function_wings"),
            ("capacity", "capacity"),
            ("fields", "fields"),
        ] {
            assert_eq!(json_path(app), json, "{app}");
        }
    }

    #[test]
    fn functions_are_sent_as_pairs_in_a_fixed_order() {
        let body = FunctionsBody {
            stamina: Some("mild".to_owned()),
            mobility: Some("none".to_owned()),
            ..FunctionsBody::default()
        };
        assert_eq!(
            body.into_pairs(),
            [
                ("mobility".to_owned(), "none".to_owned()),
                ("stamina".to_owned(), "mild".to_owned())
            ]
        );
    }
}

// ---- outcomes --------------------------------------------------------------------

/// A person starting work, as counted for new employment.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeBody {
    /// Record id.
    pub id: i64,
    /// The first day of work.
    pub started_on: String,
    /// When the work ended, if it has.
    pub ended_on: Option<String>,
    /// The employment form (`quota`, `concentrated`, …).
    pub form: String,
    /// The plan's measure credited (`m01_agencies` … `m10_training`).
    pub measure: String,
    /// The district credited.
    pub district_code: String,
    /// The employer's record id, when registered.
    pub employer_id: Option<i64>,
    /// The employer's name, when registered.
    pub employer_name: Option<String>,
    /// Contract length in months (`null`: open-ended or not known).
    pub contract_months: Option<i32>,
    /// Monthly wage, CNY.
    pub monthly_wage: Option<i32>,
    /// Social insurance paid (`null`: not known).
    pub insured: Option<bool>,
    /// Follow-ups at 3, 6 and 12 months.
    pub follow_ups: Vec<FollowUpBody>,
}

/// A follow-up of an outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpBody {
    /// 3, 6 or 12.
    pub after_months: u8,
    /// The day it was checked.
    pub checked_on: String,
    /// Still in work.
    pub still_employed: bool,
    /// Details.
    pub note: Option<String>,
    /// Who recorded it (username, or `system`).
    pub recorded_by: String,
}

impl OutcomeBody {
    fn from_record(record: &OutcomeRecord) -> OutcomeBody {
        let outcome = &record.outcome;
        OutcomeBody {
            id: record.id,
            started_on: outcome.started_on.to_string(),
            ended_on: outcome.ended_on.map(|d| d.to_string()),
            form: outcome.form.code().to_owned(),
            measure: outcome.measure.code().to_owned(),
            district_code: outcome.district_code.clone(),
            employer_id: record.details.employer_id,
            employer_name: record.employer_name.clone(),
            contract_months: record.details.contract_months,
            monthly_wage: record.details.monthly_wage,
            insured: record.details.insured,
            follow_ups: record
                .follow_ups
                .iter()
                .map(|f| FollowUpBody {
                    after_months: f.after_months,
                    checked_on: f.checked_on.to_string(),
                    still_employed: f.still_employed,
                    note: f.note.clone(),
                    recorded_by: by(&f.recorded),
                })
                .collect(),
        }
    }
}

/// A person starting work.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"started_on": "2024-06-15", "form": "quota", "measure": "m09_service", "contract_months": 24, "monthly_wage": 4200, "insured": true}))]
pub struct NewOutcomeBody {
    /// The first day of work, `YYYY-MM-DD`, not in the future.
    pub started_on: String,
    /// `quota`, `concentrated`, `self_employed`, `public_welfare`,
    /// `auxiliary`, `flexible`, `agriculture`.
    pub form: String,
    /// The plan's measure credited, `m01_agencies` … `m10_training`.
    pub measure: String,
    /// The employer's unified social credit code, if registered.
    pub employer: Option<String>,
    /// Contract length in months (1–600); absent for open-ended.
    #[schema(value_type = Option<String>)]
    pub contract_months: Option<NumberText>,
    /// Monthly wage, CNY.
    #[schema(value_type = Option<String>)]
    pub monthly_wage: Option<NumberText>,
    /// Social insurance paid; absent when not known.
    pub insured: Option<bool>,
}

/// Records that a person started work (officers in their district,
/// administrators). New employment counts a person at most once a year,
/// for the measure and district given here; the person becomes employed.
#[utoipa::path(post, path = "/api/v1/persons/{id}/outcomes", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person's record id")), request_body = NewOutcomeBody,
    responses((status = 201, body = CreatedBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_outcome(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewOutcomeBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let person_id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let input = OutcomeInput {
        started_on: body.started_on,
        form: body.form,
        measure: body.measure,
        employer: body.employer.unwrap_or_default(),
        contract_months: body
            .contract_months
            .map(NumberText::into_string)
            .unwrap_or_default(),
        monthly_wage: body
            .monthly_wage
            .map(NumberText::into_string)
            .unwrap_or_default(),
        insured: match body.insured {
            Some(true) => "yes".to_owned(),
            Some(false) => "no".to_owned(),
            None => String::new(),
        },
    };
    let id = state
        .app
        .record_outcome(&caller.actor, person_id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(created(id, person_id))
}

/// A follow-up of an outcome.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"after_months": 3, "checked_on": "2024-09-16", "still_employed": true}))]
pub struct NewFollowUpBody {
    /// 3, 6 or 12.
    #[schema(value_type = String)]
    pub after_months: NumberText,
    /// The day it was checked, `YYYY-MM-DD`, not before the start.
    pub checked_on: String,
    /// Still in work; `false` ends the outcome that day.
    pub still_employed: bool,
    /// Details, at most 500 characters.
    pub note: Option<String>,
}

/// Records a follow-up of an outcome at 3, 6 or 12 months; each once.
/// Answers 201 with the outcome's id.
#[utoipa::path(post, path = "/api/v1/persons/{id}/outcomes/{outcome}/follow-ups", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person's record id"), ("outcome" = i64, Path, description = "The outcome's id")),
    request_body = NewFollowUpBody,
    responses((status = 201, body = CreatedBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_follow_up(
    State(state): State<AppState>,
    caller: ApiActor,
    Path((id, outcome)): Path<(String, String)>,
    body: Result<ApiJson<NewFollowUpBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let person_id = path_id(&id, &caller)?;
    let outcome_id = path_id(&outcome, &caller)?;
    let ApiJson(body) = body?;
    let input = FollowUpInput {
        after_months: body.after_months.into_string(),
        checked_on: body.checked_on,
        still_employed: if body.still_employed { "yes" } else { "no" }.to_owned(),
        note: body.note.unwrap_or_default(),
    };
    state
        .app
        .record_follow_up(&caller.actor, person_id, outcome_id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(created(outcome_id, person_id))
}
