//! Words that can get a letter withheld, prepared once so that checking a letter is a few
//! hash look-ups per word.

use std::collections::HashSet;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use aho_corasick::AhoCorasick;

use super::Span;
pub use super::category::{Category, LexLang};
pub(crate) use super::hits::Hits;
use super::normalise::{
    NormWord, Script, SpreadRun, Token, Word, normalise_word, read_letter, tokenise,
};
use super::stem::{for_each_root_base, for_each_stem, is_ending, stems};

/// One term as an operator keeps it. Write the dictionary form ("война", "Путин"); an
/// abbreviation in capitals ("СВО", "NATO") matches only as written, never inflected; a
/// profanity entry is a root ("пизд", "fuck") found at the start of a word, after a prefix.
/// A word ending in `*` matches every word that starts with it ("уничтож*": "уничтожь",
/// "уничтожить"); `…` (or `...`) between words lets up to [`GAP`] other words stand there
/// ("сожги … письмо": "сожги это моё письмо").
///
/// A term starting with `?` has an everyday meaning too ("?армия", "?court"): it is not
/// flagged when its sentence, or the one before or after it, has a harmless cue — a
/// harmless term starting with `~` ("~футбол*", "~recipe"): "the court" beside a sentence
/// about tennis is a tennis court.
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

    /// A term with an everyday meaning too: a cue in its sentence or a neighbouring one
    /// makes it harmless.
    pub fn is_weak(&self) -> bool {
        self.term.starts_with('?') && self.category != Category::Harmless
    }

    /// A harmless cue: a word that shows a sentence is about everyday things.
    pub fn is_cue(&self) -> bool {
        self.term.starts_with('~') && self.category == Category::Harmless
    }

    /// The term as a moderator reads it, without its markers.
    pub fn shown(&self) -> &str {
        self.term.trim_start_matches(['?', '~'])
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
    /// A word written with a trailing `*`: the word starts with it.
    Prefix,
}

/// What makes two key words the same: their text, how they match, and whether a capital
/// is needed.
type Signature = (String, Mode, bool);

/// How many words may stand where a term has `…`.
pub const GAP: usize = 3;

#[derive(Debug, Clone, PartialEq)]
struct KeyWord {
    text: String,
    mode: Mode,
    stems: Vec<String>,
    /// Up to [`GAP`] words may come before this one (the term had `…` there).
    gap_before: bool,
    /// A name ("Путин", "Ростов"): matches only a word written with a capital, so that
    /// "путина" (the fishing season) and "рост" stay ordinary words.
    capital: bool,
}

impl KeyWord {
    fn matches_word(&self, word: &Word) -> bool {
        (!self.capital || word.capital) && self.matches(&word.norm)
    }

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
                Mode::Prefix => hit = form.starts_with(self.text.as_str()),
            }
            hit
        })
    }
}

/// A term split into its words, each with whether `…` stood before it and whether it ends
/// in `*`.
fn term_words(term: &str) -> Vec<(Token, bool, bool)> {
    let mut out = Vec::new();
    let spaced = term.replace('…', " ... ");
    for (i, part) in spaced.split("...").enumerate() {
        let mut first = i > 0;
        for piece in part.split_whitespace() {
            let prefix = piece.ends_with('*');
            for token in tokenise(piece) {
                out.push((token, first, false));
                first = false;
            }
            if prefix && let Some(last) = out.last_mut() {
                last.2 = true;
            }
        }
    }
    out
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
    /// Words written with `*`, by their first [`MIN_ROOT`] characters.
    prefixes: FxHashMap<String, Vec<usize>>,
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
                Mode::Exact | Mode::Root | Mode::Prefix => vec![key.text.as_str()],
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
        let mut seen: HashSet<(Category, Vec<Signature>)> = HashSet::new();
        let mut indexed = Vec::with_capacity(entries.len());
        for (id, entry) in entries.iter().enumerate() {
            let tokens = term_words(entry.term.trim_start_matches(['?', '~']));
            let single = tokens.len() == 1;
            let keys: Vec<KeyWord> = tokens
                .iter()
                .enumerate()
                .map(|(i, (token, gap, prefix))| {
                    let norm = normalise_word(&token.chars);
                    let len = norm.text.chars().count();
                    let letters = token.letter_count();
                    let abbreviation = letters >= 2
                        && token
                            .chars
                            .iter()
                            .filter(|c| c.is_alphabetic())
                            .all(|c| c.is_uppercase());
                    let harmless_word = single && entry.category == Category::Harmless;
                    let mode = if *prefix {
                        Mode::Prefix
                    } else if harmless_word {
                        // "путины" (of the fishing season) is that word, not every "Путин-".
                        Mode::Exact
                    } else if abbreviation {
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
                    // A name: capitalised, not an abbreviation. Its stems keep the
                    // surname suffix ("Ростов" is not "рост", "Лавров" not "лавр").
                    let capital =
                        mode == Mode::Stem && token.chars.first().is_some_and(|c| c.is_uppercase());
                    let stems = match mode {
                        Mode::Stem if capital => name_stems(&norm.text, norm.script),
                        Mode::Stem => stems(&norm.text, norm.script),
                        _ => Vec::new(),
                    };
                    KeyWord {
                        text: norm.text,
                        mode,
                        stems,
                        gap_before: *gap && i > 0,
                        capital,
                    }
                })
                .collect();
            let signature = keys
                .iter()
                .map(|k| (k.text.clone(), k.mode, k.capital))
                .collect();
            // A term that reads as one letter ("ООО" squeezed to "о") would match every
            // preposition; it is kept in the list but never looked for.
            let readable = keys
                .iter()
                .any(|k| k.text.chars().nth(1).is_some() || keys.len() > 1);
            let first = keys
                .first()
                .filter(|_| readable && seen.insert((entry.category, signature)));
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
                    Mode::Prefix => push(&mut lexicon.prefixes, root_key(&first.text), id),
                }
            }
            lexicon.keys.push(keys);
        }
        // Harmless words are not looked for in spelled-out runs: nobody hides them.
        for (flag, entry) in indexed.iter_mut().zip(&entries) {
            *flag &= entry.category != Category::Harmless;
        }
        lexicon.spread = SpreadIndex::new(&lexicon.keys, &indexed);
        lexicon.entries = entries;
        lexicon
    }

    /// A lexicon of one prisoner's case: names, the article, the case, as the moderators
    /// entered them. A term of several words is also found by the parts a writer would use
    /// alone: the article's number ("205.5" from "ч. 2 ст. 205.5 УК РФ") and the names in it
    /// ("Петренко" from "следователь Петренко").
    pub fn for_case(terms: &[String]) -> Self {
        let mut entries: Vec<LexiconEntry> = Vec::new();
        let mut add = |term: &str| {
            let term = term.trim();
            if !term.is_empty() && !entries.iter().any(|e| e.term == term) {
                entries.push(LexiconEntry::new(
                    term,
                    LexLang::guess(term),
                    Category::CaseDetails,
                ));
            }
        };
        for term in terms {
            add(term);
            for part in case_term_parts(term) {
                add(&part);
            }
        }
        Lexicon::new(entries)
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
            // A prefix is indexed by its first MIN_ROOT characters, or all of a shorter one.
            if !self.prefixes.is_empty() {
                for (at, c) in form.char_indices().take(MIN_ROOT) {
                    let key = form.get(..at + c.len_utf8()).unwrap_or(form);
                    for &id in self.prefixes.get(key).into_iter().flatten() {
                        let prefix = self.keys.get(id).and_then(|k| k.first());
                        if prefix.is_some_and(|k| form.starts_with(k.text.as_str()))
                            && !out.contains(&id)
                        {
                            out.push(id);
                        }
                    }
                }
            }
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
        self.scan_where(words, hits, |_| true);
    }

    /// Finds the terms `keep` accepts (by their index in [`Lexicon::entries`]).
    pub(crate) fn scan_where(&self, words: &[Word], hits: &mut Hits, keep: impl Fn(usize) -> bool) {
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
            for &id in candidates.iter().filter(|&&id| keep(id)) {
                let (Some(keys), Some(entry)) = (self.keys.get(id), self.entries.get(id)) else {
                    continue;
                };
                if keys.first().is_some_and(|k| k.capital && !word.capital) {
                    continue;
                }
                if let Some(last) = match_rest(keys.get(1..).unwrap_or_default(), words, i + 1) {
                    let end = words.get(last).map_or(word.end, |w| w.end);
                    hits.add(entry, Span::new(word.start, end));
                }
            }
        }
    }

    /// Finds one-word terms spelled out letter by letter ("в о й н а"), anywhere in a run,
    /// since the hidden word may follow a one-letter preposition ("о в о й н е").
    pub(crate) fn scan_spread(&self, tokens: &[Token], runs: &[SpreadRun], hits: &mut Hits) {
        self.scan_spread_where(tokens, runs, hits, |_| true);
    }

    /// [`Lexicon::scan_spread`] for the terms `keep` accepts.
    pub(crate) fn scan_spread_where(
        &self,
        tokens: &[Token],
        runs: &[SpreadRun],
        hits: &mut Hits,
        keep: impl Fn(usize) -> bool,
    ) {
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
                        .filter(|&&id| keep(id))
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

/// The stems of a name: as of any word, but a surname keeps its suffix ("Ростов" is not
/// "рост", "Лавров" not "лавр", "Путин" not "пут"); "Зеленский" still reaches "зеленск".
fn name_stems(word: &str, script: Script) -> Vec<String> {
    const SUFFIXES: [&str; 6] = ["ов", "ев", "ин", "ын", "ив", "ович"];
    stems(word, script)
        .into_iter()
        .filter(|stem| {
            let removed = word.get(stem.len()..).unwrap_or_default();
            !SUFFIXES.contains(&removed)
        })
        .collect()
}

/// Matches the rest of a term's words from word `at` on; returns the index of the last word
/// matched (`at - 1` when nothing is left to match). A key with a gap before it may skip up
/// to [`GAP`] words.
fn match_rest(keys: &[KeyWord], words: &[Word], at: usize) -> Option<usize> {
    let Some((key, rest)) = keys.split_first() else {
        return Some(at.saturating_sub(1));
    };
    let skips = if key.gap_before { GAP } else { 0 };
    (at..=at + skips).find_map(|j| {
        let word = words.get(j)?;
        if key.matches_word(word) {
            match_rest(rest, words, j + 1)
        } else {
            None
        }
    })
}

/// The parts of a case term a writer may use alone: numbers that look like an article of
/// a criminal code ("205.5", "205"), and the names in a term of several words (capitalised
/// words after the first, of four letters or more).
fn case_term_parts(term: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let words: Vec<&str> = term.split_whitespace().collect();
    if words.len() < 2 {
        return parts;
    }
    for (i, word) in words.iter().enumerate() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
        let number = word.trim_end_matches('.');
        let digits = number.split('.').next().unwrap_or_default();
        if (2..=3).contains(&digits.len()) && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            parts.push(number.to_owned());
            continue;
        }
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        let abbreviation = word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        if i > 0 && letters >= 4 && capitalised && !abbreviation {
            parts.push(word.to_owned());
        }
    }
    parts
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

#[cfg(test)]
#[path = "lexicon_tests.rs"]
mod tests;
