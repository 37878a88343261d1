//! Imports on the web: the upload (`POST /persons/import`) queues a job
//! for the background worker ([`crate::import_worker`]) and sends the user
//! to the job's page, `/imports/{id}`, which shows its progress and, at the
//! end, its counts, the rejected rows with their reasons (paged) and the
//! error report to download. While the job runs the page asks the browser
//! to load it again every few seconds with the HTTP `Refresh` header (no
//! JavaScript), and offers to stop that, for people who read it slowly or
//! with a screen reader. `/imports` lists the jobs the user may see.

use ablework_app::AppError;
use ablework_app::import_jobs::Upload;
use ablework_app::import_jobs::{ImportJobRecord, ImportJobState};
use ablework_domain::roles::Permission;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::export::XLSX;
use crate::import::{ImportKind, template_workbook};
use crate::pages::{app_error_page, attachment, id_or_return, session_or_return};
use crate::view::{FormError, Layout, Pager, local_time};

/// The largest file the upload page takes.
pub(crate) const IMPORT_LIMIT: usize = 50 * 1024 * 1024;

/// Seconds between reloads of a running job's page.
const REFRESH_SECONDS: u32 = 3;

/// Rejected rows a page lists.
const ERRORS_PER_PAGE: u32 = 50;

/// Jobs a page of `/imports` lists.
const JOBS_PER_PAGE: u32 = 20;

/// The import routes.
pub fn routes() -> Router<AppState> {
    let upload_form = || {
        get(form)
            .post(upload)
            .layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT))
    };
    Router::new()
        .route("/persons/import", upload_form())
        .route("/imports/new", upload_form())
        .route("/persons/import/template.xlsx", get(persons_template))
        .route("/imports/templates/{file}", get(template))
        .route("/imports", get(list))
        .route("/imports/{id}", get(job_page))
        .route("/imports/{id}/report.xlsx", get(report))
}

/// One job in a list.
struct JobRow {
    href: String,
    file_name: String,
    kind: String,
    state: String,
    uploaded_by: String,
    created_at: String,
    read: u64,
    rejected: u64,
}

fn state_key(state: ImportJobState) -> &'static str {
    match state {
        ImportJobState::Queued => "imports.state.queued",
        ImportJobState::Running => "imports.state.running",
        ImportJobState::Done => "imports.state.done",
        ImportJobState::Failed => "imports.state.failed",
    }
}

fn kind_label(ctx: &Ctx, kind: &str) -> String {
    ImportKind::from_code(kind).map_or_else(|| kind.to_owned(), |k| k.label(ctx.lang).to_owned())
}

/// The permission importing a kind of file needs: the one its records'
/// single entry needs.
fn permission(kind: ImportKind) -> Permission {
    match kind {
        ImportKind::Persons | ImportKind::Outcomes => Permission::PersonWrite,
        ImportKind::Employers => Permission::EmployerWrite,
        ImportKind::Postings => Permission::JobWrite,
        ImportKind::Enrolments => Permission::ProgrammeWrite,
    }
}

/// A kind the form offers: code, label, template link, whether chosen.
struct KindChoice {
    code: &'static str,
    label: &'static str,
    template_href: String,
    chosen: bool,
}

fn job_row(ctx: &Ctx, job: &ImportJobRecord) -> JobRow {
    JobRow {
        href: format!("/imports/{}", job.id),
        file_name: job.file_name.clone(),
        kind: kind_label(ctx, &job.kind),
        state: ctx.text().get(state_key(job.state)).to_owned(),
        uploaded_by: job.username.clone(),
        created_at: local_time(job.created_at, "%Y-%m-%d %H:%M"),
        read: job.counts.read,
        rejected: job.counts.rejected,
    }
}

// ---- the upload form ------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
struct FormPage {
    layout: Layout,
    errors: Vec<FormError>,
    file_error: Option<String>,
    kinds: Vec<KindChoice>,
    recent: Vec<JobRow>,
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    chosen: ImportKind,
    errors: Vec<FormError>,
) -> Response {
    let Some(session) = &ctx.session else {
        return Redirect::to("/login").into_response();
    };
    let recent = match state.app.import_jobs(&session.actor, 1, 5).await {
        Ok(page) => page.items.iter().map(|job| job_row(ctx, job)).collect(),
        Err(error) => return app_error_page(ctx, error),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let file_error = crate::view::error_for(&errors, "file").map(str::to_owned);
    let kinds = ImportKind::ALL
        .into_iter()
        .filter(|kind| session.actor.role.permits(permission(*kind)))
        .map(|kind| KindChoice {
            code: kind.code(),
            label: kind.label(ctx.lang),
            template_href: format!("/imports/templates/{}.xlsx", kind.code()),
            chosen: kind == chosen,
        })
        .collect();
    let page = FormPage {
        layout: Layout::new(ctx, ctx.text().get("import.title")),
        errors,
        file_error,
        kinds,
        recent,
    };
    (status, page).into_response()
}

#[derive(Debug, Default, Deserialize)]
struct FormQuery {
    #[serde(default)]
    kind: String,
}

/// The kind a request names, people by default.
fn kind_of(code: &str) -> ImportKind {
    ImportKind::from_code(code.trim()).unwrap_or(ImportKind::Persons)
}

async fn form(State(state): State<AppState>, ctx: Ctx, Query(query): Query<FormQuery>) -> Response {
    let session = session_or_return!(ctx);
    let kind = kind_of(&query.kind);
    if !ImportKind::ALL
        .into_iter()
        .any(|k| session.actor.role.permits(permission(k)))
    {
        return app_error_page(&ctx, AppError::Forbidden);
    }
    form_page(&state, &ctx, kind, Vec::new()).await
}

fn file_error(message: String) -> Vec<FormError> {
    vec![FormError {
        field: "file".to_owned(),
        message,
    }]
}

async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let session = session_or_return!(ctx);
    let missing = || ctx.text().get("import.file.missing").to_owned();
    let mut csrf = String::new();
    let mut encoding = ablework_import::Encoding::Auto;
    let mut dry_run = false;
    let mut kind = ImportKind::Persons;
    let mut upload: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return form_page(&state, &ctx, kind, file_error(missing())).await,
        };
        match field.name().unwrap_or_default() {
            "csrf_token" => csrf = field.text().await.unwrap_or_default(),
            "encoding" => {
                encoding =
                    ablework_import::Encoding::from_code(&field.text().await.unwrap_or_default())
                        .unwrap_or(ablework_import::Encoding::Auto);
            }
            "dry_run" => dry_run = !field.text().await.unwrap_or_default().is_empty(),
            "kind" => kind = kind_of(&field.text().await.unwrap_or_default()),
            "file" => {
                let name = field.file_name().unwrap_or("upload").to_owned();
                let Ok(bytes) = field.bytes().await else {
                    return form_page(&state, &ctx, kind, file_error(missing())).await;
                };
                if !bytes.is_empty() {
                    upload = Some((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    if let Err(response) = crate::pages::checked_session(&ctx, &csrf) {
        return response;
    }
    let Some((file_name, bytes)) = upload else {
        return form_page(&state, &ctx, kind, file_error(missing())).await;
    };
    let queued = state
        .app
        .queue_import(
            &session.actor,
            Upload {
                kind: kind.code().to_owned(),
                permission: permission(kind),
                file_name,
                encoding: encoding.code().to_owned(),
                dry_run,
                bytes,
            },
        )
        .await;
    match queued {
        Ok(job) => Redirect::to(&format!("/imports/{}", job.id)).into_response(),
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- the list of jobs -----------------------------------------------------

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    #[serde(default)]
    page: String,
    #[serde(default)]
    refresh: String,
}

fn page_number(raw: &str) -> u32 {
    raw.trim().parse().unwrap_or(1).max(1)
}

#[derive(Template, WebTemplate)]
#[template(path = "import_jobs.html")]
struct ListPage {
    layout: Layout,
    total: u64,
    rows: Vec<JobRow>,
    pager: Pager,
}

async fn list(State(state): State<AppState>, ctx: Ctx, Query(query): Query<PageQuery>) -> Response {
    let session = session_or_return!(ctx);
    let page = page_number(&query.page);
    let found = match state
        .app
        .import_jobs(&session.actor, page, JOBS_PER_PAGE)
        .await
    {
        Ok(found) => found,
        Err(error) => return app_error_page(&ctx, error),
    };
    ListPage {
        layout: Layout::new(&ctx, ctx.text().get("imports.title")),
        total: found.total,
        rows: found.items.iter().map(|job| job_row(&ctx, job)).collect(),
        pager: Pager::new("/imports", &[], page, JOBS_PER_PAGE, found.total),
    }
    .into_response()
}

// ---- one job --------------------------------------------------------------

struct ErrorRow {
    row: u64,
    field: String,
    reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "import_job.html")]
struct JobPage {
    layout: Layout,
    id: i64,
    row: JobRow,
    running: bool,
    dry_run: bool,
    refreshing: bool,
    refresh_seconds: u32,
    resumed: u32,
    checkpoint_row: u64,
    counts: Vec<(String, u64)>,
    failure: Option<String>,
    report_href: Option<String>,
    errors_total: u64,
    errors: Vec<ErrorRow>,
    pager: Pager,
}

async fn job_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    let actor = &session.actor;
    let job = match state.app.import_job(actor, id).await {
        Ok(job) => job,
        Err(error) => return app_error_page(&ctx, error),
    };
    let page = page_number(&query.page);
    let errors = match state
        .app
        .import_job_errors(actor, id, page, ERRORS_PER_PAGE)
        .await
    {
        Ok(errors) => errors,
        Err(error) => return app_error_page(&ctx, error),
    };
    let t = ctx.text();
    let running = !job.state.is_over();
    let refreshing = running && query.refresh.trim() != "off";
    let counts = &job.counts;
    let view = JobPage {
        layout: Layout::new(&ctx, t.get("imports.job.title")),
        id,
        row: job_row(&ctx, &job),
        running,
        dry_run: job.dry_run,
        refreshing,
        refresh_seconds: REFRESH_SECONDS,
        resumed: job.resumed,
        checkpoint_row: job.checkpoint_row,
        counts: vec![
            (t.get("import.read").to_owned(), counts.read),
            (t.get("import.inserted").to_owned(), counts.inserted),
            (t.get("import.updated").to_owned(), counts.updated),
            (t.get("import.unchanged").to_owned(), counts.unchanged),
            (t.get("import.rejected").to_owned(), counts.rejected),
        ],
        failure: job.failure.as_ref().map(|(_, zh, en)| {
            if ctx.lang == ablework_domain::lang::Lang::Zh {
                zh.clone()
            } else {
                en.clone()
            }
        }),
        report_href: job.has_report.then(|| format!("/imports/{id}/report.xlsx")),
        errors_total: errors.total,
        errors: errors
            .items
            .iter()
            .map(|e| ErrorRow {
                row: e.row,
                field: e.field.clone(),
                reason: if ctx.lang == ablework_domain::lang::Lang::Zh {
                    e.message_zh.clone()
                } else {
                    e.message_en.clone()
                },
            })
            .collect(),
        pager: Pager::new(
            &format!("/imports/{id}"),
            &[("refresh", query.refresh.trim().to_owned())],
            page,
            ERRORS_PER_PAGE,
            errors.total,
        ),
    };
    if refreshing {
        ([(header::REFRESH, REFRESH_SECONDS.to_string())], view).into_response()
    } else {
        view.into_response()
    }
}

async fn report(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let session = session_or_return!(ctx);
    let id = id_or_return!(ctx, id);
    match state.app.import_job_report(&session.actor, id).await {
        Ok(bytes) => attachment(bytes, XLSX, &format!("ablework-import-{id}-errors.xlsx")),
        Err(error) => app_error_page(&ctx, error),
    }
}

// ---- templates --------------------------------------------------------------

/// An empty workbook of a kind (`/imports/templates/{kind}.xlsx`) with the
/// recognised headers and a sheet of notes.
async fn template(ctx: Ctx, Path(file): Path<String>) -> Response {
    let _session = session_or_return!(ctx);
    let Some(kind) = file.strip_suffix(".xlsx").and_then(ImportKind::from_code) else {
        return app_error_page(&ctx, AppError::NotFound);
    };
    template_file(&ctx, kind)
}

/// The people template, where the people pages have always linked it.
async fn persons_template(ctx: Ctx) -> Response {
    let _session = session_or_return!(ctx);
    template_file(&ctx, ImportKind::Persons)
}

fn template_file(ctx: &Ctx, kind: ImportKind) -> Response {
    match template_workbook(kind, ctx.lang) {
        Ok(bytes) => attachment(
            bytes,
            XLSX,
            &format!("ablework-{}-template.xlsx", kind.code()),
        ),
        Err(error) => app_error_page(ctx, AppError::Internal(error.to_string())),
    }
}
