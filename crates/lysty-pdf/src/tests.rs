use proptest::prelude::*;
use typst::layout::Abs;

use super::*;

fn labels() -> Labels {
    Labels {
        letter_heading: "Письмо".to_owned(),
        original_heading: "Оригинал".to_owned(),
        return_address: "Обратный адрес".to_owned(),
        reply_kit_heading: "Как ответить".to_owned(),
        reply_kit_text: "Напишите ответ на этом листе.\n\nКонверт и марка уже внутри.".to_owned(),
        page: "стр.".to_owned(),
        reply_address: "Адрес для ответа".to_owned(),
        ..Labels::default()
    }
}

fn letter(reference: &str, text: &str) -> LetterPage {
    LetterPage {
        reference: reference.to_owned(),
        text: text.to_owned(),
        original: None,
        return_address: None,
        signature: None,
    }
}

fn envelope() -> Envelope {
    Envelope {
        recipient: vec!["Иванову Ивану Ивановичу".to_owned(), "1980 г.р.".to_owned()],
        address: vec![
            "ФКУ ИК-1 УФСИН России".to_owned(),
            "ул. Лагерная, д. 1".to_owned(),
            "г. Энск, 123456".to_owned(),
        ],
    }
}

fn batch(letters: Vec<LetterPage>) -> Document {
    Document {
        title: "Batch 2026-11-30 · ИК-1".to_owned(),
        labels: labels(),
        packets: vec![PrisonerPacket {
            envelope: envelope(),
            letters,
        }],
        reply_kit: false,
        reply_address: None,
    }
}

fn pages(doc: &Document) -> Vec<String> {
    render_text(doc)
        .unwrap()
        .split('\u{c}')
        .map(str::to_owned)
        .collect()
}

/// Text as typst laid it out, minus line ends and the break opportunities at them: ours (U+200B)
/// and typst's hyphenation points (U+00AD, where a hyphen was drawn).
fn without_breaks(text: &str) -> String {
    text.replace(['\u{200B}', '\u{AD}', '\n'], "")
}

const A4_WIDTH_MM: f64 = 210.0;
const A4_HEIGHT_MM: f64 = 297.0;
const MARGIN_MM: f64 = 20.0;

/// The text inside the margins of all pages, i.e. without headers and footers, joined.
fn body_text(doc: &Document) -> String {
    let top = Abs::mm(MARGIN_MM);
    let bottom = Abs::mm(A4_HEIGHT_MM - MARGIN_MM);
    let layout = layout_batch(doc).unwrap();
    extract::runs(&layout)
        .into_iter()
        .flatten()
        .filter(|run| run.y > top && run.y < bottom)
        .map(|run| run.text)
        .collect()
}

/// Fails if any text sticks out past the right margin: the symptom of a line typst could not break.
fn assert_within_margins(doc: &Document) {
    let right_edge = Abs::mm(A4_WIDTH_MM - MARGIN_MM) + Abs::pt(0.5);
    let layout = layout_batch(doc).unwrap();
    for (number, runs) in extract::runs(&layout).iter().enumerate() {
        for run in runs {
            assert!(
                run.x + run.width <= right_edge,
                "page {} overflows at {:?}: {:?}",
                number + 1,
                run.x + run.width,
                run.text
            );
        }
    }
}

#[test]
fn render_produces_a_pdf() {
    let pdf = render(&batch(vec![letter("L-1", "Здравствуйте!")])).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}

#[test]
fn rendering_is_deterministic() {
    let doc = batch(vec![letter("L-1", "Здравствуйте!")]);
    assert_eq!(render(&doc).unwrap(), render(&doc).unwrap());
}

#[test]
fn cover_sheet_carries_the_envelope_lines_and_title() {
    let pages = pages(&batch(vec![letter("L-1", "Здравствуйте!")]));
    let cover = &pages[0];
    for line in envelope().recipient.iter().chain(&envelope().address) {
        assert!(
            cover.contains(line.as_str()),
            "{line:?} missing from {cover:?}"
        );
    }
    assert!(cover.contains("Batch 2026-11-30 · ИК-1"));
    assert!(
        !cover.contains("Здравствуйте"),
        "the letter must start on its own page"
    );
}

#[test]
fn recipient_is_set_larger_than_the_address_and_the_body() {
    let doc = batch(vec![letter("L-1", "Здравствуйте!")]);
    let layout = layout_batch(&doc).unwrap();
    let size_of = |needle: &str| {
        layout
            .pages()
            .iter()
            .flat_map(|page| page.frame.items())
            .find_map(|(_, item)| text_size(item, needle))
            .unwrap()
    };
    assert!(size_of("Иванову") >= Abs::pt(16.0));
    assert!(size_of("Лагерная") >= Abs::pt(14.0));
    assert_eq!(size_of("Здравствуйте"), Abs::pt(11.0));
}

fn text_size(item: &typst::layout::FrameItem, needle: &str) -> Option<Abs> {
    match item {
        typst::layout::FrameItem::Text(text) if text.text.contains(needle) => Some(text.size),
        typst::layout::FrameItem::Group(group) => group
            .frame
            .items()
            .find_map(|(_, item)| text_size(item, needle)),
        _ => None,
    }
}

#[test]
fn each_letter_starts_on_its_own_page_with_its_reference() {
    let pages = pages(&batch(vec![
        letter("L-7K2M-9Q", "Первое письмо."),
        letter("L-3XYZ-4A", "Второе письмо."),
    ]));
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages[1].contains("Первое письмо."));
    assert!(pages[1].contains("Письмо L-7K2M-9Q"));
    assert!(!pages[1].contains("Второе письмо."));
    assert!(pages[2].contains("Второе письмо."));
    assert!(pages[2].contains("Письмо L-3XYZ-4A"));
    assert!(
        !pages[0].contains("L-7K2M-9Q"),
        "the cover sheet has no reference"
    );
}

#[test]
fn a_long_letter_carries_its_reference_and_numbers_on_every_page() {
    let sentence = "Держитесь, мы о вас помним и пишем снова. ";
    let text = sentence.repeat(30_000 / sentence.chars().count());
    let pages = pages(&batch(vec![letter("L-LONG-01", &text)]));
    let letter_pages = &pages[1..];
    let total = letter_pages.len();
    assert!(
        total >= 4,
        "30,000 characters should take several pages, got {total}"
    );
    for (i, page) in letter_pages.iter().enumerate() {
        assert!(
            page.contains("Письмо L-LONG-01"),
            "page {} lacks the reference",
            i + 1
        );
        let footer = format!("стр. {} / {}", i + 1, total);
        assert!(
            page.contains(&footer),
            "page {} lacks {footer:?}: {page:?}",
            i + 1
        );
    }
}

#[test]
fn letter_pages_are_numbered_per_letter() {
    let pages = pages(&batch(vec![letter("L-1", "Один."), letter("L-2", "Два.")]));
    assert!(pages[1].contains("стр. 1 / 1"));
    assert!(pages[2].contains("стр. 1 / 1"));
}

#[test]
fn single_newlines_break_lines_and_blank_lines_break_paragraphs() {
    let pages = pages(&batch(vec![letter(
        "L-1",
        "Строка один\nстрока два\n\nНовый абзац",
    )]));
    let lines: Vec<&str> = pages[1].lines().collect();
    assert!(lines.contains(&"Строка один"), "{lines:?}");
    assert!(lines.contains(&"строка два"), "{lines:?}");
    assert!(lines.contains(&"Новый абзац"), "{lines:?}");
}

#[test]
fn markup_in_a_letter_prints_literally() {
    let attempts = [
        "#set page(width: 1pt)",
        "*bold*",
        "_emphasis_",
        "$x^2$",
        "= Heading",
        "#panic()",
        "<label>",
        "@ref",
        "// not a comment",
        "#read(\"/data.json\")",
        "#import \"@preview/cetz:0.3.0\"",
        "`raw` \\ backslash",
    ];
    let text = attempts.join("\n\n");
    let doc = batch(vec![letter("L-1", &text)]);
    let letter_text = &pages(&doc)[1];
    for attempt in attempts {
        assert!(
            letter_text.contains(attempt),
            "{attempt:?} did not print literally: {letter_text:?}"
        );
    }
    let layout = layout_batch(&doc).unwrap();
    for page in layout.pages() {
        assert!((page.frame.width() - Abs::mm(A4_WIDTH_MM)).abs() < Abs::pt(0.5));
    }
}

#[test]
fn markup_in_labels_and_envelope_prints_literally() {
    let mut doc = batch(vec![letter("#panic()", "Текст")]);
    doc.title = "*title* #pagebreak()".to_owned();
    doc.labels.page = "$p$".to_owned();
    doc.packets[0].envelope.recipient = vec!["= Иванов <x>".to_owned()];
    let pages = pages(&doc);
    assert_eq!(pages.len(), 2);
    assert!(pages[0].contains("*title* #pagebreak()"));
    assert!(pages[0].contains("= Иванов <x>"));
    assert!(pages[1].contains("Письмо #panic()"));
    assert!(pages[1].contains("$p$ 1 / 1"));
}

#[test]
fn original_is_printed_only_when_given() {
    let mut with = letter("L-1", "Перевод письма.");
    with.original = Some("The original letter.".to_owned());
    let pages = pages(&batch(vec![with, letter("L-2", "Только перевод.")]));
    assert!(pages[1].contains("Оригинал"));
    assert!(pages[1].contains("The original letter."));
    let translated = pages[1].find("Перевод письма.").unwrap();
    let original = pages[1].find("The original letter.").unwrap();
    assert!(
        translated < original,
        "the original follows the delivered text"
    );
    assert!(!pages[2].contains("Оригинал"));
}

#[test]
fn return_address_is_printed_only_when_given() {
    let mut with = letter("L-1", "Письмо с адресом.");
    with.return_address = Some("Мария Петрова\nа/я 12, Тбилиси".to_owned());
    let pages = pages(&batch(vec![with, letter("L-2", "Без адреса.")]));
    assert!(pages[1].contains("Обратный адрес"));
    assert!(pages[1].contains("Мария Петрова\nа/я 12, Тбилиси"));
    assert!(!pages[2].contains("Обратный адрес"));
}

#[test]
fn a_signed_letter_ends_with_the_signature_before_its_original() {
    let mut signed = letter("L-1", "Держитесь, мы с вами.");
    signed.signature = Some("Олена,\nКиїв".to_owned());
    signed.original = Some("Тримайтеся, ми з вами.".to_owned());
    let pages = pages(&batch(vec![signed, letter("L-2", "Без подписи.")]));
    let body = pages[1].find("мы с вами").unwrap();
    let signature = pages[1].find("Олена, Київ").expect("signed on one line");
    let original = pages[1].find("Тримайтеся").unwrap();
    assert!(body < signature && signature < original, "{}", pages[1]);
    assert!(!pages[2].contains("Олена"));
}

#[test]
fn the_reply_kit_gives_the_campaigns_address_only_when_set() {
    let mut doc = batch(vec![letter("L-1", "Письмо.")]);
    doc.reply_kit = true;
    let without = pages(&doc);
    assert!(!without.last().unwrap().contains("Адрес для ответа"));
    doc.reply_address = Some("Кампания «Письма»\n\nа/я 7, Киев 01001".to_owned());
    let kit = pages(&doc).pop().unwrap();
    assert!(kit.contains("Адрес для ответа"), "{kit}");
    assert!(
        kit.contains("Кампания «Письма»\nа/я 7, Киев 01001"),
        "{kit}"
    );
}

#[test]
fn reply_kit_page_is_added_only_when_asked() {
    let mut doc = batch(vec![letter("L-1", "Письмо.")]);
    let without = pages(&doc);
    doc.reply_kit = true;
    let with = pages(&doc);
    assert_eq!(with.len(), without.len() + 1);
    let kit = with.last().unwrap();
    assert!(kit.contains("Как ответить"));
    assert!(kit.contains("Напишите ответ на этом листе."));
    assert!(kit.contains("Конверт и марка уже внутри."));
    assert!(!without.iter().any(|page| page.contains("Как ответить")));
}

#[test]
fn reply_kit_follows_each_prisoners_letters() {
    let mut doc = batch(vec![letter("L-1", "Первому.")]);
    let mut second = doc.packets[0].clone();
    second.letters = vec![letter("L-2", "Второму.")];
    doc.packets.push(second);
    doc.reply_kit = true;
    let pages = pages(&doc);
    assert_eq!(pages.len(), 6);
    assert!(pages[2].contains("Как ответить"));
    assert!(pages[5].contains("Как ответить"));
}

#[test]
fn a_packet_without_letters_still_gets_its_cover_sheet() {
    let pages = pages(&batch(Vec::new()));
    assert_eq!(pages.len(), 1);
    assert!(pages[0].contains("Иванову Ивану Ивановичу"));
}

#[test]
fn an_empty_batch_is_refused() {
    let mut doc = batch(Vec::new());
    doc.packets.clear();
    assert!(matches!(render(&doc), Err(PdfError::NothingToPrint)));
}

#[test]
fn cyrillic_and_crimean_tatar_have_glyphs() {
    let text = "Щёлочь, ёж, Ґанок, їжак. Qırımtatar tili: çoq, dağ, ıñ, öz, şiir, üç, âlem.";
    let layout = layout_batch(&batch(vec![letter("L-1", text)])).unwrap();
    let runs = extract::runs(&layout);
    let letter_runs: Vec<_> = runs[1]
        .iter()
        .filter(|run| !run.text.contains("L-1") && !run.text.contains("стр."))
        .collect();
    assert!(!letter_runs.is_empty());
    for run in letter_runs {
        assert!(
            !run.missing_glyph,
            "no glyph for something in {:?}",
            run.text
        );
    }
}

#[test]
fn emoji_right_to_left_and_combining_marks_render() {
    let text = "Привет 👋🏽👨‍👩‍👧 ✊\n\
                שלום עולם\n\
                مرحبا بالعالم\n\
                Z̷̢͍a̶̡͝l̵g̶o t̸̰̊e̵x̴t";
    let doc = batch(vec![letter("L-1", text)]);
    assert!(render(&doc).unwrap().starts_with(b"%PDF"));
    // Marks from a fallback font come back as extra runs, so look for pieces, not whole words.
    let page = &pages(&doc)[1];
    for piece in ["Привет", "👋🏽", "שלום", "مرحبا", "Z\u{337}"] {
        assert!(page.contains(piece), "{piece:?} missing from {page:?}");
    }
}

#[test]
fn control_characters_are_dropped() {
    let doc = batch(vec![letter("L-\u{7}1", "a\0b\u{1b}[31mc\u{7f}d\r\ne\tf")]);
    assert!(render(&doc).unwrap().starts_with(b"%PDF"));
    let page = &pages(&doc)[1];
    assert!(page.contains("ab[31mcd\ne"), "{page:?}");
    assert!(page.contains("Письмо L-1"));
}

#[test]
fn a_five_thousand_character_word_wraps_within_the_page() {
    // Cyrillic could be hyphenated by typst itself; digits and Latin in a Russian text cannot,
    // so only our own break opportunities can wrap this.
    let word: String = "Lysty0123456789".chars().cycle().take(5_000).collect();
    let doc = batch(vec![letter("L-1", &word)]);
    assert!(render(&doc).unwrap().starts_with(b"%PDF"));
    let text = without_breaks(&body_text(&doc));
    assert!(
        text.contains(&word),
        "the word must print whole, only wrapped"
    );
    let lines = pages(&doc)[1].lines().count();
    assert!(
        lines > 40,
        "5,000 characters need dozens of lines, got {lines}"
    );
    assert_within_margins(&doc);
}

#[test]
fn a_hyphenatable_long_word_prints_whole() {
    let word: String = "абвгдежзиклмнопрстуфхцчшщэюя"
        .chars()
        .cycle()
        .take(5_000)
        .collect();
    let doc = batch(vec![letter("L-1", &word)]);
    assert!(without_breaks(&body_text(&doc)).contains(&word));
    assert_within_margins(&doc);
}

#[test]
fn long_runs_of_wide_glyphs_and_on_the_envelope_wrap_too() {
    let mut doc = batch(vec![
        letter("L-1", &"Ш".repeat(3_000)),
        letter("L-2", &"👍".repeat(500)),
    ]);
    doc.packets[0].envelope.recipient = vec!["Щ".repeat(200)];
    doc.packets[0].envelope.address = vec!["W".repeat(200)];
    assert_within_margins(&doc);
}

#[test]
fn a_thirty_thousand_character_letter_takes_several_pages() {
    let words = ["письмо", "свобода", "надежда", "друг", "весна", "книга"];
    let text: String = words
        .iter()
        .cycle()
        .take(4_600)
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.chars().count() >= 30_000);
    let pages = pages(&batch(vec![letter("L-1", &text)]));
    assert!(pages.len() >= 5, "got {} pages", pages.len());
}

#[test]
fn report_shows_title_paragraphs_and_table_cells() {
    let report = Report {
        title: "Годовой отчёт 2026".to_owned(),
        sections: vec![ReportSection {
            heading: "Письма".to_owned(),
            paragraphs: vec!["За год отправлено 1 234 письма.".to_owned()],
            tables: vec![ReportTable {
                caption: "По учреждениям".to_owned(),
                header: vec!["Учреждение".to_owned(), "Писем".to_owned()],
                rows: vec![
                    vec!["ИК-1".to_owned(), "800".to_owned()],
                    vec!["СИЗО-2".to_owned()],
                    vec![
                        "#panic()".to_owned(),
                        "*434*".to_owned(),
                        "extra".to_owned(),
                    ],
                ],
            }],
        }],
    };
    let pdf = render_report(&report).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let text = extract::plain_text(&layout_report(&report).unwrap());
    for expected in [
        "Годовой отчёт 2026",
        "Письма",
        "За год отправлено 1 234 письма.",
        "По учреждениям",
        "Учреждение",
        "ИК-1",
        "800",
        "СИЗО-2",
        "#panic()",
        "*434*",
        "extra",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from {text:?}"
        );
    }
}

#[test]
fn an_empty_report_still_renders() {
    let report = Report {
        title: String::new(),
        sections: vec![ReportSection {
            heading: String::new(),
            paragraphs: Vec::new(),
            tables: vec![ReportTable {
                caption: String::new(),
                header: Vec::new(),
                rows: Vec::new(),
            }],
        }],
    };
    assert!(render_report(&report).unwrap().starts_with(b"%PDF"));
}

proptest! {
    // Each case is a full typst compile, so only a few.
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn any_letter_text_renders(text in any::<String>(), reference in any::<String>()) {
        let doc = batch(vec![letter(&reference, &text)]);
        let pdf = render(&doc).unwrap();
        prop_assert!(pdf.starts_with(b"%PDF"));
    }
}
