//! The review steps: the queues, opening (claiming) a letter, approve, reject, redact, translate, transcribe, and recomputing flags.

use super::*;

impl App {
    pub async fn review_queue(
        &self,
        actor: &Actor,
        queue: Queue,
        mut filter: ReviewFilter,
    ) -> Result<Vec<ReviewLetter>, ReviewError> {
        if !actor.is(queue.roles()) {
            return Err(ReviewError::Forbidden);
        }
        filter.states = queue.states();
        filter.limit = filter.limit.clamp(1, 200);
        Ok(self
            .store()
            .review_queue(self.campaign().id, &filter)
            .await?)
    }

    /// Opens a letter for work: claims it for a few minutes.
    pub async fn open_letter(
        &self,
        actor: &Actor,
        id: LetterId,
    ) -> Result<ReviewLetter, ReviewError> {
        if !actor.is(&[Role::Moderator, Role::Translator]) {
            return Err(ReviewError::Forbidden);
        }
        let now = self.now();
        let until = now + chrono::Duration::from_std(self.inner.auth.claim_for).unwrap_or_default();
        let letter = self
            .store()
            .review_letter(id)
            .await?
            .ok_or(ReviewError::NotFound)?;
        let claimable = matches!(
            letter.state,
            LetterState::Received | LetterState::InReview | LetterState::NeedsTranslation
        );
        if !claimable {
            return Ok(letter);
        }
        let opened = NewAudit {
            at: now,
            actor: Some(actor.id()),
            actor_org: Some(actor.org()),
            action: "letter_opened".to_owned(),
            object_type: Some("letter".to_owned()),
            object_id: Some(id.to_string()),
            detail: String::new(),
        };
        match self
            .store()
            .claim_letter(id, actor.id(), actor.org(), now, until, Some(&opened))
            .await?
        {
            ClaimOutcome::Claimed(letter) => Ok(*letter),
            ClaimOutcome::HeldByOther { until } => Err(ReviewError::Claimed { until }),
            ClaimOutcome::NotFound => Err(ReviewError::NotFound),
        }
    }

    /// A letter without claiming it (to show who holds it, or its history).
    pub async fn letter_for_staff(
        &self,
        actor: &Actor,
        id: LetterId,
    ) -> Result<ReviewLetter, ReviewError> {
        if !actor.is(&[
            Role::Moderator,
            Role::Translator,
            Role::Viewer,
            Role::Dispatcher,
        ]) {
            return Err(ReviewError::Forbidden);
        }
        self.store()
            .review_letter(id)
            .await?
            .ok_or(ReviewError::NotFound)
    }

    pub(super) async fn step(
        &self,
        actor: &Actor,
        letter: &ReviewLetter,
        to: LetterState,
        change: TextChange,
        action: &str,
        detail: String,
    ) -> Result<(), ReviewError> {
        let outcome = self
            .store()
            .review_step(&ReviewStep {
                letter: letter.id,
                from: letter.state,
                to,
                actor: actor.id(),
                actor_org: actor.org(),
                note: None,
                at: self.now(),
                require_claim: true,
                change,
                audit: Some(NewAudit {
                    at: self.now(),
                    actor: Some(actor.id()),
                    actor_org: Some(actor.org()),
                    action: action.to_owned(),
                    object_type: Some("letter".to_owned()),
                    object_id: Some(letter.id.to_string()),
                    detail,
                }),
            })
            .await?;
        match outcome {
            StepOutcome::Done => Ok(()),
            StepOutcome::NotClaimed => Err(ReviewError::NotClaimed),
            StepOutcome::WrongState(s) => Err(ReviewError::WrongState(s)),
            StepOutcome::NotFound => Err(ReviewError::NotFound),
        }
    }

    pub(super) fn is_russian(letter: &ReviewLetter) -> bool {
        match letter.detected_language.as_deref() {
            Some(code) => code == "ru",
            None => letter.language == LetterLanguage::Ru,
        }
    }

    /// Approves a letter in review. A Russian letter (or one with a Russian translation)
    /// becomes `approved`; any other goes to the translation queue first.
    pub async fn approve(&self, actor: &Actor, id: LetterId) -> Result<LetterState, ReviewError> {
        let letter = self.letter_as(actor, &[Role::Moderator], id).await?;
        if letter.state != LetterState::InReview {
            return Err(ReviewError::WrongState(letter.state));
        }
        if letter.body.trim().is_empty() {
            // A paper letter whose pages are not transcribed yet.
            return Err(ReviewError::Invalid("transcription".into()));
        }
        // A Russian text older than the last redaction of the original may still carry a
        // struck passage: it is never approved, the letter goes to a translator again.
        let outdated = self.translation_outdated(&letter).await?;
        if letter.body_delivery.is_some() && !outdated {
            self.step(
                actor,
                &letter,
                LetterState::Approved,
                TextChange::default(),
                "approve",
                String::new(),
            )
            .await?;
            Ok(LetterState::Approved)
        } else if Self::is_russian(&letter) && !outdated {
            let change = TextChange {
                body_delivery: Some(letter.body.clone()),
                ..TextChange::default()
            };
            self.step(
                actor,
                &letter,
                LetterState::Approved,
                change,
                "approve",
                String::new(),
            )
            .await?;
            Ok(LetterState::Approved)
        } else {
            self.step(
                actor,
                &letter,
                LetterState::NeedsTranslation,
                TextChange::default(),
                "approve_for_translation",
                String::new(),
            )
            .await?;
            Ok(LetterState::NeedsTranslation)
        }
    }

    /// Rejects with a reason; the note stays with the staff (not in the audit log, not
    /// on the writer's page).
    pub async fn reject(
        &self,
        actor: &Actor,
        id: LetterId,
        reason: RejectReason,
        note: &str,
    ) -> Result<(), ReviewError> {
        let letter = self.letter_as(actor, &[Role::Moderator], id).await?;
        if !matches!(
            letter.state,
            LetterState::InReview | LetterState::NeedsTranslation
        ) {
            return Err(ReviewError::WrongState(letter.state));
        }
        let note = note.trim();
        if note.chars().count() > 2000 {
            return Err(ReviewError::Invalid("note".into()));
        }
        let change = TextChange {
            reject_reason: Some(reason.as_str().to_owned()),
            reject_note: (!note.is_empty()).then(|| note.to_owned()),
            ..TextChange::default()
        };
        self.step(
            actor,
            &letter,
            LetterState::Rejected,
            change,
            "reject",
            reason.as_str().to_owned(),
        )
        .await
    }

    /// Strikes passages from the letter: each becomes `[…]` wherever it stands, in the
    /// writer's original and in the delivery (Russian) text — what is printed is what was
    /// reviewed. A passage found in the original of a translated letter but not in its
    /// Russian text may still be there in other words: the letter goes back to translation,
    /// and cannot be approved until a new Russian text is saved. The flags are recomputed on
    /// the text that will be delivered. The earlier texts stay in the letter's history, for
    /// admins.
    pub async fn redact(
        &self,
        actor: &Actor,
        id: LetterId,
        passages: &[String],
    ) -> Result<(), ReviewError> {
        let letter = self.letter_as(actor, &[Role::Moderator], id).await?;
        let passages: Vec<&str> = passages
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect();
        let delivery = letter.body_delivery.as_deref();
        let in_delivery = |p: &str| delivery.is_some_and(|d| d.contains(p));
        if passages.is_empty()
            || passages
                .iter()
                .any(|p| !letter.body.contains(p) && !in_delivery(p))
        {
            return Err(ReviewError::Invalid("passages".into()));
        }
        let strike = |text: &str| {
            passages.iter().fold(text.to_owned(), |text, passage| {
                text.replace(passage, "[…]")
            })
        };
        let body = strike(&letter.body);
        let body_delivery = delivery.map(strike);
        let outdated = delivery.is_some()
            && passages
                .iter()
                .any(|p| letter.body.contains(p) && !in_delivery(p));
        let flags = self
            .flags_for_letter(&letter, &body, body_delivery.as_deref())
            .await?;
        let change = TextChange {
            body: Some(body),
            body_delivery,
            flags: Some(flags),
            version_reason: Some(
                if outdated {
                    REDACTION_TRANSLATION_OUTDATED
                } else {
                    REDACTION
                }
                .into(),
            ),
            ..TextChange::default()
        };
        let to = if outdated {
            LetterState::NeedsTranslation
        } else {
            letter.state
        };
        self.step(
            actor,
            &letter,
            to,
            change,
            "redact",
            format!("{} passage(s)", passages.len()),
        )
        .await
    }

    /// Whether the letter's delivery text was written before its last redaction of the
    /// original (so it may still carry a struck passage).
    pub(super) async fn translation_outdated(
        &self,
        letter: &ReviewLetter,
    ) -> Result<bool, StoreError> {
        if letter.body_delivery.is_none() {
            return Ok(false);
        }
        let versions = self.store().letter_versions(letter.id).await?;
        let last = |reason: &str| {
            versions
                .iter()
                .filter(|v| v.reason == reason)
                .map(|v| v.at)
                .max()
        };
        Ok(match last(REDACTION_TRANSLATION_OUTDATED) {
            Some(redacted) => last(TRANSLATION).is_none_or(|translated| translated <= redacted),
            None => false,
        })
    }

    /// Saves the Russian text of a letter waiting for translation; the flags are
    /// recomputed on it and the letter goes back to review.
    pub async fn translate(
        &self,
        actor: &Actor,
        id: LetterId,
        russian: &str,
    ) -> Result<(), ReviewError> {
        let letter = self.letter_as(actor, &[Role::Translator], id).await?;
        let russian = lysty_domain::LetterBody::parse(russian, self.config().max_letter_chars * 2)
            .map_err(|e| ReviewError::Invalid(e.to_string()))?;
        let flags = self
            .flags_for_letter(&letter, &letter.body, Some(russian.as_str()))
            .await?;
        let change = TextChange {
            body_delivery: Some(russian.as_str().to_owned()),
            flags: Some(flags),
            version_reason: Some(TRANSLATION.into()),
            ..TextChange::default()
        };
        self.step(
            actor,
            &letter,
            LetterState::InReview,
            change,
            "translate",
            String::new(),
        )
        .await
    }

    /// Types in the text of a paper letter from its pages; the flags are computed on it.
    pub async fn transcribe(
        &self,
        actor: &Actor,
        id: LetterId,
        text: &str,
    ) -> Result<(), ReviewError> {
        let letter = self
            .letter_as(actor, &[Role::Moderator, Role::Translator], id)
            .await?;
        if letter.source != lysty_domain::Source::Paper {
            return Err(ReviewError::Invalid("not a paper letter".into()));
        }
        let body = lysty_domain::LetterBody::parse(text, self.config().max_letter_chars)
            .map_err(|e| ReviewError::Invalid(e.to_string()))?;
        // The flags are those of the transcription and of the text that will be delivered.
        let flags = self
            .flags_for_letter(&letter, body.as_str(), letter.body_delivery.as_deref())
            .await?;
        let change = TextChange {
            body: Some(body.as_str().to_owned()),
            flags: Some(flags),
            version_reason: Some("transcription".into()),
            ..TextChange::default()
        };
        self.step(
            actor,
            &letter,
            letter.state,
            change,
            "transcribe",
            String::new(),
        )
        .await
    }

    /// Recomputes the flags of every letter still waiting, after the lexicon changed.
    pub async fn recompute_flags(&self) -> Result<usize, StoreError> {
        let mut after = None;
        let mut count = 0;
        loop {
            let page = self
                .store()
                .review_queue(
                    self.campaign().id,
                    &ReviewFilter {
                        states: vec![
                            LetterState::Received,
                            LetterState::InReview,
                            LetterState::NeedsTranslation,
                        ],
                        after,
                        limit: 200,
                        ..ReviewFilter::default()
                    },
                )
                .await?;
            for letter in &page {
                let flags = self
                    .flags_for_letter(letter, &letter.body, letter.body_delivery.as_deref())
                    .await?;
                self.store().set_letter_flags(letter.id, &flags).await?;
                count += 1;
            }
            match page.last() {
                Some(last) if page.len() == 200 => after = Some(last.id),
                _ => return Ok(count),
            }
        }
    }
}
