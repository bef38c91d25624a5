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

fn slug_from(r: &impl RowAccess) -> StoreResult<PrisonerSlug> {
    PrisonerSlug::parse(&r.text("slug")?)
        .map_err(|_| StoreError::message("a stored prisoner slug is malformed"))
}

fn names_from(r: &impl RowAccess) -> StoreResult<PrisonerNames> {
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
        }),
        None => None,
    };
    Ok(Prisoner {
        id: PrisonerId(r.uuid("id")?),
        slug: slug_from(r)?,
        names: names_from(r)?,
        birth_year: r.opt_int("birth_year")?.and_then(|y| i32::try_from(y).ok()),
        status: parsed(r, "status")?,
        story: Localised {
            uk: r.text("story_uk")?,
            en: r.text("story_en")?,
        },
        guidance: Localised {
            uk: r.text("guidance_uk")?,
            en: r.text("guidance_en")?,
        },
        facility,
        published: r.boolean("published")?,
        letters,
    })
}

/// A row from `sql::LIST_PRISONERS`; `letters` is filled in from the counters.
pub fn prisoner_summary_from(r: &impl RowAccess) -> StoreResult<PrisonerSummary> {
    Ok(PrisonerSummary {
        id: PrisonerId(r.uuid("id")?),
        slug: slug_from(r)?,
        names: names_from(r)?,
        status: parsed(r, "status")?,
        letters: 0,
    })
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
        },
        city: r.text("city")?,
        country: r.text("country")?,
        venue: r.opt_text("venue")?,
        starts_at: r.time("starts_at")?,
        ends_at: r.time("ends_at")?,
        series: r.opt_text("series")?,
        demo: r.boolean("demo")?,
        letters: 0,
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

/// A row from `sql::TRACKED_LETTER`; the journey is read separately.
pub fn tracked_from(r: &impl RowAccess) -> StoreResult<TrackedLetter> {
    Ok(TrackedLetter {
        id: LetterId(r.uuid("id")?),
        state: parsed(r, "state")?,
        prisoner_slug: slug_from(r)?,
        prisoner_names: names_from(r)?,
        received_at: r.time("received_at")?,
        journey: Vec::new(),
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
