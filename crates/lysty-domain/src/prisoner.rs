//! The people letters are written to.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ParseError;

/// The short name in a prisoner's public address: `/prisoners/{slug}`.
/// Lower-case ASCII letters, digits and single dashes, 1–64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PrisonerSlug(String);

impl PrisonerSlug {
    pub const MAX_LEN: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(ParseError::Empty);
        }
        if raw.len() > Self::MAX_LEN {
            return Err(ParseError::TooLong {
                max: Self::MAX_LEN,
                actual: raw.len(),
            });
        }
        let well_formed = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        if !well_formed {
            return Err(ParseError::Invalid);
        }
        Ok(PrisonerSlug(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PrisonerSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PrisonerSlug {
    type Error = ParseError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        PrisonerSlug::parse(&value)
    }
}

impl From<PrisonerSlug> for String {
    fn from(value: PrisonerSlug) -> Self {
        value.0
    }
}

/// The grammatical gender words about a prisoner agree with ("Засуджена", "Засуджений");
/// unstated, the pages use a form that fits both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
    #[default]
    Unstated,
}

impl Gender {
    /// As stored and in files: `female`, `male`, or empty.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Unstated => "",
        }
    }

    /// `female`/`f`/`жін…`, `male`/`m`/`чол…`, or empty; anything else is not a gender.
    pub fn parse(raw: &str) -> Result<Gender, ParseError> {
        let raw = raw.trim().to_lowercase();
        match raw.as_str() {
            "" => Ok(Gender::Unstated),
            "female" | "f" | "woman" => Ok(Gender::Female),
            "male" | "m" | "man" => Ok(Gender::Male),
            r if r.starts_with("жін") || r == "ж" => Ok(Gender::Female),
            r if r.starts_with("чол") || r == "ч" => Ok(Gender::Male),
            _ => Err(ParseError::Invalid),
        }
    }
}

/// Where a prisoner stands. Only some states can receive letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrisonerStatus {
    Detained,
    Convicted,
    Released,
    Exchanged,
    Deceased,
    Unknown,
}

impl PrisonerStatus {
    pub const ALL: [PrisonerStatus; 6] = [
        PrisonerStatus::Detained,
        PrisonerStatus::Convicted,
        PrisonerStatus::Released,
        PrisonerStatus::Exchanged,
        PrisonerStatus::Deceased,
        PrisonerStatus::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PrisonerStatus::Detained => "detained",
            PrisonerStatus::Convicted => "convicted",
            PrisonerStatus::Released => "released",
            PrisonerStatus::Exchanged => "exchanged",
            PrisonerStatus::Deceased => "deceased",
            PrisonerStatus::Unknown => "unknown",
        }
    }

    /// Whether the letter form takes letters for this person. A person whose fate is
    /// unknown is still written to: the letter waits in the bank if it cannot go.
    pub fn accepts_letters(self) -> bool {
        matches!(
            self,
            PrisonerStatus::Detained | PrisonerStatus::Convicted | PrisonerStatus::Unknown
        )
    }
}

impl FromStr for PrisonerStatus {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PrisonerStatus::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or(ParseError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert!(PrisonerSlug::parse("remzi-bekirov").is_ok());
        assert!(PrisonerSlug::parse("prisoner-221").is_ok());
        for bad in [
            "Remzi",
            "remzi_bekirov",
            "-remzi",
            "remzi-",
            "remzi--b",
            "ремзі",
            "a/b",
        ] {
            assert_eq!(PrisonerSlug::parse(bad), Err(ParseError::Invalid), "{bad}");
        }
        assert_eq!(PrisonerSlug::parse(""), Err(ParseError::Empty));
    }

    #[test]
    fn released_exchanged_and_deceased_people_take_no_letters() {
        assert!(PrisonerStatus::Detained.accepts_letters());
        assert!(PrisonerStatus::Convicted.accepts_letters());
        assert!(!PrisonerStatus::Released.accepts_letters());
        assert!(!PrisonerStatus::Exchanged.accepts_letters());
        assert!(!PrisonerStatus::Deceased.accepts_letters());
    }

    #[test]
    fn statuses_round_trip() {
        for status in PrisonerStatus::ALL {
            assert_eq!(status.as_str().parse::<PrisonerStatus>(), Ok(status));
        }
    }

    proptest! {
        #[test]
        fn a_parsed_slug_is_safe_in_a_url(raw in ".{0,80}") {
            if let Ok(slug) = PrisonerSlug::parse(&raw) {
                prop_assert!(slug.as_str().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
            }
        }
    }
}
