//! The JSON API of job applications: apply a person to a posting, and move
//! an application one step along (hiring records the person's employment
//! outcome and may close the posting).
//!
//! The conventions are [`crate::api`]'s. A seeker applies for themself;
//! officers and administrators for a person of their scope (the
//! application then starts as `recommended`). Those who manage the posting
//! move applications along; a seeker may withdraw their own. A closed
//! posting, an inactive person or one not of working age is a 422 naming
//! the field, and nothing is saved.

use ablework_app::applications::{ApplicationView, StepInput};
use ablework_domain::lang::Lang;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::{ApiActor, ApiJson, path_id};
use crate::error::{ApiError, ErrorBody};

/// The routes of this module, merged into [`crate::api::routes`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/jobs/{id}/applications", post(apply))
        .route(
            "/applications/{id}",
            get(get_application).patch(move_application),
        )
}

/// One step of an application.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationStepBody {
    /// `recommended`, `applied`, `interview`, `offer`, `hired`,
    /// `declined` or `withdrawn`.
    pub status: String,
    /// The day it happened (`YYYY-MM-DD`); for `hired`, the first day of
    /// work.
    pub on: String,
}

/// A job application.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationBody {
    /// Record id.
    pub id: i64,
    /// The person's record id.
    pub person_id: i64,
    /// The person's name, masked.
    pub person_name: String,
    /// The posting's record id.
    pub job_id: i64,
    /// The posting's title.
    pub job_title: String,
    /// The employer's record id.
    pub employer_id: i64,
    /// The employer's name.
    pub employer_name: String,
    /// Where it stands now (a status code).
    pub status: String,
    /// Its name in the request's language.
    pub status_name: String,
    /// The employment outcome a hire recorded, if any.
    pub outcome_id: Option<i64>,
    /// The job fair it was made at, if any.
    pub fair_id: Option<i64>,
    /// Every step, oldest first.
    pub steps: Vec<ApplicationStepBody>,
    /// The statuses you may move it to now.
    pub next: Vec<String>,
    /// Whether this step filled the posting's last post and closed it
    /// (only in the answer to a step).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posting_closed: Option<bool>,
}

impl ApplicationBody {
    fn from_view(view: &ApplicationView, lang: Lang) -> ApplicationBody {
        let record = &view.record;
        ApplicationBody {
            id: record.id,
            person_id: record.person_id,
            person_name: view.person_name_masked.clone(),
            job_id: record.posting_id,
            job_title: record.posting_title.clone(),
            employer_id: record.employer_id,
            employer_name: record.employer_name.clone(),
            status: record.status.code().to_owned(),
            status_name: record.status.label(lang).to_owned(),
            outcome_id: record.outcome_id,
            fair_id: record.fair_id,
            steps: record
                .steps
                .iter()
                .map(|s| ApplicationStepBody {
                    status: s.status.code().to_owned(),
                    on: s.on.to_string(),
                })
                .collect(),
            next: view
                .next_steps
                .iter()
                .map(|s| s.code().to_owned())
                .collect(),
            posting_closed: None,
        }
    }
}

/// A new application.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApplicationBody {
    /// The person applying: a seeker's own record id, or a person of an
    /// officer's scope.
    pub person_id: i64,
}

/// A step to move an application to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationPatchBody {
    /// The status to move to (see `ApplicationBody.next`).
    pub status: String,
    /// The day it happened, `YYYY-MM-DD`, not in the future; for `hired`,
    /// the first day of work.
    pub on: String,
}

/// Applies a person to an open posting. Today is the first step's day.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/applications", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The posting's record id")), request_body = NewApplicationBody,
    responses((status = 201, body = ApplicationBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn apply(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewApplicationBody>, ApiError>,
) -> Result<Response, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let view = state
        .app
        .apply(&caller.actor, body.person_id, id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(created(&view, &caller))
}

/// The answer to a new application: 201, its `Location` and its body.
pub(crate) fn created(view: &ApplicationView, caller: &ApiActor) -> Response {
    (
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/applications/{}", view.record.id),
        )],
        Json(ApplicationBody::from_view(view, caller.lang)),
    )
        .into_response()
}

/// One application with its steps, for those who manage its posting and
/// the job seeker's own account; anyone else reads it as absent.
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")),
    responses((status = 200, body = ApplicationBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_application(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<ApplicationBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let view = state
        .app
        .application(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(ApplicationBody::from_view(&view, caller.lang)))
}

/// Moves an application one step along. `hired` records the person's
/// employment outcome and closes the posting once its posts are filled.
#[utoipa::path(patch, path = "/api/v1/applications/{id}", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = ApplicationPatchBody,
    responses((status = 200, body = ApplicationBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_application(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<ApplicationPatchBody>, ApiError>,
) -> Result<Json<ApplicationBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let input = StepInput {
        status: body.status,
        on: body.on,
    };
    let moved = state
        .app
        .move_application(&caller.actor, id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    let view = state
        .app
        .application(&caller.actor, moved.application.id)
        .await
        .map_err(|e| caller.error(e))?;
    let mut answer = ApplicationBody::from_view(&view, caller.lang);
    answer.posting_closed = Some(moved.posting_closed);
    Ok(Json(answer))
}
