//! The JSON API of the duplicate review of people: the likely duplicates
//! with their evidence, "not the same person", a merge and its undo.
//!
//! The conventions are [`crate::api`]'s. Staff with `person_write` only; a
//! district officer sees and changes the pairs whose two people are both
//! in their district (anything else reads as absent, 404).

use std::collections::BTreeMap;

use ablework_app::duplicates::{DuplicatePair, MergeView};
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiActor, ApiJson, ApiQuery, ListBody, PersonBody, path_id};
use crate::api_employers::paging;
use crate::error::{ApiError, ErrorBody};

/// The routes of this module, merged into [`crate::api::routes`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/duplicates", get(list_duplicates))
        .route("/persons/duplicates/merge", post(merge))
        .route("/persons/duplicates/dismiss", post(dismiss))
        .route("/persons/merges/{id}/undo", post(undo))
}

/// A likely duplicate: two people (lower id first), masked, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicatePairBody {
    /// The first record.
    pub a: PersonBody,
    /// The second record.
    pub b: PersonBody,
    /// `same_name_and_birth_date`, `similar_name` (one character apart, or
    /// equal once full-width and traditional forms are normalised; same
    /// district and birth date), `same_phone`.
    pub reasons: Vec<String>,
}

impl DuplicatePairBody {
    fn new(pair: DuplicatePair, lang: ablework_domain::lang::Lang) -> DuplicatePairBody {
        DuplicatePairBody {
            reasons: pair.reasons.iter().map(|r| r.code().to_owned()).collect(),
            a: PersonBody::from_view(pair.a, lang),
            b: PersonBody::from_view(pair.b, lang),
        }
    }
}

/// A merge.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeBody {
    /// Merge id (for the undo).
    pub id: i64,
    /// The record kept.
    pub kept_id: i64,
    /// The record merged into it, now inactive.
    pub merged_id: i64,
    /// How many rows moved, by table.
    pub moved: BTreeMap<String, usize>,
    /// Who merged.
    pub merged_by: String,
    /// When (RFC 3339).
    pub merged_at: String,
    /// When it was undone, or `null`.
    pub undone_at: Option<String>,
}

impl From<MergeView> for MergeBody {
    fn from(merge: MergeView) -> MergeBody {
        MergeBody {
            id: merge.id,
            kept_id: merge.kept_id,
            merged_id: merge.merged_id,
            moved: merge.moved,
            merged_by: merge.merged_by,
            merged_at: merge.merged_at.to_rfc3339(),
            undone_at: merge.undone_at.map(|at| at.to_rfc3339()),
        }
    }
}

/// Query of the duplicates list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DuplicateListParams {
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, default 20, at most 200.
    pub per_page: Option<u32>,
    /// Interface language of messages and names (`zh` or `en`).
    pub lang: Option<String>,
}

/// Which record to keep and which to merge into it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequestBody {
    /// The record kept.
    pub keep: i64,
    /// The record merged into it: its histories move, it becomes inactive.
    pub merge: i64,
}

/// Two records that are not the same person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DismissBody {
    /// One record.
    pub a: i64,
    /// The other.
    pub b: i64,
}

/// The likely duplicates in your scope, with the evidence, one page at a
/// time. Pairs dismissed or merged are not listed. The list is audited.
#[utoipa::path(get, path = "/api/v1/persons/duplicates", tag = "persons", security(("bearer" = [])), params(DuplicateListParams),
    responses((status = 200, body = ListBody<DuplicatePairBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_duplicates(
    State(state): State<AppState>,
    caller: ApiActor,
    ApiQuery(params): ApiQuery<DuplicateListParams>,
) -> Result<Json<ListBody<DuplicatePairBody>>, ApiError> {
    let (page, per_page) = paging(params.page, params.per_page, &caller)?;
    let pairs = state
        .app
        .duplicate_pairs(&caller.actor, page, per_page)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(ListBody {
        items: pairs
            .items
            .into_iter()
            .map(|p| DuplicatePairBody::new(p, caller.lang))
            .collect(),
        total: pairs.total,
        page,
        per_page,
    }))
}

/// Merges one record into another: the merged record's histories (case
/// records, outcomes, applications, the graduates' entry, …) move to the
/// kept one and it becomes inactive, in one audited transaction that
/// records exactly what moved.
#[utoipa::path(post, path = "/api/v1/persons/duplicates/merge", tag = "persons", security(("bearer" = [])), request_body = MergeRequestBody,
    responses((status = 200, body = MergeBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn merge(
    State(state): State<AppState>,
    caller: ApiActor,
    body: Result<ApiJson<MergeRequestBody>, ApiError>,
) -> Result<Json<MergeBody>, ApiError> {
    let ApiJson(body) = body?;
    let merge = state
        .app
        .merge_duplicate(&caller.actor, body.keep, body.merge)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(merge.into()))
}

/// Undoes a merge: exactly the rows it moved go back and the merged record
/// is restored. Audited.
#[utoipa::path(post, path = "/api/v1/persons/merges/{id}/undo", tag = "persons", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Merge id")),
    responses((status = 200, body = MergeBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn undo(
    State(state): State<AppState>,
    caller: ApiActor,
    Path(id): Path<String>,
) -> Result<Json<MergeBody>, ApiError> {
    let id = path_id(&id, &caller)?;
    let merge = state
        .app
        .undo_person_merge(&caller.actor, id)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(Json(merge.into()))
}

/// Records that two records are not the same person; the pair is not
/// listed again. Audited.
#[utoipa::path(post, path = "/api/v1/persons/duplicates/dismiss", tag = "persons", security(("bearer" = [])), request_body = DismissBody,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn dismiss(
    State(state): State<AppState>,
    caller: ApiActor,
    body: Result<ApiJson<DismissBody>, ApiError>,
) -> Result<axum::http::StatusCode, ApiError> {
    let ApiJson(body) = body?;
    state
        .app
        .dismiss_duplicate(&caller.actor, body.a, body.b)
        .await
        .map_err(|e| caller.error(e))?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
