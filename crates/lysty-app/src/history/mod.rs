//! Imports of earlier years: events, tallies and letters from CSV files, so that a campaign
//! can load what it collected before it used Lysty and report on it. Each import is all or
//! nothing: every bad row is reported with its line, and nothing is stored while any is
//! bad. Counters are recounted in the import's transaction.
//!
//! Import events first, then tallies and letters, which name events by slug.
//!
//! ## `lysty import events FILE.csv`
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `slug` | yes | a stable short name: `book-forum-lviv-2024`; a known slug updates that event |
//! | `kind` | yes | `book_forum`, `press_tour`, `meeting`… (lower-case letters and `_`) |
//! | `title_uk` | yes | the title in Ukrainian |
//! | `title_en` | no | the title in English |
//! | `city`, `country` | yes | where it took place |
//! | `venue` | no | the place within the city |
//! | `starts_at` | yes | `2024-05-12`, `12.05.2024` or `2024-05-12T10:00:00Z` |
//! | `ends_at` | no | the same forms; the start when empty |
//! | `series` | no | the name shared by the stops of a tour: `Прес-тур 2024` |
//! | `organisation` | no | the slug of the organisation that ran it (`lysty org list`) |
//!
//! ## `lysty import tallies FILE.csv`
//!
//! Paper letters counted at an event and not entered one by one.
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `event` | yes | the event's slug |
//! | `prisoner` | no | the prisoner's slug; empty for letters not assigned to anyone |
//! | `count` | yes | how many letters, 1 or more |
//!
//! One row per event and prisoner (or unassigned).
//!
//! ## `lysty import letters FILE.csv`
//!
//! The same columns `lysty export letters` writes, so an export loads back.
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `id` | no | the letter's id, as an export writes it: the row is that letter |
//! | `received_at` | yes | when it was written: `2024-05-12`, `12.05.2024` or RFC 3339 |
//! | `prisoner` | yes | the prisoner's slug |
//! | `source` | yes | `online`, `kiosk` or `paper` |
//! | `event` | no | the event's slug (needed for `paper`) |
//! | `city`, `country` | no | the writer's city and country |
//! | `language` | no | `uk` (default), `en`, `crh`, `ru` or `other` |
//! | `state` | yes | `received`, `approved`, `rejected`, `sent`, `delivered`, `withheld`, `returned` or `undeliverable` |
//! | `sent_at` | no | when it was sent (states from `sent` on) |
//! | `outcome_at` | no | when its outcome was recorded (`delivered` … `undeliverable`) |
//! | `writer_name`, `writer_email` | no | only what the writer chose to give; the email is stored encrypted |
//! | `body` | for `received` and `approved` | the letter's text; may be empty for letters long sent |
//!
//! A row with an `id` (an export of Lysty's own) is the letter with that id. A row without
//! one gets a key from who it was for, when, how and by whom it was written and its text
//! (and its place among identical rows). Importing the same file again adds nothing; a row
//! whose other columns were corrected (city, country, language, state, dates, email)
//! updates its letter. Empty cells never erase what is stored. Letters still on their way
//! (in review, in a batch) are not changed by an import.
//!
//! Tallies already stored with the same count are skipped, so a file that grew new rows
//! imports just those; a different count for a stored tally is refused, to be corrected on
//! the event's page.

use std::collections::HashMap;
use std::io::Read;

use chrono::{DateTime, Utc};
use lysty_domain::{
    IdempotencyKey, LetterBody, LetterId, LetterLanguage, LetterState, Place, PrisonerSlug, Source,
    TrackingCode, WriterName,
};
use lysty_store::{
    FlagsUpdate, HistoricLetter, HistoricTally, History, HistoryOutcome, HistoryRefusal, Localised,
    NewEvent,
};
use sha2::{Digest, Sha256};

use crate::App;
use crate::export;
use crate::import::{ImportError, RowError, parse_date, read_rows};

pub const EVENT_COLUMNS: &[&str] = &[
    "slug",
    "kind",
    "title_uk",
    "title_en",
    "city",
    "country",
    "venue",
    "starts_at",
    "ends_at",
    "series",
    "organisation",
];
const EVENT_REQUIRED: &[&str] = &["slug", "kind", "title_uk", "city", "country", "starts_at"];

pub const TALLY_COLUMNS: &[&str] = &["event", "prisoner", "count"];
const TALLY_REQUIRED: &[&str] = &["event", "count"];

/// The columns `lysty export letters` writes, the personal ones included: an export loads
/// back as it is.
pub const LETTER_COLUMNS: [&str; 14] = {
    let (base, personal) = (export::LETTER_COLUMNS, export::PERSONAL_COLUMNS);
    let mut all = [""; 14];
    let mut i = 0;
    while i < all.len() {
        all[i] = if i < base.len() {
            base[i]
        } else {
            personal[i - base.len()]
        };
        i += 1;
    }
    all
};
const LETTER_REQUIRED: &[&str] = &["received_at", "prisoner", "source", "state"];

/// The columns an earlier version of the import hashed into a row's key (all but `id`):
/// rows imported then are still recognised.
const EARLIER_KEY_COLUMNS: [&str; 13] = [
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
    "writer_name",
    "writer_email",
    "body",
];

/// What makes a row the same letter when the file has no ids: who it was for, when, how and
/// by whom it was written, and its text. The other columns (city, country, language, state,
/// dates of sending and outcome, email) may be corrected in the file and imported again.
const IDENTITY_COLUMNS: [&str; 6] = [
    "received_at",
    "prisoner",
    "source",
    "event",
    "writer_name",
    "body",
];

fn is_outcome(state: LetterState) -> bool {
    matches!(
        state,
        LetterState::Delivered
            | LetterState::Withheld
            | LetterState::Returned
            | LetterState::Undeliverable
    )
}

/// The import's view of the calendar: nothing can have happened after `now`.
struct Rows<'a> {
    now: DateTime<Utc>,
    problems: &'a mut Vec<String>,
}

impl Rows<'_> {
    fn time(&mut self, column: &str, raw: &str, required: bool) -> Option<DateTime<Utc>> {
        if raw.is_empty() {
            if required {
                self.problems.push(format!("`{column}` is empty"));
            }
            return None;
        }
        match parse_date(raw) {
            Some(t) if t <= self.now => Some(t),
            Some(_) => {
                self.problems
                    .push(format!("{column} `{raw}` is in the future"));
                None
            }
            None => {
                self.problems.push(format!(
                    "{column} `{raw}` is not a date like {}",
                    crate::import::DATE_FORMS
                ));
                None
            }
        }
    }

    fn place(&mut self, column: &str, raw: &str) -> Option<Place> {
        Place::parse(raw)
            .map_err(|e| self.problems.push(format!("{column} `{raw}`: {e}")))
            .ok()
            .flatten()
    }
}

/// One letter row, checked; the store's fields are filled in by [`App::import_letters`].
pub(crate) struct LetterRow {
    line: u64,
    /// From the file's `id` column (an export of Lysty's own).
    id: Option<LetterId>,
    prisoner: PrisonerSlug,
    source: Source,
    event: Option<String>,
    writer_name: Option<WriterName>,
    city: Option<Place>,
    country: Option<Place>,
    email: Option<String>,
    language: Option<LetterLanguage>,
    body: String,
    received_at: DateTime<Utc>,
    state: LetterState,
    sent_at: Option<DateTime<Utc>>,
    outcome_at: Option<DateTime<Utc>>,
    /// From a hash of the row's identity and its place among identical rows.
    key: IdempotencyKey,
    /// The key an earlier version of the import gave the same row.
    earlier_key: IdempotencyKey,
}

/// A key from a hash of `columns` of a row and its place among rows with the same hash.
fn row_key(
    prefix: &str,
    columns: &[&str],
    get: &dyn Fn(&str) -> String,
    occurrences: &mut HashMap<[u8; 32], u32>,
) -> Option<IdempotencyKey> {
    let mut hash = Sha256::new();
    for column in columns {
        hash.update(get(column).as_bytes());
        hash.update([0x1f]);
    }
    let digest: [u8; 32] = hash.finalize().into();
    let n = occurrences.entry(digest).or_default();
    *n += 1;
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    // Always a valid key: ASCII, well under the length limit.
    IdempotencyKey::parse(&format!("{prefix}-{hex}-{n}"))
        .ok()
        .flatten()
}

pub(crate) fn parse_letters(
    input: impl Read,
    now: DateTime<Utc>,
    max_chars: usize,
) -> Result<Vec<LetterRow>, Vec<RowError>> {
    let mut occurrences: HashMap<[u8; 32], u32> = HashMap::new();
    let mut earlier_occurrences: HashMap<[u8; 32], u32> = HashMap::new();
    let mut ids = std::collections::HashSet::new();
    read_rows(input, &LETTER_COLUMNS, LETTER_REQUIRED, |line, raw| {
        // An export guards cells a spreadsheet would run as formulas with a leading `'`.
        let get = |column: &str| crate::export::unguard_cell(&raw(column)).to_owned();
        let mut problems = Vec::new();
        let id = match get("id").as_str() {
            "" => None,
            raw => match uuid::Uuid::parse_str(raw) {
                Ok(id) if ids.insert(id) => Some(LetterId(id)),
                Ok(_) => {
                    problems.push(format!("id `{raw}` appears twice in the file"));
                    None
                }
                Err(_) => {
                    problems.push(format!("id `{raw}` is not a letter's id from an export"));
                    None
                }
            },
        };
        let prisoner = PrisonerSlug::parse(&get("prisoner"))
            .map_err(|e| problems.push(format!("prisoner `{}`: {e}", get("prisoner"))))
            .ok();
        let source = match get("source").parse::<Source>() {
            Ok(s) => Some(s),
            Err(_) => {
                problems.push(format!(
                    "source `{}` is not one of online, kiosk, paper",
                    get("source")
                ));
                None
            }
        };
        let event = Some(get("event")).filter(|e| !e.is_empty());
        if source == Some(Source::Paper) && event.is_none() {
            problems.push("a paper letter needs the `event` it was collected at".to_owned());
        }
        let state = match get("state").parse::<LetterState>() {
            // A letter of an export is recognised by its id whatever its state; the store
            // refuses only what would start or change a letter still on its way.
            Ok(s) if LetterState::IMPORTABLE.contains(&s) || id.is_some() => Some(s),
            _ => {
                problems.push(format!(
                    "state `{}` is not one of {}",
                    get("state"),
                    LetterState::IMPORTABLE.map(LetterState::as_str).join(", ")
                ));
                None
            }
        };
        let language = match get("language").as_str() {
            "" => None,
            raw => LetterLanguage::parse(raw)
                .map_err(|_| problems.push(format!("language `{raw}` is not known")))
                .ok(),
        };
        let writer_name = WriterName::parse(&get("writer_name"))
            .map_err(|e| problems.push(format!("writer_name: {e}")))
            .ok()
            .flatten();
        let email = lysty_domain::Email::parse(&get("writer_email"))
            .map_err(|e| problems.push(format!("writer_email: {e}")))
            .ok()
            .flatten()
            .map(|e| e.as_str().to_owned());
        let body = get("body");
        let mut rows = Rows {
            now,
            problems: &mut problems,
        };
        let city = rows.place("city", &get("city"));
        let country = rows.place("country", &get("country"));
        let received_at = rows.time("received_at", &get("received_at"), true);
        let sent_at = rows.time("sent_at", &get("sent_at"), false);
        let outcome_at = rows.time("outcome_at", &get("outcome_at"), false);
        if let Some(state) = state {
            let sent_or_later = state == LetterState::Sent || is_outcome(state);
            if sent_at.is_some() && !sent_or_later {
                problems.push(format!(
                    "a letter in state {} has no sent_at",
                    state.as_str()
                ));
            }
            if outcome_at.is_some() && !is_outcome(state) {
                problems.push(format!(
                    "a letter in state {} has no outcome_at",
                    state.as_str()
                ));
            }
            if matches!(state, LetterState::Received | LetterState::Approved)
                && (id.is_none() || !body.is_empty())
            {
                // It goes on to review or to a batch: its text is needed (a letter of an
                // export without the writers' data keeps the text it has).
                if let Err(e) = LetterBody::parse(&body, max_chars) {
                    problems.push(format!("body: {e}"));
                }
            } else if body.chars().count() > max_chars {
                problems.push(format!("body is longer than {max_chars} characters"));
            }
        }
        if let (Some(r), Some(s)) = (received_at, sent_at)
            && s < r
        {
            problems.push("sent_at is before received_at".to_owned());
        }
        if let (Some(earlier), Some(o)) = (sent_at.or(received_at), outcome_at)
            && o < earlier
        {
            problems.push("outcome_at is before the letter was sent or written".to_owned());
        }
        let (Some(prisoner), Some(source), Some(state), Some(received_at)) =
            (prisoner, source, state, received_at)
        else {
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let (Some(key), Some(earlier_key)) = (
            row_key("row", &IDENTITY_COLUMNS, &get, &mut occurrences),
            row_key(
                "import",
                &EARLIER_KEY_COLUMNS,
                &get,
                &mut earlier_occurrences,
            ),
        ) else {
            return Err(vec!["the row's key could not be made".to_owned()]);
        };
        Ok(LetterRow {
            line,
            id,
            prisoner,
            source,
            event,
            writer_name,
            city,
            country,
            email,
            language,
            body,
            received_at,
            state,
            sent_at,
            outcome_at,
            key,
            earlier_key,
        })
    })
}

fn refusal_rows(outcome: &HistoryOutcome) -> Vec<RowError> {
    outcome
        .refused
        .iter()
        .map(|(line, refusal)| RowError {
            line: *line,
            message: match refusal {
                HistoryRefusal::UnknownEvent(slug) => {
                    format!("no event `{slug}`: import the events first")
                }
                HistoryRefusal::UnknownPrisoner(slug) => format!("no prisoner `{slug}`"),
                HistoryRefusal::TallyExists { event, stored } => format!(
                    "event `{event}` already has {stored} letter(s) counted for this prisoner; correct the count on the event's page"
                ),
                HistoryRefusal::TallyTwice { event } => {
                    format!("event `{event}` has this prisoner's tally twice in the file")
                }
                HistoryRefusal::LetterInProgress { state } => format!(
                    "the letter is {} in Lysty now: only its own steps change it",
                    state.as_str()
                ),
                HistoryRefusal::NoText => {
                    "a letter still to be reviewed or sent needs its `body`".to_owned()
                }
                HistoryRefusal::StateNotImportable { state } => format!(
                    "a letter cannot be imported as {}: one of {} only",
                    state.as_str(),
                    LetterState::IMPORTABLE.map(LetterState::as_str).join(", ")
                ),
            },
        })
        .collect()
}

/// What an import stored; `rows` is how many rows the file had, for a progress bar.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Send + Sync);

impl App {
    async fn import_history(
        &self,
        history: History,
        progress: Progress<'_>,
    ) -> Result<HistoryOutcome, ImportError> {
        let total = (history.events.len() + history.tallies.len() + history.letters.len()) as u64;
        progress(0, total);
        let on_row = |done: u64| progress(done, total);
        let outcome = self
            .store()
            .import_history(self.campaign().id, &history, &on_row)
            .await?;
        if outcome.refused.is_empty() {
            Ok(outcome)
        } else {
            Err(ImportError::Rows(refusal_rows(&outcome)))
        }
    }

    /// Imports events of earlier years (or updates them, by slug): all rows, or none.
    pub async fn import_events(
        &self,
        input: impl Read,
        progress: Progress<'_>,
    ) -> Result<HistoryOutcome, ImportError> {
        let organisations = self
            .store()
            .list_organisations()
            .await?
            .into_iter()
            .map(|o| (o.slug, o.id))
            .collect();
        let events = parse_events(input, self.now(), self.campaign().id, &organisations)
            .map_err(ImportError::Rows)?;
        self.import_history(
            History {
                events,
                ..History::default()
            },
            progress,
        )
        .await
    }

    /// Imports the paper letters counted at past events: all rows, or none.
    pub async fn import_tallies(
        &self,
        input: impl Read,
        progress: Progress<'_>,
    ) -> Result<HistoryOutcome, ImportError> {
        let tallies = parse_tallies(input).map_err(ImportError::Rows)?;
        self.import_history(
            History {
                tallies,
                ..History::default()
            },
            progress,
        )
        .await
    }

    /// Imports letters of earlier years: all rows, or none; rows imported before are
    /// skipped. Letters waiting for review get their safety flags as new ones do.
    pub async fn import_letters(
        &self,
        input: impl Read,
        progress: Progress<'_>,
    ) -> Result<HistoryOutcome, ImportError> {
        let max_chars = self.config().max_letter_chars;
        let rows = parse_letters(input, self.now(), max_chars).map_err(ImportError::Rows)?;
        let mut letters = Vec::with_capacity(rows.len());
        let mut bad = Vec::new();
        for row in rows {
            let writer_email_encrypted = match &row.email {
                Some(email) => match self.cipher().encrypt(email) {
                    Ok(sealed) => Some(sealed),
                    Err(e) => {
                        bad.push(RowError {
                            line: row.line,
                            message: format!("writer_email could not be encrypted: {e}"),
                        });
                        continue;
                    }
                },
                None => None,
            };
            let flags = if row.body.is_empty() {
                FlagsUpdate {
                    json: "[]".into(),
                    kinds: Vec::new(),
                    detected_language: None,
                }
            } else {
                // Letters of past years: no prisoner's case to check them against now.
                self.flags_with(&row.body, None, 0, None)
            };
            let fingerprint = if row.body.is_empty() {
                String::new()
            } else {
                lysty_domain::safety::fingerprint(&row.body)
            };
            letters.push(HistoricLetter {
                line: row.line,
                id: row.id.unwrap_or_else(LetterId::new),
                id_from_file: row.id.is_some(),
                tracking_code: TrackingCode::generate(),
                idempotency_key: row.key,
                earlier_keys: vec![row.earlier_key],
                prisoner: row.prisoner,
                source: row.source,
                event: row.event,
                writer_name: row.writer_name,
                writer_city: row.city,
                writer_country: row.country,
                writer_email_encrypted,
                language: row.language,
                body: row.body,
                received_at: row.received_at,
                state: row.state,
                sent_at: row.sent_at,
                outcome_at: row.outcome_at,
                flags,
                fingerprint,
            });
        }
        if !bad.is_empty() {
            return Err(ImportError::Rows(bad));
        }
        self.import_history(
            History {
                letters,
                ..History::default()
            },
            progress,
        )
        .await
    }
}

mod events;
pub use events::{parse_events, parse_tallies};

#[cfg(test)]
mod tests;
