//! How long `safety::check` takes, with the starter lexicon, a prisoner's case terms and
//! 200 prisoners' names: over the corpus letters (their usual length) and over one
//! 8,000-character letter (the longest a letter may be). Beside it, in the same run, the
//! baseline the performance issue names as the budget: one Aho–Corasick pass of every
//! lexicon term over the lower-cased text. A measurement, not a test:
//! `cargo run --release -p lysty-domain --example safety_timing` (or `bench/safety.sh`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use aho_corasick::AhoCorasick;
use lysty_domain::safety::{Lexicon, PrisonerNames, SafetyContext, check, starter_lexicon};

fn letters() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let mut out = Vec::new();
    for file in ["ru.toml", "uk.toml", "en.toml", "holdout.toml"] {
        let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap_or_default();
        // The letters' texts, without a TOML parser: they sit between ''' marks.
        out.extend(
            text.split("'''")
                .skip(1)
                .step_by(2)
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()),
        );
    }
    out
}

fn per_letter(letters: &[String], rounds: u32, mut f: impl FnMut(&str)) -> Duration {
    let started = Instant::now();
    for _ in 0..rounds {
        for letter in letters {
            f(black_box(letter));
        }
    }
    started.elapsed() / (rounds * u32::try_from(letters.len()).unwrap_or(1).max(1))
}

fn main() {
    let lexicon = Lexicon::new(starter_lexicon());
    let given = [
        "Сервер",
        "Наталья",
        "Асан",
        "Владислав",
        "Эльмира",
        "Олег",
        "Ремзи",
    ];
    let family = [
        "Ибраимов",
        "Кравец",
        "Меметов",
        "Ткачук",
        "Сеитова",
        "Бекиров",
        "Асанов",
    ];
    let people: Vec<(String, String)> = (0..200)
        .map(|i| {
            let name = format!(
                "{} {}{}",
                given[i % given.len()],
                family[i % family.len()],
                i
            );
            (format!("p{i}"), name)
        })
        .collect();
    let names = PrisonerNames::new(
        people
            .iter()
            .map(|(key, name)| (key.as_str(), name.as_str(), vec![name.as_str()])),
    );
    // Prepared once, as the application keeps them per prisoner.
    let case = Lexicon::for_case(&[
        "ч. 2 ст. 205.5 УК РФ".to_owned(),
        "судья Ковалевский".to_owned(),
    ]);
    let ctx = SafetyContext {
        case: Some(&case),
        prisoners: Some((&names, "p0")),
        ..SafetyContext::new(&lexicon)
    };
    let patterns: Vec<String> = lexicon
        .entries()
        .iter()
        .map(|e| e.shown().trim_end_matches('*').to_lowercase())
        .collect();
    let Ok(baseline) = AhoCorasick::new(&patterns) else {
        return;
    };

    let corpus = letters();
    let mut long = String::new();
    while long.chars().count() < 8_000 {
        long.push_str("Здравствуйте! Как ваши дела? У нас весна, я читаю книгу о море. ");
        long.push_str("Про вoйну и в о й н у не пишу, звоните +7 978 123 45 67. ");
    }
    let long: Vec<String> = vec![long.chars().take(8_000).collect()];
    for (what, letters, rounds) in [("corpus letter", &corpus, 20), ("8,000 chars", &long, 200)] {
        let chars: usize =
            letters.iter().map(|l| l.chars().count()).sum::<usize>() / letters.len().max(1);
        let checked = per_letter(letters, rounds, |t| {
            black_box(check(t, &ctx));
        });
        let scanned = per_letter(letters, rounds, |t| {
            black_box(baseline.find_overlapping_iter(&t.to_lowercase()).count());
        });
        println!(
            "{what} ({} letters, {chars} chars on average): check() {checked:?}, one Aho-Corasick pass {scanned:?}, ratio {:.1}",
            letters.len(),
            checked.as_secs_f64() / scanned.as_secs_f64().max(1e-12)
        );
    }
    println!(
        "{} lexicon entries, {} prisoners' names",
        lexicon.entries().len(),
        people.len()
    );
}
