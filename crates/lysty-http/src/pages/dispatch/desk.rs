//! The delivery desk: what waits per facility and channel, building a batch, outcomes from a file.

use super::*;

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
pub(super) struct DeskExtra {
    error: Option<String>,
    row_errors: Vec<RowError>,
    imported: Option<i64>,
}

pub(super) struct Preview {
    facility: Facility,
    letters: Vec<DeliveryLetter>,
}

#[derive(Template)]
#[template(path = "staff/dispatch/desk.html")]
pub(super) struct DeskPage {
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

pub(super) async fn desk_page(
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
    let cap = i64::from(state.app.config().delivery.per_prisoner_per_week);
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
    StaffDesk { d, actor }: StaffDesk,
    Query(query): Query<DeskQuery>,
) -> Response {
    let extra = DeskExtra {
        imported: query.imported.and_then(|n| n.parse().ok()),
        ..DeskExtra::default()
    };
    desk_page(&state, d, &actor, query.choice, extra, StatusCode::OK).await
}

pub async fn build_batch(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    body: Bytes,
) -> Response {
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
