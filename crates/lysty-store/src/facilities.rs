//! Facilities and their rules, placements and status changes that hold letters, held letters and the letter bank.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tracing::instrument;
use uuid::Uuid;

use crate::backend::{Backend, Sql, scalar};
use crate::delivery::queries as dsql;
use crate::delivery::*;
use crate::rows::*;
use crate::staff::write_audit;
use crate::steps::*;
use crate::*;

#[async_trait]
pub trait FacilityStore: Send + Sync + 'static {
    async fn list_facilities(&self) -> StoreResult<Vec<Facility>>;
    async fn facility_by_slug(&self, slug: &str) -> StoreResult<Option<Facility>>;
    async fn facility_by_id(&self, id: FacilityId) -> StoreResult<Option<Facility>>;
    /// Creates or changes a facility and its rules, keyed by slug.
    /// With the audit line of the staff action that saved it, in the same transaction.
    async fn save_facility(
        &self,
        facility: &NewFacility,
        rules: &FacilityRules,
        audit: Option<&NewAudit>,
    ) -> StoreResult<FacilityId>;
    /// Adds a placement. When it is the latest, it becomes the prisoner's current facility,
    /// and if that facility changed, letters not yet sent are held (a batch not yet sent
    /// gives them back).
    async fn record_placement(&self, placement: &NewPlacement) -> StoreResult<PlacementOutcome>;
    async fn placements(&self, prisoner: PrisonerId) -> StoreResult<Vec<Placement>>;
    async fn set_prisoner_status(
        &self,
        prisoner: PrisonerId,
        status: PrisonerStatus,
        by: &NewAudit,
    ) -> StoreResult<u64>;
    /// Holds every letter of the prisoner not yet sent.
    async fn hold_letters(
        &self,
        prisoner: PrisonerId,
        reason: HoldReason,
        by: &NewAudit,
    ) -> StoreResult<u64>;
    async fn held_letters(&self, campaign: CampaignId) -> StoreResult<Vec<DeliveryLetter>>;
    /// Lets a held letter go into the next batch for the prisoner's current facility.
    /// False (and no audit line) when the letter is not held.
    async fn release_hold(&self, letter: LetterId, audit: &NewAudit) -> StoreResult<bool>;
    /// Puts a letter not yet sent into the letter bank (undeliverable).
    async fn bank_letter(
        &self,
        letter: LetterId,
        note: &str,
        by: &NewAudit,
    ) -> StoreResult<Result<(), OutcomeProblem>>;
    async fn letter_bank(&self, campaign: CampaignId) -> StoreResult<Vec<BankEntry>>;
    async fn banked_letters(&self, prisoner: PrisonerId) -> StoreResult<Vec<DeliveryLetter>>;
}

#[async_trait]
impl<B: Backend> FacilityStore for B {
    #[instrument(skip_all)]
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

    #[instrument(skip_all)]
    async fn facility_by_slug(&self, slug: &str) -> StoreResult<Option<Facility>> {
        let row = self
            .read_optional(
                Sql::from(format!("{} WHERE f.slug = $1", dsql::FACILITY_COLUMNS)),
                &[&slug],
            )
            .await?;
        row.map(|r| facility_from(&r)).transpose()
    }

    #[instrument(skip_all)]
    async fn facility_by_id(&self, id: FacilityId) -> StoreResult<Option<Facility>> {
        let row = self
            .read_optional(
                Sql::from(format!("{} WHERE f.id = $1", dsql::FACILITY_COLUMNS)),
                &[&id.0],
            )
            .await?;
        row.map(|r| facility_from(&r)).transpose()
    }

    #[instrument(skip_all)]
    async fn save_facility(
        &self,
        f: &NewFacility,
        rules: &FacilityRules,
        audit: Option<&NewAudit>,
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
                    &audit.map_or_else(Utc::now, |a| a.at),
                    &f.max_letter_chars,
                    &lysty_domain::delivery::channels_to_string(&rules.channels),
                    &rules.language,
                    &rules.needs_birth_year,
                    &rules.needs_number,
                    &rules.electronic_max_chars,
                    &rules.electronic_parts,
                    &rules.notes,
                    &rules.prints_original,
                ],
            )
            .await,
        )?;
        write_audit(tx.as_mut(), audit, None, &[]).await?;
        tx.commit().await?;
        Ok(FacilityId(id))
    }

    #[instrument(skip_all)]
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
        let found = [("held", held.to_string())];
        write_audit(tx.as_mut(), p.audit.as_ref(), None, &found).await?;
        tx.commit().await?;
        Ok(PlacementOutcome { current, held })
    }

    #[instrument(skip_all)]
    async fn placements(&self, prisoner: PrisonerId) -> StoreResult<Vec<Placement>> {
        let rows = self
            .read_all(dsql::PLACEMENTS.into(), &[&prisoner.0])
            .await?;
        rows.iter().map(placement_from).collect()
    }

    #[instrument(skip_all)]
    async fn set_prisoner_status(
        &self,
        prisoner: PrisonerId,
        status: PrisonerStatus,
        by: &NewAudit,
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
        audit_action(tx.as_mut(), by, held).await?;
        tx.commit().await?;
        Ok(held)
    }

    #[instrument(skip_all)]
    async fn hold_letters(
        &self,
        prisoner: PrisonerId,
        reason: HoldReason,
        by: &NewAudit,
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let held = hold_in_tx::<B>(tx.as_mut(), prisoner, reason, &HoldBy::from(by)).await?;
        audit_action(tx.as_mut(), by, held).await?;
        tx.commit().await?;
        Ok(held)
    }

    #[instrument(skip_all)]
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

    #[instrument(skip_all)]
    async fn release_hold(&self, letter: LetterId, audit: &NewAudit) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let n = tx
            .execute(
                "UPDATE letters SET held_reason = NULL, held_at = NULL
             WHERE id = $1 AND held_reason IS NOT NULL"
                    .into(),
                &[&letter.0],
            )
            .await?;
        if n == 0 {
            return Ok(false);
        }
        crate::staff::insert_audit(tx.as_mut(), audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    #[instrument(skip_all)]
    async fn bank_letter(
        &self,
        letter: LetterId,
        note: &str,
        by: &NewAudit,
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
        audit_action(tx.as_mut(), by, 1).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    #[instrument(skip_all)]
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

    #[instrument(skip_all)]
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
}
