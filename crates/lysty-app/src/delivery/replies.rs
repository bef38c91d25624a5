//! Replies from prison, with their scans.

use super::*;

impl App {
    // --- replies ---

    pub async fn record_reply(
        &self,
        actor: &Actor,
        prisoner: &str,
        received: &str,
        transcription: &str,
        consent_publish: bool,
        scan: Option<(String, Vec<u8>)>,
    ) -> Result<ReplyOutcome, DeliveryError> {
        Self::dispatcher(actor)?;
        let prisoner = self.prisoner(prisoner).await?;
        let received_at = match received.trim() {
            "" => self.now(),
            raw => parse_day(raw).ok_or(DeliveryError::Invalid(DeliveryField::Received))?,
        };
        let transcription = text(transcription, 20_000, DeliveryField::Transcription, false)?;
        let scan = match scan {
            Some((_, bytes)) if bytes.is_empty() => None,
            Some((_, bytes)) => Some(checked_scan(bytes)?),
            None => None,
        };
        if transcription.is_empty() && scan.is_none() {
            return Err(DeliveryError::Invalid(DeliveryField::Transcription));
        }
        let outcome = self
            .store()
            .record_reply(&NewReply {
                campaign: self.campaign().id,
                prisoner: prisoner.id,
                received_at,
                transcription,
                consent_publish,
                scan,
                actor: actor.id(),
                at: self.now(),
                audit: Some(self.audit_line(
                    Some(&actor.staff),
                    "reply_recorded",
                    Some(("reply", String::new())),
                    format!(
                        "prisoner={} linked={{linked}} emails={{emails}}",
                        prisoner.slug
                    ),
                )),
            })
            .await?;
        self.wake_mail();
        Ok(outcome)
    }

    /// Replies from a prisoner; the public sees only those published with consent.
    pub async fn replies(
        &self,
        prisoner: lysty_store::PrisonerId,
        published_only: bool,
    ) -> Result<Vec<lysty_store::Reply>, StoreError> {
        self.store().replies(prisoner, published_only).await
    }

    pub async fn reply_scan(
        &self,
        actor: &Actor,
        id: lysty_store::ReplyId,
    ) -> Result<lysty_store::StoredScan, DeliveryError> {
        Self::dispatcher(actor)?;
        self.store()
            .reply_scan(id)
            .await?
            .ok_or(DeliveryError::NotFound)
    }
}
