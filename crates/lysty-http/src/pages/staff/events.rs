//! Events, their kiosks and tallies, and paper letters with their pages.

use super::*;
use crate::extract::PagePath;
use crate::forms::FormBody;

// --- events ---

#[derive(Template)]
#[template(path = "staff/events.html")]
pub(super) struct EventsPage {
    d: Desk,
    events: Vec<lysty_store::Event>,
    kinds: Vec<&'static str>,
    error: Option<String>,
}

pub(super) async fn events_page(
    state: &AppState,
    d: Desk,
    actor: &Actor,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    match state.app.events_for(actor).await {
        Ok(events) => render(
            status,
            &EventsPage {
                d,
                events,
                kinds: lysty_app::events::EVENT_KINDS.to_vec(),
                error,
            },
        ),
        Err(e) => staff_error(d, e),
    }
}

pub async fn events(State(state): State<AppState>, StaffDesk { d, actor }: StaffDesk) -> Response {
    events_page(&state, d, &actor, None, StatusCode::OK).await
}

pub(super) fn event_input(form: &Form) -> lysty_app::events::EventInput {
    lysty_app::events::EventInput {
        kind: form.get("kind").to_owned(),
        title_uk: form.get("title_uk").to_owned(),
        title_en: form.get("title_en").to_owned(),
        city: form.get("city").to_owned(),
        country: form.get("country").to_owned(),
        venue: form.get("venue").to_owned(),
        starts_at: form.get("starts_at").to_owned(),
        ends_at: form.get("ends_at").to_owned(),
        series: form.get("series").to_owned(),
    }
}

pub(super) fn event_error(d: Desk, error: lysty_app::events::EventError) -> Response {
    refuse(d, error)
}

pub async fn create_event(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    FormBody(form): FormBody,
) -> Response {
    match state.app.create_event(&actor, &event_input(&form)).await {
        Ok(id) => Redirect::to(&format!("/staff/events/{id}")).into_response(),
        Err(lysty_app::events::EventError::Invalid(_)) => {
            let error = Some(d.t("staff-error-invalid"));
            events_page(&state, d, &actor, error, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => event_error(d, e),
    }
}

#[derive(Template)]
#[template(path = "staff/event.html")]
pub(super) struct EventPage {
    d: Desk,
    kinds: Vec<&'static str>,
    event: lysty_store::Event,
    kiosk_url: Option<String>,
    kiosk_qr: String,
    prisoners: Vec<lysty_store::PrisonerSummary>,
    /// What became of the last kiosk action: `replaced`, or `unconfirmed` when the
    /// replacement was not confirmed.
    kiosk_notice: Option<&'static str>,
}

impl EventPage {
    /// The replacement was asked for without its confirmation: the form stays open.
    fn replace_open(&self) -> bool {
        self.kiosk_notice == Some("staff-kiosk-replace-unconfirmed")
    }
}

#[derive(Deserialize)]
pub struct EventQuery {
    #[serde(default)]
    kiosk: String,
}

pub async fn event(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<lysty_store::EventId>,
    Query(query): Query<EventQuery>,
) -> Response {
    let event = match state.app.event_for_staff(&actor, id).await {
        Ok(e) => e,
        Err(e) => return event_error(d, e),
    };
    let kiosk_url = event
        .kiosk_token
        .as_ref()
        .filter(|_| event.kiosk_revoked_at.is_none())
        .map(|t| format!("{}/kiosk/{t}", state.config.public_url));
    let kiosk_qr = kiosk_url
        .as_deref()
        .map(lysty_auth::totp::qr_svg)
        .unwrap_or_default();
    let prisoners = match state.app.all_published_prisoners().await {
        Ok(p) => p,
        Err(e) => return staff_error(d, e.into()),
    };
    render(
        StatusCode::OK,
        &EventPage {
            d,
            kinds: lysty_app::events::EVENT_KINDS.to_vec(),
            event,
            kiosk_url,
            kiosk_qr,
            prisoners,
            kiosk_notice: match query.kiosk.as_str() {
                "replaced" => Some("staff-kiosk-replaced"),
                "unconfirmed" => Some("staff-kiosk-replace-unconfirmed"),
                _ => None,
            },
        },
    )
}

pub async fn open_kiosk(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<lysty_store::EventId>,
) -> Response {
    match state.app.open_kiosk(&actor, id).await {
        Ok(_) => Redirect::to(&format!("/staff/events/{id}")).into_response(),
        Err(e) => event_error(d, e),
    }
}

/// Gives the kiosk a new link, once the coordinator has ticked the confirmation.
pub async fn replace_kiosk(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<lysty_store::EventId>,
    body: Bytes,
) -> Response {
    // Who may replace it is checked before whether they confirmed.
    if let Err(e) = state.app.event_for_staff(&actor, id).await {
        return event_error(d, e);
    }
    if !Form::parse(&body).checked("confirm") {
        return Redirect::to(&format!("/staff/events/{id}?kiosk=unconfirmed#kiosk-title"))
            .into_response();
    }
    match state.app.replace_kiosk(&actor, id).await {
        Ok(_) => {
            Redirect::to(&format!("/staff/events/{id}?kiosk=replaced#kiosk-title")).into_response()
        }
        Err(e) => event_error(d, e),
    }
}

pub async fn revoke_kiosk(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<lysty_store::EventId>,
) -> Response {
    match state.app.revoke_kiosk(&actor, id).await {
        Ok(()) => Redirect::to(&format!("/staff/events/{id}")).into_response(),
        Err(e) => event_error(d, e),
    }
}

pub async fn tally(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<lysty_store::EventId>,
    FormBody(form): FormBody,
) -> Response {
    match state
        .app
        .record_tally(&actor, id, form.get("prisoner"), form.get("count"))
        .await
    {
        Ok(()) => Redirect::to(&format!("/staff/events/{id}")).into_response(),
        Err(e) => event_error(d, e),
    }
}

/// A paper letter entered from the event page: pages as uploads, and a transcription.
pub async fn enter_paper(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<lysty_store::EventId>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    // Whose event it is, before reading a byte of the upload.
    if let Err(e) = state.app.event_for_staff(&actor, id).await {
        return event_error(d, e);
    }
    let Ok(mut multipart) = multipart else {
        let message = d.t("paper-error-malformed");
        return page_error(d, StatusCode::BAD_REQUEST, message);
    };
    let mut prisoner = String::new();
    let mut transcription = String::new();
    let mut pages = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                let (status, id) = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    (StatusCode::PAYLOAD_TOO_LARGE, "paper-error-too-large")
                } else {
                    (StatusCode::BAD_REQUEST, "paper-error-malformed")
                };
                let message = d.t(id);
                return page_error(d, status, message);
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => {
                let (status, id) = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    (StatusCode::PAYLOAD_TOO_LARGE, "paper-error-too-large")
                } else {
                    (StatusCode::BAD_REQUEST, "paper-error-malformed")
                };
                let message = d.t(id);
                return page_error(d, status, message);
            }
        };
        match name.as_str() {
            "prisoner" => prisoner = String::from_utf8_lossy(&bytes).into_owned(),
            "transcription" => transcription = String::from_utf8_lossy(&bytes).into_owned(),
            "pages" if !bytes.is_empty() => pages.push(bytes.to_vec()),
            _ => {}
        }
    }
    match state
        .app
        .enter_paper_letter(&actor, id, &prisoner, &transcription, pages)
        .await
    {
        Ok(_) => Redirect::to(&format!("/staff/events/{id}?entered")).into_response(),
        Err(error) => refuse(d, error),
    }
}

/// A page of a paper letter: served only to staff, as a download, never rendered inline.
pub async fn letter_page_file(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath((id, position)): PagePath<(LetterId, i64)>,
) -> Response {
    match state.app.letter_page(&actor, id, position).await {
        Ok(Some(page)) => {
            let ext = match page.content_type.as_str() {
                "image/png" => "png",
                "image/jpeg" => "jpg",
                _ => "pdf",
            };
            let disposition = format!("attachment; filename=\"letter-page-{position}.{ext}\"");
            // A download, and should a browser open it anyway, a sandbox with no script.
            (
                [
                    (header::CONTENT_TYPE, page.content_type),
                    (header::CONTENT_DISPOSITION, disposition),
                    (
                        header::CONTENT_SECURITY_POLICY,
                        "sandbox; default-src 'none'".to_owned(),
                    ),
                ],
                page.bytes,
            )
                .into_response()
        }
        Ok(None) => staff_error(d, StaffError::NotFound),
        Err(lysty_app::events::PaperError::Forbidden) => staff_error(d, StaffError::Forbidden),
        Err(_) => staff_error(d, StaffError::NotFound),
    }
}

pub async fn transcription(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<LetterId>,
    FormBody(form): FormBody,
) -> Response {
    let result = state.app.transcribe(&actor, id, form.get("text")).await;
    after_step(
        &state,
        d,
        &actor,
        id,
        result,
        &format!("/staff/letters/{id}"),
    )
    .await
}

pub async fn update_event(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<lysty_store::EventId>,
    FormBody(form): FormBody,
) -> Response {
    match state
        .app
        .update_event(&actor, id, &event_input(&form))
        .await
    {
        Ok(_) => Redirect::to(&format!("/staff/events/{id}?saved")).into_response(),
        Err(e) => event_error(d, e),
    }
}
