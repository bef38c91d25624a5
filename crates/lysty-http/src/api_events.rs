//! Events in the JSON API: the public list, and for coordinators new events and tallies.

use crate::error::ApiJson;
use crate::extract::ApiPath;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use lysty_app::events::EventInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody, parse_json};
use crate::i18n::Lang;

#[derive(Debug, Serialize, ToSchema)]
pub struct EventItem {
    pub id: Uuid,
    pub kind: String,
    pub title_uk: String,
    pub title_en: String,
    pub city: String,
    pub country: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub series: Option<String>,
    /// Letters written there, tallied paper letters included.
    pub letters: i64,
    /// Of `letters`, the tallied paper letters.
    pub tallied: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventList {
    pub events: Vec<EventItem>,
}

/// Every event of the campaign, newest first, with its numbers.
#[utoipa::path(get, path = "/api/v1/events", responses((status = 200, body = EventList)))]
pub async fn list(State(state): State<AppState>, lang: Lang) -> Result<Json<EventList>, ApiError> {
    let events = state
        .app
        .all_events()
        .await
        .map_err(|e| ApiError::internal(&lang, e))?;
    Ok(Json(EventList {
        events: events
            .into_iter()
            .map(|e| EventItem {
                id: e.id.0,
                kind: e.kind,
                title_uk: e.title.uk,
                title_en: e.title.en,
                city: e.city,
                country: e.country,
                starts_at: e.starts_at,
                ends_at: e.ends_at,
                series: e.series,
                letters: e.letters,
                tallied: e.tallied,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEventRequest {
    /// book_forum, press_tour, meeting, school, exhibition, online or abroad.
    pub kind: String,
    pub title_uk: String,
    pub title_en: Option<String>,
    pub city: String,
    pub country: String,
    pub venue: Option<String>,
    /// RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    /// Groups events, e.g. the stops of a press tour.
    pub series: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: Uuid,
}

/// Creates an event of the caller's organisation (coordinators and admins).
#[utoipa::path(post, path = "/api/v1/events", request_body = NewEventRequest, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let r: NewEventRequest = parse_json(&body, &lang)?;
    let input = EventInput {
        kind: r.kind,
        title_uk: r.title_uk,
        title_en: r.title_en.unwrap_or_default(),
        city: r.city,
        country: r.country,
        venue: r.venue.unwrap_or_default(),
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        series: r.series.unwrap_or_default(),
    };
    let id = state.app.create_event(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TallyRequest {
    /// The prisoner's slug; absent for letters not assigned to anyone.
    pub prisoner: Option<String>,
    /// 1–10,000.
    #[serde(deserialize_with = "crate::error::whole_number")]
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TallyDone {
    pub event: Uuid,
    pub letters: i64,
    pub tallied: i64,
}

/// Records paper letters counted at an event. They count in every total, as tallied.
#[utoipa::path(post, path = "/api/v1/events/{id}/tally", params(("id" = Uuid, Path)),
    request_body = TallyRequest, security(("bearer" = [])),
    responses((status = 200, body = TallyDone), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn tally(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<lysty_store::EventId>,
    ApiJson(r): ApiJson<TallyRequest>,
) -> Result<Json<TallyDone>, ApiError> {
    state
        .app
        .record_tally(
            &actor,
            id,
            r.prisoner.as_deref().unwrap_or(""),
            &r.count.to_string(),
        )
        .await?;
    let event = state.app.event_for_staff(&actor, id).await?;
    Ok(Json(TallyDone {
        event: id.0,
        letters: event.letters,
        tallied: event.tallied,
    }))
}
