//! Steps inside a transaction that several areas share: locking a letter, moving it between
//! states with its counters, holding a prisoner's letters, reading counters and scans.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::backend::{Backend, Param, Row, Sql, Transaction};
use crate::delivery::*;
use crate::rows::*;
use crate::sql;
use crate::*;

pub(crate) async fn counter_values<B: Backend + ?Sized>(
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

/// Who did it; actor and organisation are absent for changes made from the command line.
pub(crate) struct HoldBy {
    pub(crate) actor: Option<StaffId>,
    pub(crate) org: Option<OrganisationId>,
    pub(crate) at: DateTime<Utc>,
}

impl From<&NewAudit> for HoldBy {
    fn from(line: &NewAudit) -> Self {
        HoldBy {
            actor: line.actor,
            org: line.actor_org,
            at: line.at,
        }
    }
}

/// A letter row locked for a change.
pub(crate) struct Locked {
    pub(crate) id: LetterId,
    pub(crate) campaign: CampaignId,
    pub(crate) state: LetterState,
}

pub(crate) async fn lock_letter<B: Backend>(
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
pub(crate) async fn shift(
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
pub(crate) async fn bump(
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
pub(crate) async fn hold_in_tx<B: Backend>(
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

pub(crate) async fn scan<B: Backend + ?Sized>(
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

/// The action's audit line, in its transaction, with `{count}` the letters it moved.
pub(crate) async fn audit_action(
    tx: &mut dyn Transaction,
    by: &NewAudit,
    count: u64,
) -> StoreResult<()> {
    let line = by.completed(None, &[("count", count.to_string())]);
    crate::staff::insert_audit(tx, &line).await
}

/// Work due by `now` (emails, notices) taken for a lease: the rows of `due` (`$1` now, `$2`
/// the limit), locked past other instances' claims by the backend's claim clause on
/// `alias`, get `next_attempt_at = lease_until` in `table`, in one transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn lease_due<B: Backend, T>(
    store: &B,
    due: &str,
    alias: &str,
    table: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
    read: fn(&Row) -> StoreResult<T>,
    id: fn(&T) -> Uuid,
) -> StoreResult<Vec<T>> {
    let mut tx = store.begin_write().await?;
    let sql = format!("{due}{}", store.claim_clause(alias));
    let rows = tx.fetch_all(sql.into(), &[&now, &limit]).await?;
    let taken = rows.iter().map(read).collect::<StoreResult<Vec<_>>>()?;
    let lease = format!("UPDATE {table} SET next_attempt_at = $2 WHERE id = $1");
    for item in &taken {
        tx.execute(lease.clone().into(), &[&id(item), &lease_until])
            .await?;
    }
    tx.commit().await?;
    Ok(taken)
}
