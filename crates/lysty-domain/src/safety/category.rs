//! What a lexicon term is about (its category, and the flag it raises) and the language it
//! is written in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::FlagKind;
use crate::ParseError;

/// The language a lexicon term is written in. Matching does not depend on it (a
/// Ukrainian term is folded like a Russian one); it tells moderators where a term came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LexLang {
    Ru,
    Uk,
    En,
}

impl LexLang {
    pub const ALL: [LexLang; 3] = [LexLang::Ru, LexLang::Uk, LexLang::En];

    pub const fn as_str(self) -> &'static str {
        match self {
            LexLang::Ru => "ru",
            LexLang::Uk => "uk",
            LexLang::En => "en",
        }
    }

    /// A guess from the letters, for terms typed without a language (a prisoner's case).
    pub fn guess(term: &str) -> Self {
        if term
            .chars()
            .any(|c| matches!(c, 'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ'))
        {
            LexLang::Uk
        } else if term.chars().any(super::normalise::is_cyrillic) {
            LexLang::Ru
        } else {
            LexLang::En
        }
    }
}

impl FromStr for LexLang {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LexLang::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or(ParseError::Invalid)
    }
}

impl fmt::Display for LexLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a term is dangerous in a letter; each category raises its own flag, except
/// [`Category::Harmless`], whose phrases keep the words inside them from being flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Political,
    War,
    CaseDetails,
    /// Secrecy cues and hints at a hidden meaning: "сожги письмо", "между нами".
    Coded,
    /// Ways to reach someone outside: messengers, "write to me at".
    Contact,
    Profanity,
    /// A phrase in which the words of the other categories mean something everyday
    /// ("битва за урожай", "War and Peace"), or an ordinary abbreviation ("ОРВИ"): what it
    /// covers is not flagged.
    Harmless,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Political,
        Category::War,
        Category::CaseDetails,
        Category::Coded,
        Category::Contact,
        Category::Profanity,
        Category::Harmless,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Political => "political",
            Category::War => "war",
            Category::CaseDetails => "case_details",
            Category::Coded => "coded",
            Category::Contact => "contact",
            Category::Profanity => "profanity",
            Category::Harmless => "harmless",
        }
    }

    /// The flag a match raises; none for a harmless phrase.
    pub const fn flag_kind(self) -> Option<FlagKind> {
        match self {
            Category::Political => Some(FlagKind::Political),
            Category::War => Some(FlagKind::War),
            Category::CaseDetails => Some(FlagKind::CaseDetails),
            Category::Coded => Some(FlagKind::Coded),
            Category::Contact => Some(FlagKind::Contact),
            Category::Profanity => Some(FlagKind::Profanity),
            Category::Harmless => None,
        }
    }

    /// The Fluent message that names the category (`lexicon-category-…` in `flags.ftl`).
    pub const fn message_id(self) -> &'static str {
        match self {
            Category::Political => "lexicon-category-political",
            Category::War => "lexicon-category-war",
            Category::CaseDetails => "lexicon-category-case-details",
            Category::Coded => "lexicon-category-coded",
            Category::Contact => "lexicon-category-contact",
            Category::Profanity => "lexicon-category-profanity",
            Category::Harmless => "lexicon-category-harmless",
        }
    }

    pub(crate) const fn index(self) -> usize {
        match self {
            Category::Political => 0,
            Category::War => 1,
            Category::CaseDetails => 2,
            Category::Coded => 3,
            Category::Contact => 4,
            Category::Profanity => 5,
            Category::Harmless => 6,
        }
    }
}

impl FromStr for Category {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or(ParseError::Invalid)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
