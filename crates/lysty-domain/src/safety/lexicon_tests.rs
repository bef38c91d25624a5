//! The lexicon's parsing and matching, case by case.

use super::*;
use crate::ParseError;
use crate::safety::normalise::{spread_runs, words};

fn find(lexicon: &Lexicon, text: &str) -> Vec<(Category, Vec<String>, Vec<String>)> {
    let tokens = tokenise(text);
    let mut hits = Hits::default();
    lexicon.scan(&words(&tokens), &mut hits);
    lexicon.scan_spread(&tokens, &spread_runs(text, &tokens), &mut hits);
    Category::ALL
        .into_iter()
        .filter_map(|c| {
            let (spans, terms) = hits.take(c);
            let pieces = super::super::merge_spans(spans)
                .iter()
                .map(|s| text[s.start..s.end].to_owned())
                .collect::<Vec<_>>();
            (!terms.is_empty()).then_some((c, terms, pieces))
        })
        .collect()
}

fn lexicon(terms: &[(&str, Category)]) -> Lexicon {
    Lexicon::new(
        terms
            .iter()
            .map(|(t, c)| LexiconEntry::new(*t, LexLang::guess(t), *c))
            .collect(),
    )
}

#[test]
fn names_round_trip() {
    for c in Category::ALL {
        assert_eq!(c.as_str().parse::<Category>(), Ok(c));
        assert!(c.message_id().starts_with("lexicon-category-"));
    }
    for l in LexLang::ALL {
        assert_eq!(l.as_str().parse::<LexLang>(), Ok(l));
    }
    assert_eq!("xx".parse::<LexLang>(), Err(ParseError::Invalid));
}

#[test]
fn a_term_matches_its_declined_forms() {
    let lex = lexicon(&[("война", Category::War)]);
    for text in ["Нет войны", "про войну", "с войной", "О ВОЙНЕ"] {
        let found = find(&lex, text);
        assert_eq!(found.len(), 1, "{text}");
        assert_eq!(found[0].1, ["война"]);
    }
    assert!(find(&lex, "волк воет: вой, воин").is_empty());
}

#[test]
fn abbreviations_match_only_as_written() {
    let lex = lexicon(&[("СВО", Category::War)]);
    assert_eq!(find(&lex, "про СВО пишут")[0].2, ["СВО"]);
    assert_eq!(find(&lex, "про CBO пишут")[0].2, ["CBO"]);
    assert!(find(&lex, "свою жизнь, своя, свои").is_empty());
}

#[test]
fn multi_word_terms_match_across_words() {
    let lex = lexicon(&[("Крымский мост", Category::Political)]);
    let found = find(&lex, "Видел Крымского моста фото");
    assert_eq!(found[0].2, ["Крымского моста"]);
    assert!(find(&lex, "Крымский пейзаж и мост").is_empty());
}

#[test]
fn disguised_spellings_still_match() {
    let lex = lexicon(&[("война", Category::War), ("Путин", Category::Political)]);
    for (text, piece) in [
        ("это вoйна", "вoйна"),
        ("BOЙHA", "BOЙHA"),
        ("во\u{200B}йна", "во\u{200B}йна"),
        ("во\u{00AD}йна!", "во\u{00AD}йна"),
        ("это в о й н а да", "в о й н а"),
        ("это в.о.й.н.а", "в.о.й.н.а"),
        ("в-о-й-н-а", "в-о-й-н-а"),
        ("в_о_й_н_а", "в_о_й_н_а"),
        ("о в о й н е", "в о й н е"),
        ("ВОООЙНА", "ВОООЙНА"),
    ] {
        let found = find(&lex, text);
        assert_eq!(found.len(), 1, "{text}");
        assert_eq!(found[0].2, [piece], "{text}");
    }
    assert_eq!(find(&lex, "Путuн и Путiн")[0].2, ["Путuн", "Путiн"]);
}

#[test]
fn profane_roots_are_found_behind_prefixes_but_not_inside_words() {
    let lex = lexicon(&[
        ("бля", Category::Profanity),
        ("еба", Category::Profanity),
        ("fuck", Category::Profanity),
    ]);
    assert_eq!(find(&lex, "ну бля, заебали")[0].2, ["бля", "заебали"]);
    assert_eq!(find(&lex, "motherfucker")[0].2, ["motherfucker"]);
    assert!(find(&lex, "два рубля, себя, хлеба").is_empty());
    assert_eq!(find(&lex, "б л я т ь")[0].2, ["б л я"]);
}

#[test]
fn spelled_out_stems_are_marked_with_their_ending() {
    let lex = lexicon(&[("война", Category::War)]);
    assert_eq!(find(&lex, "о в о й н о й и")[0].2, ["в о й н о й"]);
    assert_eq!(find(&lex, "о в о й н ы")[0].2, ["в о й н ы"]);
}

#[test]
fn case_terms_become_a_lexicon_of_their_own() {
    let lex = Lexicon::for_case(&["Бекиров".into(), "  ".into(), "205.5".into()]);
    assert_eq!(lex.entries().len(), 2);
    let found = find(&lex, "Передай Бекировой и Бекирову, ст. 205.5");
    assert_eq!(found[0].0, Category::CaseDetails);
    assert_eq!(found[0].2, ["Бекировой", "Бекирову", "205.5"]);
}

#[test]
fn a_term_may_start_with_an_initial() {
    let lex = Lexicon::for_case(&["А. Иванов".into()]);
    assert_eq!(find(&lex, "и А. Иванова")[0].2, ["А. Иванова"]);
}

#[test]
fn an_empty_term_never_matches() {
    let lex = lexicon(&[("!!", Category::War), ("", Category::War)]);
    assert!(find(&lex, "!! война !!").is_empty());
}
