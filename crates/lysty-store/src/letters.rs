//! Letters coming in (the group commit of the intake), the writer's tracking, exports.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use tracing::instrument;
use uuid::Uuid;

use crate::backend::{Backend, Sql, Transaction, scalar_opt};
use crate::lysty_domain::counter::keys_for_new_letter;
use crate::rows::*;
use crate::sql;
use crate::*;

#[async_trait]
pub trait LetterStore: Send + Sync + 'static {
    /// Commits a group of letters in one transaction (group commit) and answers for each.
    /// A letter whose idempotency key is already known answers with the letter stored
    /// first; a letter to a prisoner who does not take letters is refused alone, without
    /// failing the rest. When this returns `Ok`, every `Created` letter is durable.
    async fn submit_letters(&self, letters: &[NewLetter]) -> StoreResult<Vec<SubmitOutcome>>;
    async fn letter_by_tracking_code(&self, code: &str) -> StoreResult<Option<TrackedLetter>>;
    /// Whether a letter with this id exists (used by the crash test and tools).
    async fn letter_exists(&self, id: LetterId) -> StoreResult<bool>;
    /// One page of the campaign's letters for an export, by id after `after` (keyset), at
    /// most `limit`, leaving out the letters of demo events. The writer's name, sealed
    /// email and the text are read only when `personal`; the tracking code never is.
    async fn export_letters(
        &self,
        campaign: CampaignId,
        after: Option<LetterId>,
        limit: u32,
        personal: bool,
    ) -> StoreResult<Vec<ExportLetter>>;
    /// Retention: erases the writer's name, sealed email, city and country from letters
    /// that reached a final state before `before` (and, with `erase_text`, their texts, the
    /// earlier versions of them and their scanned pages), except while an email about a
    /// letter is still waiting to be sent; the audit line goes in the same transaction.
    /// Returns how many letters were erased.
    async fn erase_writer_data(
        &self,
        before: chrono::DateTime<chrono::Utc>,
        erase_text: bool,
        audit: &NewAudit,
    ) -> StoreResult<u64>;
}

/// Letters whose writers' data retention erases: final, settled before `$1`, not yet erased,
/// and no email about them waiting in the outbox.
const RETAINED: &str = "state IN ('rejected', 'delivered', 'withheld', 'returned', 'undeliverable')
    AND updated_at < $1
    AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.letter_id = letters.id
                    AND o.sent_at IS NULL AND o.gave_up_at IS NULL)";

#[async_trait]
impl<B: Backend> LetterStore for B {
    #[instrument(skip_all)]
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

    #[instrument(skip_all)]
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

    #[instrument(skip_all)]
    async fn letter_exists(&self, id: LetterId) -> StoreResult<bool> {
        let found: Option<i64> = scalar_opt(
            self.read_optional(sql::LETTER_EXISTS.into(), &[&id.0])
                .await,
        )?;
        Ok(found.is_some())
    }

    #[instrument(skip_all)]
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

    #[instrument(skip_all)]
    async fn erase_writer_data(
        &self,
        before: chrono::DateTime<chrono::Utc>,
        erase_text: bool,
        audit: &NewAudit,
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let erased = if erase_text {
            // The pages and earlier versions go first, while the letters still match.
            for table in ["letter_pages", "letter_versions"] {
                let sql = format!(
                    "DELETE FROM {table} WHERE letter_id IN (SELECT id FROM letters WHERE {RETAINED})"
                );
                tx.execute(sql.into(), &[&before]).await?;
            }
            let sql = format!(
                "UPDATE letters SET writer_name = NULL, writer_email_enc = NULL, writer_city = NULL,
                     writer_country = NULL, body = '', body_delivery = NULL, fingerprint = NULL,
                     reject_note = NULL
                 WHERE {RETAINED} AND (writer_name IS NOT NULL OR writer_email_enc IS NOT NULL
                     OR writer_city IS NOT NULL OR writer_country IS NOT NULL OR body <> '')"
            );
            tx.execute(sql.into(), &[&before]).await?
        } else {
            let sql = format!(
                "UPDATE letters SET writer_name = NULL, writer_email_enc = NULL, writer_city = NULL,
                     writer_country = NULL
                 WHERE {RETAINED} AND (writer_name IS NOT NULL OR writer_email_enc IS NOT NULL
                     OR writer_city IS NOT NULL OR writer_country IS NOT NULL)"
            );
            tx.execute(sql.into(), &[&before]).await?
        };
        if erased > 0 {
            let mut audit = audit.clone();
            audit.detail = format!("{erased} letters");
            crate::staff::insert_audit(tx.as_mut(), &audit).await?;
        }
        tx.commit().await?;
        Ok(erased)
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
