//! The prisoners of the registry, kept on the staff's pages: coordinators and admins add and
//! edit them (names in every language, status, gender, birth year, stories and guidance,
//! publication); every change is an audit line written with it. The facility is kept by
//! placements and the case terms on their own page. The CSV import checks its rows with the
//! same [`parse_prisoner`].

use lysty_domain::{Gender, PrisonerSlug, PrisonerStatus, Role};
use lysty_store::{
    Localised, NewAudit, NewPrisoner, Prisoner, PrisonerNames, PrisonerSummary, StoreError,
};

use crate::{Actor, App};

/// A prisoner as typed in the form (or a row of the import), every field kept as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrisonerInput {
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    pub name_crh: String,
    pub name_ru_full: String,
    pub birth_year: String,
    pub status: String,
    pub gender: String,
    pub story_uk: String,
    pub story_en: String,
    pub story_crh: String,
    pub guidance_uk: String,
    pub guidance_en: String,
    pub guidance_crh: String,
    pub published: bool,
}

/// The fields a person edits, in the order the form shows them; the audit line names those
/// that changed.
pub const FIELDS: [&str; 14] = [
    "slug",
    "name_uk",
    "name_en",
    "name_crh",
    "name_ru_full",
    "birth_year",
    "status",
    "gender",
    "story_uk",
    "story_en",
    "story_crh",
    "guidance_uk",
    "guidance_en",
    "guidance_crh",
];

const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 4000;

impl PrisonerInput {
    /// A field by its name in [`FIELDS`].
    pub fn get(&self, field: &str) -> &str {
        match field {
            "slug" => &self.slug,
            "name_uk" => &self.name_uk,
            "name_en" => &self.name_en,
            "name_crh" => &self.name_crh,
            "name_ru_full" => &self.name_ru_full,
            "birth_year" => &self.birth_year,
            "status" => &self.status,
            "gender" => &self.gender,
            "story_uk" => &self.story_uk,
            "story_en" => &self.story_en,
            "story_crh" => &self.story_crh,
            "guidance_uk" => &self.guidance_uk,
            "guidance_en" => &self.guidance_en,
            "guidance_crh" => &self.guidance_crh,
            _ => "",
        }
    }

    /// The form filled with a stored prisoner.
    pub fn of(p: &Prisoner) -> Self {
        PrisonerInput {
            slug: p.slug.as_str().to_owned(),
            name_uk: p.names.uk.clone(),
            name_en: p.names.en.clone(),
            name_crh: p.names.crh.clone().unwrap_or_default(),
            name_ru_full: p.names.ru_full.clone().unwrap_or_default(),
            birth_year: p.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            status: p.status.as_str().to_owned(),
            gender: p.gender.as_str().to_owned(),
            story_uk: p.story.uk.clone(),
            story_en: p.story.en.clone(),
            story_crh: p.story.crh.clone(),
            guidance_uk: p.guidance.uk.clone(),
            guidance_en: p.guidance.en.clone(),
            guidance_crh: p.guidance.crh.clone(),
            published: p.published,
        }
    }
}

/// One refused field and why, in English (the import prints it; the pages show a message
/// of their own for the field).
pub type FieldProblem = (&'static str, String);

/// Checks a prisoner as typed: every problem at once, by field.
pub fn parse_prisoner(input: &PrisonerInput) -> Result<NewPrisoner, Vec<FieldProblem>> {
    let mut problems: Vec<FieldProblem> = Vec::new();
    let slug = PrisonerSlug::parse(input.slug.trim())
        .map_err(|e| problems.push(("slug", format!("slug `{}`: {e}", input.slug.trim()))))
        .ok();
    let mut text = |field: &'static str, max: usize, required: bool| -> String {
        let value = input.get(field).trim().replace("\r\n", "\n");
        if required && value.is_empty() {
            problems.push((field, format!("`{field}` is empty")));
        } else if value.chars().count() > max {
            problems.push((field, format!("`{field}` is longer than {max} characters")));
        } else if value.chars().any(|c| c.is_control() && c != '\n') {
            problems.push((field, format!("`{field}` has control characters")));
        }
        value
    };
    let names = PrisonerNames {
        uk: text("name_uk", MAX_NAME, true),
        en: text("name_en", MAX_NAME, true),
        crh: Some(text("name_crh", MAX_NAME, false)).filter(|n| !n.is_empty()),
        ru_full: Some(text("name_ru_full", MAX_NAME, false)).filter(|n| !n.is_empty()),
    };
    let story = Localised {
        uk: text("story_uk", MAX_TEXT, false),
        en: text("story_en", MAX_TEXT, false),
        crh: text("story_crh", MAX_TEXT, false),
    };
    let guidance = Localised {
        uk: text("guidance_uk", MAX_TEXT, false),
        en: text("guidance_en", MAX_TEXT, false),
        crh: text("guidance_crh", MAX_TEXT, false),
    };
    let status = input
        .status
        .trim()
        .parse::<PrisonerStatus>()
        .map_err(|_| {
            problems.push((
                "status",
                format!(
                    "status `{}` is not one of detained, convicted, released, exchanged, deceased, unknown",
                    input.status.trim()
                ),
            ))
        })
        .ok();
    let gender = Gender::parse(&input.gender)
        .map_err(|_| {
            problems.push((
                "gender",
                format!(
                    "gender `{}` is not female, male or empty",
                    input.gender.trim()
                ),
            ))
        })
        .unwrap_or_default();
    let birth_year = match input.birth_year.trim() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(y) if (1900..=2100).contains(&y) => Some(y),
            _ => {
                problems.push(("birth_year", format!("birth_year `{raw}` is not a year")));
                None
            }
        },
    };
    match (slug, status) {
        (Some(slug), Some(status)) if problems.is_empty() => Ok(NewPrisoner {
            slug,
            names,
            birth_year,
            birth_date: None,
            status,
            gender,
            story,
            guidance,
            facility: None,
            published: input.published,
        }),
        _ => Err(problems),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PrisonerError {
    #[error("not allowed")]
    Forbidden,
    #[error("no such prisoner")]
    NotFound,
    #[error("the address is taken by another prisoner")]
    SlugTaken,
    #[error("some fields are invalid")]
    Invalid(Vec<FieldProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl App {
    /// Whether this member of staff adds and edits prisoners (coordinators and admins).
    pub fn may_keep_prisoners(actor: &Actor) -> bool {
        actor.is_complete() && actor.is(&[Role::Coordinator, Role::Admin])
    }

    fn prisoner_keeper(actor: &Actor) -> Result<(), PrisonerError> {
        if Self::may_keep_prisoners(actor) {
            Ok(())
        } else {
            Err(PrisonerError::Forbidden)
        }
    }

    /// Every prisoner, published or not, by name.
    pub async fn registry_prisoners(
        &self,
        actor: &Actor,
    ) -> Result<Vec<PrisonerSummary>, PrisonerError> {
        Self::prisoner_keeper(actor)?;
        Ok(self.store().all_prisoners(self.campaign().id).await?)
    }

    /// A prisoner, published or not, to edit.
    pub async fn prisoner_for_editing(
        &self,
        actor: &Actor,
        slug: &str,
    ) -> Result<Prisoner, PrisonerError> {
        Self::prisoner_keeper(actor)?;
        self.store()
            .prisoner_by_slug(self.campaign().id, slug)
            .await?
            .ok_or(PrisonerError::NotFound)
    }

    /// Adds a prisoner; the audit line says who and when.
    pub async fn create_prisoner(
        &self,
        actor: &Actor,
        input: &PrisonerInput,
    ) -> Result<PrisonerSlug, PrisonerError> {
        Self::prisoner_keeper(actor)?;
        let prisoner = parse_prisoner(input).map_err(PrisonerError::Invalid)?;
        let audit = self.prisoner_audit(actor, "prisoner_added", &prisoner, "");
        if !self.store().create_prisoner(&prisoner, &audit).await? {
            return Err(PrisonerError::SlugTaken);
        }
        self.reload_prisoner_names().await?;
        Ok(prisoner.slug)
    }

    /// Saves a prisoner's page; the audit line names the fields that changed. The address
    /// (slug) stays: links and letters point at it.
    pub async fn update_prisoner(
        &self,
        actor: &Actor,
        slug: &str,
        input: &PrisonerInput,
    ) -> Result<(), PrisonerError> {
        let stored = self.prisoner_for_editing(actor, slug).await?;
        let before = PrisonerInput::of(&stored);
        let input = PrisonerInput {
            slug: before.slug.clone(),
            ..input.clone()
        };
        let prisoner = parse_prisoner(&input).map_err(PrisonerError::Invalid)?;
        let mut changed: Vec<&str> = FIELDS
            .into_iter()
            .filter(|f| before.get(f).trim() != input.get(f).trim())
            .collect();
        if before.published != input.published {
            changed.push("published");
        }
        if changed.is_empty() {
            return Ok(());
        }
        let audit = self.prisoner_audit(actor, "prisoner_edited", &prisoner, &changed.join(","));
        if !self.store().update_prisoner(&prisoner, &audit).await? {
            return Err(PrisonerError::NotFound);
        }
        self.reload_prisoner_names().await?;
        Ok(())
    }

    fn prisoner_audit(
        &self,
        actor: &Actor,
        action: &str,
        prisoner: &NewPrisoner,
        detail: &str,
    ) -> NewAudit {
        NewAudit {
            at: self.now(),
            actor: Some(actor.id()),
            actor_org: Some(actor.org()),
            action: action.to_owned(),
            object_type: Some("prisoner".to_owned()),
            object_id: Some(prisoner.slug.as_str().to_owned()),
            detail: detail.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PrisonerInput {
        PrisonerInput {
            slug: "server-mustafayev".into(),
            name_uk: "Сервер Мустафаєв".into(),
            name_en: "Server Mustafayev".into(),
            name_crh: "Server Mustafayev".into(),
            status: "convicted".into(),
            gender: "male".into(),
            story_crh: "Vatandaş gazeteci.".into(),
            published: true,
            ..PrisonerInput::default()
        }
    }

    #[test]
    fn a_prisoner_as_typed_is_checked_field_by_field() {
        let p = parse_prisoner(&input()).unwrap();
        assert_eq!(p.gender, Gender::Male);
        assert_eq!(p.story.crh, "Vatandaş gazeteci.");
        assert_eq!(p.names.ru_full, None, "an empty name is no name");
        let bad = PrisonerInput {
            slug: "Not A Slug".into(),
            name_en: String::new(),
            status: "jailed".into(),
            gender: "x".into(),
            birth_year: "85".into(),
            story_uk: "x".repeat(MAX_TEXT + 1),
            ..input()
        };
        let fields: Vec<&str> = parse_prisoner(&bad)
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            [
                "slug",
                "name_en",
                "story_uk",
                "status",
                "gender",
                "birth_year"
            ]
        );
    }

    #[test]
    fn a_stored_prisoner_fills_the_form_it_was_saved_from() {
        let parsed = parse_prisoner(&input()).unwrap();
        let stored = Prisoner {
            id: lysty_store::PrisonerId(uuid::Uuid::nil()),
            slug: parsed.slug,
            names: parsed.names,
            birth_year: parsed.birth_year,
            status: parsed.status,
            gender: parsed.gender,
            story: parsed.story,
            guidance: parsed.guidance,
            facility: None,
            published: parsed.published,
            case_terms: Vec::new(),
            letters: 0,
        };
        assert_eq!(PrisonerInput::of(&stored), input());
    }
}
