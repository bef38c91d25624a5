//! Server-rendered pages: askama templates (compiled, escaped by default) filled with
//! messages in the reader's language. No page needs JavaScript.

pub mod dispatch;
pub mod export;
pub mod kiosk;
pub mod public;
pub mod report;
pub mod staff;

use askama::Template;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use lysty_domain::{LetterState, PrisonerStatus};
use lysty_store::{Localised, PrisonerNames};

use crate::AppState;
use crate::assets;
use crate::i18n::Lang;

/// What every page shows around its content: language, current path, demo banner.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub lang: Lang,
    pub path: String,
    pub demo: bool,
    pub css: String,
    pub favicon: String,
}

impl Chrome {
    pub fn new(lang: Lang, path: &str, demo: bool) -> Self {
        Chrome {
            lang,
            path: path.to_owned(),
            demo,
            css: assets::url("app.css"),
            favicon: assets::url("favicon.svg"),
        }
    }

    pub fn t(&self, id: impl AsRef<str>) -> String {
        self.lang.t(id)
    }

    /// Whether a navigation link points at the current section.
    pub fn is_section(&self, prefix: &str) -> bool {
        if prefix == "/" {
            self.path == "/"
        } else {
            self.path.starts_with(prefix)
        }
    }

    pub fn status(&self, status: &PrisonerStatus) -> String {
        self.lang.t(format!("status-{}", status.as_str()))
    }

    pub fn state(&self, state: &LetterState) -> String {
        self.lang.t(format!("state-{}", state.as_str()))
    }

    pub fn kind(&self, kind: &str) -> String {
        self.lang.t(format!("kind-{kind}"))
    }

    /// A prisoner's name in the reader's language.
    pub fn name<'a>(&self, names: &'a PrisonerNames) -> &'a str {
        match self.lang.code() {
            "en" if !names.en.is_empty() => &names.en,
            _ => &names.uk,
        }
    }

    pub fn text<'a>(&self, text: &'a Localised) -> &'a str {
        text.get(self.lang.code())
    }
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_request_parts(parts, state).await?;
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.path().to_owned(), |u| u.path().to_owned());
        Ok(Chrome::new(lang, &path, state.config.demo))
    }
}

/// Renders a template with a status; a template that fails to render is a 500 without
/// details (and is logged).
pub fn render<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error").into_response()
        }
    }
}

/// Pages with private content (a tracking code) are never stored by the browser or a proxy.
pub fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A file to download: its type, and a name the browser saves it under.
pub(crate) fn attachment(bytes: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    response
}
