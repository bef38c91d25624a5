//! How long a realistic batch takes: 10 prisoners, 100 letters of about 1,500 characters, half
//! of them with the original printed too, with the reply kit.
//!
//! `CARGO_TARGET_DIR=/tmp/pdf-target cargo run -p lysty-pdf --example batch_timing`

use std::time::Instant;

use lysty_pdf::{Document, Envelope, Labels, LetterPage, PrisonerPacket, render, render_text};

const RUSSIAN: &str = "Здравствуйте! Пишу вам из другого города, хотя мы не знакомы. \
    Хочу, чтобы вы знали: о вас помнят, за вашим делом следят, и таких писем будет ещё много. \
    У нас наступила осень, листья на деревьях пожелтели, по утрам уже прохладно. ";
const ORIGINAL: &str = "Hello! I am writing to you from another city, although we have never met. \
    I want you to know that you are remembered, that people follow your case, and that more \
    letters like this one will come. Autumn has arrived here, the leaves have turned yellow. ";

/// `run` goes into every paragraph: typst caches layout across calls, and a real batch never
/// repeats the previous one's text.
fn letter(n: usize, run: usize) -> LetterPage {
    let paragraph = format!("{run}. {}", RUSSIAN.repeat(2));
    LetterPage {
        reference: format!("L-{n:04}-TM"),
        text: format!("{paragraph}\n\n{paragraph}\n\n{paragraph}"),
        original: n
            .is_multiple_of(2)
            .then(|| format!("{run}. {}", ORIGINAL.repeat(4))),
        return_address: n
            .is_multiple_of(3)
            .then(|| "Мария Петрова\nа/я 12\nТбилиси".to_owned()),
        signature: Some(format!("Мария {n}, Тбилиси")),
    }
}

fn batch(run: usize) -> Document {
    let packets = (0..10)
        .map(|p| PrisonerPacket {
            envelope: Envelope {
                recipient: vec![
                    format!("Иванову Ивану Ивановичу {p}"),
                    "1980 г.р.".to_owned(),
                ],
                address: vec![
                    "ФКУ ИК-1 УФСИН России".to_owned(),
                    "ул. Лагерная, д. 1".to_owned(),
                    "г. Энск, 123456".to_owned(),
                ],
            },
            letters: (0..10).map(|l| letter(p * 10 + l, run)).collect(),
        })
        .collect();
    Document {
        title: format!("Batch 2026-11-30 · ИК-1 · {run}"),
        labels: Labels {
            letter_heading: "Письмо".to_owned(),
            original_heading: "Оригинал".to_owned(),
            return_address: "Обратный адрес".to_owned(),
            reply_kit_heading: "Как ответить".to_owned(),
            reply_kit_text: "Напишите ответ на этом листе.\n\nКонверт и марка уже внутри."
                .to_owned(),
            page: "стр.".to_owned(),
            reply_address: "Адрес для ответа".to_owned(),
            ..Labels::default()
        },
        packets,
        reply_kit: true,
        reply_address: None,
    }
}

fn main() -> Result<(), lysty_pdf::PdfError> {
    // The first call in a process also parses the fonts and builds typst's library.
    let mut tiny = batch(0);
    tiny.packets.truncate(1);
    tiny.packets[0].letters.truncate(1);
    let started = Instant::now();
    render(&tiny)?;
    println!("first call, 1 letter: {:.2?}", started.elapsed());

    for run in 1..=3 {
        let doc = batch(run);
        let started = Instant::now();
        let pdf = render(&doc)?;
        let elapsed = started.elapsed();
        let pages = render_text(&doc)?.split('\u{c}').count();
        println!(
            "run {run}: 100 letters, {pages} pages, {} KiB in {elapsed:.2?}",
            pdf.len() / 1024
        );
    }
    Ok(())
}
