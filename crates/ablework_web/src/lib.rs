//! AbleWork's HTTP face: the JSON API under `/api/v1/` and the accessible,
//! server-rendered pages for people.
//!
//! Handlers are thin: they parse the request, call one use case on
//! [`App`], and render the outcome. They never touch the store.
//! [`context`] works out, once per request, who is asking and in which
//! language; [`error`] turns application errors into the API's error body
//! or an error page, logging internal errors once.

pub mod api;
pub mod api_applications;
pub mod api_cases;
pub mod api_duplicates;
pub mod api_employers;
pub mod api_fairs;
pub mod api_graduates;
pub mod api_jobs;
pub mod api_match;
pub mod api_programmes;
pub mod application_pages;
pub mod case_pages;
pub mod charts;
pub mod context;
pub mod drill_pages;
pub mod duplicate_pages;
pub mod employer_pages;
pub mod error;
pub mod export;
pub mod fair_pages;
pub mod graduate_pages;
pub mod i18n;
pub mod import;
pub mod import_pages;
pub mod import_worker;
pub mod job_pages;
pub mod levy;
pub mod match_pages;
pub mod pages;
pub mod plan_pages;
pub mod programme_pages;
pub mod report;
pub mod statistics_pages;
mod view;

use std::time::Duration;

use ablework_app::App;
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::get;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// The largest request body the JSON API accepts.
pub const API_BODY_LIMIT: usize = 64 * 1024;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    /// The application.
    pub app: App,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole HTTP service.
pub fn router(app: App) -> Router {
    let state = AppState { app };
    let content_security = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
         frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
    Router::new()
        .route("/healthz", get(pages::healthz))
        .route("/static/{*file}", get(pages::static_file))
        .merge(pages::routes())
        .merge(employer_pages::routes())
        .merge(case_pages::routes())
        .merge(graduate_pages::routes())
        .merge(job_pages::routes())
        .merge(fair_pages::routes())
        .merge(match_pages::routes())
        .merge(application_pages::routes())
        .merge(plan_pages::routes())
        .merge(duplicate_pages::routes())
        .merge(import_pages::routes())
        .merge(drill_pages::routes())
        .merge(statistics_pages::routes())
        .merge(programme_pages::routes())
        .nest("/api/v1", api::routes())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), context::context_layer))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                // The path only: query strings can hold names and ID numbers.
                let request_id = request
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
            }),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(content_security),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_mins(1),
        ))
        .with_state(state)
}
