//! The records that cross the storage boundary.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

pub use lysty_domain::{
    CounterKey, Gender, IdempotencyKey, LetterBody, LetterId, LetterLanguage, LetterState, Place,
    PrisonerSlug, PrisonerStatus, Source, TrackingCode, WriterName,
};

macro_rules! id_type {
    ($name:ident) => {
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            ::serde::Serialize,
            ::serde::Deserialize,
        )]
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
    /// The longest letter the facility accepts, in characters, when it has a rule.
    pub max_letter_chars: Option<i64>,
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

/// Text kept per language (a language is a new field). Crimean Tatar is optional: a page in
/// Crimean Tatar shows it where it exists and the Ukrainian text otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Localised {
    pub uk: String,
    pub en: String,
    /// In Crimean Tatar (Latin script); empty where nobody has written it.
    pub crh: String,
}

impl Localised {
    /// The text in the reader's language, falling back to Ukrainian.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "en" if !self.en.is_empty() => &self.en,
            "crh" if !self.crh.is_empty() => &self.crh,
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
    pub gender: Gender,
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
    pub max_letter_chars: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Prisoner {
    pub id: PrisonerId,
    pub slug: PrisonerSlug,
    pub names: PrisonerNames,
    pub birth_year: Option<i32>,
    pub status: PrisonerStatus,
    pub gender: Gender,
    pub story: Localised,
    pub guidance: Localised,
    pub facility: Option<FacilitySummary>,
    pub published: bool,
    /// The words that identify this person's case, for the safety flags (staff only).
    pub case_terms: Vec<String>,
    /// Letters counted for this prisoner in the campaign (from counters).
    pub letters: i64,
}

impl Prisoner {
    /// The longest letter the prisoner's facility accepts, in characters, if it says.
    pub fn max_letter_chars(&self) -> Option<usize> {
        self.facility
            .as_ref()
            .and_then(|f| f.max_letter_chars)
            .and_then(|m| usize::try_from(m).ok())
    }
}

/// A prisoner's names and slug: what the safety flags need of every prisoner.
#[derive(Debug, Clone)]
pub struct PrisonerNamesRow {
    pub slug: PrisonerSlug,
    pub names: PrisonerNames,
}

#[derive(Debug, Clone)]
pub struct PrisonerSummary {
    pub id: PrisonerId,
    pub slug: PrisonerSlug,
    pub names: PrisonerNames,
    pub status: PrisonerStatus,
    pub gender: Gender,
    pub published: bool,
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
    /// Of `letters`, how many are tallied paper letters.
    pub tallied: i64,
    pub organisation: Option<OrganisationId>,
    /// The secret in the kiosk link; `None` until a kiosk is opened.
    pub kiosk_token: Option<String>,
    pub kiosk_revoked_at: Option<DateTime<Utc>>,
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
    /// Safety flags computed at intake.
    pub flags: FlagsUpdate,
    /// The normalised text's hash, to spot the same text sent many times.
    pub fingerprint: String,
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
    /// The idempotency key belongs to a different letter.
    IdempotencyKeyReused,
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
    /// Why it was not passed on, when it was rejected.
    pub reject_reason: Option<RejectReason>,
    /// Why it waits, when the person moved, was freed or died.
    pub held: Option<lysty_domain::HoldReason>,
    /// Nobody knows yet where the person is held: an approved letter waits for that.
    pub awaiting_facility: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub key: CounterKey,
    pub value: i64,
}

mod staff;
pub use staff::*;

// --- review ---

/// A letter's safety flags as stored: JSON for display, kinds for filtering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlagsUpdate {
    pub json: String,
    pub kinds: Vec<String>,
    pub detected_language: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    pub states: Vec<LetterState>,
    pub prisoner: Option<String>,
    pub language: Option<String>,
    pub flag: Option<String>,
    pub source: Option<Source>,
    pub event: Option<EventId>,
    /// Keyset pagination: letters received after this one (oldest first).
    pub after: Option<LetterId>,
    pub limit: u32,
}

/// A letter as staff see it in review.
#[derive(Debug, Clone)]
pub struct ReviewLetter {
    pub id: LetterId,
    pub campaign: CampaignId,
    pub state: LetterState,
    pub prisoner_slug: PrisonerSlug,
    pub prisoner_names: PrisonerNames,
    pub source: Source,
    pub event: Option<EventId>,
    pub language: LetterLanguage,
    pub detected_language: Option<String>,
    pub writer_name: Option<String>,
    pub writer_city: Option<String>,
    pub writer_country: Option<String>,
    pub body: String,
    pub body_delivery: Option<String>,
    /// The safety flags as stored, decoded: a row whose flags cannot be read is an error,
    /// never a letter shown without its flags.
    pub flags: Vec<lysty_domain::safety::Flag>,
    pub fingerprint: Option<String>,
    pub claimed_by: Option<StaffId>,
    pub claimed_until: Option<DateTime<Utc>>,
    pub reject_reason: Option<String>,
    pub reject_note: Option<String>,
    pub received_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub enum ClaimOutcome {
    Claimed(Box<ReviewLetter>),
    HeldByOther { until: DateTime<Utc> },
    NotFound,
}

/// What a review step changes besides the state.
#[derive(Debug, Clone, Default)]
pub struct TextChange {
    pub body: Option<String>,
    pub body_delivery: Option<String>,
    pub flags: Option<FlagsUpdate>,
    pub reject_reason: Option<String>,
    pub reject_note: Option<String>,
    /// Why the earlier text is kept as a version (`redaction`, `translation`).
    pub version_reason: Option<String>,
}

/// One step of review: checked against the current state (and the claim), applied with
/// its transition row and counter changes in one transaction.
#[derive(Debug, Clone)]
pub struct ReviewStep {
    pub letter: LetterId,
    pub from: LetterState,
    pub to: LetterState,
    pub actor: StaffId,
    pub actor_org: OrganisationId,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
    pub require_claim: bool,
    pub change: TextChange,
    /// The step's audit line, written in the step's own transaction: a step is never
    /// recorded without it.
    pub audit: Option<NewAudit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    Done,
    WrongState(LetterState),
    NotClaimed,
    NotFound,
}

#[derive(Debug, Clone)]
pub struct LetterVersion {
    pub body: String,
    pub body_delivery: Option<String>,
    pub replaced_by: Option<StaffId>,
    pub reason: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct TransitionRow {
    pub from: Option<LetterState>,
    pub to: LetterState,
    pub actor: Option<StaffId>,
    pub actor_org: Option<OrganisationId>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// Paper letters counted at an event.
#[derive(Debug, Clone)]
pub struct NewTally {
    pub event: EventId,
    pub prisoner: Option<PrisonerSlug>,
    pub count: i64,
    pub actor: Option<StaffId>,
    pub at: DateTime<Utc>,
    /// Written with the tally, when it is recorded.
    pub audit: Option<NewAudit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TallyOutcome {
    Recorded,
    UnknownEvent,
    UnknownPrisoner,
}

/// A photo or scan of one page of a paper letter.
#[derive(Clone)]
pub struct PageUpload {
    /// `image/jpeg`, `image/png` or `application/pdf`, checked from the content.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for PageUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PageUpload({}, {} bytes)",
            self.content_type,
            self.bytes.len()
        )
    }
}

/// A paper letter entered after an event: its pages, and a transcription if typed.
#[derive(Debug, Clone)]
pub struct NewPaperLetter {
    pub id: LetterId,
    pub campaign: CampaignId,
    pub tracking_code: TrackingCode,
    pub prisoner: PrisonerSlug,
    pub event: EventId,
    pub transcription: Option<LetterBody>,
    pub pages: Vec<PageUpload>,
    pub received_at: DateTime<Utc>,
    pub flags: FlagsUpdate,
    pub fingerprint: String,
    /// Written with the letter, when it is entered (see [`crate::EventStore::enter_paper_letter`]).
    pub audit: Option<NewAudit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperOutcome {
    /// Stored; `replaced_tally` when it took the place of a tallied letter.
    Entered {
        replaced_tally: bool,
    },
    UnknownPrisoner,
    UnknownEvent,
}

#[derive(Debug, Clone)]
pub struct StoredPage {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

// --- export ---

/// A letter as exported: its facts, never its tracking code. `personal` is filled only when
/// the writer's data was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportLetter {
    pub id: LetterId,
    pub received_at: DateTime<Utc>,
    pub prisoner: String,
    pub source: Source,
    /// The event's slug.
    pub event: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub language: String,
    pub state: LetterState,
    /// When it went to 'sent', if it did.
    pub sent_at: Option<DateTime<Utc>>,
    /// When its outcome (delivered, withheld, returned, undeliverable) was recorded.
    pub outcome_at: Option<DateTime<Utc>>,
    pub personal: Option<ExportPersonal>,
}

/// The writer's data of an exported letter: the email still sealed, the text as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPersonal {
    pub writer_name: Option<String>,
    pub writer_email_encrypted: Option<Vec<u8>>,
    pub body: String,
}
