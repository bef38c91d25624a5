//! Public events, one event, and an event series with its stops.

use super::*;
use crate::extract::PagePath;

#[derive(askama::Template)]
#[template(path = "events.html")]
pub(super) struct EventsPage {
    c: Chrome,
    /// Started and not yet ended.
    now: Vec<Event>,
    upcoming: Vec<Event>,
    past: Vec<Event>,
}

pub async fn events(State(state): State<AppState>, c: Chrome) -> Result<Response, PageError> {
    let events = match state.app.all_events().await {
        Ok(e) => e,
        Err(e) => return Err(PageError::internal(c, e)),
    };
    let at = state.app.now();
    let (mut current, past): (Vec<_>, Vec<_>) = events.into_iter().partition(|e| e.ends_at >= at);
    current.reverse();
    let (now, upcoming): (Vec<_>, Vec<_>) = current.into_iter().partition(|e| e.starts_at <= at);
    Ok(render(
        StatusCode::OK,
        &EventsPage {
            c,
            now,
            upcoming,
            past,
        },
    ))
}

#[derive(askama::Template)]
#[template(path = "event.html")]
pub(super) struct EventPage {
    c: Chrome,
    event: Event,
}

pub async fn event(
    State(state): State<AppState>,
    c: Chrome,
    PagePath(id): PagePath<Uuid>,
) -> Result<Response, PageError> {
    match state.app.event(EventId(id)).await {
        Ok(Some(event)) => Ok(render(StatusCode::OK, &EventPage { c, event })),
        Ok(None) => Err(PageError::not_found(c)),
        Err(e) => Err(PageError::internal(c, e)),
    }
}
#[derive(askama::Template)]
#[template(path = "series.html")]
pub(super) struct SeriesPage {
    c: Chrome,
    series: String,
    stops: Vec<Event>,
    total: i64,
    leader: Option<Event>,
}

/// A series of events (a press tour's stops) side by side, with its total and leader.
pub async fn series(
    State(state): State<AppState>,
    c: Chrome,
    Path(series): Path<String>,
) -> Result<Response, PageError> {
    let stops = match state.app.series(&series).await {
        Ok(s) => s,
        Err(e) => return Err(PageError::internal(c, e)),
    };
    if stops.is_empty() {
        return Err(PageError::not_found(c));
    }
    let total = stops.iter().map(|e| e.letters).sum();
    let leader = stops
        .iter()
        .max_by_key(|e| e.letters)
        .filter(|e| e.letters > 0)
        .cloned();
    Ok(render(
        StatusCode::OK,
        &SeriesPage {
            c,
            series,
            stops,
            total,
            leader,
        },
    ))
}
