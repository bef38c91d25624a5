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

// --- staff, sessions, tokens, audit ---

pub use lysty_domain::{RejectReason, Role, Roles};

id_type!(StaffId);
id_type!(TokenId);

#[derive(Debug, Clone)]
pub struct NewStaff {
    pub organisation: OrganisationId,
    /// Lower-cased.
    pub email: String,
    pub name: String,
    pub roles: Roles,
    /// An argon2id PHC string.
    pub password_hash: String,
}

#[derive(Clone)]
pub struct Staff {
    pub id: StaffId,
    pub organisation: OrganisationId,
    pub email: String,
    pub name: String,
    pub roles: Roles,
    pub password_hash: String,
    /// The TOTP secret, encrypted; `None` until enrolled.
    pub totp_secret_enc: Option<Vec<u8>>,
    pub totp_last_step: Option<i64>,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Credentials stay out of logs.
impl std::fmt::Debug for Staff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Staff")
            .field("id", &self.id)
            .field("organisation", &self.organisation)
            .field("roles", &self.roles)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

/// A session is `Password` after the password, and `Full` once the second factor is
/// given (or when the account has none and needs none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    Password,
    Full,
}

impl SessionStage {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStage::Password => "password",
            SessionStage::Full => "full",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "password" => Some(SessionStage::Password),
            "full" => Some(SessionStage::Full),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the cookie's secret: the secret itself is never stored.
    pub id_hash: String,
    pub staff: StaffId,
    pub stage: SessionStage,
    pub csrf_token: String,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id_hash: String,
    pub staff: Staff,
    pub stage: SessionStage,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: TokenId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// After this the token opens nothing.
    pub expires_at: DateTime<Utc>,
}

/// How long a token stored without an expiry (made before tokens expired) lives.
pub const LEGACY_TOKEN_DAYS: i64 = 90;

/// When a token expires: as stored, or `LEGACY_TOKEN_DAYS` after it was made.
pub fn token_expiry(created_at: DateTime<Utc>, stored: Option<DateTime<Utc>>) -> DateTime<Utc> {
    stored.unwrap_or(created_at + chrono::Duration::days(LEGACY_TOKEN_DAYS))
}

/// A second factor to store, with what must be written in the same transaction.
#[derive(Debug, Clone)]
pub struct TotpEnrolment {
    pub staff: StaffId,
    pub secret_enc: Vec<u8>,
    pub recovery_hashes: Vec<String>,
    pub audit: NewAudit,
    /// The kind of email to queue for the account's owner (`second_factor_replaced`).
    pub notice: Option<String>,
}

/// A password an admin set in place of someone's own, with what goes with it in the same
/// transaction: the account's sessions end, its API tokens are revoked, its lockout is
/// lifted, the audit line, and the email telling its owner.
#[derive(Debug, Clone)]
pub struct PasswordReset {
    pub staff: StaffId,
    pub password_hash: String,
    pub audit: NewAudit,
    /// The kind of email to queue for the account's owner (`password_reset`).
    pub notice: String,
}

/// An email to a staff member about their own account.
#[derive(Debug, Clone)]
pub struct StaffNotice {
    pub id: Uuid,
    pub staff: StaffId,
    pub email: String,
    pub kind: String,
    pub attempts: i64,
}

/// One line of the audit log. Never letter text, passwords, tokens or writers' data.
#[derive(Debug, Clone)]
pub struct NewAudit {
    pub at: DateTime<Utc>,
    pub actor: Option<StaffId>,
    pub actor_org: Option<OrganisationId>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub detail: String,
}

impl NewAudit {
    /// The line as the store writes it once the action has happened: each `{name}` in
    /// `detail` replaced by what the action found (letters moved, emails queued), and, for an
    /// action that creates its object, that object's id where the line left it empty.
    pub fn completed(&self, created: Option<String>, found: &[(&str, String)]) -> NewAudit {
        let mut line = self.clone();
        if line.object_id.is_none() {
            line.object_id = created;
        }
        for (name, value) in found {
            line.detail = line.detail.replace(&format!("{{{name}}}"), value);
        }
        line
    }
}

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<StaffId>,
    pub actor_email: Option<String>,
    pub actor_org: Option<OrganisationId>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<StaffId>,
    pub action: Option<String>,
    pub object_id: Option<String>,
    /// Keyset pagination: entries older than this id.
    pub before: Option<i64>,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconTerm {
    pub id: Uuid,
    pub term: String,
    pub language: String,
    pub category: String,
}

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
