//! Words that can get a letter withheld, prepared once so that checking a letter is a few
//! hash look-ups per word.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use aho_corasick::AhoCorasick;

use super::normalise::{
    NormWord, Script, SpreadRun, Token, Word, normalise_word, read_letter, tokenise,
};
use super::stem::{for_each_root_base, for_each_stem, is_ending, stems};
use super::{FlagKind, Span};
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

/// Why a term is dangerous in a letter; each category raises its own flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Political,
    War,
    CaseDetails,
    Profanity,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Political,
        Category::War,
        Category::CaseDetails,
        Category::Profanity,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Political => "political",
            Category::War => "war",
            Category::CaseDetails => "case_details",
            Category::Profanity => "profanity",
        }
    }

    pub const fn flag_kind(self) -> FlagKind {
        match self {
            Category::Political => FlagKind::Political,
            Category::War => FlagKind::War,
            Category::CaseDetails => FlagKind::CaseDetails,
            Category::Profanity => FlagKind::Profanity,
        }
    }

    /// The Fluent message that names the category (`lexicon-category-…` in `flags.ftl`).
    pub const fn message_id(self) -> &'static str {
        match self {
            Category::Political => "lexicon-category-political",
            Category::War => "lexicon-category-war",
            Category::CaseDetails => "lexicon-category-case-details",
            Category::Profanity => "lexicon-category-profanity",
        }
    }

    const fn index(self) -> usize {
        match self {
            Category::Political => 0,
            Category::War => 1,
            Category::CaseDetails => 2,
            Category::Profanity => 3,
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

/// One term as an operator keeps it. Write the dictionary form ("война", "Путин"); an
/// abbreviation in capitals ("СВО", "NATO") matches only as written, never inflected; a
/// profanity entry is a root ("пизд", "fuck") found at the start of a word, after a prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LexiconEntry {
    pub term: String,
    pub language: LexLang,
    pub category: Category,
}

impl LexiconEntry {
    pub fn new(term: impl Into<String>, language: LexLang, category: Category) -> Self {
        LexiconEntry {
            term: term.into(),
            language,
            category,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Mode {
    /// Abbreviations: "сво" must not match "своя".
    Exact,
    /// Inflected words: a stem in common.
    Stem,
    /// Profanity: the word starts with the root, perhaps after a prefix.
    Root,
}

#[derive(Debug, Clone, PartialEq)]
struct KeyWord {
    text: String,
    mode: Mode,
    stems: Vec<String>,
}

impl KeyWord {
    fn matches(&self, word: &NormWord) -> bool {
        word.forms().any(|(form, script)| {
            let mut hit = false;
            match self.mode {
                Mode::Exact => hit = form == self.text,
                Mode::Stem => for_each_stem(form, script, |s| {
                    hit |= self.stems.iter().any(|k| k == s);
                }),
                Mode::Root => for_each_root_base(form, script, |base| {
                    hit |= base.starts_with(self.text.as_str());
                }),
            }
            hit
        })
    }
}

/// A prepared lexicon: every term normalised and stemmed once, indexed by its first word.
/// Two lexicons are equal when their entries are: the rest is derived from them.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    entries: Vec<LexiconEntry>,
    keys: Vec<Vec<KeyWord>>,
    exact: FxHashMap<String, Vec<usize>>,
    stems: FxHashMap<String, Vec<usize>>,
    /// Roots by their first [`MIN_ROOT`] characters.
    roots: FxHashMap<String, Vec<usize>>,
    /// One-word terms inside spelled-out letters.
    spread: Option<SpreadIndex>,
    /// Whether a term starts with a one-letter word ("А. Иванов"); most lexicons have none,
    /// and then one-letter words need no look-up.
    one_letter_first: bool,
}

impl PartialEq for Lexicon {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

/// The keys of one-word terms in one automaton: a spelled-out run ("о в о й н е") has no
/// word boundaries, so terms are searched for anywhere inside it, in one pass.
#[derive(Debug, Clone)]
struct SpreadIndex {
    automaton: AhoCorasick,
    /// The entries behind each pattern.
    ids: Vec<Vec<usize>>,
}

impl SpreadIndex {
    fn new(keys: &[Vec<KeyWord>], indexed: &[bool]) -> Option<Self> {
        let mut patterns: Vec<&str> = Vec::new();
        let mut ids: Vec<Vec<usize>> = Vec::new();
        for (id, words) in keys.iter().enumerate() {
            let ([key], true) = (words.as_slice(), indexed.get(id).copied().unwrap_or(false))
            else {
                continue;
            };
            let texts: Vec<&str> = match key.mode {
                Mode::Stem => key.stems.iter().map(String::as_str).collect(),
                Mode::Exact | Mode::Root => vec![key.text.as_str()],
            };
            // Two letters turn up by chance in any run of single letters.
            for text in texts.into_iter().filter(|t| t.chars().nth(2).is_some()) {
                match patterns.iter().position(|p| *p == text) {
                    Some(at) => ids.get_mut(at).into_iter().for_each(|v| v.push(id)),
                    None => {
                        patterns.push(text);
                        ids.push(vec![id]);
                    }
                }
            }
        }
        if patterns.is_empty() {
            return None;
        }
        let automaton = AhoCorasick::new(&patterns).ok()?;
        Some(SpreadIndex { automaton, ids })
    }
}

/// The shortest profane root: "бля", "жоп".
const MIN_ROOT: usize = 3;

impl Lexicon {
    /// Normalises, stems and indexes every entry. Do it once and share the result: a
    /// lexicon is immutable, and checking a letter then only looks words up.
    pub fn new(entries: Vec<LexiconEntry>) -> Self {
        let mut lexicon = Lexicon::default();
        // Terms that normalise alike ("Украина", "Україна") are indexed once, so a match
        // names one of them.
        let mut seen: HashSet<(Category, Vec<(String, Mode)>)> = HashSet::new();
        let mut indexed = Vec::with_capacity(entries.len());
        for (id, entry) in entries.iter().enumerate() {
            let tokens = tokenise(&entry.term);
            let single = tokens.len() == 1;
            let keys: Vec<KeyWord> = tokens
                .iter()
                .map(|token| {
                    let norm = normalise_word(&token.chars);
                    let len = norm.text.chars().count();
                    let letters = token.letter_count();
                    let abbreviation = letters >= 2
                        && token
                            .chars
                            .iter()
                            .filter(|c| c.is_alphabetic())
                            .all(|c| c.is_uppercase());
                    let mode = if abbreviation {
                        Mode::Exact
                    } else if single && entry.category == Category::Profanity {
                        if len >= MIN_ROOT {
                            Mode::Root
                        } else {
                            Mode::Exact
                        }
                    } else {
                        Mode::Stem
                    };
                    let stems = if mode == Mode::Stem {
                        stems(&norm.text, norm.script)
                    } else {
                        Vec::new()
                    };
                    KeyWord {
                        text: norm.text,
                        mode,
                        stems,
                    }
                })
                .collect();
            let signature = keys.iter().map(|k| (k.text.clone(), k.mode)).collect();
            let first = keys
                .first()
                .filter(|_| seen.insert((entry.category, signature)));
            indexed.push(first.is_some());
            if let Some(first) = first {
                lexicon.one_letter_first |= first.text.chars().nth(1).is_none();
                match first.mode {
                    Mode::Exact => push(&mut lexicon.exact, &first.text, id),
                    Mode::Stem => {
                        for stem in &first.stems {
                            push(&mut lexicon.stems, stem, id);
                        }
                    }
                    Mode::Root => push(&mut lexicon.roots, root_key(&first.text), id),
                }
            }
            lexicon.keys.push(keys);
        }
        lexicon.spread = SpreadIndex::new(&lexicon.keys, &indexed);
        lexicon.entries = entries;
        lexicon
    }

    /// A lexicon of one prisoner's case: names, the article, the case, as the moderators
    /// entered them.
    pub fn for_case(terms: &[String]) -> Self {
        Lexicon::new(
            terms
                .iter()
                .filter(|t| !t.trim().is_empty())
                .map(|t| LexiconEntry::new(t.trim(), LexLang::guess(t), Category::CaseDetails))
                .collect(),
        )
    }

    /// The entries as given, for showing and editing the list.
    pub fn entries(&self) -> &[LexiconEntry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries whose first word could be this word.
    fn candidates(&self, word: &NormWord, out: &mut Vec<usize>) {
        out.clear();
        for (form, script) in word.forms() {
            add_ids(out, self.exact.get(form));
            for_each_stem(form, script, |s| add_ids(out, self.stems.get(s)));
            if self.roots.is_empty() {
                continue;
            }
            for_each_root_base(form, script, |base| {
                let Some(ids) = self.roots.get(root_key(base)) else {
                    return;
                };
                for &id in ids {
                    let root = self.keys.get(id).and_then(|k| k.first());
                    if root.is_some_and(|r| base.starts_with(r.text.as_str())) && !out.contains(&id)
                    {
                        out.push(id);
                    }
                }
            });
        }
    }

    /// Finds every term in a stream of words.
    pub(crate) fn scan(&self, words: &[Word], hits: &mut Hits) {
        if self.entries.is_empty() {
            return;
        }
        let mut candidates = Vec::new();
        for (i, word) in words.iter().enumerate() {
            // One-letter words are prepositions and conjunctions; spelled-out terms are
            // found by `scan_spread`.
            if !self.one_letter_first && word.norm.text.chars().nth(1).is_none() {
                continue;
            }
            self.candidates(&word.norm, &mut candidates);
            for &id in &candidates {
                let (Some(keys), Some(entry)) = (self.keys.get(id), self.entries.get(id)) else {
                    continue;
                };
                let Some(following) = words.get(i + 1..i + keys.len()) else {
                    continue;
                };
                let rest_match = keys
                    .iter()
                    .skip(1)
                    .zip(following)
                    .all(|(key, w)| key.matches(&w.norm));
                if rest_match {
                    let end = following.last().map_or(word.end, |w| w.end);
                    hits.add(entry, Span::new(word.start, end));
                }
            }
        }
    }

    /// Finds one-word terms spelled out letter by letter ("в о й н а"), anywhere in a run,
    /// since the hidden word may follow a one-letter preposition ("о в о й н е").
    pub(crate) fn scan_spread(&self, tokens: &[Token], runs: &[SpreadRun], hits: &mut Hits) {
        let Some(spread) = &self.spread else {
            return;
        };
        for run in runs {
            let Some(run_tokens) = tokens.get(run.start..run.end) else {
                continue;
            };
            let letters: Vec<char> = run_tokens
                .iter()
                .filter_map(|t| t.chars.first().copied())
                .collect();
            // The run is read in one script, as one word would be.
            let norm = normalise_word(&letters);
            let scripts = std::iter::once(norm.script).chain(norm.alt.map(|(_, s)| s));
            for script in scripts {
                // Where each letter's reading starts in the haystack.
                let mut starts = Vec::with_capacity(letters.len());
                let mut haystack = String::with_capacity(letters.len() * 2);
                for &c in &letters {
                    starts.push(haystack.len());
                    haystack.push_str(&read_letter(c, script));
                }
                let letter_at =
                    |byte: usize| starts.partition_point(|&s| s <= byte).saturating_sub(1);
                for found in spread.automaton.find_overlapping_iter(&haystack) {
                    let first = letter_at(found.start());
                    let last = letter_at(found.end().saturating_sub(1));
                    for &id in spread
                        .ids
                        .get(found.pattern().as_usize())
                        .into_iter()
                        .flatten()
                    {
                        let stem = self
                            .keys
                            .get(id)
                            .and_then(|k| k.first())
                            .is_some_and(|k| k.mode == Mode::Stem);
                        // A stem is marked with the ending that follows it ("в о й н о й").
                        let last = if stem {
                            last + ending_after(&haystack, &starts, last, script)
                        } else {
                            last
                        };
                        if let (Some(entry), Some(a), Some(b)) = (
                            self.entries.get(id),
                            run_tokens.get(first),
                            run_tokens.get(last),
                        ) {
                            hits.add(entry, Span::new(a.start, b.end));
                        }
                    }
                }
            }
        }
    }
}

/// How many letters after the letter `last` of a spelled-out run form an inflection
/// ending: the longest, up to four.
fn ending_after(haystack: &str, starts: &[usize], last: usize, script: Script) -> usize {
    let Some(&from) = starts.get(last + 1) else {
        return 0;
    };
    (1..=4)
        .rev()
        .find(|&n| {
            let next = last + 1 + n;
            let to = if next == starts.len() {
                Some(haystack.len())
            } else {
                starts.get(next).copied()
            };
            let ending = to.and_then(|to| haystack.get(from..to));
            ending.is_some_and(|e| is_ending(e, script))
        })
        .unwrap_or(0)
}

fn add_ids(out: &mut Vec<usize>, ids: Option<&Vec<usize>>) {
    for &id in ids.into_iter().flatten() {
        if !out.contains(&id) {
            out.push(id);
        }
    }
}

/// The first [`MIN_ROOT`] characters of a word (all of a shorter one).
fn root_key(word: &str) -> &str {
    match word.char_indices().nth(MIN_ROOT) {
        Some((at, _)) => word.get(..at).unwrap_or(word),
        None => word,
    }
}

fn push(map: &mut FxHashMap<String, Vec<usize>>, key: &str, id: usize) {
    let ids = map.entry(key.to_owned()).or_default();
    if !ids.contains(&id) {
        ids.push(id);
    }
}

/// Matches gathered per category: where, and which terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Hits {
    spans: [Vec<Span>; 4],
    terms: [Vec<String>; 4],
}

impl Hits {
    fn add(&mut self, entry: &LexiconEntry, span: Span) {
        let i = entry.category.index();
        if let Some(spans) = self.spans.get_mut(i) {
            spans.push(span);
        }
        if let Some(terms) = self.terms.get_mut(i)
            && !terms.contains(&entry.term)
        {
            terms.push(entry.term.clone());
        }
    }

    /// The spans and the terms found for one category.
    pub(crate) fn take(&mut self, category: Category) -> (Vec<Span>, Vec<String>) {
        let i = category.index();
        (
            self.spans
                .get_mut(i)
                .map(std::mem::take)
                .unwrap_or_default(),
            self.terms
                .get_mut(i)
                .map(std::mem::take)
                .unwrap_or_default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
