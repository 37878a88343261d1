//! The JSON API under `/api/v1/`, and its OpenAPI document.
//!
//! Requests authenticate with `Authorization: Bearer TOKEN`. Bodies are JSON
//! with unknown fields rejected; every failure answers the error body of
//! [`crate::error`], naming the field where there is one.

use ablework_app::Actor;
use ablework_app::audit::AuditQuery;
use ablework_app::persons::{NewPersonInput, PersonChanges, PersonQuery, PersonView};
use ablework_domain::district;
use ablework_domain::lang::Lang;
use ablework_domain::roles::Permission;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::api_cases as cases;
use crate::api_employers as employers;
use crate::api_graduates as graduates;
use crate::api_jobs as jobs;
use crate::context::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::{API_BODY_LIMIT, AppState};

/// The API's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/me", get(me))
        .route("/persons", get(list_persons).post(create_person))
        .route("/persons/{id}", get(get_person).patch(update_person))
        .route("/persons/{id}/unmask", post(unmask_person))
        .route("/audit", get(search_audit))
        .route("/progress", get(progress))
        .route(
            "/progress/statistics",
            get(crate::statistics_pages::api_statistics),
        )
        .route("/levy/assessments", post(crate::levy::assess))
        .merge(crate::api_duplicates::routes())
        .merge(crate::api_employers::routes())
        .merge(crate::api_cases::routes())
        .merge(crate::api_graduates::routes())
        .merge(crate::api_jobs::routes())
        .merge(crate::api_fairs::routes())
        .merge(crate::api_programmes::routes())
        .merge(crate::api_match::routes())
        .merge(crate::api_applications::routes())
        .merge(crate::plan_pages::api_routes())
        .fallback(api_not_found)
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT))
}

// ---- extractors -----------------------------------------------------------

/// The authenticated caller of an API endpoint, with the request's language.
pub struct ApiActor {
    /// Who.
    pub actor: Actor,
    /// The language of messages.
    pub lang: Lang,
    /// The request id.
    pub request_id: Option<String>,
}

impl ApiActor {
    /// The application error as the API's error body, in the caller's
    /// language.
    pub(crate) fn error(&self, error: ablework_app::AppError) -> ApiError {
        ApiError::from_app(error, self.lang, self.request_id.as_deref())
    }
}

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ApiActor, ApiError> {
        let Ok(ctx) = Ctx::from_request_parts(parts, state).await;
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let Some(token) = token else {
            return Err(ApiError::from_app(
                ablework_app::AppError::Unauthenticated,
                ctx.lang,
                ctx.request_id.as_deref(),
            ));
        };
        let actor = state
            .app
            .authenticate_token(token, ctx.request_id.clone())
            .await
            .map_err(|e| ApiError::from_app(e, ctx.lang, ctx.request_id.as_deref()))?;
        Ok(ApiActor {
            actor,
            lang: ctx.lang,
            request_id: ctx.request_id,
        })
    }
}

/// Where a deserialisation error points, and why.
pub(crate) fn describe(path: &str, inner: &str) -> (String, &'static str) {
    // serde names unknown and missing fields in its message; the path may
    // or may not already end with the field's name.
    let named = |rest: &str| {
        let name = rest.split('`').next().unwrap_or_default().to_owned();
        if path == "." || path.is_empty() {
            name
        } else if path == name || path.ends_with(&format!(".{name}")) {
            path.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(rest) = inner.strip_prefix("unknown field `") {
        return (named(rest), "unknown_field");
    }
    if let Some(rest) = inner.strip_prefix("missing field `") {
        return (named(rest), "required");
    }
    (path.to_owned(), "invalid_type")
}

/// A JSON body: `application/json`, within the size limit, with every field
/// known and of the right type.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<ApiJson<T>, ApiError> {
        let (mut parts, body) = request.into_parts();
        let Ok(ctx) = Ctx::from_request_parts(&mut parts, state).await;
        let zh = ctx.lang == Lang::Zh;
        let json = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
            });
        if !json {
            let message = if zh {
                "请求体须为 JSON（Content-Type: application/json）"
            } else {
                "The body must be JSON (Content-Type: application/json)"
            };
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                message,
            ));
        }
        let request = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    let message = if zh {
                        format!("请求体不能超过 {API_BODY_LIMIT} 字节")
                    } else {
                        format!("The body may be at most {API_BODY_LIMIT} bytes")
                    };
                    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", message)
                } else {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "unreadable_body",
                        rejection.body_text(),
                    )
                }
            })?;
        // Syntax first, so a malformed body is always 400 whatever it holds.
        if let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
            let message = if zh {
                format!("JSON 格式错误：{error}")
            } else {
                format!("Malformed JSON: {error}")
            };
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                message,
            ));
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Ok(value) => {
                // Anything after the JSON value makes the body malformed.
                deserializer.end().map_err(|error| {
                    let message = if zh {
                        format!("JSON 格式错误：{error}")
                    } else {
                        format!("Malformed JSON: {error}")
                    };
                    ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", message)
                })?;
                Ok(ApiJson(value))
            }
            Err(error) => {
                let inner = error.inner();
                if inner.is_syntax() || inner.is_eof() {
                    let message = if zh {
                        format!("JSON 格式错误：{inner}")
                    } else {
                        format!("Malformed JSON: {inner}")
                    };
                    return Err(ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "malformed_json",
                        message,
                    ));
                }
                let text = inner.to_string();
                let detail = text.split(" at line ").next().unwrap_or(&text).to_owned();
                let (field, code) = describe(&error.path().to_string(), &detail);
                let message = if zh {
                    format!("字段 {field} 有误：{detail}")
                } else {
                    format!("Field {field} is not valid: {detail}")
                };
                Err(ApiError::field(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &field,
                    code,
                    message,
                ))
            }
        }
    }
}

/// Query parameters of the right types; the error names the parameter.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<ApiQuery<T>, ApiError> {
        let Ok(ctx) = Ctx::from_request_parts(parts, state).await;
        let query = parts.uri.query().unwrap_or_default();
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded_parse(query));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|error| {
                let detail = error.inner().to_string();
                let (field, code) = describe(&error.path().to_string(), &detail);
                let message = if ctx.lang == Lang::Zh {
                    format!("参数 {field} 有误：{detail}")
                } else {
                    format!("Parameter {field} is not valid: {detail}")
                };
                ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, &field, code, message)
            })
    }
}

fn form_urlencoded_parse(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

// ---- bodies ---------------------------------------------------------------

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListBody<T: ToSchema> {
    /// The records on this page.
    pub items: Vec<T>,
    /// How many match in all.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

/// A person, masked (identifiers are revealed only by `unmask`).
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonBody {
    /// Record id.
    pub id: i64,
    /// Name with all but the surname masked (`张*`).
    pub name_masked: String,
    /// `1201**********1235`.
    pub id_number_masked: String,
    /// `1201****************`.
    pub certificate_number_masked: String,
    /// `male` or `female`.
    pub sex: String,
    /// Whole years today.
    pub age: u32,
    /// Of working age today under the active policy preset.
    pub working_age: bool,
    /// `vision`, `hearing`, `speech`, `physical`, `intellectual`, `mental`, `multiple`.
    pub category: String,
    /// 1 (most severe) to 4.
    pub level: u8,
    /// District of service, current GB/T 2260 code.
    pub district: String,
    /// The district's name in the request's language.
    pub district_name: String,
    /// Street or township.
    pub street: Option<String>,
    /// `urban` or `rural`.
    pub hukou: Option<String>,
    /// `138****1234`.
    pub phone_masked: Option<String>,
    /// Education code.
    pub education: Option<String>,
    /// `employed` or `unemployed`.
    pub employment_status: String,
    /// `male`, `female_50` or `female_55`.
    pub retirement_group: String,
    /// Registration date.
    pub registered_on: String,
    /// Whether the record is active.
    pub active: bool,
}

impl PersonBody {
    pub(crate) fn from_view(view: PersonView, lang: Lang) -> PersonBody {
        PersonBody {
            id: view.id,
            name_masked: view.name_masked,
            id_number_masked: view.id_number_masked,
            certificate_number_masked: view.certificate_masked,
            sex: view.sex.code().to_owned(),
            age: view.age,
            working_age: view.working_age,
            category: view.category.code().to_owned(),
            level: view.level,
            district_name: district::by_code(&view.district_code)
                .map(|d| d.name(lang).to_owned())
                .unwrap_or_default(),
            district: view.district_code,
            street: view.street,
            hukou: view.hukou.map(|h| h.code().to_owned()),
            phone_masked: view.phone_masked,
            education: view.education.map(|e| e.code().to_owned()),
            employment_status: view.employment_status.code().to_owned(),
            retirement_group: view.retirement_group.code().to_owned(),
            registered_on: view.registered_on.to_string(),
            active: view.active,
        }
    }
}

/// People list parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PersonListParams {
    /// Part of a name, or a whole ID number.
    pub q: Option<String>,
    /// District code or name (within your scope).
    pub district: Option<String>,
    /// Disability category code.
    pub category: Option<String>,
    /// `employed` or `unemployed`.
    pub employment_status: Option<String>,
    /// `registered_desc` (default), `registered_asc`, `name`, `age_asc`, `age_desc`.
    pub sort: Option<String>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, default 20, at most 200.
    pub per_page: Option<u32>,
    /// Interface language of messages (`zh` or `en`).
    pub lang: Option<String>,
}

/// A person to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPersonBody {
    /// Full name.
    pub name: String,
    /// Resident ID number: 18 characters (or a legacy 15-digit one).
    pub id_number: String,
    /// Disability certificate number: the ID number, category and level digits, optional `B1`–`B9`.
    pub certificate_number: String,
    /// District code (current or historical) or name.
    pub district: String,
    /// Street or township.
    pub street: Option<String>,
    /// `urban` or `rural`.
    pub hukou: Option<String>,
    /// Mobile number, 11 digits.
    pub phone: Option<String>,
    /// Education code.
    pub education: Option<String>,
    /// `employed` or `unemployed` (default `unemployed`).
    pub employment_status: Option<String>,
    /// For women: `female_50` (default) or `female_55`.
    pub retirement_group: Option<String>,
}

/// Changes to a person. Absent fields stay as they are; an empty string
/// clears an optional field. The ID number cannot change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonPatchBody {
    /// Full name.
    pub name: Option<String>,
    /// A new certificate number (reissue or re-assessment); must start with the ID number.
    pub certificate_number: Option<String>,
    /// District of service (code or name).
    pub district: Option<String>,
    /// Street or township.
    pub street: Option<String>,
    /// `urban` or `rural`.
    pub hukou: Option<String>,
    /// Mobile number.
    pub phone: Option<String>,
    /// Education code.
    pub education: Option<String>,
    /// `employed` or `unemployed`.
    pub employment_status: Option<String>,
    /// For women: `female_50` or `female_55`.
    pub retirement_group: Option<String>,
    /// `false` deactivates the record, `true` restores it; needs `reason`.
    pub active: Option<bool>,
    /// Why the record is deactivated or restored (recorded in the audit log).
    pub reason: Option<String>,
}

/// Why the full identifiers are needed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnmaskBody {
    /// The reason, recorded in the audit log.
    pub reason: String,
}

/// A person's identifiers in clear.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnmaskedBody {
    /// Full name.
    pub name: String,
    /// Resident ID number.
    pub id_number: String,
    /// Certificate number.
    pub certificate_number: String,
    /// Mobile number.
    pub phone: Option<String>,
}

/// The caller's account.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeBody {
    /// Username.
    pub username: String,
    /// Role.
    pub role: String,
    /// District of a district officer.
    pub district: Option<String>,
    /// Organisation of an employer or institution.
    pub organisation_id: Option<i64>,
    /// Own record of a seeker.
    pub person_id: Option<i64>,
}

/// Audit search parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// Username.
    pub actor: Option<String>,
    /// Action, or a prefix ending in `.`.
    pub action: Option<String>,
    /// Record type.
    pub entity: Option<String>,
    /// Record id.
    pub entity_id: Option<String>,
    /// First day, `YYYY-MM-DD` (China time).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (China time).
    pub until: Option<String>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, default 50, at most 200.
    pub per_page: Option<u32>,
    /// Interface language of messages.
    pub lang: Option<String>,
}

/// One audit record.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditBody {
    /// Position in the chain.
    pub seq: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Username, or `system`.
    pub actor: String,
    /// What was done.
    pub action: String,
    /// Kind of record.
    pub entity: String,
    /// Record id.
    pub entity_id: Option<String>,
    /// Request id.
    pub request_id: Option<String>,
    /// Further facts.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// This record's chain hash.
    pub hash: String,
}

// ---- handlers -------------------------------------------------------------

/// A record id from the path; anything that is not one is absent (404).
pub(crate) fn path_id(raw: &str, caller: &ApiActor) -> Result<i64, ApiError> {
    raw.parse()
        .map_err(|_| caller.error(ablework_app::AppError::NotFound))
}

/// The caller's own account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = MeBody), (status = 401, body = ErrorBody)))]
async fn me(caller: ApiActor) -> Json<MeBody> {
    let actor = caller.actor;
    Json(MeBody {
        username: actor.username,
        role: actor.role.as_str().to_owned(),
        district: actor.district_code,
        organisation_id: actor.organisation_id,
        person_id: actor.person_id,
    })
}

/// People in your scope, masked, one page at a time.
#[utoipa::path(get, path = "/api/v1/persons", tag = "persons", security(("bearer" = [])), params(PersonListParams),
    responses((status = 200, body = ListBody<PersonBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_persons(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<PersonListParams>,
) -> Result<Json<ListBody<PersonBody>>, ApiError> {
    let page = params.page.unwrap_or(1).max(1);
    let per_page = params.per_page.unwrap_or(20);
    let query = PersonQuery {
        q: params.q,
        district: params.district,
        category: params.category,
        employment_status: params.employment_status,
        sort: params.sort,
        page: Some(page),
        per_page: Some(per_page),
    };
    let found = state
        .app
        .list_persons(&caller.actor, query)
        .await
        .map_err(|e| caller.error(e))?;
    let items = found
        .items
        .into_iter()
        .map(|v| PersonBody::from_view(v, caller.lang))
        .collect();
    Ok(Json(ListBody {
        items,
        total: found.total,
        page,
        per_page,
    }))
}

/// Registers a person. Identifiers are validated; a registered ID number is a conflict.
#[utoipa::path(post, path = "/api/v1/persons", tag = "persons", security(("bearer" = [])), request_body = NewPersonBody,
    responses((status = 201, body = PersonBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_person(
    State(state): State<AppState>,
    caller: ApiActor,
    body: Result<ApiJson<NewPersonBody>, ApiError>,
) -> Result<Response, ApiError> {
    // Who may register is decided before what they sent is looked at.
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let ApiJson(body) = body?;
    let input = NewPersonInput {
        name: body.name,
        id_number: body.id_number,
        certificate_number: body.certificate_number,
        district: body.district,
        street: body.street,
        hukou: body.hukou,
        phone: body.phone,
        education: body.education,
        employment_status: body.employment_status,
        retirement_group: body.retirement_group,
    };
    let view = state
        .app
        .create_person(&caller.actor, input)
        .await
        .map_err(|e| caller.error(e))?;
    let location = format!("/api/v1/persons/{}", view.id);
    let body = PersonBody::from_view(view, caller.lang);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(body),
    )
        .into_response())
}

/// One person in your scope, masked. The read is recorded in the audit log.
#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "persons", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")),
    responses((status = 200, body = PersonBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_person(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<PersonBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let view = state
        .app
        .get_person(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(PersonBody::from_view(view, caller.lang)))
}

/// Changes a person's record in your scope; the change is audited.
#[utoipa::path(patch, path = "/api/v1/persons/{id}", tag = "persons", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = PersonPatchBody,
    responses((status = 200, body = PersonBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_person(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<PersonPatchBody>, ApiError>,
) -> Result<Json<PersonBody>, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonWrite)
        .map_err(|e| caller.error(e))?;
    let id = path_id(&id, &caller)?;
    let ApiJson(body) = body?;
    let changes = PersonChanges {
        name: body.name,
        certificate_number: body.certificate_number,
        district: body.district,
        street: body.street,
        hukou: body.hukou,
        phone: body.phone,
        education: body.education,
        employment_status: body.employment_status,
        retirement_group: body.retirement_group,
        active: body.active,
        reason: body.reason,
    };
    let view = state
        .app
        .update_person(&caller.actor, id, changes)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(PersonBody::from_view(view, caller.lang)))
}

/// Reveals a person's identifiers for a stated reason, recorded in the audit log.
#[utoipa::path(post, path = "/api/v1/persons/{id}/unmask", tag = "persons", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Record id")), request_body = UnmaskBody,
    responses((status = 200, body = UnmaskedBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn unmask_person(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
    body: Result<ApiJson<UnmaskBody>, ApiError>,
) -> Result<Response, ApiError> {
    state
        .app
        .authorize(&caller.actor, Permission::PersonUnmask)
        .map_err(|e| caller.error(e))?;
    let ApiJson(body) = body?;
    let id = path_id(&id, &caller)?;
    let clear = state
        .app
        .unmask_person(&caller.actor, id, &body.reason)
        .await
        .map_err(|e| caller.error(e))?;
    let body = UnmaskedBody {
        name: clear.name,
        id_number: clear.id_number,
        certificate_number: clear.certificate_number,
        phone: clear.phone,
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response())
}

/// Searches the audit log, newest first (city administrators).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])), params(AuditParams),
    responses((status = 200, body = ListBody<AuditBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn search_audit(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<Json<ListBody<AuditBody>>, ApiError> {
    let page = params.page.unwrap_or(1).max(1);
    let per_page = params.per_page.unwrap_or(50);
    let query = AuditQuery {
        actor: params.actor,
        action: params.action,
        entity: params.entity,
        entity_id: params.entity_id,
        from: params.from,
        until: params.until,
        page: Some(page),
        per_page: Some(per_page),
    };
    let found = state
        .app
        .search_audit(&caller.actor, query)
        .await
        .map_err(|e| caller.error(e))?;
    let items = found
        .items
        .into_iter()
        .map(|r| AuditBody {
            seq: r.seq,
            at: r.entry.at.to_rfc3339(),
            actor: r.entry.actor,
            action: r.entry.action,
            entity: r.entry.entity,
            entity_id: r.entry.entity_id,
            request_id: r.entry.request_id,
            detail: r.entry.detail,
            hash: r.hash,
        })
        .collect();
    Ok(Json(ListBody {
        items,
        total: found.total,
        page,
        per_page,
    }))
}

/// Progress against the plan's target in your scope: the city for city
/// administrators, your district (against its share) for district officers.
/// The same figures as the dashboard and `ablework report progress --json`.
/// `plan` names the plan (default `tianjin-2022-2024`; see `GET /api/v1/plans`).
#[utoipa::path(get, path = "/api/v1/progress", tag = "progress", security(("bearer" = [])),
    params(("plan" = Option<String>, Query, description = "The plan's id; the default plan when absent"),
        ("district" = Option<String>, Query, description = "One district (city administrators; a district officer's own district or nothing); adds `by_street`")),
    responses((status = 200, description = "The progress report", body = Object), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, description = "No such plan", body = ErrorBody)))]
async fn progress(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<crate::plan_pages::ProgressParams>,
) -> Result<Json<ablework_domain::progress::ProgressReport>, ApiError> {
    let report = state
        .app
        .progress_report(&caller.actor, &params.query())
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(report))
}

async fn api_not_found(ctx: Ctx) -> ApiError {
    ApiError::from_app(
        ablework_app::AppError::NotFound,
        ctx.lang,
        ctx.request_id.as_deref(),
    )
}

/// Adds the bearer scheme.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from `ablework token create`"))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document, generated from the handlers and bodies above.
#[derive(OpenApi)]
#[openapi(
    info(title = "AbleWork API", description = "The JSON API of AbleWork, the employment service for persons with disabilities."),
    paths(me, list_persons, create_person, get_person, update_person, unmask_person, search_audit, progress, crate::statistics_pages::api_statistics,
        crate::plan_pages::api_list, crate::plan_pages::api_get, crate::plan_pages::api_save, crate::levy::assess,
        employers::list_employers, employers::create_employer, employers::get_employer, employers::update_employer,
        employers::list_declarations, employers::file_declaration, employers::get_declaration,
        employers::approve_declaration, employers::return_declaration,
        employers::measure_one, employers::what_if,
        employers::list_policies, employers::get_policy, employers::create_policy,
        cases::get_case, cases::record_check, cases::submit_assessment, cases::register_need, cases::record_service,
        cases::record_consent, cases::list_waiting, cases::approve_assessment, cases::return_assessment, cases::work_queue,
        cases::record_outcome, cases::record_follow_up,
        graduates::list_graduates, graduates::enrol_student, graduates::get_graduate, graduates::add_step,
        graduates::mark_step_done, graduates::record_contact,
        jobs::list_jobs, jobs::create_job, jobs::get_job, jobs::update_job,
        crate::api_match::recommendations, crate::api_match::verdict, crate::api_match::candidates,
        crate::api_match::hide, crate::api_match::unhide, crate::api_match::decide, crate::api_match::work_list,
        crate::api_applications::apply, crate::api_applications::get_application, crate::api_applications::move_application,
        crate::api_fairs::list_fairs, crate::api_fairs::create_fair, crate::api_fairs::get_fair, crate::api_fairs::update_fair,
        crate::api_fairs::list_registrations, crate::api_fairs::register, crate::api_fairs::join, crate::api_fairs::mark_attendance,
        crate::api_fairs::apply_at_fair, crate::api_fairs::report,
        crate::api_programmes::list_programmes, crate::api_programmes::list_units, crate::api_programmes::create_unit,
        crate::api_programmes::get_unit, crate::api_programmes::update_unit, crate::api_programmes::create_activity,
        crate::api_programmes::create_pooled, crate::api_programmes::list_activities, crate::api_programmes::get_activity,
        crate::api_programmes::join_unit, crate::api_programmes::join_activity, crate::api_programmes::record_progress,
        crate::api_programmes::place, crate::api_programmes::draw, crate::api_programmes::rural_criteria,
        crate::api_programmes::revise_rural_criteria,
        crate::api_duplicates::list_duplicates, crate::api_duplicates::merge, crate::api_duplicates::dismiss, crate::api_duplicates::undo),
    components(schemas(ErrorBody, crate::plan_pages::PlanBody, PersonBody, NewPersonBody, PersonPatchBody, UnmaskBody, UnmaskedBody, MeBody, AuditBody,
        crate::levy::LevyDeclarationBody, crate::levy::SeasonalWorkersBody, crate::levy::DisabledEmployeeBody, crate::levy::LevyAssessmentBody,
        employers::EmployerBody, employers::EmployerDetailBody, employers::StandingBody, employers::ShortfallBody,
        employers::NewEmployerBody, employers::EmployerPatchBody,
        employers::DeclarationSummaryBody, employers::DeclarationBody, employers::SeasonalBody, employers::DeclaredEmployeeBody,
        employers::MonthsBody, employers::ConflictBody, employers::EventBody,
        employers::NewDeclarationBody, employers::NewSeasonalBody, employers::NewDeclaredEmployeeBody, employers::ReviewBody,
        employers::MeasureOneBody, employers::MeasureOneRowBody, employers::MeasureOneDistrictBody, employers::MeasureOneYearBody,
        employers::WhatIfBody, employers::WhatIfRowBody, employers::WhatIfGroupBody, employers::PolicyBody,
        cases::CaseBody, cases::ProgressBody, cases::CheckBody, cases::FunctionsBody, cases::AssessmentBody, cases::NeedBody,
        cases::ServiceBody, cases::ConsentBody, cases::ConsentStateBody, cases::CreatedBody, cases::NewCheckBody,
        cases::NewAssessmentBody, cases::NewNeedBody, cases::NewServiceBody, cases::NewConsentBody,
        cases::WaitingAssessmentBody, cases::AssessmentReviewBody, cases::OutcomeBody, cases::FollowUpBody,
        cases::NewOutcomeBody, cases::NewFollowUpBody,
        graduates::StudentBody, graduates::StepBody, graduates::ContactBody, graduates::GraduateBody, graduates::LedgerEntryBody,
        graduates::FlagCountsBody, graduates::LedgerBody, graduates::NewStudentBody, graduates::NewStepBody,
        graduates::NewContactBody, graduates::GraduateRecordCreatedBody,
        jobs::JobBody, jobs::DemandBody, jobs::NewJobBody, jobs::JobPatchBody,
        crate::api_match::FactorBody, crate::api_match::MatchBody, crate::api_match::RecommendedJobBody,
        crate::api_match::RecommendationsBody, crate::api_match::ExclusionBody, crate::api_match::VerdictBody,
        crate::api_match::CandidateBody, crate::api_match::CandidatesBody, crate::api_match::MarkBody,
        crate::api_match::HiddenJobBody, crate::api_match::MarkStateBody, crate::api_match::HideBody,
        crate::api_match::DecisionBody, crate::api_match::WorkListItemBody, crate::api_match::WorkListBody,
        crate::api_applications::ApplicationBody, crate::api_applications::ApplicationStepBody,
        crate::api_applications::NewApplicationBody, crate::api_applications::ApplicationPatchBody,
        crate::api_fairs::FairBody, crate::api_fairs::FairPostingBody, crate::api_fairs::FairEmployerBody, crate::api_fairs::FairDetailBody,
        crate::api_fairs::RegistrationBody, crate::api_fairs::NeedReportBody, crate::api_fairs::FairReportBody, crate::api_fairs::NewFairBody,
        crate::api_fairs::NewRegistrationBody, crate::api_fairs::JoinBody, crate::api_fairs::MarkBody, crate::api_fairs::AttendanceBody,
        crate::api_fairs::AttendanceResultBody, crate::api_fairs::FairApplicationBody,
        crate::api_programmes::ProgrammeBody, crate::api_programmes::ProgrammeFiguresBody, crate::api_programmes::ProgrammeUnitBody,
        crate::api_programmes::ProgrammeUnitDetailBody, crate::api_programmes::ProgrammeActivityBody, crate::api_programmes::ProgrammeActivityDetailBody,
        crate::api_programmes::ProgrammeParticipantBody, crate::api_programmes::ProgrammeDrawBody, crate::api_programmes::ProgrammeUnitRefBody,
        crate::api_programmes::CourseResultsBody, crate::api_programmes::RuralCriteriaBody, crate::api_programmes::RuralCriterionBody,
        crate::api_programmes::RuralAssessmentBody, crate::api_programmes::NewProgrammeUnitBody, crate::api_programmes::NewProgrammeActivityBody,
        crate::api_programmes::ProgrammeJoinBody, crate::api_programmes::ProgrammeProgressBody, crate::api_programmes::ProgrammePlacementBody,
        crate::api_programmes::NewProgrammeDrawBody, crate::api_programmes::RuralCriteriaRevisionBody,
        crate::api_duplicates::DuplicatePairBody, crate::api_duplicates::MergeBody, crate::api_duplicates::MergeRequestBody, crate::api_duplicates::DismissBody)),
    modifiers(&BearerScheme),
    tags((name = "accounts", description = "Your account"), (name = "persons", description = "People registered with the federation"), (name = "audit", description = "The audit log"), (name = "levy", description = "The employment security fund levy"), (name = "progress", description = "Progress against the plan's target"),
        (name = "employers", description = "Employers under the quota"), (name = "declarations", description = "Employers' annual quota declarations and their review"),
        (name = "quota", description = "The plan's measure 1 and what-if runs under another policy preset"), (name = "policies", description = "Policy presets: the numbers of the quota and the levy"),
        (name = "cases", description = "The \"four ones\" service: checks, assessments, needs, services, consents and work queues"),
        (name = "graduates", description = "The graduates' ledger (one person, one plan): disabled students' plans and contacts"),
        (name = "jobs", description = "Job postings: what employers offer, the functional demands of the work and the accommodations provided"),
        (name = "applications", description = "Job applications from recommendation to hire; a hire records the person's employment outcome"),
        (name = "fairs", description = "Job fairs for persons with disabilities (measure 2): employers and posts taking part, registrations with access needs, attendance, applications made at a fair and the fair's report"),
        (name = "programmes", description = "The programmes (measures 3, 4, 5, 6, 8, 9 and 10): units taking part, their activities and the district pools, people joining them, progress and placements credited to the programme's measure once, draws never beyond an activity's limit, and the rural bases' criteria"))
)]
pub struct ApiDoc;

async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}
