//! Review and translation: the queues, claiming a letter, approving, rejecting,
//! redacting and translating — each a transition with its audit line — and the safety
//! flags that advise the people who decide.

use lysty_domain::safety::{self, FlagKind, LexLang, Lexicon, LexiconEntry, SafetyContext};
use lysty_domain::{LetterLanguage, LetterState, RejectReason, Role};
use lysty_store::{
    ClaimOutcome, FlagsUpdate, LetterId, NewAudit, ReviewFilter, ReviewLetter, ReviewStep,
    StepOutcome, StoreError, TextChange,
};

use crate::App;
use crate::staff::{Actor, StaffError};

mod lexicon;
mod steps;

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

/// What the review page shows beside a letter.
#[derive(Debug, Clone, Default)]
pub struct LetterRecord {
    /// The earlier versions of its text: for admins only, empty for everyone else.
    pub versions: Vec<lysty_store::LetterVersion>,
    /// How many scanned pages it has (paper letters).
    pub pages: i64,
}

impl App {
    /// The record beside a letter on its review page, for those who review letters.
    pub async fn letter_record(
        &self,
        actor: &Actor,
        letter: &ReviewLetter,
    ) -> Result<LetterRecord, ReviewError> {
        let id = letter.id;
        if !actor.is(&[Role::Moderator, Role::Translator]) {
            return Err(ReviewError::Forbidden);
        }
        let versions = if actor.is_admin() {
            self.store().letter_versions(id).await?
        } else {
            Vec::new()
        };
        // Scans are listed only for those who may open them.
        let pages = if self.may_see_scans(actor, letter.event).await? {
            self.store().count_pages(id).await?
        } else {
            0
        };
        Ok(LetterRecord { versions, pages })
    }
}
