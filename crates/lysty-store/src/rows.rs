//! Turning database rows into records, once for every backend.
//!
//! A backend implements [`RowAccess`] for its row type (a handful of typed getters), and
//! the mapping below is shared, so the two databases cannot drift in what they return.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::*;

/// Typed column access, implemented by each backend for its row type.
pub trait RowAccess {
    fn text(&self, column: &str) -> StoreResult<String>;
    fn opt_text(&self, column: &str) -> StoreResult<Option<String>>;
    fn uuid(&self, column: &str) -> StoreResult<Uuid>;
    fn opt_uuid(&self, column: &str) -> StoreResult<Option<Uuid>>;
    fn time(&self, column: &str) -> StoreResult<DateTime<Utc>>;
    fn int(&self, column: &str) -> StoreResult<i64>;
    fn opt_int(&self, column: &str) -> StoreResult<Option<i64>>;
    fn boolean(&self, column: &str) -> StoreResult<bool>;
    fn opt_time(&self, column: &str) -> StoreResult<Option<DateTime<Utc>>>;
    fn opt_bytes(&self, column: &str) -> StoreResult<Option<Vec<u8>>>;
    /// The name of the first column (one-column queries read it).
    fn first_column(&self) -> StoreResult<String>;
}

fn parsed<T: FromStr>(row: &impl RowAccess, column: &str) -> StoreResult<T> {
    let raw = row.text(column)?;
    raw.parse()
        .map_err(|_| StoreError::message(format!("unexpected value in column {column}")))
}

pub fn campaign_from(r: &impl RowAccess) -> StoreResult<Campaign> {
    Ok(Campaign {
        id: CampaignId(r.uuid("id")?),
        slug: r.text("slug")?,
        name_uk: r.text("name_uk")?,
        name_en: r.text("name_en")?,
    })
}

pub fn organisation_from(r: &impl RowAccess) -> StoreResult<Organisation> {
    Ok(Organisation {
        id: OrganisationId(r.uuid("id")?),
        slug: r.text("slug")?,
        name_uk: r.text("name_uk")?,
        name_en: r.text("name_en")?,
    })
}

pub(crate) fn slug_from(r: &impl RowAccess) -> StoreResult<PrisonerSlug> {
    PrisonerSlug::parse(&r.text("slug")?)
        .map_err(|_| StoreError::message("a stored prisoner slug is malformed"))
}

pub(crate) fn names_from(r: &impl RowAccess) -> StoreResult<PrisonerNames> {
    Ok(PrisonerNames {
        uk: r.text("name_uk")?,
        en: r.text("name_en")?,
        crh: r.opt_text("name_crh")?,
        ru_full: r.opt_text("name_ru_full")?,
    })
}

/// A prisoner row from `sql::PRISONER_BY_SLUG`; `letters` comes from the counters.
pub fn prisoner_from(r: &impl RowAccess, letters: i64) -> StoreResult<Prisoner> {
    let facility = match r.opt_uuid("facility_id")? {
        Some(id) => Some(FacilitySummary {
            id: FacilityId(id),
            name_ru: r.text("facility_name_ru")?,
            name_en: r.text("facility_name_en")?,
            region: r.opt_text("facility_region")?,
            max_letter_chars: r.opt_int("facility_max_letter_chars")?,
        }),
        None => None,
    };
    Ok(Prisoner {
        id: PrisonerId(r.uuid("id")?),
        slug: slug_from(r)?,
        names: names_from(r)?,
        birth_year: r.opt_int("birth_year")?.and_then(|y| i32::try_from(y).ok()),
        status: parsed(r, "status")?,
        gender: gender_from(r)?,
        story: Localised {
            uk: r.text("story_uk")?,
            en: r.text("story_en")?,
            crh: r.text("story_crh")?,
        },
        guidance: Localised {
            uk: r.text("guidance_uk")?,
            en: r.text("guidance_en")?,
            crh: r.text("guidance_crh")?,
        },
        facility,
        published: r.boolean("published")?,
        case_terms: r
            .text("case_terms")?
            .lines()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        letters,
    })
}

/// A row from `sql::PRISONER_NAMES`.
pub fn prisoner_names_from(r: &impl RowAccess) -> StoreResult<PrisonerNamesRow> {
    Ok(PrisonerNamesRow {
        slug: slug_from(r)?,
        names: names_from(r)?,
    })
}

/// A row from `sql::LIST_PRISONERS`; `letters` is filled in from the counters.
pub fn prisoner_summary_from(r: &impl RowAccess) -> StoreResult<PrisonerSummary> {
    Ok(PrisonerSummary {
        id: PrisonerId(r.uuid("id")?),
        slug: slug_from(r)?,
        names: names_from(r)?,
        status: parsed(r, "status")?,
        gender: gender_from(r)?,
        published: r.boolean("published")?,
        letters: 0,
    })
}

fn gender_from(r: &impl RowAccess) -> StoreResult<Gender> {
    Gender::parse(&r.text("gender")?)
        .map_err(|_| StoreError::message("a stored prisoner's gender is unknown"))
}

pub fn prisoner_for_letter(r: &impl RowAccess) -> StoreResult<(Uuid, PrisonerStatus)> {
    Ok((r.uuid("id")?, parsed(r, "status")?))
}

/// A row from the event queries; `letters` is filled in from the counters.
pub fn event_from(r: &impl RowAccess) -> StoreResult<Event> {
    Ok(Event {
        id: EventId(r.uuid("id")?),
        slug: r.text("slug")?,
        kind: r.text("kind")?,
        title: Localised {
            uk: r.text("title_uk")?,
            en: r.text("title_en")?,
            crh: String::new(),
        },
        city: r.text("city")?,
        country: r.text("country")?,
        venue: r.opt_text("venue")?,
        starts_at: r.time("starts_at")?,
        ends_at: r.time("ends_at")?,
        series: r.opt_text("series")?,
        demo: r.boolean("demo")?,
        letters: 0,
        tallied: 0,
        organisation: r.opt_uuid("organisation_id")?.map(OrganisationId),
        kiosk_token: r.opt_text("kiosk_token")?,
        kiosk_revoked_at: r.opt_time("kiosk_revoked_at")?,
    })
}

pub fn receipt_from(r: &impl RowAccess) -> StoreResult<Receipt> {
    Ok(Receipt {
        id: LetterId(r.uuid("id")?),
        tracking_code: TrackingCode::parse(&r.text("tracking_code")?)
            .map_err(|_| StoreError::message("a stored tracking code is malformed"))?,
        state: parsed(r, "state")?,
    })
}

/// The answer to a letter whose idempotency key is already stored (a row from
/// `sql::LETTER_BY_IDEMPOTENCY_KEY`). A true retry — same prisoner, same text — gets the
/// first letter's receipt; the same key with other content is refused, so that a guessed
/// or reused key never reveals someone else's tracking code.
pub fn replay_from(
    r: &impl RowAccess,
    letter: &NewLetter,
    prisoner: Uuid,
) -> StoreResult<SubmitOutcome> {
    if r.uuid("prisoner_id")? == prisoner && r.text("body")? == letter.body.as_str() {
        Ok(SubmitOutcome::Existing(receipt_from(r)?))
    } else {
        Ok(SubmitOutcome::Refused(Refusal::IdempotencyKeyReused))
    }
}

/// A row from `sql::TRACKED_LETTER`; the journey is read separately.
pub fn tracked_from(r: &impl RowAccess) -> StoreResult<TrackedLetter> {
    Ok(TrackedLetter {
        id: LetterId(r.uuid("id")?),
        state: parsed(r, "state")?,
        prisoner_slug: slug_from(r)?,
        prisoner_names: names_from(r)?,
        received_at: r.time("received_at")?,
        journey: Vec::new(),
        reject_reason: r.opt_text("reject_reason")?.and_then(|r| r.parse().ok()),
        held: r.opt_text("held_reason")?.and_then(|h| h.parse().ok()),
        awaiting_facility: r.int("no_facility")? == 1,
    })
}

pub fn step_from(r: &impl RowAccess) -> StoreResult<JourneyStep> {
    Ok(JourneyStep {
        state: parsed(r, "to_state")?,
        at: r.time("at")?,
    })
}

/// A counter row; keys an older binary does not know are skipped.
pub fn counter_from(r: &impl RowAccess) -> StoreResult<Option<Counter>> {
    let key = r.text("key")?;
    let value = r.int("value")?;
    Ok(CounterKey::parse(&key).map(|key| Counter { key, value }))
}

fn opt_parsed<T: FromStr>(row: &impl RowAccess, column: &str) -> StoreResult<Option<T>> {
    match row.opt_text(column)? {
        Some(raw) => raw
            .parse()
            .map(Some)
            .map_err(|_| StoreError::message(format!("unexpected value in column {column}"))),
        None => Ok(None),
    }
}

pub fn staff_from(r: &impl RowAccess) -> StoreResult<Staff> {
    Ok(Staff {
        id: StaffId(r.uuid("id")?),
        organisation: OrganisationId(r.uuid("organisation_id")?),
        email: r.text("email")?,
        name: r.text("name")?,
        roles: Roles::parse(&r.text("roles")?)
            .map_err(|_| StoreError::message("stored roles are malformed"))?,
        password_hash: r.text("password_hash")?,
        totp_secret_enc: r.opt_bytes("totp_secret_enc")?,
        totp_last_step: r.opt_int("totp_last_step")?,
        disabled: r.boolean("disabled")?,
        failed_logins: r.int("failed_logins")?,
        locked_until: r.opt_time("locked_until")?,
        created_at: r.time("created_at")?,
    })
}

/// A row from `sql::session_by_hash`.
pub fn session_from(r: &impl RowAccess) -> StoreResult<Session> {
    Ok(Session {
        id_hash: r.text("id_hash")?,
        staff: staff_from(r)?,
        stage: SessionStage::parse(&r.text("stage")?)
            .ok_or_else(|| StoreError::message("stored session stage is malformed"))?,
        csrf_token: r.text("csrf_token")?,
        created_at: r.time("session_created_at")?,
        last_seen_at: r.time("last_seen_at")?,
        expires_at: r.time("expires_at")?,
    })
}

pub fn token_from(r: &impl RowAccess) -> StoreResult<ApiToken> {
    Ok(ApiToken {
        id: TokenId(r.uuid("id")?),
        name: r.text("name")?,
        created_at: r.time("created_at")?,
        last_used_at: r.opt_time("last_used_at")?,
        revoked_at: r.opt_time("revoked_at")?,
        expires_at: token_expiry(r.time("created_at")?, r.opt_time("expires_at")?),
    })
}

pub fn audit_from(r: &impl RowAccess) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        id: r.int("id")?,
        at: r.time("at")?,
        actor: r.opt_uuid("actor_id")?.map(StaffId),
        actor_email: r.opt_text("actor_email")?,
        actor_org: r.opt_uuid("actor_org_id")?.map(OrganisationId),
        action: r.text("action")?,
        object_type: r.opt_text("object_type")?,
        object_id: r.opt_text("object_id")?,
        detail: r.text("detail")?,
    })
}

pub fn lexicon_from(r: &impl RowAccess) -> StoreResult<LexiconTerm> {
    Ok(LexiconTerm {
        id: r.uuid("id")?,
        term: r.text("term")?,
        language: r.text("language")?,
        category: r.text("category")?,
    })
}

/// A row from `sql::REVIEW_COLUMNS`.
pub fn review_from(r: &impl RowAccess) -> StoreResult<ReviewLetter> {
    Ok(ReviewLetter {
        id: LetterId(r.uuid("id")?),
        campaign: CampaignId(r.uuid("campaign_id")?),
        state: parsed(r, "state")?,
        prisoner_slug: slug_from(r)?,
        prisoner_names: names_from(r)?,
        source: parsed(r, "source")?,
        event: r.opt_uuid("event_id")?.map(EventId),
        language: parsed(r, "language")?,
        detected_language: r.opt_text("detected_language")?,
        writer_name: r.opt_text("writer_name")?,
        writer_city: r.opt_text("writer_city")?,
        writer_country: r.opt_text("writer_country")?,
        body: r.text("body")?,
        body_delivery: r.opt_text("body_delivery")?,
        flags: serde_json::from_str(&r.text("flags")?)
            .map_err(|_| StoreError::message("a stored letter's safety flags cannot be read"))?,
        fingerprint: r.opt_text("fingerprint")?,
        claimed_by: r.opt_uuid("claimed_by")?.map(StaffId),
        claimed_until: r.opt_time("claimed_until")?,
        reject_reason: r.opt_text("reject_reason")?,
        reject_note: r.opt_text("reject_note")?,
        received_at: r.time("received_at")?,
    })
}

pub fn version_from(r: &impl RowAccess) -> StoreResult<LetterVersion> {
    Ok(LetterVersion {
        body: r.text("body")?,
        body_delivery: r.opt_text("body_delivery")?,
        replaced_by: r.opt_uuid("replaced_by")?.map(StaffId),
        reason: r.text("reason")?,
        at: r.time("at")?,
    })
}

pub fn transition_from(r: &impl RowAccess) -> StoreResult<TransitionRow> {
    Ok(TransitionRow {
        from: opt_parsed(r, "from_state")?,
        to: parsed(r, "to_state")?,
        actor: r.opt_uuid("actor_id")?.map(StaffId),
        actor_org: r.opt_uuid("actor_org_id")?.map(OrganisationId),
        note: r.opt_text("note")?,
        at: r.time("at")?,
    })
}

/// A row from `sql::export_letters`; the writer's columns are read only when asked for.
pub fn export_letter_from(r: &impl RowAccess, personal: bool) -> StoreResult<ExportLetter> {
    let personal = if personal {
        Some(ExportPersonal {
            writer_name: r.opt_text("writer_name")?,
            writer_email_encrypted: r.opt_bytes("writer_email_enc")?,
            body: r.text("body")?,
        })
    } else {
        None
    };
    Ok(ExportLetter {
        id: LetterId(r.uuid("id")?),
        received_at: r.time("received_at")?,
        prisoner: r.text("prisoner_slug")?,
        source: parsed(r, "source")?,
        event: r.opt_text("event_slug")?,
        city: r.opt_text("writer_city")?,
        country: r.opt_text("writer_country")?,
        language: r.text("language")?,
        state: parsed(r, "state")?,
        sent_at: r.opt_time("sent_at")?,
        outcome_at: r.opt_time("outcome_at")?,
        personal,
    })
}

pub fn staff_notice_from(r: &impl RowAccess) -> StoreResult<StaffNotice> {
    Ok(StaffNotice {
        id: r.uuid("id")?,
        staff: StaffId(r.uuid("staff_id")?),
        email: r.text("email")?,
        kind: r.text("kind")?,
        attempts: r.int("attempts")?,
    })
}
