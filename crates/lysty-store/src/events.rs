//! Events, their kiosks and tallies, and paper letters with their pages.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tracing::instrument;
use uuid::Uuid;

use crate::backend::{Backend, Sql, Transaction, scalar, scalar_opt};
use crate::lysty_domain::counter::keys_for_new_letter;
use crate::rows::*;
use crate::sql;
use crate::staff::{insert_audit, write_audit};
use crate::steps::*;
use crate::*;

#[async_trait]
pub trait EventStore: Send + Sync + 'static {
    /// With the audit line of the staff action that saved it (the store names a new event
    /// where the line's object is empty), in the same transaction.
    async fn upsert_event(
        &self,
        event: &NewEvent,
        audit: Option<&NewAudit>,
    ) -> StoreResult<EventId>;
    async fn event_by_id(&self, id: EventId) -> StoreResult<Option<Event>>;
    /// Events by start time, newest first, before `before` (keyset pagination).
    async fn list_events(
        &self,
        campaign: CampaignId,
        before: Option<(chrono::DateTime<chrono::Utc>, EventId)>,
        limit: u32,
    ) -> StoreResult<Vec<Event>>;
    /// Sets (or with `None`, clears) the event's kiosk token; `revoked_at` closes it.
    async fn set_kiosk(
        &self,
        event: EventId,
        token: Option<&str>,
        revoked_at: Option<DateTime<Utc>>,
        audit: &NewAudit,
    ) -> StoreResult<()>;
    async fn event_by_kiosk_token(&self, token: &str) -> StoreResult<Option<Event>>;
    /// Gives the event's kiosk a new link. The link it had (when open) is kept as replaced at
    /// the audit line's time, so that letters a tablet wrote before then can still arrive.
    async fn replace_kiosk(&self, event: EventId, token: &str, audit: &NewAudit)
    -> StoreResult<()>;
    /// The event of a replaced kiosk link, and when it was replaced.
    async fn event_by_replaced_kiosk_token(
        &self,
        token: &str,
    ) -> StoreResult<Option<(Event, DateTime<Utc>)>>;
    /// The events of a series, by start time.
    async fn events_in_series(&self, campaign: CampaignId, series: &str)
    -> StoreResult<Vec<Event>>;
    /// Counts paper letters at an event: in every total, marked as tallied; the tally's audit
    /// line is written only when it is recorded.
    async fn record_tally(
        &self,
        campaign: CampaignId,
        tally: &NewTally,
    ) -> StoreResult<TallyOutcome>;
    /// Enters a paper letter with its pages in one transaction. It replaces one tallied
    /// letter of the same event (for the same prisoner, or else an unassigned one) when
    /// there is one, so that nothing is counted twice. `{tally}` in the audit line's detail
    /// says whether it did.
    async fn enter_paper_letter(&self, letter: &NewPaperLetter) -> StoreResult<PaperOutcome>;
    /// How many pages a letter has.
    async fn count_pages(&self, id: LetterId) -> StoreResult<i64>;
    /// One page (from 1) of a letter.
    async fn letter_page(&self, id: LetterId, position: i64) -> StoreResult<Option<StoredPage>>;
}

#[async_trait]
impl<B: Backend> EventStore for B {
    #[instrument(skip_all)]
    async fn upsert_event(&self, e: &NewEvent, audit: Option<&NewAudit>) -> StoreResult<EventId> {
        let mut tx = self.begin_write().await?;
        let id = upsert_event_in(tx.as_mut(), e).await?;
        write_audit(tx.as_mut(), audit, Some(id.to_string()), &[]).await?;
        tx.commit().await?;
        Ok(EventId(id))
    }

    #[instrument(skip_all)]
    async fn event_by_id(&self, id: EventId) -> StoreResult<Option<Event>> {
        let row = self
            .read_optional(Sql::from(sql::event_by_id()), &[&id.0])
            .await?;
        let Some(row) = row else { return Ok(None) };
        let mut events = vec![event_from(&row)?];
        let campaign = row.uuid("campaign_id")?;
        count_events(self, CampaignId(campaign), &mut events).await?;
        Ok(events.pop())
    }

    #[instrument(skip_all)]
    async fn list_events(
        &self,
        campaign: CampaignId,
        before: Option<(DateTime<Utc>, EventId)>,
        limit: u32,
    ) -> StoreResult<Vec<Event>> {
        let rows = match before {
            Some((at, id)) => {
                self.read_all(
                    Sql::from(sql::list_events_before()),
                    &[&campaign.0, &at, &id.0, &i64::from(limit)],
                )
                .await
            }
            None => {
                self.read_all(
                    Sql::from(sql::list_events()),
                    &[&campaign.0, &i64::from(limit)],
                )
                .await
            }
        }?;
        let mut events = rows
            .iter()
            .map(event_from)
            .collect::<StoreResult<Vec<_>>>()?;
        count_events(self, campaign, &mut events).await?;
        Ok(events)
    }

    #[instrument(skip_all)]
    async fn set_kiosk(
        &self,
        event: EventId,
        token: Option<&str>,
        revoked_at: Option<DateTime<Utc>>,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = tx
            .execute(sql::SET_KIOSK.into(), &[&event.0, &token, &revoked_at])
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(tx.as_mut(), audit).await?;
        tx.commit().await
    }

    #[instrument(skip_all)]
    async fn replace_kiosk(
        &self,
        event: EventId,
        token: &str,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        tx.execute(sql::KEEP_REPLACED_KIOSK.into(), &[&event.0, &audit.at])
            .await?;
        let done = tx
            .execute(
                sql::SET_KIOSK.into(),
                &[&event.0, &token, &Option::<DateTime<Utc>>::None],
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(tx.as_mut(), audit).await?;
        tx.commit().await
    }

    #[instrument(skip_all)]
    async fn event_by_replaced_kiosk_token(
        &self,
        token: &str,
    ) -> StoreResult<Option<(Event, DateTime<Utc>)>> {
        let row = self
            .read_optional(Sql::from(sql::REPLACED_KIOSK), &[&token])
            .await?;
        let Some(row) = row else { return Ok(None) };
        let (event, replaced_at) = (EventId(row.uuid("event_id")?), row.time("replaced_at")?);
        Ok(self
            .event_by_id(event)
            .await?
            .map(|event| (event, replaced_at)))
    }

    #[instrument(skip_all)]
    async fn event_by_kiosk_token(&self, token: &str) -> StoreResult<Option<Event>> {
        let row = self
            .read_optional(Sql::from(sql::event_by_kiosk_token()), &[&token])
            .await?;
        let Some(row) = row else { return Ok(None) };
        let campaign = row.uuid("campaign_id")?;
        let mut events = vec![event_from(&row)?];
        count_events(self, CampaignId(campaign), &mut events).await?;
        Ok(events.pop())
    }

    #[instrument(skip_all)]
    async fn events_in_series(
        &self,
        campaign: CampaignId,
        series: &str,
    ) -> StoreResult<Vec<Event>> {
        let rows = self
            .read_all(Sql::from(sql::events_in_series()), &[&campaign.0, &series])
            .await?;
        let mut events = rows
            .iter()
            .map(event_from)
            .collect::<StoreResult<Vec<_>>>()?;
        count_events(self, campaign, &mut events).await?;
        Ok(events)
    }

    #[instrument(skip_all)]
    async fn record_tally(
        &self,
        campaign: CampaignId,
        tally: &NewTally,
    ) -> StoreResult<TallyOutcome> {
        let mut tx = self.begin_write().await?;
        let Some(row) = tx
            .fetch_optional(Sql::from(sql::event_by_id()), &[&tally.event.0])
            .await?
        else {
            return Ok(TallyOutcome::UnknownEvent);
        };
        let event = event_from(&row)?;
        let prisoner: Option<Uuid> = match &tally.prisoner {
            Some(slug) => match scalar_opt(
                tx.fetch_optional(sql::PRISONER_ID_BY_SLUG.into(), &[&slug.as_str()])
                    .await,
            )? {
                Some(id) => Some(id),
                None => return Ok(TallyOutcome::UnknownPrisoner),
            },
            None => None,
        };
        tx.execute(
            sql::INSERT_TALLY.into(),
            &[
                &Uuid::now_v7(),
                &tally.event.0,
                &prisoner,
                &tally.count,
                &tally.actor.map(|a| a.0),
                &tally.at,
            ],
        )
        .await?;
        let mut keys: Vec<String> = crate::lysty_domain::counter::keys_for_tally(
            event.id.0,
            prisoner,
            event.starts_at,
            &event.city,
            &event.country,
        )
        .iter()
        .map(ToString::to_string)
        .collect();
        keys.sort();
        for key in keys {
            tx.execute(sql::BUMP_COUNTER.into(), &[&campaign.0, &key, &tally.count])
                .await?;
        }
        write_audit(tx.as_mut(), tally.audit.as_ref(), None, &[]).await?;
        tx.commit().await?;
        Ok(TallyOutcome::Recorded)
    }

    #[instrument(skip_all)]
    async fn enter_paper_letter(&self, letter: &NewPaperLetter) -> StoreResult<PaperOutcome> {
        let mut tx = self.begin_write().await?;
        let Some(row) = tx
            .fetch_optional(Sql::from(sql::event_by_id()), &[&letter.event.0])
            .await?
        else {
            return Ok(PaperOutcome::UnknownEvent);
        };
        let event = event_from(&row)?;
        let Some(prisoner) = tx
            .fetch_optional(
                sql::PRISONER_FOR_LETTER.into(),
                &[&letter.prisoner.as_str()],
            )
            .await?
        else {
            return Ok(PaperOutcome::UnknownPrisoner);
        };
        let (prisoner_id, _) = prisoner_for_letter(&prisoner)?;
        tx.execute(
            sql::INSERT_LETTER.into(),
            &[
                &letter.id.0,
                &letter.campaign.0,
                &letter.tracking_code.as_str(),
                &Option::<&str>::None,
                &prisoner_id,
                &Source::Paper.as_str(),
                &letter.event.0,
                &Option::<&str>::None,
                &event.city,
                &event.country,
                &Option::<&[u8]>::None,
                &LetterLanguage::Und.as_str(),
                &letter.transcription.as_ref().map_or("", LetterBody::as_str),
                &LetterState::Received.as_str(),
                &letter.received_at,
                &letter.flags.json,
                &letter.flags.detected_language,
                &letter.fingerprint,
            ],
        )
        .await?;
        for kind in &letter.flags.kinds {
            tx.execute(sql::INSERT_FLAG_KIND.into(), &[&letter.id.0, &kind])
                .await?;
        }
        for (i, page) in letter.pages.iter().enumerate() {
            tx.execute(
                sql::INSERT_PAGE.into(),
                &[
                    &letter.id.0,
                    &i64::try_from(i + 1).unwrap_or(i64::MAX),
                    &page.content_type,
                    &page.bytes.as_slice(),
                ],
            )
            .await?;
        }
        tx.execute(
            sql::INSERT_TRANSITION.into(),
            &[
                &letter.id.0,
                &Option::<&str>::None,
                &LetterState::Received.as_str(),
                &letter.received_at,
            ],
        )
        .await?;
        // The tally this letter replaces: one for the same prisoner, or else an unassigned one.
        let mut replaced: Option<(Uuid, bool)> = None;
        for (candidate, assigned) in [(Some(prisoner_id), true), (None, false)] {
            let found: Option<Uuid> = scalar_opt(
                tx.fetch_optional(
                    Sql::from(format!("{}{}", sql::TALLY_TO_REPLACE, Self::LOCK)),
                    &[&letter.event.0, &candidate],
                )
                .await,
            )?;
            if let Some(id) = found {
                replaced = Some((id, assigned));
                break;
            }
        }
        let mut changes: Vec<(String, i64)> = vec![
            (CounterKey::Source(Source::Paper).to_string(), 1),
            (CounterKey::State(LetterState::Received).to_string(), 1),
        ];
        match replaced {
            Some((tally, assigned)) => {
                tx.execute(sql::TAKE_FROM_TALLY.into(), &[&tally]).await?;
                // Kept so that a recount knows this letter was counted by its tally.
                tx.execute(
                    "UPDATE letters SET replaced_tally = $2 WHERE id = $1".into(),
                    &[&letter.id.0, &tally],
                )
                .await?;
                changes.push((CounterKey::Tallied.to_string(), -1));
                changes.push((CounterKey::EventTallied(event.id.0).to_string(), -1));
                // The tally never counted the day it was written on.
                changes.push((
                    CounterKey::day_of(prisoner_id, letter.received_at).to_string(),
                    1,
                ));
                if !assigned {
                    changes.push((CounterKey::Prisoner(prisoner_id).to_string(), 1));
                }
            }
            None => {
                for key in keys_for_new_letter(
                    prisoner_id,
                    letter.received_at,
                    Source::Paper,
                    Some(event.id.0),
                    Some(&event.city),
                    Some(&event.country),
                ) {
                    if !matches!(key, CounterKey::Source(_) | CounterKey::State(_)) {
                        changes.push((key.to_string(), 1));
                    }
                }
            }
        }
        changes.sort();
        for (key, by) in changes {
            tx.execute(sql::BUMP_COUNTER.into(), &[&letter.campaign.0, &key, &by])
                .await?;
        }
        let tally = match replaced {
            Some(_) => "replaced a tallied letter",
            None => "",
        };
        let found = [("tally", tally.to_owned())];
        write_audit(tx.as_mut(), letter.audit.as_ref(), None, &found).await?;
        tx.commit().await?;
        Ok(PaperOutcome::Entered {
            replaced_tally: replaced.is_some(),
        })
    }

    #[instrument(skip_all)]
    async fn count_pages(&self, id: LetterId) -> StoreResult<i64> {
        scalar(self.read_one(sql::COUNT_PAGES.into(), &[&id.0]).await)
    }

    #[instrument(skip_all)]
    async fn letter_page(&self, id: LetterId, position: i64) -> StoreResult<Option<StoredPage>> {
        let row = self
            .read_optional(sql::LETTER_PAGE.into(), &[&id.0, &position])
            .await?;
        match row {
            Some(r) => Ok(Some(StoredPage {
                content_type: r.text("content_type")?,
                bytes: r.opt_bytes("bytes")?.unwrap_or_default(),
            })),
            None => Ok(None),
        }
    }
}

async fn count_events<B: Backend + ?Sized>(
    store: &B,
    campaign: CampaignId,
    events: &mut [Event],
) -> StoreResult<()> {
    let tallied_keys: Vec<String> = events
        .iter()
        .map(|e| CounterKey::EventTallied(e.id.0).to_string())
        .collect();
    let tallied = counter_values(store, campaign, &tallied_keys).await?;
    for (event, key) in events.iter_mut().zip(&tallied_keys) {
        event.tallied = tallied.get(key).copied().unwrap_or(0);
    }
    let keys: Vec<String> = events
        .iter()
        .map(|e| CounterKey::Event(e.id.0).to_string())
        .collect();
    let values = counter_values(store, campaign, &keys).await?;
    for (event, key) in events.iter_mut().zip(&keys) {
        event.letters = values.get(key).copied().unwrap_or(0);
    }
    Ok(())
}

/// An event inserted, or updated by its slug, in the caller's transaction; its id.
pub(crate) async fn upsert_event_in(tx: &mut dyn Transaction, e: &NewEvent) -> StoreResult<Uuid> {
    scalar(
        tx.fetch_one(
            sql::UPSERT_EVENT.into(),
            &[
                &Uuid::now_v7(),
                &e.campaign.0,
                &e.organisation.map(|o| o.0),
                &e.slug,
                &e.kind,
                &e.title.uk,
                &e.title.en,
                &e.city,
                &e.country,
                &e.venue,
                &e.starts_at,
                &e.ends_at,
                &e.series,
                &e.demo,
            ],
        )
        .await,
    )
}
