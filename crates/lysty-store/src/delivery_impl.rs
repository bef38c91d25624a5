//! `DeliveryStore` (facilities and placements, batches, outcomes, holds, the letter bank,
//! replies, the mail outbox, the figures of a period, the counters' recount and history
//! imports), written once over [`Backend`] in plain Rust. `Backend::LOCK_LETTERS` locks the
//! letter rows of a joined read (`FOR UPDATE OF l` on PostgreSQL; nothing on SQLite, whose
//! single writer under `BEGIN IMMEDIATE` already excludes every other writer), `LOCK` a
//! single table's rows.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::backend::{Backend, Row, Sql, Transaction, scalar, scalar_opt, scalars};
use crate::delivery::queries as dsql;
use crate::delivery::*;
use crate::sql;
use crate::*;

#[async_trait]
impl<B: Backend> DeliveryStore for B {
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
        let sent = self
            .read_all(
                "SELECT l.received_at, tr.at FROM letter_transitions tr
             JOIN letters l ON l.id = tr.letter_id
             WHERE l.campaign_id = $1 AND tr.at >= $2 AND tr.at < $3 AND tr.to_state = 'sent'"
                    .into(),
                &[&campaign.0, &from, &to],
            )
            .await?;
        for r in &sent {
            figures
                .send_delays
                .push((r.time("at")? - r.time("received_at")?).num_seconds());
        }
        Ok(figures)
    }

    async fn rebuild_counters(&self, campaign: CampaignId) -> StoreResult<Recount> {
        let mut tx = self.begin_write().await?;
        let recount = recount::<B>(tx.as_mut(), campaign).await?;
        tx.commit().await?;
        Ok(recount)
    }

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

    async fn recent_letters(
        &self,
        campaign: CampaignId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<RecentLetters>> {
        let rows = self
            .read_all(
                "SELECT p.id, CAST(p.birth_date AS TEXT) AS birth_date,
                (SELECT COUNT(*) FROM letters l
                 WHERE l.prisoner_id = p.id AND l.campaign_id = $1 AND l.received_at >= $2)
                AS letters
             FROM prisoners p WHERE p.published = $3"
                    .into(),
                &[&campaign.0, &since, &true],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(RecentLetters {
                    prisoner: PrisonerId(r.uuid("id")?),
                    letters: r.int("letters")?,
                    birth_date: r
                        .opt_text("birth_date")?
                        .and_then(|d| ::chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                })
            })
            .collect()
    }

    async fn list_facilities(&self) -> StoreResult<Vec<Facility>> {
        let rows = self
            .read_all(
                Sql::from(format!(
                    "{} ORDER BY f.name_ru, f.id",
                    dsql::FACILITY_COLUMNS
                )),
                &[],
            )
            .await?;
        rows.iter().map(facility_from).collect()
    }

    async fn facility_by_slug(&self, slug: &str) -> StoreResult<Option<Facility>> {
        let row = self
            .read_optional(
                Sql::from(format!("{} WHERE f.slug = $1", dsql::FACILITY_COLUMNS)),
                &[&slug],
            )
            .await?;
        row.map(|r| facility_from(&r)).transpose()
    }

    async fn facility_by_id(&self, id: FacilityId) -> StoreResult<Option<Facility>> {
        let row = self
            .read_optional(
                Sql::from(format!("{} WHERE f.id = $1", dsql::FACILITY_COLUMNS)),
                &[&id.0],
            )
            .await?;
        row.map(|r| facility_from(&r)).transpose()
    }

    async fn save_facility(
        &self,
        f: &NewFacility,
        rules: &FacilityRules,
    ) -> StoreResult<FacilityId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = scalar(
            tx.fetch_one(
                dsql::SAVE_FACILITY.into(),
                &[
                    &Uuid::now_v7(),
                    &f.slug,
                    &f.name_ru,
                    &f.name_en,
                    &f.region,
                    &f.address_ru,
                    &Utc::now(),
                    &f.max_letter_chars,
                    &lysty_domain::delivery::channels_to_string(&rules.channels),
                    &rules.language,
                    &rules.needs_birth_year,
                    &rules.needs_number,
                    &rules.electronic_max_chars,
                    &rules.electronic_parts,
                    &rules.notes,
                ],
            )
            .await,
        )?;
        tx.commit().await?;
        Ok(FacilityId(id))
    }

    async fn record_placement(&self, p: &NewPlacement) -> StoreResult<PlacementOutcome> {
        let mut tx = self.begin_write().await?;
        let Some(row) = tx
            .fetch_optional(
                Sql::from(format!(
                    "SELECT facility_id FROM prisoners WHERE id = $1{}",
                    Self::LOCK
                )),
                &[&p.prisoner.0],
            )
            .await?
        else {
            return Err(StoreError::NotFound);
        };
        let before: Option<Uuid> = row.opt_uuid("facility_id")?;
        let latest: Option<DateTime<Utc>> = scalar(
            tx.fetch_one(
                "SELECT MAX(since) FROM placements WHERE prisoner_id = $1".into(),
                &[&p.prisoner.0],
            )
            .await,
        )?;
        tx.execute(
            "INSERT INTO placements (id, prisoner_id, facility_id, since, note, created_by,
                created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                .into(),
            &[
                &Uuid::now_v7(),
                &p.prisoner.0,
                &p.facility.0,
                &p.since,
                &p.note,
                &p.actor.map(|a| a.0),
                &p.at,
            ],
        )
        .await?;
        let current = latest.is_none_or(|l| p.since >= l);
        let mut held = 0;
        if current {
            tx.execute(
                "UPDATE prisoners SET facility_id = $2, updated_at = $3 WHERE id = $1".into(),
                &[&p.prisoner.0, &p.facility.0, &p.at],
            )
            .await?;
            // A first placement moves nothing: letters waiting for a prisoner with no
            // facility were never headed anywhere.
            if before.is_some_and(|b| b != p.facility.0) {
                let by = HoldBy {
                    actor: p.actor,
                    org: p.actor_org,
                    at: p.at,
                };
                held =
                    hold_in_tx::<B>(tx.as_mut(), p.prisoner, HoldReason::Transferred, &by).await?;
            }
        }
        tx.commit().await?;
        Ok(PlacementOutcome { current, held })
    }

    async fn placements(&self, prisoner: PrisonerId) -> StoreResult<Vec<Placement>> {
        let rows = self
            .read_all(dsql::PLACEMENTS.into(), &[&prisoner.0])
            .await?;
        rows.iter().map(placement_from).collect()
    }

    async fn set_prisoner_status(
        &self,
        prisoner: PrisonerId,
        status: PrisonerStatus,
        by: &Doer,
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let changed = tx
            .execute(
                "UPDATE prisoners SET status = $2, updated_at = $3 WHERE id = $1".into(),
                &[&prisoner.0, &status.as_str(), &by.at],
            )
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        let mut held = 0;
        if let Some(reason) = HoldReason::for_status(status) {
            held = hold_in_tx::<B>(tx.as_mut(), prisoner, reason, &HoldBy::from(by)).await?;
        }
        tx.commit().await?;
        Ok(held)
    }

    async fn hold_letters(
        &self,
        prisoner: PrisonerId,
        reason: HoldReason,
        by: &Doer,
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let held = hold_in_tx::<B>(tx.as_mut(), prisoner, reason, &HoldBy::from(by)).await?;
        tx.commit().await?;
        Ok(held)
    }

    async fn held_letters(&self, campaign: CampaignId) -> StoreResult<Vec<DeliveryLetter>> {
        let rows = self
            .read_all(
                Sql::from(format!(
                    "{} WHERE l.campaign_id = $1 AND l.held_reason IS NOT NULL
             ORDER BY l.held_at, l.id LIMIT 1000",
                    dsql::LETTER_COLUMNS
                )),
                &[&campaign.0],
            )
            .await?;
        rows.iter().map(delivery_letter_from).collect()
    }

    async fn release_hold(&self, letter: LetterId) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let n = tx
            .execute(
                "UPDATE letters SET held_reason = NULL, held_at = NULL
             WHERE id = $1 AND held_reason IS NOT NULL"
                    .into(),
                &[&letter.0],
            )
            .await?;
        tx.commit().await?;
        Ok(n > 0)
    }

    async fn bank_letter(
        &self,
        letter: LetterId,
        note: &str,
        by: &Doer,
    ) -> StoreResult<Result<(), OutcomeProblem>> {
        let mut tx = self.begin_write().await?;
        let Some(l) = lock_letter::<B>(tx.as_mut(), letter).await? else {
            return Ok(Err(OutcomeProblem::NotFound));
        };
        if !matches!(l.state, LetterState::Approved | LetterState::Batched) {
            return Ok(Err(OutcomeProblem::WrongState(l.state)));
        }
        tx.execute(
            "UPDATE letters SET held_reason = NULL, held_at = NULL, batch_id = NULL WHERE id = $1"
                .into(),
            &[&letter.0],
        )
        .await?;
        shift(
            tx.as_mut(),
            &l,
            LetterState::Undeliverable,
            &HoldBy::from(by),
            Some(note),
        )
        .await?;
        bump(
            tx.as_mut(),
            l.campaign,
            l.state,
            LetterState::Undeliverable,
            1,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    async fn batch_candidates(&self, request: &BatchRequest) -> StoreResult<Vec<DeliveryLetter>> {
        let mut tx = self.begin_write().await?;
        let letters = candidates(tx.as_mut(), request, "").await?;
        drop(tx);
        Ok(letters)
    }

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

    async fn build_batch(&self, request: &BatchRequest, by: &Doer) -> StoreResult<BuildOutcome> {
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
                &by.actor.0,
                &by.org.0,
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
        tx.commit().await?;
        Ok(BuildOutcome::Built {
            id,
            letters: letters.len(),
        })
    }

    async fn batch(&self, id: BatchId) -> StoreResult<Option<Batch>> {
        let row = self
            .read_optional(
                Sql::from(format!("{} WHERE b.id = $1", dsql::BATCH_COLUMNS)),
                &[&id.0],
            )
            .await?;
        row.map(|r| batch_from(&r)).transpose()
    }

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

    async fn mark_batch_sent(
        &self,
        id: BatchId,
        sent_at: DateTime<Utc>,
        reference: &str,
        by: &Doer,
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
            &[&id.0, &sent_at, &reference, &by.actor.0],
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
        tx.commit().await?;
        Ok(SentOutcome::Done(ids.len() as u64))
    }

    async fn delivery_letter(&self, id: LetterId) -> StoreResult<Option<DeliveryLetter>> {
        let row = self
            .read_optional(
                Sql::from(format!("{} WHERE l.id = $1", dsql::LETTER_COLUMNS)),
                &[&id.0],
            )
            .await?;
        row.map(|r| delivery_letter_from(&r)).transpose()
    }

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

    async fn record_outcomes(
        &self,
        outcomes: &[NewOutcome],
        by: &Doer,
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
                    &by.actor.0,
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
        tx.commit().await?;
        Ok(Ok(()))
    }

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

    async fn evidence_scan(&self, id: Uuid) -> StoreResult<Option<StoredScan>> {
        scan(
            self,
            "SELECT content_type, bytes FROM letter_evidence WHERE id = $1",
            id,
        )
        .await
    }

    async fn letter_bank(&self, campaign: CampaignId) -> StoreResult<Vec<BankEntry>> {
        let rows = self
            .read_all(
                "SELECT p.id, p.slug, p.name_uk, p.name_en, p.name_crh, p.name_ru_full,
                COUNT(*) AS letters
             FROM letters l JOIN prisoners p ON p.id = l.prisoner_id
             WHERE l.campaign_id = $1 AND l.state = 'undeliverable'
             GROUP BY p.id, p.slug, p.name_uk, p.name_en, p.name_crh, p.name_ru_full
             ORDER BY p.name_uk, p.id"
                    .into(),
                &[&campaign.0],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(BankEntry {
                    prisoner: PrisonerId(r.uuid("id")?),
                    prisoner_slug: PrisonerSlug::parse(&r.text("slug")?)
                        .map_err(|_| StoreError::message("a stored prisoner slug is malformed"))?,
                    prisoner_names: PrisonerNames {
                        uk: r.text("name_uk")?,
                        en: r.text("name_en")?,
                        crh: r.opt_text("name_crh")?,
                        ru_full: r.opt_text("name_ru_full")?,
                    },
                    letters: r.int("letters")?,
                })
            })
            .collect()
    }

    async fn banked_letters(&self, prisoner: PrisonerId) -> StoreResult<Vec<DeliveryLetter>> {
        let rows = self
            .read_all(
                Sql::from(format!(
                    "{} WHERE l.prisoner_id = $1 AND l.state = 'undeliverable'
             ORDER BY l.received_at, l.id",
                    dsql::LETTER_COLUMNS
                )),
                &[&prisoner.0],
            )
            .await?;
        rows.iter().map(delivery_letter_from).collect()
    }

    async fn record_reply(&self, reply: &NewReply) -> StoreResult<ReplyOutcome> {
        let mut tx = self.begin_write().await?;
        let id = ReplyId::new();
        let (content_type, bytes) = match &reply.scan {
            Some((t, b)) => (Some(t.as_str()), Some(b.as_slice())),
            None => (None, None),
        };
        tx.execute(
            "INSERT INTO replies (id, campaign_id, prisoner_id, received_at, transcription,
                consent_publish, content_type, bytes, recorded_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                .into(),
            &[
                &id.0,
                &reply.campaign.0,
                &reply.prisoner.0,
                &reply.received_at,
                &reply.transcription,
                &reply.consent_publish,
                &content_type,
                &bytes,
                &reply.actor.0,
                &reply.at,
            ],
        )
        .await?;
        // Each delivered letter is linked to the first reply after it only, so that a
        // writer hears once per letter however many replies come.
        let letters = tx
            .fetch_all(
                "SELECT l.id, CASE WHEN l.writer_email_enc IS NULL THEN 0 ELSE 1 END AS has_email
             FROM letters l
             WHERE l.prisoner_id = $1 AND l.state = 'delivered'
               AND NOT EXISTS (SELECT 1 FROM reply_letters rl WHERE rl.letter_id = l.id)
             ORDER BY l.id"
                    .into(),
                &[&reply.prisoner.0],
            )
            .await?;
        let mut emails = 0;
        for row in &letters {
            let letter = row.uuid("id")?;
            tx.execute(
                "INSERT INTO reply_letters (reply_id, letter_id) VALUES ($1, $2)".into(),
                &[&id.0, &letter],
            )
            .await?;
            if row.opt_int("has_email")?.unwrap_or(0) > 0 {
                tx.execute(
                    "INSERT INTO outbox (id, kind, letter_id, reply_id, created_at,
                        next_attempt_at) VALUES ($1, 'reply', $2, $3, $4, $4)"
                        .into(),
                    &[&Uuid::now_v7(), &letter, &id.0, &reply.at],
                )
                .await?;
                emails += 1;
            }
        }
        tx.commit().await?;
        Ok(ReplyOutcome {
            id,
            linked: letters.len() as u64,
            emails,
        })
    }

    async fn replies(&self, prisoner: PrisonerId, published_only: bool) -> StoreResult<Vec<Reply>> {
        let rows = self
            .read_all(
                Sql::from(format!(
                    "{} WHERE r.prisoner_id = $1 AND (r.consent_publish OR NOT $2)
             ORDER BY r.received_at DESC, r.id DESC",
                    dsql::REPLY_COLUMNS
                )),
                &[&prisoner.0, &published_only],
            )
            .await?;
        rows.iter().map(reply_from).collect()
    }

    async fn reply_scan(&self, id: ReplyId) -> StoreResult<Option<StoredScan>> {
        scan(
            self,
            "SELECT content_type, bytes FROM replies WHERE id = $1",
            id.0,
        )
        .await
    }

    async fn reply_for_letter(&self, letter: LetterId) -> StoreResult<Option<DateTime<Utc>>> {
        scalar(
            self.read_one(
                "SELECT MIN(r.received_at) FROM replies r
             JOIN reply_letters rl ON rl.reply_id = r.id WHERE rl.letter_id = $1"
                    .into(),
                &[&letter.0],
            )
            .await,
        )
    }

    async fn pending_mail(&self, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<MailItem>> {
        let rows = self
            .read_all(dsql::PENDING_MAIL.into(), &[&now, &limit])
            .await?;
        rows.iter().map(mail_from).collect()
    }

    async fn mark_mail_sent(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        tx.execute(
            "UPDATE outbox SET sent_at = $2, attempts = attempts + 1 WHERE id = $1".into(),
            &[&id, &at],
        )
        .await?;
        tx.commit().await
    }

    async fn mark_mail_failed(
        &self,
        id: Uuid,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        tx.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3
             WHERE id = $1"
                .into(),
            &[&id, &error, &retry_at],
        )
        .await?;
        tx.commit().await
    }
}

/// Who did it; actor and organisation are absent for changes made from the command line.
struct HoldBy {
    actor: Option<StaffId>,
    org: Option<OrganisationId>,
    at: DateTime<Utc>,
}

impl From<&Doer> for HoldBy {
    fn from(d: &Doer) -> Self {
        HoldBy {
            actor: Some(d.actor),
            org: Some(d.org),
            at: d.at,
        }
    }
}

/// A letter row locked for a change.
struct Locked {
    id: LetterId,
    campaign: CampaignId,
    state: LetterState,
}

async fn lock_letter<B: Backend>(
    tx: &mut dyn Transaction,
    id: LetterId,
) -> StoreResult<Option<Locked>> {
    let row = tx
        .fetch_optional(
            Sql::from(format!(
                "SELECT campaign_id, state FROM letters WHERE id = $1{}",
                B::LOCK
            )),
            &[&id.0],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Locked {
        id,
        campaign: CampaignId(row.uuid("campaign_id")?),
        state: row
            .text("state")?
            .parse()
            .map_err(|_| StoreError::message("a stored letter state is unknown"))?,
    }))
}

/// Changes a letter's state and writes its transition row; the caller adjusts the state
/// counters once for all the letters it moved (`bump`).
async fn shift(
    tx: &mut dyn Transaction,
    letter: &Locked,
    to: LetterState,
    by: &HoldBy,
    note: Option<&str>,
) -> StoreResult<()> {
    tx.execute(
        "UPDATE letters SET state = $2, updated_at = $3 WHERE id = $1".into(),
        &[&letter.id.0, &to.as_str(), &by.at],
    )
    .await?;
    tx.execute(
        sql::INSERT_STEP_TRANSITION.into(),
        &[
            &letter.id.0,
            &letter.state.as_str(),
            &to.as_str(),
            &by.actor.map(|a| a.0),
            &by.org.map(|o| o.0),
            &note,
            &by.at,
        ],
    )
    .await?;
    Ok(())
}

/// Moves `n` letters from one state counter to another, in sorted key order as everywhere
/// else, so that writers take counter rows in one order.
async fn bump(
    tx: &mut dyn Transaction,
    campaign: CampaignId,
    from: LetterState,
    to: LetterState,
    n: i64,
) -> StoreResult<()> {
    if n == 0 || from == to {
        return Ok(());
    }
    let mut changes = vec![
        (CounterKey::State(from).to_string(), -n),
        (CounterKey::State(to).to_string(), n),
    ];
    changes.sort();
    for (key, by) in changes {
        tx.execute(sql::BUMP_COUNTER.into(), &[&campaign.0, &key, &by])
            .await?;
    }
    Ok(())
}

/// Holds a prisoner's letters not yet sent: those in a batch not yet sent come back to
/// approved, and every letter before sending carries the hold until a dispatcher
/// reroutes or banks it.
async fn hold_in_tx<B: Backend>(
    tx: &mut dyn Transaction,
    prisoner: PrisonerId,
    reason: HoldReason,
    by: &HoldBy,
) -> StoreResult<u64> {
    let rows = tx
        .fetch_all(
            Sql::from(format!(
                "SELECT l.id, l.campaign_id FROM letters l
         WHERE l.prisoner_id = $1 AND l.state = 'batched'
           AND l.batch_id IN (SELECT b.id FROM batches b WHERE b.sent_at IS NULL)
         ORDER BY l.id{}",
                B::LOCK
            )),
            &[&prisoner.0],
        )
        .await?;
    let note = format!("held: {}", reason.as_str());
    let mut per_campaign: HashMap<Uuid, i64> = HashMap::new();
    for row in &rows {
        let locked = Locked {
            id: LetterId(row.uuid("id")?),
            campaign: CampaignId(row.uuid("campaign_id")?),
            state: LetterState::Batched,
        };
        tx.execute(
            "UPDATE letters SET batch_id = NULL WHERE id = $1".into(),
            &[&locked.id.0],
        )
        .await?;
        shift(tx, &locked, LetterState::Approved, by, Some(&note)).await?;
        *per_campaign.entry(locked.campaign.0).or_default() += 1;
    }
    let mut per_campaign: Vec<_> = per_campaign.into_iter().collect();
    per_campaign.sort();
    for (campaign, n) in per_campaign {
        bump(
            tx,
            CampaignId(campaign),
            LetterState::Batched,
            LetterState::Approved,
            n,
        )
        .await?;
    }
    let held = tx
        .execute(
            "UPDATE letters SET held_reason = $2, held_at = $3
         WHERE prisoner_id = $1 AND held_reason IS NULL
           AND state IN ('received', 'in_review', 'needs_translation', 'approved')"
                .into(),
            &[&prisoner.0, &reason.as_str(), &by.at],
        )
        .await?;
    Ok(held)
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

/// Recounts every counter of the campaign inside the caller's write transaction, with
/// writers held off.
async fn recount<B: Backend>(
    tx: &mut dyn Transaction,
    campaign: CampaignId,
) -> StoreResult<Recount> {
    use crate::lysty_domain::counter::{keys_for_new_letter, keys_for_tally};
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
            if r.opt_int("replaced")?.unwrap_or(0) > 0 {
                // Its tally counted it everywhere but in its source, its state and,
                // for an unassigned tally, its prisoner.
                add(CounterKey::Source(source), 1);
                if r.opt_int("tally_assigned")?.unwrap_or(0) == 0 {
                    add(CounterKey::Prisoner(prisoner), 1);
                }
                return Ok(());
            }
            let (city, country) = if source == Source::Paper {
                (r.opt_text("event_city")?, r.opt_text("event_country")?)
            } else {
                (r.opt_text("writer_city")?, r.opt_text("writer_country")?)
            };
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
    let mut changed = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in &stored {
        let key = r.text("key")?;
        let value = r.int("value")?;
        let now = counted.get(&key).copied().unwrap_or(0);
        if now != value {
            changed.push((key.clone(), value, now));
        }
        seen.insert(key);
    }
    for (key, value) in &counted {
        if !seen.contains(key) && *value != 0 {
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
        let existing: i64 = scalar(
            tx.fetch_one(
                "SELECT COUNT(*) FROM tallies WHERE event_id = $1
               AND (prisoner_id = $2 OR (prisoner_id IS NULL AND $3 = 0))"
                    .into(),
                &[&event, &prisoner, &i64::from(prisoner.is_some())],
            )
            .await,
        )?;
        if existing > 0 || !tallied.insert((event, prisoner)) {
            outcome.refused.push((
                t.line,
                HistoryRefusal::TallyExists {
                    event: t.event.clone(),
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
                    &l.language.as_str(),
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
            outcome.already_imported += 1;
            continue;
        }
        for kind in &l.flags.kinds {
            tx.execute(sql::INSERT_FLAG_KIND.into(), &[&l.id.0, &kind])
                .await?;
        }
        // The journey as far as it is known: written, sent, its outcome.
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
                &[&l.id.0, &from.map(LetterState::as_str), &to.as_str(), &at],
            )
            .await?;
        }
        outcome.letters += 1;
        done += 1;
        progress(done);
    }
    Ok(outcome)
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

async fn scan<B: Backend + ?Sized>(
    store: &B,
    query: &'static str,
    id: Uuid,
) -> StoreResult<Option<StoredScan>> {
    let row = store.read_optional(query.into(), &[&id]).await?;
    let Some(row) = row else { return Ok(None) };
    match (row.opt_text("content_type")?, row.opt_bytes("bytes")?) {
        (Some(content_type), Some(bytes)) => Ok(Some(StoredScan {
            content_type,
            bytes,
        })),
        _ => Ok(None),
    }
}
