//! Contact data in a letter: links, email addresses and phone numbers. A censor withholds
//! a letter that carries them, and a prisoner can be punished for "contacts with the outside".

use std::sync::LazyLock;

use regex::Regex;

use super::Span;

/// Top-level domains worth recognising without `http://` or `www.`; short ones that are
/// also common abbreviations or words ("it", "in", "to", "at") are left out.
const TLDS: &str = "com|net|org|info|biz|io|me|ru|su|ua|рф|укр|рус|by|kz|uz|ge|de|pl|fr|tr|uk|eu|us|co|tv|cc|ly|gl|link|online|site|store|xyz|top|app|dev|pro|club|live|news|blog";

// No `\b` in these patterns: a Unicode word boundary keeps the regex crate off its fast
// engine on Cyrillic text; the boundaries are checked in code instead.
static LINK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?i)(?:https?://|www\.)[^\s<>"«»]+|(?:[\p{{L}}\p{{N}}][\p{{L}}\p{{N}}-]*\.)+(?:{TLDS})(?:/[^\s<>"«»]*)?"#
    ))
    .ok()
});

/// Addresses, including the spelled-out "@": "ivan (at) mail.ru", "ivan собака mail.ru".
static EMAIL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[\p{L}\p{N}._%+\-]+(?:@|\s*[(\[](?:at|собака|собачка)[)\]]\s*|\s+собака\s+)[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}",
    )
    .ok()
});

/// Anything that may be a phone number: digits with spaces, dashes, dots and brackets
/// between them; whether it is one is decided in [`is_phone`].
static PHONE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\+?\(?\d[\d \t\u{A0}().\-\u{2010}-\u{2013}]{5,24}\d").ok());

static DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\d{1,2}[./\-]\d{1,2}[./\-](?:\d{2}|\d{4})|\d{4}[./\-]\d{1,2}[./\-]\d{1,2}|\d+[.,]\d+|\d{1,3}(?:[ \u{A0}.]\d{3})+|\d{1,2}\.\d{2}\s?[-\u{2010}-\u{2013}]\s?\d{1,2}\.\d{2})$",
    )
    .ok()
});

fn find_all(re: &LazyLock<Option<Regex>>, text: &str) -> Vec<Span> {
    re.as_ref()
        .map(|re| {
            re.find_iter(text)
                .map(|m| Span::new(m.start(), m.end()))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the match stands apart from the letters and digits around it.
fn whole(text: &str, span: Span) -> bool {
    let before = text.get(..span.start).and_then(|t| t.chars().next_back());
    let after = text.get(span.end..).and_then(|t| t.chars().next());
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

pub(crate) fn emails(text: &str) -> Vec<Span> {
    // Most letters have no "@" and no brackets: skip the search.
    if !text.contains(['@', '(', '[']) && !text.contains("собак") {
        return Vec::new();
    }
    find_all(&EMAIL, text)
}

/// Links, leaving out the domains of email addresses already found.
pub(crate) fn links(text: &str, emails: &[Span]) -> Vec<Span> {
    // A link needs a dot with a letter or digit right after it.
    let dotted = text
        .split('.')
        .skip(1)
        .any(|rest| rest.chars().next().is_some_and(char::is_alphanumeric));
    if !dotted {
        return Vec::new();
    }
    find_all(&LINK, text)
        .into_iter()
        .filter(|&s| whole(text, s))
        .map(|s| trim_end(text, s, &['.', ',', ';', ':', '!', '?', ')', '\'']))
        .filter(|s| !emails.iter().any(|e| e.start < s.end && s.start < e.end))
        .collect()
}

pub(crate) fn phones(text: &str) -> Vec<Span> {
    if text.bytes().filter(u8::is_ascii_digit).count() < 7 {
        return Vec::new();
    }
    find_all(&PHONE, text)
        .into_iter()
        .filter(|&s| whole(text, s) && text.get(s.start..s.end).is_some_and(is_phone))
        .collect()
}

/// Seven to fifteen digits (E.164 allows fifteen), and not a date, a year range, a decimal
/// or a number grouped in thousands — unless it starts with "+".
fn is_phone(candidate: &str) -> bool {
    let digits = candidate.chars().filter(char::is_ascii_digit).count();
    if !(7..=15).contains(&digits) {
        return false;
    }
    if candidate.starts_with('+') {
        return true;
    }
    let is_date = DATE.as_ref().is_some_and(|re| re.is_match(candidate));
    let groups: Vec<&str> = candidate
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let years = groups.len() > 1
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.parse::<u32>().is_ok_and(|y| (1800..=2100).contains(&y)));
    !is_date && !years
}

fn trim_end(text: &str, span: Span, chars: &[char]) -> Span {
    let piece = text.get(span.start..span.end).unwrap_or_default();
    let kept = piece.trim_end_matches(chars);
    Span::new(span.start, span.start + kept.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces<'a>(text: &'a str, spans: &[Span]) -> Vec<&'a str> {
        spans.iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn the_patterns_compile() {
        assert!(LINK.is_some());
        assert!(EMAIL.is_some());
        assert!(PHONE.is_some());
        assert!(DATE.is_some());
    }

    #[test]
    fn links_are_found_with_or_without_a_scheme() {
        let text =
            "Смотри https://example.org/a?b=1. и www.site.ua, и t.me/chan, и example.com и сайт.рф";
        assert_eq!(
            pieces(text, &links(text, &[])),
            [
                "https://example.org/a?b=1",
                "www.site.ua",
                "t.me/chan",
                "example.com",
                "сайт.рф"
            ]
        );
    }

    #[test]
    fn ordinary_abbreviations_are_not_links() {
        let text =
            "т.е. всё хорошо, т.к. тепло, и т.д. 3.14 file.txt e.g. ул.Ленина example.community";
        assert!(links(text, &[]).is_empty());
    }

    #[test]
    fn emails_are_found_even_spelled_out() {
        let text = "пиши: ivan.petrov@mail.ru или ivan (at) gmail.com или ivan собака yandex.ru";
        let found = emails(text);
        assert_eq!(
            pieces(text, &found),
            [
                "ivan.petrov@mail.ru",
                "ivan (at) gmail.com",
                "ivan собака yandex.ru"
            ]
        );
        assert!(
            links(text, &found).is_empty(),
            "the domains are part of the emails"
        );
    }

    #[test]
    fn phones_in_common_formats_are_found() {
        let text = "звони +7 (978) 123-45-67, +380 67 123 4567, 8-978-123-45-67, 89781234567, 123-45-67 или 8 9 7 8 1 2 3 4 5 6 7";
        assert_eq!(
            pieces(text, &phones(text)),
            [
                "+7 (978) 123-45-67",
                "+380 67 123 4567",
                "8-978-123-45-67",
                "89781234567",
                "123-45-67",
                "8 9 7 8 1 2 3 4 5 6 7"
            ]
        );
    }

    #[test]
    fn dates_years_and_sums_are_not_phones() {
        for text in [
            "12.05.2024",
            "12/05/2024",
            "2024-05-12",
            "1941-1945",
            "в 2023 2024 годах",
            "1 000 000 рублей",
            "3.14159265",
            "10.30-12.45",
            "ст. 205.5 ч. 2",
            "123456",
        ] {
            assert!(phones(text).is_empty(), "{text}");
        }
    }
}
