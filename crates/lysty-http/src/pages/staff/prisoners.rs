//! The prisoners of the registry for coordinators and admins: the list (published or not),
//! a page to add one, and a page to edit one. Everything typed is kept when a field is
//! refused, and the refused fields are named in the reader's language.

use lysty_app::prisoners::{FieldProblem, PrisonerError, PrisonerInput};
use lysty_domain::{Gender, PrisonerStatus};

use super::*;

/// One text field of the form, as the template draws it.
pub struct FieldView {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    /// The language the value is written in, for the `lang` attribute.
    pub lang: &'static str,
    pub required: bool,
    pub error: Option<String>,
}

/// The fields of the form in three groups: names, texts for writers, and the rest drawn by
/// hand (status, gender, birth year, publication).
const NAME_FIELDS: [(&str, &str); 4] = [
    ("name_uk", "uk"),
    ("name_en", "en"),
    ("name_crh", "crh"),
    ("name_ru_full", "ru"),
];
const TEXT_FIELDS: [(&str, &str); 6] = [
    ("story_uk", "uk"),
    ("story_en", "en"),
    ("story_crh", "crh"),
    ("guidance_uk", "uk"),
    ("guidance_en", "en"),
    ("guidance_crh", "crh"),
];

#[derive(Template)]
#[template(path = "staff/prisoner_form.html")]
pub(super) struct PrisonerFormPage {
    d: Desk,
    /// The slug of the prisoner edited; `None` when adding one.
    editing: Option<String>,
    input: PrisonerInput,
    names: Vec<FieldView>,
    texts: Vec<FieldView>,
    statuses: Vec<(&'static str, String)>,
    genders: Vec<(&'static str, String)>,
    errors: Vec<(&'static str, String)>,
    saved: bool,
}

impl PrisonerFormPage {
    fn new(
        d: Desk,
        editing: Option<String>,
        input: PrisonerInput,
        problems: &[FieldProblem],
        saved: bool,
    ) -> Self {
        let errors: Vec<(&'static str, String)> = problems
            .iter()
            .map(|(field, _)| (*field, d.t(error_id(field))))
            .collect();
        let view = |(name, lang): &(&'static str, &'static str)| FieldView {
            name,
            label: d.t(format!("prisoner-field-{}", name.replace('_', "-"))),
            value: input.get(name).to_owned(),
            lang,
            required: matches!(*name, "name_uk" | "name_en"),
            error: errors
                .iter()
                .find(|(f, _)| f == name)
                .map(|(_, m)| m.clone()),
        };
        let names = NAME_FIELDS.iter().map(view).collect();
        let texts = TEXT_FIELDS.iter().map(view).collect();
        let statuses = PrisonerStatus::ALL
            .iter()
            .map(|s| (s.as_str(), d.c.status(s, &Gender::Unstated)))
            .collect();
        let genders = [Gender::Unstated, Gender::Female, Gender::Male]
            .iter()
            .map(|g| {
                let id = match g {
                    Gender::Unstated => "prisoner-gender-unstated",
                    Gender::Female => "prisoner-gender-female",
                    Gender::Male => "prisoner-gender-male",
                };
                (g.as_str(), d.t(id))
            })
            .collect();
        PrisonerFormPage {
            d,
            editing,
            input,
            names,
            texts,
            statuses,
            genders,
            errors,
            saved,
        }
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

fn error_id(field: &str) -> &'static str {
    match field {
        "slug" => "prisoner-error-slug",
        "name_uk" | "name_en" => "prisoner-error-name",
        "status" => "prisoner-error-status",
        "gender" => "prisoner-error-gender",
        "birth_year" => "prisoner-error-birth-year",
        _ => "prisoner-error-text",
    }
}

#[derive(Template)]
#[template(path = "staff/prisoners.html")]
pub(super) struct PrisonersPage {
    d: Desk,
    prisoners: Vec<lysty_store::PrisonerSummary>,
}

fn prisoner_error(d: Desk, error: PrisonerError) -> Response {
    // The form pages show a taken address and invalid fields beside the form; elsewhere
    // they are a plain refusal.
    refuse(d, error)
}

fn input_of(form: &Form) -> PrisonerInput {
    PrisonerInput {
        slug: form.get("slug").to_owned(),
        name_uk: form.get("name_uk").to_owned(),
        name_en: form.get("name_en").to_owned(),
        name_crh: form.get("name_crh").to_owned(),
        name_ru_full: form.get("name_ru_full").to_owned(),
        birth_year: form.get("birth_year").to_owned(),
        status: form.get("status").to_owned(),
        gender: form.get("gender").to_owned(),
        story_uk: form.get("story_uk").to_owned(),
        story_en: form.get("story_en").to_owned(),
        story_crh: form.get("story_crh").to_owned(),
        guidance_uk: form.get("guidance_uk").to_owned(),
        guidance_en: form.get("guidance_en").to_owned(),
        guidance_crh: form.get("guidance_crh").to_owned(),
        published: form.checked("published"),
    }
}

pub async fn prisoners(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
) -> Response {
    match state.app.registry_prisoners(&actor).await {
        Ok(prisoners) => render(StatusCode::OK, &PrisonersPage { d, prisoners }),
        Err(e) => prisoner_error(d, e),
    }
}

pub async fn new_prisoner(c: Chrome, StaffUser(actor): StaffUser) -> Response {
    let d = Desk::of(c, &actor);
    if !lysty_app::App::may_keep_prisoners(&actor) {
        return staff_error(d, StaffError::Forbidden);
    }
    let input = PrisonerInput {
        status: PrisonerStatus::Convicted.as_str().to_owned(),
        published: false,
        ..PrisonerInput::default()
    };
    render(
        StatusCode::OK,
        &PrisonerFormPage::new(d, None, input, &[], false),
    )
}

pub async fn create_prisoner(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    body: Bytes,
) -> Response {
    let input = input_of(&Form::parse(&body));
    match state.app.create_prisoner(&actor, &input).await {
        Ok(slug) => Redirect::to(&format!("/staff/prisoners/{slug}/edit?saved")).into_response(),
        Err(PrisonerError::Invalid(problems)) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PrisonerFormPage::new(d, None, input, &problems, false),
        ),
        Err(PrisonerError::SlugTaken) => {
            let problems = [("slug", String::new())];
            let mut page = PrisonerFormPage::new(d, None, input, &problems, false);
            page.errors = vec![("slug", page.d.t("prisoner-error-slug-taken"))];
            render(StatusCode::CONFLICT, &page)
        }
        Err(e) => prisoner_error(d, e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PrisonerSavedQuery {
    saved: Option<String>,
}

pub async fn edit_prisoner(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    Path(slug): Path<String>,
    Query(query): Query<PrisonerSavedQuery>,
) -> Response {
    match state.app.prisoner_for_editing(&actor, &slug).await {
        Ok(prisoner) => render(
            StatusCode::OK,
            &PrisonerFormPage::new(
                d,
                Some(slug),
                PrisonerInput::of(&prisoner),
                &[],
                query.saved.is_some(),
            ),
        ),
        Err(e) => prisoner_error(d, e),
    }
}

pub async fn update_prisoner(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    let input = PrisonerInput {
        slug: slug.clone(),
        ..input_of(&Form::parse(&body))
    };
    match state.app.update_prisoner(&actor, &slug, &input).await {
        Ok(()) => Redirect::to(&format!("/staff/prisoners/{slug}/edit?saved")).into_response(),
        Err(PrisonerError::Invalid(problems)) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PrisonerFormPage::new(d, Some(slug), input, &problems, false),
        ),
        Err(e) => prisoner_error(d, e),
    }
}
