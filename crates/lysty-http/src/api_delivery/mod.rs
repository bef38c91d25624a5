//! Delivery in the JSON API: facilities, placements, batches and their PDFs, outcomes,
//! held letters and the bank, replies. Dispatchers (and, for the registry, coordinators).

use crate::error::ApiJson;
use crate::extract::ApiPath;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use lysty_app::DeliveryError;
use lysty_app::delivery::{BatchInput, ElectronicLetter, FacilityInput};
use lysty_store::{BatchId, DeliveryLetter, Facility, LetterId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody, parse_json};
use crate::i18n::Lang;

mod support;

pub use support::*;

#[derive(Debug, Serialize, ToSchema)]
pub struct FacilityItem {
    pub slug: String,
    pub name_ru: String,
    pub name_en: String,
    pub region: Option<String>,
    pub address_ru: Option<String>,
    /// post, electronic, handover.
    pub channels: Vec<String>,
    pub language: String,
    pub max_letter_chars: Option<i64>,
    pub needs_birth_year: bool,
    pub needs_number: bool,
    pub electronic_max_chars: Option<i64>,
    pub electronic_parts: bool,
    /// Whether a translated letter's original is printed beside the Russian text.
    pub prints_original: bool,
    pub notes: String,
    /// Prisoners placed there now.
    pub prisoners: i64,
}

impl From<Facility> for FacilityItem {
    fn from(f: Facility) -> Self {
        FacilityItem {
            slug: f.slug,
            name_ru: f.name_ru,
            name_en: f.name_en,
            region: f.region,
            address_ru: f.address_ru,
            channels: f
                .rules
                .channels
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            language: f.rules.language,
            max_letter_chars: f.max_letter_chars,
            needs_birth_year: f.rules.needs_birth_year,
            needs_number: f.rules.needs_number,
            electronic_max_chars: f.rules.electronic_max_chars,
            electronic_parts: f.rules.electronic_parts,
            prints_original: f.rules.prints_original,
            notes: f.rules.notes,
            prisoners: f.prisoners,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacilityList {
    pub facilities: Vec<FacilityItem>,
}

/// The facility registry.
#[utoipa::path(get, path = "/api/v1/facilities", security(("bearer" = [])),
    responses((status = 200, body = FacilityList), (status = 403, body = ErrorBody)))]
pub async fn facilities(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<FacilityList>, ApiError> {
    let facilities = state.app.facilities(&actor).await?;
    Ok(Json(FacilityList {
        facilities: facilities.into_iter().map(Into::into).collect(),
    }))
}

/// Creates or changes a facility (by slug), with its rules.
#[utoipa::path(post, path = "/api/v1/facilities", request_body = FacilityInput, security(("bearer" = [])),
    responses((status = 200, body = FacilityItem), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_facility(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> Result<Json<FacilityItem>, ApiError> {
    let input: FacilityInput = parse_json(&body, &lang)?;
    let facility = state.app.save_facility(&actor, &input).await?;
    Ok(Json(facility.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementRequest {
    /// The facility's slug.
    pub facility: String,
    /// The day the prisoner arrived there (YYYY-MM-DD); today when absent.
    pub since: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementDone {
    /// Whether this placement is now the current one.
    pub current: bool,
    /// Letters not yet sent that were held because the prisoner moved.
    pub held: u64,
}

/// Records a placement: a transfer holds the letters not yet sent.
#[utoipa::path(post, path = "/api/v1/prisoners/{slug}/placements", params(("slug" = String, Path)),
    request_body = PlacementRequest, security(("bearer" = [])),
    responses((status = 200, body = PlacementDone), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn placement(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(actor): ApiUser,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Json<PlacementDone>, ApiError> {
    let r: PlacementRequest = parse_json(&body, &lang)?;
    let outcome = state
        .app
        .record_placement(
            &actor,
            &slug,
            &r.facility,
            r.since.as_deref().unwrap_or(""),
            r.note.as_deref().unwrap_or(""),
        )
        .await?;
    Ok(Json(PlacementDone {
        current: outcome.current,
        held: outcome.held,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// detained, convicted, released, exchanged, deceased or unknown.
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Held {
    pub held: u64,
}

/// Changes a prisoner's status; release, exchange or death hold their letters.
#[utoipa::path(post, path = "/api/v1/prisoners/{slug}/status", params(("slug" = String, Path)),
    request_body = StatusRequest, security(("bearer" = [])),
    responses((status = 200, body = Held), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn prisoner_status(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(slug): Path<String>,
    ApiJson(r): ApiJson<StatusRequest>,
) -> Result<Json<Held>, ApiError> {
    let held = state
        .app
        .set_prisoner_status(&actor, &slug, &r.status)
        .await?;
    Ok(Json(Held { held }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryLetterItem {
    pub id: Uuid,
    /// The code printed on the letter's pages.
    pub reference: String,
    pub state: String,
    pub prisoner: String,
    pub received_at: chrono::DateTime<chrono::Utc>,
    /// transferred, released, exchanged or deceased, when the letter is held.
    pub held: Option<String>,
}

impl From<&DeliveryLetter> for DeliveryLetterItem {
    fn from(l: &DeliveryLetter) -> Self {
        DeliveryLetterItem {
            id: l.id.0,
            reference: l.reference(),
            state: l.state.as_str().to_owned(),
            prisoner: l.prisoner_slug.to_string(),
            received_at: l.received_at,
            held: l.held.map(|h| h.as_str().to_owned()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchItem {
    pub id: Uuid,
    pub facility: String,
    pub channel: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub sent_reference: Option<String>,
    pub letters: Vec<DeliveryLetterItem>,
}

async fn batch_item(
    state: &AppState,
    actor: &lysty_app::Actor,
    id: BatchId,
) -> Result<BatchItem, ApiError> {
    let view = state.app.batch(actor, id).await?;
    Ok(BatchItem {
        id: view.batch.id.0,
        facility: view.facility.slug,
        channel: view.batch.channel.as_str().to_owned(),
        created_at: view.batch.created_at,
        sent_at: view.batch.sent_at,
        sent_reference: view.batch.sent_reference,
        letters: view.letters.iter().map(Into::into).collect(),
    })
}

/// Builds a batch: approved letters for one facility and channel, oldest first, within
/// the weekly cap per prisoner. A letter goes into one batch only.
#[utoipa::path(post, path = "/api/v1/batches", request_body = BatchInput, security(("bearer" = [])),
    responses((status = 201, body = BatchItem), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn build_batch(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> Result<(StatusCode, Json<BatchItem>), ApiError> {
    let input: BatchInput = parse_json(&body, &lang)?;
    let id = state.app.build_batch(&actor, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(batch_item(&state, &actor, id).await?),
    ))
}

/// A batch and its letters.
#[utoipa::path(get, path = "/api/v1/batches/{id}", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = BatchItem), (status = 404, body = ErrorBody)))]
pub async fn batch(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<BatchId>,
) -> Result<Json<BatchItem>, ApiError> {
    Ok(Json(batch_item(&state, &actor, id).await?))
}

#[derive(Debug, Deserialize)]
pub struct PdfQuery {
    reply_kit: Option<String>,
}

/// The print-ready PDF: per prisoner a cover sheet with the envelope block in Russian,
/// then each letter; `?reply_kit=1` adds a reply-kit page.
#[utoipa::path(get, path = "/api/v1/batches/{id}/pdf", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn batch_pdf(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<BatchId>,
    crate::error::ApiQuery(query): crate::error::ApiQuery<PdfQuery>,
) -> Result<Response, ApiError> {
    let reply_kit = query.reply_kit.is_some_and(|v| v == "1" || v == "true");
    let pdf = state.app.batch_pdf(&actor, id, reply_kit).await?;
    Ok(pdf_response(pdf, &format!("batch-{}.pdf", id.0.simple())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElectronicExport {
    pub letters: Vec<ElectronicLetter>,
}

/// Each letter split into the messages the facility's electronic service takes.
#[utoipa::path(get, path = "/api/v1/batches/{id}/electronic", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = ElectronicExport), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn electronic(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<BatchId>,
) -> Result<Json<ElectronicExport>, ApiError> {
    let letters = state.app.electronic_export(&actor, id).await?;
    Ok(Json(ElectronicExport { letters }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SentRequest {
    /// The day it went out (YYYY-MM-DD); today when absent.
    pub date: Option<String>,
    /// The channel's reference: a tracking number, an order id.
    pub reference: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SentDone {
    pub letters: u64,
}

/// Marks a batch sent; its letters become sent.
#[utoipa::path(post, path = "/api/v1/batches/{id}/sent", params(("id" = Uuid, Path)),
    request_body = SentRequest, security(("bearer" = [])),
    responses((status = 200, body = SentDone), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn mark_sent(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<BatchId>,
    body: Bytes,
) -> Result<Json<SentDone>, ApiError> {
    let r: SentRequest = parse_json(&body, &lang)?;
    let letters = state
        .app
        .mark_batch_sent(
            &actor,
            id,
            r.date.as_deref().unwrap_or(""),
            r.reference.as_deref().unwrap_or(""),
        )
        .await?;
    Ok(Json(SentDone { letters }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    /// delivered, withheld, returned or undeliverable.
    pub outcome: String,
    pub note: Option<String>,
    /// Evidence: a scan or photo (JPEG, PNG, WebP or PDF), base64.
    pub scan_base64: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LetterDone {
    pub id: Uuid,
    pub state: String,
}

/// Records what became of a sent letter, with evidence.
#[utoipa::path(post, path = "/api/v1/letters/{id}/outcome", params(("id" = Uuid, Path)),
    request_body = OutcomeRequest, security(("bearer" = [])),
    responses((status = 200, body = LetterDone), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn outcome(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<LetterId>,
    body: Bytes,
) -> Result<Json<LetterDone>, ApiError> {
    let r: OutcomeRequest = parse_json(&body, &lang)?;
    let scan = decode_scan(r.scan_base64.as_deref(), &lang)?;
    state
        .app
        .record_outcome(
            &actor,
            id,
            &r.outcome,
            r.note.as_deref().unwrap_or(""),
            scan,
        )
        .await?;
    Ok(Json(LetterDone {
        id: id.0,
        state: r.outcome,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Imported {
    pub rows: usize,
}

/// Records outcomes from CSV (`reference,outcome,note`): all rows or none; bad rows are
/// listed by line in `error.fields`.
#[utoipa::path(post, path = "/api/v1/outcomes", request_body(content = String, content_type = "text/csv"),
    security(("bearer" = [])),
    responses((status = 200, body = Imported), (status = 422, body = ErrorBody)))]
pub async fn import_outcomes(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> Result<Json<Imported>, ApiError> {
    let rows = state.app.import_outcomes(&actor, body.as_ref()).await?;
    Ok(Json(Imported { rows }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LetterList {
    pub letters: Vec<DeliveryLetterItem>,
}

/// Letters held because their prisoner moved, was released, exchanged or died.
#[utoipa::path(get, path = "/api/v1/held", security(("bearer" = [])),
    responses((status = 200, body = LetterList), (status = 403, body = ErrorBody)))]
pub async fn held(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<LetterList>, ApiError> {
    let letters = state.app.held_letters(&actor).await?;
    Ok(Json(LetterList {
        letters: letters.iter().map(Into::into).collect(),
    }))
}

/// Lets a held letter go to the prisoner's current facility with the next batch.
#[utoipa::path(post, path = "/api/v1/letters/{id}/reroute", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = LetterDone), (status = 404, body = ErrorBody)))]
pub async fn reroute(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<LetterId>,
) -> Result<Json<LetterDone>, ApiError> {
    state.app.reroute(&actor, id).await?;
    Ok(Json(LetterDone {
        id: id.0,
        state: "approved".into(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BankRequest {
    pub note: Option<String>,
}

/// Puts a letter not yet sent into the letter bank, to be handed over later.
#[utoipa::path(post, path = "/api/v1/letters/{id}/bank", params(("id" = Uuid, Path)),
    request_body = BankRequest, security(("bearer" = [])),
    responses((status = 200, body = LetterDone), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn bank(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<LetterId>,
    body: Bytes,
) -> Result<Json<LetterDone>, ApiError> {
    let r: BankRequest = parse_json(&body, &lang)?;
    state
        .app
        .bank(&actor, id, r.note.as_deref().unwrap_or(""))
        .await?;
    Ok(Json(LetterDone {
        id: id.0,
        state: "undeliverable".into(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BankItem {
    pub prisoner: String,
    pub letters: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Bank {
    pub prisoners: Vec<BankItem>,
}

/// The letter bank: letters kept for each prisoner.
#[utoipa::path(get, path = "/api/v1/bank", security(("bearer" = [])),
    responses((status = 200, body = Bank), (status = 403, body = ErrorBody)))]
pub async fn letter_bank(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<Bank>, ApiError> {
    let bank = state.app.letter_bank(&actor).await?;
    Ok(Json(Bank {
        prisoners: bank
            .into_iter()
            .map(|b| BankItem {
                prisoner: b.prisoner_slug.to_string(),
                letters: b.letters,
            })
            .collect(),
    }))
}

/// The letters kept for one prisoner, as a PDF.
#[utoipa::path(get, path = "/api/v1/bank/{slug}/pdf", params(("slug" = String, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn bank_pdf(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let pdf = state.app.bank_pdf(&actor, &slug).await?;
    Ok(pdf_response(pdf, &format!("bank-{slug}.pdf")))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    /// The day the reply arrived (YYYY-MM-DD); today when absent.
    pub received: Option<String>,
    pub transcription: Option<String>,
    /// Whether the prisoner agreed to publish it on their page.
    #[serde(default)]
    pub consent_publish: bool,
    /// The scan (JPEG, PNG, WebP or PDF), base64.
    pub scan_base64: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyDone {
    pub id: Uuid,
    /// Letters delivered before the reply, now linked to it.
    pub linked: u64,
    /// Writers who will be told by email.
    pub emails: u64,
}

/// Records a reply from a prisoner; writers of delivered letters who left an email are told.
#[utoipa::path(post, path = "/api/v1/prisoners/{slug}/replies", params(("slug" = String, Path)),
    request_body = ReplyRequest, security(("bearer" = [])),
    responses((status = 201, body = ReplyDone), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reply(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(actor): ApiUser,
    Path(slug): Path<String>,
    ApiJson(r): ApiJson<ReplyRequest>,
) -> Result<(StatusCode, Json<ReplyDone>), ApiError> {
    let scan = decode_scan(r.scan_base64.as_deref(), &lang)?;
    let outcome = state
        .app
        .record_reply(
            &actor,
            &slug,
            r.received.as_deref().unwrap_or(""),
            r.transcription.as_deref().unwrap_or(""),
            r.consent_publish,
            scan,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ReplyDone {
            id: outcome.id.0,
            linked: outcome.linked,
            emails: outcome.emails,
        }),
    ))
}
