//! Counters and the figures of a period, the recount behind `lysty stats rebuild`, and history
//! imports (their rows in `history.rs`), recounted in the import's transaction.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tracing::instrument;
use uuid::Uuid;

use crate::backend::{Backend, Row, Transaction, scalar};
use crate::delivery::*;
use crate::history::import_history;
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
