//! The public site: home, prisoners and the letter form, tracking, events, statistics.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lysty_app::stats::CampaignStats;
use lysty_app::{LetterInput, SubmitError};
use lysty_domain::{LetterLanguage, Source, TrackingCode};
use lysty_store::{Event, EventId, Prisoner, PrisonerSummary, TrackedLetter};
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, no_store, render};
use crate::AppState;
use crate::error::{PageError, field_message};
use crate::forms::Form;

const PAGE_SIZE: u32 = 50;

#[derive(askama::Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    stats: CampaignStats,
    waiting: Vec<lysty_app::stats::Waiting>,
    waiting_count: i64,
}

pub async fn home(State(state): State<AppState>, c: Chrome) -> Result<Response, PageError> {
    let figures = match state.app.public_figures().await {
        Ok(f) => f,
        Err(e) => return Err(PageError::internal(c, e)),
    };
    // Those with the fewest letters lately first: they need them most.
    let waiting = figures.waiting.iter().take(6).cloned().collect();
    Ok(render(
        StatusCode::OK,
        &HomePage {
            c,
            stats: figures.stats.clone(),
            waiting,
            waiting_count: figures.waiting.len() as i64,
        },
    ))
}

#[derive(Deserialize)]
pub struct PageQuery {
    after: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "prisoners.html")]
struct PrisonersPage {
    c: Chrome,
    prisoners: Vec<PrisonerSummary>,
    next: Option<String>,
}

pub async fn prisoners(
    State(state): State<AppState>,
    c: Chrome,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let prisoners = state
        .app
        .published_prisoners(query.after.as_deref(), PAGE_SIZE)
        .await;
    let prisoners = match prisoners {
        Ok(p) => p,
        Err(e) => return Err(PageError::internal(c, e)),
    };
    let next = (prisoners.len() == PAGE_SIZE as usize)
        .then(|| prisoners.last().map(|p| p.slug.as_str().to_owned()))
        .flatten();
    Ok(render(
        StatusCode::OK,
        &PrisonersPage { c, prisoners, next },
    ))
}

mod about;
mod events;
mod letters;
mod stats;

pub use about::*;
pub use events::*;
pub use letters::*;
pub use stats::*;

/// Any path no route knows: JSON under `/api/`, a page elsewhere.
pub async fn fallback(c: Chrome) -> Response {
    if c.path.starts_with("/api/") {
        crate::error::ApiError::not_found(&c.lang).into_response()
    } else {
        PageError::not_found(c).into_response()
    }
}
