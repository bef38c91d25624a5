//! Safety flags: advice to the moderator about what in a letter may get it withheld by a
//! prison censor, or get the prisoner punished. A flag never rejects a letter; a person
//! reads every letter and decides.
//!
//! Letters to Russian prisons must be in Russian and say nothing of war, politics or the
//! prisoner's case, and carry no contact data. [`check`] looks for all of it, including the
//! usual disguises (look-alike Latin letters, "в о й н а", invisible characters), and says
//! where in the original text each finding is, so the page can mark it.
//!
//! Prepare the [`Lexicon`] once and share it; a check is then a pass over the letter:
//!
//! ```
//! use lysty_domain::safety::{FlagKind, Lexicon, SafetyContext, check, highlight, starter_lexicon};
//!
//! let lexicon = Lexicon::new(starter_lexicon());
//! let text = "Нет в о й н е!";
//! let flags = check(text, &SafetyContext::new(&lexicon));
//! assert_eq!(flags[0].kind, FlagKind::War);
//! assert_eq!(highlight(text, &flags[0].spans)[1], ("в о й н е".to_owned(), true));
//! ```

mod category;
mod contacts;
mod hits;
mod language;
mod lexicon;
mod normalise;
mod patterns;
mod people;
mod starter;
mod stem;

use std::fmt;
use std::fmt::Write as _;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ParseError;

pub use lexicon::{Category, GAP, LexLang, Lexicon, LexiconEntry};
pub use people::{Person, PrisonerNames, surname_of};
pub use starter::{STARTER_VERSION, starter_lexicon};

/// A piece of the original text: byte offsets, on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a flag is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// The letter is not in Russian; the censor passes only Russian.
    NotRussian,
    Political,
    War,
    /// Names, articles and details of this prisoner's case.
    CaseDetails,
    /// Another prisoner of the campaign, named in a letter to someone else.
    OtherPrisoner,
    /// Secrecy cues and hints at a hidden meaning: "burn this letter", "you know who".
    Coded,
    Link,
    Email,
    Phone,
    /// Other ways to reach someone: messenger handles, a postal address to write to.
    Contact,
    Profanity,
    /// Longer than the facility accepts.
    TooLong,
    /// The same text as other letters (see [`fingerprint`]).
    Repeated,
    /// Latin words or abbreviations in a Russian letter.
    ForeignWords,
    /// The writer checked the letter before sending, was warned (the kinds are the terms)
    /// and sent it anyway.
    WriterWarned,
}

impl FlagKind {
    pub const ALL: [FlagKind; 15] = [
        FlagKind::NotRussian,
        FlagKind::Political,
        FlagKind::War,
        FlagKind::CaseDetails,
        FlagKind::OtherPrisoner,
        FlagKind::Coded,
        FlagKind::Link,
        FlagKind::Email,
        FlagKind::Phone,
        FlagKind::Contact,
        FlagKind::Profanity,
        FlagKind::TooLong,
        FlagKind::Repeated,
        FlagKind::ForeignWords,
        FlagKind::WriterWarned,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            FlagKind::NotRussian => "not_russian",
            FlagKind::Political => "political",
            FlagKind::War => "war",
            FlagKind::CaseDetails => "case_details",
            FlagKind::OtherPrisoner => "other_prisoner",
            FlagKind::Coded => "coded",
            FlagKind::Link => "link",
            FlagKind::Email => "email",
            FlagKind::Phone => "phone",
            FlagKind::Contact => "contact",
            FlagKind::Profanity => "profanity",
            FlagKind::TooLong => "too_long",
            FlagKind::Repeated => "repeated",
            FlagKind::ForeignWords => "foreign_words",
            FlagKind::WriterWarned => "writer_warned",
        }
    }

    /// The Fluent message that names the kind in a list (`flag-name-…` in `flags.ftl`);
    /// only kinds about what a letter says have one.
    pub fn name_id(self) -> String {
        format!("flag-name-{}", self.as_str().replace('_', "-"))
    }

    /// The Fluent message that explains the flag to a moderator (`flags.ftl`).
    pub const fn message_id(self) -> &'static str {
        match self {
            FlagKind::NotRussian => "flag-not-russian",
            FlagKind::Political => "flag-political",
            FlagKind::War => "flag-war",
            FlagKind::CaseDetails => "flag-case-details",
            FlagKind::OtherPrisoner => "flag-other-prisoner",
            FlagKind::Coded => "flag-coded",
            FlagKind::Link => "flag-link",
            FlagKind::Email => "flag-email",
            FlagKind::Phone => "flag-phone",
            FlagKind::Contact => "flag-contact",
            FlagKind::Profanity => "flag-profanity",
            FlagKind::TooLong => "flag-too-long",
            FlagKind::Repeated => "flag-repeated",
            FlagKind::ForeignWords => "flag-foreign-words",
            FlagKind::WriterWarned => "flag-writer-warned",
        }
    }

    const fn order(self) -> usize {
        match self {
            FlagKind::NotRussian => 0,
            FlagKind::Political => 1,
            FlagKind::War => 2,
            FlagKind::CaseDetails => 3,
            FlagKind::OtherPrisoner => 4,
            FlagKind::Coded => 5,
            FlagKind::Link => 6,
            FlagKind::Email => 7,
            FlagKind::Phone => 8,
            FlagKind::Contact => 9,
            FlagKind::Profanity => 10,
            FlagKind::TooLong => 11,
            FlagKind::Repeated => 12,
            FlagKind::ForeignWords => 13,
            FlagKind::WriterWarned => 14,
        }
    }

    /// Whether the flag is about what the letter says (rather than its language, length
    /// or copies): what a writer can change by rewriting a passage.
    pub const fn is_about_content(self) -> bool {
        !matches!(
            self,
            FlagKind::NotRussian | FlagKind::TooLong | FlagKind::Repeated | FlagKind::WriterWarned
        )
    }
}

impl FromStr for FlagKind {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FlagKind::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or(ParseError::Invalid)
    }
}

impl fmt::Display for FlagKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The languages [`check`] may name in [`FlagDetail::Language`]; each has a
/// `flag-language-…` message.
pub const DETECTED_LANGUAGES: [&str; 8] = ["ru", "uk", "en", "pl", "de", "fr", "tr", "und"];

/// What the moderator is told besides the kind: the variables of the flag's message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum FlagDetail {
    None,
    /// `detected` is an ISO 639-1 code from [`DETECTED_LANGUAGES`] ("und" when none fits);
    /// `confidence` is between 0 and 1, and at most 0.5 for a text too short to tell.
    Language {
        detected: String,
        confidence: f64,
    },
    /// The lexicon terms (or case terms) that matched, each once, in order of appearance.
    Terms(Vec<String>),
    /// Characters (Unicode scalar values), as [`crate::LetterBody`] counts them.
    Length {
        actual: usize,
        max: usize,
    },
    Repeats {
        count: u32,
    },
    /// The words as written in the letter, each once.
    Words(Vec<String>),
}

/// Which of a letter's texts a flag was found in (and its spans point into).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagText {
    /// What the writer wrote, or the transcription of a paper letter.
    #[default]
    Original,
    /// The Russian text that will be printed (a translation, or a redacted copy).
    Delivery,
    /// The writer's name and city, printed under the letter as its signature.
    Signature,
}

/// One piece of advice. `spans` are sorted and do not overlap; empty when the flag is
/// about the whole letter (language, length, repeats).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub spans: Vec<Span>,
    pub detail: FlagDetail,
    /// Flags stored before texts were told apart were found in the text then current.
    #[serde(default)]
    pub text: FlagText,
}

/// Everything [`check`] needs besides the text.
#[derive(Debug, Clone)]
pub struct SafetyContext<'a> {
    pub lexicon: &'a Lexicon,
    /// Extra terms for this prisoner's case (names of co-defendants, the article, the
    /// case), matched like the lexicon, flagged as CaseDetails.
    pub case_terms: &'a [String],
    /// The same terms prepared once ([`Lexicon::for_case`]); used instead of `case_terms`
    /// when given, so that a busy prisoner's terms are not prepared for every letter.
    pub case: Option<&'a Lexicon>,
    /// The campaign's prisoners, and which of them the letter is for: the others' names
    /// are flagged.
    pub prisoners: Option<(&'a PrisonerNames, &'a str)>,
    /// The facility's length limit in characters, if any.
    pub max_chars: Option<usize>,
    /// How many other letters already have the same fingerprint (see [`fingerprint`]).
    pub same_text_count: u32,
    /// From how many repeats the text counts as repeated (e.g. 3).
    pub repeat_threshold: u32,
}

impl<'a> SafetyContext<'a> {
    /// The repeat threshold when the operator sets none: two friends may send the same
    /// kind words, a third copy is a template.
    pub const DEFAULT_REPEAT_THRESHOLD: u32 = 3;

    /// A context with only a lexicon: no case terms, no limit, no repeats.
    pub fn new(lexicon: &'a Lexicon) -> Self {
        SafetyContext {
            lexicon,
            case_terms: &[],
            case: None,
            prisoners: None,
            max_chars: None,
            same_text_count: 0,
            repeat_threshold: Self::DEFAULT_REPEAT_THRESHOLD,
        }
    }
}

/// Checks a letter and returns its flags in the order of [`FlagKind::ALL`], at most one
/// flag of each kind.
pub fn check(text: &str, ctx: &SafetyContext<'_>) -> Vec<Flag> {
    let tokens = normalise::tokenise(text);
    let words = normalise::words(&tokens);
    let runs = normalise::spread_runs(text, &tokens);
    let mut flags = Vec::new();

    let stats = language::LetterStats::of(&tokens);
    let not_russian = language::not_russian(text, &stats);
    if let Some(found) = &not_russian {
        flags.push(Flag {
            kind: FlagKind::NotRussian,
            spans: Vec::new(),
            detail: FlagDetail::Language {
                detected: found.detected.to_owned(),
                confidence: found.confidence,
            },
            text: FlagText::Original,
        });
    }

    let built;
    let case = match ctx.case {
        Some(prepared) => prepared,
        None => {
            built = Lexicon::for_case(ctx.case_terms);
            &built
        }
    };
    let mut hits = lexicon::Hits::default();
    for lexicon in [ctx.lexicon, case] {
        lexicon.scan(&words, &mut hits);
        lexicon.scan_spread(&tokens, &runs, &mut hits);
    }
    patterns::scan(text, &mut hits);
    // What a harmless phrase covers ("битва за урожай") is not flagged, nor a word with an
    // everyday meaning in a sentence about everyday things.
    let (harmless, _) = hits.take(Category::Harmless);
    hits.drop_inside(&harmless);
    let sentences = normalise::sentence_starts(text);
    hits.drop_weak_near_cues(|at| sentences.partition_point(|&s| s <= at));
    for category in Category::ALL {
        let (spans, terms) = hits.take(category);
        if let (Some(kind), false) = (category.flag_kind(), terms.is_empty()) {
            flags.push(Flag {
                kind,
                spans: merge_spans(spans),
                detail: FlagDetail::Terms(terms),
                text: FlagText::Original,
            });
        }
    }
    if let Some((names, recipient)) = ctx.prisoners {
        let text = people::Text {
            tokens: &tokens,
            words: &words,
            runs: &runs,
        };
        let (spans, named) = names.find(&text, recipient, &harmless);
        if !named.is_empty() {
            flags.push(Flag {
                kind: FlagKind::OtherPrisoner,
                spans: merge_spans(spans),
                detail: FlagDetail::Terms(named),
                text: FlagText::Original,
            });
        }
    }

    let emails = contacts::emails(text);
    let links = contacts::links(text, &emails);
    // Digits inside an address are part of the address.
    let phones: Vec<Span> = contacts::phones(text, &tokens)
        .into_iter()
        .filter(|p| !emails.iter().chain(&links).any(|s| overlaps(s, p)))
        .collect();
    let contacts: Vec<Span> = contacts::handles_and_addresses(text)
        .into_iter()
        .filter(|p| !emails.iter().chain(&links).any(|s| overlaps(s, p)))
        .collect();
    let addresses: Vec<Span> = emails
        .iter()
        .chain(&links)
        .chain(&contacts)
        .copied()
        .collect();
    // Handles and addresses join the contact flag the lexicon raised ("мой телеграм"), or
    // raise it, naming what was found.
    let pieces: Vec<String> = contacts
        .iter()
        .filter_map(|s| text.get(s.start..s.end))
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    if let Some(found) = flags.iter_mut().find(|f| f.kind == FlagKind::Contact) {
        found.spans = merge_spans(found.spans.iter().chain(&contacts).copied().collect());
        if let FlagDetail::Terms(terms) = &mut found.detail {
            terms.extend(pieces);
        }
    } else if !contacts.is_empty() {
        flags.push(Flag {
            kind: FlagKind::Contact,
            spans: merge_spans(contacts),
            detail: FlagDetail::Terms(pieces),
            text: FlagText::Original,
        });
    }
    for (kind, spans) in [
        (FlagKind::Link, links),
        (FlagKind::Email, emails),
        (FlagKind::Phone, phones),
    ] {
        if !spans.is_empty() {
            flags.push(Flag {
                kind,
                spans: merge_spans(spans),
                detail: FlagDetail::None,
                text: FlagText::Original,
            });
        }
    }

    if let Some(max) = ctx.max_chars {
        let actual = text.chars().count();
        if actual > max {
            flags.push(Flag {
                kind: FlagKind::TooLong,
                spans: Vec::new(),
                detail: FlagDetail::Length { actual, max },
                text: FlagText::Original,
            });
        }
    }

    if ctx.same_text_count >= ctx.repeat_threshold {
        flags.push(Flag {
            kind: FlagKind::Repeated,
            spans: Vec::new(),
            detail: FlagDetail::Repeats {
                count: ctx.same_text_count,
            },
            text: FlagText::Original,
        });
    }

    // In a letter that is not Russian every word is foreign; the language flag says it.
    if not_russian.is_none() {
        // The words of an address are flagged with the address.
        let found: Vec<(usize, usize)> = language::foreign_words(&tokens, &stats)
            .into_iter()
            .filter(|&(s, e)| {
                let word = Span::new(s, e);
                // An ordinary Cyrillic abbreviation ("ОРВИ") is harmless; a Latin word in a
                // Russian letter stays foreign whatever it means.
                let cyrillic = text
                    .get(s..e)
                    .is_some_and(|w| w.chars().any(normalise::is_cyrillic));
                let in_address = addresses.iter().any(|a| overlaps(a, &word));
                let ordinary = cyrillic && harmless.iter().any(|a| overlaps(a, &word));
                !in_address && !ordinary
            })
            .collect();
        if !found.is_empty() {
            let mut list: Vec<String> = Vec::new();
            for &(start, end) in &found {
                let word: String = text
                    .get(start..end)
                    .unwrap_or_default()
                    .chars()
                    .filter(|&c| !normalise::is_invisible(c))
                    .collect();
                if !list.contains(&word) {
                    list.push(word);
                }
            }
            flags.push(Flag {
                kind: FlagKind::ForeignWords,
                spans: merge_spans(found.into_iter().map(|(s, e)| Span::new(s, e)).collect()),
                detail: FlagDetail::Words(list),
                text: FlagText::Original,
            });
        }
    }

    flags.sort_by_key(|f| f.kind.order());
    flags
}

fn overlaps(a: &Span, b: &Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// Sorts spans and joins those that overlap or touch.
fn merge_spans(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// A fingerprint of the text that trivially varied copies of one template share: hex
/// SHA-256 of the words, case-folded, look-alikes unified, with punctuation, spacing and
/// invisible characters dropped.
pub fn fingerprint(text: &str) -> String {
    let mut hasher = Sha256::new();
    for (i, word) in normalise::normalised_words(text).iter().enumerate() {
        if i > 0 {
            hasher.update(b" ");
        }
        hasher.update(word.canonical().as_bytes());
    }
    let mut hex = String::with_capacity(64);
    for byte in hasher.finalize() {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Splits the text into runs that are flagged or not, for templates to wrap flagged runs in
/// `<mark>`. Spans may come from several flags and overlap; spans outside the text or off
/// char boundaries are ignored. Joining the pieces gives back the text.
pub fn highlight(text: &str, spans: &[Span]) -> Vec<(String, bool)> {
    let valid: Vec<Span> = spans
        .iter()
        .copied()
        .filter(|s| {
            s.start < s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end)
        })
        .collect();
    let mut pieces = Vec::new();
    let mut at = 0;
    for span in merge_spans(valid) {
        if let Some(plain) = text.get(at..span.start).filter(|p| !p.is_empty()) {
            pieces.push((plain.to_owned(), false));
        }
        if let Some(marked) = text.get(span.start..span.end) {
            pieces.push((marked.to_owned(), true));
        }
        at = span.end;
    }
    if let Some(rest) = text.get(at..).filter(|p| !p.is_empty()) {
        pieces.push((rest.to_owned(), false));
    }
    pieces
}

#[cfg(test)]
mod tests;
