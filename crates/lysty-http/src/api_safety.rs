//! The safety checker in the JSON API: a writer's check of a letter before sending it
//! (public, stores nothing), and the case terms staff keep for each prisoner.

use crate::error::ApiJson;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lysty_app::review::WriterCheck;
use lysty_domain::safety::{Flag, FlagDetail};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody, parse_json};
use crate::i18n::Lang;
use crate::limits::{ClientKey, with_retry_after};
use crate::pages::no_store;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckRequest {
    /// The slug of the prisoner the letter is for.
    pub prisoner: String,
    /// The letter as typed so far.
    pub body: String,
}

/// A passage of the letter, in bytes of its UTF-8 text.
#[derive(Debug, Serialize, ToSchema)]
pub struct Passage {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckFinding {
    /// A flag kind: `political`, `war`, `case_details`, `other_prisoner`, `coded`, `link`,
    /// `email`, `phone`, `contact` or `profanity`.
    pub kind: String,
    /// Plain advice in the language asked for (`Accept-Language` or `?lang=`).
    pub advice: String,
    /// The words that were found, as the checker knows them.
    pub terms: Vec<String>,
    pub passages: Vec<Passage>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckAnswer {
    /// Nothing was found that usually gets a letter stopped.
    pub clear: bool,
    pub findings: Vec<CheckFinding>,
}

/// The advice for one finding, in the writer's language.
pub(crate) fn advice(lang: &Lang, flag: &Flag) -> String {
    lang.t(format!(
        "check-advice-{}",
        flag.kind.as_str().replace('_', "-")
    ))
}

impl CheckAnswer {
    pub(crate) fn of(check: &WriterCheck, lang: &Lang) -> Self {
        CheckAnswer {
            clear: check.is_clear(),
            findings: check
                .flags
                .iter()
                .map(|f| CheckFinding {
                    kind: f.kind.as_str().to_owned(),
                    advice: advice(lang, f),
                    terms: match &f.detail {
                        FlagDetail::Terms(t) | FlagDetail::Words(t) => t.clone(),
                        _ => Vec::new(),
                    },
                    passages: f
                        .spans
                        .iter()
                        .map(|s| Passage {
                            start: s.start,
                            end: s.end,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Checks a letter as the moderators' flags would, before it is sent, and says what a
/// prison censor would stop and why. Nothing is stored or logged.
#[utoipa::path(post, path = "/api/v1/letters/check", request_body = CheckRequest,
    responses(
        (status = 200, body = CheckAnswer),
        (status = 400, body = ErrorBody, description = "Malformed JSON"),
        (status = 404, body = ErrorBody, description = "Unknown prisoner"),
        (status = 429, body = ErrorBody, description = "Too many checks from this address; `Retry-After` says when to try again"),
    ))]
pub async fn check_letter(
    State(state): State<AppState>,
    lang: Lang,
    client: ClientKey,
    body: Bytes,
) -> Result<Response, ApiError> {
    if let Err(wait) = state.limits.lookup(client) {
        let refused = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            &lang,
            "error-too-many-lookups",
        );
        return Ok(with_retry_after(refused.into_response(), wait));
    }
    let request: CheckRequest = parse_json(&body, &lang)?;
    let unknown = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_prisoner",
            &lang,
            "error-unknown-prisoner",
        )
    };
    let check = state
        .app
        .check_letter(&request.prisoner, &request.body)
        .await
        .map_err(|e| ApiError::internal(&lang, e))?
        .ok_or_else(unknown)?;
    Ok(no_store(
        Json(CheckAnswer::of(&check, &lang)).into_response(),
    ))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CaseTerms {
    /// The words that identify the case (the article, co-defendants, the judge, the court),
    /// one per entry; a term of several words is also found by its names and its article
    /// number.
    pub terms: Vec<String>,
}

/// A prisoner's case terms (coordinators, moderators and admins).
#[utoipa::path(get, path = "/api/v1/prisoners/{slug}/case-terms", params(("slug" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = CaseTerms), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn case_terms(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<CaseTerms>, ApiError> {
    let prisoner = state.app.prisoner_with_case(&actor, &slug).await?;
    Ok(Json(CaseTerms {
        terms: prisoner.case_terms,
    }))
}

/// Replaces a prisoner's case terms; the flags of the letters still waiting are computed
/// again.
#[utoipa::path(put, path = "/api/v1/prisoners/{slug}/case-terms", params(("slug" = String, Path)),
    request_body = CaseTerms, security(("bearer" = [])),
    responses((status = 200, body = CaseTerms), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "More than 200 terms, or one longer than 100 characters")))]
pub async fn set_case_terms(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(actor): ApiUser,
    Path(slug): Path<String>,
    ApiJson(request): ApiJson<CaseTerms>,
) -> Result<Json<CaseTerms>, ApiError> {
    // At most 200 entries, as the document says (the app counts the distinct ones).
    if request.terms.len() > 200 || request.terms.iter().any(|t| t.contains(['\n', '\r'])) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            &lang,
            "staff-error-invalid",
        ));
    }
    let terms = state
        .app
        .set_case_terms(&actor, &slug, &request.terms.join("\n"))
        .await?;
    Ok(Json(CaseTerms { terms }))
}
