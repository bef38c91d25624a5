//! The rest of `Store` (registry, events, letters, review, audit, lexicon, counters),
//! written once over [`Backend`] in plain Rust.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::backend::{Backend, Bind, Param, Sql, Transaction, scalar, scalar_opt};
use crate::lysty_domain::counter::keys_for_new_letter;
use crate::rows::*;
use crate::sql;
use crate::*;

#[async_trait]
impl<B: Backend + DeliveryStore> Store for B {
    fn backend(&self) -> &'static str {
        Self::NAME
    }

    async fn ping(&self) -> StoreResult<()> {
        self.read_optional("SELECT 1".into(), &[]).await?;
        Ok(())
    }

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

    async fn campaign_by_slug(&self, slug: &str) -> StoreResult<Option<Campaign>> {
        let row = self
            .read_optional(sql::CAMPAIGN_BY_SLUG.into(), &[&slug])
            .await?;
        row.map(|r| campaign_from(&r)).transpose()
    }

    async fn upsert_organisation(&self, o: &NewOrganisation) -> StoreResult<OrganisationId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = scalar(
            tx.fetch_one(
                sql::UPSERT_ORGANISATION.into(),
                &[
                    &Uuid::now_v7(),
                    &o.slug,
                    &o.name_uk,
                    &o.name_en,
                    &Utc::now(),
                ],
            )
            .await,
        )?;
        tx.commit().await?;
        Ok(OrganisationId(id))
    }

    async fn list_organisations(&self) -> StoreResult<Vec<Organisation>> {
        let rows = self.read_all(sql::LIST_ORGANISATIONS.into(), &[]).await?;
        rows.iter().map(organisation_from).collect()
    }

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
                    ],
                )
                .await,
            )?;
            ids.push(PrisonerId(id));
        }
        tx.commit().await?;
        Ok(ids)
    }

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
        let mut prisoners = rows
            .iter()
            .map(prisoner_summary_from)
            .collect::<StoreResult<Vec<_>>>()?;
        let keys: Vec<String> = prisoners
            .iter()
            .map(|p| CounterKey::Prisoner(p.id.0).to_string())
            .collect();
        let values = counter_values(self, campaign, &keys).await?;
        for (prisoner, key) in prisoners.iter_mut().zip(&keys) {
            prisoner.letters = values.get(key).copied().unwrap_or(0);
        }
        Ok(prisoners)
    }

    async fn upsert_event(&self, e: &NewEvent) -> StoreResult<EventId> {
        let mut tx = self.begin_write().await?;
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
        tx.commit().await?;
        Ok(EventId(id))
    }

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

    async fn set_kiosk(
        &self,
        event: EventId,
        token: Option<&str>,
        revoked_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = tx
            .execute(sql::SET_KIOSK.into(), &[&event.0, &token, &revoked_at])
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await
    }

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
        tx.commit().await?;
        Ok(TallyOutcome::Recorded)
    }

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
        tx.commit().await?;
        Ok(PaperOutcome::Entered {
            replaced_tally: replaced.is_some(),
        })
    }

    async fn count_pages(&self, id: LetterId) -> StoreResult<i64> {
        scalar(self.read_one(sql::COUNT_PAGES.into(), &[&id.0]).await)
    }

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

    async fn submit_letters(&self, letters: &[NewLetter]) -> StoreResult<Vec<SubmitOutcome>> {
        let mut tx = self.begin_write().await?;
        let mut outcomes = Vec::with_capacity(letters.len());
        // Sorted so that every writer touches counter rows in the same order.
        let mut increments: BTreeMap<(Uuid, String), i64> = BTreeMap::new();
        let mut prisoners: HashMap<String, Option<(Uuid, PrisonerStatus)>> = HashMap::new();
        for letter in letters {
            let prisoner = match prisoners.get(letter.prisoner.as_str()) {
                Some(found) => *found,
                None => {
                    let found = tx
                        .fetch_optional(
                            sql::PRISONER_FOR_LETTER.into(),
                            &[&letter.prisoner.as_str()],
                        )
                        .await?
                        .map(|r| prisoner_for_letter(&r))
                        .transpose()?;
                    prisoners.insert(letter.prisoner.as_str().to_owned(), found);
                    found
                }
            };
            let outcome = match prisoner {
                None => SubmitOutcome::Refused(Refusal::UnknownPrisoner),
                Some((_, status)) if !status.accepts_letters() => {
                    SubmitOutcome::Refused(Refusal::PrisonerNotAccepting)
                }
                Some((prisoner_id, _)) => {
                    insert_letter(tx.as_mut(), letter, prisoner_id, &mut increments).await?
                }
            };
            outcomes.push(outcome);
        }
        for ((campaign, key), by) in &increments {
            tx.execute(sql::BUMP_COUNTER.into(), &[&campaign, &key, &by])
                .await?;
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn letter_by_tracking_code(&self, code: &str) -> StoreResult<Option<TrackedLetter>> {
        let Some(row) = self
            .read_optional(sql::TRACKED_LETTER.into(), &[&code])
            .await?
        else {
            return Ok(None);
        };
        let mut tracked = tracked_from(&row)?;
        let steps = self.read_all(sql::JOURNEY.into(), &[&tracked.id.0]).await?;
        tracked.journey = steps.iter().map(step_from).collect::<StoreResult<_>>()?;
        Ok(Some(tracked))
    }

    async fn letter_exists(&self, id: LetterId) -> StoreResult<bool> {
        let found: Option<i64> = scalar_opt(
            self.read_optional(sql::LETTER_EXISTS.into(), &[&id.0])
                .await,
        )?;
        Ok(found.is_some())
    }

    async fn export_letters(
        &self,
        campaign: CampaignId,
        after: Option<LetterId>,
        limit: u32,
        personal: bool,
    ) -> StoreResult<Vec<ExportLetter>> {
        // The nil id sorts before every letter's (UUID v7) on both databases.
        let rows = self
            .read_all(
                Sql::from(sql::export_letters(personal)),
                &[
                    &campaign.0,
                    &after.map_or(Uuid::nil(), |a| a.0),
                    &i64::from(limit),
                ],
            )
            .await?;
        rows.iter()
            .map(|r| export_letter_from(r, personal))
            .collect()
    }

    async fn counters(&self, campaign: CampaignId) -> StoreResult<Vec<Counter>> {
        let rows = self.read_all(sql::COUNTERS.into(), &[&campaign.0]).await?;
        rows.iter()
            .filter_map(|r| counter_from(r).transpose())
            .collect()
    }

    async fn append_audit(&self, entry: &NewAudit) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        tx.execute(
            sql::INSERT_AUDIT.into(),
            &[
                &entry.at,
                &entry.actor.map(|a| a.0),
                &entry.actor_org.map(|o| o.0),
                &entry.action,
                &entry.object_type,
                &entry.object_id,
                &entry.detail,
            ],
        )
        .await?;
        tx.commit().await
    }

    async fn list_audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        let mut conditions = Vec::new();
        let mut binds: Vec<Bind> = Vec::new();
        if let Some(actor) = filter.actor {
            binds.push(Bind::Uuid(actor.0));
            conditions.push(format!("a.actor_id = ${}", binds.len()));
        }
        if let Some(action) = &filter.action {
            binds.push(Bind::Text(action.clone()));
            conditions.push(format!("a.action = ${}", binds.len()));
        }
        if let Some(object) = &filter.object_id {
            binds.push(Bind::Text(object.clone()));
            conditions.push(format!("a.object_id = ${}", binds.len()));
        }
        if let Some(before) = filter.before {
            binds.push(Bind::Int(before));
            conditions.push(format!("a.id < ${}", binds.len()));
        }
        binds.push(Bind::Int(i64::from(filter.limit.max(1))));
        let limit = binds.len();
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let query = format!(
            "{}{where_clause} ORDER BY a.id DESC LIMIT ${limit}",
            sql::AUDIT_COLUMNS
        );
        let args: Vec<&dyn Param> = binds.iter().map(|b| b as &dyn Param).collect();
        let rows = self.read_all(query.into(), &args).await?;
        rows.iter().map(audit_from).collect()
    }

    async fn list_lexicon(&self) -> StoreResult<Vec<LexiconTerm>> {
        let rows = self.read_all(sql::LIST_LEXICON.into(), &[]).await?;
        rows.iter().map(lexicon_from).collect()
    }

    async fn add_lexicon(
        &self,
        term: &str,
        language: &str,
        category: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Uuid> {
        let mut tx = self.begin_write().await?;
        tx.execute(
            sql::ADD_LEXICON.into(),
            &[&Uuid::now_v7(), &term, &language, &category, &now],
        )
        .await?;
        let id: Uuid = scalar(
            tx.fetch_one(sql::LEXICON_ID.into(), &[&term, &language, &category])
                .await,
        )?;
        tx.commit().await?;
        Ok(id)
    }

    async fn remove_lexicon(&self, id: Uuid) -> StoreResult<Option<LexiconTerm>> {
        let mut tx = self.begin_write().await?;
        let removed = tx
            .fetch_optional(sql::REMOVE_LEXICON.into(), &[&id])
            .await?
            .map(|r| lexicon_from(&r))
            .transpose()?;
        tx.commit().await?;
        Ok(removed)
    }

    async fn review_queue(
        &self,
        campaign: CampaignId,
        filter: &ReviewFilter,
    ) -> StoreResult<Vec<ReviewLetter>> {
        let mut binds = vec![Bind::Uuid(campaign.0)];
        let mut conditions = vec!["l.campaign_id = $1".to_owned()];
        if !filter.states.is_empty() {
            let mut placeholders = Vec::new();
            for state in &filter.states {
                binds.push(Bind::Text(state.as_str().to_owned()));
                placeholders.push(format!("${}", binds.len()));
            }
            conditions.push(format!("l.state IN ({})", placeholders.join(", ")));
        }
        if let Some(prisoner) = &filter.prisoner {
            binds.push(Bind::Text(prisoner.clone()));
            conditions.push(format!("p.slug = ${}", binds.len()));
        }
        if let Some(language) = &filter.language {
            binds.push(Bind::Text(language.clone()));
            conditions.push(format!(
                "COALESCE(l.detected_language, l.language) = ${}",
                binds.len()
            ));
        }
        if let Some(flag) = &filter.flag {
            binds.push(Bind::Text(flag.clone()));
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM letter_flags f WHERE f.letter_id = l.id AND f.kind = ${})",
                binds.len()
            ));
        }
        if let Some(source) = filter.source {
            binds.push(Bind::Text(source.as_str().to_owned()));
            conditions.push(format!("l.source = ${}", binds.len()));
        }
        if let Some(event) = filter.event {
            binds.push(Bind::Uuid(event.0));
            conditions.push(format!("l.event_id = ${}", binds.len()));
        }
        if let Some(after) = filter.after {
            binds.push(Bind::Uuid(after.0));
            conditions.push(format!("l.id > ${}", binds.len()));
        }
        binds.push(Bind::Int(i64::from(filter.limit.max(1))));
        let query = format!(
            "{} WHERE {} ORDER BY l.id LIMIT ${}",
            sql::REVIEW_COLUMNS,
            conditions.join(" AND "),
            binds.len()
        );
        let args: Vec<&dyn Param> = binds.iter().map(|b| b as &dyn Param).collect();
        let rows = self.read_all(query.into(), &args).await?;
        rows.iter().map(review_from).collect()
    }

    async fn review_letter(&self, id: LetterId) -> StoreResult<Option<ReviewLetter>> {
        let row = self
            .read_optional(
                Sql::from(format!("{} WHERE l.id = $1", sql::REVIEW_COLUMNS)),
                &[&id.0],
            )
            .await?;
        row.map(|r| review_from(&r)).transpose()
    }

    async fn claim_letter(
        &self,
        id: LetterId,
        staff: StaffId,
        org: OrganisationId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<ClaimOutcome> {
        let mut tx = self.begin_write().await?;
        let Some(row) = tx
            .fetch_optional(
                Sql::from(format!(
                    "{} WHERE l.id = $1{}",
                    sql::REVIEW_COLUMNS,
                    Self::LOCK
                )),
                &[&id.0],
            )
            .await?
        else {
            return Ok(ClaimOutcome::NotFound);
        };
        let mut letter = review_from(&row)?;
        if let (Some(holder), Some(held_until)) = (letter.claimed_by, letter.claimed_until)
            && holder != staff
            && held_until > now
        {
            return Ok(ClaimOutcome::HeldByOther { until: held_until });
        }
        tx.execute(sql::CLAIM.into(), &[&id.0, &staff.0, &until])
            .await?;
        if letter.state == LetterState::Received {
            move_state(
                tx.as_mut(),
                &letter,
                LetterState::InReview,
                staff,
                org,
                None,
                now,
            )
            .await?;
            letter.state = LetterState::InReview;
        }
        tx.commit().await?;
        letter.claimed_by = Some(staff);
        letter.claimed_until = Some(until);
        Ok(ClaimOutcome::Claimed(Box::new(letter)))
    }

    async fn review_step(&self, step: &ReviewStep) -> StoreResult<StepOutcome> {
        let mut tx = self.begin_write().await?;
        let Some(row) = tx
            .fetch_optional(
                Sql::from(format!(
                    "{} WHERE l.id = $1{}",
                    sql::REVIEW_COLUMNS,
                    Self::LOCK
                )),
                &[&step.letter.0],
            )
            .await?
        else {
            return Ok(StepOutcome::NotFound);
        };
        let letter = review_from(&row)?;
        if letter.state != step.from {
            return Ok(StepOutcome::WrongState(letter.state));
        }
        let holds_claim = letter.claimed_by == Some(step.actor)
            && letter.claimed_until.is_some_and(|until| until > step.at);
        if step.require_claim && !holds_claim {
            return Ok(StepOutcome::NotClaimed);
        }
        let change = &step.change;
        if change.body.is_some() || change.body_delivery.is_some() {
            tx.execute(
                sql::INSERT_VERSION.into(),
                &[
                    &step.letter.0,
                    &letter.body,
                    &letter.body_delivery,
                    &step.actor.0,
                    &change.version_reason.as_deref().unwrap_or("edit"),
                    &step.at,
                ],
            )
            .await?;
        }
        let moves = step.from != step.to;
        tx.execute(
            sql::UPDATE_LETTER_STEP.into(),
            &[
                &step.letter.0,
                &step.from.as_str(),
                &change.body,
                &change.body_delivery,
                &change.reject_reason,
                &change.reject_note,
                &moves,
                &step.at,
            ],
        )
        .await?;
        if let Some(flags) = &change.flags {
            write_flags(tx.as_mut(), step.letter, flags).await?;
        }
        if moves {
            move_state(
                tx.as_mut(),
                &letter,
                step.to,
                step.actor,
                step.actor_org,
                step.note.as_deref(),
                step.at,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(StepOutcome::Done)
    }

    async fn set_letter_flags(&self, id: LetterId, flags: &FlagsUpdate) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        write_flags(tx.as_mut(), id, flags).await?;
        tx.commit().await
    }

    async fn count_fingerprint(&self, fingerprint: &str) -> StoreResult<i64> {
        scalar(
            self.read_one(sql::COUNT_FINGERPRINT.into(), &[&fingerprint])
                .await,
        )
    }

    async fn letter_versions(&self, id: LetterId) -> StoreResult<Vec<LetterVersion>> {
        let rows = self.read_all(sql::LETTER_VERSIONS.into(), &[&id.0]).await?;
        rows.iter().map(version_from).collect()
    }

    async fn letter_transitions(&self, id: LetterId) -> StoreResult<Vec<TransitionRow>> {
        let rows = self
            .read_all(sql::LETTER_TRANSITIONS.into(), &[&id.0])
            .await?;
        rows.iter().map(transition_from).collect()
    }
}

async fn insert_letter(
    tx: &mut dyn Transaction,
    letter: &NewLetter,
    prisoner_id: Uuid,
    increments: &mut BTreeMap<(Uuid, String), i64>,
) -> StoreResult<SubmitOutcome> {
    if let Some(event) = letter.event {
        let known: Option<i64> = scalar_opt(
            tx.fetch_optional(sql::EVENT_EXISTS.into(), &[&event.0])
                .await,
        )?;
        if known.is_none() {
            return Ok(SubmitOutcome::Refused(Refusal::UnknownEvent));
        }
    }
    let inserted = tx
        .execute(
            sql::INSERT_LETTER.into(),
            &[
                &letter.id.0,
                &letter.campaign.0,
                &letter.tracking_code.as_str(),
                &letter.idempotency_key.as_ref().map(IdempotencyKey::as_str),
                &prisoner_id,
                &letter.source.as_str(),
                &letter.event.map(|e| e.0),
                &letter.writer_name.as_ref().map(WriterName::as_str),
                &letter.writer_city.as_ref().map(Place::as_str),
                &letter.writer_country.as_ref().map(Place::as_str),
                &letter.writer_email_encrypted.as_deref(),
                &letter.language.as_str(),
                &letter.body.as_str(),
                &LetterState::Received.as_str(),
                &letter.received_at,
                &letter.flags.json,
                &letter.flags.detected_language,
                &letter.fingerprint,
            ],
        )
        .await?;
    if inserted == 0 {
        // The idempotency key is known: a retry gets the letter stored first.
        let row = tx
            .fetch_one(
                sql::LETTER_BY_IDEMPOTENCY_KEY.into(),
                &[
                    &letter.campaign.0,
                    &letter.idempotency_key.as_ref().map(IdempotencyKey::as_str),
                ],
            )
            .await?;
        return replay_from(&row, letter, prisoner_id);
    }
    for kind in &letter.flags.kinds {
        tx.execute(sql::INSERT_FLAG_KIND.into(), &[&letter.id.0, &kind])
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
    let keys = keys_for_new_letter(
        prisoner_id,
        letter.received_at,
        letter.source,
        letter.event.map(|e| e.0),
        letter.writer_city.as_ref().map(Place::as_str),
        letter.writer_country.as_ref().map(Place::as_str),
    );
    for key in keys {
        *increments
            .entry((letter.campaign.0, key.to_string()))
            .or_default() += 1;
    }
    Ok(SubmitOutcome::Created(Receipt {
        id: letter.id,
        tracking_code: letter.tracking_code.clone(),
        state: LetterState::Received,
    }))
}

async fn counter_values<B: Backend + ?Sized>(
    store: &B,
    campaign: CampaignId,
    keys: &[String],
) -> StoreResult<HashMap<String, i64>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = sql::counters_named(keys.len());
    let mut args: Vec<&dyn Param> = vec![&campaign.0];
    args.extend(keys.iter().map(|k| k as &dyn Param));
    let rows = store.read_all(sql.into(), &args).await?;
    rows.iter()
        .map(|r| Ok((r.text("key")?, r.int("value")?)))
        .collect()
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

/// Changes a letter's state: the update, its transition row and the state counters.
async fn move_state(
    tx: &mut dyn Transaction,
    letter: &ReviewLetter,
    to: LetterState,
    actor: StaffId,
    org: OrganisationId,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    tx.execute(
        "UPDATE letters SET state = $2, updated_at = $3 WHERE id = $1".into(),
        &[&letter.id.0, &to.as_str(), &at],
    )
    .await?;
    tx.execute(
        sql::INSERT_STEP_TRANSITION.into(),
        &[
            &letter.id.0,
            &letter.state.as_str(),
            &to.as_str(),
            &actor.0,
            &org.0,
            &note,
            &at,
        ],
    )
    .await?;
    // Sorted keys, as in intake, so writers take counter rows in one order.
    let mut changes = vec![
        (CounterKey::State(letter.state).to_string(), -1_i64),
        (CounterKey::State(to).to_string(), 1),
    ];
    changes.sort();
    for (key, by) in changes {
        tx.execute(sql::BUMP_COUNTER.into(), &[&letter.campaign.0, &key, &by])
            .await?;
    }
    Ok(())
}

async fn write_flags(
    tx: &mut dyn Transaction,
    id: LetterId,
    flags: &FlagsUpdate,
) -> StoreResult<()> {
    tx.execute(
        sql::SET_FLAGS.into(),
        &[&id.0, &flags.json, &flags.detected_language],
    )
    .await?;
    tx.execute(sql::DELETE_FLAG_KINDS.into(), &[&id.0]).await?;
    for kind in &flags.kinds {
        tx.execute(sql::INSERT_FLAG_KIND.into(), &[&id.0, &kind])
            .await?;
    }
    Ok(())
}
