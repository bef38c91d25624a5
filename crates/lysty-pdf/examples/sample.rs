//! Writes a sample batch and report, to look at the layout by eye.
//!
//! `CARGO_TARGET_DIR=/tmp/pdf-target cargo run -p lysty-pdf --example sample -- /tmp`

use std::path::PathBuf;

use lysty_pdf::{
    Document, Envelope, Labels, LetterPage, PrisonerPacket, Report, ReportSection, ReportTable,
    render, render_report,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".to_owned()));
    let letter = "Здравствуйте, Иван!\n\nПишу вам из Тбилиси. Мы не знакомы, но я прочитала о \
        вашем деле и хочу, чтобы вы знали: о вас помнят. У нас сейчас тепло, на рынке много \
        винограда, а по вечерам в парке играют музыканты.\n\nДержитесь.\nМария";
    let doc = Document {
        title: "Batch 2026-11-30 · ИК-1".to_owned(),
        labels: Labels {
            letter_heading: "Письмо".to_owned(),
            original_heading: "Оригинал".to_owned(),
            return_address: "Обратный адрес".to_owned(),
            reply_kit_heading: "Как ответить".to_owned(),
            reply_kit_text: "Если хотите ответить, напишите на обороте этого листа.\n\n\
                Конверт с маркой и адресом вложен."
                .to_owned(),
            page: "стр.".to_owned(),
            reply_address: "Адрес для ответа".to_owned(),
            ..Labels::default()
        },
        packets: vec![PrisonerPacket {
            envelope: Envelope {
                recipient: vec!["Иванову Ивану Ивановичу".to_owned(), "1980 г.р.".to_owned()],
                address: vec![
                    "ФКУ ИК-1 УФСИН России по Республике Мордовия".to_owned(),
                    "ул. Лагерная, д. 1".to_owned(),
                    "п. Энск, 431120".to_owned(),
                ],
            },
            letters: vec![
                LetterPage {
                    reference: "L-7K2M-9Q".to_owned(),
                    text: letter.to_owned(),
                    original: Some(
                        "Hello Ivan! I am writing to you from Tbilisi. Selâm, dostum!".to_owned(),
                    ),
                    return_address: Some("Мария Петрова\nа/я 12, Тбилиси 0108, Грузия".to_owned()),
                    signature: Some("Мария, Тбилиси".to_owned()),
                },
                LetterPage {
                    reference: "L-3XYZ-4A".to_owned(),
                    text: format!(
                        "{}\n\n#set page(width: 1pt) *bold* $x$",
                        [letter; 12].join("\n\n")
                    ),
                    original: None,
                    return_address: None,
                    signature: None,
                },
            ],
        }],
        reply_kit: true,
        reply_address: None,
    };
    std::fs::write(dir.join("lysty-sample-batch.pdf"), render(&doc)?)?;

    let report = Report {
        title: "Годовой отчёт 2026".to_owned(),
        sections: vec![ReportSection {
            heading: "Письма".to_owned(),
            paragraphs: vec!["За год отправлено 1 234 письма в 56 учреждений.".to_owned()],
            tables: vec![ReportTable {
                caption: "По учреждениям".to_owned(),
                header: vec!["Учреждение".to_owned(), "Писем".to_owned()],
                rows: vec![
                    vec!["ИК-1".to_owned(), "800".to_owned()],
                    vec!["СИЗО-2".to_owned(), "434".to_owned()],
                ],
            }],
        }],
    };
    std::fs::write(dir.join("lysty-sample-report.pdf"), render_report(&report)?)?;
    Ok(())
}
