//! Counters and the figures of a period, the recount behind `lysty stats rebuild`, and history imports.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tracing::instrument;
use uuid::Uuid;

use crate::backend::{Backend, Row, Transaction, scalar, scalar_opt};
use crate::delivery::*;
use crate::rows::*;
use crate::sql;
use crate::*;

#[async_trait]
pub trait ReportStore: Send + Sync + 'static {
    /// Every counter of the campaign, as stored (never computed from letter rows).
    async fn counters(&self, campaign: CampaignId) -> StoreResult<Vec<Counter>>;
    /// The figures of the period [from, to): letters by the day they were written,
    /// tallies by their event's start, outcomes and replies by the day they were recorded.
    async fn period_figures(
        &self,
        campaign: CampaignId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<PeriodFigures>;
    /// For each letter sent in [from, to): seconds from its writing to its sending.
    async fn send_delays(
        &self,
        campaign: CampaignId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>>;
    /// Per published prisoner: letters received since `since` (tallies not included).
    async fn recent_letters(
        &self,
        campaign: CampaignId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<RecentLetters>>;
    /// Recomputes every counter of the campaign from the letters and tallies, with writers
    /// held off, and stores the result. Live counters are kept exact in each write, so
    /// `changed` is empty unless something went wrong.
    async fn rebuild_counters(&self, campaign: CampaignId) -> StoreResult<Recount>;
    /// Stores earlier years' events, tallies and letters in one transaction and recounts
    /// the counters in it; stores nothing when any row is refused. `progress` is called
    /// with the number of rows stored so far.
    async fn import_history(
        &self,
        campaign: CampaignId,
        history: &History,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> StoreResult<HistoryOutcome>;
}

#[async_trait]
impl<B: Backend> ReportStore for B {
    #[instrument(skip_all)]
    async fn counters(&self, campaign: CampaignId) -> StoreResult<Vec<Counter>> {
        let rows = self.read_all(sql::COUNTERS.into(), &[&campaign.0]).await?;
        rows.iter()
            .filter_map(|r| counter_from(r).transpose())
            .collect()
    }

    #[instrument(skip_all)]
    async fn period_figures(
        &self,
        campaign: CampaignId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<PeriodFigures> {
        let groups = self
            .read_all(
                "SELECT writer_city, writer_country, source, prisoner_id, COUNT(*) AS n
             FROM letters WHERE campaign_id = $1 AND received_at >= $2 AND received_at < $3
             GROUP BY writer_city, writer_country, source, prisoner_id"
                    .into(),
                &[&campaign.0, &from, &to],
            )
            .await?;
        let mut figures = PeriodFigures::default();
        for r in &groups {
            figures.letters.push(LetterGroup {
                city: r.opt_text("writer_city")?,
                country: r.opt_text("writer_country")?,
                source: r
                    .text("source")?
                    .parse()
                    .map_err(|_| StoreError::message("a stored letter source is unknown"))?,
                prisoner: PrisonerId(r.uuid("prisoner_id")?),
                letters: r.int("n")?,
            });
        }
        let tallies = self
            .read_all(
                "SELECT t.prisoner_id, t.remaining, e.city, e.country
             FROM tallies t JOIN events e ON e.id = t.event_id
             WHERE e.campaign_id = $1 AND e.starts_at >= $2 AND e.starts_at < $3"
                    .into(),
                &[&campaign.0, &from, &to],
            )
            .await?;
        for r in &tallies {
            figures.tallies.push(TallyFigure {
                prisoner: r.opt_uuid("prisoner_id")?.map(PrisonerId),
                letters: r.opt_int("remaining")?.unwrap_or(0),
                city: r.text("city")?,
                country: r.text("country")?,
            });
        }
        let outcomes = self
            .read_all(
                "SELECT tr.to_state, COUNT(*) AS n FROM letter_transitions tr
             JOIN letters l ON l.id = tr.letter_id
             WHERE l.campaign_id = $1 AND tr.at >= $2 AND tr.at < $3
               AND tr.to_state IN ('delivered', 'withheld', 'returned', 'undeliverable')
             GROUP BY tr.to_state"
                    .into(),
                &[&campaign.0, &from, &to],
            )
            .await?;
        for r in &outcomes {
            figures.outcomes.push((r.text("to_state")?, r.int("n")?));
        }
        figures.replies = scalar(
            self.read_one(
                "SELECT COUNT(*) FROM replies WHERE campaign_id = $1 AND received_at >= $2
               AND received_at < $3"
                    .into(),
                &[&campaign.0, &from, &to],
            )
            .await,
        )?;
        figures.send_delays = self.send_delays(campaign, from, to).await?;
        Ok(figures)
    }

    #[instrument(skip_all)]
    async fn send_delays(
        &self,
        campaign: CampaignId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>> {
        let sent = self
            .read_all(
                "SELECT l.received_at, tr.at FROM letter_transitions tr
             JOIN letters l ON l.id = tr.letter_id
             WHERE l.campaign_id = $1 AND tr.at >= $2 AND tr.at < $3 AND tr.to_state = 'sent'"
                    .into(),
                &[&campaign.0, &from, &to],
            )
            .await?;
        sent.iter()
            .map(|r| Ok((r.time("at")? - r.time("received_at")?).num_seconds()))
            .collect()
    }

    #[instrument(skip_all)]
    async fn recent_letters(
        &self,
        campaign: CampaignId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<RecentLetters>> {
        // Summed from the day counters: prisoners times days are read, however many
        // letters came in.
        let sums = self
            .read_all(
                sql::DAYS_PER_PRISONER.into(),
                &[&campaign.0, &CounterKey::days_from(since.date_naive())],
            )
            .await?;
        let mut letters: HashMap<Uuid, i64> = HashMap::new();
        for r in &sums {
            if let Ok(prisoner) = r.text("prisoner")?.parse::<Uuid>() {
                letters.insert(prisoner, r.int("letters")?);
            }
        }
        let prisoners = self
            .read_all(
                "SELECT id, CAST(birth_date AS TEXT) AS birth_date FROM prisoners
                 WHERE published = $1"
                    .into(),
                &[&true],
            )
            .await?;
        prisoners
            .iter()
            .map(|r| {
                let id = r.uuid("id")?;
                Ok(RecentLetters {
                    prisoner: PrisonerId(id),
                    letters: letters.get(&id).copied().unwrap_or(0),
                    birth_date: r
                        .opt_text("birth_date")?
                        .and_then(|d| ::chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                })
            })
            .collect()
    }

    #[instrument(skip_all)]
    async fn rebuild_counters(&self, campaign: CampaignId) -> StoreResult<Recount> {
        let mut tx = self.begin_write().await?;
        let recount = recount::<B>(tx.as_mut(), campaign).await?;
        tx.commit().await?;
        Ok(recount)
    }

    #[instrument(skip_all)]
    async fn import_history(
        &self,
        campaign: CampaignId,
        history: &History,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> StoreResult<HistoryOutcome> {
        let mut tx = self.begin_write().await?;
        let outcome = import_history(tx.as_mut(), campaign, history, progress).await?;
        if outcome.refused.is_empty() {
            recount::<B>(tx.as_mut(), campaign).await?;
            tx.commit().await?;
        }
        Ok(outcome)
    }
}

/// Recounts every counter of the campaign inside the caller's write transaction, with
/// writers held off.
async fn recount<B: Backend>(
    tx: &mut dyn Transaction,
    campaign: CampaignId,
) -> StoreResult<Recount> {
    use crate::lysty_domain::counter::{keys_for_approval, keys_for_new_letter, keys_for_tally};
    tx.execute(B::HOLD_WRITERS.into(), &[]).await?;
    let mut counted: HashMap<String, i64> = HashMap::new();
    let mut add = |key: CounterKey, by: i64| *counted.entry(key.to_string()).or_default() += by;
    {
        // Streamed: a campaign's letters need not fit in memory at once.
        let mut each = |r: &Row| -> StoreResult<()> {
            let prisoner = r.uuid("prisoner_id")?;
            let source: Source = r
                .text("source")?
                .parse()
                .map_err(|_| StoreError::message("a stored letter source is unknown"))?;
            let state: LetterState = r
                .text("state")?
                .parse()
                .map_err(|_| StoreError::message("a stored letter state is unknown"))?;
            add(CounterKey::State(state), 1);
            let (city, country) = if source == Source::Paper {
                (r.opt_text("event_city")?, r.opt_text("event_country")?)
            } else {
                (r.opt_text("writer_city")?, r.opt_text("writer_country")?)
            };
            if state.was_approved() {
                for key in keys_for_approval(city.as_deref(), country.as_deref()) {
                    add(key, 1);
                }
            }
            if r.opt_int("replaced")?.unwrap_or(0) > 0 {
                // Its tally counted it everywhere but in its source, its state and,
                // for an unassigned tally, its prisoner.
                add(CounterKey::Source(source), 1);
                add(CounterKey::day_of(prisoner, r.time("received_at")?), 1);
                if r.opt_int("tally_assigned")?.unwrap_or(0) == 0 {
                    add(CounterKey::Prisoner(prisoner), 1);
                }
                return Ok(());
            }
            for key in keys_for_new_letter(
                prisoner,
                r.time("received_at")?,
                source,
                r.opt_uuid("event_id")?,
                city.as_deref(),
                country.as_deref(),
            ) {
                if !matches!(key, CounterKey::State(_)) {
                    add(key, 1);
                }
            }
            Ok(())
        };
        tx.for_each_row(
            "SELECT l.prisoner_id, l.received_at, l.source, l.event_id, l.writer_city,
                l.writer_country, l.state, e.city AS event_city, e.country AS event_country,
                CASE WHEN l.replaced_tally IS NULL THEN 0 ELSE 1 END AS replaced,
                CASE WHEN t.prisoner_id IS NULL THEN 0 ELSE 1 END AS tally_assigned
             FROM letters l
             LEFT JOIN events e ON e.id = l.event_id
             LEFT JOIN tallies t ON t.id = l.replaced_tally
             WHERE l.campaign_id = $1"
                .into(),
            &[&campaign.0],
            &mut each,
        )
        .await?;
    }
    // This database's approved places are counted from now on (see `CounterKey::PlacesCounted`).
    add(CounterKey::PlacesCounted, 1);
    let tallies = tx
        .fetch_all(
            "SELECT t.event_id, t.prisoner_id, t.count, t.remaining, e.starts_at, e.city,
            e.country
         FROM tallies t JOIN events e ON e.id = t.event_id WHERE e.campaign_id = $1"
                .into(),
            &[&campaign.0],
        )
        .await?;
    for r in &tallies {
        let count = r.opt_int("count")?.unwrap_or(0);
        let remaining = r.opt_int("remaining")?.unwrap_or(0);
        for key in keys_for_tally(
            r.uuid("event_id")?,
            r.opt_uuid("prisoner_id")?,
            r.time("starts_at")?,
            &r.text("city")?,
            &r.text("country")?,
        ) {
            let by = if matches!(key, CounterKey::Tallied | CounterKey::EventTallied(_)) {
                remaining
            } else {
                count
            };
            add(key, by);
        }
    }
    let stored = tx
        .fetch_all(
            "SELECT key, value FROM counters WHERE campaign_id = $1".into(),
            &[&campaign.0],
        )
        .await?;
    // The marker is not a figure: its appearing is no change.
    let marker = CounterKey::PlacesCounted.to_string();
    let mut changed = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in &stored {
        let key = r.text("key")?;
        let value = r.int("value")?;
        let now = counted.get(&key).copied().unwrap_or(0);
        if now != value && key != marker {
            changed.push((key.clone(), value, now));
        }
        seen.insert(key);
    }
    for (key, value) in &counted {
        if !seen.contains(key) && *value != 0 && *key != marker {
            changed.push((key.clone(), 0, *value));
        }
    }
    changed.sort();
    tx.execute(
        "DELETE FROM counters WHERE campaign_id = $1".into(),
        &[&campaign.0],
    )
    .await?;
    let mut keys: Vec<_> = counted.into_iter().filter(|(_, v)| *v != 0).collect();
    keys.sort();
    for (key, value) in &keys {
        tx.execute(sql::BUMP_COUNTER.into(), &[&campaign.0, &key, &value])
            .await?;
    }
    Ok(Recount {
        counters: keys.len(),
        changed,
    })
}

async fn import_history(
    tx: &mut dyn Transaction,
    campaign: CampaignId,
    history: &History,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> StoreResult<HistoryOutcome> {
    let mut outcome = HistoryOutcome::default();
    let mut done = 0u64;
    let mut events: HashMap<String, Option<Uuid>> = HashMap::new();
    for e in &history.events {
        let id: Uuid = scalar(
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
        )?;
        events.insert(e.slug.clone(), Some(id));
        outcome.events += 1;
        done += 1;
        progress(done);
    }
    let mut prisoners: HashMap<String, Option<Uuid>> = HashMap::new();
    let mut tallied: std::collections::HashSet<(Uuid, Option<Uuid>)> = Default::default();
    for t in &history.tallies {
        let Some(event) = event_id(tx, campaign, &mut events, &t.event).await? else {
            outcome
                .refused
                .push((t.line, HistoryRefusal::UnknownEvent(t.event.clone())));
            continue;
        };
        let prisoner = match &t.prisoner {
            Some(slug) => match prisoner_id(tx, &mut prisoners, slug.as_str()).await? {
                Some(id) => Some(id),
                None => {
                    outcome.refused.push((
                        t.line,
                        HistoryRefusal::UnknownPrisoner(slug.as_str().to_owned()),
                    ));
                    continue;
                }
            },
            None => None,
        };
        if !tallied.insert((event, prisoner)) {
            outcome.refused.push((
                t.line,
                HistoryRefusal::TallyTwice {
                    event: t.event.clone(),
                },
            ));
            continue;
        }
        // A tally already stored with the same count is this row imported before; another
        // count is a conflict a person settles on the event's page.
        let stored: i64 = scalar(
            tx.fetch_one(
                "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM tallies WHERE event_id = $1
               AND (prisoner_id = $2 OR (prisoner_id IS NULL AND $3 = 0))"
                    .into(),
                &[&event, &prisoner, &i64::from(prisoner.is_some())],
            )
            .await,
        )?;
        if stored == t.count {
            outcome.already_imported += 1;
            continue;
        }
        if stored > 0 {
            outcome.refused.push((
                t.line,
                HistoryRefusal::TallyExists {
                    event: t.event.clone(),
                    stored,
                },
            ));
            continue;
        }
        let at: DateTime<Utc> = scalar(
            tx.fetch_one(
                "SELECT starts_at FROM events WHERE id = $1".into(),
                &[&event],
            )
            .await,
        )?;
        tx.execute(
            sql::INSERT_TALLY.into(),
            &[
                &Uuid::now_v7(),
                &event,
                &prisoner,
                &t.count,
                &Option::<Uuid>::None,
                &at,
            ],
        )
        .await?;
        outcome.tallies += 1;
        done += 1;
        progress(done);
    }
    for l in &history.letters {
        let Some(prisoner) = prisoner_id(tx, &mut prisoners, l.prisoner.as_str()).await? else {
            outcome.refused.push((
                l.line,
                HistoryRefusal::UnknownPrisoner(l.prisoner.as_str().to_owned()),
            ));
            continue;
        };
        let event = match &l.event {
            Some(slug) => match event_id(tx, campaign, &mut events, slug).await? {
                Some(id) => Some(id),
                None => {
                    outcome
                        .refused
                        .push((l.line, HistoryRefusal::UnknownEvent(slug.clone())));
                    continue;
                }
            },
            None => None,
        };
        if !outcome.refused.is_empty() {
            // Nothing will be stored: only look for more refusals.
            continue;
        }
        let earlier = l.earlier_keys.first().unwrap_or(&l.idempotency_key);
        let known = tx
            .fetch_optional(
                sql::imported_letter().into(),
                &[
                    &campaign.0,
                    &if l.id_from_file { l.id.0 } else { Uuid::nil() },
                    &l.idempotency_key.as_str(),
                    &earlier.as_str(),
                ],
            )
            .await?
            .map(|r| export_letter_from(&r, true))
            .transpose()?;
        if let Some(known) = known {
            if !differs(&known, l) {
                outcome.already_imported += 1;
            } else if !LetterState::IMPORTABLE.contains(&known.state) {
                outcome.refused.push((
                    l.line,
                    HistoryRefusal::LetterInProgress { state: known.state },
                ));
            } else {
                correct_letter(tx, known.id, l, prisoner, event).await?;
                outcome.updated += 1;
            }
            done += 1;
            progress(done);
            continue;
        }
        if !LetterState::IMPORTABLE.contains(&l.state) {
            outcome.refused.push((
                l.line,
                HistoryRefusal::StateNotImportable { state: l.state },
            ));
            continue;
        }
        if l.body.is_empty() && matches!(l.state, LetterState::Received | LetterState::Approved) {
            outcome.refused.push((l.line, HistoryRefusal::NoText));
            continue;
        }
        let inserted = tx
            .execute(
                sql::INSERT_LETTER.into(),
                &[
                    &l.id.0,
                    &campaign.0,
                    &l.tracking_code.as_str(),
                    &l.idempotency_key.as_str(),
                    &prisoner,
                    &l.source.as_str(),
                    &event,
                    &l.writer_name.as_ref().map(WriterName::as_str),
                    &l.writer_city.as_ref().map(Place::as_str),
                    &l.writer_country.as_ref().map(Place::as_str),
                    &l.writer_email_encrypted.as_deref(),
                    &l.language.unwrap_or(LetterLanguage::Uk).as_str(),
                    &l.body,
                    &l.state.as_str(),
                    &l.received_at,
                    &l.flags.json,
                    &l.flags.detected_language,
                    &l.fingerprint,
                ],
            )
            .await?;
        if inserted == 0 {
            // Stored under a key the lookup above missed: a row repeated within the file.
            outcome.already_imported += 1;
            continue;
        }
        for kind in &l.flags.kinds {
            tx.execute(sql::INSERT_FLAG_KIND.into(), &[&l.id.0, &kind])
                .await?;
        }
        insert_journey(tx, l.id.0, l).await?;
        outcome.letters += 1;
        done += 1;
        progress(done);
    }
    Ok(outcome)
}

/// The journey as far as it is known: written, sent, its outcome.
async fn insert_journey(
    tx: &mut dyn Transaction,
    letter: Uuid,
    l: &HistoricLetter,
) -> StoreResult<()> {
    let mut steps = vec![(None, LetterState::Received, l.received_at)];
    if let Some(at) = l.sent_at {
        steps.push((Some(LetterState::Received), LetterState::Sent, at));
    }
    if l.state != LetterState::Received && l.state != LetterState::Sent {
        let from = steps.last().map(|s| s.1);
        let at = l.outcome_at.or(l.sent_at).unwrap_or(l.received_at);
        steps.push((from, l.state, at));
    }
    for (from, to, at) in steps {
        tx.execute(
            sql::INSERT_TRANSITION.into(),
            &[&letter, &from.map(LetterState::as_str), &to.as_str(), &at],
        )
        .await?;
    }
    Ok(())
}

/// Whether an imported row says something the stored letter does not. What the row leaves
/// empty says nothing; times are compared to the second, as exports write them.
fn differs(stored: &ExportLetter, l: &HistoricLetter) -> bool {
    let second = |t: DateTime<Utc>| t.timestamp();
    let given = |row: Option<&str>, stored: Option<&str>| row.is_some_and(|r| Some(r) != stored);
    let time = |row: Option<DateTime<Utc>>, stored: Option<DateTime<Utc>>| {
        row.is_some_and(|r| Some(second(r)) != stored.map(second))
    };
    let personal = stored.personal.as_ref();
    second(stored.received_at) != second(l.received_at)
        || stored.prisoner != l.prisoner.as_str()
        || stored.source != l.source
        || stored.state != l.state
        || given(l.event.as_deref(), stored.event.as_deref())
        || given(
            l.writer_city.as_ref().map(Place::as_str),
            stored.city.as_deref(),
        )
        || given(
            l.writer_country.as_ref().map(Place::as_str),
            stored.country.as_deref(),
        )
        || given(
            l.language.map(LetterLanguage::as_str),
            Some(&stored.language),
        )
        || time(l.sent_at, stored.sent_at)
        || time(l.outcome_at, stored.outcome_at)
        || given(
            l.writer_name.as_ref().map(WriterName::as_str),
            personal.and_then(|p| p.writer_name.as_deref()),
        )
        || (!l.body.is_empty() && personal.is_some_and(|p| p.body != l.body))
        || (l.writer_email_encrypted.is_some()
            && personal.is_some_and(|p| p.writer_email_encrypted.is_none()))
}

/// Applies an imported row to the letter it names: the row's facts replace the stored ones,
/// the journey is rewritten from them, and a new text gets its flags.
async fn correct_letter(
    tx: &mut dyn Transaction,
    id: LetterId,
    l: &HistoricLetter,
    prisoner: Uuid,
    event: Option<Uuid>,
) -> StoreResult<()> {
    tx.execute(
        sql::CORRECT_IMPORTED_LETTER.into(),
        &[
            &id.0,
            &prisoner,
            &l.source.as_str(),
            &event,
            &l.writer_name.as_ref().map(WriterName::as_str),
            &l.writer_city.as_ref().map(Place::as_str),
            &l.writer_country.as_ref().map(Place::as_str),
            &l.writer_email_encrypted.as_deref(),
            &l.language.map(LetterLanguage::as_str),
            &l.state.as_str(),
            &l.received_at,
        ],
    )
    .await?;
    if !l.body.is_empty() {
        tx.execute(
            sql::CORRECT_IMPORTED_BODY.into(),
            &[
                &id.0,
                &l.body,
                &l.flags.json,
                &l.flags.detected_language,
                &l.fingerprint,
            ],
        )
        .await?;
        tx.execute(sql::DELETE_FLAG_KINDS.into(), &[&id.0]).await?;
        for kind in &l.flags.kinds {
            tx.execute(sql::INSERT_FLAG_KIND.into(), &[&id.0, &kind])
                .await?;
        }
    }
    tx.execute(sql::DELETE_TRANSITIONS.into(), &[&id.0]).await?;
    insert_journey(tx, id.0, l).await
}

async fn event_id(
    tx: &mut dyn Transaction,
    campaign: CampaignId,
    known: &mut HashMap<String, Option<Uuid>>,
    slug: &str,
) -> StoreResult<Option<Uuid>> {
    if let Some(id) = known.get(slug) {
        return Ok(*id);
    }
    let id: Option<Uuid> = scalar_opt(
        tx.fetch_optional(
            "SELECT id FROM events WHERE slug = $1 AND campaign_id = $2".into(),
            &[&slug, &campaign.0],
        )
        .await,
    )?;
    known.insert(slug.to_owned(), id);
    Ok(id)
}

async fn prisoner_id(
    tx: &mut dyn Transaction,
    known: &mut HashMap<String, Option<Uuid>>,
    slug: &str,
) -> StoreResult<Option<Uuid>> {
    if let Some(id) = known.get(slug) {
        return Ok(*id);
    }
    let id: Option<Uuid> = scalar_opt(
        tx.fetch_optional(sql::PRISONER_ID_BY_SLUG.into(), &[&slug])
            .await,
    )?;
    known.insert(slug.to_owned(), id);
    Ok(id)
}
