//! The JSON API under `/api/v1`, documented from the handlers (utoipa) at
//! `/api/v1/openapi.json`. Errors are `{"error": {"code", "message"}}` with a 4xx status
//! for anything the client can fix.

use crate::limits::{ClientKey, too_many_letters, with_retry_after};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lysty_app::LetterInput;
use lysty_app::stats::CampaignStats;
use lysty_domain::{Source, TrackingCode};
use lysty_store::{Localised, Prisoner, PrisonerNames, PrisonerSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiError, ApiQuery, ErrorBody, page_size};
use crate::i18n::Lang;
use crate::pages::no_store;

/// A prisoner's names: `ru_full` is the form for the envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct Names {
    pub uk: String,
    pub en: String,
    pub crh: Option<String>,
    pub ru_full: Option<String>,
}

impl From<PrisonerNames> for Names {
    fn from(n: PrisonerNames) -> Self {
        Names {
            uk: n.uk,
            en: n.en,
            crh: n.crh,
            ru_full: n.ru_full,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrisonerItem {
    pub slug: String,
    pub names: Names,
    /// `detained`, `convicted`, `released`, `exchanged`, `deceased` or `unknown`.
    pub status: String,
    /// Whether letters are taken for this person.
    pub accepts_letters: bool,
    /// Letters counted for this person in the campaign.
    pub letters: i64,
}

impl From<PrisonerSummary> for PrisonerItem {
    fn from(p: PrisonerSummary) -> Self {
        PrisonerItem {
            slug: p.slug.as_str().to_owned(),
            status: p.status.as_str().to_owned(),
            accepts_letters: p.status.accepts_letters(),
            letters: p.letters,
            names: p.names.into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrisonerPage {
    pub prisoners: Vec<PrisonerItem>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrisonerQuery {
    /// The `next` value of the previous page.
    after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// Published prisoners, by slug, with the letters counted for each.
#[utoipa::path(get, path = "/api/v1/prisoners", params(PrisonerQuery),
    responses((status = 200, body = PrisonerPage)))]
pub async fn list_prisoners(
    State(state): State<AppState>,
    lang: Lang,
    ApiQuery(query): ApiQuery<PrisonerQuery>,
) -> Result<Json<PrisonerPage>, ApiError> {
    let limit = page_size(query.limit, &lang)?;
    let prisoners = state
        .app
        .published_prisoners(query.after.as_deref(), limit)
        .await
        .map_err(|e| ApiError::internal(&lang, e))?;
    let next = (prisoners.len() == limit as usize)
        .then(|| prisoners.last().map(|p| p.slug.as_str().to_owned()))
        .flatten();
    Ok(Json(PrisonerPage {
        prisoners: prisoners.into_iter().map(Into::into).collect(),
        next,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Texts {
    pub uk: String,
    pub en: String,
}

impl From<Localised> for Texts {
    fn from(l: Localised) -> Self {
        Texts { uk: l.uk, en: l.en }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Guidance {
    /// What to write and what to avoid, in the request's language.
    pub general: Vec<String>,
    /// Advice specific to this person.
    pub for_this_person: Texts,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Facility {
    pub name_ru: String,
    pub name_en: String,
    pub region: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrisonerDetail {
    #[serde(flatten)]
    pub summary: PrisonerItem,
    pub birth_year: Option<i32>,
    pub story: Texts,
    pub guidance: Guidance,
    pub facility: Option<Facility>,
}

fn detail(p: Prisoner, lang: &Lang) -> PrisonerDetail {
    PrisonerDetail {
        summary: PrisonerItem {
            slug: p.slug.as_str().to_owned(),
            status: p.status.as_str().to_owned(),
            accepts_letters: p.status.accepts_letters(),
            letters: p.letters,
            names: p.names.into(),
        },
        birth_year: p.birth_year,
        story: p.story.into(),
        guidance: Guidance {
            general: [
                "guidance-do",
                "guidance-avoid",
                "guidance-language",
                "guidance-next",
                "guidance-privacy",
            ]
            .iter()
            .map(|id| lang.t(id))
            .collect(),
            for_this_person: p.guidance.into(),
        },
        facility: p.facility.map(|f| Facility {
            name_ru: f.name_ru,
            name_en: f.name_en,
            region: f.region,
        }),
    }
}

/// One published prisoner with guidance for writers.
#[utoipa::path(get, path = "/api/v1/prisoners/{slug}",
    params(("slug" = String, Path, description = "e.g. `remzi-bekirov`")),
    responses((status = 200, body = PrisonerDetail), (status = 404, body = ErrorBody)))]
pub async fn get_prisoner(
    State(state): State<AppState>,
    lang: Lang,
    Path(slug): Path<String>,
) -> Result<Json<PrisonerDetail>, ApiError> {
    match state.app.published_prisoner(&slug).await {
        Ok(Some(p)) => Ok(Json(detail(p, &lang))),
        Ok(None) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_prisoner",
            &lang,
            "error-unknown-prisoner",
        )),
        Err(e) => Err(ApiError::internal(&lang, e)),
    }
}

/// A letter from a writer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterRequest {
    /// The prisoner's slug.
    pub prisoner: String,
    /// The flag kinds `POST /api/v1/letters/check` warned the writer about, when they
    /// checked the letter and chose to send it anyway; the moderator is told.
    pub warned: Option<Vec<String>>,
    /// The letter, in any language; at most the configured length (8,000 characters by default).
    pub body: String,
    /// `uk`, `ru`, `crh`, `en`, `other` or `und` (not said).
    pub language: Option<String>,
    pub writer_name: Option<String>,
    pub writer_city: Option<String>,
    pub writer_country: Option<String>,
    /// Stored encrypted, and only with `email_consent: true`.
    pub writer_email: Option<String>,
    /// The writer's explicit consent to be emailed about the letter.
    pub email_consent: Option<bool>,
    /// The id of the event where the letter was written; counted there only with that
    /// event's `kiosk_token`.
    pub event: Option<String>,
    /// The token of the event's kiosk link (the kiosk sends it); without it, or with
    /// another event's, a letter naming an event is refused as `unknown_event`.
    pub kiosk_token: Option<String>,
    /// Sending the same key again returns the same letter instead of a new one. The
    /// `Idempotency-Key` header is accepted too.
    pub idempotency_key: Option<String>,
    /// While the campaign asks for one (`GET /api/v1/proof-of-work`): base64 of ALTCHA's
    /// payload, `{"challenge", "solution"}`. A kiosk's letters (`event` with its
    /// `kiosk_token`) need none.
    pub proof_of_work: Option<String>,
}

impl LetterRequest {
    /// The letter as the app takes it; the body's key wins over the `Idempotency-Key` header.
    pub fn into_input(self, header_key: Option<String>) -> LetterInput {
        LetterInput {
            prisoner: self.prisoner,
            body: self.body,
            language: self.language.unwrap_or_default(),
            writer_name: self.writer_name.unwrap_or_default(),
            writer_city: self.writer_city.unwrap_or_default(),
            writer_country: self.writer_country.unwrap_or_default(),
            writer_email: self.writer_email.unwrap_or_default(),
            email_consent: self.email_consent.unwrap_or(false),
            event: self.event.unwrap_or_default(),
            kiosk_token: self.kiosk_token.unwrap_or_default(),
            idempotency_key: self.idempotency_key.or(header_key).unwrap_or_default(),
            warned: self.warned.unwrap_or_default().join(","),
            written_at: String::new(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LetterCreated {
    pub id: Uuid,
    /// The writer's private code for `/letters/{tracking_code}`.
    pub tracking_code: String,
    pub state: String,
}

/// Submits a letter. Answers only once the letter is stored durably.
#[utoipa::path(post, path = "/api/v1/letters", request_body = LetterRequest,
    responses(
        (status = 201, body = LetterCreated, description = "Stored (or already stored with this idempotency key)"),
        (status = 400, body = ErrorBody, description = "Malformed JSON"),
        (status = 404, body = ErrorBody, description = "Unknown prisoner"),
        (status = 409, body = ErrorBody, description = "The prisoner takes no letters, or the same text came from this address under another idempotency key (`duplicate_letter`)"),
        (status = 413, body = ErrorBody, description = "Request body too large"),
        (status = 415, body = ErrorBody, description = "Not JSON"),
        (status = 422, body = ErrorBody, description = "Invalid fields, or no valid `proof_of_work` while one is asked (`proof_of_work_required`)"),
        (status = 429, body = ErrorBody, description = "Too many letters from this address, or from everyone at once; `Retry-After` says when to try again"),
        (status = 503, body = ErrorBody, description = "Try again shortly"),
    ))]
pub async fn create_letter(
    State(state): State<AppState>,
    lang: Lang,
    client: ClientKey,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                &lang,
                "error-too-large",
            )
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed",
                &lang,
                "error-malformed",
            )
        }
    })?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            let v = v.trim();
            v.eq_ignore_ascii_case("application/json")
                || (v.starts_with("application/") && v.ends_with("+json"))
        });
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            &lang,
            "error-unsupported-media",
        ));
    }
    let mut request: LetterRequest = serde_json::from_slice(&body).map_err(|e| ApiError {
        message: format!("{} ({e})", lang.t("error-malformed")),
        ..ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            &lang,
            "error-malformed",
        )
    })?;
    let header_key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let proof = request.proof_of_work.take().unwrap_or_default();
    let input = request.into_input(header_key);
    // A kiosk's letter is vouched for by its token, which the app checks against the event
    // the letter names; a token without an event would be checked by no one.
    let from_a_kiosk = !input.kiosk_token.is_empty() && !input.event.is_empty();
    if !from_a_kiosk && state.proof.check(&proof, state.app.now()).is_err() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "proof_of_work_required",
            &lang,
            "error-proof-of-work-api",
        ));
    }
    if let Err(wait) = state.limits.letter(client) {
        return Ok(too_many_letters(&lang, wait));
    }
    if state
        .limits
        .duplicate(client, &input.body, &input.idempotency_key)
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "duplicate_letter",
            &lang,
            "error-duplicate-letter",
        ));
    }
    let receipt = state
        .app
        .submit_letter(&input, Source::Online)
        .await
        .map_err(|e| ApiError::from_submit(e, &lang))?;
    let created = LetterCreated {
        id: receipt.id.0,
        tracking_code: receipt.tracking_code.display(),
        state: receipt.state.as_str().to_owned(),
    };
    Ok(no_store(
        (StatusCode::CREATED, Json(created)).into_response(),
    ))
}

/// Whether letters must bring a proof of work now, and a challenge to solve.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProofOfWorkChallenge {
    /// True while the campaign asks each letter for a proof of work (`limits.proof_of_work`).
    pub required: bool,
    /// ALTCHA's challenge (PoW v2, PBKDF2/SHA-256), present when `required`: find the
    /// counter whose key starts with `parameters.keyPrefix`, then send base64 of
    /// `{"challenge": …, "solution": {"counter", "derivedKey"}}` as the letter's
    /// `proof_of_work`. Good for two hours, once.
    #[schema(value_type = Option<Object>)]
    pub challenge: Option<serde_json::Value>,
}

/// A proof-of-work challenge for one letter, when the campaign asks for one.
#[utoipa::path(get, path = "/api/v1/proof-of-work",
    responses((status = 200, body = ProofOfWorkChallenge, description = "A challenge, or `required: false` while none is asked")))]
pub async fn proof_of_work(State(state): State<AppState>) -> Response {
    let challenge = state
        .proof
        .challenge(state.app.now())
        .and_then(|json| serde_json::from_str(&json).ok());
    no_store(
        Json(ProofOfWorkChallenge {
            required: state.proof.enabled(),
            challenge,
        })
        .into_response(),
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JourneyStep {
    pub state: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrackedPrisoner {
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
}

/// The writer's view of a letter: its state and journey, with no staff names or notes.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrackedLetter {
    pub state: String,
    pub prisoner: TrackedPrisoner,
    pub received_at: chrono::DateTime<chrono::Utc>,
    pub journey: Vec<JourneyStep>,
}

/// The journey of a letter, by its private tracking code.
#[utoipa::path(get, path = "/api/v1/letters/track/{tracking_code}",
    params(("tracking_code" = String, Path, description = "16 characters; dashes and case are ignored")),
    responses((status = 200, body = TrackedLetter), (status = 404, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "Too many lookups from this address; `Retry-After` says when to try again")))]
pub async fn track_letter(
    State(state): State<AppState>,
    lang: Lang,
    client: ClientKey,
    Path(raw): Path<String>,
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
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_letter",
            &lang,
            "error-letter-not-found",
        )
    };
    let code = TrackingCode::parse(&raw).map_err(|_| not_found())?;
    let letter = state
        .app
        .tracked_letter(&code)
        .await
        .map_err(|e| ApiError::internal(&lang, e))?
        .ok_or_else(not_found)?
        .letter;
    let body = TrackedLetter {
        state: letter.state.as_str().to_owned(),
        prisoner: TrackedPrisoner {
            slug: letter.prisoner_slug.as_str().to_owned(),
            name_uk: letter.prisoner_names.uk,
            name_en: letter.prisoner_names.en,
        },
        received_at: letter.received_at,
        journey: letter
            .journey
            .into_iter()
            .map(|s| JourneyStep {
                state: s.state.as_str().to_owned(),
                at: s.at,
            })
            .collect(),
    };
    Ok(no_store(Json(body).into_response()))
}

/// The campaign's counters: totals, by month and year, city, country, source, state,
/// event and prisoner.
#[utoipa::path(get, path = "/api/v1/stats", responses((status = 200, body = CampaignStats)))]
pub async fn stats(
    State(state): State<AppState>,
    lang: Lang,
) -> Result<Json<CampaignStats>, ApiError> {
    state
        .app
        .public_figures()
        .await
        .map(|figures| Json(figures.stats.clone()))
        .map_err(|e| ApiError::internal(&lang, e))
}
