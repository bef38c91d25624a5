//! Print-ready PDFs for Lysty: letter batches (envelope cover sheet, letters, reply kit) and
//! plain reports, typeset by typst used as a library.
//!
//! User text never becomes typst markup. Each document is serialised to JSON and handed to a
//! fixed template (`templates/*.typ`, compiled into the crate) as the virtual file
//! `/data.json`; the template places the strings as text. Fonts come from `typst-assets`
//! (Libertinus Serif: Latin, including Crimean Tatar, and Cyrillic), embedded in the binary.
//!
//! # Speed
//!
//! Each call compiles the template afresh. The workspace builds the typst crates optimised even
//! in the dev profile; there a batch of 100 letters (10 prisoners, about 1,400 characters a
//! letter plus the original for half of them, reply kits: 120 pages) takes about 1 s on the
//! two-core development machine (`cargo run -p lysty-pdf --example batch_timing`). The first call
//! in a process adds about 30 ms to parse the fonts and build typst's library. That is too long
//! to block an async executor: call from `tokio::task::spawn_blocking` or a worker thread.

mod clean;
mod extract;
mod world;

use serde::Serialize;

use crate::clean::{BODY_RUN, ENVELOPE_RUN, paragraphs, printable};

/// Fixed texts printed on the pages. The caller fills them from its Fluent message files
/// (the PDF crate holds no user-facing text of its own).
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// Printed beside the reference code on each letter page, e.g. "Письмо".
    pub letter_heading: String,
    /// Heading above the original text when it is printed too.
    pub original_heading: String,
    /// Heading above a writer's return address.
    pub return_address: String,
    /// Heading of the optional reply-kit page.
    pub reply_kit_heading: String,
    /// Text of the reply-kit page (several paragraphs separated by "\n\n").
    pub reply_kit_text: String,
    /// Word for "page" in the footer, e.g. "стр.".
    pub page: String,
    /// Heading above the campaign's address for replies on the reply-kit page.
    pub reply_address: String,
    /// The channels' names on the cover sheet's header line: post, electronic service,
    /// hand-over.
    pub channel_post: String,
    pub channel_electronic: String,
    pub channel_handover: String,
}

#[derive(Debug, Clone)]
pub struct Envelope {
    /// Recipient lines in Russian: surname name patronymic, year of birth, maybe a number.
    pub recipient: Vec<String>,
    /// The facility's postal address, one line per element.
    pub address: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct LetterPage {
    /// A short reference code printed small on every page of the letter, e.g. "L-7K2M-9Q".
    pub reference: String,
    /// The text to deliver (Russian).
    pub text: String,
    /// The original text, printed after the delivery text when the channel allows it.
    pub original: Option<String>,
    /// Only when the writer asked for it.
    pub return_address: Option<String>,
    /// The writer's name or pseudonym and city as they gave them, printed under the text
    /// (before the original), aligned right as a letter is signed.
    pub signature: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PrisonerPacket {
    pub envelope: Envelope,
    pub letters: Vec<LetterPage>,
}

#[derive(Debug, Clone)]
pub struct Document {
    /// Title of the document (PDF metadata and a small header line on each cover sheet), e.g.
    /// "Batch 2026-11-30 · ИК-1".
    pub title: String,
    pub labels: Labels,
    pub packets: Vec<PrisonerPacket>,
    /// Adds one reply-kit page after each prisoner's letters.
    pub reply_kit: bool,
    /// Where replies go (the campaign's return address, one line per line), printed on the
    /// reply-kit page under [`Labels::reply_address`] when given.
    pub reply_address: Option<String>,
}

/// A simple report document: a title and sections of headed paragraphs and tables; used for
/// an annual report PDF.
#[derive(Debug, Clone)]
pub struct Report {
    pub title: String,
    pub sections: Vec<ReportSection>,
}

#[derive(Debug, Clone)]
pub struct ReportSection {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub tables: Vec<ReportTable>,
}

/// Rows shorter than the widest row (or the header) are padded with empty cells.
#[derive(Debug, Clone)]
pub struct ReportTable {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("The document has no prisoner packets, so there is nothing to print.")]
    NothingToPrint,
    #[error("The document data could not be prepared for typesetting: {0}.")]
    Data(#[from] serde_json::Error),
    #[error("Typesetting the PDF failed: {message}.")]
    Typeset { message: String },
    #[error("Writing the typeset document as PDF failed: {message}.")]
    Export { message: String },
}

/// Renders a batch of letters.
///
/// For each packet: a cover sheet with the envelope block (recipient in large type, then the
/// address), then each letter starting on a new page with its reference code small in the top
/// right corner of every page, the text, the writer's signature (if any), then the original (if any) under
/// `original_heading`, then the return address (if any), then (if `reply_kit`) the reply-kit
/// page. Each letter's pages are numbered on their own ("стр. 2 / 3"), since letters are
/// separated once printed; cover sheets and reply-kit pages carry no number.
///
/// Any Unicode prints without failing; characters the bundled fonts lack (emoji, Arabic, …)
/// come out as empty boxes. Control characters other than newline and tab are dropped.
///
/// # Errors
///
/// [`PdfError::NothingToPrint`] when `doc.packets` is empty: a batch with no one in it is a
/// caller's mistake, and a blank page would hide it. The other variants mean a bug here.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    world::export(&layout_batch(doc)?)
}

/// The plain text of the pages [`render`] would print, for tests and previews: pages are
/// separated by a form feed (`'\u{c}'`), lines by `'\n'`. Break opportunities added to very
/// long words show up as U+200B.
///
/// # Errors
///
/// As for [`render`].
pub fn render_text(doc: &Document) -> Result<String, PdfError> {
    Ok(extract::plain_text(&layout_batch(doc)?))
}

/// The plain text of the pages [`render_report`] would print, as [`render_text`] gives it.
///
/// # Errors
///
/// As for [`render_report`].
pub fn render_report_text(report: &Report) -> Result<String, PdfError> {
    Ok(extract::plain_text(&layout_report(report)?))
}

/// Renders a report: the title, then each section's heading, paragraphs and tables.
///
/// # Errors
///
/// Only on a bug here; any strings are accepted.
pub fn render_report(report: &Report) -> Result<Vec<u8>, PdfError> {
    world::export(&layout_report(report)?)
}

fn layout_batch(doc: &Document) -> Result<typst_layout::PagedDocument, PdfError> {
    if doc.packets.is_empty() {
        return Err(PdfError::NothingToPrint);
    }
    let data = serde_json::to_vec(&BatchData::new(doc))?;
    world::layout(world::BATCH, data)
}

fn layout_report(report: &Report) -> Result<typst_layout::PagedDocument, PdfError> {
    let data = serde_json::to_vec(&ReportData::new(report))?;
    world::layout(world::REPORT, data)
}

/// What `templates/batch.typ` reads: the public types, cleaned and with the derived bits
/// (paragraphs, header line, letter numbers) worked out here rather than in typst.
#[derive(Serialize)]
struct BatchData {
    title: String,
    labels: LabelData,
    reply_kit: bool,
    reply_kit_paragraphs: Vec<String>,
    reply_address: Option<Vec<String>>,
    packets: Vec<PacketData>,
}

#[derive(Serialize)]
struct LabelData {
    original_heading: String,
    return_address: String,
    reply_kit_heading: String,
    reply_address: String,
    page: String,
}

#[derive(Serialize)]
struct PacketData {
    recipient: Vec<String>,
    address: Vec<String>,
    letters: Vec<LetterData>,
}

#[derive(Serialize)]
struct LetterData {
    /// Unique within the batch; the template uses it to find each letter's last page.
    index: usize,
    header: String,
    text: Vec<String>,
    original: Option<Vec<String>>,
    return_address: Option<Vec<String>>,
    signature: Option<String>,
}

impl BatchData {
    fn new(doc: &Document) -> Self {
        let labels = &doc.labels;
        let letter_heading = printable(&labels.letter_heading, BODY_RUN);
        let mut index = 0;
        let packets = doc
            .packets
            .iter()
            .map(|packet| PacketData {
                recipient: envelope_lines(&packet.envelope.recipient),
                address: envelope_lines(&packet.envelope.address),
                letters: packet
                    .letters
                    .iter()
                    .map(|letter| {
                        index += 1;
                        LetterData {
                            index,
                            header: joined_words(&letter_heading, &letter.reference),
                            text: paragraphs(&letter.text, BODY_RUN),
                            original: letter
                                .original
                                .as_deref()
                                .map(|text| paragraphs(text, BODY_RUN)),
                            return_address: letter
                                .return_address
                                .as_deref()
                                .map(|text| paragraphs(text, BODY_RUN)),
                            signature: letter
                                .signature
                                .as_deref()
                                .map(|text| one_line(text, BODY_RUN))
                                .filter(|line| !line.is_empty()),
                        }
                    })
                    .collect(),
            })
            .collect();
        BatchData {
            title: one_line(&doc.title, BODY_RUN),
            labels: LabelData {
                original_heading: one_line(&labels.original_heading, BODY_RUN),
                return_address: one_line(&labels.return_address, BODY_RUN),
                reply_kit_heading: one_line(&labels.reply_kit_heading, BODY_RUN),
                reply_address: one_line(&labels.reply_address, BODY_RUN),
                page: one_line(&labels.page, BODY_RUN),
            },
            reply_kit: doc.reply_kit,
            reply_kit_paragraphs: paragraphs(&labels.reply_kit_text, BODY_RUN),
            reply_address: doc
                .reply_address
                .as_deref()
                .map(|text| envelope_lines(&text.lines().map(str::to_owned).collect::<Vec<_>>()))
                .filter(|lines| !lines.is_empty()),
            packets,
        }
    }
}

fn envelope_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|line| one_line(line, ENVELOPE_RUN))
        .filter(|line| !line.trim().is_empty())
        .collect()
}

/// Headings, labels and envelope lines are single lines by nature; a stray newline would only
/// make them look broken.
fn one_line(text: &str, max_run: usize) -> String {
    printable(text, max_run)
        .split('\n')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn joined_words(first: &str, second: &str) -> String {
    let first = one_line(first, BODY_RUN);
    let second = one_line(second, BODY_RUN);
    match (first.is_empty(), second.is_empty()) {
        (true, _) => second,
        (false, true) => first,
        (false, false) => format!("{first} {second}"),
    }
}

/// What `templates/report.typ` reads.
#[derive(Serialize)]
struct ReportData {
    title: String,
    sections: Vec<SectionData>,
}

#[derive(Serialize)]
struct SectionData {
    heading: String,
    paragraphs: Vec<String>,
    tables: Vec<TableData>,
}

#[derive(Serialize)]
struct TableData {
    caption: String,
    columns: usize,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Table cells are narrower than the page, so long runs in them break sooner.
const CELL_RUN: usize = 20;

impl ReportData {
    fn new(report: &Report) -> Self {
        ReportData {
            title: one_line(&report.title, BODY_RUN),
            sections: report
                .sections
                .iter()
                .map(|section| SectionData {
                    heading: one_line(&section.heading, BODY_RUN),
                    paragraphs: section
                        .paragraphs
                        .iter()
                        .flat_map(|text| paragraphs(text, BODY_RUN))
                        .collect(),
                    tables: section.tables.iter().map(TableData::new).collect(),
                })
                .collect(),
        }
    }
}

impl TableData {
    /// typst fills a table cell by cell, so a short row would shift every later cell; padding
    /// to a common width keeps each value in its column.
    fn new(table: &ReportTable) -> Self {
        let columns = table
            .rows
            .iter()
            .map(Vec::len)
            .chain([table.header.len()])
            .max()
            .unwrap_or(0);
        let padded = |cells: &[String]| -> Vec<String> {
            let mut cells: Vec<String> =
                cells.iter().map(|cell| printable(cell, CELL_RUN)).collect();
            cells.resize(columns, String::new());
            cells
        };
        TableData {
            caption: one_line(&table.caption, BODY_RUN),
            columns,
            header: if table.header.is_empty() {
                Vec::new()
            } else {
                padded(&table.header)
            },
            rows: table.rows.iter().map(|row| padded(row)).collect(),
        }
    }
}

#[cfg(test)]
mod tests;
