//! The reader's language, chosen in order by a `?lang=` link (remembered in a cookie), the
//! `lang` cookie, the browser's `Accept-Language`, and finally Ukrainian. The words
//! themselves live in `lysty-text`, re-exported here.

use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

pub use lysty_text::i18n::*;

const COOKIE: &str = "lang";

tokio::task_local! {
    /// The language chosen for the request being answered, for what is rendered only as the
    /// answer is made (an error raised with `?` deep in a handler).
    static CURRENT: Lang;
}

/// The language of the request being answered; Ukrainian outside one.
pub fn current() -> Lang {
    CURRENT
        .try_with(Lang::clone)
        .unwrap_or_else(|_| Lang::from_code(DEFAULT))
}

fn from_query(parts: &Parts) -> Option<String> {
    let query = parts.uri.query()?;
    query.split('&').find_map(|pair| {
        let value = pair.strip_prefix("lang=")?;
        SUPPORTED.iter().find(|c| *c == value).cloned()
    })
}

fn from_cookie(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let value = pair.trim().strip_prefix("lang=")?;
            SUPPORTED.iter().find(|c| *c == value).cloned()
        })
}

fn from_accept_language(parts: &Parts) -> Option<String> {
    let header = parts.headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    let supported: Vec<&str> = SUPPORTED.iter().map(String::as_str).collect();
    accept_language::intersection(header, &supported)
        .into_iter()
        .next()
}

/// Middleware: picks the language and, when chosen with `?lang=`, remembers it.
pub async fn negotiate(request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let chosen = from_query(&parts);
    let code = chosen
        .clone()
        .or_else(|| from_cookie(&parts))
        .or_else(|| from_accept_language(&parts))
        .unwrap_or_else(|| DEFAULT.to_owned());
    let lang = Lang::from_code(&code);
    parts.extensions.insert(lang.clone());
    let mut response = CURRENT
        .scope(lang.clone(), next.run(Request::from_parts(parts, body)))
        .await;
    if let Some(code) = chosen {
        let cookie = format!("{COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_str(lang.code()).unwrap_or(HeaderValue::from_static(DEFAULT)),
    );
    response.headers_mut().append(
        header::VARY,
        HeaderValue::from_static("accept-language, cookie"),
    );
    response
}
