//! # Error policy
//!
//! - Off the request path (start-up, CLI), errors are `anyhow` and end the process with
//!   a message.
//! - On the request path, errors are typed: [`ApiError`] for `/api/v1` and [`PageError`]
//!   for pages. Each knows its status and a message id in the Fluent files, so the person
//!   reads the reason in their language.
//! - Bad input is always a 4xx with a clear message, and a page that refuses a letter
//!   shows the writer everything they typed.
//! - A 5xx is logged here, once, with its cause; the person sees only a plain message.
//!   Logs never contain letter text, names, emails or tracking codes.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lysty_app::{Arg, ErrorKind, Failure, FieldError, Message, Problem, SubmitError};
use lysty_domain::ParseError;
use lysty_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::Lang;
use crate::pages::{Chrome, render};

/// The JSON error body: `{"error": {"code", "message", "fields"?}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable code such as `invalid_letter` or `unknown_prisoner`.
    pub code: String,
    /// An explanation in the request's language (`Accept-Language`).
    pub message: String,
    /// For `invalid_letter`: what is wrong with each field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldDetail>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldDetail {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldDetail>,
    /// The cause of a 5xx, for the log only.
    pub cause: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, lang: &Lang, message_id: &str) -> Self {
        ApiError {
            status,
            code,
            message: lang.t(message_id),
            fields: Vec::new(),
            cause: None,
        }
    }

    /// An error whose message is already written (one with arguments).
    pub fn with_message(status: StatusCode, code: &'static str, message: String) -> Self {
        ApiError {
            status,
            code,
            message,
            fields: Vec::new(),
            cause: None,
        }
    }

    /// A fault on our side: 500, or 503 when the database cannot store anything (a full
    /// disk, a read-only database), which the operator must fix and a client may retry.
    pub fn internal(lang: &Lang, cause: impl std::fmt::Display) -> Self {
        let cause = cause.to_string();
        let error = if StoreError::is_unavailable_text(&cause) {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "storage_unavailable",
                lang,
                "error-storage-unavailable",
            )
        } else {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                lang,
                "error-internal",
            )
        };
        ApiError {
            cause: Some(cause),
            ..error
        }
    }

    pub fn not_found(lang: &Lang) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", lang, "error-not-found")
    }

    /// The answer to a use case's refusal or fault: its status from its kind, its code, its
    /// message in the caller's language (times of day in UTC), and for rows of a file the
    /// reason of each. A handler's `?` does the same through `From`, in the request's language.
    pub fn failure(lang: &Lang, error: impl Failure) -> Self {
        let status = status_of(error.kind());
        ApiError {
            status,
            code: error.code(),
            message: render_message(lang, chrono_tz::UTC, &error.message()),
            fields: error
                .rows()
                .into_iter()
                .map(|(line, message)| FieldDetail {
                    field: format!("line {line}"),
                    code: "invalid_row".into(),
                    message,
                })
                .collect(),
            cause: status.is_server_error().then(|| error.to_string()),
        }
    }

    pub fn from_submit(error: SubmitError, lang: &Lang) -> Self {
        match error {
            SubmitError::Invalid(fields) => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid_letter",
                message: lang.t("form-errors-title"),
                fields: fields
                    .iter()
                    .map(|f| FieldDetail {
                        field: f.field.name().to_owned(),
                        code: problem_code(&f.problem).to_owned(),
                        message: field_message(f, lang),
                    })
                    .collect(),
                cause: None,
            },
            SubmitError::UnknownPrisoner => ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_prisoner",
                lang,
                "error-unknown-prisoner",
            ),
            SubmitError::PrisonerNotAccepting => ApiError::new(
                StatusCode::CONFLICT,
                "prisoner_not_accepting",
                lang,
                "error-prisoner-not-accepting",
            ),
            SubmitError::UnknownEvent => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_event",
                lang,
                "error-unknown-event",
            ),
            SubmitError::IdempotencyKeyReused => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                lang,
                "error-idempotency-key-reused",
            ),
            SubmitError::Unavailable => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                lang,
                "error-unavailable",
            ),
            SubmitError::Internal(cause) => ApiError::internal(lang, cause),
        }
    }
}

/// Any use case's refusal, with `?`: the message is in the language negotiated for the
/// request being answered.
impl<E: Failure> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError::failure(&crate::i18n::current(), error)
    }
}

/// The HTTP status of a kind of failure: the same in the API and on the pages.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::Unsupported => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A failure's message in the reader's language, with its arguments: a letter's state by
/// its name, a moment as a time of day in `zone`.
pub fn render_message(lang: &Lang, zone: chrono_tz::Tz, message: &Message) -> String {
    use fluent_bundle::FluentValue;
    if message.args.is_empty() {
        return lang.t(message.id);
    }
    let args: Vec<(&'static str, FluentValue<'static>)> = message
        .args
        .iter()
        .map(|(name, arg)| {
            let value = match arg {
                Arg::Text(text) => FluentValue::from(text.clone()),
                Arg::Number(n) => FluentValue::from(*n),
                Arg::State(state) => FluentValue::from(lang.t(format!("state-{}", state.as_str()))),
                Arg::Time(at) => {
                    FluentValue::from(at.with_timezone(&zone).format("%H:%M").to_string())
                }
            };
            (*name, value)
        })
        .collect();
    lang.targs(message.id, &args)
}

fn problem_code(problem: &Problem) -> &'static str {
    match problem {
        Problem::Parse(p) => p.code(),
        Problem::ConsentMissing => "consent_missing",
    }
}

/// The message for one refused field, with its numbers filled in.
pub fn field_message(error: &FieldError, lang: &Lang) -> String {
    let id = error.message_id();
    match &error.problem {
        Problem::Parse(ParseError::TooLong { max, actual }) => lang.targs(
            &id,
            &[
                ("max", (*max as i64).into()),
                ("actual", (*actual as i64).into()),
            ],
        ),
        _ => lang.t(&id),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(status = %self.status, code = self.code, cause = ?self.cause, "request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
                fields: self.fields,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

/// An error shown as a page in the reader's language.
pub struct PageError {
    pub status: StatusCode,
    pub chrome: Chrome,
    pub message_id: &'static str,
    /// Text the person typed, shown back so that nothing is lost.
    pub kept_text: Option<String>,
    pub cause: Option<String>,
}

impl PageError {
    pub fn new(status: StatusCode, chrome: Chrome, message_id: &'static str) -> Self {
        PageError {
            status,
            chrome,
            message_id,
            kept_text: None,
            cause: None,
        }
    }

    pub fn not_found(chrome: Chrome) -> Self {
        PageError::new(StatusCode::NOT_FOUND, chrome, "error-not-found")
    }

    /// A fault on our side: 500, or 503 when the database cannot store anything.
    pub fn internal(chrome: Chrome, cause: impl std::fmt::Display) -> Self {
        let cause = cause.to_string();
        let (status, message_id) = if StoreError::is_unavailable_text(&cause) {
            (StatusCode::SERVICE_UNAVAILABLE, "error-storage-unavailable")
        } else {
            (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
        };
        PageError {
            cause: Some(cause),
            ..PageError::new(status, chrome, message_id)
        }
    }
}

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    c: &'a Chrome,
    message: String,
    lead: Option<String>,
    kept_text: Option<&'a str>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(status = %self.status, cause = ?self.cause, "page failed");
        }
        let lang = &self.chrome.lang;
        let lead = (self.status == StatusCode::NOT_FOUND && self.message_id == "error-not-found")
            .then(|| lang.t("error-not-found-lead"));
        let page = ErrorPage {
            c: &self.chrome,
            message: lang.t(self.message_id),
            lead,
            kept_text: self.kept_text.as_deref(),
        };
        render(self.status, &page)
    }
}

/// Reads a JSON request body; malformed JSON is a 400 that says what is wrong.
pub fn parse_json<T: for<'de> serde::Deserialize<'de>>(
    body: &[u8],
    lang: &Lang,
) -> Result<T, ApiError> {
    let body: &[u8] = if body.is_empty() { b"{}" } else { body };
    serde_json::from_slice(body).map_err(|e| ApiError {
        message: format!("{} ({e})", lang.t("error-malformed")),
        ..ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            lang,
            "error-malformed",
        )
    })
}

/// A JSON request body read into `T` under the router's size limit: malformed JSON is a 400
/// that says what is wrong, in the request's language (see [`parse_json`]). An empty body
/// reads as `{}`.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Response> {
        let lang = request
            .extensions()
            .get::<Lang>()
            .cloned()
            .unwrap_or_else(|| Lang::from_code(crate::i18n::DEFAULT));
        let body = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        parse_json(&body, &lang)
            .map(ApiJson)
            .map_err(IntoResponse::into_response)
    }
}

/// A query string read into `T`; one that cannot be read is a 400 with the error body (axum's
/// own `Query` answers in plain text).
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S>
    for ApiQuery<T>
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, ApiError> {
        let rejection = match axum::extract::Query::<T>::try_from_uri(&parts.uri) {
            Ok(axum::extract::Query(value)) => return Ok(ApiQuery(value)),
            Err(rejection) => rejection.body_text(),
        };
        let lang = parts
            .extensions
            .get::<Lang>()
            .cloned()
            .unwrap_or_else(|| Lang::from_code(crate::i18n::DEFAULT));
        Err(ApiError::with_message(
            StatusCode::BAD_REQUEST,
            "malformed_query",
            format!("{} ({rejection})", lang.t("error-malformed")),
        ))
    }
}

/// A page size from `limit`: 50 when absent, 1 to 200 when given.
pub fn page_size(limit: Option<u32>, lang: &Lang) -> Result<u32, ApiError> {
    match limit {
        None => Ok(50),
        Some(n @ 1..=200) => Ok(n),
        Some(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_limit",
            lang,
            "error-invalid-limit",
        )),
    }
}

/// A whole number as JSON may write it: `3` or `3.0` (JSON Schema's "integer" allows both).
pub fn whole_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    use serde::Deserialize;
    let value = f64::deserialize(deserializer)?;
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Ok(value as i64)
    } else {
        Err(serde::de::Error::custom(format!(
            "{value} is not a whole number"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_that_cannot_store_anything_is_a_503_even_when_wrapped() {
        let lang = Lang::from_code("en");
        let full = StoreError::Unavailable("database or disk is full".into());
        let api = ApiError::internal(&lang, &full);
        assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(api.code, "storage_unavailable");
        assert!(
            api.message.contains("cannot save anything"),
            "{}",
            api.message
        );
        // As a staff action's error carries it.
        let wrapped = lysty_app::StaffError::Store(StoreError::Unavailable("read-only".into()));
        assert_eq!(
            ApiError::internal(&lang, wrapped).status,
            StatusCode::SERVICE_UNAVAILABLE
        );
        // Any other fault stays a 500.
        let other = StoreError::message("a stored slug is malformed");
        assert_eq!(
            ApiError::internal(&lang, other).status,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
