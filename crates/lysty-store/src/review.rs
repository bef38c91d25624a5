//! Review: the queues, claims, each step with its transition, flags, versions, the lexicon and the audit log.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tracing::instrument;
use uuid::Uuid;

use crate::backend::{Backend, Bind, Param, Sql, Transaction, scalar};
use crate::lysty_domain::counter::keys_for_approval;
use crate::rows::*;
use crate::sql;
use crate::staff::insert_audit;
use crate::*;

#[async_trait]
pub trait ReviewStore: Send + Sync + 'static {
    /// Letters in the filter's states, oldest first, after `filter.after`.
    async fn review_queue(
        &self,
        campaign: CampaignId,
        filter: &ReviewFilter,
    ) -> StoreResult<Vec<ReviewLetter>>;
    async fn review_letter(&self, id: LetterId) -> StoreResult<Option<ReviewLetter>>;
    /// Claims a letter for `staff` until `until`, unless someone else holds a live claim.
    /// A `received` letter moves to `in_review` (with its transition row).
    async fn claim_letter(
        &self,
        id: LetterId,
        staff: StaffId,
        org: OrganisationId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        audit: Option<&NewAudit>,
    ) -> StoreResult<ClaimOutcome>;
    /// Applies one review step, checking the state it starts from and the claim.
    async fn review_step(&self, step: &ReviewStep) -> StoreResult<StepOutcome>;
    async fn set_letter_flags(&self, id: LetterId, flags: &FlagsUpdate) -> StoreResult<()>;
    /// How many letters have this fingerprint.
    async fn count_fingerprint(&self, fingerprint: &str) -> StoreResult<i64>;
    async fn letter_versions(&self, id: LetterId) -> StoreResult<Vec<LetterVersion>>;
    async fn letter_transitions(&self, id: LetterId) -> StoreResult<Vec<TransitionRow>>;
    async fn list_lexicon(&self) -> StoreResult<Vec<LexiconTerm>>;
    /// Adds a term and returns its id; adding it again changes nothing.
    /// Adds a term with the audit line (its object left empty: the store names the term's row).
    async fn add_lexicon(
        &self,
        term: &str,
        language: &str,
        category: &str,
        audit: &NewAudit,
    ) -> StoreResult<Uuid>;
    /// Removes a term and returns it, or `None` when there was no such term (and no audit
    /// line is written); `{language}`, `{category}` and `{term}` in the line's detail become
    /// the removed term's.
    async fn remove_lexicon(&self, id: Uuid, audit: &NewAudit) -> StoreResult<Option<LexiconTerm>>;
    /// Adds a starter list (term, language, category), skipping terms already there, and
    /// the audit line that records its version, in one transaction; how many were added.
    async fn seed_lexicon(
        &self,
        entries: &[(String, String, String)],
        now: DateTime<Utc>,
        audit: &NewAudit,
    ) -> StoreResult<u64>;
    /// The detail of the audit line of the last starter list added (its version).
    async fn lexicon_starter_seeded(&self) -> StoreResult<Option<String>>;
    async fn append_audit(&self, entry: &NewAudit) -> StoreResult<()>;
    /// Newest first.
    async fn list_audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>>;
}

#[async_trait]
impl<B: Backend> ReviewStore for B {
    #[instrument(skip_all)]
    async fn review_queue(
        &self,
        campaign: CampaignId,
        filter: &ReviewFilter,
    ) -> StoreResult<Vec<ReviewLetter>> {
        let (query, binds) = review_queue_query(campaign, filter);
        let args: Vec<&dyn Param> = binds.iter().map(|b| b as &dyn Param).collect();
        let rows = self.read_all(query.into(), &args).await?;
        rows.iter().map(review_from).collect()
    }

    #[instrument(skip_all)]
    async fn review_letter(&self, id: LetterId) -> StoreResult<Option<ReviewLetter>> {
        let row = self
            .read_optional(
                Sql::from(format!("{} WHERE l.id = $1", sql::REVIEW_COLUMNS)),
                &[&id.0],
            )
            .await?;
        row.map(|r| review_from(&r)).transpose()
    }

    #[instrument(skip_all)]
    async fn claim_letter(
        &self,
        id: LetterId,
        staff: StaffId,
        org: OrganisationId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        audit: Option<&NewAudit>,
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
        if let Some(audit) = audit {
            insert_audit(tx.as_mut(), audit).await?;
        }
        tx.commit().await?;
        letter.claimed_by = Some(staff);
        letter.claimed_until = Some(until);
        Ok(ClaimOutcome::Claimed(Box::new(letter)))
    }

    #[instrument(skip_all)]
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
        if let Some(audit) = &step.audit {
            insert_audit(tx.as_mut(), audit).await?;
        }
        tx.commit().await?;
        Ok(StepOutcome::Done)
    }

    #[instrument(skip_all)]
    async fn set_letter_flags(&self, id: LetterId, flags: &FlagsUpdate) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        write_flags(tx.as_mut(), id, flags).await?;
        tx.commit().await
    }

    #[instrument(skip_all)]
    async fn count_fingerprint(&self, fingerprint: &str) -> StoreResult<i64> {
        scalar(
            self.read_one(sql::COUNT_FINGERPRINT.into(), &[&fingerprint])
                .await,
        )
    }

    #[instrument(skip_all)]
    async fn letter_versions(&self, id: LetterId) -> StoreResult<Vec<LetterVersion>> {
        let rows = self.read_all(sql::LETTER_VERSIONS.into(), &[&id.0]).await?;
        rows.iter().map(version_from).collect()
    }

    #[instrument(skip_all)]
    async fn letter_transitions(&self, id: LetterId) -> StoreResult<Vec<TransitionRow>> {
        let rows = self
            .read_all(sql::LETTER_TRANSITIONS.into(), &[&id.0])
            .await?;
        rows.iter().map(transition_from).collect()
    }

    #[instrument(skip_all)]
    async fn list_lexicon(&self) -> StoreResult<Vec<LexiconTerm>> {
        let rows = self.read_all(sql::LIST_LEXICON.into(), &[]).await?;
        rows.iter().map(lexicon_from).collect()
    }

    #[instrument(skip_all)]
    async fn add_lexicon(
        &self,
        term: &str,
        language: &str,
        category: &str,
        audit: &NewAudit,
    ) -> StoreResult<Uuid> {
        let mut tx = self.begin_write().await?;
        tx.execute(
            sql::ADD_LEXICON.into(),
            &[&Uuid::now_v7(), &term, &language, &category, &audit.at],
        )
        .await?;
        let id: Uuid = scalar(
            tx.fetch_one(sql::LEXICON_ID.into(), &[&term, &language, &category])
                .await,
        )?;
        crate::staff::write_audit(tx.as_mut(), Some(audit), Some(id.to_string()), &[]).await?;
        tx.commit().await?;
        Ok(id)
    }

    #[instrument(skip_all)]
    async fn seed_lexicon(
        &self,
        entries: &[(String, String, String)],
        now: DateTime<Utc>,
        audit: &NewAudit,
    ) -> StoreResult<u64> {
        // Many rows per statement: thousands of single inserts take seconds on PostgreSQL.
        const ROWS: usize = 200;
        let mut tx = self.begin_write().await?;
        let mut added = 0;
        for chunk in entries.chunks(ROWS) {
            let ids: Vec<Uuid> = chunk.iter().map(|_| Uuid::now_v7()).collect();
            let mut query = String::from(
                "INSERT INTO lexicon (id, term, language, category, created_at) VALUES ",
            );
            let mut args: Vec<&dyn Param> = Vec::with_capacity(chunk.len() * 5);
            for (i, ((term, language, category), id)) in chunk.iter().zip(&ids).enumerate() {
                let n = i * 5;
                if i > 0 {
                    query.push_str(", ");
                }
                query.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5
                ));
                args.extend([
                    id as &dyn Param,
                    term as &dyn Param,
                    language as &dyn Param,
                    category as &dyn Param,
                    &now as &dyn Param,
                ]);
            }
            query.push_str(" ON CONFLICT (term, language, category) DO NOTHING");
            added += tx.execute(query.into(), &args).await?;
        }
        insert_audit(tx.as_mut(), audit).await?;
        tx.commit().await?;
        Ok(added)
    }

    #[instrument(skip_all)]
    async fn lexicon_starter_seeded(&self) -> StoreResult<Option<String>> {
        let row = self
            .read_optional(sql::LEXICON_STARTER_VERSION.into(), &[])
            .await?;
        row.map(|r| r.text("detail")).transpose()
    }

    #[instrument(skip_all)]
    async fn remove_lexicon(&self, id: Uuid, audit: &NewAudit) -> StoreResult<Option<LexiconTerm>> {
        let mut tx = self.begin_write().await?;
        let removed = tx
            .fetch_optional(sql::REMOVE_LEXICON.into(), &[&id])
            .await?
            .map(|r| lexicon_from(&r))
            .transpose()?;
        let Some(removed) = removed else {
            return Ok(None);
        };
        let found = [
            ("language", removed.language.clone()),
            ("category", removed.category.clone()),
            ("term", removed.term.clone()),
        ];
        crate::staff::write_audit(tx.as_mut(), Some(audit), None, &found).await?;
        tx.commit().await?;
        Ok(Some(removed))
    }

    #[instrument(skip_all)]
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

    #[instrument(skip_all)]
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
    if to.was_approved() && !letter.state.was_approved() {
        // Its place now counts towards being published.
        let (city, country) = match (letter.source, letter.event) {
            (Source::Paper, Some(event)) => {
                let row = tx
                    .fetch_optional(
                        "SELECT city, country FROM events WHERE id = $1".into(),
                        &[&event.0],
                    )
                    .await?;
                match row {
                    Some(r) => (Some(r.text("city")?), Some(r.text("country")?)),
                    None => (None, None),
                }
            }
            _ => (letter.writer_city.clone(), letter.writer_country.clone()),
        };
        for key in keys_for_approval(city.as_deref(), country.as_deref()) {
            changes.push((key.to_string(), 1));
        }
    }
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

/// The review queue's query and its parameters (public so that a test can read the
/// database's plan for it).
pub fn review_queue_query(campaign: CampaignId, filter: &ReviewFilter) -> (String, Vec<Bind>) {
    let mut binds = vec![Bind::Uuid(campaign.0)];
    let mut conditions = vec!["l.campaign_id = $1".to_owned()];
    if !filter.states.is_empty() {
        // Written out, not bound: the states are the enum's own names (never input),
        // and only a literal list lets the planner use the partial index of the
        // waiting letters (migration 0010) instead of sorting the whole queue.
        let states: Vec<String> = filter
            .states
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        conditions.push(format!("l.state IN ({})", states.join(", ")));
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
    (query, binds)
}
