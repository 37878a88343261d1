//! Applications on pages: the "apply" button on each recommended job of a
//! person's page, the applications list on a person's page and on a
//! posting's page (for those who manage it), each with a form (a select
//! of the allowed next steps, a date, a button) that moves it along.
//! Field errors come back on the page the form was on, in its error
//! summary, linked to the application's own fields.

use ablework_app::AppError;
use ablework_app::applications::{ApplicationView, StepInput};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};

use crate::AppState;
use crate::context::Ctx;
use crate::pages::{app_error_page, form_session_or_return, id_or_return};
use crate::view::{FormError, form_errors};
use crate::view::{Pairs, first};

/// The applications routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/applications", post(apply))
        .route("/applications/{id}/step", post(step))
}

/// The id of the section applications are listed in; apply errors link
/// there.
pub(crate) const SECTION: &str = "applications";

/// One application as a list shows it.
pub(crate) struct ApplicationLine {
    pub id: i64,
    /// The person (on a posting's page) or the job (on a person's page).
    pub heading: String,
    pub href: Option<String>,
    pub detail: String,
    pub status: &'static str,
    /// Each step: its name and day.
    pub steps: Vec<(&'static str, String)>,
    /// The allowed next steps: code and name.
    pub next: Vec<(String, String)>,
    /// The step chosen (after an error), else the first allowed.
    pub chosen: String,
    /// The date typed (after an error), else today.
    pub on: String,
    pub status_error: Option<String>,
    pub on_error: Option<String>,
}

/// Where a list is shown, which decides its headings.
#[derive(Clone, Copy)]
pub(crate) enum ListedOn {
    /// A posting's page: headings are people.
    Posting,
    /// A person's page: headings are jobs.
    Person,
}

/// What a step form sent back with its errors, to show again.
#[derive(Default)]
pub(crate) struct Retry {
    pub application_id: i64,
    pub input: StepInput,
    pub errors: Vec<FormError>,
}

pub(crate) fn lines(
    ctx: &Ctx,
    views: &[ApplicationView],
    on: ListedOn,
    today: chrono::NaiveDate,
    retry: Option<&Retry>,
) -> Vec<ApplicationLine> {
    let lang = ctx.lang;
    views
        .iter()
        .map(|view| {
            let record = &view.record;
            let retry = retry.filter(|r| r.application_id == record.id);
            let error = |field: &str| {
                let name = format!("{field}-{}", record.id);
                retry.and_then(|r| crate::view::error_for(&r.errors, &name).map(str::to_owned))
            };
            let (heading, href, detail) = match on {
                ListedOn::Posting => (view.person_name_masked.clone(), None, String::new()),
                ListedOn::Person => (
                    record.posting_title.clone(),
                    Some(format!("/jobs/{}", record.posting_id)),
                    record.employer_name.clone(),
                ),
            };
            let next: Vec<(String, String)> = view
                .next_steps
                .iter()
                .map(|s| (s.code().to_owned(), s.label(lang).to_owned()))
                .collect();
            ApplicationLine {
                id: record.id,
                heading,
                href,
                detail,
                status: record.status.label(lang),
                steps: record
                    .steps
                    .iter()
                    .map(|s| (s.status.label(lang), s.on.to_string()))
                    .collect(),
                chosen: retry.map_or_else(
                    || next.first().map(|n| n.0.clone()).unwrap_or_default(),
                    |r| r.input.status.clone(),
                ),
                next,
                on: retry.map_or_else(|| today.to_string(), |r| r.input.on.clone()),
                status_error: error("status"),
                on_error: error("on"),
            }
        })
        .collect()
}

async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let posting_id = id_or_return!(ctx, first(&pairs, "posting_id").trim());
    match state.app.apply(&session.actor, id, posting_id).await {
        Ok(_) => Redirect::to(&format!("/persons/{id}?saved=1#{SECTION}")).into_response(),
        Err(AppError::Invalid(fields)) => {
            // Every apply error links to the applications section, where
            // it is shown again.
            let errors = form_errors(&fields, ctx.lang)
                .into_iter()
                .map(|e| FormError {
                    field: SECTION.to_owned(),
                    message: e.message,
                })
                .collect();
            crate::pages::person_with(&state, &ctx, id, errors, None).await
        }
        Err(error) => app_error_page(&ctx, error),
    }
}

async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let session = form_session_or_return!(ctx, pairs);
    let id = id_or_return!(ctx, id);
    let actor = &session.actor;
    let input = StepInput {
        status: first(&pairs, "status"),
        on: first(&pairs, "on"),
    };
    let back_to_person = first(&pairs, "back") == "person";
    match state.app.move_application(actor, id, &input).await {
        Ok(moved) => {
            let target = if back_to_person {
                format!("/persons/{}?saved=1#{SECTION}", moved.application.person_id)
            } else {
                format!("/jobs/{}?saved=1#{SECTION}", moved.application.posting_id)
            };
            Redirect::to(&target).into_response()
        }
        Err(AppError::Invalid(fields)) => {
            let current = match state.app.application(actor, id).await {
                Ok(current) => current,
                Err(error) => return app_error_page(&ctx, error),
            };
            let errors: Vec<FormError> = form_errors(&fields, ctx.lang)
                .into_iter()
                .map(|e| FormError {
                    field: format!("{}-{id}", e.field),
                    message: e.message,
                })
                .collect();
            let retry = Retry {
                application_id: id,
                input,
                errors: errors.clone(),
            };
            if back_to_person {
                crate::pages::person_with(
                    &state,
                    &ctx,
                    current.record.person_id,
                    errors,
                    Some(retry),
                )
                .await
            } else {
                crate::job_pages::show_with(
                    &state,
                    &ctx,
                    current.record.posting_id,
                    errors,
                    Some(retry),
                )
                .await
            }
        }
        Err(error) => app_error_page(&ctx, error),
    }
}
