//! Outcomes of sent letters, one by one or from a CSV file, with their evidence.

use super::*;

impl App {
    // --- outcomes ---

    pub async fn record_outcome(
        &self,
        actor: &Actor,
        letter: LetterId,
        outcome: &str,
        note: &str,
        scan: Option<(String, Vec<u8>)>,
    ) -> Result<(), DeliveryError> {
        Self::dispatcher(actor)?;
        let outcome: Outcome = outcome
            .parse()
            .map_err(|_| DeliveryError::Invalid(DeliveryField::Outcome))?;
        let note = text(note, 2000, DeliveryField::Note, false)?;
        let scan = match scan {
            Some((_, bytes)) if bytes.is_empty() => None,
            Some((_, bytes)) => Some(checked_scan(bytes)?),
            None => None,
        };
        let row = NewOutcome {
            letter,
            outcome,
            note,
            scan,
        };
        let line = self.action_line(
            actor,
            "outcome_recorded",
            Some(("letter", letter.to_string())),
            outcome.as_str(),
        );
        match self.store().record_outcomes(&[row], &line).await? {
            Ok(()) => Ok(()),
            Err((_, OutcomeProblem::NotFound)) => Err(DeliveryError::NotFound),
            Err((_, OutcomeProblem::WrongState(s))) => Err(DeliveryError::WrongState(s)),
        }
    }

    /// Records outcomes from a CSV file: all rows or none; every bad row by its line.
    pub async fn import_outcomes(
        &self,
        actor: &Actor,
        input: impl std::io::Read,
    ) -> Result<usize, DeliveryError> {
        Self::dispatcher(actor)?;
        let rows = parse_outcomes(input).map_err(DeliveryError::Rows)?;
        let sent = self
            .store()
            .letters_in_state(self.campaign().id, LetterState::Sent, 1_000_000)
            .await?;
        let mut errors = Vec::new();
        let mut outcomes = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let sent_ids: Vec<LetterId> = sent.iter().map(|l| l.id).collect();
        for (line, row) in &rows {
            match resolve_reference(&sent_ids, &row.reference) {
                Err(ReferenceProblem::Unknown) => errors.push(RowError {
                    line: *line,
                    message: format!("no sent letter has the reference `{}`", row.reference),
                }),
                Err(ReferenceProblem::Ambiguous(n)) => errors.push(RowError {
                    line: *line,
                    message: format!(
                        "the reference `{}` matches {n} sent letters; give the letter's full id",
                        row.reference
                    ),
                }),
                Ok(id) if !seen.insert(id) => errors.push(RowError {
                    line: *line,
                    message: format!("the letter `{}` appears twice in the file", row.reference),
                }),
                Ok(id) => outcomes.push(NewOutcome {
                    letter: id,
                    outcome: row.outcome,
                    note: row.note.clone(),
                    scan: None,
                }),
            }
        }
        if !errors.is_empty() {
            return Err(DeliveryError::Rows(errors));
        }
        let audit = self.action_line(actor, "outcomes_imported", None, "rows={count}");
        match self.store().record_outcomes(&outcomes, &audit).await? {
            Ok(()) => {}
            Err((i, problem)) => {
                let line = rows.get(i).map_or(0, |(l, _)| *l);
                let message = match problem {
                    OutcomeProblem::NotFound => "the letter no longer exists".to_owned(),
                    OutcomeProblem::WrongState(s) => format!("the letter is {} now", s.as_str()),
                };
                return Err(DeliveryError::Rows(vec![RowError { line, message }]));
            }
        }
        Ok(outcomes.len())
    }

    pub async fn delivery_letter(
        &self,
        actor: &Actor,
        id: LetterId,
    ) -> Result<(DeliveryLetter, Vec<lysty_store::Evidence>), DeliveryError> {
        Self::dispatcher(actor)?;
        let letter = self
            .store()
            .delivery_letter(id)
            .await?
            .ok_or(DeliveryError::NotFound)?;
        let evidence = self.store().evidence(id).await?;
        Ok((letter, evidence))
    }

    pub async fn evidence_scan(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
    ) -> Result<lysty_store::StoredScan, DeliveryError> {
        Self::dispatcher(actor)?;
        self.store()
            .evidence_scan(id)
            .await?
            .ok_or(DeliveryError::NotFound)
    }

    /// Letters waiting for an outcome.
    pub async fn sent_letters(&self, actor: &Actor) -> Result<Vec<DeliveryLetter>, DeliveryError> {
        Self::dispatcher(actor)?;
        Ok(self
            .store()
            .letters_in_state(self.campaign().id, LetterState::Sent, 500)
            .await?)
    }
}
