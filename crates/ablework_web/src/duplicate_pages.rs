//! The duplicate review's pages: the likely duplicates with their evidence
//! (`/persons/duplicates`), and one pair side by side with the forms "not
//! the same person", "merge into this one" and, once merged, "undo the
//! merge". Staff with `person_write`; the app layer decides the scope.

use ablework_app::duplicates::{DuplicatePair, DuplicateReason, MergeView};
use ablework_app::export::DuplicateListing;
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
use crate::export::{Downloads, ListFile, NoParams, download};
use crate::i18n::Text;
use crate::pages::{
    app_error_page, district_name, form_session_or_return, id_or_return, person_detail,
    session_or_return,
};
use crate::view::{FormError, Layout, Pager, Pairs, error_for, first, local_time};

/// The duplicate review's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/duplicates", get(list))
        .route(
            "/persons/duplicates/export",
            get(download::<DuplicatesFile>),
        )
        .route("/persons/duplicates/{a}/{b}", get(pair))
        .route("/persons/duplicates/{a}/{b}/{form}", post(decide))
        .route("/persons/merges/{id}/undo", post(undo))
}

/// How many pairs a page lists.
const PER_PAGE: u32 = 25;

fn reason_key(reason: DuplicateReason) -> &'static str {
    match reason {
        DuplicateReason::SameNameAndBirthDate => "dup.reason.same_name_and_birth_date",
        DuplicateReason::SimilarName => "dup.reason.similar_name",
        DuplicateReason::SamePhone => "dup.reason.same_phone",
    }
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    page: String,
    #[serde(default)]
    done: String,
}

struct PairRow {
    a: i64,
    b: i64,
    a_name: String,
    a_id_number: String,
    b_name: String,
    b_id_number: String,
    district: String,
    reasons: Vec<String>,
}

impl PairRow {
    fn new(pair: &DuplicatePair, t: Text) -> PairRow {
        let lang = t.0;
        PairRow {
            a: pair.a.id,
            b: pair.b.id,
            a_name: pair.a.name_masked.clone(),
            a_id_number: pair.a.id_number_masked.clone(),
            b_name: pair.b.name_masked.clone(),
            b_id_number: pair.b.id_number_masked.clone(),
            district: if pair.a.district_code == pair.b.district_code {
                district_name(&pair.a.district_code, lang)
            } else {
                format!(
                    "{} / {}",
                    district_name(&pair.a.district_code, lang),
                    district_name(&pair.b.district_code, lang)
                )
            },
            reasons: pair
                .reasons
                .iter()
                .map(|r| t.get(reason_key(*r)).to_owned())
                .collect(),
        }
    }
}

/// The likely duplicates as a file: both people (masked), their district
/// and the evidence.
pub(crate) struct DuplicatesFile;

impl ListFile for DuplicatesFile {
    type Params = NoParams;
    type Listing = DuplicateListing;
    const STEM: &'static str = "duplicates";
    const TITLE: &'static str = "dup.title";
    const COLUMNS: &'static [&'static str] =
        &["dup.first", "dup.second", "dup.district", "dup.reasons"];

    fn listing(_: NoParams, _: Option<i64>) -> DuplicateListing {
        DuplicateListing
    }

    fn cells(pair: &DuplicatePair, t: Text) -> Vec<String> {
        let row = PairRow::new(pair, t);
        vec![
            format!("{} {}", row.a_name, row.a_id_number),
            format!("{} {}", row.b_name, row.b_id_number),
            row.district,
            row.reasons.join("; "),
        ]
    }
}

struct MergeRow {
    kept_id: i64,
    merged_id: i64,
    merged_at: String,
    merged_by: String,
    pair_href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "duplicates.html")]
struct ListPage {
    layout: Layout,
    notice: String,
    total: u64,
    downloads: Option<Downloads>,
    rows: Vec<PairRow>,
    merges: Vec<MergeRow>,
    pager: Pager,
}

fn notice(ctx: &Ctx, done: &str) -> String {
    match done {
        "dismissed" | "merged" | "undone" => ctx.text().get(&format!("dup.done.{done}")).to_owned(),
        _ => String::new(),
    }
}

async fn list(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ListQuery>) -> Response {
    let session = session_or_return!(ctx);
    let page: u32 = query.page.trim().parse().unwrap_or(1).max(1);
    let actor = &session.actor;
    let found = match state.app.duplicate_pairs(actor, page, PER_PAGE).await {
        Ok(found) => found,
        Err(error) => return app_error_page(&ctx, error),
    };
    let merges = match state.app.open_person_merges(actor).await {
        Ok(merges) => merges,
        Err(error) => return app_error_page(&ctx, error),
    };
    let t = ctx.text();
    let rows = found
        .items
        .iter()
        .map(|pair| PairRow::new(pair, t))
        .collect();
    let merges = merges.iter().map(merge_row).collect();
    ListPage {
        layout: Layout::new(&ctx, t.get("dup.title")),
        notice: notice(&ctx, query.done.trim()),
        downloads: Downloads::offered::<DuplicateListing>(actor, "/persons/duplicates/export", &[]),
        total: found.total,
        rows,
        merges,
        pager: Pager::new("/persons/duplicates", &[], page, PER_PAGE, found.total),
    }
    .into_response()
}

fn merge_row(merge: &MergeView) -> MergeRow {
    let (a, b) = (
        merge.kept_id.min(merge.merged_id),
        merge.kept_id.max(merge.merged_id),
    );
    MergeRow {
        kept_id: merge.kept_id,
        merged_id: merge.merged_id,
        merged_at: local_time(merge.merged_at, "%Y-%m-%d %H:%M"),
        merged_by: merge.merged_by.clone(),
        pair_href: format!("/persons/duplicates/{a}/{b}"),
    }
}

struct MergeShown {
    id: i64,
    kept_id: i64,
    merged_id: i64,
    merged_at: String,
    merged_by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "duplicate_pair.html")]
struct PairPage {
    layout: Layout,
    notice: String,
    errors: Vec<FormError>,
    a: i64,
    b: i64,
    reasons: Vec<String>,
    /// Fact, the first record's, the second's.
    facts: Vec<(String, String, String)>,
    /// Both records active: the forms are offered.
    active: bool,
    merge: Option<MergeShown>,
}

impl PairPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn pair(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((a, b)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Response {
    let _session = session_or_return!(ctx);
    let a = id_or_return!(ctx, a);
    let b = id_or_return!(ctx, b);
    let done = notice(&ctx, query.done.trim());
    pair_page(&state, &ctx, a, b, done, Vec::new()).await
}

async fn pair_page(
    state: &AppState,
    ctx: &Ctx,
    a: i64,
    b: i64,
    notice: String,
    errors: Vec<FormError>,
) -> Response {
    let Some(session) = ctx.session.as_ref() else {
        return app_error_page(ctx, ablework_app::AppError::Unauthenticated);
    };
    let review = match state.app.duplicate_pair(&session.actor, a, b).await {
        Ok(review) => review,
        Err(error) => return app_error_page(ctx, error),
    };
    let t = ctx.text();
    let first_detail = person_detail(&review.a, ctx);
    let second_detail = person_detail(&review.b, ctx);
    let active_label = |active: bool| {
        t.get(if active { "persons.yes" } else { "persons.no" })
            .to_owned()
    };
    let mut facts: Vec<(String, String, String)> = first_detail
        .facts
        .iter()
        .zip(&second_detail.facts)
        .map(|((label, x), (_, y))| (label.clone(), x.clone(), y.clone()))
        .collect();
    facts.push((
        t.get("dup.active").to_owned(),
        active_label(first_detail.active),
        active_label(second_detail.active),
    ));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PairPage {
        layout: Layout::new(ctx, t.get("dup.pair_title")),
        notice,
        errors,
        a: review.a.id,
        b: review.b.id,
        reasons: review
            .reasons
            .iter()
            .map(|r| t.get(reason_key(*r)).to_owned())
            .collect(),
        facts,
        active: first_detail.active && second_detail.active,
        merge: review.merge.as_ref().map(|m| MergeShown {
            id: m.id,
            kept_id: m.kept_id,
            merged_id: m.merged_id,
            merged_at: local_time(m.merged_at, "%Y-%m-%d %H:%M"),
            merged_by: m.merged_by.clone(),
        }),
    };
    (status, page).into_response()
}

/// "Not the same person" or "merge into this one", from the pair page.
async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((a, b, form)): Path<(String, String, String)>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let a = id_or_return!(ctx, a);
    let b = id_or_return!(ctx, b);
    let actor = &session.actor;
    match form.as_str() {
        "dismiss" => match state.app.dismiss_duplicate(actor, a, b).await {
            Ok(()) => Redirect::to("/persons/duplicates?done=dismissed").into_response(),
            Err(error) => app_error_page(&ctx, error),
        },
        "merge" => {
            let keep: Option<i64> = first(&pairs, "keep").trim().parse().ok();
            let Some(keep) = keep.filter(|k| *k == a || *k == b) else {
                let errors = vec![FormError {
                    field: "keep".to_owned(),
                    message: ctx.text().get("dup.keep_required").to_owned(),
                }];
                return pair_page(&state, &ctx, a, b, String::new(), errors).await;
            };
            let merged = if keep == a { b } else { a };
            match state.app.merge_duplicate(actor, keep, merged).await {
                Ok(_) => Redirect::to(&format!(
                    "/persons/duplicates/{}/{}?done=merged",
                    a.min(b),
                    a.max(b)
                ))
                .into_response(),
                Err(ablework_app::AppError::Invalid(fields)) => {
                    let errors = crate::view::form_errors(&fields, ctx.lang)
                        .into_iter()
                        .map(|e| FormError {
                            field: "keep".to_owned(),
                            message: e.message,
                        })
                        .collect();
                    pair_page(&state, &ctx, a, b, String::new(), errors).await
                }
                Err(error) => app_error_page(&ctx, error),
            }
        }
        _ => app_error_page(&ctx, ablework_app::AppError::NotFound),
    }
}

/// "Undo the merge", from the pair page.
async fn undo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    match state.app.undo_person_merge(&session.actor, id).await {
        Ok(merge) => Redirect::to(&format!(
            "/persons/duplicates/{}/{}?done=undone",
            merge.kept_id.min(merge.merged_id),
            merge.kept_id.max(merge.merged_id)
        ))
        .into_response(),
        Err(error) => app_error_page(&ctx, error),
    }
}
