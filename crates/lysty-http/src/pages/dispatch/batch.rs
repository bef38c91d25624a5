//! One batch: its letters, the PDF, the electronic export, sending, each letter's outcome and its evidence.

use super::*;
use crate::extract::PagePath;
use crate::forms::FormBody;
use lysty_app::delivery::DeliveryField;

// --- a batch ---

/// A letter of a batch, with what was recorded about it.
pub(super) struct BatchRow {
    letter: DeliveryLetter,
    evidence: Vec<Evidence>,
}

/// An outcome form sent back with its error, the dispatcher's input kept.
pub(super) struct OutcomeForm {
    letter: LetterId,
    outcome: String,
    note: String,
    error: String,
}

#[derive(Default)]
pub(super) struct BatchExtra {
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
pub(super) struct BatchPage {
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

pub(super) async fn batch_page(
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
    pub(super) done: Option<String>,
}

pub async fn batch(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<BatchId>,
    Query(query): Query<DoneQuery>,
) -> Response {
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
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<BatchId>,
    Query(query): Query<PdfQuery>,
) -> Response {
    let view = match state.app.batch(&actor, id).await {
        Ok(v) => v,
        Err(e) => return delivery_error(d, e),
    };
    let reply_kit = matches!(query.reply_kit.as_deref(), Some("1" | "true" | "yes"));
    match state.app.batch_pdf(&actor, id, reply_kit).await {
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
pub(super) fn electronic_text(letters: &[ElectronicLetter]) -> String {
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
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<BatchId>,
) -> Response {
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
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<BatchId>,
    FormBody(form): FormBody,
) -> Response {
    let (date, reference) = (form.get("date"), form.get("reference"));
    match state.app.mark_batch_sent(&actor, id, date, reference).await {
        Ok(_) => Redirect::to(&format!("/staff/batches/{id}?done=sent")).into_response(),
        Err(e) if is_fatal(&e) => delivery_error(d, e),
        Err(e) => {
            let (status, message) = describe(&d, &e);
            let extra = BatchExtra {
                error: Some(message),
                date_invalid: matches!(e, DeliveryError::Invalid(DeliveryField::Date)),
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
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<LetterId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if !App::may_dispatch(&actor) {
        return delivery_error(d, DeliveryError::Forbidden);
    }
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
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<Uuid>,
) -> Response {
    match state.app.evidence_scan(&actor, id).await {
        Ok(scan) => scan_response(scan),
        Err(e) => delivery_error(d, e),
    }
}
