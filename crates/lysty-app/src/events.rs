//! Events: creating them, their kiosks, and paper letters counted there.

use chrono::{DateTime, Duration, Utc};
use lysty_domain::{PrisonerSlug, Role};
use lysty_store::{Event, EventId, NewEvent, NewTally, StoreError, TallyOutcome};

use crate::App;
use crate::staff::Actor;

/// The kinds of event the campaign holds.
pub const EVENT_KINDS: [&str; 7] = [
    "book_forum",
    "press_tour",
    "meeting",
    "school",
    "exhibition",
    "online",
    "abroad",
];

/// The largest tally one entry may record: more is a typo, not a book forum.
pub const MAX_TALLY: i64 = 10_000;

/// How long after an event ends its kiosk still takes letters (late writers, and
/// devices that come back online the next morning).
pub const KIOSK_GRACE: Duration = Duration::hours(48);

#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub kind: String,
    pub title_uk: String,
    pub title_en: String,
    pub city: String,
    pub country: String,
    pub venue: String,
    pub starts_at: String,
    pub ends_at: String,
    pub series: String,
}

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("not allowed")]
    Forbidden,
    #[error("no such event")]
    NotFound,
    #[error("invalid {0}")]
    Invalid(&'static str),
    #[error("no such prisoner")]
    UnknownPrisoner,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a kiosk link does not take letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KioskClosed {
    Unknown,
    Revoked,
    Ended,
}

fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            // What an HTML `datetime-local` field sends: "2024-05-30T10:00".
            chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
                .ok()
                .map(|t| t.and_utc())
        })
}

fn line(
    raw: &str,
    max: usize,
    what: &'static str,
    required: bool,
) -> Result<Option<String>, EventError> {
    match lysty_domain::text::optional_line(raw, max) {
        Ok(Some(v)) => Ok(Some(v)),
        Ok(None) if !required => Ok(None),
        _ => Err(EventError::Invalid(what)),
    }
}

impl App {
    fn may_run_events(actor: &Actor, org: Option<lysty_store::OrganisationId>) -> bool {
        actor.is_admin()
            || (actor.roles().has(Role::Coordinator) && org.is_none_or(|o| o == actor.org()))
    }

    pub async fn create_event(
        &self,
        actor: &Actor,
        input: &EventInput,
    ) -> Result<EventId, EventError> {
        if !Self::may_run_events(actor, None) {
            return Err(EventError::Forbidden);
        }
        let kind = input.kind.trim();
        if !EVENT_KINDS.contains(&kind) {
            return Err(EventError::Invalid("kind"));
        }
        let title_uk = line(&input.title_uk, 200, "title", true)?.unwrap_or_default();
        let title_en =
            line(&input.title_en, 200, "title", false)?.unwrap_or_else(|| title_uk.clone());
        let city = line(&input.city, 100, "city", true)?.unwrap_or_default();
        let country = line(&input.country, 100, "country", true)?.unwrap_or_default();
        let venue = line(&input.venue, 200, "venue", false)?;
        let series = line(&input.series, 100, "series", false)?;
        let starts_at = parse_time(&input.starts_at).ok_or(EventError::Invalid("start"))?;
        let ends_at = parse_time(&input.ends_at).ok_or(EventError::Invalid("end"))?;
        if ends_at < starts_at || ends_at - starts_at > Duration::days(60) {
            return Err(EventError::Invalid("end"));
        }
        let id = self
            .store()
            .upsert_event(&NewEvent {
                campaign: self.campaign().id,
                organisation: Some(actor.org()),
                slug: format!("event-{}", uuid::Uuid::now_v7().simple()),
                kind: kind.to_owned(),
                title: lysty_store::Localised {
                    uk: title_uk,
                    en: title_en,
                },
                city,
                country,
                venue,
                starts_at,
                ends_at,
                series,
                demo: false,
            })
            .await?;
        self.audit(
            Some(&actor.staff),
            "event_saved",
            Some(("event", id.to_string())),
            "",
        )
        .await?;
        Ok(id)
    }

    async fn managed_event(&self, actor: &Actor, id: EventId) -> Result<Event, EventError> {
        let event = self
            .store()
            .event_by_id(id)
            .await?
            .ok_or(EventError::NotFound)?;
        if !Self::may_run_events(actor, Some(event.organisation.unwrap_or(actor.org()))) {
            // Another organisation's event: as far as this actor knows, it is not there.
            return Err(EventError::NotFound);
        }
        Ok(event)
    }

    /// The event as its organisers see it (with the kiosk link).
    pub async fn event_for_staff(&self, actor: &Actor, id: EventId) -> Result<Event, EventError> {
        self.managed_event(actor, id).await
    }

    /// Opens (or reopens with a new link) the event's kiosk; returns the token.
    pub async fn open_kiosk(&self, actor: &Actor, id: EventId) -> Result<String, EventError> {
        self.managed_event(actor, id).await?;
        let token = lysty_auth::token::new_csrf_token();
        self.store().set_kiosk(id, Some(&token), None).await?;
        self.audit(
            Some(&actor.staff),
            "kiosk_opened",
            Some(("event", id.to_string())),
            "",
        )
        .await?;
        Ok(token)
    }

    /// For `lysty kiosk --event SLUG-OR-ID`: the operator opens a kiosk from the server.
    pub async fn open_kiosk_by_slug(&self, slug: &str) -> Result<(EventId, String), EventError> {
        let event = self
            .all_events()
            .await?
            .into_iter()
            .find(|e| e.slug == slug || e.id.to_string() == slug)
            .ok_or(EventError::NotFound)?;
        let token = lysty_auth::token::new_csrf_token();
        self.store().set_kiosk(event.id, Some(&token), None).await?;
        self.audit(
            None,
            "kiosk_opened",
            Some(("event", event.id.to_string())),
            "cli",
        )
        .await?;
        Ok((event.id, token))
    }

    pub async fn revoke_kiosk(&self, actor: &Actor, id: EventId) -> Result<(), EventError> {
        let event = self.managed_event(actor, id).await?;
        self.store()
            .set_kiosk(id, event.kiosk_token.as_deref(), Some(self.now()))
            .await?;
        self.audit(
            Some(&actor.staff),
            "kiosk_revoked",
            Some(("event", id.to_string())),
            "",
        )
        .await?;
        Ok(())
    }

    /// The event a kiosk link belongs to, if it still takes letters.
    pub async fn kiosk_event(&self, token: &str) -> Result<Result<Event, KioskClosed>, StoreError> {
        if token.len() < 20 || token.len() > 100 {
            return Ok(Err(KioskClosed::Unknown));
        }
        let Some(event) = self.store().event_by_kiosk_token(token).await? else {
            return Ok(Err(KioskClosed::Unknown));
        };
        if event.kiosk_revoked_at.is_some() {
            return Ok(Err(KioskClosed::Revoked));
        }
        if self.now() > event.ends_at + KIOSK_GRACE {
            return Ok(Err(KioskClosed::Ended));
        }
        Ok(Ok(event))
    }

    /// Records paper letters counted at an event, per prisoner or unassigned.
    pub async fn record_tally(
        &self,
        actor: &Actor,
        id: EventId,
        prisoner: &str,
        count: &str,
    ) -> Result<(), EventError> {
        self.managed_event(actor, id).await?;
        let count: i64 = count
            .trim()
            .parse()
            .map_err(|_| EventError::Invalid("count"))?;
        if !(1..=MAX_TALLY).contains(&count) {
            return Err(EventError::Invalid("count"));
        }
        let prisoner = match prisoner.trim() {
            "" => None,
            raw => Some(PrisonerSlug::parse(raw).map_err(|_| EventError::UnknownPrisoner)?),
        };
        let outcome = self
            .store()
            .record_tally(
                self.campaign().id,
                &NewTally {
                    event: id,
                    prisoner,
                    count,
                    actor: Some(actor.id()),
                    at: self.now(),
                },
            )
            .await?;
        match outcome {
            TallyOutcome::Recorded => {
                self.audit(
                    Some(&actor.staff),
                    "tally",
                    Some(("event", id.to_string())),
                    count.to_string(),
                )
                .await?;
                Ok(())
            }
            TallyOutcome::UnknownEvent => Err(EventError::NotFound),
            TallyOutcome::UnknownPrisoner => Err(EventError::UnknownPrisoner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_come_as_rfc3339_or_from_a_form() {
        assert!(parse_time("2024-05-30T10:00:00Z").is_some());
        assert!(parse_time("2024-05-30T10:00").is_some());
        assert!(parse_time("30.05.2024").is_none());
    }
}
