//! Letters held by a transfer, release or death, and the letter bank.

use super::*;
use crate::extract::PagePath;
use crate::forms::FormBody;

// --- held letters and the bank ---

/// A bank form sent back with its error.
pub(super) struct HeldError {
    letter: LetterId,
    message: String,
    note: String,
}

#[derive(Template)]
#[template(path = "staff/dispatch/held.html")]
pub(super) struct HeldPage {
    d: Desk,
    letters: Vec<DeliveryLetter>,
    /// Where each prisoner with held letters is now (by slug): where a rerouted letter goes.
    now_at: std::collections::HashMap<String, String>,
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
            .get(letter.prisoner_slug.as_str())
            .map(String::as_str)
    }

    fn error_for(&self, letter: &LetterId) -> Option<&HeldError> {
        self.error.as_ref().filter(|e| e.letter == *letter)
    }

    fn note(&self, letter: &LetterId) -> &str {
        self.error_for(letter).map_or("", |e| e.note.as_str())
    }
}

pub(super) async fn held_page(
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
    let slugs: Vec<&str> = letters.iter().map(|l| l.prisoner_slug.as_str()).collect();
    let now_at = match state.app.current_facilities(actor, &slugs).await {
        Ok(now_at) => now_at,
        Err(e) => return delivery_error(d, e),
    };
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
    StaffDesk { d, actor }: StaffDesk,
    Query(query): Query<DoneQuery>,
) -> Response {
    let notice = match query.done.as_deref() {
        Some("rerouted") => Some(d.t("dispatch-notice-rerouted")),
        Some("banked") => Some(d.t("dispatch-notice-banked")),
        _ => None,
    };
    held_page(&state, d, &actor, notice, None, StatusCode::OK).await
}

pub async fn reroute(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<LetterId>,
) -> Response {
    match state.app.reroute(&actor, id).await {
        Ok(()) => Redirect::to("/staff/held?done=rerouted").into_response(),
        Err(e) => delivery_error(d, e),
    }
}

pub async fn bank(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<LetterId>,
    FormBody(form): FormBody,
) -> Response {
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
pub(super) struct BankPage {
    d: Desk,
    entries: Vec<BankEntry>,
}

pub async fn letter_bank(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
) -> Response {
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
    match state.app.bank_pdf(&actor, &slug).await {
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
