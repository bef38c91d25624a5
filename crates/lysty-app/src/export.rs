//! Exports of the campaign's letters and figures, as CSV or JSON, for the staff pages and
//! `lysty export`.
//!
//! Admins and coordinators export; the campaign is the whole installation, as on the
//! statistics pages. Writers' personal data (name, email, the text of the letter) goes out
//! only to an admin who asks for it explicitly, and every export, asked for or refused, is
//! written to the audit log before a byte is handed out. Tracking codes are never
//! exported: they are the writers' secret.
//!
//! Letters are read a page at a time ([`Export::next_chunk`]), so that memory stays
//! bounded however many there are; the caller writes or streams each chunk as it comes.

use chrono::{DateTime, SecondsFormat, Utc};
use lysty_domain::Role;
use lysty_store::{ExportLetter, LetterId, StoreError};
use serde::Serialize;

use crate::stats::CampaignStats;
use crate::{Actor, App};

/// The columns of a letters export, in order (`lysty import letters` reads the same).
pub const LETTER_COLUMNS: [&str; 11] = [
    "id",
    "received_at",
    "prisoner",
    "source",
    "event",
    "city",
    "country",
    "language",
    "state",
    "sent_at",
    "outcome_at",
];

/// The columns added, after the others, when the writers' personal data is exported.
pub const PERSONAL_COLUMNS: [&str; 3] = ["writer_name", "writer_email", "body"];

/// The columns of a statistics export as CSV.
pub const STATS_COLUMNS: [&str; 3] = ["figure", "key", "value"];

/// CSV files start with a byte-order mark: without it spreadsheet programs read the
/// Cyrillic as another encoding. CSV readers (the `csv` crate, `lysty import`) skip it.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Letters read per page: the personal export carries the texts, so its pages are smaller.
const PAGE: u32 = 1000;
const PERSONAL_PAGE: u32 = 250;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportWhat {
    Letters,
    Stats,
}

impl ExportWhat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportWhat::Letters => "letters",
            ExportWhat::Stats => "stats",
        }
    }
}

impl std::str::FromStr for ExportWhat {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "letters" => Ok(ExportWhat::Letters),
            "stats" => Ok(ExportWhat::Stats),
            _ => Err(ExportError::Invalid("what")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Json => "application/json",
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "csv" => Ok(ExportFormat::Csv),
            "json" => Ok(ExportFormat::Json),
            _ => Err(ExportError::Invalid("format")),
        }
    }
}

/// What to export, and whether the writers' personal data is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportRequest {
    pub what: ExportWhat,
    pub format: ExportFormat,
    pub personal_data: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("not allowed")]
    Forbidden,
    /// A field that is missing or wrong: `what`, `format`, or `personal_data` with stats.
    #[error("invalid {0}")]
    Invalid(&'static str),
    #[error("a writer's email cannot be decrypted with this installation's key")]
    Undecryptable,
    #[error("the export cannot be written: {0}")]
    Encode(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whether `actor` may export at all (`personal_data`: with the writers' data).
pub fn may_export(actor: &Actor, personal_data: bool) -> bool {
    if !actor.is_complete() {
        return false;
    }
    if personal_data {
        actor.is_admin()
    } else {
        actor.is(&[Role::Coordinator])
    }
}

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage
/// return) gets a leading `'`, as does one that starts with `'` itself, so that the
/// change can be undone exactly by [`unguard_cell`]. Writers type these texts; staff
/// open the files in spreadsheets.
pub fn guard_cell(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{value}").into(),
        _ => value.into(),
    }
}

/// Undoes [`guard_cell`]: a CSV cell of an export that starts with `'` loses it.
pub fn unguard_cell(value: &str) -> &str {
    value.strip_prefix('\'').unwrap_or(value)
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// One letter as a JSON object, with the columns' names.
#[derive(Serialize)]
struct LetterRecord<'a> {
    /// The letter's id: importing the export again recognises each letter by it.
    id: String,
    received_at: String,
    prisoner: &'a str,
    source: &'static str,
    event: Option<&'a str>,
    city: Option<&'a str>,
    country: Option<&'a str>,
    language: &'a str,
    state: &'static str,
    sent_at: Option<String>,
    outcome_at: Option<String>,
    #[serde(flatten)]
    personal: Option<PersonalRecord>,
}

#[derive(Serialize)]
struct PersonalRecord {
    writer_name: Option<String>,
    writer_email: Option<String>,
    body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    Letters,
    Done,
}

/// An export under way: [`Export::next_chunk`] gives its bytes a page at a time.
pub struct Export {
    app: App,
    request: ExportRequest,
    stage: Stage,
    after: Option<LetterId>,
    rows: u64,
}

impl std::fmt::Debug for Export {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Export")
            .field("request", &self.request)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl App {
    /// Checks that `actor` may have this export and records it in the audit log (a refused
    /// request for personal data too); the export itself is read with
    /// [`Export::next_chunk`].
    pub async fn start_export(
        &self,
        actor: &Actor,
        request: ExportRequest,
    ) -> Result<Export, ExportError> {
        if !may_export(actor, false) {
            return Err(ExportError::Forbidden);
        }
        let (what, format) = (request.what.as_str(), request.format.as_str());
        if request.personal_data && !may_export(actor, true) {
            self.audit(
                Some(&actor.staff),
                "export_personal_data_refused",
                Some(("export", what.to_owned())),
                format,
            )
            .await?;
            return Err(ExportError::Forbidden);
        }
        if request.personal_data && request.what != ExportWhat::Letters {
            return Err(ExportError::Invalid("personal_data"));
        }
        let action = if request.personal_data {
            "export_personal_data"
        } else {
            "export"
        };
        self.audit(
            Some(&actor.staff),
            action,
            Some(("export", what.to_owned())),
            format,
        )
        .await?;
        Ok(Export {
            app: self.clone(),
            request,
            stage: Stage::Start,
            after: None,
            rows: 0,
        })
    }
}

impl Export {
    pub fn request(&self) -> ExportRequest {
        self.request
    }

    pub fn content_type(&self) -> &'static str {
        self.request.format.content_type()
    }

    /// `lysty-letters-2026-11-30.csv`; the personal-data export says so in its name.
    pub fn file_name(&self, today: DateTime<Utc>) -> String {
        let personal = if self.request.personal_data {
            "-personal-data"
        } else {
            ""
        };
        format!(
            "lysty-{}{personal}-{}.{}",
            self.request.what.as_str(),
            today.format("%Y-%m-%d"),
            self.request.format.as_str()
        )
    }

    /// Letters (or statistics rows) written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The next bytes of the export, or `None` at its end. After an error it ends: a
    /// caller that streams must fail the transfer rather than end it cleanly.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, ExportError> {
        let result = self.step().await;
        if result.is_err() {
            self.stage = Stage::Done;
        }
        result
    }

    async fn step(&mut self) -> Result<Option<Vec<u8>>, ExportError> {
        match (self.stage, self.request.what) {
            (Stage::Done, _) => Ok(None),
            (Stage::Start, ExportWhat::Stats) => {
                self.stage = Stage::Done;
                let stats = self.app.stats().await?;
                let bytes = match self.request.format {
                    ExportFormat::Json => {
                        let mut out = serde_json::to_vec_pretty(&stats).map_err(encode)?;
                        out.push(b'\n');
                        out
                    }
                    ExportFormat::Csv => {
                        let mut out = UTF8_BOM.to_vec();
                        out.extend(stats_csv(&stats)?);
                        out
                    }
                };
                self.rows = 1;
                Ok(Some(bytes))
            }
            (Stage::Start, ExportWhat::Letters) => {
                self.stage = Stage::Letters;
                let mut out = match self.request.format {
                    ExportFormat::Json => b"[".to_vec(),
                    ExportFormat::Csv => {
                        let mut header: Vec<&str> = LETTER_COLUMNS.to_vec();
                        if self.request.personal_data {
                            header.extend(PERSONAL_COLUMNS);
                        }
                        let mut out = UTF8_BOM.to_vec();
                        out.extend(csv_rows(std::iter::once(header))?);
                        out
                    }
                };
                if let Some(page) = self.letters_page().await? {
                    out.extend(page);
                }
                Ok(Some(out))
            }
            (Stage::Letters, _) => self.letters_page().await,
        }
    }

    /// The next page of letters, encoded; at the end, the closing bytes.
    async fn letters_page(&mut self) -> Result<Option<Vec<u8>>, ExportError> {
        if self.stage == Stage::Done {
            return Ok(None);
        }
        let personal = self.request.personal_data;
        let limit = if personal { PERSONAL_PAGE } else { PAGE };
        let page = self
            .app
            .store()
            .export_letters(self.app.campaign().id, self.after, limit, personal)
            .await?;
        let last_page = page.len() < limit as usize;
        self.after = page.last().map(|l| l.id).or(self.after);
        let mut out = Vec::new();
        match self.request.format {
            ExportFormat::Csv => {
                let mut rows = Vec::with_capacity(page.len());
                for letter in &page {
                    rows.push(self.csv_row(letter)?);
                }
                out = csv_rows(rows)?;
            }
            ExportFormat::Json => {
                for letter in &page {
                    out.extend_from_slice(if self.rows == 0 { b"\n" } else { b",\n" });
                    serde_json::to_writer(&mut out, &self.record(letter)?).map_err(encode)?;
                    self.rows += 1;
                }
            }
        }
        if self.request.format == ExportFormat::Csv {
            self.rows += page.len() as u64;
        }
        if last_page {
            self.stage = Stage::Done;
            if self.request.format == ExportFormat::Json {
                out.extend_from_slice(b"\n]\n");
            }
        }
        Ok(Some(out))
    }

    fn personal(&self, letter: &ExportLetter) -> Result<Option<PersonalRecord>, ExportError> {
        let Some(writer) = &letter.personal else {
            return Ok(None);
        };
        let email = match &writer.writer_email_encrypted {
            Some(sealed) => Some(
                self.app
                    .cipher()
                    .decrypt(sealed)
                    .map_err(|_| ExportError::Undecryptable)?,
            ),
            None => None,
        };
        Ok(Some(PersonalRecord {
            writer_name: writer.writer_name.clone(),
            writer_email: email,
            body: writer.body.clone(),
        }))
    }

    fn record<'a>(&self, letter: &'a ExportLetter) -> Result<LetterRecord<'a>, ExportError> {
        Ok(LetterRecord {
            id: letter.id.to_string(),
            received_at: time(letter.received_at),
            prisoner: &letter.prisoner,
            source: letter.source.as_str(),
            event: letter.event.as_deref(),
            city: letter.city.as_deref(),
            country: letter.country.as_deref(),
            language: &letter.language,
            state: letter.state.as_str(),
            sent_at: letter.sent_at.map(time),
            outcome_at: letter.outcome_at.map(time),
            personal: self.personal(letter)?,
        })
    }

    fn csv_row(&self, letter: &ExportLetter) -> Result<Vec<String>, ExportError> {
        let text = |v: Option<&str>| v.map(|v| guard_cell(v).into_owned()).unwrap_or_default();
        let mut row = vec![
            letter.id.to_string(),
            time(letter.received_at),
            text(Some(&letter.prisoner)),
            letter.source.as_str().to_owned(),
            text(letter.event.as_deref()),
            text(letter.city.as_deref()),
            text(letter.country.as_deref()),
            text(Some(&letter.language)),
            letter.state.as_str().to_owned(),
            letter.sent_at.map(time).unwrap_or_default(),
            letter.outcome_at.map(time).unwrap_or_default(),
        ];
        if let Some(writer) = self.personal(letter)? {
            row.push(text(writer.writer_name.as_deref()));
            row.push(text(writer.writer_email.as_deref()));
            row.push(text(Some(&writer.body)));
        }
        Ok(row)
    }
}

fn encode(error: impl std::fmt::Display) -> ExportError {
    ExportError::Encode(error.to_string())
}

/// Rows as CSV (RFC 4180: quoted where needed, CRLF not required; `\n` line ends).
fn csv_rows<R, F>(rows: impl IntoIterator<Item = R>) -> Result<Vec<u8>, ExportError>
where
    R: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).map_err(encode)?;
    }
    writer.into_inner().map_err(encode)
}

/// The statistics as rows of (figure, key, value): the totals with an empty key, then
/// each breakdown by its key (a year, a month, a city, a source, a state, an event's id,
/// a prisoner's slug).
fn stats_csv(stats: &CampaignStats) -> Result<Vec<u8>, ExportError> {
    let mut rows: Vec<[String; 3]> = vec![[
        STATS_COLUMNS[0].to_owned(),
        STATS_COLUMNS[1].to_owned(),
        STATS_COLUMNS[2].to_owned(),
    ]];
    let mut add = |figure: &str, key: &str, value: i64| {
        rows.push([
            figure.to_owned(),
            guard_cell(key).into_owned(),
            value.to_string(),
        ]);
    };
    add("total", "", stats.total);
    add("this_month", "", stats.this_month);
    add("sent", "", stats.sent);
    add("delivered", "", stats.delivered);
    for (figure, buckets) in [
        ("by_year", &stats.by_year),
        ("by_month", &stats.by_month),
        ("by_city", &stats.by_city),
        ("by_country", &stats.by_country),
        ("by_source", &stats.by_source),
        ("by_state", &stats.by_state),
    ] {
        for b in buckets {
            add(figure, &b.key, b.letters);
        }
    }
    for e in &stats.by_event {
        add("by_event", &e.id, e.letters);
    }
    for s in &stats.by_series {
        add("by_series", &s.key, s.letters);
    }
    for o in &stats.by_organisation {
        add("by_organisation", &o.slug, o.letters);
    }
    for p in &stats.by_prisoner {
        add("by_prisoner", &p.slug, p.letters);
    }
    csv_rows(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_guarded_and_come_back_exactly() {
        for raw in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-привіт",
            "@SUM(A1)",
            "\tx",
            "'quoted",
            "Київ",
            "",
        ] {
            let guarded = guard_cell(raw);
            assert!(
                !guarded.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{raw:?}"
            );
            assert_eq!(unguard_cell(&guarded), raw);
        }
        assert_eq!(guard_cell("Київ"), "Київ");
    }

    #[test]
    fn csv_rows_are_quoted_where_needed() {
        let bytes = csv_rows([["a,b", "line\nbreak", "plain"]]).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\"a,b\",\"line\nbreak\",plain\n"
        );
    }
}
