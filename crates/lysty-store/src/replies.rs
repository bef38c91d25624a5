//! Replies from prison, and the outbox of emails to their writers.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tracing::instrument;
use uuid::Uuid;

use crate::backend::{Backend, Sql, scalar};
use crate::delivery::queries as dsql;
use crate::delivery::*;
use crate::rows::*;
use crate::steps::*;
use crate::*;

#[async_trait]
pub trait ReplyStore: Send + Sync + 'static {
    /// Records a reply, links the letters delivered to the prisoner before it, and
    /// queues an email to each of their writers who left an address.
    async fn record_reply(&self, reply: &NewReply) -> StoreResult<ReplyOutcome>;
    async fn replies(&self, prisoner: PrisonerId, published_only: bool) -> StoreResult<Vec<Reply>>;
    async fn reply_scan(&self, id: ReplyId) -> StoreResult<Option<StoredScan>>;
    /// When a reply linked to this letter arrived, if one did.
    async fn reply_for_letter(&self, letter: LetterId) -> StoreResult<Option<DateTime<Utc>>>;
    async fn pending_mail(&self, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<MailItem>>;
    /// Takes up to `limit` emails due by `now` for sending: none is due again before
    /// `lease_until`, so that another instance does not send it too; one whose sender
    /// stopped before marking it is taken again when the lease ends.
    async fn claim_mail(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<MailItem>>;
    /// Emails to writers that were due by `before` and are still not sent.
    async fn overdue_mail(&self, before: DateTime<Utc>) -> StoreResult<i64>;
    /// Ends an email's retries: its server refused it for good. `error` is its class and
    /// code only.
    async fn give_up_mail(&self, id: Uuid, error: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Emails to writers given up on, for the staff pages.
    async fn given_up_mail(&self) -> StoreResult<i64>;
    async fn mark_mail_sent(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()>;
    async fn mark_mail_failed(
        &self,
        id: Uuid,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()>;
}

#[async_trait]
impl<B: Backend> ReplyStore for B {
    #[instrument(skip_all)]
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
        let found = [
            ("linked", letters.len().to_string()),
            ("emails", emails.to_string()),
        ];
        let audit = reply.audit.as_ref();
        crate::staff::write_audit(tx.as_mut(), audit, Some(id.to_string()), &found).await?;
        tx.commit().await?;
        Ok(ReplyOutcome {
            id,
            linked: letters.len() as u64,
            emails,
        })
    }

    #[instrument(skip_all)]
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

    #[instrument(skip_all)]
    async fn reply_scan(&self, id: ReplyId) -> StoreResult<Option<StoredScan>> {
        scan(
            self,
            "SELECT content_type, bytes FROM replies WHERE id = $1",
            id.0,
        )
        .await
    }

    #[instrument(skip_all)]
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

    #[instrument(skip_all)]
    async fn pending_mail(&self, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<MailItem>> {
        let rows = self
            .read_all(dsql::PENDING_MAIL.into(), &[&now, &limit])
            .await?;
        rows.iter().map(mail_from).collect()
    }

    #[instrument(skip_all)]
    async fn claim_mail(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<MailItem>> {
        crate::steps::lease_due(
            self,
            dsql::PENDING_MAIL,
            "o",
            "outbox",
            now,
            lease_until,
            limit,
            mail_from,
            |item| item.id,
        )
        .await
    }

    #[instrument(skip_all)]
    async fn overdue_mail(&self, before: DateTime<Utc>) -> StoreResult<i64> {
        scalar(
            self.read_one(
                "SELECT COUNT(*) FROM outbox o JOIN letters l ON l.id = o.letter_id
                 WHERE o.sent_at IS NULL AND o.gave_up_at IS NULL AND o.next_attempt_at <= $1
                   AND l.writer_email_enc IS NOT NULL"
                    .into(),
                &[&before],
            )
            .await,
        )
    }

    #[instrument(skip_all)]
    async fn give_up_mail(&self, id: Uuid, error: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        tx.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $2, gave_up_at = $3
             WHERE id = $1"
                .into(),
            &[&id, &error, &at],
        )
        .await?;
        tx.commit().await
    }

    #[instrument(skip_all)]
    async fn given_up_mail(&self) -> StoreResult<i64> {
        scalar(
            self.read_one(
                "SELECT COUNT(*) FROM outbox WHERE gave_up_at IS NOT NULL".into(),
                &[],
            )
            .await,
        )
    }

    #[instrument(skip_all)]
    async fn mark_mail_sent(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        tx.execute(
            "UPDATE outbox SET sent_at = $2, attempts = attempts + 1 WHERE id = $1".into(),
            &[&id, &at],
        )
        .await?;
        tx.commit().await
    }

    #[instrument(skip_all)]
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
