//! Replies from prison: recorded with a scan, listed per prisoner.

use super::*;
use crate::extract::PagePath;
use lysty_app::delivery::DeliveryField;

// --- replies ---

#[derive(Default)]
pub(super) struct ReplyForm {
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
pub(super) struct RepliesPage {
    d: Desk,
    prisoners: Vec<PrisonerSummary>,
    form: ReplyForm,
    recorded: Option<String>,
    /// The prisoner whose replies are listed.
    shown_prisoner: Option<PrisonerSummary>,
    shown_replies: Vec<Reply>,
    /// Emails to writers whose servers refused them for good.
    undeliverable: i64,
}

impl RepliesPage {
    fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.form.error, field)
    }

    fn shown_slug(&self) -> &str {
        self.shown_prisoner.as_ref().map_or("", |p| p.slug.as_str())
    }
}

pub(super) async fn replies_page(
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
    let undeliverable = match d.me.as_ref() {
        Some(me) => match state.app.undeliverable_emails(me).await {
            Ok(n) => n,
            Err(e) => return delivery_error(d, e),
        },
        None => 0,
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
            undeliverable,
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
    if !App::may_dispatch(&actor) {
        return delivery_error(d, DeliveryError::Forbidden);
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
    StaffDesk { d, actor }: StaffDesk,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if !App::may_dispatch(&actor) {
        return delivery_error(d, DeliveryError::Forbidden);
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
                _ => DeliveryField::Prisoner,
            };
            let message = match field {
                DeliveryField::Prisoner => d.t("dispatch-choose-prisoner"),
                _ => d.t(field.message_id()),
            };
            let field = field.name();
            form.error = Some((field, message));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            replies_page(&state, d, "", form, None, status).await
        }
        Err(e) => delivery_error(d, e),
    }
}

pub async fn reply_scan(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<Uuid>,
) -> Response {
    match state.app.reply_scan(&actor, ReplyId(id)).await {
        Ok(scan) => scan_response(scan),
        Err(e) => delivery_error(d, e),
    }
}
