//! Private tracking codes: the writer's only key to their letter's status page.
//!
//! 80 random bits in Crockford's base32 — 16 characters, shown as four groups of four
//! (`7K3M-Q9TD-…`). The alphabet has no I, L, O or U, so a code read aloud or copied by hand
//! survives: parsing accepts lower case, `O` for 0, `I`/`L` for 1, and ignores dashes and
//! spaces. Written by hand because no maintained crate does Crockford decoding with these
//! forgiving substitutions in a few lines.

use std::fmt;

use rand::Rng;

use crate::ParseError;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LEN: usize = 16;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TrackingCode(String);

impl TrackingCode {
    /// A fresh code from the operating system's cryptographic generator (80 bits).
    pub fn generate() -> Self {
        let mut rng = rand::rng();
        let code = (0..LEN)
            .map(|_| char::from(ALPHABET[rng.random_range(0..32)]))
            .collect();
        TrackingCode(code)
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let mut code = String::with_capacity(LEN);
        for ch in raw.chars() {
            let normalised = match ch.to_ascii_uppercase() {
                '-' | ' ' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
                _ => return Err(ParseError::Invalid),
            };
            code.push(normalised);
            if code.len() > LEN {
                return Err(ParseError::Invalid);
            }
        }
        if code.is_empty() {
            return Err(ParseError::Empty);
        }
        if code.len() != LEN {
            return Err(ParseError::Invalid);
        }
        Ok(TrackingCode(code))
    }

    /// The canonical form stored in the database: 16 characters, no dashes.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form shown to people: four groups of four.
    pub fn display(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// Codes are secrets: they never appear in logs through `Debug`.
impl fmt::Debug for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TrackingCode(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn generated_codes_have_eighty_bits_and_read_in_groups() {
        let code = TrackingCode::generate();
        assert_eq!(code.as_str().len(), 16);
        assert_eq!(code.display().len(), 19);
        assert_eq!(code.display().matches('-').count(), 3);
    }

    #[test]
    fn codes_do_not_repeat() {
        let codes: std::collections::HashSet<_> =
            (0..10_000).map(|_| TrackingCode::generate()).collect();
        assert_eq!(codes.len(), 10_000);
    }

    #[test]
    fn confusable_letters_are_read_as_digits() {
        let code = TrackingCode::parse("oil0-1234-abcd-efgh").unwrap();
        assert_eq!(code.as_str(), "01101234ABCDEFGH");
    }

    #[test]
    fn wrong_lengths_and_characters_are_refused() {
        assert_eq!(TrackingCode::parse(""), Err(ParseError::Empty));
        assert_eq!(TrackingCode::parse("ABCD"), Err(ParseError::Invalid));
        assert_eq!(
            TrackingCode::parse("ABCD-ABCD-ABCD-ABCU"),
            Err(ParseError::Invalid)
        );
        assert_eq!(
            TrackingCode::parse("ABCD-ABCD-ABCD-ABCDE"),
            Err(ParseError::Invalid)
        );
        assert_eq!(
            TrackingCode::parse("ЖЖЖЖ-ABCD-ABCD-ABCD"),
            Err(ParseError::Invalid)
        );
    }

    #[test]
    fn debug_does_not_reveal_the_code() {
        let code = TrackingCode::generate();
        assert!(!format!("{code:?}").contains(code.as_str()));
    }

    proptest! {
        #[test]
        fn displayed_codes_parse_back(_seed in 0u8..255) {
            let code = TrackingCode::generate();
            prop_assert_eq!(TrackingCode::parse(&code.display()), Ok(code.clone()));
            prop_assert_eq!(TrackingCode::parse(&code.display().to_lowercase()), Ok(code));
        }

        #[test]
        fn parsing_never_panics(raw in ".{0,40}") {
            let _ = TrackingCode::parse(&raw);
        }
    }
}
