//! Shared checks for short single-line texts typed by people.

use crate::ParseError;

/// Trims the text and checks it is a single line of at most `max` characters.
/// Returns `Ok(None)` for an empty (or all-whitespace) value: optional fields stay optional.
pub fn optional_line(raw: &str, max: usize) -> Result<Option<String>, ParseError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().any(char::is_control) {
        return Err(ParseError::ControlCharacters);
    }
    let actual = trimmed.chars().count();
    if actual > max {
        return Err(ParseError::TooLong { max, actual });
    }
    Ok(Some(trimmed.to_owned()))
}

/// Lower-cases and collapses inner whitespace so that "Kyiv", " kyiv " and "KYIV" count
/// as one city in the statistics.
pub fn normalise_key(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_are_absent() {
        assert_eq!(optional_line("   ", 10), Ok(None));
    }

    #[test]
    fn values_are_trimmed_and_limited() {
        assert_eq!(optional_line(" Львів ", 10), Ok(Some("Львів".into())));
        assert_eq!(
            optional_line("abcdefghijk", 10),
            Err(ParseError::TooLong {
                max: 10,
                actual: 11
            })
        );
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(
            optional_line("a\u{0}b", 10),
            Err(ParseError::ControlCharacters)
        );
        assert_eq!(
            optional_line("a\nb", 10),
            Err(ParseError::ControlCharacters)
        );
    }

    #[test]
    fn keys_ignore_case_and_spacing() {
        assert_eq!(normalise_key("  Івано-Франківськ  "), "івано-франківськ");
        assert_eq!(normalise_key("New   York"), "new york");
    }
}
