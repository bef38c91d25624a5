//! The kiosk: one large page for a phone or tablet at an event's booth. It works without
//! JavaScript (a plain form), and with it keeps letters on the device while offline.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lysty_app::events::KioskClosed;
use lysty_app::{LetterInput, SubmitError};
use lysty_domain::Source;
use lysty_store::{Event, PrisonerSummary};
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, render};
use crate::AppState;
use crate::assets;
use crate::error::{ApiError, PageError, field_message};
use crate::forms::Form;

#[derive(askama::Template)]
#[template(path = "kiosk.html")]
struct KioskPage {
    c: Chrome,
    event: Event,
    token: String,
    prisoners: Vec<PrisonerSummary>,
    key: String,
    sent: Option<String>,
    error: Option<String>,
    script: String,
}

#[derive(askama::Template)]
#[template(path = "kiosk_closed.html")]
struct KioskClosedPage {
    c: Chrome,
    message: String,
    /// What to do next, when there is more to say.
    detail: Option<String>,
    /// The kiosk script in rescue mode: it sends what the device still keeps and offers
    /// the kept letters as a file.
    script: String,
}

fn closed(c: Chrome, why: KioskClosed) -> Response {
    let id = match why {
        KioskClosed::Unknown => "kiosk-unknown",
        KioskClosed::Revoked => "kiosk-revoked",
        KioskClosed::Ended => "kiosk-ended",
        KioskClosed::Replaced => "kiosk-replaced",
    };
    let status = match why {
        KioskClosed::Unknown => StatusCode::NOT_FOUND,
        KioskClosed::Revoked | KioskClosed::Ended | KioskClosed::Replaced => StatusCode::GONE,
    };
    let message = c.t(id);
    let detail = (why == KioskClosed::Replaced).then(|| c.t("kiosk-replaced-detail"));
    render(
        status,
        &KioskClosedPage {
            c,
            message,
            detail,
            script: assets::url("kiosk.js"),
        },
    )
}

async fn event_or_closed(state: &AppState, c: &Chrome, token: &str) -> Result<Event, Response> {
    match state.app.kiosk_event(token).await {
        Ok(Ok(event)) => Ok(event),
        Ok(Err(why)) => Err(closed(c.clone(), why)),
        Err(e) => Err(PageError::internal(c.clone(), e).into_response()),
    }
}

async fn page(
    state: &AppState,
    c: Chrome,
    token: String,
    event: Event,
    sent: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let prisoners = match state.app.all_published_prisoners().await {
        Ok(p) => p
            .into_iter()
            .filter(|p| p.status.accepts_letters())
            .collect(),
        Err(e) => return PageError::internal(c, e).into_response(),
    };
    render(
        status,
        &KioskPage {
            c,
            event,
            token,
            prisoners,
            key: Uuid::now_v7().to_string(),
            sent,
            error,
            script: assets::url("kiosk.js"),
        },
    )
}

pub async fn kiosk(
    State(state): State<AppState>,
    c: Chrome,
    Path(token): Path<String>,
) -> Response {
    match event_or_closed(&state, &c, &token).await {
        Ok(event) => page(&state, c, token, event, None, None, StatusCode::OK).await,
        Err(response) => response,
    }
}

/// The live "letters written here" number.
pub async fn count(
    State(state): State<AppState>,
    c: Chrome,
    Path(token): Path<String>,
) -> Response {
    match event_or_closed(&state, &c, &token).await {
        Ok(event) => Json(serde_json::json!({ "letters": event.letters })).into_response(),
        Err(response) => response,
    }
}

#[derive(Deserialize)]
struct KioskLetter {
    prisoner: String,
    body: String,
    writer_name: Option<String>,
    writer_city: Option<String>,
    writer_country: Option<String>,
    idempotency_key: Option<String>,
    /// When the tablet saved it (RFC 3339).
    written_at: Option<String>,
}

/// A letter from the kiosk: JSON from the offline-capable script, or a plain form.
pub async fn submit(
    State(state): State<AppState>,
    c: Chrome,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    // Read once; a malformed body is refused after the kiosk is checked, as before. A
    // letter the tablet kept offline says when it was written: a replaced link still takes
    // the letters written before it was replaced.
    let letter = json.then(|| serde_json::from_slice::<KioskLetter>(&body));
    let written = match &letter {
        Some(Ok(l)) => l
            .written_at
            .as_deref()
            .and_then(lysty_app::import::parse_date),
        _ => None,
    };
    let event = match state.app.kiosk_event_for(&token, written).await {
        Ok(Ok(event)) => event,
        Ok(Err(why)) if json => {
            let status = if why == KioskClosed::Unknown {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::GONE
            };
            return ApiError::new(status, "kiosk_closed", &c.lang, "kiosk-revoked").into_response();
        }
        Ok(Err(why)) => return closed(c, why),
        Err(e) => return PageError::internal(c, e).into_response(),
    };
    // The kiosk's own allowance, by its token: a stand's tablets share one address.
    if let Err(wait) = state.limits.kiosk_letter(&token) {
        return crate::limits::too_many_letters(&c.lang, wait);
    }
    let input = if let Some(letter) = letter {
        match letter {
            Ok(l) => LetterInput {
                prisoner: l.prisoner,
                body: l.body,
                writer_name: l.writer_name.unwrap_or_default(),
                writer_city: l.writer_city.unwrap_or_default(),
                writer_country: l.writer_country.unwrap_or_default(),
                idempotency_key: l.idempotency_key.unwrap_or_default(),
                written_at: l.written_at.unwrap_or_default(),
                event: event.id.to_string(),
                kiosk_token: token.clone(),
                ..LetterInput::default()
            },
            Err(_) => {
                return ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "malformed_json",
                    &c.lang,
                    "error-malformed",
                )
                .into_response();
            }
        }
    } else {
        let form = Form::parse(&body);
        LetterInput {
            prisoner: form.get("prisoner").to_owned(),
            body: form.get("body").to_owned(),
            writer_name: form.get("writer_name").to_owned(),
            writer_city: form.get("writer_city").to_owned(),
            idempotency_key: form.get("idempotency_key").to_owned(),
            event: event.id.to_string(),
            kiosk_token: token.clone(),
            ..LetterInput::default()
        }
    };
    match state.app.submit_letter(&input, Source::Kiosk).await {
        Ok(receipt) if json => (
            StatusCode::CREATED,
            Json(serde_json::json!({
                "id": receipt.id,
                "tracking_code": receipt.tracking_code.display(),
                "state": receipt.state.as_str(),
            })),
        )
            .into_response(),
        // Shown once, in this answer only: never in a URL, where the next person at the
        // tablet would find it in the address bar or the history.
        Ok(receipt) => {
            let code = Some(receipt.tracking_code.display());
            crate::pages::no_store(page(&state, c, token, event, code, None, StatusCode::OK).await)
        }
        Err(error) if json => ApiError::from_submit(error, &c.lang).into_response(),
        Err(error) => {
            let message = match &error {
                SubmitError::Invalid(fields) => fields
                    .iter()
                    .map(|f| field_message(f, &c.lang))
                    .collect::<Vec<_>>()
                    .join(" "),
                SubmitError::UnknownPrisoner => c.t("error-unknown-prisoner"),
                SubmitError::PrisonerNotAccepting => c.t("error-prisoner-not-accepting"),
                SubmitError::Unavailable => c.t("error-unavailable"),
                _ => c.t("error-internal"),
            };
            page(
                &state,
                c,
                token,
                event,
                None,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
