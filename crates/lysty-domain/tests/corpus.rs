//! The safety flags against a labelled corpus of letters written for this test, without
//! looking at the lexicon: risky letters (one label each: the reason a censor would stop
//! them) and harmless ones, many of them hard on purpose (disguised spellings; war words in
//! their everyday sense; `corpus/everyday.toml` is full of those). Prints recall and the
//! false-flag rate per language and label, and fails below 95% recall or above 5% false flags
//! in any language.
//!
//! `corpus/holdout.toml` was written by someone else again and was not read while the
//! lexicon was filled; its figures are printed apart and not asserted, so that what the
//! lexicon does on letters nobody tuned it on stays visible (and stays honest: only the
//! number of letters it gets wrong is printed, never which).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;

use lysty_domain::safety::{
    FlagKind, Lexicon, PrisonerNames, SafetyContext, check, starter_lexicon,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Registry {
    recipient: Person,
    others: Vec<Person>,
}

#[derive(Deserialize)]
struct Person {
    names: Vec<String>,
    #[serde(default)]
    case_terms: Vec<String>,
}

#[derive(Deserialize)]
struct Corpus {
    letter: Vec<Letter>,
}

#[derive(Deserialize)]
struct Letter {
    id: String,
    lang: String,
    label: String,
    text: String,
}

/// The flags that count as catching a letter of each label.
fn caught_by(label: &str) -> &'static [FlagKind] {
    match label {
        "case" => &[FlagKind::CaseDetails],
        "other_prisoner" => &[FlagKind::OtherPrisoner],
        "coded" => &[FlagKind::Coded],
        "contact" => &[
            FlagKind::Link,
            FlagKind::Email,
            FlagKind::Phone,
            FlagKind::Contact,
        ],
        "profanity" => &[FlagKind::Profanity],
        // The censor and the moderator treat the two alike: a hint at victory is both.
        "political" | "war" => &[FlagKind::Political, FlagKind::War],
        _ => &[],
    }
}

#[derive(Default)]
struct Tally {
    risky: u32,
    caught: u32,
    benign: u32,
    false_flags: u32,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.risky += other.risky;
        self.caught += other.caught;
        self.benign += other.benign;
        self.false_flags += other.false_flags;
    }

    fn recall(&self) -> f64 {
        if self.risky == 0 {
            1.0
        } else {
            f64::from(self.caught) / f64::from(self.risky)
        }
    }

    fn false_rate(&self) -> f64 {
        if self.benign == 0 {
            0.0
        } else {
            f64::from(self.false_flags) / f64::from(self.benign)
        }
    }

    fn line(&self) -> String {
        let mut out = String::new();
        if self.risky > 0 {
            out += &format!(
                "recall {:5.1}% ({}/{})",
                100.0 * self.recall(),
                self.caught,
                self.risky
            );
        }
        if self.benign > 0 {
            if !out.is_empty() {
                out += "  ";
            }
            out += &format!(
                "false flags {:4.1}% ({}/{})",
                100.0 * self.false_rate(),
                self.false_flags,
                self.benign
            );
        }
        out
    }
}

/// A flagged piece with a few words either side, for reading a false flag.
fn in_context(text: &str, start: usize, end: usize) -> String {
    let before: String = text[..start]
        .chars()
        .rev()
        .take(30)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text[end..].chars().take(30).collect();
    format!("«…{}[{}]{}…»", before, &text[start..end], after).replace('\n', " ")
}

fn load<T: for<'de> Deserialize<'de>>(path: &Path) -> T {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks every letter of a corpus file; returns the tallies by (language, label) and the
/// letters it got wrong.
fn run(
    file: &str,
    registry: &Registry,
    lexicon: &Lexicon,
    names: &PrisonerNames,
) -> (BTreeMap<(String, String), Tally>, Vec<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let corpus: Corpus = load(&dir.join(file));
    let ctx = SafetyContext {
        case_terms: &registry.recipient.case_terms,
        prisoners: Some((names, "recipient")),
        ..SafetyContext::new(lexicon)
    };
    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut wrong = Vec::new();
    for letter in &corpus.letter {
        let flags = check(&letter.text, &ctx);
        let tally = tallies
            .entry((letter.lang.clone(), letter.label.clone()))
            .or_default();
        if letter.label == "benign" {
            tally.benign += 1;
            let raised: Vec<String> = flags
                .iter()
                .filter(|f| f.kind.is_about_content())
                .map(|f| {
                    let places: Vec<String> = f
                        .spans
                        .iter()
                        .map(|s| in_context(&letter.text, s.start, s.end))
                        .collect();
                    format!("{} {}", f.kind, places.join(" "))
                })
                .collect();
            if !raised.is_empty() {
                tally.false_flags += 1;
                wrong.push(format!("{} flagged {}", letter.id, raised.join("; ")));
            }
        } else {
            tally.risky += 1;
            if flags
                .iter()
                .any(|f| caught_by(&letter.label).contains(&f.kind))
            {
                tally.caught += 1;
            } else {
                let raised: Vec<&str> = flags.iter().map(|f| f.kind.as_str()).collect();
                wrong.push(format!(
                    "{} missed (raised: {})",
                    letter.id,
                    raised.join(", ")
                ));
            }
        }
    }
    (tallies, wrong)
}

fn report(title: &str, tallies: &BTreeMap<(String, String), Tally>) -> BTreeMap<String, Tally> {
    let mut by_lang: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    println!("\n{title}");
    for ((lang, label), tally) in tallies {
        println!("  {lang} {label:<15} {}", tally.line());
        by_lang.entry(lang.clone()).or_default().add(tally);
        total.add(tally);
    }
    for (lang, tally) in &by_lang {
        println!("  {lang} {:<15} {}", "ALL", tally.line());
    }
    println!("  all {:<14} {}", "", total.line());
    by_lang
}

#[test]
fn flags_catch_risky_letters_and_leave_harmless_ones_alone() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let registry: Registry = load(&dir.join("registry.toml"));
    let lexicon = Lexicon::new(starter_lexicon());
    let keys: Vec<String> = std::iter::once("recipient".to_owned())
        .chain((0..registry.others.len()).map(|i| format!("other-{i}")))
        .collect();
    let people = std::iter::once(&registry.recipient).chain(&registry.others);
    let names = PrisonerNames::new(keys.iter().zip(people).map(|(key, person)| {
        let shown = person.names.first().map_or("", String::as_str);
        (
            key.as_str(),
            shown,
            person.names.iter().map(String::as_str).collect(),
        )
    }));

    let mut development: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut wrong = Vec::new();
    for file in ["ru.toml", "uk.toml", "en.toml", "everyday.toml"] {
        let (tallies, missed) = run(file, &registry, &lexicon, &names);
        for (key, tally) in tallies {
            development.entry(key).or_default().add(&tally);
        }
        wrong.extend(missed);
    }
    let by_lang = report("development corpus (ru, uk, en)", &development);
    println!("\nwrong in the development corpus:");
    for line in &wrong {
        println!("  {line}");
    }
    let (holdout, holdout_wrong) = run("holdout.toml", &registry, &lexicon, &names);
    let holdout_by_lang = report("held-out corpus", &holdout);
    // Only counted: reading its letters would make it one more development set.
    println!("wrong in the held-out corpus: {}", holdout_wrong.len());

    let letters: u32 = development.values().map(|t| t.risky + t.benign).sum();
    assert!(letters >= 300, "the corpus has {letters} letters");
    // The thresholds hold for the development corpus in every language. The held-out
    // figures are printed for the record: they show how far the lexicon carries to letters
    // nobody tuned it on (see docs/SAFETY.md).
    let _ = holdout_by_lang;
    for (lang, tally) in &by_lang {
        assert!(tally.recall() >= 0.95, "{lang}: {}", tally.line());
        assert!(tally.false_rate() <= 0.05, "{lang}: {}", tally.line());
    }
}
