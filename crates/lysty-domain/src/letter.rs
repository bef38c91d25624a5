//! A letter and what a writer types into it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ParseError;
use crate::text::optional_line;

/// Letters are identified by UUID v7: unique, and ordered by the time they were received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LetterId(pub Uuid);

impl LetterId {
    pub fn new() -> Self {
        LetterId(Uuid::now_v7())
    }
}

impl Default for LetterId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for LetterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The text of a letter: not blank, at most the configured number of characters
/// (Unicode scalar values, which is what a person counts, not bytes).
#[derive(Clone, PartialEq, Eq)]
pub struct LetterBody(String);

impl LetterBody {
    /// The limit used when the operator sets none.
    pub const DEFAULT_MAX_CHARS: usize = 8_000;

    pub fn parse(raw: &str, max_chars: usize) -> Result<Self, ParseError> {
        // Line endings are unified so that the length a writer sees is the length we count.
        let body = raw.replace("\r\n", "\n").replace('\r', "\n");
        let body = body.trim();
        if body.is_empty() {
            return Err(ParseError::Empty);
        }
        if body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(ParseError::ControlCharacters);
        }
        let actual = body.chars().count();
        if actual > max_chars {
            return Err(ParseError::TooLong {
                max: max_chars,
                actual,
            });
        }
        Ok(LetterBody(body.to_owned()))
    }

    /// Trusts text that was parsed before it was stored.
    pub fn from_stored(body: String) -> Self {
        LetterBody(body)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn char_count(&self) -> usize {
        self.0.chars().count()
    }
}

/// Letter text never reaches logs through `Debug`.
impl fmt::Debug for LetterBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LetterBody({} chars)", self.char_count())
    }
}

macro_rules! optional_text {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            /// `Ok(None)` when the writer left the field blank.
            pub fn parse(raw: &str) -> Result<Option<Self>, ParseError> {
                Ok(optional_line(raw, Self::MAX_CHARS)?.map($name))
            }

            pub fn from_stored(value: String) -> Self {
                $name(value)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        /// Personal data stays out of logs.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(…)"))
            }
        }
    };
}

optional_text!(
    /// The writer's name or pseudonym, as they chose to give it.
    WriterName,
    100
);
optional_text!(
    /// A city or a country as the writer typed it.
    Place,
    100
);

/// A writer's email address, kept only with their explicit consent and encrypted at rest.
/// The check is deliberately modest (one `@`, a dotted domain, no spaces): the only real
/// test of an address is a message that arrives.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(raw: &str) -> Result<Option<Self>, ParseError> {
        let Some(value) = optional_line(raw, Self::MAX_CHARS)? else {
            return Ok(None);
        };
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err(ParseError::Invalid);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || !domain_ok || value.chars().any(char::is_whitespace) {
            return Err(ParseError::Invalid);
        }
        Ok(Some(Email(value)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(…)")
    }
}

/// The language a letter is written in, as the writer said or as detected later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LetterLanguage {
    Uk,
    Ru,
    Crh,
    En,
    /// Any other language: a translator will see it.
    Other,
    /// The writer did not say; review will detect it.
    #[default]
    Und,
}

impl LetterLanguage {
    pub const ALL: [LetterLanguage; 6] = [
        LetterLanguage::Uk,
        LetterLanguage::Ru,
        LetterLanguage::Crh,
        LetterLanguage::En,
        LetterLanguage::Other,
        LetterLanguage::Und,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LetterLanguage::Uk => "uk",
            LetterLanguage::Ru => "ru",
            LetterLanguage::Crh => "crh",
            LetterLanguage::En => "en",
            LetterLanguage::Other => "other",
            LetterLanguage::Und => "und",
        }
    }

    /// A blank choice means "not said".
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(LetterLanguage::Und);
        }
        raw.parse()
    }
}

impl FromStr for LetterLanguage {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LetterLanguage::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
            .ok_or(ParseError::Invalid)
    }
}

/// Where a letter came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Online,
    Kiosk,
    Paper,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Online, Source::Kiosk, Source::Paper];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Online => "online",
            Source::Kiosk => "kiosk",
            Source::Paper => "paper",
        }
    }
}

impl FromStr for Source {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Source::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(ParseError::Invalid)
    }
}

/// A letter's place in its lifecycle. Every change is a transition row; see
/// [`LetterState::can_become`] for the allowed moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterState {
    Received,
    InReview,
    NeedsTranslation,
    Approved,
    Rejected,
    Batched,
    Sent,
    Delivered,
    Withheld,
    Returned,
    Undeliverable,
}

impl LetterState {
    /// Whether a moderator approved the letter at some point: it is approved or has gone
    /// on towards the prisoner since.
    pub fn was_approved(self) -> bool {
        matches!(
            self,
            LetterState::Approved
                | LetterState::Batched
                | LetterState::Sent
                | LetterState::Delivered
                | LetterState::Withheld
                | LetterState::Returned
                | LetterState::Undeliverable
        )
    }

    /// The states a letter of an earlier year can be imported in, or corrected into by an
    /// import: those that need neither a claim by a reviewer nor a batch.
    pub const IMPORTABLE: [LetterState; 8] = [
        LetterState::Received,
        LetterState::Approved,
        LetterState::Rejected,
        LetterState::Sent,
        LetterState::Delivered,
        LetterState::Withheld,
        LetterState::Returned,
        LetterState::Undeliverable,
    ];

    pub const ALL: [LetterState; 11] = [
        LetterState::Received,
        LetterState::InReview,
        LetterState::NeedsTranslation,
        LetterState::Approved,
        LetterState::Rejected,
        LetterState::Batched,
        LetterState::Sent,
        LetterState::Delivered,
        LetterState::Withheld,
        LetterState::Returned,
        LetterState::Undeliverable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LetterState::Received => "received",
            LetterState::InReview => "in_review",
            LetterState::NeedsTranslation => "needs_translation",
            LetterState::Approved => "approved",
            LetterState::Rejected => "rejected",
            LetterState::Batched => "batched",
            LetterState::Sent => "sent",
            LetterState::Delivered => "delivered",
            LetterState::Withheld => "withheld",
            LetterState::Returned => "returned",
            LetterState::Undeliverable => "undeliverable",
        }
    }

    /// The lifecycle from DESIGN.md as a rule: which state may follow which.
    pub fn can_become(self, next: LetterState) -> bool {
        use LetterState::*;
        matches!(
            (self, next),
            (Received, InReview | Rejected)
                | (InReview, Approved | Rejected | NeedsTranslation)
                | (NeedsTranslation, InReview | Approved | Rejected)
                | (Approved, Batched | NeedsTranslation | Rejected)
                | (Batched, Sent | Approved)
                | (Sent, Delivered | Withheld | Returned | Undeliverable)
                | (Approved | Batched, Undeliverable)
        )
    }

    /// Final states: nothing more will happen to the letter.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            LetterState::Rejected
                | LetterState::Delivered
                | LetterState::Withheld
                | LetterState::Returned
                | LetterState::Undeliverable
        )
    }
}

impl FromStr for LetterState {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LetterState::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(ParseError::Invalid)
    }
}

/// The key a client sends so that a retried submission finds the letter it already made.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub const MAX_LEN: usize = 128;

    pub fn parse(raw: &str) -> Result<Option<Self>, ParseError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        if raw.len() > Self::MAX_LEN {
            return Err(ParseError::TooLong {
                max: Self::MAX_LEN,
                actual: raw.len(),
            });
        }
        if !raw.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ParseError::Invalid);
        }
        Ok(Some(IdempotencyKey(raw.to_owned())))
    }

    pub fn from_stored(value: String) -> Self {
        IdempotencyKey(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_letters_are_refused() {
        assert_eq!(LetterBody::parse("  \n\t ", 100), Err(ParseError::Empty));
    }

    #[test]
    fn the_limit_counts_characters_not_bytes() {
        let cyrillic = "ж".repeat(100);
        assert!(LetterBody::parse(&cyrillic, 100).is_ok());
        let over = "ж".repeat(101);
        assert_eq!(
            LetterBody::parse(&over, 100),
            Err(ParseError::TooLong {
                max: 100,
                actual: 101
            })
        );
    }

    #[test]
    fn line_endings_are_unified() {
        let body = LetterBody::parse("Привіт!\r\nЯк ти?\rБережи себе.", 100).unwrap();
        assert_eq!(body.as_str(), "Привіт!\nЯк ти?\nБережи себе.");
    }

    #[test]
    fn control_characters_other_than_newlines_and_tabs_are_refused() {
        assert_eq!(
            LetterBody::parse("a\u{7}b", 100),
            Err(ParseError::ControlCharacters)
        );
        assert!(LetterBody::parse("a\tb\nc", 100).is_ok());
    }

    #[test]
    fn letter_text_stays_out_of_debug_output() {
        let body = LetterBody::parse("secret words", 100).unwrap();
        assert!(!format!("{body:?}").contains("secret"));
        let name = WriterName::parse("Оксана").unwrap().unwrap();
        assert!(!format!("{name:?}").contains("Оксана"));
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(Email::parse("writer@example.org").unwrap().is_some());
        assert_eq!(Email::parse("").unwrap(), None);
        for bad in [
            "writer",
            "@example.org",
            "a@b",
            "a@.org",
            "a@b..org",
            "a b@c.org",
        ] {
            assert_eq!(Email::parse(bad), Err(ParseError::Invalid), "{bad}");
        }
    }

    #[test]
    fn the_lifecycle_allows_only_its_arrows() {
        use LetterState::*;
        assert!(Received.can_become(InReview));
        assert!(InReview.can_become(Approved));
        assert!(Sent.can_become(Delivered));
        assert!(!Received.can_become(Sent));
        assert!(!Delivered.can_become(Received));
        for state in LetterState::ALL.into_iter().filter(|s| s.is_final()) {
            assert!(
                LetterState::ALL.iter().all(|next| !state.can_become(*next)),
                "{state:?} is final"
            );
        }
    }

    #[test]
    fn enums_round_trip_through_their_names() {
        for state in LetterState::ALL {
            assert_eq!(state.as_str().parse::<LetterState>(), Ok(state));
        }
        for source in Source::ALL {
            assert_eq!(source.as_str().parse::<Source>(), Ok(source));
        }
        for language in LetterLanguage::ALL {
            assert_eq!(LetterLanguage::parse(language.as_str()), Ok(language));
        }
        assert_eq!(LetterLanguage::parse(""), Ok(LetterLanguage::Und));
        assert_eq!(LetterLanguage::parse("klingon"), Err(ParseError::Invalid));
    }

    #[test]
    fn idempotency_keys_are_short_printable_ascii() {
        assert_eq!(IdempotencyKey::parse("").unwrap(), None);
        assert!(
            IdempotencyKey::parse("0192f1a8-7c1e-7b7a-9f00-1a2b3c4d5e6f")
                .unwrap()
                .is_some()
        );
        assert_eq!(IdempotencyKey::parse("a b"), Err(ParseError::Invalid));
        assert!(IdempotencyKey::parse(&"k".repeat(129)).is_err());
    }

    proptest! {
        #[test]
        fn a_parsed_body_is_never_blank_and_never_over_the_limit(raw in "\\PC{0,300}", max in 1usize..200) {
            if let Ok(body) = LetterBody::parse(&raw, max) {
                prop_assert!(!body.as_str().trim().is_empty());
                prop_assert!(body.char_count() <= max);
            }
        }

        #[test]
        fn parsing_a_parsed_body_again_changes_nothing(raw in "\\PC{1,300}") {
            if let Ok(body) = LetterBody::parse(&raw, 1000) {
                prop_assert_eq!(LetterBody::parse(body.as_str(), 1000), Ok(body.clone()));
            }
        }

        #[test]
        fn email_parsing_never_panics(raw in ".{0,300}") {
            let _ = Email::parse(&raw);
        }
    }
}
