//! A history imported from the campaign's spreadsheets, in the caller's transaction: letters
//! with their journeys and tallies, rows recognised by their id or their identity key, a
//! corrected cell updating its letter, refusals by line.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use uuid::Uuid;

use crate::backend::{Transaction, scalar, scalar_opt};
use crate::delivery::*;
use crate::rows::*;
use crate::sql;
use crate::*;

pub(crate) async fn import_history(
    tx: &mut dyn Transaction,
    campaign: CampaignId,
    history: &History,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> StoreResult<HistoryOutcome> {
    let mut outcome = HistoryOutcome::default();
    let mut done = 0u64;
    let mut events: HashMap<String, Option<Uuid>> = HashMap::new();
    for e in &history.events {
        let id = crate::events::upsert_event_in(tx, e).await?;
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
