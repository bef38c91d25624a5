//! The annual report in words: the figures of [`AnnualReport`] laid out as titled sections
//! of paragraphs and tables in the reader's language, then written as Markdown, a
//! standalone HTML page, a PDF (typst, through `lysty-pdf`) or JSON. The staff page and
//! `lysty report` both use this, so the two never disagree.

use askama::Template;
use fluent_bundle::FluentValue;
use lysty_app::report::{AnnualReport, Ranked};
use lysty_pdf::{Report, ReportSection, ReportTable};

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Html,
    Pdf,
    Json,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 4] = [
        ReportFormat::Html,
        ReportFormat::Pdf,
        ReportFormat::Markdown,
        ReportFormat::Json,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(ReportFormat::Markdown),
            "html" => Some(ReportFormat::Html),
            "pdf" => Some(ReportFormat::Pdf),
            "json" => Some(ReportFormat::Json),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "md",
            ReportFormat::Html => "html",
            ReportFormat::Pdf => "pdf",
            ReportFormat::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "text/markdown; charset=utf-8",
            ReportFormat::Html => "text/html; charset=utf-8",
            ReportFormat::Pdf => "application/pdf",
            ReportFormat::Json => "application/json",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Pdf(#[from] lysty_pdf::PdfError),
    #[error("the report could not be written: {0}")]
    Write(String),
}

fn table(caption: String, header: Vec<String>, rows: Vec<Vec<String>>) -> ReportTable {
    ReportTable {
        caption,
        header,
        rows,
    }
}

fn ranked(lang: &Lang, caption: &str, column: &str, list: &[Ranked]) -> ReportTable {
    table(
        lang.t(caption),
        vec![lang.t(column), lang.t("stats-letters")],
        list.iter()
            .map(|r| vec![r.name.clone(), lang.num(r.count)])
            .collect(),
    )
}

/// A sentence about a number: `$count` chooses the plural form, `$n` is the number
/// written the language's way ("1 800", "1,800").
fn counted(lang: &Lang, id: &str, count: i64) -> String {
    lang.targs(
        id,
        &[
            ("count", FluentValue::from(count)),
            ("n", FluentValue::from(lang.num(count))),
        ],
    )
}

/// The event kind's name in the language, or the kind itself when it has none.
fn kind(lang: &Lang, kind: &str) -> String {
    let id = format!("kind-{kind}");
    let name = lang.t(&id);
    if name == id { kind.to_owned() } else { name }
}

/// The report's sections, in the order a reader expects them.
pub fn document(r: &AnnualReport, lang: &Lang) -> Report {
    let year = i64::from(r.year);
    let l = &r.letters;
    let mut sections = vec![ReportSection {
        heading: lang.t("report-letters"),
        paragraphs: vec![counted(lang, "report-letters-total", l.total)],
        tables: vec![table(
            lang.t("stats-by-source"),
            vec![lang.t("report-how"), lang.t("stats-letters")],
            vec![
                vec![lang.t("source-online"), lang.num(l.online)],
                vec![lang.t("source-kiosk"), lang.num(l.kiosk)],
                vec![lang.t("source-paper"), lang.num(l.paper_entered)],
                vec![lang.t("source-tallied"), lang.num(l.paper_tallied)],
            ],
        )],
    }];

    let mut events = ReportSection {
        heading: lang.t("report-events"),
        paragraphs: vec![counted(lang, "report-events-total", r.events.total)],
        tables: Vec::new(),
    };
    if !r.events.by_kind.is_empty() {
        events.tables.push(table(
            lang.t("report-events-by-kind"),
            vec![lang.t("staff-event-kind"), lang.t("report-events-count")],
            r.events
                .by_kind
                .iter()
                .map(|k| vec![kind(lang, &k.name), lang.num(k.count)])
                .collect(),
        ));
    }
    if !r.top_events.is_empty() {
        events.tables.push(table(
            lang.t("report-top-events"),
            vec![
                lang.t("report-event"),
                lang.t("report-city"),
                lang.t("stats-letters"),
            ],
            r.top_events
                .iter()
                .map(|e| vec![e.title.clone(), e.city.clone(), lang.num(e.letters)])
                .collect(),
        ));
    }
    if !r.series.is_empty() {
        events.tables.push(table(
            lang.t("report-series"),
            vec![
                lang.t("report-series-name"),
                lang.t("report-stops"),
                lang.t("stats-letters"),
                lang.t("report-leading-city"),
            ],
            r.series
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        lang.num(s.stops),
                        lang.num(s.letters),
                        s.leading_city.clone(),
                    ]
                })
                .collect(),
        ));
    }
    sections.push(events);

    let mut places = ReportSection {
        heading: lang.t("report-places"),
        paragraphs: Vec::new(),
        tables: Vec::new(),
    };
    if r.cities.is_empty() && r.countries.is_empty() {
        places.paragraphs.push(lang.t("stats-empty"));
    } else {
        places
            .tables
            .push(ranked(lang, "stats-by-city", "report-city", &r.cities));
        places.tables.push(ranked(
            lang,
            "stats-by-country",
            "report-country",
            &r.countries,
        ));
    }
    sections.push(places);

    let mut prisoners = ReportSection {
        heading: lang.t("report-prisoners"),
        paragraphs: vec![counted(lang, "report-reached", r.prisoners_reached)],
        tables: Vec::new(),
    };
    if r.prisoners_without_letters.is_empty() {
        prisoners.paragraphs.push(lang.t("report-none-without"));
    } else {
        prisoners.tables.push(table(
            counted(
                lang,
                "report-without",
                r.prisoners_without_letters.len() as i64,
            ),
            vec![lang.t("report-prisoner")],
            r.prisoners_without_letters
                .iter()
                .map(|name| vec![name.clone()])
                .collect(),
        ));
    }
    sections.push(prisoners);

    let o = &r.outcomes;
    let delivery = ReportSection {
        heading: lang.t("report-delivery"),
        paragraphs: vec![
            counted(lang, "report-replies", r.replies),
            match r.median_days_to_send {
                Some(days) => lang.ts("report-median", "days", &format_days(lang, days)),
                None => lang.t("report-median-none"),
            },
        ],
        tables: vec![table(
            lang.t("report-outcomes"),
            vec![lang.t("report-outcome"), lang.t("stats-letters")],
            vec![
                vec![lang.t("report-outcome-delivered"), lang.num(o.delivered)],
                vec![lang.t("report-outcome-withheld"), lang.num(o.withheld)],
                vec![lang.t("report-outcome-returned"), lang.num(o.returned)],
                vec![
                    lang.t("report-outcome-undeliverable"),
                    lang.num(o.undeliverable),
                ],
            ],
        )],
    };
    sections.push(delivery);

    Report {
        title: lang.tn("report-title", "year", year),
        sections,
    }
}

/// Days with one decimal, with the language's decimal sign.
fn format_days(lang: &Lang, days: f64) -> String {
    let text = format!("{days:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text).to_owned();
    if lang.code() == "en" {
        text
    } else {
        text.replace('.', ",")
    }
}

/// A figure such as "1 800", "1,800" or "7": aligned right in tables.
fn is_figure(cell: &str) -> bool {
    let digits: String = cell
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | ',' | '.'))
        .collect();
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// For each column: does it hold figures only?
fn figure_columns(t: &ReportTable) -> Vec<bool> {
    (0..t.header.len())
        .map(|i| {
            !t.rows.is_empty()
                && t.rows
                    .iter()
                    .all(|row| row.get(i).is_some_and(|c| is_figure(c)))
        })
        .collect()
}

/// A table as the HTML templates show it: each cell with whether it is a figure.
pub struct TableView {
    pub caption: String,
    pub header: Vec<(String, bool)>,
    pub rows: Vec<Vec<(String, bool)>>,
}

pub struct SectionView {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub tables: Vec<TableView>,
}

pub fn view(doc: &Report) -> Vec<SectionView> {
    doc.sections
        .iter()
        .map(|s| SectionView {
            heading: s.heading.clone(),
            paragraphs: s.paragraphs.clone(),
            tables: s
                .tables
                .iter()
                .map(|t| {
                    let figures = figure_columns(t);
                    let mark = |cells: &[String]| {
                        cells
                            .iter()
                            .enumerate()
                            .map(|(i, c)| (c.clone(), figures.get(i).copied().unwrap_or(false)))
                            .collect()
                    };
                    TableView {
                        caption: t.caption.clone(),
                        header: mark(&t.header),
                        rows: t.rows.iter().map(|r| mark(r)).collect(),
                    }
                })
                .collect(),
        })
        .collect()
}

/// Markdown: a cell's pipes and line breaks would break the table, so they are escaped.
pub fn markdown(doc: &Report) -> String {
    fn cell(text: &str) -> String {
        text.replace('\\', "\\\\")
            .replace('|', "\\|")
            .replace(['\n', '\r'], " ")
    }
    let mut out = format!("# {}\n", doc.title);
    for section in &doc.sections {
        out.push_str(&format!("\n## {}\n\n", section.heading));
        for p in &section.paragraphs {
            out.push_str(p);
            out.push_str("\n\n");
        }
        for t in &section.tables {
            out.push_str(&format!("**{}**\n\n", t.caption));
            out.push_str(&format!(
                "| {} |\n",
                t.header
                    .iter()
                    .map(|h| cell(h))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
            out.push_str(&format!(
                "|{}\n",
                figure_columns(t)
                    .iter()
                    // Figures align right, names left.
                    .map(|figure| if *figure { " ---: |" } else { " --- |" })
                    .collect::<String>()
            ));
            for row in &t.rows {
                out.push_str(&format!(
                    "| {} |\n",
                    row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                ));
            }
            out.push('\n');
        }
    }
    out
}

#[derive(Template)]
#[template(path = "report.html")]
struct StandaloneReport<'a> {
    lang: &'a str,
    title: &'a str,
    sections: Vec<SectionView>,
    css: &'a str,
}

/// The report as one HTML file that stands alone (its styles inline), to send or print.
pub fn html(doc: &Report, lang: &Lang) -> Result<String, ReportError> {
    StandaloneReport {
        lang: lang.code(),
        title: &doc.title,
        sections: view(doc),
        css: include_str!("../static/report.css"),
    }
    .render()
    .map_err(|e| ReportError::Write(e.to_string()))
}

/// The report in the format asked for.
pub fn render(
    report: &AnnualReport,
    lang: &Lang,
    format: ReportFormat,
) -> Result<Vec<u8>, ReportError> {
    Ok(match format {
        ReportFormat::Json => {
            serde_json::to_vec_pretty(report).map_err(|e| ReportError::Write(e.to_string()))?
        }
        ReportFormat::Markdown => markdown(&document(report, lang)).into_bytes(),
        ReportFormat::Html => html(&document(report, lang), lang)?.into_bytes(),
        ReportFormat::Pdf => lysty_pdf::render_report(&document(report, lang))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        let doc = Report {
            title: "T".into(),
            sections: vec![ReportSection {
                heading: "H".into(),
                paragraphs: vec!["p".into()],
                tables: vec![table(
                    "C".into(),
                    vec!["a".into(), "b".into()],
                    vec![vec!["x | y\nz".into(), "1".into()]],
                )],
            }],
        };
        let md = markdown(&doc);
        assert!(md.contains("| x \\| y z | 1 |"), "{md}");
        assert!(md.contains("| --- | ---: |"), "{md}");
        let names = table(
            "C".into(),
            vec!["city".into(), "letters".into(), "leading".into()],
            vec![vec!["Київ".into(), "1 800".into(), "Львів".into()]],
        );
        assert_eq!(figure_columns(&names), [false, true, false]);
    }

    fn figures() -> AnnualReport {
        use lysty_app::report::*;
        AnnualReport {
            year: 2024,
            letters: LetterFigures {
                total: 1830,
                online: 1000,
                kiosk: 700,
                paper_entered: 30,
                paper_tallied: 100,
            },
            events: EventFigures {
                total: 25,
                by_kind: vec![Ranked {
                    name: "press_tour".into(),
                    count: 5,
                }],
            },
            top_events: Vec::new(),
            series: vec![SeriesLine {
                name: "Прес-тур 2024".into(),
                stops: 5,
                letters: 700,
                leading_city: "Івано-Франківськ".into(),
            }],
            cities: vec![Ranked {
                name: "Київ".into(),
                count: 900,
            }],
            countries: Vec::new(),
            prisoners_reached: 40,
            prisoners_without_letters: vec!["Ірина Данилович".into()],
            outcomes: OutcomeFigures::default(),
            replies: 3,
            median_days_to_send: Some(12.5),
        }
    }

    #[test]
    fn the_printed_report_carries_every_section_in_the_readers_language() {
        let doc = document(&figures(), &Lang::from_code("uk"));
        let text = lysty_pdf::render_report_text(&doc).unwrap();
        for expected in [
            "Річний звіт за 2024 рік",
            "Зібрано 1830 листів.",
            "25 подій за рік.",
            "Прес-тур 2024",
            "Івано-Франківськ",
            "40 людей отримали хоча б один лист.",
            "Ірина Данилович",
            "Надійшли 3 відповіді.",
            "12,5",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} missing from:\n{text}"
            );
        }
        let en = document(&figures(), &Lang::from_code("en"));
        assert!(markdown(&en).contains("1,830 letters collected."));
        assert!(markdown(&en).contains("| Press tour | 5 |"));
    }

    #[test]
    fn days_use_the_languages_decimal_sign() {
        assert_eq!(format_days(&Lang::from_code("en"), 2.5), "2.5");
        assert_eq!(format_days(&Lang::from_code("uk"), 2.5), "2,5");
        assert_eq!(format_days(&Lang::from_code("uk"), 3.0), "3");
    }

    #[test]
    fn every_format_is_known_by_its_extension() {
        for f in ReportFormat::ALL {
            assert_eq!(ReportFormat::parse(f.extension()), Some(f));
        }
        assert_eq!(ReportFormat::parse("docx"), None);
    }
}
