//! Batches and what happened to their letters: candidates with the weekly cap, building, sending, outcomes with evidence.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tracing::instrument;
use uuid::Uuid;

use crate::backend::{Backend, Sql, Transaction, scalar, scalars};
use crate::delivery::queries as dsql;
use crate::delivery::*;
use crate::rows::*;
use crate::staff::insert_audit;
use crate::steps::*;
use crate::*;

#[async_trait]
pub trait BatchStore: Send + Sync + 'static {
    /// Approved letters a batch would take now, in order, with the weekly cap applied.
    async fn batch_candidates(&self, request: &BatchRequest) -> StoreResult<Vec<DeliveryLetter>>;
    /// Approved letters of prisoners with no current facility.
    async fn unplaced_letters(&self, campaign: CampaignId) -> StoreResult<i64>;
    /// Takes the candidates into a new batch in one transaction: a letter goes into one
    /// batch only, however many dispatchers build at once.
    async fn build_batch(&self, request: &BatchRequest, by: &NewAudit)
    -> StoreResult<BuildOutcome>;
    async fn batch(&self, id: BatchId) -> StoreResult<Option<Batch>>;
    async fn batch_letters(&self, id: BatchId) -> StoreResult<Vec<DeliveryLetter>>;
    async fn list_batches(&self, campaign: CampaignId, limit: i64) -> StoreResult<Vec<Batch>>;
    async fn mark_batch_sent(
        &self,
        id: BatchId,
        sent_at: DateTime<Utc>,
        reference: &str,
        by: &NewAudit,
    ) -> StoreResult<SentOutcome>;
    async fn delivery_letter(&self, id: LetterId) -> StoreResult<Option<DeliveryLetter>>;
    /// Letters of the campaign in a state (for outcome forms and reports), oldest first.
    async fn letters_in_state(
        &self,
        campaign: CampaignId,
        state: LetterState,
        limit: i64,
    ) -> StoreResult<Vec<DeliveryLetter>>;
    /// Records outcomes all together: if any cannot be recorded, none is, and the index
    /// of the first that failed is returned with the reason.
    async fn record_outcomes(
        &self,
        outcomes: &[NewOutcome],
        by: &NewAudit,
    ) -> StoreResult<Result<(), (usize, OutcomeProblem)>>;
    async fn evidence(&self, letter: LetterId) -> StoreResult<Vec<Evidence>>;
    async fn evidence_scan(&self, id: Uuid) -> StoreResult<Option<StoredScan>>;
}

#[async_trait]
impl<B: Backend> BatchStore for B {
    #[instrument(skip_all)]
    async fn batch_candidates(&self, request: &BatchRequest) -> StoreResult<Vec<DeliveryLetter>> {
        let mut tx = self.begin_write().await?;
        let letters = candidates(tx.as_mut(), request, "").await?;
        drop(tx);
        Ok(letters)
    }

    #[instrument(skip_all)]
    async fn unplaced_letters(&self, campaign: CampaignId) -> StoreResult<i64> {
        scalar(
            self.read_one(
                "SELECT COUNT(*) FROM letters l JOIN prisoners p ON p.id = l.prisoner_id
             WHERE l.campaign_id = $1 AND l.state = 'approved' AND p.facility_id IS NULL"
                    .into(),
                &[&campaign.0],
            )
            .await,
        )
    }

    #[instrument(skip_all)]
    async fn build_batch(
        &self,
        request: &BatchRequest,
        by: &NewAudit,
    ) -> StoreResult<BuildOutcome> {
        let mut tx = self.begin_write().await?;
        let letters = candidates(tx.as_mut(), request, Self::LOCK_LETTERS).await?;
        if letters.is_empty() {
            drop(tx);
            return Ok(BuildOutcome::Empty);
        }
        let id = BatchId::new();
        tx.execute(
            "INSERT INTO batches (id, campaign_id, facility_id, channel, created_by,
                created_org, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                .into(),
            &[
                &id.0,
                &request.campaign.0,
                &request.facility.0,
                &request.channel.as_str(),
                &by.actor.map(|a| a.0),
                &by.actor_org.map(|o| o.0),
                &by.at,
            ],
        )
        .await?;
        let who = HoldBy::from(by);
        for l in &letters {
            let moved = tx
                .execute(
                    "UPDATE letters SET batch_id = $2 WHERE id = $1 AND state = 'approved'".into(),
                    &[&l.id.0, &id.0],
                )
                .await?;
            if moved != 1 {
                return Err(StoreError::Conflict(
                    "a letter changed while batching".into(),
                ));
            }
            let locked = Locked {
                id: l.id,
                campaign: request.campaign,
                state: l.state,
            };
            shift(tx.as_mut(), &locked, LetterState::Batched, &who, None).await?;
        }
        bump(
            tx.as_mut(),
            request.campaign,
            LetterState::Approved,
            LetterState::Batched,
            letters.len() as i64,
        )
        .await?;
        // The batch is the action's object, known only now.
        let found = [("count", letters.len().to_string())];
        let line = by.completed(Some(id.to_string()), &found);
        insert_audit(tx.as_mut(), &line).await?;
        tx.commit().await?;
        Ok(BuildOutcome::Built {
            id,
            letters: letters.len(),
        })
    }

    #[instrument(skip_all)]
    async fn batch(&self, id: BatchId) -> StoreResult<Option<Batch>> {
        let row = self
            .read_optional(
                Sql::from(format!("{} WHERE b.id = $1", dsql::BATCH_COLUMNS)),
                &[&id.0],
            )
            .await?;
        row.map(|r| batch_from(&r)).transpose()
    }

    #[instrument(skip_all)]
    async fn batch_letters(&self, id: BatchId) -> StoreResult<Vec<DeliveryLetter>> {
        let rows = self
            .read_all(
                Sql::from(format!(
                    "{} WHERE l.batch_id = $1 ORDER BY p.name_ru_full, p.slug, l.received_at, l.id",
                    dsql::LETTER_COLUMNS
                )),
                &[&id.0],
            )
            .await?;
        rows.iter().map(delivery_letter_from).collect()
    }

    #[instrument(skip_all)]
    async fn list_batches(&self, campaign: CampaignId, limit: i64) -> StoreResult<Vec<Batch>> {
        let rows = self
            .read_all(
                Sql::from(format!(
                    "{} WHERE b.campaign_id = $1 ORDER BY b.created_at DESC, b.id DESC LIMIT $2",
                    dsql::BATCH_COLUMNS
                )),
                &[&campaign.0, &limit],
            )
            .await?;
        rows.iter().map(batch_from).collect()
    }

    #[instrument(skip_all)]
    async fn mark_batch_sent(
        &self,
        id: BatchId,
        sent_at: DateTime<Utc>,
        reference: &str,
        by: &NewAudit,
    ) -> StoreResult<SentOutcome> {
        let mut tx = self.begin_write().await?;
        let Some(row) = tx
            .fetch_optional(
                Sql::from(format!(
                    "SELECT campaign_id, sent_at FROM batches WHERE id = $1{}",
                    Self::LOCK
                )),
                &[&id.0],
            )
            .await?
        else {
            return Ok(SentOutcome::NotFound);
        };
        if row.opt_time("sent_at")?.is_some() {
            return Ok(SentOutcome::AlreadySent);
        }
        let campaign = CampaignId(row.uuid("campaign_id")?);
        tx.execute(
            "UPDATE batches SET sent_at = $2, sent_reference = $3, sent_by = $4 WHERE id = $1"
                .into(),
            &[&id.0, &sent_at, &reference, &by.actor.map(|a| a.0)],
        )
        .await?;
        let ids: Vec<Uuid> = scalars(tx.fetch_all(Sql::from(format!(
            "SELECT id FROM letters WHERE batch_id = $1 AND state = 'batched' ORDER BY id{}",
            Self::LOCK
        )), &[&id.0]).await)
        ?;
        let who = HoldBy::from(by);
        for letter in &ids {
            let locked = Locked {
                id: LetterId(*letter),
                campaign,
                state: LetterState::Batched,
            };
            shift(
                tx.as_mut(),
                &locked,
                LetterState::Sent,
                &who,
                Some(reference),
            )
            .await?;
        }
        bump(
            tx.as_mut(),
            campaign,
            LetterState::Batched,
            LetterState::Sent,
            ids.len() as i64,
        )
        .await?;
        audit_action(tx.as_mut(), by, ids.len() as u64).await?;
        tx.commit().await?;
        Ok(SentOutcome::Done(ids.len() as u64))
    }

    #[instrument(skip_all)]
    async fn delivery_letter(&self, id: LetterId) -> StoreResult<Option<DeliveryLetter>> {
        let row = self
            .read_optional(
                Sql::from(format!("{} WHERE l.id = $1", dsql::LETTER_COLUMNS)),
                &[&id.0],
            )
            .await?;
        row.map(|r| delivery_letter_from(&r)).transpose()
    }

    #[instrument(skip_all)]
    async fn letters_in_state(
        &self,
        campaign: CampaignId,
        state: LetterState,
        limit: i64,
    ) -> StoreResult<Vec<DeliveryLetter>> {
        let rows = self.read_all(Sql::from(format!(
            "{} WHERE l.campaign_id = $1 AND l.state = $2 ORDER BY l.received_at, l.id LIMIT $3",
            dsql::LETTER_COLUMNS
        )), &[&campaign.0, &state.as_str(), &limit]).await
        ?;
        rows.iter().map(delivery_letter_from).collect()
    }

    #[instrument(skip_all)]
    async fn record_outcomes(
        &self,
        outcomes: &[NewOutcome],
        by: &NewAudit,
    ) -> StoreResult<Result<(), (usize, OutcomeProblem)>> {
        let mut tx = self.begin_write().await?;
        let who = HoldBy::from(by);
        let mut moves: HashMap<(Uuid, LetterState, LetterState), i64> = HashMap::new();
        for (i, o) in outcomes.iter().enumerate() {
            let Some(l) = lock_letter::<B>(tx.as_mut(), o.letter).await? else {
                return Ok(Err((i, OutcomeProblem::NotFound)));
            };
            let to = o.outcome.state();
            if l.state != LetterState::Sent || !l.state.can_become(to) {
                return Ok(Err((i, OutcomeProblem::WrongState(l.state))));
            }
            let (content_type, bytes) = match &o.scan {
                Some((t, b)) => (Some(t.as_str()), Some(b.as_slice())),
                None => (None, None),
            };
            tx.execute(
                "INSERT INTO letter_evidence (id, letter_id, outcome, note, content_type, bytes,
                    recorded_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    .into(),
                &[
                    &Uuid::now_v7(),
                    &o.letter.0,
                    &o.outcome.as_str(),
                    &o.note,
                    &content_type,
                    &bytes,
                    &by.actor.map(|a| a.0),
                    &by.at,
                ],
            )
            .await?;
            let note = (!o.note.is_empty()).then_some(o.note.as_str());
            shift(tx.as_mut(), &l, to, &who, note).await?;
            *moves.entry((l.campaign.0, l.state, to)).or_default() += 1;
        }
        let mut moves: Vec<_> = moves.into_iter().collect();
        moves.sort_by_key(|((c, f, t), _)| (*c, f.as_str(), t.as_str()));
        for ((campaign, from, to), n) in moves {
            bump(tx.as_mut(), CampaignId(campaign), from, to, n).await?;
        }
        audit_action(tx.as_mut(), by, outcomes.len() as u64).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    #[instrument(skip_all)]
    async fn evidence(&self, letter: LetterId) -> StoreResult<Vec<Evidence>> {
        let rows = self.read_all("SELECT id, outcome, note, at, CASE WHEN bytes IS NULL THEN 0 ELSE 1 END AS has_scan
             FROM letter_evidence WHERE letter_id = $1 ORDER BY at, id".into(), &[&letter.0]).await
        ?;
        rows.iter()
            .map(|r| {
                Ok(Evidence {
                    id: r.uuid("id")?,
                    outcome: r.text("outcome")?,
                    note: r.text("note")?,
                    has_scan: r.opt_int("has_scan")?.unwrap_or(0) > 0,
                    at: r.time("at")?,
                })
            })
            .collect()
    }

    #[instrument(skip_all)]
    async fn evidence_scan(&self, id: Uuid) -> StoreResult<Option<StoredScan>> {
        scan(
            self,
            "SELECT content_type, bytes FROM letter_evidence WHERE id = $1",
            id,
        )
        .await
    }
}

/// The letters a batch takes: approved, not held, for prisoners now at the facility,
/// oldest first, at most `per_prisoner_per_week` per prisoner counting the batches of
/// the last seven days.
async fn candidates(
    tx: &mut dyn Transaction,
    r: &BatchRequest,
    lock: &str,
) -> StoreResult<Vec<DeliveryLetter>> {
    let prisoner_filter = if r.prisoner.is_some() {
        " AND l.prisoner_id = $3"
    } else {
        " AND $3 IS NULL"
    };
    let rows = tx
        .fetch_all(
            Sql::from(format!(
                "{} WHERE l.campaign_id = $1 AND l.state = 'approved' AND l.held_reason IS NULL
           AND p.facility_id = $2{prisoner_filter}
         ORDER BY l.received_at, l.id{lock}",
                dsql::LETTER_COLUMNS
            )),
            &[&r.campaign.0, &r.facility.0, &r.prisoner.map(|p| p.0)],
        )
        .await?;
    let recent_rows = tx
        .fetch_all(
            "SELECT l.prisoner_id, COUNT(*) AS n FROM letters l JOIN batches b ON b.id = l.batch_id
         WHERE b.created_at >= $1
           AND l.prisoner_id IN (SELECT p.id FROM prisoners p WHERE p.facility_id = $2)
         GROUP BY l.prisoner_id"
                .into(),
            &[&(r.now - ::chrono::Duration::days(7)), &r.facility.0],
        )
        .await?;
    let mut taken: HashMap<Uuid, i64> = HashMap::new();
    for row in &recent_rows {
        taken.insert(row.uuid("prisoner_id")?, row.int("n")?);
    }
    let mut out = Vec::new();
    for row in &rows {
        if out.len() as i64 >= r.limit {
            break;
        }
        let letter = delivery_letter_from(row)?;
        let count = taken.entry(letter.prisoner.0).or_default();
        if *count < r.per_prisoner_per_week {
            *count += 1;
            out.push(letter);
        }
    }
    Ok(out)
}
