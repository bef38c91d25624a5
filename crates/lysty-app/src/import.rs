//! Imports from CSV files. Every bad row is reported with its line number, and nothing is
//! stored when any row is bad.
//!
//! Files come from spreadsheets saved in any locale: UTF-8 (with or without a byte-order
//! mark), UTF-16 with a mark (Excel's "Unicode text"), or Windows-1251 (what Excel saves as
//! plain "CSV" in a Ukrainian or Russian locale); columns separated by `,`, `;` (the same
//! Excel in those locales) or tabs, whichever the header row uses. Dates may be written
//! `2024-05-12`, `12.05.2024` or as RFC 3339 times. [`shape`] says how a file was read.
//!
//! ## `lysty import prisoners FILE.csv`
//!
//! A header row, then one prisoner per row. Columns (any order; unknown columns refused):
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `slug` | yes | the address on the site: `remzi-bekirov` (lower-case, digits, dashes) |
//! | `name_uk` | yes | name in Ukrainian |
//! | `name_en` | yes | name in English |
//! | `name_crh` | no | name in Crimean Tatar |
//! | `name_ru_full` | no | full Russian name for the envelope: surname, name, patronymic |
//! | `birth_year` | no | four digits |
//! | `status` | yes | `detained`, `convicted`, `released`, `exchanged`, `deceased` or `unknown` |
//! | `facility` | no | slug of a facility already in the registry |
//! | `story_uk`, `story_en`, `story_crh` | no | a short public story (Crimean Tatar in Latin script) |
//! | `guidance_uk`, `guidance_en`, `guidance_crh` | no | advice for writers: topics to avoid |
//! | `gender` | no | `female` or `male`, for the words that agree with it ("Засуджена"); empty says neither |
//! | `published` | no | `true` (default) or `false` |
//!
//! Rows with a slug that already exists update that prisoner.

use std::collections::HashSet;
use std::io::Read;

use lysty_domain::PrisonerSlug;
use lysty_store::{NewPrisoner, StoreError};

use crate::App;
use crate::prisoners::{PrisonerInput, parse_prisoner};

pub const PRISONER_COLUMNS: &[&str] = &[
    "slug",
    "name_uk",
    "name_en",
    "name_crh",
    "name_ru_full",
    "birth_year",
    "status",
    "facility",
    "story_uk",
    "story_en",
    "story_crh",
    "guidance_uk",
    "guidance_en",
    "guidance_crh",
    "gender",
    "published",
];
const REQUIRED: &[&str] = &["slug", "name_uk", "name_en", "status"];

/// One problem in an import file, at a line a person can find in their editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} row(s) are invalid; nothing was imported", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A day or a time as people write them in spreadsheets and forms: `2024-05-12` or
/// `12.05.2024` (noon UTC, so that the day is the same in every time zone of Europe), or an
/// RFC 3339 time.
pub fn parse_date(raw: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let raw = raw.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    ["%Y-%m-%d", "%d.%m.%Y"]
        .into_iter()
        .find_map(|format| chrono::NaiveDate::parse_from_str(raw, format).ok())
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|t| t.and_utc())
}

/// What [`parse_date`] takes, for messages.
pub const DATE_FORMS: &str = "2024-05-12, 12.05.2024 or 2024-05-12T10:00:00Z";

/// How a file was read: its text encoding and the character between its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// "UTF-8", "UTF-16LE", "windows-1251", … (the WHATWG name).
    pub encoding: &'static str,
    pub separator: u8,
}

impl std::fmt::Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let separator = match self.separator {
            b'\t' => "tabs".to_owned(),
            other => format!("`{}`", char::from(other)),
        };
        write!(
            f,
            "read as {}, columns separated by {separator}",
            self.encoding
        )
    }
}

/// The file's text and how it was read. A byte-order mark decides the encoding; without one,
/// text that is valid UTF-8 is UTF-8, and anything else is Windows-1251, the code page of
/// spreadsheets saved in a Ukrainian or Russian locale (every byte sequence decodes in it, so
/// a file in yet another encoding shows up as odd letters in the rows, never as a failure).
fn decode(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, &'static encoding_rs::Encoding) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text, encoding);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.into(), encoding_rs::UTF_8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes);
            (text, encoding_rs::WINDOWS_1251)
        }
    }
}

/// The separator the header row uses most among `,`, `;` and tab (outside quotes); `,` when
/// it uses none (a file of one column).
fn separator(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in text.bytes() {
        match c {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(count) = counts.iter_mut().find(|(s, _)| *s == c) {
                    count.1 += 1;
                }
            }
            _ => {}
        }
    }
    // The first of the most used wins a tie, so a plain CSV stays comma-separated.
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    counts
        .iter()
        .find(|(_, n)| *n == most && most > 0)
        .map_or(b',', |(s, _)| *s)
}

/// How [`read_rows`] reads these bytes: for telling the person importing.
pub fn shape(bytes: &[u8]) -> Shape {
    let (text, encoding) = decode(bytes);
    shape_of(&text, encoding)
}

fn shape_of(text: &str, encoding: &'static encoding_rs::Encoding) -> Shape {
    Shape {
        encoding: encoding.name(),
        separator: separator(text),
    }
}

/// Files that are not CSV at all, named in one line instead of a row of confusing errors.
fn not_csv(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some(
            "this is an Excel workbook (.xlsx) or another zipped file, not CSV: in the spreadsheet choose \"Save as\", then \"CSV UTF-8\" or \"CSV\"",
        )
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        Some(
            "this is an old Excel workbook (.xls), not CSV: in the spreadsheet choose \"Save as\", then \"CSV UTF-8\" or \"CSV\"",
        )
    } else if bytes.starts_with(b"%PDF") {
        Some("this is a PDF, not CSV")
    } else if bytes.iter().all(u8::is_ascii_whitespace) {
        Some("the file is empty")
    } else {
        None
    }
}

/// Reads a CSV file with a header row: checks the columns, then hands each row to
/// `row` (with its line and a getter by column name). Collects every problem, each at
/// its line; returns the rows only when there is none.
pub fn read_rows<T>(
    mut input: impl Read,
    columns: &[&str],
    required: &[&str],
    mut row: impl FnMut(u64, &dyn Fn(&str) -> String) -> Result<T, Vec<String>>,
) -> Result<Vec<T>, Vec<RowError>> {
    let mut bytes = Vec::new();
    if let Err(e) = input.read_to_end(&mut bytes) {
        return Err(vec![RowError {
            line: 0,
            message: format!("the file cannot be read: {e}"),
        }]);
    }
    if let Some(problem) = not_csv(&bytes) {
        return Err(vec![RowError {
            line: 1,
            message: problem.to_owned(),
        }]);
    }
    let (text, encoding) = decode(&bytes);
    let shape = shape_of(&text, encoding);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(shape.separator)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![RowError {
                line: 1,
                message: format!("cannot read the header row ({shape}): {e}"),
            }]);
        }
    };
    let mut errors = Vec::new();
    let unknown: Vec<&str> = headers.iter().filter(|h| !columns.contains(h)).collect();
    if !unknown.is_empty() {
        errors.push(RowError {
            line: 1,
            message: format!(
                "unknown column{} {} ({shape}); expected some of: {}",
                if unknown.len() == 1 { "" } else { "s" },
                unknown
                    .iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                columns.join(", ")
            ),
        });
    }
    for required in required {
        if !headers.iter().any(|h| h == *required) {
            errors.push(RowError {
                line: 1,
                message: format!("the required column `{required}` is missing"),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let column = |name: &str| headers.iter().position(|h| h == name);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(RowError {
                    line,
                    message: format!("cannot read the row ({shape}): {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let get = |name: &str| {
            column(name)
                .and_then(|i| record.get(i))
                .map(str::trim)
                .unwrap_or("")
                .to_owned()
        };
        match row(line, &get) {
            Ok(value) => rows.push(value),
            Err(problems) => errors.extend(
                problems
                    .into_iter()
                    .map(|message| RowError { line, message }),
            ),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Reads and checks every row; returns all the problems found, or the prisoners. Each row is
/// checked as the staff's prisoner page checks a prisoner ([`parse_prisoner`]).
pub fn parse_prisoners(input: impl Read) -> Result<Vec<NewPrisoner>, Vec<RowError>> {
    let mut seen = HashSet::new();
    read_rows(input, PRISONER_COLUMNS, REQUIRED, |_, get| {
        let mut problems = Vec::new();
        let published = match get("published").to_ascii_lowercase().as_str() {
            "" | "true" | "yes" | "1" => true,
            "false" | "no" | "0" => false,
            other => {
                problems.push(format!("published `{other}` is not true or false"));
                true
            }
        };
        let input = PrisonerInput {
            slug: get("slug"),
            name_uk: get("name_uk"),
            name_en: get("name_en"),
            name_crh: get("name_crh"),
            name_ru_full: get("name_ru_full"),
            birth_year: get("birth_year"),
            status: get("status"),
            gender: get("gender"),
            story_uk: get("story_uk"),
            story_en: get("story_en"),
            story_crh: get("story_crh"),
            guidance_uk: get("guidance_uk"),
            guidance_en: get("guidance_en"),
            guidance_crh: get("guidance_crh"),
            published,
        };
        let parsed = parse_prisoner(&input);
        if let Ok(slug) = PrisonerSlug::parse(input.slug.trim())
            && !seen.insert(slug.clone())
        {
            problems.push(format!("slug `{slug}` appears twice in the file"));
        }
        match parsed {
            Ok(prisoner) if problems.is_empty() => Ok(NewPrisoner {
                facility: Some(get("facility")).filter(|f| !f.is_empty()),
                ..prisoner
            }),
            Ok(_) => Err(problems),
            Err(fields) => {
                let mut all: Vec<String> = fields.into_iter().map(|(_, m)| m).collect();
                all.extend(problems);
                Err(all)
            }
        }
    })
}

/// The CSV files a campaign imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvKind {
    Prisoners,
    Facilities,
    Events,
    Tallies,
    Letters,
    Outcomes,
}

impl CsvKind {
    pub const ALL: [CsvKind; 6] = [
        CsvKind::Prisoners,
        CsvKind::Facilities,
        CsvKind::Events,
        CsvKind::Tallies,
        CsvKind::Letters,
        CsvKind::Outcomes,
    ];
}

/// Reads a CSV file as its import reads it, storing nothing: how many rows are good, or
/// the bad rows by line. The fuzz targets (`fuzz/`) feed it arbitrary bytes, so that no
/// file a spreadsheet (or an attacker) produces can make a reader panic.
pub fn read_csv(
    kind: CsvKind,
    bytes: &[u8],
    now: chrono::DateTime<chrono::Utc>,
    max_chars: usize,
) -> Result<usize, Vec<RowError>> {
    match kind {
        CsvKind::Prisoners => parse_prisoners(bytes).map(|rows| rows.len()),
        CsvKind::Facilities => crate::delivery::parse_facilities(bytes).map(|rows| rows.len()),
        CsvKind::Events => {
            let organisations = std::collections::HashMap::from([(
                "pen-ukraine".to_owned(),
                lysty_store::OrganisationId::new(),
            )]);
            crate::history::parse_events(bytes, now, lysty_store::CampaignId::new(), &organisations)
                .map(|rows| rows.len())
        }
        CsvKind::Tallies => crate::history::parse_tallies(bytes).map(|rows| rows.len()),
        CsvKind::Letters => {
            crate::history::parse_letters(bytes, now, max_chars).map(|rows| rows.len())
        }
        CsvKind::Outcomes => crate::delivery::parse_outcomes(bytes).map(|rows| rows.len()),
    }
}

impl App {
    /// Imports prisoners from CSV: all rows, or none.
    pub async fn import_prisoners(&self, input: impl Read) -> Result<usize, ImportError> {
        let prisoners = parse_prisoners(input).map_err(ImportError::Rows)?;
        match self.store().upsert_prisoners(&prisoners).await {
            Ok(ids) => {
                // New names to look for in letters to others.
                self.reload_prisoner_names().await?;
                Ok(ids.len())
            }
            Err(StoreError::Conflict(message)) => {
                Err(ImportError::Rows(vec![RowError { line: 0, message }]))
            }
            Err(other) => Err(other.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use lysty_domain::PrisonerStatus;

    #[test]
    fn dates_are_read_as_spreadsheets_and_forms_write_them() {
        assert_eq!(
            parse_date("2024-05-12"),
            chrono::Utc.with_ymd_and_hms(2024, 5, 12, 12, 0, 0).single()
        );
        assert_eq!(
            parse_date("2024-05-12T10:00:00+02:00"),
            chrono::Utc.with_ymd_and_hms(2024, 5, 12, 8, 0, 0).single()
        );
        assert_eq!(
            parse_date("12.05.2024"),
            parse_date("2024-05-12"),
            "as a Ukrainian spreadsheet writes it"
        );
        assert_eq!(parse_date("12/05/2024"), None);
        assert_eq!(
            parse_date("2026-11-30").map(|d| d.format("%F").to_string()),
            Some("2026-11-30".to_owned())
        );
        assert_eq!(parse_date("30.11.2026"), parse_date("2026-11-30"));
        assert!(parse_date("30/11/2026").is_none());
        assert_eq!(parse_date("31.02.2024"), None);
    }

    #[test]
    fn good_rows_become_prisoners() {
        let csv = "slug,name_uk,name_en,status,birth_year,published\n\
                   remzi-bekirov,Ремзі Бекіров,Remzi Bekirov,convicted,1984,true\n\
                   leniye-umerova,Ленє Умерова,Leniye Umerova,released,,false\n";
        let prisoners = parse_prisoners(csv.as_bytes()).unwrap();
        assert_eq!(prisoners.len(), 2);
        assert_eq!(prisoners[0].birth_year, Some(1984));
        assert_eq!(prisoners[1].status, PrisonerStatus::Released);
        assert!(!prisoners[1].published);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let csv = "slug,name_uk,name_en,status\n\
                   good-one,Ім'я,Name,convicted\n\
                   Bad Slug,Ім'я,Name,convicted\n\
                   good-two,,Name,imprisoned\n\
                   good-one,Ім'я,Name,convicted\n";
        let errors = parse_prisoners(csv.as_bytes()).err().unwrap();
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 4, 5]);
        assert!(errors[0].message.contains("Bad Slug"));
        assert!(errors[2].message.contains("imprisoned"));
        assert!(errors[3].message.contains("twice"));
    }

    #[test]
    fn unknown_and_missing_columns_are_refused() {
        let errors = parse_prisoners("slug,nickname\nx,y\n".as_bytes())
            .err()
            .unwrap();
        assert!(errors.iter().all(|e| e.line == 1));
        assert!(errors[0].message.contains("nickname"));
        assert!(errors.iter().any(|e| e.message.contains("name_uk")));
    }

    #[test]
    fn a_row_with_the_wrong_number_of_fields_is_reported() {
        let csv = "slug,name_uk,name_en,status\nx-y,a,b\n";
        let errors = parse_prisoners(csv.as_bytes()).err().unwrap();
        assert_eq!(errors[0].line, 2);
    }
}
