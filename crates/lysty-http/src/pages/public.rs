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
    let app = &state.app;
    let stats = match app.stats().await {
        Ok(s) => s,
        Err(e) => return Err(PageError::internal(c, e)),
    };
    // Those with the fewest letters lately first: they need them most.
    let mut waiting = match app.waiting_for_letters().await {
        Ok(w) => w,
        Err(e) => return Err(PageError::internal(c, e)),
    };
    let waiting_count = waiting.len() as i64;
    waiting.truncate(6);
    Ok(render(
        StatusCode::OK,
        &HomePage {
            c,
            stats,
            waiting,
            waiting_count,
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
    let app = &state.app;
    let prisoners = app
        .store()
        .list_prisoners(app.campaign().id, query.after.as_deref(), PAGE_SIZE)
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

/// The letter form's state: what was typed, and what is wrong with it.
pub struct LetterForm {
    pub values: LetterInput,
    pub errors: Vec<(String, String)>,
    pub max_chars: usize,
}

impl LetterForm {
    fn fresh(max_chars: usize) -> Self {
        LetterForm {
            values: LetterInput {
                idempotency_key: Uuid::now_v7().to_string(),
                ..LetterInput::default()
            },
            errors: Vec::new(),
            max_chars,
        }
    }

    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn language_options(&self) -> Vec<(&'static str, String, bool)> {
        LetterLanguage::ALL
            .iter()
            .map(|l| {
                let code = l.as_str();
                let selected = self.values.language == code
                    || (self.values.language.is_empty() && *l == LetterLanguage::Und);
                (code, format!("form-language-{code}"), selected)
            })
            .collect()
    }
}

#[derive(askama::Template)]
#[template(path = "prisoner.html")]
struct ProfilePage {
    c: Chrome,
    prisoner: Prisoner,
    form: LetterForm,
    /// An error about the whole letter (not one field), e.g. the person was released.
    banner: Option<String>,
    /// Replies the prisoner agreed to publish.
    replies: Vec<lysty_store::Reply>,
}

/// Published replies are a courtesy on the profile: if they cannot be read, the page
/// (and its letter form) still works.
async fn published_replies(state: &AppState, prisoner: &Prisoner) -> Vec<lysty_store::Reply> {
    state
        .app
        .replies(prisoner.id, true)
        .await
        .unwrap_or_else(|error| {
            tracing::error!(%error, "replies could not be read");
            Vec::new()
        })
}

async fn load_prisoner(state: &AppState, c: &Chrome, slug: &str) -> Result<Prisoner, PageError> {
    match state
        .app
        .store()
        .prisoner_by_slug(state.app.campaign().id, slug)
        .await
    {
        Ok(Some(p)) if p.published => Ok(p),
        Ok(_) => Err(PageError::not_found(c.clone())),
        Err(e) => Err(PageError::internal(c.clone(), e)),
    }
}

pub async fn profile(
    State(state): State<AppState>,
    c: Chrome,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let prisoner = load_prisoner(&state, &c, &slug).await?;
    let form = LetterForm::fresh(state.app.config().max_letter_chars);
    let replies = published_replies(&state, &prisoner).await;
    Ok(render(
        StatusCode::OK,
        &ProfilePage {
            c,
            prisoner,
            form,
            banner: None,
            replies,
        },
    ))
}

pub async fn submit_letter(
    State(state): State<AppState>,
    c: Chrome,
    Path(slug): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, PageError> {
    let body = match body {
        Ok(b) => b,
        Err(rejection) => {
            let status = rejection.status();
            let id = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "error-too-large"
            } else {
                "error-malformed"
            };
            let status = if status.is_client_error() {
                status
            } else {
                StatusCode::BAD_REQUEST
            };
            return Err(PageError::new(status, c, id));
        }
    };
    let form = Form::parse(&body);
    let input = LetterInput {
        prisoner: slug.clone(),
        body: form.get("body").to_owned(),
        language: form.get("language").to_owned(),
        writer_name: form.get("writer_name").to_owned(),
        writer_city: form.get("writer_city").to_owned(),
        writer_country: form.get("writer_country").to_owned(),
        writer_email: form.get("writer_email").to_owned(),
        email_consent: form.checked("email_consent"),
        event: String::new(),
        idempotency_key: form.get("idempotency_key").to_owned(),
    };
    let max_chars = state.app.config().max_letter_chars;
    let mut again = LetterForm {
        values: input.clone(),
        errors: Vec::new(),
        max_chars,
    };
    if !form.invalid_utf8.is_empty() {
        again.errors = form
            .invalid_utf8
            .iter()
            .map(|f| (f.clone(), c.t("error-body-encoding")))
            .collect();
        return refuse(&state, c, &slug, again, None, StatusCode::BAD_REQUEST).await;
    }
    match state.app.submit_letter(&input, Source::Online).await {
        Ok(receipt) => Ok(Redirect::to(&format!(
            "/letters/{}?new=1",
            receipt.tracking_code.display()
        ))
        .into_response()),
        Err(SubmitError::Invalid(fields)) => {
            again.errors = fields
                .iter()
                .map(|f| (f.field.name().to_owned(), field_message(f, &c.lang)))
                .collect();
            refuse(
                &state,
                c,
                &slug,
                again,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(SubmitError::PrisonerNotAccepting) => {
            let banner = c.t("error-prisoner-not-accepting");
            refuse(&state, c, &slug, again, Some(banner), StatusCode::CONFLICT).await
        }
        Err(SubmitError::UnknownPrisoner) => Err(PageError {
            kept_text: Some(input.body),
            ..PageError::new(StatusCode::NOT_FOUND, c, "error-unknown-prisoner")
        }),
        Err(SubmitError::IdempotencyKeyReused) => {
            // A stale form: give it a fresh key and let the writer send again.
            again.values.idempotency_key = Uuid::now_v7().to_string();
            let banner = c.t("error-idempotency-key-reused");
            refuse(&state, c, &slug, again, Some(banner), StatusCode::CONFLICT).await
        }
        Err(SubmitError::UnknownEvent) => {
            let banner = c.t("error-unknown-event");
            refuse(
                &state,
                c,
                &slug,
                again,
                Some(banner),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(SubmitError::Unavailable) => {
            let banner = c.t("error-unavailable");
            refuse(
                &state,
                c,
                &slug,
                again,
                Some(banner),
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
        Err(SubmitError::Internal(cause)) => {
            tracing::error!(%cause, "a letter could not be taken");
            let banner = c.t("error-internal");
            refuse(
                &state,
                c,
                &slug,
                again,
                Some(banner),
                StatusCode::INTERNAL_SERVER_ERROR,
            )
            .await
        }
    }
}

/// Shows the form again with everything the writer typed and what to fix.
async fn refuse(
    state: &AppState,
    c: Chrome,
    slug: &str,
    form: LetterForm,
    banner: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let prisoner = match load_prisoner(state, &c, slug).await {
        Ok(p) => p,
        Err(mut error) => {
            error.kept_text = Some(form.values.body);
            return Err(error);
        }
    };
    let replies = published_replies(state, &prisoner).await;
    Ok(no_store(render(
        status,
        &ProfilePage {
            c,
            prisoner,
            form,
            banner,
            replies,
        },
    )))
}

#[derive(Deserialize)]
pub struct TrackQuery {
    code: Option<String>,
    new: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "track.html")]
struct TrackPage {
    c: Chrome,
    code: String,
    error: Option<String>,
}

/// `/letters?code=…`: the form to look a letter up, and the redirect to its page.
pub async fn track_form(c: Chrome, Query(query): Query<TrackQuery>) -> Response {
    let raw = query.code.unwrap_or_default();
    if raw.trim().is_empty() {
        return render(
            StatusCode::OK,
            &TrackPage {
                c,
                code: String::new(),
                error: None,
            },
        );
    }
    match TrackingCode::parse(&raw) {
        Ok(code) => Redirect::to(&format!("/letters/{}", code.display())).into_response(),
        Err(_) => {
            let error = Some(c.t("error-letter-not-found"));
            no_store(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &TrackPage {
                    c,
                    code: raw,
                    error,
                },
            ))
        }
    }
}

#[derive(askama::Template)]
#[template(path = "letter.html")]
struct LetterPage {
    c: Chrome,
    letter: TrackedLetter,
    code: String,
    link: String,
    new: bool,
    /// When a reply from the prisoner answered this letter.
    reply_at: Option<chrono::DateTime<chrono::Utc>>,
    /// After a new letter: someone else who has received few letters lately.
    suggest: Option<PrisonerSummary>,
}

pub async fn letter(
    State(state): State<AppState>,
    c: Chrome,
    Path(raw): Path<String>,
    Query(query): Query<TrackQuery>,
) -> Response {
    let not_found = |c: Chrome| {
        let error = Some(c.t("error-letter-not-found"));
        no_store(render(
            StatusCode::NOT_FOUND,
            &TrackPage {
                c,
                code: raw.clone(),
                error,
            },
        ))
    };
    let Ok(code) = TrackingCode::parse(&raw) else {
        return not_found(c);
    };
    match state
        .app
        .store()
        .letter_by_tracking_code(code.as_str())
        .await
    {
        Ok(Some(letter)) => {
            let link = format!("{}/letters/{}", state.config.public_url, code.display());
            let reply_at = match state.app.store().reply_for_letter(letter.id).await {
                Ok(at) => at,
                Err(e) => return PageError::internal(c, e).into_response(),
            };
            let suggest = if query.new.is_some() {
                // A suggestion is a courtesy: without it the page still thanks the writer.
                state
                    .app
                    .waiting_for_letters()
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .map(|w| w.prisoner)
                    .find(|p| p.slug != letter.prisoner_slug)
            } else {
                None
            };
            no_store(render(
                StatusCode::OK,
                &LetterPage {
                    c,
                    letter,
                    code: code.display(),
                    link,
                    new: query.new.is_some(),
                    reply_at,
                    suggest,
                },
            ))
        }
        Ok(None) => not_found(c),
        Err(e) => PageError::internal(c, e).into_response(),
    }
}

#[derive(askama::Template)]
#[template(path = "events.html")]
struct EventsPage {
    c: Chrome,
    upcoming: Vec<Event>,
    past: Vec<Event>,
}

pub async fn events(State(state): State<AppState>, c: Chrome) -> Result<Response, PageError> {
    let events = match state.app.all_events().await {
        Ok(e) => e,
        Err(e) => return Err(PageError::internal(c, e)),
    };
    let now = state.app.now();
    let (mut upcoming, past): (Vec<_>, Vec<_>) = events.into_iter().partition(|e| e.ends_at >= now);
    upcoming.reverse();
    Ok(render(StatusCode::OK, &EventsPage { c, upcoming, past }))
}

#[derive(askama::Template)]
#[template(path = "event.html")]
struct EventPage {
    c: Chrome,
    event: Event,
}

pub async fn event(
    State(state): State<AppState>,
    c: Chrome,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let Ok(id) = Uuid::parse_str(&raw) else {
        return Err(PageError::not_found(c));
    };
    match state.app.store().event_by_id(EventId(id)).await {
        Ok(Some(event)) => Ok(render(StatusCode::OK, &EventPage { c, event })),
        Ok(None) => Err(PageError::not_found(c)),
        Err(e) => Err(PageError::internal(c, e)),
    }
}

#[derive(askama::Template)]
#[template(path = "stats.html")]
struct StatsPage {
    c: Chrome,
    stats: CampaignStats,
    months: crate::charts::ColumnChart,
    sources: crate::charts::BarChart,
    cities: crate::charts::BarChart,
    countries: crate::charts::BarChart,
    prisoners: crate::charts::BarChart,
    events: crate::charts::BarChart,
    series: crate::charts::BarChart,
    organisations: crate::charts::BarChart,
}

pub async fn stats(State(state): State<AppState>, c: Chrome) -> Result<Response, PageError> {
    use crate::charts::{bars, columns};
    let stats = match state.app.stats().await {
        Ok(stats) => stats,
        Err(e) => return Err(PageError::internal(c, e)),
    };
    let series = |items: Vec<(String, i64)>| -> Vec<(String, i64, String)> {
        items
            .into_iter()
            .map(|(label, v)| (label, v, c.lang.num(v)))
            .collect()
    };
    let en = c.lang.code() == "en";
    let months = columns(
        "chart-months",
        c.t("stats-chart-months"),
        &series(
            stats
                .by_month
                .iter()
                .map(|b| (c.lang.month_key(&b.key), b.letters))
                .collect(),
        ),
        36,
    );
    let sources = bars(
        "chart-sources",
        c.t("stats-by-source"),
        &series(
            stats
                .by_source
                .iter()
                .map(|b| (c.t(format!("source-{}", b.key)), b.letters))
                .collect(),
        ),
        10,
    );
    // Places are counted under a normalised key ("київ"); shown as a name ("Київ").
    let place = |list: &[lysty_app::stats::Bucket]| {
        series(
            list.iter()
                .map(|b| {
                    let mut chars = b.key.chars();
                    let name = chars
                        .next()
                        .map(|first| first.to_uppercase().chain(chars).collect())
                        .unwrap_or_default();
                    (name, b.letters)
                })
                .collect(),
        )
    };
    let cities = bars(
        "chart-cities",
        c.t("stats-by-city"),
        &place(&stats.by_city),
        10,
    );
    let countries = bars(
        "chart-countries",
        c.t("stats-by-country"),
        &place(&stats.by_country),
        10,
    );
    let prisoners = bars(
        "chart-prisoners",
        c.t("stats-by-prisoner"),
        &series(
            stats
                .by_prisoner
                .iter()
                .map(|b| {
                    (
                        if en {
                            b.name_en.clone()
                        } else {
                            b.name_uk.clone()
                        },
                        b.letters,
                    )
                })
                .collect(),
        ),
        12,
    );
    let events = bars(
        "chart-events",
        c.t("stats-by-event"),
        &series(
            stats
                .by_event
                .iter()
                .map(|b| {
                    (
                        if en {
                            b.title_en.clone()
                        } else {
                            b.title_uk.clone()
                        },
                        b.letters,
                    )
                })
                .collect(),
        ),
        10,
    );
    let series_chart = bars(
        "chart-series",
        c.t("stats-by-series"),
        &series(
            stats
                .by_series
                .iter()
                .map(|b| (b.key.clone(), b.letters))
                .collect(),
        ),
        10,
    );
    let organisations = bars(
        "chart-organisations",
        c.t("stats-by-organisation"),
        &series(
            stats
                .by_organisation
                .iter()
                .map(|b| {
                    (
                        if en {
                            b.name_en.clone()
                        } else {
                            b.name_uk.clone()
                        },
                        b.letters,
                    )
                })
                .collect(),
        ),
        10,
    );
    Ok(render(
        StatusCode::OK,
        &StatsPage {
            c,
            stats,
            months,
            sources,
            cities,
            countries,
            prisoners,
            events,
            series: series_chart,
            organisations,
        },
    ))
}

/// Any path no route knows: JSON under `/api/`, a page elsewhere.
pub async fn fallback(c: Chrome) -> Response {
    if c.path.starts_with("/api/") {
        crate::error::ApiError::not_found(&c.lang).into_response()
    } else {
        PageError::not_found(c).into_response()
    }
}

#[derive(askama::Template)]
#[template(path = "series.html")]
struct SeriesPage {
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
    let stops = match state
        .app
        .store()
        .events_in_series(state.app.campaign().id, &series)
        .await
    {
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
