//! Review and translation: the queues, claiming a letter, approving, rejecting,
//! redacting and translating — each a transition with its audit line — and the safety
//! flags that advise the people who decide.

use lysty_domain::{LetterLanguage, LetterState, RejectReason, Role};
use lysty_store::{
    ClaimOutcome, LetterId, NewAudit, ReviewFilter, ReviewLetter, ReviewStep, StepOutcome,
    StoreError, TextChange,
};

use crate::App;
use crate::staff::{Actor, StaffError};

mod flags;
mod lexicon;
mod steps;

pub use flags::{Recipient, WriterCheck};

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

impl App {
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
        let short = app.flags_with("Другий лист: тримайтеся!", None, 0, None);
        assert_eq!(short.detected_language, None);
        let russian = app.flags_with(
            "Здравствуйте! Пишу вам из Киева. Сегодня тепло, я гуляла в парке и думала о вас.",
            None,
            0,
            None,
        );
        assert_eq!(russian.detected_language.as_deref(), Some("ru"));
        let ukrainian = app.flags_with(
            "Добрий день! Пишу вам із Києва. Сьогодні тепло, я гуляла в парку і думала про вас.",
            None,
            0,
            None,
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
