//! The lexicon a new installation starts with, kept as data in `starter.txt`: a `[category]`
//! line opens a section, then one term per line after its language (`ru война`). Operators
//! extend it and remove from it in the staff pages; case details of one prisoner are entered
//! on that prisoner's page.
//!
//! Terms are written in their dictionary form (inflected forms match on their own);
//! abbreviations in capitals match only as written; profanity entries are roots, found at
//! the start of a word or after a prefix ("за-", "mother-"), so roots are chosen that do not
//! begin ordinary words ("хер" would catch "Херсон", "педик" — "педикюр"); an insult that is
//! also an ordinary word is written with the words that make it one ("эт* тварь", "these
//! pigs"). `harmless` phrases keep the words inside them from being flagged ("битва за
//! урожай", "War and Peace") and list the ordinary abbreviations ("ОРВИ", "ЗАГС").

use super::lexicon::{Category, LexLang, LexiconEntry};

const STARTER: &str = include_str!("starter.txt");

/// The version of the starter list: raised whenever `starter.txt` changes, so that an
/// installation seeded from an older list receives the new terms once.
pub const STARTER_VERSION: u32 = 2;

/// The starter list in Russian, Ukrainian and English, each term once per language and
/// category.
pub fn starter_lexicon() -> Vec<LexiconEntry> {
    let mut entries: Vec<LexiconEntry> = Vec::new();
    let mut category = None;
    for line in STARTER.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            category = name.parse::<Category>().ok();
            continue;
        }
        let (Some(category), Some((language, term))) = (category, line.split_once(' ')) else {
            continue;
        };
        let Ok(language) = language.parse::<LexLang>() else {
            continue;
        };
        let entry = LexiconEntry::new(term.trim(), language, category);
        if !entries.contains(&entry) {
            entries.push(entry);
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::safety::lexicon::Lexicon;

    #[test]
    fn every_line_of_the_starter_list_is_read() {
        let mut category_lines = 0;
        let mut terms = 0;
        for line in STARTER.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                assert!(name.parse::<Category>().is_ok(), "unknown category {name}");
                category_lines += 1;
                continue;
            }
            let (language, term) = line.split_once(' ').expect("a language and a term");
            assert!(language.parse::<LexLang>().is_ok(), "{line}");
            assert!(!term.trim().is_empty(), "{line}");
            terms += 1;
        }
        assert_eq!(category_lines, Category::ALL.len());
        let entries = starter_lexicon();
        assert!(
            entries.len() <= terms && entries.len() > 2_000,
            "{}",
            entries.len()
        );
        for category in Category::ALL {
            for language in LexLang::ALL {
                assert!(
                    entries
                        .iter()
                        .any(|e| e.category == category && e.language == language),
                    "{category:?} {language:?}"
                );
            }
        }
        assert_eq!(Lexicon::new(entries.clone()).entries().len(), entries.len());
    }

    #[test]
    fn russian_terms_have_no_ukrainian_letters() {
        for entry in starter_lexicon() {
            if entry.language == LexLang::Ru {
                assert_ne!(LexLang::guess(&entry.term), LexLang::Uk, "{}", entry.term);
            }
        }
    }
}
