//! Findings that are shapes rather than words, so no lexicon term can hold them: a swear
//! word masked with asterisks ("б**дь", "f*ck"), and an article of a criminal code
//! ("ст. 205.5", "статья 205", "205.5 УК", "Article 205.5").

use std::sync::LazyLock;

use regex::Regex;

use super::Span;
use super::lexicon::{Category, Hits};

/// Letters with asterisks (or `#`, `$`, `!`) standing for some of them: inside the word
/// ("б**дь", "sh!t"), or two or more after a short beginning ("бл**"). One asterisk after a
/// long word is emphasis ("важно*"), and "!" between words ends a sentence.
static MASKED: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\p{L}+[*#$!]+\p{L}[\p{L}*#$!]*|\p{L}{1,3}[*#$]{2,}").ok());

/// The article of a code by its number: criminal-code articles have three digits, perhaps
/// a part after a dot ("205.5"); a marker before ("ст.", "статья", "статті", "art.",
/// "Article") or a code after ("УК", "КК", "УК РФ").
static ARTICLE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    // No `\b`: a Unicode word boundary keeps the regex crate off its fast engine on
    // Cyrillic text; the boundaries are checked in code.
    Regex::new(
        r"(?i)(?:ст\.?|стат(?:ья|ьи|ье|ью|ьей|тя|ті|тю|тею)|art\.|articles?|ч\.\s*\d\s*ст\.?)\s*\d{3}(?:[.\-]\d{1,2})?|\d{3}(?:[.\-]\d{1,2})?\s*(?:-?(?:й|ой|ій|та|ая|ю)\s+)?(?:УК|КК|ук|кк)",
    )
    .ok()
});

/// Whether the match stands apart from the letters and digits around it.
fn whole(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Adds the masked words (as profanity) and the articles (as case details) to `hits`.
pub(crate) fn scan(text: &str, hits: &mut Hits) {
    if text.contains(['*', '#', '$', '!'])
        && let Some(re) = MASKED.as_ref()
    {
        for m in re.find_iter(text) {
            let masked = m.as_str();
            let letters = masked.chars().filter(|c| c.is_alphabetic()).count();
            if (1..=12).contains(&letters) {
                hits.add_term(Category::Profanity, masked, Span::new(m.start(), m.end()));
            }
        }
    }
    if text.bytes().any(|b| b.is_ascii_digit())
        && let Some(re) = ARTICLE.as_ref()
    {
        for m in re
            .find_iter(text)
            .filter(|m| whole(text, m.start(), m.end()))
        {
            hits.add_term(
                Category::CaseDetails,
                m.as_str().trim(),
                Span::new(m.start(), m.end()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, category: Category) -> Vec<String> {
        let mut hits = Hits::default();
        scan(text, &mut hits);
        hits.take(category)
            .0
            .iter()
            .map(|s| text[s.start..s.end].to_owned())
            .collect()
    }

    #[test]
    fn masked_words_are_profanity_and_emphasis_is_not() {
        assert_eq!(
            found("ну и б**дь, х*й с ним, f**k, бл**", Category::Profanity),
            ["б**дь", "х*й", "f**k", "бл**"]
        );
        assert!(found("это *важно* и 5*3=15", Category::Profanity).is_empty());
    }

    #[test]
    fn articles_are_found_however_they_are_written() {
        for text in [
            "по ст. 205.5 дали",
            "статья 205 УК",
            "судят по 205.5 УК РФ",
            "по статті 205.5",
            "under Article 205.5",
            "art. 205.5",
            "ч. 2 ст. 205.5",
        ] {
            assert_eq!(found(text, Category::CaseDetails).len(), 1, "{text}");
        }
        for text in [
            "статья в журнале на 205 страниц",
            "в 2024 году",
            "article about 205 birds",
        ] {
            assert!(found(text, Category::CaseDetails).is_empty(), "{text}");
        }
    }
}
