//! The safety checker reads any text with the starter list and a registry of prisoners:
//! never a panic, and every flagged passage lies inside the text on character boundaries.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use lysty_domain::safety::{Lexicon, PrisonerNames, SafetyContext, check, starter_lexicon};

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(starter_lexicon()));
static NAMES: LazyLock<PrisonerNames> = LazyLock::new(|| {
    PrisonerNames::new([
        (
            "recipient",
            "Ремзі Бекіров",
            vec!["Ремзі Бекіров", "Remzi Bekirov", "Ремзи Бекиров"],
        ),
        (
            "other",
            "Нариман Джелял",
            vec!["Нариман Джелял", "Nariman Dzhelyal"],
        ),
    ])
});

fuzz_target!(|text: &str| {
    let case_terms = ["статья 205.5".to_owned(), "Хизб ут-Тахрир".to_owned()];
    let ctx = SafetyContext {
        case_terms: &case_terms,
        prisoners: Some((&NAMES, "recipient")),
        max_chars: Some(2_000),
        ..SafetyContext::new(&LEXICON)
    };
    for flag in check(text, &ctx) {
        for span in &flag.spans {
            assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
    }
});
