//! The registry: the campaign, organisations, facilities by name, and prisoners.

use async_trait::async_trait;
use chrono::Utc;
use tracing::instrument;
use uuid::Uuid;

use crate::backend::{Backend, Row, scalar, scalar_opt};
use crate::rows::*;
use crate::sql;
use crate::staff::insert_audit;
use crate::steps::*;
use crate::*;

#[async_trait]
pub trait RegistryStore: Send + Sync + 'static {
    /// Creates the campaign or updates its name; returns its id.
    async fn upsert_campaign(&self, campaign: &NewCampaign) -> StoreResult<CampaignId>;
    async fn campaign_by_slug(&self, slug: &str) -> StoreResult<Option<Campaign>>;
    /// With the audit line of the staff action that saved it (its object left empty: the store
    /// names the organisation), in the same transaction.
    async fn upsert_organisation(
        &self,
        org: &NewOrganisation,
        audit: Option<&NewAudit>,
    ) -> StoreResult<OrganisationId>;
    async fn list_organisations(&self) -> StoreResult<Vec<Organisation>>;
    async fn upsert_facility(&self, facility: &NewFacility) -> StoreResult<FacilityId>;
    /// Creates or updates prisoners by slug, all in one transaction: all or nothing.
    async fn upsert_prisoners(&self, prisoners: &[NewPrisoner]) -> StoreResult<Vec<PrisonerId>>;
    /// Any prisoner, published or not, with the letters counted for them in `campaign`.
    async fn prisoner_by_slug(
        &self,
        campaign: CampaignId,
        slug: &str,
    ) -> StoreResult<Option<Prisoner>>;
    /// Published prisoners ordered by slug, after `after` (keyset pagination), with the
    /// number of letters counted for each.
    async fn list_prisoners(
        &self,
        campaign: CampaignId,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<PrisonerSummary>>;
    /// Every prisoner, published or not, by name, with the letters counted for each.
    async fn all_prisoners(&self, campaign: CampaignId) -> StoreResult<Vec<PrisonerSummary>>;
    /// Adds a prisoner (without a facility or case terms) and writes the audit line in the
    /// same transaction; false when the slug is taken (and nothing is written).
    async fn create_prisoner(&self, prisoner: &NewPrisoner, audit: &NewAudit) -> StoreResult<bool>;
    /// Saves a prisoner's names, status, gender, birth year, texts and publication, and the
    /// audit line, in one transaction; the facility and case terms stay. False when there is
    /// no such prisoner.
    async fn update_prisoner(&self, prisoner: &NewPrisoner, audit: &NewAudit) -> StoreResult<bool>;
    /// Every prisoner's names, published or not, ordered by slug.
    async fn prisoner_names(&self) -> StoreResult<Vec<PrisonerNamesRow>>;
    /// Replaces a prisoner's case terms and writes the audit line in the same transaction;
    /// false when there is no such prisoner (and nothing is written).
    async fn set_case_terms(
        &self,
        slug: &str,
        terms: &[String],
        audit: &NewAudit,
    ) -> StoreResult<bool>;
}

#[async_trait]
impl<B: Backend> RegistryStore for B {
    #[instrument(skip_all)]
    async fn upsert_campaign(&self, c: &NewCampaign) -> StoreResult<CampaignId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = scalar(
            tx.fetch_one(
                sql::UPSERT_CAMPAIGN.into(),
                &[
                    &Uuid::now_v7(),
                    &c.slug,
                    &c.name_uk,
                    &c.name_en,
                    &Utc::now(),
                ],
            )
            .await,
        )?;
        tx.commit().await?;
        Ok(CampaignId(id))
    }

    #[instrument(skip_all)]
    async fn campaign_by_slug(&self, slug: &str) -> StoreResult<Option<Campaign>> {
        let row = self
            .read_optional(sql::CAMPAIGN_BY_SLUG.into(), &[&slug])
            .await?;
        row.map(|r| campaign_from(&r)).transpose()
    }

    #[instrument(skip_all)]
    async fn upsert_organisation(
        &self,
        o: &NewOrganisation,
        audit: Option<&NewAudit>,
    ) -> StoreResult<OrganisationId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = scalar(
            tx.fetch_one(
                sql::UPSERT_ORGANISATION.into(),
                &[
                    &Uuid::now_v7(),
                    &o.slug,
                    &o.name_uk,
                    &o.name_en,
                    &audit.map_or_else(Utc::now, |a| a.at),
                ],
            )
            .await,
        )?;
        crate::staff::write_audit(tx.as_mut(), audit, Some(id.to_string()), &[]).await?;
        tx.commit().await?;
        Ok(OrganisationId(id))
    }

    #[instrument(skip_all)]
    async fn list_organisations(&self) -> StoreResult<Vec<Organisation>> {
        let rows = self.read_all(sql::LIST_ORGANISATIONS.into(), &[]).await?;
        rows.iter().map(organisation_from).collect()
    }

    #[instrument(skip_all)]
    async fn upsert_facility(&self, f: &NewFacility) -> StoreResult<FacilityId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = scalar(
            tx.fetch_one(
                sql::UPSERT_FACILITY.into(),
                &[
                    &Uuid::now_v7(),
                    &f.slug,
                    &f.name_ru,
                    &f.name_en,
                    &f.region,
                    &f.address_ru,
                    &Utc::now(),
                    &f.max_letter_chars,
                ],
            )
            .await,
        )?;
        tx.commit().await?;
        Ok(FacilityId(id))
    }

    #[instrument(skip_all)]
    async fn upsert_prisoners(&self, prisoners: &[NewPrisoner]) -> StoreResult<Vec<PrisonerId>> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(prisoners.len());
        let now = Utc::now();
        for p in prisoners {
            let facility: Option<Uuid> = match &p.facility {
                Some(slug) => Some(
                    scalar_opt(
                        tx.fetch_optional(sql::FACILITY_ID_BY_SLUG.into(), &[&slug])
                            .await,
                    )?
                    .ok_or_else(|| StoreError::Conflict(format!("unknown facility {slug}")))?,
                ),
                None => None,
            };
            let id: Uuid = scalar(
                tx.fetch_one(
                    sql::UPSERT_PRISONER.into(),
                    &[
                        &Uuid::now_v7(),
                        &p.slug.as_str(),
                        &p.names.uk,
                        &p.names.en,
                        &p.names.crh,
                        &p.names.ru_full,
                        &p.birth_year,
                        &p.birth_date,
                        &p.status.as_str(),
                        &p.story.uk,
                        &p.story.en,
                        &p.guidance.uk,
                        &p.guidance.en,
                        &facility,
                        &p.published,
                        &now,
                        &p.story.crh,
                        &p.guidance.crh,
                        &p.gender.as_str(),
                    ],
                )
                .await,
            )?;
            ids.push(PrisonerId(id));
        }
        tx.commit().await?;
        Ok(ids)
    }

    #[instrument(skip_all)]
    async fn prisoner_by_slug(
        &self,
        campaign: CampaignId,
        slug: &str,
    ) -> StoreResult<Option<Prisoner>> {
        let Some(row) = self
            .read_optional(sql::PRISONER_BY_SLUG.into(), &[&slug])
            .await?
        else {
            return Ok(None);
        };
        let id = row.uuid("id")?;
        let key = CounterKey::Prisoner(id).to_string();
        let letters = counter_values(self, campaign, std::slice::from_ref(&key)).await?;
        prisoner_from(&row, letters.get(&key).copied().unwrap_or(0)).map(Some)
    }

    #[instrument(skip_all)]
    async fn list_prisoners(
        &self,
        campaign: CampaignId,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<PrisonerSummary>> {
        let rows = self
            .read_all(
                sql::LIST_PRISONERS.into(),
                &[&after.unwrap_or(""), &i64::from(limit)],
            )
            .await?;
        summaries_with_letters(self, campaign, &rows).await
    }

    #[instrument(skip_all)]
    async fn all_prisoners(&self, campaign: CampaignId) -> StoreResult<Vec<PrisonerSummary>> {
        let rows = self.read_all(sql::ALL_PRISONERS.into(), &[]).await?;
        summaries_with_letters(self, campaign, &rows).await
    }

    #[instrument(skip_all)]
    async fn create_prisoner(&self, p: &NewPrisoner, audit: &NewAudit) -> StoreResult<bool> {
        save_prisoner_page(self, sql::CREATE_PRISONER, p, audit, Some(Uuid::now_v7())).await
    }

    #[instrument(skip_all)]
    async fn update_prisoner(&self, p: &NewPrisoner, audit: &NewAudit) -> StoreResult<bool> {
        save_prisoner_page(self, sql::UPDATE_PRISONER, p, audit, None).await
    }

    #[instrument(skip_all)]
    async fn prisoner_names(&self) -> StoreResult<Vec<PrisonerNamesRow>> {
        let rows = self.read_all(sql::PRISONER_NAMES.into(), &[]).await?;
        rows.iter().map(prisoner_names_from).collect()
    }

    #[instrument(skip_all)]
    async fn set_case_terms(
        &self,
        slug: &str,
        terms: &[String],
        audit: &NewAudit,
    ) -> StoreResult<bool> {
        let joined = terms.join("\n");
        let mut tx = self.begin_write().await?;
        let changed = tx
            .execute(sql::SET_CASE_TERMS.into(), &[&slug, &joined, &audit.at])
            .await?;
        if changed == 0 {
            return Ok(false);
        }
        insert_audit(tx.as_mut(), audit).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Prisoner rows as summaries, with the letters counted for each in `campaign`.
async fn summaries_with_letters<B: Backend>(
    store: &B,
    campaign: CampaignId,
    rows: &[Row],
) -> StoreResult<Vec<PrisonerSummary>> {
    let mut prisoners = rows
        .iter()
        .map(prisoner_summary_from)
        .collect::<StoreResult<Vec<_>>>()?;
    let keys: Vec<String> = prisoners
        .iter()
        .map(|p| CounterKey::Prisoner(p.id.0).to_string())
        .collect();
    let values = counter_values(store, campaign, &keys).await?;
    for (prisoner, key) in prisoners.iter_mut().zip(&keys) {
        prisoner.letters = values.get(key).copied().unwrap_or(0);
    }
    Ok(prisoners)
}

/// A prisoner's page saved (`CREATE_PRISONER` with a new id, or `UPDATE_PRISONER`) and its
/// audit line, in one transaction; false when the statement touched no row.
async fn save_prisoner_page<B: Backend>(
    store: &B,
    statement: &'static str,
    p: &NewPrisoner,
    audit: &NewAudit,
    new_id: Option<Uuid>,
) -> StoreResult<bool> {
    let mut tx = store.begin_write().await?;
    let (slug, status, gender) = (p.slug.as_str(), p.status.as_str(), p.gender.as_str());
    let mut args: Vec<&dyn crate::backend::Param> = vec![
        &slug,
        &p.names.uk,
        &p.names.en,
        &p.names.crh,
        &p.names.ru_full,
        &p.birth_year,
        &status,
        &gender,
        &p.story.uk,
        &p.story.en,
        &p.story.crh,
        &p.guidance.uk,
        &p.guidance.en,
        &p.guidance.crh,
        &p.published,
        &audit.at,
    ];
    if let Some(id) = &new_id {
        args.push(id);
    }
    if tx.execute(statement.into(), &args).await? == 0 {
        return Ok(false);
    }
    insert_audit(tx.as_mut(), audit).await?;
    tx.commit().await?;
    Ok(true)
}
