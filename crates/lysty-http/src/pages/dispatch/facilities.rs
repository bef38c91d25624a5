//! The facility registry, and prisoners' placements and status.

use super::*;
use crate::forms::FormBody;
use lysty_app::delivery::DeliveryField;

// --- the facility registry ---

pub(super) fn field_error<'a>(
    error: &'a Option<(&'static str, String)>,
    field: &str,
) -> Option<&'a str> {
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
                prints_original: rules.prints_original,
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
                prints_original: form.checked("prints_original"),
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
pub(super) struct FacilitiesPage {
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
pub(super) struct FacilityPage {
    d: Desk,
    /// The name as saved (the form may hold an edited one).
    name_ru: String,
    form: FacilityForm,
    channels: Vec<(&'static str, String)>,
    notice: Option<String>,
}

pub(super) async fn facilities_page(
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
    StaffDesk { d, actor }: StaffDesk,
) -> Response {
    facilities_page(&state, d, &actor, FacilityForm::blank(), StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn facility(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    Path(slug): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Response {
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
    if !App::may_keep_registry(&actor) {
        return delivery_error(d, DeliveryError::Forbidden);
    }
    let mut form = FacilityForm::from_form(&Form::parse(&body));
    // Unticking every channel is a mistake to point out, not a wish for the default.
    let result = if form.input.channels.is_empty() {
        Err(DeliveryError::Invalid(DeliveryField::Channels))
    } else {
        state.app.save_facility(&actor, &form.input).await
    };
    match result {
        Ok(saved) => {
            Redirect::to(&format!("/staff/facilities/{}?saved", saved.slug)).into_response()
        }
        Err(DeliveryError::Invalid(field)) => {
            form.error = Some((field.name(), d.t(field.message_id())));
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
pub(super) struct PlacementForm {
    facility: String,
    since: String,
    note: String,
    error: Option<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "staff/dispatch/placements.html")]
pub(super) struct PlacementsPage {
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

pub(super) async fn placements_page(
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
        .map(|s| (s.as_str(), d.c.status(s, &prisoner.gender)))
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
    StaffDesk { d, actor }: StaffDesk,
    Path(slug): Path<String>,
    Query(query): Query<HeldQuery>,
) -> Response {
    let held = query.held.and_then(|n| n.parse::<i64>().ok());
    let form = PlacementForm::default();
    placements_page(&state, d, &actor, &slug, form, held, StatusCode::OK).await
}

pub async fn record_placement(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    Path(slug): Path<String>,
    FormBody(form): FormBody,
) -> Response {
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
            typed.error = Some((field.name(), d.t(field.message_id())));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            placements_page(&state, d, &actor, &slug, typed, None, status).await
        }
        Err(e) => delivery_error(d, e),
    }
}

pub async fn set_status(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    Path(slug): Path<String>,
    FormBody(form): FormBody,
) -> Response {
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
                error: Some((field.name(), d.t(field.message_id()))),
                ..PlacementForm::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            placements_page(&state, d, &actor, &slug, typed, None, status).await
        }
        Err(e) => delivery_error(d, e),
    }
}
