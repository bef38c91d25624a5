//! The dispatcher's pages: the delivery desk (batches, outcomes), held letters, the letter
//! bank, replies, and the facility registry with prisoners' placements (which coordinators
//! keep too). Permission checks live in `lysty-app::delivery`; uploads are checked against
//! the role before a byte is read.

use askama::Template;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lysty_app::delivery::{BatchInput, BatchView, ElectronicLetter, FacilityInput};
use lysty_app::import::RowError;
use lysty_app::{Actor, DeliveryError};
use lysty_domain::{Channel, LetterState, Outcome, PrisonerStatus, Role};
use lysty_store::{
    BankEntry, Batch, BatchId, DeliveryLetter, Evidence, Facility, LetterId, Placement, Prisoner,
    PrisonerSummary, Reply, ReplyId, StoredScan,
};
use serde::Deserialize;
use uuid::Uuid;

use super::staff::{Desk, page_error};
use super::{Chrome, render};
use crate::AppState;
use crate::auth::StaffUser;
use crate::forms::Form;
use crate::i18n::print_labels;

/// Largest scan of a reply or of delivery evidence, with room for the other fields.
pub const MAX_SCAN_UPLOAD: usize = 10 * 1024 * 1024 + 256 * 1024;
/// Largest outcomes file.
pub const MAX_OUTCOMES_UPLOAD: usize = 2 * 1024 * 1024;

const DISPATCHERS: &[Role] = &[Role::Dispatcher];
const REGISTRARS: &[Role] = &[Role::Coordinator, Role::Dispatcher];

// --- errors ---

/// The message for a field the app found missing or malformed.
fn invalid_message(field: &str) -> &'static str {
    match field {
        "name_ru" => "dispatch-invalid-name-ru",
        "name_en" => "dispatch-invalid-name-en",
        "slug" => "dispatch-invalid-slug",
        "channels" => "dispatch-invalid-channels",
        "language" => "dispatch-invalid-language",
        "address_ru" => "dispatch-invalid-address-ru",
        "region" => "dispatch-invalid-region",
        "max_letter_chars" | "electronic_max_chars" => "dispatch-invalid-number",
        "notes" => "dispatch-invalid-notes",
        "facility" => "dispatch-invalid-facility",
        "channel" => "dispatch-invalid-channel",
        "prisoner" => "dispatch-invalid-prisoner",
        "since" => "dispatch-invalid-since",
        "date" => "dispatch-invalid-date",
        "reference" => "dispatch-invalid-reference",
        "note" => "dispatch-invalid-note",
        "status" => "dispatch-invalid-status",
        "outcome" => "dispatch-invalid-outcome",
        "scan" => "dispatch-invalid-scan",
        "received" => "dispatch-invalid-received",
        "transcription" => "dispatch-invalid-transcription",
        _ => "staff-error-invalid",
    }
}

/// The status and the message a delivery error shows.
fn describe(d: &Desk, error: &DeliveryError) -> (StatusCode, String) {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    match error {
        DeliveryError::Forbidden => (StatusCode::FORBIDDEN, d.t("staff-error-forbidden")),
        DeliveryError::NotFound => (StatusCode::NOT_FOUND, d.t("error-not-found")),
        DeliveryError::Invalid(field) => (unprocessable, d.t(invalid_message(field))),
        DeliveryError::NoAddress => (unprocessable, d.t("delivery-error-no-address")),
        DeliveryError::NoPlacement => (unprocessable, d.t("delivery-error-no-placement")),
        DeliveryError::ChannelNotUsed => (unprocessable, d.t("delivery-error-channel")),
        DeliveryError::NothingToBatch => (unprocessable, d.t("delivery-error-nothing")),
        DeliveryError::AlreadySent => (unprocessable, d.t("delivery-error-sent-already")),
        DeliveryError::WrongState(state) => (
            unprocessable,
            d.c.lang
                .ts("delivery-error-wrong-state", "state", &d.c.state(state)),
        ),
        DeliveryError::TooLongForChannel { reference, limit } => (
            unprocessable,
            d.c.lang.targs(
                "delivery-error-too-long",
                &[
                    ("reference", reference.clone().into()),
                    ("limit", count(*limit).into()),
                ],
            ),
        ),
        DeliveryError::Rows(rows) => (
            unprocessable,
            d.c.lang
                .tn("delivery-error-rows", "count", count(rows.len())),
        ),
        // Typesetting failing is our fault, not the dispatcher's.
        DeliveryError::Pdf(cause) => {
            tracing::error!(error = %cause, "a PDF could not be made");
            (StatusCode::INTERNAL_SERVER_ERROR, d.t("error-internal"))
        }
        DeliveryError::Store(e) => {
            tracing::error!(error = %e, "a delivery action failed");
            (StatusCode::INTERNAL_SERVER_ERROR, d.t("error-internal"))
        }
    }
}

fn delivery_error(d: Desk, error: DeliveryError) -> Response {
    let (status, message) = describe(&d, &error);
    page_error(d, status, message)
}

/// Errors that end the page (no access, nothing there, our fault), as opposed to those
/// shown beside the form that caused them.
fn is_fatal(error: &DeliveryError) -> bool {
    matches!(
        error,
        DeliveryError::Forbidden
            | DeliveryError::NotFound
            | DeliveryError::Store(_)
            | DeliveryError::Pdf(_)
    )
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn parse_batch_id(raw: &str) -> Option<BatchId> {
    Uuid::parse_str(raw.trim()).ok().map(BatchId)
}

fn parse_letter_id(raw: &str) -> Option<LetterId> {
    Uuid::parse_str(raw.trim()).ok().map(LetterId)
}

fn allowed(actor: &Actor, roles: &[Role]) -> Result<(), DeliveryError> {
    if actor.is(roles) {
        Ok(())
    } else {
        Err(DeliveryError::Forbidden)
    }
}

fn channel_label(d: &Desk, channel: &str) -> String {
    d.t(format!("dispatch-channel-{channel}"))
}

fn channel_choices(d: &Desk) -> Vec<(&'static str, String)> {
    Channel::ALL
        .iter()
        .map(|c| (c.as_str(), channel_label(d, c.as_str())))
        .collect()
}

/// The first characters of a text, for tables.
fn excerpt(text: &str) -> String {
    let cut: String = text.chars().take(120).collect();
    if text.chars().count() > 120 {
        format!("{cut}…")
    } else {
        cut
    }
}

/// The language of the text the censor reads: the Russian text when there is one.
fn delivery_lang(letter: &DeliveryLetter) -> &str {
    if letter.body_delivery.is_some() {
        "ru"
    } else {
        &letter.language
    }
}

// --- uploads ---

/// The fields of an upload form, read whole (forms here carry one file at most).
#[derive(Default)]
struct Upload {
    fields: Vec<(String, Option<String>, Bytes)>,
}

impl Upload {
    fn text(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    fn checked(&self, name: &str) -> bool {
        !self.text(name).is_empty()
    }

    /// A file field: its declared type (or name) and bytes, when one was chosen.
    fn file(&self, name: &str) -> Option<(String, Vec<u8>)> {
        self.fields
            .iter()
            .find(|(n, _, b)| n == name && !b.is_empty())
            .map(|(_, kind, b)| (kind.clone().unwrap_or_default(), b.to_vec()))
    }
}

/// Reads a multipart form; a broken or too large one becomes its status and message id.
async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Upload, (StatusCode, &'static str)> {
    let failed = |status: StatusCode| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            (StatusCode::PAYLOAD_TOO_LARGE, "dispatch-upload-too-large")
        } else {
            (StatusCode::BAD_REQUEST, "dispatch-upload-malformed")
        }
    };
    let Ok(mut multipart) = multipart else {
        return Err((StatusCode::BAD_REQUEST, "dispatch-upload-malformed"));
    };
    let mut upload = Upload::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(failed(e.status())),
        };
        let name = field.name().unwrap_or("").to_owned();
        let kind = field.content_type().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|e| failed(e.status()))?;
        upload.fields.push((name, kind, bytes));
    }
    Ok(upload)
}

fn upload_error(d: Desk, (status, id): (StatusCode, &'static str)) -> Response {
    let message = d.t(id);
    page_error(d, status, message)
}

/// A file served to staff only, shown in the browser, its type as stored (checked by
/// content when it was uploaded).
fn scan_response(scan: StoredScan) -> Response {
    let kind = HeaderValue::from_str(&scan.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut response = scan.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, kind);
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn pdf_response(pdf: Vec<u8>, filename: &str) -> Response {
    super::attachment(pdf, "application/pdf", filename)
}

// --- the desk ---

/// What a batch is asked for, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct BatchChoice {
    #[serde(default)]
    facility: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    prisoner: String,
}

impl BatchChoice {
    fn from_form(form: &Form) -> Self {
        BatchChoice {
            facility: form.get("facility").to_owned(),
            channel: form.get("channel").to_owned(),
            prisoner: form.get("prisoner").to_owned(),
        }
    }

    fn input(&self) -> BatchInput {
        BatchInput {
            facility: self.facility.clone(),
            channel: self.channel.clone(),
            prisoner: Some(self.prisoner.trim().to_owned()).filter(|p| !p.is_empty()),
        }
    }

    fn is_asked(&self) -> bool {
        !self.facility.trim().is_empty() || !self.channel.trim().is_empty()
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DeskQuery {
    #[serde(flatten)]
    choice: BatchChoice,
    imported: Option<String>,
}

/// What a form on the desk left to show.
#[derive(Default)]
struct DeskExtra {
    error: Option<String>,
    row_errors: Vec<RowError>,
    imported: Option<i64>,
}

struct Preview {
    facility: Facility,
    letters: Vec<DeliveryLetter>,
}

#[derive(Template)]
#[template(path = "staff/dispatch/desk.html")]
struct DeskPage {
    d: Desk,
    facilities: Vec<Facility>,
    prisoners: Vec<PrisonerSummary>,
    channels: Vec<(&'static str, String)>,
    choice: BatchChoice,
    preview: Option<Preview>,
    batches: Vec<Batch>,
    unplaced: i64,
    held: i64,
    /// At most this many letters per prisoner in seven days.
    cap: i64,
    extra: DeskExtra,
}

impl DeskPage {
    fn excerpt(&self, letter: &DeliveryLetter) -> String {
        excerpt(letter.delivery_text())
    }

    fn text_lang<'a>(&self, letter: &'a DeliveryLetter) -> &'a str {
        delivery_lang(letter)
    }

    fn channel(&self, name: &str) -> String {
        channel_label(&self.d, name)
    }

    fn imported(&self) -> Option<String> {
        self.extra
            .imported
            .map(|n| self.d.c.lang.tn("dispatch-outcomes-imported", "count", n))
    }
}

async fn desk_page(
    state: &AppState,
    d: Desk,
    actor: &Actor,
    choice: BatchChoice,
    mut extra: DeskExtra,
    mut status: StatusCode,
) -> Response {
    // The dispatcher's own list first: it is what decides who may see this page.
    let batches = match state.app.batches(actor).await {
        Ok(b) => b,
        Err(e) => return delivery_error(d, e),
    };
    let facilities = match state.app.facilities(actor).await {
        Ok(f) => f,
        Err(e) => return delivery_error(d, e),
    };
    let unplaced = match state.app.unplaced_letters(actor).await {
        Ok(n) => n,
        Err(e) => return delivery_error(d, e),
    };
    let held = match state.app.held_letters(actor).await {
        Ok(l) => count(l.len()),
        Err(e) => return delivery_error(d, e),
    };
    let prisoners = match state.app.all_published_prisoners().await {
        Ok(p) => p,
        Err(e) => return delivery_error(d, e.into()),
    };
    let mut preview = None;
    if choice.is_asked() {
        match state.app.preview_batch(actor, &choice.input()).await {
            Ok((facility, letters)) => preview = Some(Preview { facility, letters }),
            Err(e) if matches!(e, DeliveryError::Forbidden | DeliveryError::Store(_)) => {
                return delivery_error(d, e);
            }
            Err(e) => {
                let (s, message) = describe(&d, &e);
                if extra.error.is_none() {
                    extra.error = Some(message);
                    status = s;
                }
            }
        }
    }
    let channels = channel_choices(&d);
    let cap = state.app.config().delivery.per_prisoner_per_week;
    render(
        status,
        &DeskPage {
            d,
            facilities,
            prisoners,
            channels,
            choice,
            preview,
            batches,
            unplaced,
            held,
            cap,
            extra,
        },
    )
}

/// `GET /staff/delivery`: the desk, with a batch's preview when one is asked for.
pub async fn desk(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Query(query): Query<DeskQuery>,
) -> Response {
    let d = Desk::of(c, &actor);
    let extra = DeskExtra {
        imported: query.imported.and_then(|n| n.parse().ok()),
        ..DeskExtra::default()
    };
    desk_page(&state, d, &actor, query.choice, extra, StatusCode::OK).await
}

pub async fn build_batch(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let choice = BatchChoice::from_form(&Form::parse(&body));
    match state.app.build_batch(&actor, &choice.input()).await {
        Ok(id) => Redirect::to(&format!("/staff/batches/{id}")).into_response(),
        Err(e) if is_fatal(&e) => delivery_error(d, e),
        Err(e) => {
            let (status, message) = describe(&d, &e);
            let extra = DeskExtra {
                error: Some(message),
                ..DeskExtra::default()
            };
            desk_page(&state, d, &actor, choice, extra, status).await
        }
    }
}

/// `POST /staff/outcomes`: a CSV of outcomes, all rows or none.
pub async fn import_outcomes(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let d = Desk::of(c, &actor);
    if let Err(e) = allowed(&actor, DISPATCHERS) {
        return delivery_error(d, e);
    }
    let upload = match read_upload(multipart).await {
        Ok(u) => u,
        Err(e) => return upload_error(d, e),
    };
    let Some((_, file)) = upload.file("file") else {
        let extra = DeskExtra {
            error: Some(d.t("dispatch-outcomes-no-file")),
            ..DeskExtra::default()
        };
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return desk_page(&state, d, &actor, BatchChoice::default(), extra, status).await;
    };
    match state.app.import_outcomes(&actor, file.as_slice()).await {
        Ok(n) => Redirect::to(&format!("/staff/delivery?imported={n}")).into_response(),
        Err(e) if is_fatal(&e) => delivery_error(d, e),
        Err(e) => {
            let (status, message) = describe(&d, &e);
            let row_errors = match e {
                DeliveryError::Rows(rows) => rows,
                _ => Vec::new(),
            };
            let extra = DeskExtra {
                error: Some(message),
                row_errors,
                imported: None,
            };
            desk_page(&state, d, &actor, BatchChoice::default(), extra, status).await
        }
    }
}

// --- a batch ---

/// A letter of a batch, with what was recorded about it.
struct BatchRow {
    letter: DeliveryLetter,
    evidence: Vec<Evidence>,
}

/// An outcome form sent back with its error, the dispatcher's input kept.
struct OutcomeForm {
    letter: LetterId,
    outcome: String,
    note: String,
    error: String,
}

#[derive(Default)]
struct BatchExtra {
    notice: Option<String>,
    error: Option<String>,
    /// The error is about the date sent.
    date_invalid: bool,
    sent_date: String,
    sent_reference: String,
    outcome: Option<OutcomeForm>,
}

#[derive(Template)]
#[template(path = "staff/dispatch/batch.html")]
struct BatchPage {
    d: Desk,
    batch: Batch,
    facility: Facility,
    rows: Vec<BatchRow>,
    outcomes: Vec<(&'static str, String)>,
    extra: BatchExtra,
    today: String,
}

impl BatchPage {
    fn channel(&self) -> String {
        channel_label(&self.d, self.batch.channel.as_str())
    }

    fn is_electronic(&self) -> bool {
        self.batch.channel == Channel::Electronic
    }

    fn lacks_address(&self) -> bool {
        self.batch.channel == Channel::Post && self.facility.address_ru.is_none()
    }

    /// Letters that wait for an outcome: the batch is sent and they are still `sent`.
    fn awaiting(&self) -> Vec<&DeliveryLetter> {
        self.rows
            .iter()
            .map(|r| &r.letter)
            .filter(|l| self.is_awaiting(l))
            .collect()
    }

    fn is_awaiting(&self, letter: &DeliveryLetter) -> bool {
        self.batch.sent_at.is_some() && letter.state == LetterState::Sent
    }

    fn outcome_label(&self, outcome: &str) -> String {
        self.d.t(format!("dispatch-outcome-{outcome}"))
    }

    /// The error of this letter's outcome form, if it was just sent back.
    fn outcome_error(&self, letter: &LetterId) -> Option<&OutcomeForm> {
        self.extra.outcome.as_ref().filter(|f| f.letter == *letter)
    }

    fn outcome_selected(&self, letter: &LetterId, outcome: &str) -> bool {
        self.outcome_error(letter)
            .is_some_and(|f| f.outcome == outcome)
    }

    fn outcome_note(&self, letter: &LetterId) -> &str {
        self.outcome_error(letter).map_or("", |f| f.note.as_str())
    }
}

async fn batch_page(
    state: &AppState,
    d: Desk,
    actor: &Actor,
    id: BatchId,
    extra: BatchExtra,
    status: StatusCode,
) -> Response {
    let BatchView {
        batch,
        facility,
        letters,
    } = match state.app.batch(actor, id).await {
        Ok(v) => v,
        Err(e) => return delivery_error(d, e),
    };
    let mut rows = Vec::with_capacity(letters.len());
    for letter in letters {
        // Only letters with an outcome can have evidence.
        let evidence = if matches!(
            letter.state,
            LetterState::Sent | LetterState::Batched | LetterState::Approved
        ) {
            Vec::new()
        } else {
            match state.app.delivery_letter(actor, letter.id).await {
                Ok((_, evidence)) => evidence,
                Err(e) => return delivery_error(d, e),
            }
        };
        rows.push(BatchRow { letter, evidence });
    }
    let outcomes = Outcome::ALL
        .iter()
        .map(|o| (o.as_str(), d.t(format!("dispatch-outcome-{}", o.as_str()))))
        .collect();
    let today = state.app.now().format("%Y-%m-%d").to_string();
    render(
        status,
        &BatchPage {
            d,
            batch,
            facility,
            rows,
            outcomes,
            extra,
            today,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn batch(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_batch_id(&raw) else {
        return delivery_error(d, DeliveryError::NotFound);
    };
    let notice = match query.done.as_deref() {
        Some("sent") => Some(d.t("dispatch-notice-sent")),
        Some("outcome") => Some(d.t("dispatch-notice-outcome")),
        _ => None,
    };
    let extra = BatchExtra {
        notice,
        ..BatchExtra::default()
    };
    batch_page(&state, d, &actor, id, extra, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct PdfQuery {
    reply_kit: Option<String>,
}

/// `GET /staff/batches/{id}/pdf`: the print-ready batch, labels in the censor's language.
pub async fn batch_pdf(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    Query(query): Query<PdfQuery>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_batch_id(&raw) else {
        return delivery_error(d, DeliveryError::NotFound);
    };
    let view = match state.app.batch(&actor, id).await {
        Ok(v) => v,
        Err(e) => return delivery_error(d, e),
    };
    let reply_kit = matches!(query.reply_kit.as_deref(), Some("1" | "true" | "yes"));
    let labels = print_labels(&view.facility.rules.language);
    match state.app.batch_pdf(&actor, id, labels, reply_kit).await {
        Ok(pdf) => {
            let short: String = id.to_string().chars().take(8).collect();
            let filename = format!(
                "batch-{}-{short}{}.pdf",
                view.batch.created_at.format("%Y-%m-%d"),
                if reply_kit { "-reply-kit" } else { "" }
            );
            pdf_response(pdf, &filename)
        }
        Err(e) => delivery_error(d, e),
    }
}

/// Letters as an electronic service takes them, to copy one message at a time.
fn electronic_text(letters: &[ElectronicLetter]) -> String {
    let rule = "-".repeat(40);
    let mut out = String::new();
    for letter in letters {
        out.push_str(&letter.reference);
        out.push('\n');
        out.push_str(&letter.recipient);
        out.push('\n');
        for part in &letter.parts {
            out.push('\n');
            out.push_str(part.trim_end());
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&rule);
        out.push_str("\n\n");
    }
    out
}

pub async fn electronic(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_batch_id(&raw) else {
        return delivery_error(d, DeliveryError::NotFound);
    };
    match state.app.electronic_export(&actor, id).await {
        Ok(letters) => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            electronic_text(&letters),
        )
            .into_response(),
        Err(e) => delivery_error(d, e),
    }
}

pub async fn mark_sent(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_batch_id(&raw) else {
        return delivery_error(d, DeliveryError::NotFound);
    };
    let form = Form::parse(&body);
    let (date, reference) = (form.get("date"), form.get("reference"));
    match state.app.mark_batch_sent(&actor, id, date, reference).await {
        Ok(_) => Redirect::to(&format!("/staff/batches/{id}?done=sent")).into_response(),
        Err(e) if is_fatal(&e) => delivery_error(d, e),
        Err(e) => {
            let (status, message) = describe(&d, &e);
            let extra = BatchExtra {
                error: Some(message),
                date_invalid: matches!(e, DeliveryError::Invalid("date")),
                sent_date: date.to_owned(),
                sent_reference: reference.to_owned(),
                ..BatchExtra::default()
            };
            batch_page(&state, d, &actor, id, extra, status).await
        }
    }
}

/// `POST /staff/letters/{id}/outcome`: what became of a sent letter, with a scan as
/// evidence when there is one; back to the batch page it came from.
pub async fn record_outcome(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let d = Desk::of(c, &actor);
    if let Err(e) = allowed(&actor, DISPATCHERS) {
        return delivery_error(d, e);
    }
    let Some(id) = parse_letter_id(&raw) else {
        return delivery_error(d, DeliveryError::NotFound);
    };
    let upload = match read_upload(multipart).await {
        Ok(u) => u,
        Err(e) => return upload_error(d, e),
    };
    let outcome = upload.text("outcome");
    let note = upload.text("note");
    let back = parse_batch_id(&upload.text("back"));
    match state
        .app
        .record_outcome(&actor, id, &outcome, &note, upload.file("scan"))
        .await
    {
        Ok(()) => match back {
            Some(batch) => {
                Redirect::to(&format!("/staff/batches/{batch}?done=outcome")).into_response()
            }
            None => Redirect::to("/staff/delivery").into_response(),
        },
        Err(e) if is_fatal(&e) => delivery_error(d, e),
        Err(e) => match back {
            Some(batch) => {
                let (status, message) = describe(&d, &e);
                let extra = BatchExtra {
                    outcome: Some(OutcomeForm {
                        letter: id,
                        outcome,
                        note,
                        error: message,
                    }),
                    ..BatchExtra::default()
                };
                batch_page(&state, d, &actor, batch, extra, status).await
            }
            None => delivery_error(d, e),
        },
    }
}

pub async fn evidence_scan(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Ok(id) = Uuid::parse_str(raw.trim()) else {
        return delivery_error(d, DeliveryError::NotFound);
    };
    match state.app.evidence_scan(&actor, id).await {
        Ok(scan) => scan_response(scan),
        Err(e) => delivery_error(d, e),
    }
}

// --- held letters and the bank ---

/// A bank form sent back with its error.
struct HeldError {
    letter: LetterId,
    message: String,
    note: String,
}

#[derive(Template)]
#[template(path = "staff/dispatch/held.html")]
struct HeldPage {
    d: Desk,
    letters: Vec<DeliveryLetter>,
    /// Where each prisoner with held letters is now (by slug): where a rerouted letter goes.
    now_at: Vec<(String, Option<String>)>,
    notice: Option<String>,
    error: Option<HeldError>,
}

impl HeldPage {
    fn reason(&self, letter: &DeliveryLetter) -> String {
        match letter.held {
            Some(reason) => self.d.t(format!("dispatch-hold-{}", reason.as_str())),
            None => String::new(),
        }
    }

    fn now_at(&self, letter: &DeliveryLetter) -> Option<&str> {
        self.now_at
            .iter()
            .find(|(slug, _)| slug == letter.prisoner_slug.as_str())
            .and_then(|(_, name)| name.as_deref())
    }

    fn error_for(&self, letter: &LetterId) -> Option<&HeldError> {
        self.error.as_ref().filter(|e| e.letter == *letter)
    }

    fn note(&self, letter: &LetterId) -> &str {
        self.error_for(letter).map_or("", |e| e.note.as_str())
    }
}

async fn held_page(
    state: &AppState,
    d: Desk,
    actor: &Actor,
    notice: Option<String>,
    error: Option<HeldError>,
    status: StatusCode,
) -> Response {
    let letters = match state.app.held_letters(actor).await {
        Ok(l) => l,
        Err(e) => return delivery_error(d, e),
    };
    let mut now_at: Vec<(String, Option<String>)> = Vec::new();
    for letter in &letters {
        let slug = letter.prisoner_slug.as_str();
        if now_at.iter().any(|(s, _)| s == slug) {
            continue;
        }
        let facility = match state
            .app
            .store()
            .prisoner_by_slug(state.app.campaign().id, slug)
            .await
        {
            Ok(p) => p.and_then(|p| p.facility).map(|f| f.name_ru),
            Err(e) => return delivery_error(d, e.into()),
        };
        now_at.push((slug.to_owned(), facility));
    }
    render(
        status,
        &HeldPage {
            d,
            letters,
            now_at,
            notice,
            error,
        },
    )
}

pub async fn held(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Query(query): Query<DoneQuery>,
) -> Response {
    let d = Desk::of(c, &actor);
    let notice = match query.done.as_deref() {
        Some("rerouted") => Some(d.t("dispatch-notice-rerouted")),
        Some("banked") => Some(d.t("dispatch-notice-banked")),
        _ => None,
    };
    held_page(&state, d, &actor, notice, None, StatusCode::OK).await
}

pub async fn reroute(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_letter_id(&raw) else {
        return delivery_error(d, DeliveryError::NotFound);
    };
    match state.app.reroute(&actor, id).await {
        Ok(()) => Redirect::to("/staff/held?done=rerouted").into_response(),
        Err(e) => delivery_error(d, e),
    }
}

pub async fn bank(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_letter_id(&raw) else {
        return delivery_error(d, DeliveryError::NotFound);
    };
    let form = Form::parse(&body);
    let note = form.get("note");
    match state.app.bank(&actor, id, note).await {
        Ok(()) => Redirect::to("/staff/held?done=banked").into_response(),
        Err(e) if is_fatal(&e) => delivery_error(d, e),
        Err(e) => {
            let (status, message) = describe(&d, &e);
            let error = HeldError {
                letter: id,
                message,
                note: note.to_owned(),
            };
            held_page(&state, d, &actor, None, Some(error), status).await
        }
    }
}

#[derive(Template)]
#[template(path = "staff/dispatch/bank.html")]
struct BankPage {
    d: Desk,
    entries: Vec<BankEntry>,
}

pub async fn letter_bank(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
) -> Response {
    let d = Desk::of(c, &actor);
    match state.app.letter_bank(&actor).await {
        Ok(entries) => render(StatusCode::OK, &BankPage { d, entries }),
        Err(e) => delivery_error(d, e),
    }
}

/// `GET /staff/bank/{slug}/pdf`: one prisoner's kept letters, to hand over later. The
/// bank has no facility, so the labels are Russian.
pub async fn bank_pdf(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(slug): Path<String>,
) -> Response {
    let d = Desk::of(c, &actor);
    match state.app.bank_pdf(&actor, &slug, print_labels("ru")).await {
        Ok(pdf) => {
            let safe: String = slug
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            pdf_response(pdf, &format!("bank-{safe}.pdf"))
        }
        Err(e) => delivery_error(d, e),
    }
}

// --- the facility registry ---

fn field_error<'a>(error: &'a Option<(&'static str, String)>, field: &str) -> Option<&'a str> {
    error
        .as_ref()
        .filter(|(f, _)| *f == field)
        .map(|(_, m)| m.as_str())
}

/// The facility form: what was typed, and the field the app refused.
pub struct FacilityForm {
    input: FacilityInput,
    /// Editing a saved facility: its slug is its key and stays.
    existing: bool,
    error: Option<(&'static str, String)>,
}

impl FacilityForm {
    fn blank() -> Self {
        FacilityForm {
            input: FacilityInput {
                channels: "post".into(),
                language: "ru".into(),
                needs_birth_year: true,
                electronic_parts: true,
                ..FacilityInput::default()
            },
            existing: false,
            error: None,
        }
    }

    fn of(facility: &Facility) -> Self {
        let rules = &facility.rules;
        FacilityForm {
            input: FacilityInput {
                slug: facility.slug.clone(),
                name_ru: facility.name_ru.clone(),
                name_en: facility.name_en.clone(),
                region: facility.region.clone().unwrap_or_default(),
                address_ru: facility.address_ru.clone().unwrap_or_default(),
                channels: lysty_domain::delivery::channels_to_string(&rules.channels),
                language: rules.language.clone(),
                max_letter_chars: facility
                    .max_letter_chars
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                needs_birth_year: rules.needs_birth_year,
                needs_number: rules.needs_number,
                electronic_max_chars: rules
                    .electronic_max_chars
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                electronic_parts: rules.electronic_parts,
                notes: rules.notes.clone(),
            },
            existing: true,
            error: None,
        }
    }

    fn from_form(form: &Form) -> Self {
        FacilityForm {
            input: FacilityInput {
                slug: form.get("slug").to_owned(),
                name_ru: form.get("name_ru").to_owned(),
                name_en: form.get("name_en").to_owned(),
                region: form.get("region").to_owned(),
                address_ru: form.get("address_ru").to_owned(),
                channels: form.all("channels").join(","),
                language: form.get("language").to_owned(),
                max_letter_chars: form.get("max_letter_chars").to_owned(),
                needs_birth_year: form.checked("needs_birth_year"),
                needs_number: form.checked("needs_number"),
                electronic_max_chars: form.get("electronic_max_chars").to_owned(),
                electronic_parts: form.checked("electronic_parts"),
                notes: form.get("notes").to_owned(),
            },
            existing: form.checked("existing"),
            error: None,
        }
    }

    /// The message for `field`, when it is the one refused.
    pub fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.error, field)
    }

    pub fn error_field(&self) -> &str {
        self.error.as_ref().map_or("", |(f, _)| f)
    }

    pub fn error_message(&self) -> Option<&str> {
        self.error.as_ref().map(|(_, m)| m.as_str())
    }

    pub fn has_channel(&self, channel: &str) -> bool {
        self.input.channels.split(',').any(|c| c.trim() == channel)
    }
}

#[derive(Template)]
#[template(path = "staff/dispatch/facilities.html")]
struct FacilitiesPage {
    d: Desk,
    facilities: Vec<Facility>,
    /// Everyone whose placements can be recorded.
    prisoners: Vec<PrisonerSummary>,
    form: FacilityForm,
    channels: Vec<(&'static str, String)>,
}

impl FacilitiesPage {
    fn channels_of(&self, facility: &Facility) -> String {
        facility
            .rules
            .channels
            .iter()
            .map(|c| channel_label(&self.d, c.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Template)]
#[template(path = "staff/dispatch/facility.html")]
struct FacilityPage {
    d: Desk,
    /// The name as saved (the form may hold an edited one).
    name_ru: String,
    form: FacilityForm,
    channels: Vec<(&'static str, String)>,
    notice: Option<String>,
}

async fn facilities_page(
    state: &AppState,
    d: Desk,
    actor: &Actor,
    form: FacilityForm,
    status: StatusCode,
) -> Response {
    let facilities = match state.app.facilities(actor).await {
        Ok(f) => f,
        Err(e) => return delivery_error(d, e),
    };
    let prisoners = match state.app.all_published_prisoners().await {
        Ok(p) => p,
        Err(e) => return delivery_error(d, e.into()),
    };
    let channels = channel_choices(&d);
    render(
        status,
        &FacilitiesPage {
            d,
            facilities,
            prisoners,
            form,
            channels,
        },
    )
}

pub async fn facilities(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
) -> Response {
    let d = Desk::of(c, &actor);
    facilities_page(&state, d, &actor, FacilityForm::blank(), StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn facility(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(slug): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Response {
    let d = Desk::of(c, &actor);
    match state.app.facility(&actor, &slug).await {
        Ok(facility) => {
            let notice = query.saved.map(|_| d.t("dispatch-notice-facility-saved"));
            let channels = channel_choices(&d);
            render(
                StatusCode::OK,
                &FacilityPage {
                    d,
                    name_ru: facility.name_ru.clone(),
                    form: FacilityForm::of(&facility),
                    channels,
                    notice,
                },
            )
        }
        Err(e) => delivery_error(d, e),
    }
}

pub async fn save_facility(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    if let Err(e) = allowed(&actor, REGISTRARS) {
        return delivery_error(d, e);
    }
    let mut form = FacilityForm::from_form(&Form::parse(&body));
    // Unticking every channel is a mistake to point out, not a wish for the default.
    let result = if form.input.channels.is_empty() {
        Err(DeliveryError::Invalid("channels"))
    } else {
        state.app.save_facility(&actor, &form.input).await
    };
    match result {
        Ok(saved) => {
            Redirect::to(&format!("/staff/facilities/{}?saved", saved.slug)).into_response()
        }
        Err(DeliveryError::Invalid(field)) => {
            form.error = Some((field, d.t(invalid_message(field))));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            if form.existing {
                let name_ru = match state.app.facility(&actor, &form.input.slug).await {
                    Ok(saved) => saved.name_ru,
                    Err(_) => form.input.slug.clone(),
                };
                let channels = channel_choices(&d);
                render(
                    status,
                    &FacilityPage {
                        d,
                        name_ru,
                        form,
                        channels,
                        notice: None,
                    },
                )
            } else {
                facilities_page(&state, d, &actor, form, status).await
            }
        }
        Err(e) => delivery_error(d, e),
    }
}

// --- placements and status ---

#[derive(Default)]
struct PlacementForm {
    facility: String,
    since: String,
    note: String,
    error: Option<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "staff/dispatch/placements.html")]
struct PlacementsPage {
    d: Desk,
    prisoner: Prisoner,
    placements: Vec<Placement>,
    facilities: Vec<Facility>,
    statuses: Vec<(&'static str, String)>,
    form: PlacementForm,
    notice: Option<String>,
    /// Letters were just held: the notice links to them.
    held_link: bool,
}

impl PlacementsPage {
    fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.form.error, field)
    }

    fn name_lang(&self) -> &'static str {
        if self.d.c.lang.code() == "en" && !self.prisoner.names.en.is_empty() {
            "en"
        } else {
            "uk"
        }
    }
}

async fn placements_page(
    state: &AppState,
    d: Desk,
    actor: &Actor,
    slug: &str,
    form: PlacementForm,
    held: Option<i64>,
    status: StatusCode,
) -> Response {
    let notice = held.map(|n| d.c.lang.tn("dispatch-notice-held", "count", n));
    let (prisoner, placements) = match state.app.placements(actor, slug).await {
        Ok(p) => p,
        Err(e) => return delivery_error(d, e),
    };
    let facilities = match state.app.facilities(actor).await {
        Ok(f) => f,
        Err(e) => return delivery_error(d, e),
    };
    let statuses = PrisonerStatus::ALL
        .iter()
        .map(|s| (s.as_str(), d.c.status(s)))
        .collect();
    render(
        status,
        &PlacementsPage {
            d,
            prisoner,
            placements,
            facilities,
            statuses,
            form,
            notice,
            held_link: held.is_some_and(|n| n > 0),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct HeldQuery {
    held: Option<String>,
}

pub async fn placements(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(slug): Path<String>,
    Query(query): Query<HeldQuery>,
) -> Response {
    let d = Desk::of(c, &actor);
    let held = query.held.and_then(|n| n.parse::<i64>().ok());
    let form = PlacementForm::default();
    placements_page(&state, d, &actor, &slug, form, held, StatusCode::OK).await
}

pub async fn record_placement(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let form = Form::parse(&body);
    let mut typed = PlacementForm {
        facility: form.get("facility").to_owned(),
        since: form.get("since").to_owned(),
        note: form.get("note").to_owned(),
        error: None,
    };
    match state
        .app
        .record_placement(&actor, &slug, &typed.facility, &typed.since, &typed.note)
        .await
    {
        Ok(outcome) => Redirect::to(&format!(
            "/staff/prisoners/{slug}/placements?held={}",
            outcome.held
        ))
        .into_response(),
        Err(DeliveryError::Invalid(field)) => {
            typed.error = Some((field, d.t(invalid_message(field))));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            placements_page(&state, d, &actor, &slug, typed, None, status).await
        }
        Err(e) => delivery_error(d, e),
    }
}

pub async fn set_status(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let form = Form::parse(&body);
    match state
        .app
        .set_prisoner_status(&actor, &slug, form.get("status"))
        .await
    {
        Ok(held) => {
            Redirect::to(&format!("/staff/prisoners/{slug}/placements?held={held}")).into_response()
        }
        Err(DeliveryError::Invalid(field)) => {
            let typed = PlacementForm {
                error: Some((field, d.t(invalid_message(field)))),
                ..PlacementForm::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            placements_page(&state, d, &actor, &slug, typed, None, status).await
        }
        Err(e) => delivery_error(d, e),
    }
}

// --- replies ---

#[derive(Default)]
struct ReplyForm {
    prisoner: String,
    received: String,
    transcription: String,
    consent: bool,
    error: Option<(&'static str, String)>,
}

impl ReplyForm {
    fn error_field(&self) -> &str {
        self.error.as_ref().map_or("", |(f, _)| f)
    }

    fn error_message(&self) -> Option<&str> {
        self.error.as_ref().map(|(_, m)| m.as_str())
    }
}

#[derive(Template)]
#[template(path = "staff/dispatch/replies.html")]
struct RepliesPage {
    d: Desk,
    prisoners: Vec<PrisonerSummary>,
    form: ReplyForm,
    recorded: Option<String>,
    /// The prisoner whose replies are listed.
    shown_prisoner: Option<PrisonerSummary>,
    shown_replies: Vec<Reply>,
}

impl RepliesPage {
    fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.form.error, field)
    }

    fn shown_slug(&self) -> &str {
        self.shown_prisoner.as_ref().map_or("", |p| p.slug.as_str())
    }
}

async fn replies_page(
    state: &AppState,
    d: Desk,
    show: &str,
    form: ReplyForm,
    recorded: Option<String>,
    status: StatusCode,
) -> Response {
    let prisoners = match state.app.all_published_prisoners().await {
        Ok(p) => p,
        Err(e) => return delivery_error(d, e.into()),
    };
    let shown_prisoner = prisoners
        .iter()
        .find(|p| p.slug.as_str() == show.trim())
        .cloned();
    let shown_replies = match &shown_prisoner {
        Some(prisoner) => match state.app.replies(prisoner.id, false).await {
            Ok(replies) => replies,
            Err(e) => return delivery_error(d, e.into()),
        },
        None => Vec::new(),
    };
    render(
        status,
        &RepliesPage {
            d,
            prisoners,
            form,
            recorded,
            shown_prisoner,
            shown_replies,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct RepliesQuery {
    recorded: Option<String>,
    prisoner: Option<String>,
}

pub async fn replies(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Query(query): Query<RepliesQuery>,
) -> Response {
    let d = Desk::of(c, &actor);
    if let Err(e) = allowed(&actor, DISPATCHERS) {
        return delivery_error(d, e);
    }
    let recorded = query
        .recorded
        .and_then(|n| n.parse::<i64>().ok())
        .map(|n| d.c.lang.tn("dispatch-reply-recorded", "count", n));
    // The form starts blank even when a prisoner's replies are shown: a reply put under
    // the wrong name would email the wrong writers.
    let show = query.prisoner.unwrap_or_default();
    replies_page(
        &state,
        d,
        &show,
        ReplyForm::default(),
        recorded,
        StatusCode::OK,
    )
    .await
}

pub async fn record_reply(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let d = Desk::of(c, &actor);
    if let Err(e) = allowed(&actor, DISPATCHERS) {
        return delivery_error(d, e);
    }
    let upload = match read_upload(multipart).await {
        Ok(u) => u,
        Err(e) => return upload_error(d, e),
    };
    let mut form = ReplyForm {
        prisoner: upload.text("prisoner"),
        received: upload.text("received"),
        transcription: upload.text("transcription"),
        consent: upload.checked("consent"),
        error: None,
    };
    match state
        .app
        .record_reply(
            &actor,
            &form.prisoner,
            &form.received,
            &form.transcription,
            form.consent,
            upload.file("scan"),
        )
        .await
    {
        Ok(outcome) => Redirect::to(&format!(
            "/staff/replies?recorded={}&prisoner={}",
            outcome.emails,
            form.prisoner.trim()
        ))
        .into_response(),
        Err(e @ (DeliveryError::Invalid(_) | DeliveryError::NotFound)) => {
            // An unknown prisoner is a field to fix, not a page that is missing.
            let field = match e {
                DeliveryError::Invalid(field) => field,
                _ => "prisoner",
            };
            let message = match field {
                "prisoner" => d.t("dispatch-choose-prisoner"),
                _ => d.t(invalid_message(field)),
            };
            form.error = Some((field, message));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            replies_page(&state, d, "", form, None, status).await
        }
        Err(e) => delivery_error(d, e),
    }
}

pub async fn reply_scan(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Ok(id) = Uuid::parse_str(raw.trim()) else {
        return delivery_error(d, DeliveryError::NotFound);
    };
    match state.app.reply_scan(&actor, ReplyId(id)).await {
        Ok(scan) => scan_response(scan),
        Err(e) => delivery_error(d, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use lysty_domain::HoldReason;

    #[test]
    fn every_invalid_field_has_a_message_in_every_language() {
        let fields = [
            "name_ru",
            "name_en",
            "slug",
            "channels",
            "language",
            "address_ru",
            "region",
            "max_letter_chars",
            "electronic_max_chars",
            "notes",
            "facility",
            "channel",
            "prisoner",
            "since",
            "date",
            "reference",
            "note",
            "status",
            "outcome",
            "scan",
            "received",
            "transcription",
        ];
        let mut ids: Vec<String> = fields
            .iter()
            .map(|f| invalid_message(f).to_owned())
            .collect();
        assert!(ids.iter().all(|id| id != "staff-error-invalid"));
        ids.extend(
            Channel::ALL
                .iter()
                .map(|c| format!("dispatch-channel-{}", c.as_str())),
        );
        ids.extend(
            Outcome::ALL
                .iter()
                .map(|o| format!("dispatch-outcome-{}", o.as_str())),
        );
        ids.extend(
            HoldReason::ALL
                .iter()
                .map(|r| format!("dispatch-hold-{}", r.as_str())),
        );
        for code in ["uk", "en", "crh"] {
            let lang = Lang::from_code(code);
            for id in &ids {
                assert_ne!(&lang.t(id), id, "{code} lacks {id}");
            }
        }
    }

    #[test]
    fn electronic_text_separates_parts_and_letters() {
        let letters = vec![
            ElectronicLetter {
                reference: "L-AAAA-BBBB".into(),
                recipient: "Бекиров Ремзи".into(),
                parts: vec!["(1/2) Здравствуйте!".into(), "(2/2) Держитесь.".into()],
            },
            ElectronicLetter {
                reference: "L-CCCC-DDDD".into(),
                recipient: "Зиза Богдан".into(),
                parts: vec!["Привет".into()],
            },
        ];
        let text = electronic_text(&letters);
        assert!(text.starts_with(
            "L-AAAA-BBBB\nБекиров Ремзи\n\n(1/2) Здравствуйте!\n\n(2/2) Держитесь.\n\n----"
        ));
        assert_eq!(text.matches(&"-".repeat(40)).count(), 2);
        assert!(text.contains("\n\nL-CCCC-DDDD\nЗиза Богдан\n\nПривет\n"));
    }
}
