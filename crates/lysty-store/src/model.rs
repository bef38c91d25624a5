//! The records that cross the storage boundary.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

pub use lysty_domain::{
    CounterKey, IdempotencyKey, LetterBody, LetterId, LetterLanguage, LetterState, Place,
    PrisonerSlug, PrisonerStatus, Source, TrackingCode, WriterName,
};

macro_rules! id_type {
    ($name:ident) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            pub fn new() -> Self {
                $name(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(CampaignId);
id_type!(OrganisationId);
id_type!(FacilityId);
id_type!(PrisonerId);
id_type!(EventId);

#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
}

#[derive(Debug, Clone)]
pub struct Campaign {
    pub id: CampaignId,
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
}

#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
}

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: OrganisationId,
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
}

#[derive(Debug, Clone)]
pub struct NewFacility {
    pub slug: String,
    /// The facility's name in Russian, as on an envelope.
    pub name_ru: String,
    pub name_en: String,
    pub region: Option<String>,
    /// The full postal address in Russian; `None` until it is known.
    pub address_ru: Option<String>,
}

/// Names of a prisoner in each language the campaign uses. `ru_full` is the form for
/// the envelope: surname, name and patronymic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrisonerNames {
    pub uk: String,
    pub en: String,
    pub crh: Option<String>,
    pub ru_full: Option<String>,
}

/// Text kept per language (Ukrainian and English now; a language is a new field).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Localised {
    pub uk: String,
    pub en: String,
}

impl Localised {
    /// The text in the reader's language, falling back to Ukrainian.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "en" if !self.en.is_empty() => &self.en,
            _ if self.uk.is_empty() => &self.en,
            _ => &self.uk,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewPrisoner {
    pub slug: PrisonerSlug,
    pub names: PrisonerNames,
    pub birth_year: Option<i32>,
    pub birth_date: Option<NaiveDate>,
    pub status: PrisonerStatus,
    pub story: Localised,
    /// Topics to avoid and other advice specific to this person.
    pub guidance: Localised,
    /// The facility's slug, when the placement is known.
    pub facility: Option<String>,
    pub published: bool,
}

#[derive(Debug, Clone)]
pub struct FacilitySummary {
    pub id: FacilityId,
    pub name_ru: String,
    pub name_en: String,
    pub region: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Prisoner {
    pub id: PrisonerId,
    pub slug: PrisonerSlug,
    pub names: PrisonerNames,
    pub birth_year: Option<i32>,
    pub status: PrisonerStatus,
    pub story: Localised,
    pub guidance: Localised,
    pub facility: Option<FacilitySummary>,
    pub published: bool,
    /// Letters counted for this prisoner in the campaign (from counters).
    pub letters: i64,
}

#[derive(Debug, Clone)]
pub struct PrisonerSummary {
    pub id: PrisonerId,
    pub slug: PrisonerSlug,
    pub names: PrisonerNames,
    pub status: PrisonerStatus,
    pub letters: i64,
}

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub campaign: CampaignId,
    pub organisation: Option<OrganisationId>,
    /// A stable key so that seeding and imports can run twice.
    pub slug: String,
    pub kind: String,
    pub title: Localised,
    pub city: String,
    pub country: String,
    pub venue: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub series: Option<String>,
    pub demo: bool,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: EventId,
    pub slug: String,
    pub kind: String,
    pub title: Localised,
    pub city: String,
    pub country: String,
    pub venue: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub series: Option<String>,
    pub demo: bool,
    pub letters: i64,
}

/// A parsed letter on its way into storage. Personal data is already in its final form:
/// the email, if any, is ciphertext.
#[derive(Debug, Clone)]
pub struct NewLetter {
    pub id: LetterId,
    pub campaign: CampaignId,
    pub tracking_code: TrackingCode,
    pub idempotency_key: Option<IdempotencyKey>,
    pub prisoner: PrisonerSlug,
    pub source: Source,
    pub event: Option<EventId>,
    pub writer_name: Option<WriterName>,
    pub writer_city: Option<Place>,
    pub writer_country: Option<Place>,
    /// The writer's email, encrypted by the application; present only with consent.
    pub writer_email_encrypted: Option<Vec<u8>>,
    pub language: LetterLanguage,
    pub body: LetterBody,
    pub received_at: DateTime<Utc>,
}

/// What the store says about one letter of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Stored now.
    Created(Receipt),
    /// The idempotency key was known: this is the letter stored the first time.
    Existing(Receipt),
    /// Refused, alone; the rest of the group is unaffected.
    Refused(Refusal),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub id: LetterId,
    pub tracking_code: TrackingCode,
    pub state: LetterState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    UnknownPrisoner,
    PrisonerNotAccepting,
    UnknownEvent,
}

/// A step of a letter's journey as the writer may see it: no staff names, no notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JourneyStep {
    pub state: LetterState,
    pub at: DateTime<Utc>,
}

/// The writer's view of their letter.
#[derive(Debug, Clone)]
pub struct TrackedLetter {
    pub id: LetterId,
    pub state: LetterState,
    pub prisoner_slug: PrisonerSlug,
    pub prisoner_names: PrisonerNames,
    pub received_at: DateTime<Utc>,
    pub journey: Vec<JourneyStep>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub key: CounterKey,
    pub value: i64,
}
