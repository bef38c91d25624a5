//! Held letters, rerouting, and the letter bank with its PDF.

use super::*;

impl App {
    // --- held letters and the bank ---

    pub async fn held_letters(&self, actor: &Actor) -> Result<Vec<DeliveryLetter>, DeliveryError> {
        Self::dispatcher(actor)?;
        Ok(self.store().held_letters(self.campaign().id).await?)
    }

    /// The facility (its Russian name) each of these prisoners is held at now, where known.
    pub async fn current_facilities(
        &self,
        actor: &Actor,
        slugs: &[&str],
    ) -> Result<std::collections::HashMap<String, String>, DeliveryError> {
        Self::dispatcher(actor)?;
        let mut now_at = std::collections::HashMap::new();
        for slug in slugs {
            if now_at.contains_key(*slug) {
                continue;
            }
            let prisoner = self
                .store()
                .prisoner_by_slug(self.campaign().id, slug)
                .await?;
            if let Some(facility) = prisoner.and_then(|p| p.facility) {
                now_at.insert((*slug).to_owned(), facility.name_ru);
            }
        }
        Ok(now_at)
    }

    /// Lets a held letter go to the prisoner's current facility with the next batch.
    pub async fn reroute(&self, actor: &Actor, letter: LetterId) -> Result<(), DeliveryError> {
        Self::dispatcher(actor)?;
        let audit = self.audit_line(
            Some(&actor.staff),
            "letter_rerouted",
            Some(("letter", letter.to_string())),
            "",
        );
        if !self.store().release_hold(letter, &audit).await? {
            return Err(DeliveryError::NotFound);
        }
        Ok(())
    }

    pub async fn bank(
        &self,
        actor: &Actor,
        letter: LetterId,
        note: &str,
    ) -> Result<(), DeliveryError> {
        Self::dispatcher(actor)?;
        let note = text(note, 2000, DeliveryField::Note, false)?;
        match self
            .store()
            .bank_letter(
                letter,
                &note,
                &self.action_line(
                    actor,
                    "letter_banked",
                    Some(("letter", letter.to_string())),
                    "",
                ),
            )
            .await?
        {
            Ok(()) => Ok(()),
            Err(OutcomeProblem::NotFound) => Err(DeliveryError::NotFound),
            Err(OutcomeProblem::WrongState(s)) => Err(DeliveryError::WrongState(s)),
        }
    }

    pub async fn letter_bank(
        &self,
        actor: &Actor,
    ) -> Result<Vec<lysty_store::BankEntry>, DeliveryError> {
        Self::dispatcher(actor)?;
        Ok(self.store().letter_bank(self.campaign().id).await?)
    }

    /// The letters kept for one prisoner, as a PDF to hand over later.
    pub async fn bank_pdf(&self, actor: &Actor, prisoner: &str) -> Result<Vec<u8>, DeliveryError> {
        // The bank is handed over in person; its words are printed in Russian.
        let labels = print_labels("ru");
        Self::dispatcher(actor)?;
        let prisoner = self.prisoner(prisoner).await?;
        let letters = self.store().banked_letters(prisoner.id).await?;
        if letters.is_empty() {
            return Err(DeliveryError::NotFound);
        }
        // The bank has no facility: the envelope carries the name alone.
        let mut packet_letters = Vec::new();
        for l in &letters {
            packet_letters.push(lysty_pdf::LetterPage {
                reference: l.reference(),
                text: l.delivery_text().to_owned(),
                // The bank is handed over in person, past no censor: the original goes too.
                original: (l.is_translated() && !l.redacted).then(|| l.body.clone()),
                return_address: None,
                signature: l.signature(),
            });
        }
        let name = prisoner
            .names
            .ru_full
            .clone()
            .unwrap_or_else(|| prisoner.names.uk.clone());
        let document = lysty_pdf::Document {
            title: name.clone(),
            labels,
            packets: vec![lysty_pdf::PrisonerPacket {
                envelope: lysty_pdf::Envelope {
                    recipient: vec![name, prisoner.names.uk.clone()],
                    address: Vec::new(),
                },
                letters: packet_letters,
            }],
            reply_kit: false,
            reply_address: None,
        };
        let pdf = render(document).await?;
        self.audit(
            Some(&actor.staff),
            "bank_printed",
            Some(("prisoner", prisoner.slug.to_string())),
            "",
        )
        .await?;
        Ok(pdf)
    }
}
