//! The `Store` implementation shared by the SQL backends, written once as a macro.
//!
//! Each backend crate defines its store type with `reader()` (the pool for reads) and
//! `begin_write()` (its own way to open a write transaction: `BEGIN IMMEDIATE` on the
//! single SQLite writer, an ordinary transaction on PostgreSQL), a `map_err` for its error
//! codes and an `Access` row wrapper, then invokes [`sql_store!`]. `$lock` is the row-lock
//! clause the backend needs when reading a row it is about to change (`" FOR UPDATE"` on
//! PostgreSQL; nothing on SQLite, whose single writer already excludes others).
//!
//! A macro rather than generic code: sqlx's traits make a function generic over the
//! database need a bound for every type bound or decoded, which buries the SQL.

/// `sql::UPSERT_EVENT` with a [`NewEvent`]'s values bound, for the event form and for
/// history imports alike.
#[doc(hidden)]
#[macro_export]
macro_rules! upsert_event_query {
    ($e:expr) => {{
        let e: &$crate::NewEvent = $e;
        ::sqlx::query_scalar($crate::sql::UPSERT_EVENT)
            .bind(::uuid::Uuid::now_v7())
            .bind(e.campaign.0)
            .bind(e.organisation.map(|o| o.0))
            .bind(&e.slug)
            .bind(&e.kind)
            .bind(&e.title.uk)
            .bind(&e.title.en)
            .bind(&e.city)
            .bind(&e.country)
            .bind(&e.venue)
            .bind(e.starts_at)
            .bind(e.ends_at)
            .bind(&e.series)
            .bind(e.demo)
    }};
}

#[macro_export]
macro_rules! sql_store {
    ($store:ty, $db:ty, $name:literal, $lock:literal) => {
        const _: () = {
            use ::std::collections::{BTreeMap, HashMap};
            use ::chrono::{DateTime, Utc};
            use ::sqlx::{AssertSqlSafe, Row};
            use ::uuid::Uuid;
            use $crate::rows::*;
            use $crate::sql;
            use $crate::*;
            use $crate::lysty_domain::counter::keys_for_new_letter;

#[::async_trait::async_trait]
        impl $crate::Store for $store {
    fn backend(&self) -> &'static str {
        $name
    }

    async fn ping(&self) -> StoreResult<()> {
        ::sqlx::query("SELECT 1")
            .execute(self.reader())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn upsert_campaign(&self, c: &NewCampaign) -> StoreResult<CampaignId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = ::sqlx::query_scalar(sql::UPSERT_CAMPAIGN)
            .bind(Uuid::now_v7())
            .bind(&c.slug)
            .bind(&c.name_uk)
            .bind(&c.name_en)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(CampaignId(id))
    }

    async fn campaign_by_slug(&self, slug: &str) -> StoreResult<Option<Campaign>> {
        let row = ::sqlx::query(sql::CAMPAIGN_BY_SLUG)
            .bind(slug)
            .fetch_optional(self.reader())
            .await
            .map_err(map_err)?;
        row.map(|r| campaign_from(&Access(&r))).transpose()
    }

    async fn upsert_organisation(&self, o: &NewOrganisation) -> StoreResult<OrganisationId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = ::sqlx::query_scalar(sql::UPSERT_ORGANISATION)
            .bind(Uuid::now_v7())
            .bind(&o.slug)
            .bind(&o.name_uk)
            .bind(&o.name_en)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(OrganisationId(id))
    }

    async fn list_organisations(&self) -> StoreResult<Vec<Organisation>> {
        let rows = ::sqlx::query(sql::LIST_ORGANISATIONS)
            .fetch_all(self.reader())
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| organisation_from(&Access(r))).collect()
    }

    async fn upsert_facility(&self, f: &NewFacility) -> StoreResult<FacilityId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = ::sqlx::query_scalar(sql::UPSERT_FACILITY)
            .bind(Uuid::now_v7())
            .bind(&f.slug)
            .bind(&f.name_ru)
            .bind(&f.name_en)
            .bind(&f.region)
            .bind(&f.address_ru)
            .bind(Utc::now())
            .bind(f.max_letter_chars)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(FacilityId(id))
    }

    async fn upsert_prisoners(&self, prisoners: &[NewPrisoner]) -> StoreResult<Vec<PrisonerId>> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(prisoners.len());
        let now = Utc::now();
        for p in prisoners {
            let facility: Option<Uuid> = match &p.facility {
                Some(slug) => Some(
                    ::sqlx::query_scalar(sql::FACILITY_ID_BY_SLUG)
                        .bind(slug)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .ok_or_else(|| StoreError::Conflict(format!("unknown facility {slug}")))?,
                ),
                None => None,
            };
            let id: Uuid = ::sqlx::query_scalar(sql::UPSERT_PRISONER)
                .bind(Uuid::now_v7())
                .bind(p.slug.as_str())
                .bind(&p.names.uk)
                .bind(&p.names.en)
                .bind(&p.names.crh)
                .bind(&p.names.ru_full)
                .bind(p.birth_year)
                .bind(p.birth_date)
                .bind(p.status.as_str())
                .bind(&p.story.uk)
                .bind(&p.story.en)
                .bind(&p.guidance.uk)
                .bind(&p.guidance.en)
                .bind(facility)
                .bind(p.published)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
            ids.push(PrisonerId(id));
        }
        tx.commit().await.map_err(map_err)?;
        Ok(ids)
    }

    async fn prisoner_by_slug(
        &self,
        campaign: CampaignId,
        slug: &str,
    ) -> StoreResult<Option<Prisoner>> {
        let Some(row) = ::sqlx::query(sql::PRISONER_BY_SLUG)
            .bind(slug)
            .fetch_optional(self.reader())
            .await
            .map_err(map_err)?
        else {
            return Ok(None);
        };
        let id = Access(&row).uuid("id")?;
        let key = CounterKey::Prisoner(id).to_string();
        let letters = self
            .counter_values(campaign, std::slice::from_ref(&key))
            .await?;
        prisoner_from(&Access(&row), letters.get(&key).copied().unwrap_or(0)).map(Some)
    }

    async fn list_prisoners(
        &self,
        campaign: CampaignId,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<PrisonerSummary>> {
        let rows = ::sqlx::query(sql::LIST_PRISONERS)
            .bind(after.unwrap_or(""))
            .bind(i64::from(limit))
            .fetch_all(self.reader())
            .await
            .map_err(map_err)?;
        let mut prisoners = rows
            .iter()
            .map(|r| prisoner_summary_from(&Access(r)))
            .collect::<StoreResult<Vec<_>>>()?;
        let keys: Vec<String> = prisoners
            .iter()
            .map(|p| CounterKey::Prisoner(p.id.0).to_string())
            .collect();
        let values = self.counter_values(campaign, &keys).await?;
        for (prisoner, key) in prisoners.iter_mut().zip(&keys) {
            prisoner.letters = values.get(key).copied().unwrap_or(0);
        }
        Ok(prisoners)
    }

    async fn upsert_event(&self, e: &NewEvent) -> StoreResult<EventId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = $crate::upsert_event_query!(e)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(EventId(id))
    }

    async fn event_by_id(&self, id: EventId) -> StoreResult<Option<Event>> {
        let row = ::sqlx::query(AssertSqlSafe(sql::event_by_id()))
            .bind(id.0)
            .fetch_optional(self.reader())
            .await
            .map_err(map_err)?;
        let Some(row) = row else { return Ok(None) };
        let mut events = vec![event_from(&Access(&row))?];
        let campaign: Uuid = row.try_get("campaign_id").map_err(map_err)?;
        self.count_events(CampaignId(campaign), &mut events).await?;
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
                ::sqlx::query(AssertSqlSafe(sql::list_events_before()))
                    .bind(campaign.0)
                    .bind(at)
                    .bind(id.0)
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
            }
            None => {
                ::sqlx::query(AssertSqlSafe(sql::list_events()))
                    .bind(campaign.0)
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
            }
        }
        .map_err(map_err)?;
        let mut events = rows
            .iter()
            .map(|r| event_from(&Access(r)))
            .collect::<StoreResult<Vec<_>>>()?;
        self.count_events(campaign, &mut events).await?;
        Ok(events)
    }

    async fn set_kiosk(
        &self,
        event: EventId,
        token: Option<&str>,
        revoked_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = ::sqlx::query(sql::SET_KIOSK)
            .bind(event.0)
            .bind(token)
            .bind(revoked_at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await.map_err(map_err)
    }

    async fn event_by_kiosk_token(&self, token: &str) -> StoreResult<Option<Event>> {
        let row = ::sqlx::query(AssertSqlSafe(sql::event_by_kiosk_token()))
            .bind(token)
            .fetch_optional(self.reader())
            .await
            .map_err(map_err)?;
        let Some(row) = row else { return Ok(None) };
        let campaign: Uuid = row.try_get("campaign_id").map_err(map_err)?;
        let mut events = vec![event_from(&Access(&row))?];
        self.count_events(CampaignId(campaign), &mut events).await?;
        Ok(events.pop())
    }

    async fn events_in_series(&self, campaign: CampaignId, series: &str) -> StoreResult<Vec<Event>> {
        let rows = ::sqlx::query(AssertSqlSafe(sql::events_in_series()))
            .bind(campaign.0)
            .bind(series)
            .fetch_all(self.reader())
            .await
            .map_err(map_err)?;
        let mut events = rows
            .iter()
            .map(|r| event_from(&Access(r)))
            .collect::<StoreResult<Vec<_>>>()?;
        self.count_events(campaign, &mut events).await?;
        Ok(events)
    }

    async fn record_tally(&self, campaign: CampaignId, tally: &NewTally) -> StoreResult<TallyOutcome> {
        let mut tx = self.begin_write().await?;
        let Some(row) = ::sqlx::query(AssertSqlSafe(sql::event_by_id()))
            .bind(tally.event.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
        else {
            return Ok(TallyOutcome::UnknownEvent);
        };
        let event = event_from(&Access(&row))?;
        let prisoner: Option<Uuid> = match &tally.prisoner {
            Some(slug) => match ::sqlx::query_scalar(sql::PRISONER_ID_BY_SLUG)
                .bind(slug.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?
            {
                Some(id) => Some(id),
                None => return Ok(TallyOutcome::UnknownPrisoner),
            },
            None => None,
        };
        ::sqlx::query(sql::INSERT_TALLY)
            .bind(Uuid::now_v7())
            .bind(tally.event.0)
            .bind(prisoner)
            .bind(tally.count)
            .bind(tally.actor.map(|a| a.0))
            .bind(tally.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let mut keys: Vec<String> = $crate::lysty_domain::counter::keys_for_tally(
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
            ::sqlx::query(sql::BUMP_COUNTER)
                .bind(campaign.0)
                .bind(key)
                .bind(tally.count)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(TallyOutcome::Recorded)
    }

    async fn enter_paper_letter(&self, letter: &NewPaperLetter) -> StoreResult<PaperOutcome> {
        let mut tx = self.begin_write().await?;
        let Some(row) = ::sqlx::query(AssertSqlSafe(sql::event_by_id()))
            .bind(letter.event.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
        else {
            return Ok(PaperOutcome::UnknownEvent);
        };
        let event = event_from(&Access(&row))?;
        let Some(prisoner) = ::sqlx::query(sql::PRISONER_FOR_LETTER)
            .bind(letter.prisoner.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
        else {
            return Ok(PaperOutcome::UnknownPrisoner);
        };
        let (prisoner_id, _) = prisoner_for_letter(&Access(&prisoner))?;
        ::sqlx::query(sql::INSERT_LETTER)
            .bind(letter.id.0)
            .bind(letter.campaign.0)
            .bind(letter.tracking_code.as_str())
            .bind(Option::<&str>::None)
            .bind(prisoner_id)
            .bind(Source::Paper.as_str())
            .bind(letter.event.0)
            .bind(Option::<&str>::None)
            .bind(&event.city)
            .bind(&event.country)
            .bind(Option::<&[u8]>::None)
            .bind(LetterLanguage::Und.as_str())
            .bind(letter.transcription.as_ref().map_or("", LetterBody::as_str))
            .bind(LetterState::Received.as_str())
            .bind(letter.received_at)
            .bind(&letter.flags.json)
            .bind(&letter.flags.detected_language)
            .bind(&letter.fingerprint)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        for kind in &letter.flags.kinds {
            ::sqlx::query(sql::INSERT_FLAG_KIND)
                .bind(letter.id.0)
                .bind(kind)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        for (i, page) in letter.pages.iter().enumerate() {
            ::sqlx::query(sql::INSERT_PAGE)
                .bind(letter.id.0)
                .bind(i64::try_from(i + 1).unwrap_or(i64::MAX))
                .bind(&page.content_type)
                .bind(page.bytes.as_slice())
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        ::sqlx::query(sql::INSERT_TRANSITION)
            .bind(letter.id.0)
            .bind(Option::<&str>::None)
            .bind(LetterState::Received.as_str())
            .bind(letter.received_at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        // The tally this letter replaces: one for the same prisoner, or else an unassigned one.
        let mut replaced: Option<(Uuid, bool)> = None;
        for (candidate, assigned) in [(Some(prisoner_id), true), (None, false)] {
            let found: Option<Uuid> = ::sqlx::query_scalar(AssertSqlSafe(format!(
                "{}{}",
                sql::TALLY_TO_REPLACE,
                $lock
            )))
            .bind(letter.event.0)
            .bind(candidate)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
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
                ::sqlx::query(sql::TAKE_FROM_TALLY)
                    .bind(tally)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                // Kept so that a recount knows this letter was counted by its tally.
                ::sqlx::query("UPDATE letters SET replaced_tally = $2 WHERE id = $1")
                    .bind(letter.id.0)
                    .bind(tally)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
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
            ::sqlx::query(sql::BUMP_COUNTER)
                .bind(letter.campaign.0)
                .bind(key)
                .bind(by)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(PaperOutcome::Entered {
            replaced_tally: replaced.is_some(),
        })
    }

    async fn count_pages(&self, id: LetterId) -> StoreResult<i64> {
        ::sqlx::query_scalar(sql::COUNT_PAGES)
            .bind(id.0)
            .fetch_one(self.reader())
            .await
            .map_err(map_err)
    }

    async fn letter_page(&self, id: LetterId, position: i64) -> StoreResult<Option<StoredPage>> {
        let row = ::sqlx::query(sql::LETTER_PAGE)
            .bind(id.0)
            .bind(position)
            .fetch_optional(self.reader())
            .await
            .map_err(map_err)?;
        match row {
            Some(r) => Ok(Some(StoredPage {
                content_type: Access(&r).text("content_type")?,
                bytes: Access(&r).opt_bytes("bytes")?.unwrap_or_default(),
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
                    let found = ::sqlx::query(sql::PRISONER_FOR_LETTER)
                        .bind(letter.prisoner.as_str())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .map(|r| prisoner_for_letter(&Access(&r)))
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
                    insert_letter(&mut tx, letter, prisoner_id, &mut increments).await?
                }
            };
            outcomes.push(outcome);
        }
        for ((campaign, key), by) in &increments {
            ::sqlx::query(sql::BUMP_COUNTER)
                .bind(campaign)
                .bind(key)
                .bind(by)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(outcomes)
    }

    async fn letter_by_tracking_code(&self, code: &str) -> StoreResult<Option<TrackedLetter>> {
        let Some(row) = ::sqlx::query(sql::TRACKED_LETTER)
            .bind(code)
            .fetch_optional(self.reader())
            .await
            .map_err(map_err)?
        else {
            return Ok(None);
        };
        let mut tracked = tracked_from(&Access(&row))?;
        let steps = ::sqlx::query(sql::JOURNEY)
            .bind(tracked.id.0)
            .fetch_all(self.reader())
            .await
            .map_err(map_err)?;
        tracked.journey = steps
            .iter()
            .map(|r| step_from(&Access(r)))
            .collect::<StoreResult<_>>()?;
        Ok(Some(tracked))
    }

    async fn letter_exists(&self, id: LetterId) -> StoreResult<bool> {
        let found: Option<i64> = ::sqlx::query_scalar(sql::LETTER_EXISTS)
            .bind(id.0)
            .fetch_optional(self.reader())
            .await
            .map_err(map_err)?;
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
        let rows = ::sqlx::query(AssertSqlSafe(sql::export_letters(personal)))
            .bind(campaign.0)
            .bind(after.map_or(Uuid::nil(), |a| a.0))
            .bind(i64::from(limit))
            .fetch_all(self.reader())
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(|r| export_letter_from(&Access(r), personal))
            .collect()
    }

    async fn counters(&self, campaign: CampaignId) -> StoreResult<Vec<Counter>> {
        let rows = ::sqlx::query(sql::COUNTERS)
            .bind(campaign.0)
            .fetch_all(self.reader())
            .await
            .map_err(map_err)?;
        rows.iter()
            .filter_map(|r| counter_from(&Access(r)).transpose())
            .collect()
    }

    async fn append_audit(&self, entry: &NewAudit) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        ::sqlx::query(sql::INSERT_AUDIT)
            .bind(entry.at)
            .bind(entry.actor.map(|a| a.0))
            .bind(entry.actor_org.map(|o| o.0))
            .bind(&entry.action)
            .bind(&entry.object_type)
            .bind(&entry.object_id)
            .bind(&entry.detail)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
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
        let query = format!("{}{where_clause} ORDER BY a.id DESC LIMIT ${limit}", sql::AUDIT_COLUMNS);
        let rows = bind_all(::sqlx::query(AssertSqlSafe(query)), binds)
            .fetch_all(self.reader())
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| audit_from(&Access(r))).collect()
    }

    async fn list_lexicon(&self) -> StoreResult<Vec<LexiconTerm>> {
        let rows = ::sqlx::query(sql::LIST_LEXICON)
            .fetch_all(self.reader())
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| lexicon_from(&Access(r))).collect()
    }

    async fn add_lexicon(
        &self,
        term: &str,
        language: &str,
        category: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Uuid> {
        let mut tx = self.begin_write().await?;
        ::sqlx::query(sql::ADD_LEXICON)
            .bind(Uuid::now_v7())
            .bind(term)
            .bind(language)
            .bind(category)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let id: Uuid = ::sqlx::query_scalar(sql::LEXICON_ID)
            .bind(term)
            .bind(language)
            .bind(category)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn remove_lexicon(&self, id: Uuid) -> StoreResult<Option<LexiconTerm>> {
        let mut tx = self.begin_write().await?;
        let removed = ::sqlx::query(sql::REMOVE_LEXICON)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .map(|r| lexicon_from(&Access(&r)))
            .transpose()?;
        tx.commit().await.map_err(map_err)?;
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
        let rows = bind_all(::sqlx::query(AssertSqlSafe(query)), binds)
            .fetch_all(self.reader())
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| review_from(&Access(r))).collect()
    }

    async fn review_letter(&self, id: LetterId) -> StoreResult<Option<ReviewLetter>> {
        let row = ::sqlx::query(AssertSqlSafe(format!("{} WHERE l.id = $1", sql::REVIEW_COLUMNS)))
            .bind(id.0)
            .fetch_optional(self.reader())
            .await
            .map_err(map_err)?;
        row.map(|r| review_from(&Access(&r))).transpose()
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
        let Some(row) = ::sqlx::query(AssertSqlSafe(format!(
            "{} WHERE l.id = $1{}",
            sql::REVIEW_COLUMNS,
            $lock
        )))
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        else {
            return Ok(ClaimOutcome::NotFound);
        };
        let mut letter = review_from(&Access(&row))?;
        if let (Some(holder), Some(held_until)) = (letter.claimed_by, letter.claimed_until)
            && holder != staff
            && held_until > now
        {
            return Ok(ClaimOutcome::HeldByOther { until: held_until });
        }
        ::sqlx::query(sql::CLAIM)
            .bind(id.0)
            .bind(staff.0)
            .bind(until)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if letter.state == LetterState::Received {
            move_state(
                &mut tx,
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
        tx.commit().await.map_err(map_err)?;
        letter.claimed_by = Some(staff);
        letter.claimed_until = Some(until);
        Ok(ClaimOutcome::Claimed(Box::new(letter)))
    }

    async fn review_step(&self, step: &ReviewStep) -> StoreResult<StepOutcome> {
        let mut tx = self.begin_write().await?;
        let Some(row) = ::sqlx::query(AssertSqlSafe(format!(
            "{} WHERE l.id = $1{}",
            sql::REVIEW_COLUMNS,
            $lock
        )))
        .bind(step.letter.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        else {
            return Ok(StepOutcome::NotFound);
        };
        let letter = review_from(&Access(&row))?;
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
            ::sqlx::query(sql::INSERT_VERSION)
                .bind(step.letter.0)
                .bind(&letter.body)
                .bind(&letter.body_delivery)
                .bind(step.actor.0)
                .bind(change.version_reason.as_deref().unwrap_or("edit"))
                .bind(step.at)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        let moves = step.from != step.to;
        ::sqlx::query(sql::UPDATE_LETTER_STEP)
            .bind(step.letter.0)
            .bind(step.from.as_str())
            .bind(&change.body)
            .bind(&change.body_delivery)
            .bind(&change.reject_reason)
            .bind(&change.reject_note)
            .bind(moves)
            .bind(step.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if let Some(flags) = &change.flags {
            write_flags(&mut tx, step.letter, flags).await?;
        }
        if moves {
            move_state(
                &mut tx,
                &letter,
                step.to,
                step.actor,
                step.actor_org,
                step.note.as_deref(),
                step.at,
            )
            .await?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(StepOutcome::Done)
    }

    async fn set_letter_flags(&self, id: LetterId, flags: &FlagsUpdate) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        write_flags(&mut tx, id, flags).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn count_fingerprint(&self, fingerprint: &str) -> StoreResult<i64> {
        ::sqlx::query_scalar(sql::COUNT_FINGERPRINT)
            .bind(fingerprint)
            .fetch_one(self.reader())
            .await
            .map_err(map_err)
    }

    async fn letter_versions(&self, id: LetterId) -> StoreResult<Vec<LetterVersion>> {
        let rows = ::sqlx::query(sql::LETTER_VERSIONS)
            .bind(id.0)
            .fetch_all(self.reader())
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| version_from(&Access(r))).collect()
    }

    async fn letter_transitions(&self, id: LetterId) -> StoreResult<Vec<TransitionRow>> {
        let rows = ::sqlx::query(sql::LETTER_TRANSITIONS)
            .bind(id.0)
            .fetch_all(self.reader())
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| transition_from(&Access(r))).collect()
    }
}

async fn insert_letter(
    tx: &mut ::sqlx::Transaction<'static, $db>,
    letter: &NewLetter,
    prisoner_id: Uuid,
    increments: &mut BTreeMap<(Uuid, String), i64>,
) -> StoreResult<SubmitOutcome> {
    if let Some(event) = letter.event {
        let known: Option<i64> = ::sqlx::query_scalar(sql::EVENT_EXISTS)
            .bind(event.0)
            .fetch_optional(&mut **tx)
            .await
            .map_err(map_err)?;
        if known.is_none() {
            return Ok(SubmitOutcome::Refused(Refusal::UnknownEvent));
        }
    }
    let inserted = ::sqlx::query(sql::INSERT_LETTER)
        .bind(letter.id.0)
        .bind(letter.campaign.0)
        .bind(letter.tracking_code.as_str())
        .bind(letter.idempotency_key.as_ref().map(IdempotencyKey::as_str))
        .bind(prisoner_id)
        .bind(letter.source.as_str())
        .bind(letter.event.map(|e| e.0))
        .bind(letter.writer_name.as_ref().map(WriterName::as_str))
        .bind(letter.writer_city.as_ref().map(Place::as_str))
        .bind(letter.writer_country.as_ref().map(Place::as_str))
        .bind(letter.writer_email_encrypted.as_deref())
        .bind(letter.language.as_str())
        .bind(letter.body.as_str())
        .bind(LetterState::Received.as_str())
        .bind(letter.received_at)
        .bind(&letter.flags.json)
        .bind(&letter.flags.detected_language)
        .bind(&letter.fingerprint)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    if inserted.rows_affected() == 0 {
        // The idempotency key is known: a retry gets the letter stored first.
        let row = ::sqlx::query(sql::LETTER_BY_IDEMPOTENCY_KEY)
            .bind(letter.campaign.0)
            .bind(letter.idempotency_key.as_ref().map(IdempotencyKey::as_str))
            .fetch_one(&mut **tx)
            .await
            .map_err(map_err)?;
        return replay_from(&Access(&row), letter, prisoner_id);
    }
    for kind in &letter.flags.kinds {
        ::sqlx::query(sql::INSERT_FLAG_KIND)
            .bind(letter.id.0)
            .bind(kind)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    ::sqlx::query(sql::INSERT_TRANSITION)
        .bind(letter.id.0)
        .bind(Option::<&str>::None)
        .bind(LetterState::Received.as_str())
        .bind(letter.received_at)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
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

impl $store {
    async fn counter_values(
        &self,
        campaign: CampaignId,
        keys: &[String],
    ) -> StoreResult<HashMap<String, i64>> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = sql::counters_named(keys.len());
        let mut query = ::sqlx::query(AssertSqlSafe(sql)).bind(campaign.0);
        for key in keys {
            query = query.bind(key);
        }
        let rows = query.fetch_all(self.reader()).await.map_err(map_err)?;
        rows.iter()
            .map(|r| Ok((Access(r).text("key")?, Access(r).int("value")?)))
            .collect()
    }

    async fn count_events(&self, campaign: CampaignId, events: &mut [Event]) -> StoreResult<()> {
        let tallied_keys: Vec<String> = events
            .iter()
            .map(|e| CounterKey::EventTallied(e.id.0).to_string())
            .collect();
        let tallied = self.counter_values(campaign, &tallied_keys).await?;
        for (event, key) in events.iter_mut().zip(&tallied_keys) {
            event.tallied = tallied.get(key).copied().unwrap_or(0);
        }
        let keys: Vec<String> = events
            .iter()
            .map(|e| CounterKey::Event(e.id.0).to_string())
            .collect();
        let values = self.counter_values(campaign, &keys).await?;
        for (event, key) in events.iter_mut().zip(&keys) {
            event.letters = values.get(key).copied().unwrap_or(0);
        }
        Ok(())
    }
}


/// A value for a dynamically built query.
enum Bind {
    Text(String),
    Uuid(Uuid),
    Int(i64),
}

fn bind_all<'q>(
    mut query: ::sqlx::query::Query<'q, $db, <$db as ::sqlx::Database>::Arguments>,
    binds: Vec<Bind>,
) -> ::sqlx::query::Query<'q, $db, <$db as ::sqlx::Database>::Arguments> {
    for bind in binds {
        query = match bind {
            Bind::Text(v) => query.bind(v),
            Bind::Uuid(v) => query.bind(v),
            Bind::Int(v) => query.bind(v),
        };
    }
    query
}

/// Changes a letter's state: the update, its transition row and the state counters.
async fn move_state(
    tx: &mut ::sqlx::Transaction<'static, $db>,
    letter: &ReviewLetter,
    to: LetterState,
    actor: StaffId,
    org: OrganisationId,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    ::sqlx::query("UPDATE letters SET state = $2, updated_at = $3 WHERE id = $1")
        .bind(letter.id.0)
        .bind(to.as_str())
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    ::sqlx::query(sql::INSERT_STEP_TRANSITION)
        .bind(letter.id.0)
        .bind(letter.state.as_str())
        .bind(to.as_str())
        .bind(actor.0)
        .bind(org.0)
        .bind(note)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    // Sorted keys, as in intake, so writers take counter rows in one order.
    let mut changes = vec![
        (CounterKey::State(letter.state).to_string(), -1_i64),
        (CounterKey::State(to).to_string(), 1),
    ];
    changes.sort();
    for (key, by) in changes {
        ::sqlx::query(sql::BUMP_COUNTER)
            .bind(letter.campaign.0)
            .bind(key)
            .bind(by)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    Ok(())
}

async fn write_flags(
    tx: &mut ::sqlx::Transaction<'static, $db>,
    id: LetterId,
    flags: &FlagsUpdate,
) -> StoreResult<()> {
    ::sqlx::query(sql::SET_FLAGS)
        .bind(id.0)
        .bind(&flags.json)
        .bind(&flags.detected_language)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    ::sqlx::query(sql::DELETE_FLAG_KINDS)
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    for kind in &flags.kinds {
        ::sqlx::query(sql::INSERT_FLAG_KIND)
            .bind(id.0)
            .bind(kind)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    Ok(())
}

        };
    };
}
