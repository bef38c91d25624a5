//! Review and translation: the queues, claiming a letter, approving, rejecting,
//! redacting and translating — each a transition with its audit line — and the safety
//! flags that advise the people who decide.

use lysty_domain::safety::{self, FlagKind, LexLang, Lexicon, LexiconEntry, SafetyContext};
use lysty_domain::{LetterLanguage, LetterState, RejectReason, Role};
use lysty_store::{
    ClaimOutcome, FlagsUpdate, LetterId, ReviewFilter, ReviewLetter, ReviewStep, StepOutcome,
    StoreError, TextChange,
};

use crate::App;
use crate::staff::{Actor, StaffError};

/// Below this many letters, a text with no "not Russian" flag is still not taken for
/// Russian.
const MIN_LETTERS_FOR_RUSSIAN: usize = 40;

/// From how many copies a text counts as repeated.
const REPEAT_THRESHOLD: u32 = 3;

/// Why an earlier text is kept as a version: the reasons the rules below read back.
const REDACTION: &str = "redaction";
/// A redaction of the original that the delivery text may not reflect yet.
const REDACTION_TRANSLATION_OUTDATED: &str = "redaction_translation_outdated";
const TRANSLATION: &str = "translation";

/// Which queue to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Letters to review: received or being reviewed.
    Review,
    /// Letters waiting for a Russian text.
    Translation,
}

impl Queue {
    pub fn states(self) -> Vec<LetterState> {
        match self {
            Queue::Review => vec![LetterState::Received, LetterState::InReview],
            Queue::Translation => vec![LetterState::NeedsTranslation],
        }
    }

    fn roles(self) -> &'static [Role] {
        match self {
            Queue::Review => &[Role::Moderator, Role::Translator],
            Queue::Translation => &[Role::Translator, Role::Moderator],
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("not allowed")]
    Forbidden,
    #[error("no such letter")]
    NotFound,
    /// Someone else is working on it.
    #[error("another person is working on this letter")]
    Claimed {
        until: chrono::DateTime<chrono::Utc>,
    },
    #[error("open the letter first: your claim has expired or is someone else's")]
    NotClaimed,
    #[error("the letter is {0:?} now")]
    WrongState(LetterState),
    #[error("a Russian text is needed before approval")]
    NeedsRussian,
    #[error("invalid input: {0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<StaffError> for ReviewError {
    fn from(e: StaffError) -> Self {
        match e {
            StaffError::Store(s) => ReviewError::Store(s),
            StaffError::NotFound => ReviewError::NotFound,
            _ => ReviewError::Forbidden,
        }
    }
}

fn lex_lang(code: &str) -> Option<LexLang> {
    match code {
        "ru" => Some(LexLang::Ru),
        "uk" => Some(LexLang::Uk),
        "en" => Some(LexLang::En),
        _ => None,
    }
}

pub fn lang_code(lang: LexLang) -> &'static str {
    match lang {
        LexLang::Ru => "ru",
        LexLang::Uk => "uk",
        LexLang::En => "en",
    }
}

pub fn category_code(category: safety::Category) -> &'static str {
    match category {
        safety::Category::Political => "political",
        safety::Category::War => "war",
        safety::Category::CaseDetails => "case_details",
        safety::Category::Profanity => "profanity",
    }
}

fn category_of(code: &str) -> Option<safety::Category> {
    match code {
        "political" => Some(safety::Category::Political),
        "war" => Some(safety::Category::War),
        "case_details" => Some(safety::Category::CaseDetails),
        "profanity" => Some(safety::Category::Profanity),
        _ => None,
    }
}

impl App {
    /// Loads the lexicon from the store (seeding the starter list into an empty one).
    pub async fn reload_lexicon(&self) -> Result<(), StoreError> {
        let mut terms = self.store().list_lexicon().await?;
        if terms.is_empty() {
            for entry in safety::starter_lexicon() {
                self.store()
                    .add_lexicon(
                        &entry.term,
                        lang_code(entry.language),
                        category_code(entry.category),
                        self.now(),
                    )
                    .await?;
            }
            terms = self.store().list_lexicon().await?;
        }
        let entries = terms
            .iter()
            .filter_map(|t| {
                Some(LexiconEntry {
                    term: t.term.clone(),
                    language: lex_lang(&t.language)?,
                    category: category_of(&t.category)?,
                })
            })
            .collect();
        let lexicon = std::sync::Arc::new(Lexicon::new(entries));
        if let Ok(mut slot) = self.inner.lexicon.write() {
            *slot = lexicon;
        }
        Ok(())
    }

    fn lexicon(&self) -> std::sync::Arc<Lexicon> {
        self.inner
            .lexicon
            .read()
            .map(|l| l.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// The flags for a text, as stored with the letter.
    pub fn flags_for(&self, text: &str, same_text_count: u32) -> FlagsUpdate {
        self.flags_with_limit(text, same_text_count, None)
    }

    /// The flags for a text going to a facility that accepts at most `max_chars`.
    pub fn flags_with_limit(
        &self,
        text: &str,
        same_text_count: u32,
        max_chars: Option<usize>,
    ) -> FlagsUpdate {
        let lexicon = self.lexicon();
        let ctx = SafetyContext {
            lexicon: &lexicon,
            case_terms: &[],
            max_chars,
            same_text_count,
            repeat_threshold: REPEAT_THRESHOLD,
        };
        let flags = safety::check(text, &ctx);
        let detected_language = flags
            .iter()
            .find_map(|f| match &f.detail {
                safety::FlagDetail::Language { detected, .. } => Some(detected.clone()),
                _ => None,
            })
            .or_else(|| {
                // Too short a text cannot be told from Ukrainian with confidence: it stays
                // undetermined, so approval sends it to a translator to confirm rather
                // than passing it on as Russian.
                let letters = text.chars().filter(|c| c.is_alphabetic()).count();
                (letters >= MIN_LETTERS_FOR_RUSSIAN
                    && flags.iter().all(|f| f.kind != FlagKind::NotRussian))
                .then(|| "ru".to_owned())
            });
        FlagsUpdate {
            json: serde_json::to_string(&flags).unwrap_or_else(|_| "[]".into()),
            kinds: flags.iter().map(|f| f.kind.as_str().to_owned()).collect(),
            detected_language,
        }
    }

    /// The letter, for an actor holding one of `roles`.
    async fn letter_as(
        &self,
        actor: &Actor,
        roles: &[Role],
        id: LetterId,
    ) -> Result<ReviewLetter, ReviewError> {
        if !actor.is(roles) {
            return Err(ReviewError::Forbidden);
        }
        self.store()
            .review_letter(id)
            .await?
            .ok_or(ReviewError::NotFound)
    }

    /// The flags of a letter's (new) text: against its facility's limit, and counting
    /// the other letters with the same original text.
    async fn flags_for_letter(
        &self,
        letter: &ReviewLetter,
        text: &str,
    ) -> Result<FlagsUpdate, StoreError> {
        let copies = self
            .store()
            .count_fingerprint(letter.fingerprint.as_deref().unwrap_or(""))
            .await?;
        let limit = self.facility_limit(letter).await?;
        Ok(self.flags_with_limit(
            text,
            u32::try_from(copies.saturating_sub(1)).unwrap_or(0),
            limit,
        ))
    }

    /// The limit of the facility the letter's prisoner is held in, if it has one.
    async fn facility_limit(&self, letter: &ReviewLetter) -> Result<Option<usize>, StoreError> {
        Ok(self
            .store()
            .prisoner_by_slug(self.campaign().id, letter.prisoner_slug.as_str())
            .await?
            .and_then(|p| p.facility)
            .and_then(|f| f.max_letter_chars)
            .and_then(|m| usize::try_from(m).ok()))
    }

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
        match self
            .store()
            .claim_letter(id, actor.id(), actor.org(), now, until)
            .await?
        {
            ClaimOutcome::Claimed(letter) => {
                self.audit(
                    Some(&actor.staff),
                    "letter_opened",
                    Some(("letter", id.to_string())),
                    "",
                )
                .await?;
                Ok(*letter)
            }
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

    async fn step(
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
            })
            .await?;
        match outcome {
            StepOutcome::Done => {
                self.audit(
                    Some(&actor.staff),
                    action,
                    Some(("letter", letter.id.to_string())),
                    detail,
                )
                .await?;
                Ok(())
            }
            StepOutcome::NotClaimed => Err(ReviewError::NotClaimed),
            StepOutcome::WrongState(s) => Err(ReviewError::WrongState(s)),
            StepOutcome::NotFound => Err(ReviewError::NotFound),
        }
    }

    fn is_russian(letter: &ReviewLetter) -> bool {
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
            .flags_for_letter(&letter, body_delivery.as_deref().unwrap_or(&body))
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
    async fn translation_outdated(&self, letter: &ReviewLetter) -> Result<bool, StoreError> {
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
        let flags = self.flags_for_letter(&letter, russian.as_str()).await?;
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
        // Untranscribed paper letters share the empty text's fingerprint: no repeat count.
        // The flags are those of the text that will be delivered.
        let limit = self.facility_limit(&letter).await?;
        let delivered = letter.body_delivery.as_deref().unwrap_or(body.as_str());
        let flags = self.flags_with_limit(delivered, 0, limit);
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
                let text = letter.body_delivery.as_deref().unwrap_or(&letter.body);
                let flags = self.flags_for_letter(letter, text).await?;
                self.store().set_letter_flags(letter.id, &flags).await?;
                count += 1;
            }
            match page.last() {
                Some(last) if page.len() == 200 => after = Some(last.id),
                _ => return Ok(count),
            }
        }
    }

    // --- lexicon ---

    pub async fn add_lexicon_term(
        &self,
        actor: &Actor,
        term: &str,
        language: &str,
        category: &str,
    ) -> Result<(), ReviewError> {
        if !actor.is_admin() {
            return Err(ReviewError::Forbidden);
        }
        let term = term.trim();
        if term.is_empty()
            || term.chars().count() > 100
            || lex_lang(language).is_none()
            || category_of(category).is_none()
        {
            return Err(ReviewError::Invalid("term".into()));
        }
        let id = self
            .store()
            .add_lexicon(term, language, category, self.now())
            .await?;
        // The log names the term and its row, so that a later removal can be traced to it.
        self.audit(
            Some(&actor.staff),
            "lexicon_add",
            Some(("lexicon", id.to_string())),
            format!("{language}/{category}: {term}"),
        )
        .await?;
        self.reload_lexicon().await?;
        self.recompute_flags().await?;
        Ok(())
    }

    pub async fn remove_lexicon_term(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
    ) -> Result<(), ReviewError> {
        if !actor.is_admin() {
            return Err(ReviewError::Forbidden);
        }
        let Some(removed) = self.store().remove_lexicon(id).await? else {
            return Err(ReviewError::NotFound);
        };
        self.audit(
            Some(&actor.staff),
            "lexicon_remove",
            Some(("lexicon", id.to_string())),
            format!(
                "{}/{}: {}",
                removed.language, removed.category, removed.term
            ),
        )
        .await?;
        self.reload_lexicon().await?;
        self.recompute_flags().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lysty_store_sqlite::{SqliteOptions, SqliteStore};
    use std::sync::Arc;

    async fn app() -> App {
        let dir = tempfile::tempdir().unwrap().keep();
        let url = format!("sqlite://{}", dir.join("r.db").display());
        let store = SqliteStore::open(
            &url,
            &SqliteOptions {
                create: true,
                ..SqliteOptions::default()
            },
        )
        .await
        .unwrap();
        let cipher = crate::EmailCipher::from_base64(&crate::EmailCipher::generate_key()).unwrap();
        App::start(
            Arc::new(store),
            cipher,
            Arc::new(crate::SystemClock),
            crate::AppConfig::default(),
        )
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn a_short_text_is_not_taken_for_russian() {
        let app = app().await;
        let short = app.flags_for("Другий лист: тримайтеся!", 0);
        assert_eq!(short.detected_language, None);
        let russian = app.flags_for(
            "Здравствуйте! Пишу вам из Киева. Сегодня тепло, я гуляла в парке и думала о вас.",
            0,
        );
        assert_eq!(russian.detected_language.as_deref(), Some("ru"));
        let ukrainian = app.flags_for(
            "Добрий день! Пишу вам із Києва. Сьогодні тепло, я гуляла в парку і думала про вас.",
            0,
        );
        assert_eq!(ukrainian.detected_language.as_deref(), Some("uk"));
    }
}
