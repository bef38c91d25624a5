//! Batches: what waits, building one, its PDF and electronic export, sending.

use super::*;

impl App {
    // --- batches ---

    pub(super) async fn batch_request(
        &self,
        input: &BatchInput,
    ) -> Result<(Facility, BatchRequest), DeliveryError> {
        let facility = self
            .store()
            .facility_by_slug(input.facility.trim())
            .await?
            .ok_or(DeliveryError::Invalid(DeliveryField::Facility))?;
        let channel: Channel = input
            .channel
            .parse()
            .map_err(|_| DeliveryError::Invalid(DeliveryField::Channel))?;
        if !facility.rules.channels.contains(&channel) {
            return Err(DeliveryError::ChannelNotUsed);
        }
        if channel == Channel::Post && facility.address_ru.is_none() {
            return Err(DeliveryError::NoAddress);
        }
        let prisoner = match input.prisoner.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(slug) => {
                let prisoner = self.prisoner(slug).await?;
                match &prisoner.facility {
                    None => return Err(DeliveryError::NoPlacement),
                    Some(f) if f.id != facility.id => {
                        return Err(DeliveryError::Invalid(DeliveryField::Prisoner));
                    }
                    Some(_) => Some(prisoner.id),
                }
            }
        };
        let config = &self.config().delivery;
        Ok((
            facility.clone(),
            BatchRequest {
                campaign: self.campaign().id,
                facility: facility.id,
                channel,
                prisoner,
                per_prisoner_per_week: i64::from(config.per_prisoner_per_week),
                limit: i64::from(config.batch_limit),
                now: self.now(),
            },
        ))
    }

    /// What a batch would take now, without taking it.
    pub async fn preview_batch(
        &self,
        actor: &Actor,
        input: &BatchInput,
    ) -> Result<(Facility, Vec<DeliveryLetter>), DeliveryError> {
        Self::dispatcher(actor)?;
        let (facility, request) = self.batch_request(input).await?;
        let letters = self.store().batch_candidates(&request).await?;
        Ok((facility, letters))
    }

    pub async fn build_batch(
        &self,
        actor: &Actor,
        input: &BatchInput,
    ) -> Result<BatchId, DeliveryError> {
        Self::dispatcher(actor)?;
        let (facility, request) = self.batch_request(input).await?;
        let line = self.action_line(
            actor,
            "batch_built",
            Some(("batch", String::new())),
            format!(
                "facility={} channel={} letters={{count}}",
                facility.slug, request.channel
            ),
        );
        match self.store().build_batch(&request, &line).await? {
            BuildOutcome::Empty => Err(DeliveryError::NothingToBatch),
            BuildOutcome::Built { id, .. } => Ok(id),
        }
    }

    /// Approved letters waiting for a prisoner who has no facility yet.
    pub async fn unplaced_letters(&self, actor: &Actor) -> Result<i64, DeliveryError> {
        Self::dispatcher(actor)?;
        Ok(self.store().unplaced_letters(self.campaign().id).await?)
    }

    pub async fn batches(&self, actor: &Actor) -> Result<Vec<Batch>, DeliveryError> {
        Self::dispatcher(actor)?;
        Ok(self.store().list_batches(self.campaign().id, 100).await?)
    }

    pub async fn batch(&self, actor: &Actor, id: BatchId) -> Result<BatchView, DeliveryError> {
        Self::dispatcher(actor)?;
        let batch = self
            .store()
            .batch(id)
            .await?
            .ok_or(DeliveryError::NotFound)?;
        let facility = self
            .store()
            .facility_by_id(batch.facility)
            .await?
            .ok_or(DeliveryError::NotFound)?;
        let letters = self.store().batch_letters(id).await?;
        Ok(BatchView {
            batch,
            facility,
            letters,
        })
    }

    /// What a batch's PDF prints: a cover sheet with the envelope block per prisoner, then
    /// each letter (tests read its text with `lysty_pdf::render_text`).
    pub async fn batch_document(
        &self,
        actor: &Actor,
        id: BatchId,
        reply_kit: bool,
    ) -> Result<lysty_pdf::Document, DeliveryError> {
        let view = self.batch(actor, id).await?;
        let labels = print_labels(&view.facility.rules.language);
        if view.batch.channel == Channel::Post && view.facility.address_ru.is_none() {
            return Err(DeliveryError::NoAddress);
        }
        Ok(lysty_pdf::Document {
            title: format!(
                "{} · {} · {}",
                view.facility.name_ru,
                view.batch.created_at.format("%Y-%m-%d"),
                channel_label(&labels, view.batch.channel)
            ),
            labels,
            packets: packets(&view.letters, &view.facility, view.batch.channel),
            reply_kit,
            reply_address: self.config().delivery.return_address(),
        })
    }

    /// The print-ready PDF of a batch: a cover sheet with the envelope block per prisoner,
    /// then each letter.
    pub async fn batch_pdf(
        &self,
        actor: &Actor,
        id: BatchId,
        reply_kit: bool,
    ) -> Result<Vec<u8>, DeliveryError> {
        let document = self.batch_document(actor, id, reply_kit).await?;
        let pdf = render(document).await?;
        self.audit(
            Some(&actor.staff),
            "batch_printed",
            Some(("batch", id.to_string())),
            "",
        )
        .await?;
        Ok(pdf)
    }

    /// Each letter of a batch split into the messages the facility's electronic service
    /// takes.
    pub async fn electronic_export(
        &self,
        actor: &Actor,
        id: BatchId,
    ) -> Result<Vec<ElectronicLetter>, DeliveryError> {
        let view = self.batch(actor, id).await?;
        let limit = view
            .facility
            .rules
            .electronic_max_chars
            .and_then(|l| usize::try_from(l).ok())
            .unwrap_or(self.config().delivery.electronic_default_chars as usize);
        let mut out = Vec::new();
        for letter in &view.letters {
            let text = match letter.signature() {
                Some(signature) => format!("{}\n\n{signature}", letter.delivery_text()),
                None => letter.delivery_text().to_owned(),
            };
            let parts = split_for_channel(&text, limit, view.facility.rules.electronic_parts)
                .map_err(|_| DeliveryError::TooLongForChannel {
                    reference: letter.reference(),
                    limit,
                })?;
            out.push(ElectronicLetter {
                reference: letter.reference(),
                recipient: envelope(letter, &view.facility).recipient.join(", "),
                parts,
            });
        }
        Ok(out)
    }

    pub async fn mark_batch_sent(
        &self,
        actor: &Actor,
        id: BatchId,
        date: &str,
        reference: &str,
    ) -> Result<u64, DeliveryError> {
        Self::dispatcher(actor)?;
        let sent_at = match date.trim() {
            "" => self.now(),
            raw => parse_day(raw).ok_or(DeliveryError::Invalid(DeliveryField::Date))?,
        };
        if sent_at > self.now() + chrono::Duration::days(1) {
            return Err(DeliveryError::Invalid(DeliveryField::Date));
        }
        let reference = text(reference, 200, DeliveryField::Reference, false)?;
        let line = self.action_line(
            actor,
            "batch_sent",
            Some(("batch", id.to_string())),
            "letters={count}",
        );
        match self
            .store()
            .mark_batch_sent(id, sent_at, &reference, &line)
            .await?
        {
            SentOutcome::NotFound => Err(DeliveryError::NotFound),
            SentOutcome::AlreadySent => Err(DeliveryError::AlreadySent),
            SentOutcome::Done(n) => Ok(n),
        }
    }
}

/// The channel's name in the printed language: the cover sheet carries no English word.
fn channel_label(labels: &lysty_pdf::Labels, channel: Channel) -> &str {
    let label = match channel {
        Channel::Post => &labels.channel_post,
        Channel::Electronic => &labels.channel_electronic,
        Channel::Handover => &labels.channel_handover,
    };
    if label.is_empty() {
        channel.as_str()
    } else {
        label
    }
}
