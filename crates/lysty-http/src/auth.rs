//! Who is asking, and CSRF, for every request — as middleware, not per handler.
//!
//! - A browser signs in and holds a session cookie (`__Host-lysty_session`: `Secure`,
//!   `HttpOnly`, `SameSite=Strict`); the session lives in the database.
//! - An API client sends `Authorization: Bearer lysty_…`.
//! - Every state-changing request is a POST. Cross-site POSTs are refused outright (Fetch
//!   Metadata). A POST under `/staff` must carry the session's CSRF token in its form (or,
//!   before sign-in, the token of the pre-session cookie). A cookie-authenticated POST to
//!   the API must be JSON and carry the token in `X-CSRF-Token`; bearer tokens are not
//!   sent by browsers on their own, so they need none.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use lysty_app::Actor;

use crate::AppState;
use crate::error::ApiError;
use crate::forms::Form;
use crate::i18n::Lang;

pub const SESSION_COOKIE: &str = "__Host-lysty_session";
pub const PRE_SESSION_COOKIE: &str = "__Host-lysty_pre";
/// Without TLS (local development and tests) browsers refuse `Secure` cookies with the
/// `__Host-` prefix, so the names drop it there.
pub const DEV_SESSION_COOKIE: &str = "lysty_session";
pub const DEV_PRE_SESSION_COOKIE: &str = "lysty_pre";

pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SESSION_COOKIE
    } else {
        DEV_SESSION_COOKIE
    }
}

pub fn pre_cookie_name(secure: bool) -> &'static str {
    if secure {
        PRE_SESSION_COOKIE
    } else {
        DEV_PRE_SESSION_COOKIE
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
}

/// A `Set-Cookie` value with every protection; `max_age` 0 deletes the cookie.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let raw =
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&raw).unwrap_or(HeaderValue::from_static("x=; Max-Age=0"))
}

/// The signed-in account of this request, if any (put here by [`authenticate`]).
#[derive(Clone)]
pub struct CurrentActor(pub Option<Actor>);

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn forbidden(parts: &Parts, lang: &Lang) -> Response {
    if parts.uri.path().starts_with("/api/") {
        ApiError::new(StatusCode::FORBIDDEN, "csrf", lang, "error-csrf").into_response()
    } else {
        (StatusCode::FORBIDDEN, lang.t("error-csrf")).into_response()
    }
}

fn same_token(a: &str, b: &str) -> bool {
    !a.is_empty() && lysty_auth::token::constant_time_eq(a.as_bytes(), b.as_bytes())
}

/// Middleware: resolves the actor, and refuses a state-changing request without proof
/// that it came from our own page.
pub async fn authenticate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let lang = parts
        .extensions
        .get::<Lang>()
        .cloned()
        .unwrap_or_else(|| Lang::from_code(crate::i18n::DEFAULT));
    let secure = state.config.secure_cookies;
    let by_token = bearer(&parts.headers).map(str::to_owned);
    let session_secret = cookie(&parts.headers, session_cookie_name(secure));
    let actor = match (&by_token, &session_secret) {
        (Some(token), _) => state.app.token_actor(token).await,
        (None, Some(secret)) => state.app.session_actor(secret).await,
        (None, None) => Ok(None),
    };
    let actor = match actor {
        Ok(a) => a,
        Err(error) => {
            tracing::error!(%error, "cannot resolve the session");
            return (StatusCode::SERVICE_UNAVAILABLE, lang.t("error-unavailable")).into_response();
        }
    };
    let mut body = Body::new(body);
    if parts.method == Method::POST {
        let cross_site = parts
            .headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == "cross-site");
        if cross_site {
            return forbidden(&parts, &lang);
        }
        let path = parts.uri.path().to_owned();
        if path.starts_with("/api/") && by_token.is_none() && session_secret.is_some() {
            let json = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json"));
            let token = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let expected = actor
                .as_ref()
                .and_then(|a| a.csrf_token.as_deref())
                .unwrap_or("");
            if !json || !same_token(token, expected) {
                return forbidden(&parts, &lang);
            }
        } else if path.starts_with("/staff")
            && parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("multipart/form-data"))
        {
            // Uploads are streamed, not buffered here: their form carries the token in
            // its action's query instead.
            let sent = parts
                .uri
                .query()
                .unwrap_or("")
                .split('&')
                .find_map(|p| p.strip_prefix("csrf="))
                .unwrap_or("");
            let expected = actor
                .as_ref()
                .and_then(|a| a.csrf_token.as_deref())
                .unwrap_or("");
            if !same_token(sent, expected) {
                return forbidden(&parts, &lang);
            }
        } else if path.starts_with("/staff") {
            let limit = state.config.max_request_bytes;
            let bytes: Bytes = match axum::body::to_bytes(body, limit).await {
                Ok(b) => b,
                Err(_) => {
                    return (StatusCode::PAYLOAD_TOO_LARGE, lang.t("error-too-large"))
                        .into_response();
                }
            };
            let form = Form::parse(&bytes);
            let sent = form.get("csrf");
            let expected = match &actor {
                Some(actor) => actor.csrf_token.clone().unwrap_or_default(),
                None => cookie(&parts.headers, pre_cookie_name(secure)).unwrap_or_default(),
            };
            if !same_token(sent, &expected) {
                return forbidden(&parts, &lang);
            }
            body = Body::from(bytes);
        }
    }
    let private = parts.uri.path().starts_with("/staff")
        || (parts.uri.path().starts_with("/api/") && actor.is_some());
    parts.extensions.insert(CurrentActor(actor));
    let mut response = next.run(Request::from_parts(parts, body)).await;
    // Staff pages and answers to signed-in callers are never stored by a browser or proxy.
    if private {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// A signed-in member of staff with every factor given; otherwise the page sends the
/// browser to sign in.
pub struct StaffUser(pub Actor);

impl FromRequestParts<AppState> for StaffUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        match parts
            .extensions
            .get::<CurrentActor>()
            .and_then(|a| a.0.clone())
        {
            Some(actor) if actor.is_complete() => Ok(StaffUser(actor)),
            Some(_) => Err(Redirect::to("/staff/second-factor").into_response()),
            None => Err(Redirect::to("/staff").into_response()),
        }
    }
}

/// The actor, whatever stage their session is at (sign-in pages).
pub struct MaybeStaff(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeStaff {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeStaff(
            parts
                .extensions
                .get::<CurrentActor>()
                .and_then(|a| a.0.clone()),
        ))
    }
}

/// An API caller with a token or a full session; otherwise 401.
pub struct ApiUser(pub Actor);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|e| match e {});
        match parts
            .extensions
            .get::<CurrentActor>()
            .and_then(|a| a.0.clone())
        {
            Some(actor) if actor.is_complete() => Ok(ApiUser(actor)),
            _ => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                &lang,
                "error-unauthorized",
            )),
        }
    }
}
