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

/// How long after an event ends its kiosk still takes letters when the operator sets
/// nothing (late writers, and devices that come back online the next morning).
pub const DEFAULT_KIOSK_GRACE: Duration = Duration::hours(48);

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
    /// The link was replaced by a new one; only letters written before that still arrive.
    Replaced,
}

/// A time typed by staff: RFC 3339, or what an HTML `datetime-local` field sends
/// ("2024-05-30T10:00"), read in the campaign's time zone.
fn parse_time(raw: &str, zone: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    let raw = raw.trim();
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            let local = chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M").ok()?;
            // In the hour the clocks go back a time happens twice: the first is meant.
            zone.from_local_datetime(&local)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
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
        let slug = format!("event-{}", uuid::Uuid::now_v7().simple());
        self.save_event(actor, slug, actor.org(), input).await
    }

    /// Changes an event's details; its kiosk and its numbers stay.
    pub async fn update_event(
        &self,
        actor: &Actor,
        id: EventId,
        input: &EventInput,
    ) -> Result<EventId, EventError> {
        let event = self.managed_event(actor, id).await?;
        let org = event.organisation.unwrap_or(actor.org());
        self.save_event(actor, event.slug, org, input).await
    }

    async fn save_event(
        &self,
        actor: &Actor,
        slug: String,
        organisation: lysty_store::OrganisationId,
        input: &EventInput,
    ) -> Result<EventId, EventError> {
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
        let zone = self.config().time_zone;
        let starts_at = parse_time(&input.starts_at, zone).ok_or(EventError::Invalid("start"))?;
        let ends_at = parse_time(&input.ends_at, zone).ok_or(EventError::Invalid("end"))?;
        if ends_at < starts_at || ends_at - starts_at > Duration::days(60) {
            return Err(EventError::Invalid("end"));
        }
        let audit = self.audit_line(
            Some(&actor.staff),
            "event_saved",
            Some(("event", String::new())),
            "",
        );
        let id = self
            .store()
            .upsert_event(
                &NewEvent {
                    campaign: self.campaign().id,
                    organisation: Some(organisation),
                    slug,
                    kind: kind.to_owned(),
                    title: lysty_store::Localised {
                        uk: title_uk,
                        en: title_en,
                        crh: String::new(),
                    },
                    city,
                    country,
                    venue,
                    starts_at,
                    ends_at,
                    series,
                    demo: false,
                },
                Some(&audit),
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

    /// Opens the event's kiosk and returns its link's token: the link it has when it is open
    /// (opening again never strands a tablet), a new one otherwise.
    pub async fn open_kiosk(&self, actor: &Actor, id: EventId) -> Result<String, EventError> {
        let event = self.managed_event(actor, id).await?;
        self.open_kiosk_of(&event, Some(actor)).await
    }

    async fn open_kiosk_of(
        &self,
        event: &Event,
        actor: Option<&Actor>,
    ) -> Result<String, EventError> {
        if let (Some(token), None) = (&event.kiosk_token, event.kiosk_revoked_at) {
            return Ok(token.clone());
        }
        let token = lysty_auth::token::new_csrf_token();
        let audit = self.audit_line(
            actor.map(|a| &a.staff),
            "kiosk_opened",
            Some(("event", event.id.to_string())),
            if actor.is_some() { "" } else { "cli" },
        );
        self.store()
            .set_kiosk(event.id, Some(&token), None, &audit)
            .await?;
        Ok(token)
    }

    /// Gives the kiosk a new link (a link that leaked, a tablet lost). Tablets with the old
    /// link must open the new one; letters they wrote before now still arrive until the
    /// event's grace period ends.
    pub async fn replace_kiosk(&self, actor: &Actor, id: EventId) -> Result<String, EventError> {
        self.managed_event(actor, id).await?;
        self.replace_kiosk_of(id, Some(actor)).await
    }

    async fn replace_kiosk_of(
        &self,
        id: EventId,
        actor: Option<&Actor>,
    ) -> Result<String, EventError> {
        let token = lysty_auth::token::new_csrf_token();
        let audit = self.audit_line(
            actor.map(|a| &a.staff),
            "kiosk_replaced",
            Some(("event", id.to_string())),
            if actor.is_some() { "" } else { "cli" },
        );
        self.store().replace_kiosk(id, &token, &audit).await?;
        Ok(token)
    }

    /// For `lysty kiosk --event SLUG-OR-ID [--replace]`: the operator opens a kiosk (or
    /// gives it a new link) from the server.
    pub async fn open_kiosk_by_slug(
        &self,
        slug: &str,
        replace: bool,
    ) -> Result<(EventId, String), EventError> {
        let event = self
            .all_events()
            .await?
            .into_iter()
            .find(|e| e.slug == slug || e.id.to_string() == slug)
            .ok_or(EventError::NotFound)?;
        let token = if replace {
            self.replace_kiosk_of(event.id, None).await?
        } else {
            self.open_kiosk_of(&event, None).await?
        };
        Ok((event.id, token))
    }

    pub async fn revoke_kiosk(&self, actor: &Actor, id: EventId) -> Result<(), EventError> {
        let event = self.managed_event(actor, id).await?;
        let audit = self.audit_line(
            Some(&actor.staff),
            "kiosk_revoked",
            Some(("event", id.to_string())),
            "",
        );
        self.store()
            .set_kiosk(id, event.kiosk_token.as_deref(), Some(self.now()), &audit)
            .await?;
        Ok(())
    }

    /// The event a kiosk link belongs to, if it still takes letters.
    pub async fn kiosk_event(&self, token: &str) -> Result<Result<Event, KioskClosed>, StoreError> {
        self.kiosk_event_for(token, None).await
    }

    /// The event a letter from a kiosk link is counted at, if the link takes it: an open
    /// link takes any letter; a replaced one only letters the tablet wrote (`written_at`, its
    /// own clock) before the link was replaced, until the event's grace period ends.
    pub async fn kiosk_event_for(
        &self,
        token: &str,
        written_at: Option<DateTime<Utc>>,
    ) -> Result<Result<Event, KioskClosed>, StoreError> {
        if token.len() < 20 || token.len() > 100 {
            return Ok(Err(KioskClosed::Unknown));
        }
        let event = match self.store().event_by_kiosk_token(token).await? {
            Some(event) => event,
            None => {
                let Some((event, replaced_at)) =
                    self.store().event_by_replaced_kiosk_token(token).await?
                else {
                    return Ok(Err(KioskClosed::Unknown));
                };
                if written_at.is_none_or(|w| w > replaced_at) {
                    return Ok(Err(KioskClosed::Replaced));
                }
                event
            }
        };
        if event.kiosk_revoked_at.is_some() {
            return Ok(Err(KioskClosed::Revoked));
        }
        if self.now() > event.ends_at + self.config().kiosk_grace {
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
                    audit: Some(self.audit_line(
                        Some(&actor.staff),
                        "tally",
                        Some(("event", id.to_string())),
                        count.to_string(),
                    )),
                },
            )
            .await?;
        match outcome {
            TallyOutcome::Recorded => Ok(()),
            TallyOutcome::UnknownEvent => Err(EventError::NotFound),
            TallyOutcome::UnknownPrisoner => Err(EventError::UnknownPrisoner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_come_as_rfc3339_or_from_a_form_in_the_campaigns_time_zone() {
        let kyiv = chrono_tz::Europe::Kyiv;
        let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            parse_time("2024-05-30T10:00:00Z", kyiv),
            Some(utc("2024-05-30T10:00:00Z"))
        );
        // Summer in Kyiv is three hours ahead of UTC, winter two.
        assert_eq!(
            parse_time("2024-05-30T10:00", kyiv),
            Some(utc("2024-05-30T07:00:00Z"))
        );
        assert_eq!(
            parse_time("2024-12-05T10:00", kyiv),
            Some(utc("2024-12-05T08:00:00Z"))
        );
        assert_eq!(
            parse_time("2024-12-05T10:00", chrono_tz::UTC),
            Some(utc("2024-12-05T10:00:00Z"))
        );
        // The hour that happens twice in October: the first one.
        assert_eq!(
            parse_time("2024-10-27T03:30", kyiv),
            Some(utc("2024-10-27T00:30:00Z"))
        );
        assert!(parse_time("30.05.2024", kyiv).is_none());
    }
}

/// Limits on the pages of one paper letter.
pub const MAX_PAGES: usize = 20;
pub const MAX_PAGE_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PaperError {
    #[error("not allowed")]
    Forbidden,
    #[error("no such event")]
    NotFound,
    #[error("no such prisoner")]
    UnknownPrisoner,
    #[error("a page or a transcription is needed")]
    Empty,
    #[error("too many pages")]
    TooManyPages,
    #[error("a page is too large")]
    TooLarge,
    #[error("a page is not a JPEG, PNG or PDF")]
    UnsupportedType,
    #[error("a page is damaged")]
    Corrupt,
    /// A PDF that could run code, start a program or carry other files when opened.
    #[error("a PDF page can act when opened")]
    ActivePdf,
    #[error("the transcription is invalid")]
    InvalidTranscription,
    #[error("storage failure: {0}")]
    Store(String),
}

impl From<StoreError> for PaperError {
    fn from(e: StoreError) -> Self {
        PaperError::Store(e.to_string())
    }
}

impl App {
    /// Enters a paper letter written at an event: photos or scans of its pages, and a
    /// transcription if one is typed now. It then goes through review like any letter.
    pub async fn enter_paper_letter(
        &self,
        actor: &Actor,
        event: EventId,
        prisoner: &str,
        transcription: &str,
        pages: Vec<Vec<u8>>,
    ) -> Result<lysty_store::TrackingCode, PaperError> {
        self.managed_event(actor, event)
            .await
            .map_err(|e| match e {
                EventError::Store(s) => PaperError::from(s),
                EventError::Forbidden => PaperError::Forbidden,
                _ => PaperError::NotFound,
            })?;
        let prisoner = PrisonerSlug::parse(prisoner).map_err(|_| PaperError::UnknownPrisoner)?;
        let transcription = match transcription.trim() {
            "" => None,
            text => Some(
                lysty_domain::LetterBody::parse(text, self.config().max_letter_chars)
                    .map_err(|_| PaperError::InvalidTranscription)?,
            ),
        };
        if pages.is_empty() && transcription.is_none() {
            return Err(PaperError::Empty);
        }
        if pages.len() > MAX_PAGES {
            return Err(PaperError::TooManyPages);
        }
        let mut uploads = Vec::with_capacity(pages.len());
        for bytes in pages {
            let page = crate::scans::safe_page(&bytes)?;
            uploads.push(lysty_store::PageUpload {
                content_type: page.content_type.to_owned(),
                bytes: page.bytes,
            });
        }
        let text = transcription.as_ref().map_or("", |t| t.as_str());
        let fingerprint = lysty_domain::safety::fingerprint(text);
        let flags = if text.is_empty() {
            lysty_store::FlagsUpdate {
                json: "[]".into(),
                kinds: Vec::new(),
                detected_language: None,
            }
        } else {
            let recipient = self.recipient(prisoner.as_str()).await?;
            self.flags_with(text, recipient.as_ref(), 0, None)
        };
        let code = lysty_domain::TrackingCode::generate();
        let outcome = self
            .store()
            .enter_paper_letter(&lysty_store::NewPaperLetter {
                id: lysty_domain::LetterId::new(),
                campaign: self.campaign().id,
                tracking_code: code.clone(),
                prisoner,
                event,
                transcription,
                pages: uploads,
                received_at: self.now(),
                flags,
                fingerprint,
                audit: Some(self.audit_line(
                    Some(&actor.staff),
                    "paper_letter_entered",
                    Some(("event", event.to_string())),
                    "{tally}",
                )),
            })
            .await?;
        match outcome {
            lysty_store::PaperOutcome::Entered { .. } => Ok(code),
            lysty_store::PaperOutcome::UnknownPrisoner => Err(PaperError::UnknownPrisoner),
            lysty_store::PaperOutcome::UnknownEvent => Err(PaperError::NotFound),
        }
    }

    /// One page of a paper letter, for staff who review or organise.
    pub async fn letter_page(
        &self,
        actor: &Actor,
        id: lysty_store::LetterId,
        position: i64,
    ) -> Result<Option<lysty_store::StoredPage>, PaperError> {
        if !actor.is(&[Role::Moderator, Role::Translator, Role::Coordinator]) {
            return Err(PaperError::Forbidden);
        }
        let Some(letter) = self.store().review_letter(id).await? else {
            return Ok(None);
        };
        if !self.may_see_scans(actor, letter.event).await? {
            return Err(PaperError::Forbidden);
        }
        Ok(self.store().letter_page(id, position).await?)
    }

    /// A scan shows a writer's hand (and often a name): only the organisation that ran the
    /// event sees it, and admins. An event with no organisation (history imports) is the
    /// admins' only until one is set.
    pub(crate) async fn may_see_scans(
        &self,
        actor: &Actor,
        event: Option<EventId>,
    ) -> Result<bool, StoreError> {
        if actor.is_admin() {
            return Ok(true);
        }
        let Some(event) = event else {
            return Ok(true);
        };
        let organisation = self
            .store()
            .event_by_id(event)
            .await?
            .and_then(|e| e.organisation);
        Ok(organisation == Some(actor.org()))
    }
}
