//! How long `safety::check` takes on an 8,000-character letter with the starter lexicon:
//! a measurement, not a test. `cargo run --release -p lysty-domain --example safety_timing`

use lysty_domain::safety::{Lexicon, SafetyContext, check, starter_lexicon};

fn main() {
    let lexicon = Lexicon::new(starter_lexicon());
    let mut text = String::new();
    while text.chars().count() < 8_000 {
        text.push_str("Здравствуйте! Как ваши дела? У нас весна, я читаю книгу о море. ");
        text.push_str("Про вoйну и в о й н у не пишу, звоните +7 978 123 45 67. ");
    }
    let text: String = text.chars().take(8_000).collect();
    let case_terms = ["Бекиров".to_owned(), "Ремзи".to_owned()];
    let ctx = SafetyContext {
        case_terms: &case_terms,
        ..SafetyContext::new(&lexicon)
    };
    let _ = check(&text, &ctx);
    let rounds = 200;
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(check(std::hint::black_box(&text), &ctx));
    }
    let each = started.elapsed() / rounds;
    println!(
        "check() on {} chars with {} entries: {each:?} per letter",
        text.chars().count(),
        lexicon.entries().len()
    );
}
