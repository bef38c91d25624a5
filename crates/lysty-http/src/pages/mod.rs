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
use fluent_bundle::FluentValue;
use lysty_domain::{Gender, LetterState, PrisonerStatus};
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
    /// The campaign's time zone: times are shown and typed in it.
    pub zone: chrono_tz::Tz,
    /// The organisations running the campaign, named in every page's footer.
    pub organisers: std::sync::Arc<Vec<lysty_store::Organisation>>,
}

impl Chrome {
    pub fn new(lang: Lang, path: &str, demo: bool) -> Self {
        Chrome {
            lang,
            path: path.to_owned(),
            demo,
            css: assets::url("app.css"),
            favicon: assets::url("favicon.svg"),
            zone: lysty_app::DEFAULT_TIME_ZONE,
            organisers: std::sync::Arc::default(),
        }
    }

    /// An organisation's name in the reader's language.
    pub fn organisation(&self, org: &lysty_store::Organisation) -> String {
        if self.lang.code() == "en" && !org.name_en.is_empty() {
            org.name_en.clone()
        } else {
            org.name_uk.clone()
        }
    }

    /// The organisers' names joined for a sentence.
    pub fn organiser_names(&self) -> String {
        self.organisers
            .iter()
            .map(|o| self.organisation(o))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A moment as a date and a time of day in the campaign's time zone.
    pub fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        let local = at.with_timezone(&self.zone);
        // The date of the local wall clock, in the reader's language.
        format!(
            "{} {}",
            self.lang.date(&local.naive_local().and_utc()),
            local.format("%H:%M")
        )
    }

    /// The time of day of a moment in the campaign's time zone, e.g. "14:05".
    pub fn clock(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        at.with_timezone(&self.zone).format("%H:%M").to_string()
    }

    /// A moment as an HTML `datetime-local` field holds it, in the campaign's time zone.
    pub fn input_time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        at.with_timezone(&self.zone)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
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

    /// A prisoner's status in words that agree with their gender ("Засуджена").
    pub fn status(&self, status: &PrisonerStatus, gender: &Gender) -> String {
        let gender = match gender {
            Gender::Unstated => "other",
            known => known.as_str(),
        };
        self.lang.targs(
            &format!("status-{}", status.as_str()),
            &[("gender", FluentValue::from(gender))],
        )
    }

    pub fn state(&self, state: &LetterState) -> String {
        self.lang.t(format!("state-{}", state.as_str()))
    }

    pub fn kind(&self, kind: &str) -> String {
        self.lang.t(format!("kind-{kind}"))
    }

    /// A prisoner's name in the reader's language: Crimean Tatar pages use the Latin
    /// Crimean Tatar name where there is one.
    pub fn name<'a>(&self, names: &'a PrisonerNames) -> &'a str {
        match (self.lang.code(), names.crh.as_deref()) {
            ("en", _) if !names.en.is_empty() => &names.en,
            ("crh", Some(crh)) if !crh.trim().is_empty() => crh,
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
        let mut chrome = Chrome::new(lang, &path, state.config.demo);
        chrome.zone = state.app.config().time_zone;
        // A courtesy: a page renders without the organisers if they cannot be read.
        if let Ok(organisers) = state.app.organisers().await {
            chrome.organisers = organisers;
        }
        Ok(chrome)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn chrome(lang: &str) -> Chrome {
        Chrome::new(Lang::from_code(lang), "/", false)
    }

    #[test]
    fn a_status_agrees_with_the_prisoners_gender() {
        let uk = chrome("uk");
        let convicted = PrisonerStatus::Convicted;
        assert_eq!(uk.status(&convicted, &Gender::Female), "Засуджена");
        assert_eq!(uk.status(&convicted, &Gender::Male), "Засуджений");
        assert_eq!(uk.status(&convicted, &Gender::Unstated), "Засуджений(-а)");
        assert_eq!(
            uk.status(&PrisonerStatus::Deceased, &Gender::Female),
            "Померла"
        );
        assert_eq!(
            chrome("en").status(&convicted, &Gender::Female),
            "Convicted"
        );
        for status in PrisonerStatus::ALL {
            for gender in [Gender::Female, Gender::Male, Gender::Unstated] {
                for lang in ["uk", "en", "crh"] {
                    let words = chrome(lang).status(&status, &gender);
                    assert!(!words.starts_with("status-"), "{lang} {status:?}");
                    assert!(!words.contains('{'), "{lang}: {words}");
                }
            }
        }
    }

    #[test]
    fn a_crimean_tatar_page_names_a_prisoner_in_latin_script_where_it_can() {
        let names = PrisonerNames {
            uk: "Нариман Джелял".into(),
            en: "Nariman Dzhelyal".into(),
            crh: Some("Nariman Celâl".into()),
            ru_full: None,
        };
        assert_eq!(chrome("crh").name(&names), "Nariman Celâl");
        assert_eq!(chrome("uk").name(&names), "Нариман Джелял");
        let without = PrisonerNames { crh: None, ..names };
        assert_eq!(chrome("crh").name(&without), "Нариман Джелял");
        let story = Localised {
            uk: "Звільнений".into(),
            en: "Released".into(),
            crh: "Azat etildi".into(),
        };
        assert_eq!(chrome("crh").text(&story), "Azat etildi");
        let untranslated = Localised {
            crh: String::new(),
            ..story
        };
        assert_eq!(chrome("crh").text(&untranslated), "Звільнений");
    }
}
