//! Delivery in storage: facilities and placements, batches, outcomes and their evidence,
//! held letters and the letter bank, replies, and the outbox of emails to writers.
//!
//! A trait of its own so the `Store` trait stays readable; every store implements both.

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use lysty_domain::{Channel, HoldReason, Outcome};

use crate::rows::RowAccess;
use crate::*;

id_type!(BatchId);
id_type!(ReplyId);
id_type!(PlacementId);

/// A facility with its rules.
#[derive(Debug, Clone)]
pub struct Facility {
    pub id: FacilityId,
    pub slug: String,
    pub name_ru: String,
    pub name_en: String,
    pub region: Option<String>,
    pub address_ru: Option<String>,
    pub max_letter_chars: Option<i64>,
    pub rules: FacilityRules,
    /// Prisoners placed there now.
    pub prisoners: i64,
}

/// What a facility asks of the letters sent to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacilityRules {
    pub channels: Vec<Channel>,
    /// The language the censor reads, e.g. "ru".
    pub language: String,
    /// Whether the envelope must carry the prisoner's year of birth.
    pub needs_birth_year: bool,
    /// Whether the envelope must carry the prisoner's number.
    pub needs_number: bool,
    /// The longest message the facility's electronic service takes, in characters.
    pub electronic_max_chars: Option<i64>,
    /// Whether that service takes a long letter as several numbered messages.
    pub electronic_parts: bool,
    /// Whether a translated letter's original is printed beside the Russian text. Off by
    /// default: most censors pass only Russian, and a letter they cannot read is stopped.
    pub prints_original: bool,
    pub notes: String,
}

impl Default for FacilityRules {
    fn default() -> Self {
        FacilityRules {
            channels: vec![Channel::Post],
            language: "ru".into(),
            needs_birth_year: true,
            needs_number: false,
            electronic_max_chars: None,
            electronic_parts: true,
            prints_original: false,
            notes: String::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewPlacement {
    pub prisoner: PrisonerId,
    pub facility: FacilityId,
    pub since: DateTime<Utc>,
    pub note: String,
    pub actor: Option<StaffId>,
    pub actor_org: Option<OrganisationId>,
    pub at: DateTime<Utc>,
    /// Written with the placement; `{held}` in its detail becomes the letters it held.
    pub audit: Option<NewAudit>,
}

#[derive(Debug, Clone)]
pub struct Placement {
    pub id: PlacementId,
    pub facility: FacilityId,
    pub facility_slug: String,
    pub facility_name_ru: String,
    pub since: DateTime<Utc>,
    pub note: String,
}

/// What a new placement did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacementOutcome {
    /// The placement is now the prisoner's current one.
    pub current: bool,
    /// Letters not yet sent that were held because the prisoner moved.
    pub held: u64,
}

#[derive(Debug, Clone)]
pub struct BatchRequest {
    pub campaign: CampaignId,
    pub facility: FacilityId,
    pub channel: Channel,
    /// Only this prisoner's letters, when given.
    pub prisoner: Option<PrisonerId>,
    /// At most this many letters per prisoner in any seven days, counting earlier batches.
    pub per_prisoner_per_week: i64,
    /// At most this many letters in the batch.
    pub limit: i64,
    pub now: DateTime<Utc>,
}

/// A letter as delivery sees it.
#[derive(Debug, Clone)]
pub struct DeliveryLetter {
    pub id: LetterId,
    pub state: LetterState,
    pub prisoner: PrisonerId,
    pub prisoner_slug: PrisonerSlug,
    pub prisoner_names: PrisonerNames,
    pub prisoner_birth_year: Option<i32>,
    pub prisoner_number: Option<String>,
    pub language: String,
    pub body: String,
    pub body_delivery: Option<String>,
    /// The name or pseudonym the writer signs with, as typed.
    pub writer_name: Option<String>,
    /// The writer's city, as typed; printed after the name.
    pub writer_city: Option<String>,
    pub received_at: DateTime<Utc>,
    pub batch: Option<BatchId>,
    pub held: Option<HoldReason>,
    pub held_at: Option<DateTime<Utc>>,
    /// A moderator struck passages from it: the original no longer travels beside the
    /// delivery text, since only the delivery text was checked after the strike.
    pub redacted: bool,
}

impl DeliveryLetter {
    /// The text the censor reads: the translation when there is one.
    pub fn delivery_text(&self) -> &str {
        self.body_delivery.as_deref().unwrap_or(&self.body)
    }

    pub fn reference(&self) -> String {
        lysty_domain::delivery::reference(self.id)
    }

    /// The line printed under the letter, as the writer gave it: the name or pseudonym,
    /// then the city when there is one ("Олена, Київ"); none for a writer who gave neither.
    pub fn signature(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.writer_name, &self.writer_city]
            .into_iter()
            .filter_map(|p| p.as_deref().map(str::trim).filter(|p| !p.is_empty()))
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// Whether the text delivered differs from what the writer wrote (a translation).
    pub fn is_translated(&self) -> bool {
        self.body_delivery
            .as_deref()
            .is_some_and(|d| d.trim() != self.body.trim())
    }
}

#[derive(Debug, Clone)]
pub struct Batch {
    pub id: BatchId,
    pub facility: FacilityId,
    pub facility_name_ru: String,
    pub channel: Channel,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<StaffId>,
    pub organisation: Option<OrganisationId>,
    pub sent_at: Option<DateTime<Utc>>,
    pub sent_reference: Option<String>,
    pub letters: i64,
}

#[derive(Debug, Clone)]
pub enum BuildOutcome {
    Built {
        id: BatchId,
        letters: usize,
    },
    /// No letter is waiting for this facility and channel (within the weekly cap).
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentOutcome {
    Done(u64),
    NotFound,
    AlreadySent,
}

#[derive(Debug, Clone)]
pub struct NewOutcome {
    pub letter: LetterId,
    pub outcome: Outcome,
    pub note: String,
    /// A scan or photo as evidence: content type and bytes.
    pub scan: Option<(String, Vec<u8>)>,
}

/// Why an outcome could not be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeProblem {
    NotFound,
    WrongState(LetterState),
}

#[derive(Debug, Clone)]
pub struct Evidence {
    pub id: Uuid,
    pub outcome: String,
    pub note: String,
    pub has_scan: bool,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct BankEntry {
    pub prisoner: PrisonerId,
    pub prisoner_slug: PrisonerSlug,
    pub prisoner_names: PrisonerNames,
    pub letters: i64,
}

#[derive(Debug, Clone)]
pub struct NewReply {
    pub campaign: CampaignId,
    pub prisoner: PrisonerId,
    pub received_at: DateTime<Utc>,
    pub transcription: String,
    pub consent_publish: bool,
    pub scan: Option<(String, Vec<u8>)>,
    pub actor: StaffId,
    pub at: DateTime<Utc>,
    /// Written with the reply: its object is the new reply; `{linked}` and `{emails}` in its
    /// detail become the letters it answers and the emails queued to their writers.
    pub audit: Option<NewAudit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyOutcome {
    pub id: ReplyId,
    /// Letters delivered to the prisoner before the reply, now linked to it.
    pub linked: u64,
    /// Emails queued for writers who left an address.
    pub emails: u64,
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub id: ReplyId,
    pub prisoner: PrisonerId,
    pub received_at: DateTime<Utc>,
    pub transcription: String,
    pub consent_publish: bool,
    pub has_scan: bool,
    pub linked: i64,
}

/// An email waiting to go out.
#[derive(Debug, Clone)]
pub struct MailItem {
    pub id: Uuid,
    pub kind: String,
    pub letter: LetterId,
    pub tracking_code: String,
    pub language: String,
    pub email_encrypted: Vec<u8>,
    pub prisoner_names: PrisonerNames,
    pub attempts: i64,
}

#[derive(Debug, Clone)]
pub struct StoredScan {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// How many letters a prisoner received lately, and their birthday, for the list of
/// those waiting for letters.
#[derive(Debug, Clone)]
pub struct RecentLetters {
    pub prisoner: PrisonerId,
    pub letters: i64,
    pub birth_date: Option<chrono::NaiveDate>,
}

/// Letters of a year grouped by where they came from, how and for whom.
#[derive(Debug, Clone)]
pub struct LetterGroup {
    pub city: Option<String>,
    pub country: Option<String>,
    pub source: Source,
    pub prisoner: PrisonerId,
    pub letters: i64,
}

/// Tallied paper letters (not yet entered one by one) of an event in the year.
#[derive(Debug, Clone)]
pub struct TallyFigure {
    pub prisoner: Option<PrisonerId>,
    pub letters: i64,
    pub city: String,
    pub country: String,
}

/// The raw figures of a period, for the annual report.
#[derive(Debug, Clone, Default)]
pub struct PeriodFigures {
    pub letters: Vec<LetterGroup>,
    pub tallies: Vec<TallyFigure>,
    /// Outcomes recorded in the period: (state, letters).
    pub outcomes: Vec<(String, i64)>,
    pub replies: i64,
    /// For each letter sent in the period: seconds from its writing to its sending.
    pub send_delays: Vec<i64>,
}

/// What a recount of the counters found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recount {
    /// Counters with a value after the recount.
    pub counters: usize,
    /// Keys whose stored value differed: (key, stored, recounted).
    pub changed: Vec<(String, i64, i64)>,
}

/// Earlier years' records, loaded in one transaction: all of them or none.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub events: Vec<NewEvent>,
    pub tallies: Vec<HistoricTally>,
    pub letters: Vec<HistoricLetter>,
}

/// Paper letters counted at a past event; `line` is the row of the import file.
#[derive(Debug, Clone)]
pub struct HistoricTally {
    pub line: u64,
    pub event: String,
    pub prisoner: Option<PrisonerSlug>,
    pub count: i64,
}

/// A letter of an earlier year, in the state it reached, with the times it was sent and
/// its outcome recorded. Its idempotency key makes a second import of the same row a no-op.
#[derive(Debug, Clone)]
pub struct HistoricLetter {
    pub line: u64,
    pub id: LetterId,
    /// The id came from the file (a Lysty export): a letter with it is this letter.
    pub id_from_file: bool,
    pub tracking_code: TrackingCode,
    pub idempotency_key: IdempotencyKey,
    /// Keys an earlier version of the import gave the same row: a letter stored under one is
    /// this letter too.
    pub earlier_keys: Vec<IdempotencyKey>,
    pub prisoner: PrisonerSlug,
    pub source: Source,
    /// The event's slug.
    pub event: Option<String>,
    pub writer_name: Option<WriterName>,
    pub writer_city: Option<Place>,
    pub writer_country: Option<Place>,
    pub writer_email_encrypted: Option<Vec<u8>>,
    /// `None` when the file does not say: a new letter is Ukrainian, a known one keeps its.
    pub language: Option<LetterLanguage>,
    /// Empty when only the letter's facts are known (a letter long sent).
    pub body: String,
    pub received_at: DateTime<Utc>,
    pub state: LetterState,
    pub sent_at: Option<DateTime<Utc>>,
    pub outcome_at: Option<DateTime<Utc>>,
    pub flags: FlagsUpdate,
    pub fingerprint: String,
}

/// Why the store refused a row of a history import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryRefusal {
    UnknownEvent(String),
    UnknownPrisoner(String),
    /// The event already has a different count for this prisoner (or unassigned).
    TallyExists {
        event: String,
        stored: i64,
    },
    /// The same event and prisoner appear twice in the file.
    TallyTwice {
        event: String,
    },
    /// The file changes a letter that is still on its way (in review, in a batch…): only
    /// Lysty's own steps move it.
    LetterInProgress {
        state: LetterState,
    },
    /// A new letter cannot start in this state (with an id from an export of letters still
    /// on their way).
    StateNotImportable {
        state: LetterState,
    },
    /// A new letter still to be reviewed or sent, without its text.
    NoText,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryOutcome {
    pub events: usize,
    pub tallies: usize,
    pub letters: usize,
    /// Rows already imported, unchanged: letters and tallies.
    pub already_imported: usize,
    /// Letters imported before whose row now says something else: corrected.
    pub updated: usize,
    /// Rows refused, by line; when any is, nothing was stored.
    pub refused: Vec<(u64, HistoryRefusal)>,
}

// --- row mapping, shared by the backends ---

pub fn facility_from(r: &impl RowAccess) -> StoreResult<Facility> {
    let channels = lysty_domain::delivery::parse_channels(&r.text("channels")?)
        .map_err(|_| StoreError::message("a stored facility has an unknown channel"))?;
    Ok(Facility {
        id: FacilityId(r.uuid("id")?),
        slug: r.text("slug")?,
        name_ru: r.text("name_ru")?,
        name_en: r.text("name_en")?,
        region: r.opt_text("region")?,
        address_ru: r.opt_text("address_ru")?,
        max_letter_chars: r.opt_int("max_letter_chars")?,
        rules: FacilityRules {
            channels,
            language: r.text("rule_language")?,
            needs_birth_year: r.boolean("needs_birth_year")?,
            needs_number: r.boolean("needs_number")?,
            electronic_max_chars: r.opt_int("electronic_max_chars")?,
            electronic_parts: r.boolean("electronic_parts")?,
            prints_original: r.boolean("prints_original")?,
            notes: r.text("notes")?,
        },
        prisoners: r.int("prisoners")?,
    })
}

pub fn delivery_letter_from(r: &impl RowAccess) -> StoreResult<DeliveryLetter> {
    let held = match r.opt_text("held_reason")? {
        Some(raw) => Some(
            raw.parse::<HoldReason>()
                .map_err(|_| StoreError::message("a stored hold reason is unknown"))?,
        ),
        None => None,
    };
    Ok(DeliveryLetter {
        id: LetterId(r.uuid("id")?),
        state: r
            .text("state")?
            .parse()
            .map_err(|_| StoreError::message("a stored letter state is unknown"))?,
        prisoner: PrisonerId(r.uuid("prisoner_id")?),
        prisoner_slug: crate::rows::slug_from(r)?,
        prisoner_names: crate::rows::names_from(r)?,
        prisoner_birth_year: r.opt_int("birth_year")?.and_then(|y| i32::try_from(y).ok()),
        prisoner_number: r.opt_text("prisoner_number")?,
        language: r.text("language")?,
        body: r.text("body")?,
        body_delivery: r.opt_text("body_delivery")?,
        writer_name: r.opt_text("writer_name")?,
        writer_city: r.opt_text("writer_city")?,
        received_at: r.time("received_at")?,
        batch: r.opt_uuid("batch_id")?.map(BatchId),
        held,
        held_at: r.opt_time("held_at")?,
        redacted: r.boolean("redacted")?,
    })
}

pub fn batch_from(r: &impl RowAccess) -> StoreResult<Batch> {
    Ok(Batch {
        id: BatchId(r.uuid("id")?),
        facility: FacilityId(r.uuid("facility_id")?),
        facility_name_ru: r.text("facility_name_ru")?,
        channel: r
            .text("channel")?
            .parse()
            .map_err(|_| StoreError::message("a stored batch has an unknown channel"))?,
        created_at: r.time("created_at")?,
        created_by: r.opt_uuid("created_by")?.map(StaffId),
        organisation: r.opt_uuid("created_org")?.map(OrganisationId),
        sent_at: r.opt_time("sent_at")?,
        sent_reference: r.opt_text("sent_reference")?,
        letters: r.int("letters")?,
    })
}

pub fn placement_from(r: &impl RowAccess) -> StoreResult<Placement> {
    Ok(Placement {
        id: PlacementId(r.uuid("id")?),
        facility: FacilityId(r.uuid("facility_id")?),
        facility_slug: r.text("facility_slug")?,
        facility_name_ru: r.text("facility_name_ru")?,
        since: r.time("since")?,
        note: r.text("note")?,
    })
}

pub fn reply_from(r: &impl RowAccess) -> StoreResult<Reply> {
    Ok(Reply {
        id: ReplyId(r.uuid("id")?),
        prisoner: PrisonerId(r.uuid("prisoner_id")?),
        received_at: r.time("received_at")?,
        transcription: r.text("transcription")?,
        consent_publish: r.boolean("consent_publish")?,
        has_scan: r.opt_int("has_scan")?.unwrap_or(0) > 0,
        linked: r.int("linked")?,
    })
}

pub fn mail_from(r: &impl RowAccess) -> StoreResult<MailItem> {
    Ok(MailItem {
        id: r.uuid("id")?,
        kind: r.text("kind")?,
        letter: LetterId(r.uuid("letter_id")?),
        tracking_code: r.text("tracking_code")?,
        language: r.text("language")?,
        email_encrypted: r.opt_bytes("writer_email_enc")?.unwrap_or_default(),
        prisoner_names: crate::rows::names_from(r)?,
        attempts: r.int("attempts")?,
    })
}

/// SQL text identical on both databases.
pub mod queries {
    pub const FACILITY_COLUMNS: &str = "SELECT f.id, f.slug, f.name_ru, f.name_en, f.region,
        f.address_ru, f.max_letter_chars, f.channels, f.rule_language, f.needs_birth_year,
        f.needs_number, f.electronic_max_chars, f.electronic_parts, f.prints_original, f.notes,
        (SELECT COUNT(*) FROM prisoners p WHERE p.facility_id = f.id) AS prisoners
     FROM facilities f";

    pub const SAVE_FACILITY: &str = "INSERT INTO facilities (id, slug, name_ru, name_en, region,
        address_ru, created_at, max_letter_chars, channels, rule_language, needs_birth_year,
        needs_number, electronic_max_chars, electronic_parts, notes, prints_original)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (slug) DO UPDATE SET name_ru = excluded.name_ru, name_en = excluded.name_en,
        region = excluded.region, address_ru = excluded.address_ru,
        max_letter_chars = excluded.max_letter_chars, channels = excluded.channels,
        rule_language = excluded.rule_language, needs_birth_year = excluded.needs_birth_year,
        needs_number = excluded.needs_number,
        electronic_max_chars = excluded.electronic_max_chars,
        electronic_parts = excluded.electronic_parts, notes = excluded.notes,
        prints_original = excluded.prints_original
     RETURNING id";

    pub const LETTER_COLUMNS: &str = "SELECT l.id, l.state, l.prisoner_id, l.campaign_id,
        p.slug, p.name_uk, p.name_en, p.name_crh, p.name_ru_full, p.birth_year,
        p.prisoner_number, l.language, l.body, l.body_delivery, l.writer_name, l.writer_city,
        l.received_at, l.batch_id,
        l.held_reason, l.held_at,
        EXISTS (SELECT 1 FROM letter_versions v
                 WHERE v.letter_id = l.id AND v.reason LIKE 'redaction%') AS redacted
     FROM letters l JOIN prisoners p ON p.id = l.prisoner_id";

    pub const BATCH_COLUMNS: &str = "SELECT b.id, b.facility_id, f.name_ru AS facility_name_ru,
        b.channel, b.created_at, b.created_by, b.created_org, b.sent_at, b.sent_reference,
        (SELECT COUNT(*) FROM letters l WHERE l.batch_id = b.id) AS letters
     FROM batches b JOIN facilities f ON f.id = b.facility_id";

    pub const PLACEMENTS: &str = "SELECT pl.id, pl.facility_id, f.slug AS facility_slug,
        f.name_ru AS facility_name_ru, pl.since, pl.note
     FROM placements pl JOIN facilities f ON f.id = pl.facility_id
     WHERE pl.prisoner_id = $1 ORDER BY pl.since DESC, pl.id DESC";

    pub const REPLY_COLUMNS: &str = "SELECT r.id, r.prisoner_id, r.received_at, r.transcription,
        r.consent_publish,
        CASE WHEN r.bytes IS NULL THEN 0 ELSE 1 END AS has_scan,
        (SELECT COUNT(*) FROM reply_letters rl WHERE rl.reply_id = r.id) AS linked
     FROM replies r";

    pub const PENDING_MAIL: &str = "SELECT o.id, o.kind, o.letter_id, o.attempts,
        l.tracking_code, l.language, l.writer_email_enc, p.name_uk, p.name_en, p.name_crh,
        p.name_ru_full
     FROM outbox o JOIN letters l ON l.id = o.letter_id JOIN prisoners p ON p.id = l.prisoner_id
     WHERE o.sent_at IS NULL AND o.gave_up_at IS NULL AND o.next_attempt_at <= $1
       AND l.writer_email_enc IS NOT NULL
     ORDER BY o.created_at, o.id LIMIT $2";
}
