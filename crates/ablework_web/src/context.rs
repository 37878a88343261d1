//! Who is asking, in which language: worked out once per request.

use ablework_app::auth::SessionContext;
use ablework_domain::lang::Lang;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use crate::AppState;
use crate::i18n::Text;

/// The session cookie (HttpOnly, SameSite=Lax).
pub const SESSION_COOKIE: &str = "abw_session";
/// The remembered language.
pub const LANG_COOKIE: &str = "abw_lang";
/// The double-submit CSRF cookie of forms shown before login.
pub const PRE_SESSION_CSRF_COOKIE: &str = "abw_csrf";

/// The request's context, available to every handler.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The interface language.
    pub lang: Lang,
    /// The logged-in session, if any.
    pub session: Option<SessionContext>,
    /// The request id (also in the `x-request-id` response header).
    pub request_id: Option<String>,
    /// The path, for links back and the language switch.
    pub path: String,
    /// The query string without `lang`.
    pub query_without_lang: String,
}

impl Ctx {
    /// The interface text.
    pub fn text(&self) -> Text {
        Text(self.lang)
    }

    /// The session, or a redirect to the login page that comes back here.
    pub fn require_session(&self) -> Result<&SessionContext, Response> {
        self.session.as_ref().ok_or_else(|| {
            let back = if self.query_without_lang.is_empty() {
                self.path.clone()
            } else {
                format!("{}?{}", self.path, self.query_without_lang)
            };
            let next: String = serde_urlencoded::to_string([("next", back)]).unwrap_or_default();
            Redirect::to(&format!("/login?{next}")).into_response()
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Ctx, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .unwrap_or_else(|| Ctx {
                lang: Lang::Zh,
                session: None,
                request_id: None,
                path: parts.uri.path().to_owned(),
                query_without_lang: String::new(),
            }))
    }
}

fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .unwrap_or_default()
}

/// Resolves language and session and stores them as [`Ctx`]. Language, in
/// order: `?lang=`, the language cookie, the session's, `Accept-Language`,
/// Chinese. A `?lang=` choice is remembered in a cookie and the session.
pub async fn context_layer(
    State(state): State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/static/") || path == "/healthz" {
        return next.run(request).await;
    }
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let pairs = query_pairs(request.uri().query());
    let chosen = pairs
        .iter()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::from_tag(v));
    let query_without_lang = serde_urlencoded::to_string(
        pairs
            .iter()
            .filter(|(k, _)| k != "lang")
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    // API calls authenticate with bearer tokens only, never the cookie, so
    // a page cannot be tricked into making API calls as its visitor.
    let session = match jar.get(SESSION_COOKIE) {
        Some(cookie) if !path.starts_with("/api/") => state
            .app
            .session(cookie.value(), request_id.clone())
            .await
            .ok()
            .flatten(),
        _ => None,
    };
    let accepted = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language);
    let lang = chosen
        .or_else(|| jar.get(LANG_COOKIE).and_then(|c| Lang::from_tag(c.value())))
        .or_else(|| session.as_ref().map(|s| s.lang))
        .or(accepted)
        .unwrap_or_default();
    if let (Some(chosen), Some(session)) = (chosen, &session)
        && chosen != session.lang
    {
        // Remembering the choice is a convenience: failing to is not an error.
        let _ = state.app.set_session_lang(session, chosen).await;
    }
    request.extensions_mut().insert(Ctx {
        lang,
        session,
        request_id,
        path,
        query_without_lang,
    });
    let mut response = next.run(request).await;
    if let Some(chosen) = chosen {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            chosen.tag()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
