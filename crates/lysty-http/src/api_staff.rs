//! The staff part of the JSON API: the review queue and the lifecycle steps. Callers
//! authenticate with `Authorization: Bearer …` (or a browser session with
//! `X-CSRF-Token`).

use crate::error::ApiJson;
use crate::extract::ApiPath;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use lysty_app::review::Queue;
use lysty_domain::{RejectReason, Source};
use lysty_store::{LetterId, ReviewFilter, ReviewLetter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody, parse_json};
use crate::i18n::Lang;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// `review` (received and in review; the default) or `translation`.
    queue: Option<String>,
    prisoner: Option<String>,
    /// The letter's language as detected or declared (`uk`, `ru`, `en`…).
    language: Option<String>,
    /// A flag kind such as `political` or `link`.
    flag: Option<String>,
    source: Option<String>,
    event: Option<Uuid>,
    /// The last id of the previous page.
    after: Option<Uuid>,
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItem {
    pub id: Uuid,
    pub state: String,
    pub prisoner: String,
    pub source: String,
    pub language: String,
    pub detected_language: Option<String>,
    pub received_at: chrono::DateTime<chrono::Utc>,
    pub body: String,
    pub body_delivery: Option<String>,
    /// Safety flags: advice for the moderator, with the spans they point at.
    #[schema(value_type = Vec<Object>)]
    pub flags: serde_json::Value,
    pub claimed_until: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueuePage {
    pub letters: Vec<QueueItem>,
    pub next: Option<Uuid>,
}

fn item(l: ReviewLetter) -> QueueItem {
    let flags = l.flags;
    QueueItem {
        id: l.id.0,
        state: l.state.as_str().to_owned(),
        prisoner: l.prisoner_slug.as_str().to_owned(),
        source: l.source.as_str().to_owned(),
        language: l.language.as_str().to_owned(),
        detected_language: l.detected_language,
        received_at: l.received_at,
        body: l.body,
        body_delivery: l.body_delivery,
        flags: serde_json::to_value(flags).unwrap_or_default(),
        claimed_until: l.claimed_until,
    }
}

/// Letters waiting for review or translation, oldest first.
#[utoipa::path(get, path = "/api/v1/review/queue", params(QueueParams),
    security(("bearer" = [])),
    responses((status = 200, body = QueuePage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn queue(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(actor): ApiUser,
    crate::error::ApiQuery(params): crate::error::ApiQuery<QueueParams>,
) -> Result<Json<QueuePage>, ApiError> {
    let which = match params.queue.as_deref() {
        None | Some("review") => Queue::Review,
        Some("translation") => Queue::Translation,
        Some(_) => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                &lang,
                "staff-error-invalid",
            ));
        }
    };
    let limit = crate::error::page_size(params.limit, &lang)?;
    let source = match params.source.as_deref() {
        None => None,
        Some(raw) => Some(raw.parse::<Source>().map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                &lang,
                "staff-error-invalid",
            )
        })?),
    };
    let filter = ReviewFilter {
        prisoner: params.prisoner,
        language: params.language,
        flag: params.flag,
        source,
        event: params.event.map(lysty_store::EventId),
        after: params.after.map(LetterId),
        limit,
        ..ReviewFilter::default()
    };
    let letters = state.app.review_queue(&actor, which, filter).await?;
    let next = (letters.len() == limit as usize)
        .then(|| letters.last().map(|l| l.id.0))
        .flatten();
    Ok(Json(QueuePage {
        letters: letters.into_iter().map(item).collect(),
        next,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepDone {
    pub id: Uuid,
    pub state: String,
}

async fn state_of(
    state: &AppState,
    actor: &lysty_app::Actor,
    id: LetterId,
) -> Result<Json<StepDone>, ApiError> {
    let letter = state.app.letter_for_staff(actor, id).await?;
    Ok(Json(StepDone {
        id: id.0,
        state: letter.state.as_str().to_owned(),
    }))
}

/// Claims a letter for a few minutes, so that no one else works on it.
#[utoipa::path(post, path = "/api/v1/letters/{id}/claim", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = QueueItem), (status = 409, body = ErrorBody)))]
pub async fn claim(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<LetterId>,
) -> Result<Json<QueueItem>, ApiError> {
    let letter = state.app.open_letter(&actor, id).await?;
    Ok(Json(item(letter)))
}

/// Approves a claimed letter. A letter not in Russian goes to translation first.
#[utoipa::path(post, path = "/api/v1/letters/{id}/approve", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = StepDone), (status = 409, body = ErrorBody)))]
pub async fn approve(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<LetterId>,
) -> Result<Json<StepDone>, ApiError> {
    let next = state.app.approve(&actor, id).await?;
    Ok(Json(StepDone {
        id: id.0,
        state: next.as_str().to_owned(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    /// `politics`, `war`, `case_details`, `contact_data`, `offensive`, `spam`, `duplicate` or `other`.
    pub reason: String,
    /// For staff only: never shown to the writer.
    pub note: Option<String>,
}

/// Rejects a claimed letter with a reason.
#[utoipa::path(post, path = "/api/v1/letters/{id}/reject", params(("id" = Uuid, Path)),
    request_body = RejectRequest, security(("bearer" = [])),
    responses((status = 200, body = StepDone), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reject(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<LetterId>,
    body: Bytes,
) -> Result<Json<StepDone>, ApiError> {
    let request: RejectRequest = parse_json(&body, &lang)?;
    let reason = request.reason.parse::<RejectReason>().map_err(|_| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_reason",
            &lang,
            "staff-error-invalid",
        )
    })?;
    state
        .app
        .reject(&actor, id, reason, request.note.as_deref().unwrap_or(""))
        .await?;
    state_of(&state, &actor, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TranslationRequest {
    /// The Russian text.
    pub text: String,
}

/// Saves the Russian text of a letter waiting for translation; it returns to review.
#[utoipa::path(post, path = "/api/v1/letters/{id}/translation", params(("id" = Uuid, Path)),
    request_body = TranslationRequest, security(("bearer" = [])),
    responses((status = 200, body = StepDone), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn translation(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<LetterId>,
    body: Bytes,
) -> Result<Json<StepDone>, ApiError> {
    let request: TranslationRequest = parse_json(&body, &lang)?;
    state.app.translate(&actor, id, &request.text).await?;
    state_of(&state, &actor, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedactRequest {
    /// Exact passages of the letter to strike; each becomes `[…]`.
    pub passages: Vec<String>,
}

/// Strikes passages from a claimed letter; the original is kept for admins.
#[utoipa::path(post, path = "/api/v1/letters/{id}/redact", params(("id" = Uuid, Path)),
    request_body = RedactRequest, security(("bearer" = [])),
    responses((status = 200, body = StepDone), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn redact(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<LetterId>,
    ApiJson(request): ApiJson<RedactRequest>,
) -> Result<Json<StepDone>, ApiError> {
    state.app.redact(&actor, id, &request.passages).await?;
    state_of(&state, &actor, id).await
}
