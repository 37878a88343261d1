//! The JSON API of job fairs: the list with its filters, one fair with the
//! employers and posts taking part, the writes that enter and change a
//! fair, an employer's participation, registrations and attendance,
//! applications made at a fair, and the fair's report.
//!
//! The conventions are [`crate::api`]'s: bearer tokens, bodies with every
//! field known, the list envelope, the error body (422 names every field
//! that is wrong, and nothing is saved), 404 outside the caller's scope.
//! The application layer decides who may do what; the handlers only
//! translate.

use ablework_app::fairs::{
    FairQuery, FairRecord, FairView, JoinInput, RegistrationInput, RegistrationView,
};
use ablework_domain::fair::{FairInput, FairReport};
use ablework_domain::lang::Lang;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiActor, ApiJson, ApiQuery, ListBody, path_id};
use crate::api_applications::ApplicationBody;
use crate::api_employers::paging;
use crate::error::{ApiError, ErrorBody};

/// The routes of this module, merged into [`crate::api::routes`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/fairs", get(list_fairs).post(create_fair))
        .route("/fairs/{id}", get(get_fair).patch(update_fair))
        .route(
            "/fairs/{id}/registrations",
            get(list_registrations).post(register),
        )
        .route("/fairs/{id}/employers", post(join))
        .route("/fairs/{id}/attendance", post(mark_attendance))
        .route("/fairs/{id}/applications", post(apply_at_fair))
        .route("/fairs/{id}/report", get(report))
}

/// A fair in the caller's scope, with (`people`) or without the
/// registrations the caller may read.
async fn fair_of(
    state: &AppState,
    caller: &ApiActor,
    id: &str,
    people: bool,
) -> Result<FairView, ApiError> {
    let id = path_id(id, caller)?;
    let found = if people {
        state.app.fair_view(&caller.actor, id).await
    } else {
        state.app.fair_summary(&caller.actor, id).await
    };
    found.map_err(|e| caller.error(e))
}

/// A job fair.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairBody {
    /// Record id.
    pub id: i64,
    /// The fair's title.
    pub title: String,
    /// `on_site` or `online`.
    pub mode: String,
    /// `state_assets`, `disability_service` or `public_service`.
    pub organiser: String,
    /// The organiser's name in the request's language.
    pub organiser_name: String,
    /// For state-owned enterprises only.
    pub soe_only: bool,
    /// The day it is held (`YYYY-MM-DD`).
    pub held_on: String,
    /// The holding district (GB/T 2260 code).
    pub district: String,
    /// The district's name in the request's language.
    pub district_name: String,
    /// The venue (on site), else `null`.
    pub venue: Option<String>,
    /// The web address (online), else `null`.
    pub online_url: Option<String>,
    /// Access provision codes offered, in the catalogue's order.
    pub provisions: Vec<String>,
    /// Employers taking part.
    pub employers: u32,
    /// People registered.
    pub registrations: u32,
}

impl FairBody {
    fn from_record(record: &FairRecord, lang: Lang) -> FairBody {
        let fields = &record.fields;
        FairBody {
            id: record.id,
            title: fields.title.clone(),
            mode: fields.mode.code().to_owned(),
            organiser: fields.organiser.code().to_owned(),
            organiser_name: fields.organiser.label(lang).to_owned(),
            soe_only: fields.soe_only,
            held_on: fields.held_on.to_string(),
            district: fields.district_code.clone(),
            district_name: crate::pages::district_name(&fields.district_code, lang),
            venue: fields.venue.clone(),
            online_url: fields.online_url.clone(),
            provisions: fields
                .provisions
                .iter()
                .map(|p| p.code().to_owned())
                .collect(),
            employers: record.employers,
            registrations: record.registrations,
        }
    }
}

/// A posting an employer brings to a fair.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairPostingBody {
    /// The posting's record id.
    pub job_id: i64,
    /// Its title.
    pub title: String,
    /// How many posts it offers.
    pub posts: u32,
    /// Still taking applications.
    pub open: bool,
}

/// An employer taking part in a fair.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairEmployerBody {
    /// The employer's record id.
    pub employer_id: i64,
    /// Its registered name.
    pub employer_name: String,
    /// Whether it is state-owned.
    pub state_owned: bool,
    /// The postings it brings.
    pub postings: Vec<FairPostingBody>,
}

/// A fair with the employers taking part.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairDetailBody {
    /// The fair.
    #[serde(flatten)]
    pub fair: FairBody,
    /// The employers taking part, by name, with their postings.
    pub participants: Vec<FairEmployerBody>,
}

fn detail(view: &FairView, lang: Lang) -> FairDetailBody {
    FairDetailBody {
        fair: FairBody::from_record(&view.record, lang),
        participants: view
            .participants
            .iter()
            .map(|p| FairEmployerBody {
                employer_id: p.record.employer_id,
                employer_name: p.record.employer_name.clone(),
                state_owned: p.record.state_owned,
                postings: p
                    .postings
                    .iter()
                    .map(|j| FairPostingBody {
                        job_id: j.id,
                        title: j.fields.title.clone(),
                        posts: j.fields.posts,
                        open: j.open,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// A person's registration for a fair.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationBody {
    /// Record id.
    pub id: i64,
    /// The person's record id.
    pub person_id: i64,
    /// The person's name, masked.
    pub person_name: String,
    /// Access need codes.
    pub access_needs: Vec<String>,
    /// `registered`, `attended` or `no_show`.
    pub status: String,
    /// Its name in the request's language.
    pub status_name: String,
    /// The day they registered.
    pub registered_on: String,
    /// The day attendance was marked, if it was.
    pub marked_on: Option<String>,
}

impl RegistrationBody {
    fn from_view(view: &RegistrationView, lang: Lang) -> RegistrationBody {
        let record = &view.record;
        RegistrationBody {
            id: record.id,
            person_id: record.person_id,
            person_name: view.name_masked.clone(),
            access_needs: record
                .access_needs
                .iter()
                .map(|n| n.code().to_owned())
                .collect(),
            status: record.status.code().to_owned(),
            status_name: record.status.label(lang).to_owned(),
            registered_on: record.registered_on.to_string(),
            marked_on: record.marked_on.map(|d| d.to_string()),
        }
    }
}

/// One access need in a fair's report.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeedReportBody {
    /// The need's code.
    pub need: String,
    /// Its name in the request's language.
    pub label: String,
    /// Whether the fair offered it.
    pub offered: bool,
    /// Registrations asking for it.
    pub registered: u32,
    /// Of those, how many attended.
    pub attended: u32,
}

/// A fair's report.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairReportBody {
    /// The fair's record id.
    pub fair_id: i64,
    /// Registrations.
    pub registered: u32,
    /// Marked attended.
    pub attended: u32,
    /// Marked as not attended.
    pub no_show: u32,
    /// Not marked yet.
    pub unmarked: u32,
    /// Registrations with a need the fair did not offer.
    pub unmet: u32,
    /// Each need asked for or offered.
    pub needs: Vec<NeedReportBody>,
    /// Employers taking part.
    pub employers: u32,
    /// Postings they brought.
    pub postings: u32,
    /// Posts offered.
    pub posts_offered: u32,
    /// Applications made at the fair.
    pub applications: u32,
    /// Of those, how many reached an interview or went further.
    pub interview: u32,
    /// … an offer or a hire.
    pub offer: u32,
    /// … a hire.
    pub hired: u32,
}

impl FairReportBody {
    fn from_report(fair_id: i64, report: &FairReport, lang: Lang) -> FairReportBody {
        FairReportBody {
            fair_id,
            registered: report.registered,
            attended: report.attended,
            no_show: report.no_show,
            unmarked: report.unmarked,
            unmet: report.unmet,
            needs: report
                .needs
                .iter()
                .map(|row| NeedReportBody {
                    need: row.need.code().to_owned(),
                    label: row.need.label(lang).to_owned(),
                    offered: row.offered,
                    registered: row.registered,
                    attended: row.attended,
                })
                .collect(),
            employers: report.employers,
            postings: report.postings,
            posts_offered: report.posts_offered,
            applications: report.applications,
            interview: report.interview,
            offer: report.offer,
            hired: report.hired,
        }
    }
}

/// List parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FairListParams {
    /// Words of the title.
    pub q: Option<String>,
    /// The holding district (code or name).
    pub district: Option<String>,
    /// `on_site` or `online`.
    pub mode: Option<String>,
    /// `true`: fairs for state-owned enterprises only.
    pub soe_only: Option<bool>,
    /// `upcoming` (today or later, soonest first), `past` or `all`
    /// (default, latest first).
    pub when: Option<String>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, default 20, at most 200.
    pub per_page: Option<u32>,
    /// Interface language of messages and names (`zh` or `en`).
    pub lang: Option<String>,
}

/// The fairs in your scope that match, one page at a time (a district
/// officer: its district's).
#[utoipa::path(get, path = "/api/v1/fairs", tag = "fairs", security(("bearer" = [])), params(FairListParams),
    responses((status = 200, body = ListBody<FairBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_fairs(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<FairListParams>,
) -> Result<Json<ListBody<FairBody>>, ApiError> {
    let (page, per_page) = paging(params.page, params.per_page, &caller)?;
    let query = FairQuery {
        search: params.q.unwrap_or_default(),
        district: params.district.unwrap_or_default(),
        mode: params.mode.unwrap_or_default(),
        soe_only: params.soe_only.unwrap_or(false),
        when: params.when.unwrap_or_default(),
        page,
        per_page,
    };
    let list = state
        .app
        .list_fairs(&caller.actor, &query)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(ListBody {
        items: list
            .fairs
            .items
            .iter()
            .map(|r| FairBody::from_record(r, caller.lang))
            .collect(),
        total: list.fairs.total,
        page: list.filter.page,
        per_page: list.filter.per_page,
    }))
}

/// A fair to enter, or its new fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "2024年国有企业助残专场招聘会", "mode": "on_site", "organiser": "state_assets",
    "soe_only": true, "held_on": "2024-09-20", "district": "120101", "venue": "天津市人才市场一楼",
    "provisions": ["sign_language", "step_free"]}))]
pub struct NewFairBody {
    /// The title (at most 100 characters).
    pub title: String,
    /// `on_site` or `online`.
    pub mode: String,
    /// `state_assets`, `disability_service` or `public_service`.
    pub organiser: String,
    /// For state-owned enterprises only (default `false`).
    #[serde(default)]
    pub soe_only: bool,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// The holding district (code or name); an officer's own.
    pub district: String,
    /// The venue; required on site.
    pub venue: Option<String>,
    /// The web address (`https://…`); required online.
    pub online_url: Option<String>,
    /// Access provision codes: `sign_language`, `step_free`,
    /// `large_print`, `braille`, `captioning`, `companion`.
    #[serde(default)]
    pub provisions: Vec<String>,
}

impl NewFairBody {
    fn input(self) -> FairInput {
        FairInput {
            title: self.title,
            mode: self.mode,
            organiser: self.organiser,
            soe_only: self.soe_only,
            held_on: self.held_on,
            district: self.district,
            venue: self.venue.unwrap_or_default(),
            online_url: self.online_url.unwrap_or_default(),
            provisions: self.provisions,
        }
    }
}

/// Enters a fair (city administrators; district officers in their
/// district). Every field that is wrong is named in one 422 and nothing is
/// saved.
#[utoipa::path(post, path = "/api/v1/fairs", tag = "fairs", security(("bearer" = [])), request_body = NewFairBody,
    responses((status = 201, body = FairBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_fair(
    State(state): State<AppState>,
    caller: ApiActor,
    body: Result<ApiJson<NewFairBody>, ApiError>,
) -> Result<Response, ApiError> {
    let ApiJson(body) = body?;
    let record = state
        .app
        .create_fair(&caller.actor, &body.input())
        .await
        .map_err(|e| caller.error(e))?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/fairs/{}", record.id))],
        Json(FairBody::from_record(&record, caller.lang)),
    )
        .into_response())
}

/// One fair in your scope with the employers and posts taking part.
#[utoipa::path(get, path = "/api/v1/fairs/{id}", tag = "fairs", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")),
    responses((status = 200, body = FairDetailBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_fair(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<FairDetailBody>, ApiError> {
    let view = fair_of(&state, &caller, &id, false).await?;
    Ok(Json(detail(&view, caller.lang)))
}

/// Replaces a fair's fields (the whole fair, as when entering it).
#[utoipa::path(patch, path = "/api/v1/fairs/{id}", tag = "fairs", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = NewFairBody,
    responses((status = 200, body = FairBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_fair(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewFairBody>, ApiError>,
) -> Result<Json<FairBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let record = state
        .app
        .update_fair(&caller.actor, id, &body.input())
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(FairBody::from_record(&record, caller.lang)))
}

/// The registrations of a fair you may see (masked; a job seeker: their
/// own); the people shown are audited.
#[utoipa::path(get, path = "/api/v1/fairs/{id}/registrations", tag = "fairs", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")),
    responses((status = 200, body = ListBody<RegistrationBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_registrations(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<ListBody<RegistrationBody>>, ApiError> {
    let view = fair_of(&state, &caller, &id, true).await?;
    let items: Vec<RegistrationBody> = view
        .registrations
        .iter()
        .map(|r| RegistrationBody::from_view(r, caller.lang))
        .collect();
    let total = items.len() as u64;
    Ok(Json(ListBody {
        per_page: u32::try_from(items.len()).unwrap_or(u32::MAX).max(1),
        items,
        total,
        page: 1,
    }))
}

/// A registration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"person_id": 12, "access_needs": ["sign_language"]}))]
pub struct NewRegistrationBody {
    /// The person (staff: one of your scope); a job seeker leaves it out.
    pub person_id: Option<i64>,
    /// Access need codes.
    #[serde(default)]
    pub access_needs: Vec<String>,
}

/// Registers a person for a fair: staff a person of their scope, a job
/// seeker themself (for a fair still to come). A second registration is
/// 422 on `person_id` (`registered_already`).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/registrations", tag = "fairs", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = NewRegistrationBody,
    responses((status = 201, body = RegistrationBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<NewRegistrationBody>, ApiError>,
) -> Result<Response, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let input = RegistrationInput {
        person_id: body.person_id.map(|p| p.to_string()).unwrap_or_default(),
        access_needs: body.access_needs,
    };
    let record = state
        .app
        .register_for_fair(&caller.actor, id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    let view = RegistrationView {
        name_masked: ablework_domain::person::mask_name(&record.person_name),
        record,
    };
    Ok((
        StatusCode::CREATED,
        Json(RegistrationBody::from_view(&view, caller.lang)),
    )
        .into_response())
}

/// An employer's participation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"job_ids": [31, 32]}))]
pub struct JoinBody {
    /// The employer (staff: one of your scope); an employer's own account
    /// leaves it out.
    pub employer_id: Option<i64>,
    /// The open postings of the employer it brings (at least one).
    pub job_ids: Vec<i64>,
}

/// An employer takes part in a fair with some of its open postings;
/// taking part again replaces them. A fair for state-owned enterprises
/// only refuses any other employer (422 on `employer_id`,
/// `not_state_owned`).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/employers", tag = "fairs", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = JoinBody,
    responses((status = 201, body = FairDetailBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn join(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<JoinBody>, ApiError>,
) -> Result<Response, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let input = JoinInput {
        employer_id: body.employer_id.map(|e| e.to_string()).unwrap_or_default(),
        postings: body.job_ids.iter().map(ToString::to_string).collect(),
    };
    state
        .app
        .join_fair(&caller.actor, id, &input)
        .await
        .map_err(|e| caller.error(e))?;
    let view = state
        .app
        .fair_summary(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok((StatusCode::CREATED, Json(detail(&view, caller.lang))).into_response())
}

/// One registration's attendance.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkBody {
    /// The registration's record id.
    pub registration_id: i64,
    /// `attended`, `no_show` or `registered`.
    pub status: String,
}

/// Attendance of a fair.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"marks": [{"registration_id": 5, "status": "attended"}]}))]
pub struct AttendanceBody {
    /// One mark per registration.
    pub marks: Vec<MarkBody>,
}

/// How many registrations changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttendanceResultBody {
    /// Registrations whose status changed.
    pub changed: u64,
}

/// Marks who attended a fair that has been held, in one transaction.
#[utoipa::path(post, path = "/api/v1/fairs/{id}/attendance", tag = "fairs", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = AttendanceBody,
    responses((status = 200, body = AttendanceResultBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mark_attendance(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<AttendanceBody>, ApiError>,
) -> Result<Json<AttendanceResultBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let marks: Vec<(String, String)> = body
        .marks
        .into_iter()
        .map(|m| (m.registration_id.to_string(), m.status))
        .collect();
    let changed = state
        .app
        .mark_attendance(&caller.actor, id, &marks)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(AttendanceResultBody { changed }))
}

/// An application made at a fair.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FairApplicationBody {
    /// The person, registered for the fair.
    pub person_id: i64,
    /// A posting brought to the fair.
    pub job_id: i64,
}

/// Records an application made at a fair that has been held, by a person
/// registered for it to a posting brought to it: the rules of
/// `POST /api/v1/jobs/{id}/applications`, dated the fair's day and linked
/// to the fair (`fair_id`).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/applications", tag = "fairs", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = FairApplicationBody,
    responses((status = 201, body = ApplicationBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn apply_at_fair(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<FairApplicationBody>, ApiError>,
) -> Result<Response, ApiError> {
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let view = state
        .app
        .apply_at_fair(&caller.actor, id, body.person_id, body.job_id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(crate::api_applications::created(&view, &caller))
}

/// A fair's report: registrations, attendance, access needs met and
/// unmet, employers, posts offered, and how far the applications made at
/// the fair went.
#[utoipa::path(get, path = "/api/v1/fairs/{id}/report", tag = "fairs", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")),
    responses((status = 200, body = FairReportBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<FairReportBody>, ApiError> {
    let view = fair_of(&state, &caller, &id, false).await?;
    Ok(Json(FairReportBody::from_report(
        view.record.id,
        &view.report,
        caller.lang,
    )))
}
