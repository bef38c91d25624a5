//! Moving an installation between databases (`lysty db copy`): every table, parents before
//! the rows that refer to them, read page by page from one backend and written to the other
//! in a single transaction, so that a copy that fails leaves the target as empty as it was.
//!
//! Written over [`Backend`] rather than with each database's dump tool because the two
//! schemas store the same values differently (a UUID is a `BLOB` on SQLite and a `uuid` on
//! PostgreSQL, a time RFC 3339 text or a `timestamptz`): each value is read into a [`Cell`]
//! by its column's [`Kind`] and bound back as the same [`Value`] the store itself writes.
//! [`TABLES`] lists every column of the schema; a copy refuses to start when either
//! database has a table or column the list does not know, so a new migration cannot be
//! silently left behind (the contract suite checks the list on both databases).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::backend::{Param, Row, Value, scalar};
use crate::rows::RowAccess;
use crate::{Backend, StoreError, StoreResult};

/// How a column's values are read and bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Uuid,
    Text,
    Int,
    Bool,
    Time,
    Date,
    Bytes,
}

impl Kind {
    /// Whether a column the database declares as `declared` holds values of this kind: the
    /// PostgreSQL type name, or the SQLite declared type.
    fn stored_as(self, declared: &str) -> bool {
        let declared = declared.to_ascii_lowercase();
        let accepted: &[&str] = match self {
            Kind::Uuid => &["uuid", "blob"],
            Kind::Text => &["text"],
            Kind::Int => &["integer", "bigint"],
            Kind::Bool => &["boolean", "integer"],
            Kind::Time => &["timestamp with time zone", "text"],
            Kind::Date => &["date", "text"],
            Kind::Bytes => &["bytea", "blob"],
        };
        accepted.contains(&declared.as_str())
    }
}

/// One table: its name, the columns of its primary key (the copy pages by them), and every
/// column with its kind.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub key: &'static [&'static str],
    pub columns: &'static [(&'static str, Kind)],
    /// A column the database numbers by itself (an `INTEGER PRIMARY KEY AUTOINCREMENT` or
    /// `BIGSERIAL`), whose sequence must continue after the copied rows.
    pub serial: Option<&'static str>,
}

use Kind::{Bool, Bytes, Date, Int, Text, Time, Uuid as Id};

/// Every table of the schema, each after the tables its foreign keys point at.
pub const TABLES: &[Table] = &[
    Table {
        name: "campaigns",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("slug", Text),
            ("name_uk", Text),
            ("name_en", Text),
            ("created_at", Time),
        ],
        serial: None,
    },
    Table {
        name: "organisations",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("slug", Text),
            ("name_uk", Text),
            ("name_en", Text),
            ("created_at", Time),
        ],
        serial: None,
    },
    Table {
        name: "facilities",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("slug", Text),
            ("name_ru", Text),
            ("name_en", Text),
            ("region", Text),
            ("address_ru", Text),
            ("created_at", Time),
            ("max_letter_chars", Int),
            ("channels", Text),
            ("rule_language", Text),
            ("needs_birth_year", Bool),
            ("needs_number", Bool),
            ("electronic_max_chars", Int),
            ("electronic_parts", Bool),
            ("notes", Text),
            ("prints_original", Bool),
        ],
        serial: None,
    },
    Table {
        name: "prisoners",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("slug", Text),
            ("name_uk", Text),
            ("name_en", Text),
            ("name_crh", Text),
            ("name_ru_full", Text),
            ("birth_year", Int),
            ("birth_date", Date),
            ("status", Text),
            ("story_uk", Text),
            ("story_en", Text),
            ("guidance_uk", Text),
            ("guidance_en", Text),
            ("facility_id", Id),
            ("published", Bool),
            ("created_at", Time),
            ("updated_at", Time),
            ("prisoner_number", Text),
            ("case_terms", Text),
            ("story_crh", Text),
            ("guidance_crh", Text),
            ("gender", Text),
        ],
        serial: None,
    },
    Table {
        name: "events",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("campaign_id", Id),
            ("organisation_id", Id),
            ("slug", Text),
            ("kind", Text),
            ("title_uk", Text),
            ("title_en", Text),
            ("city", Text),
            ("country", Text),
            ("venue", Text),
            ("starts_at", Time),
            ("ends_at", Time),
            ("series", Text),
            ("demo", Bool),
            ("kiosk_token", Text),
            ("kiosk_revoked_at", Time),
        ],
        serial: None,
    },
    Table {
        name: "replaced_kiosk_links",
        key: &["token"],
        columns: &[("token", Text), ("event_id", Id), ("replaced_at", Time)],
        serial: None,
    },
    Table {
        name: "staff",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("organisation_id", Id),
            ("email", Text),
            ("name", Text),
            ("roles", Text),
            ("password_hash", Text),
            ("totp_secret_enc", Bytes),
            ("totp_last_step", Int),
            ("disabled", Bool),
            ("failed_logins", Int),
            ("locked_until", Time),
            ("created_at", Time),
            ("updated_at", Time),
        ],
        serial: None,
    },
    Table {
        name: "recovery_codes",
        key: &["staff_id", "code_hash"],
        columns: &[("staff_id", Id), ("code_hash", Text), ("used_at", Time)],
        serial: None,
    },
    Table {
        name: "sessions",
        key: &["id_hash"],
        columns: &[
            ("id_hash", Text),
            ("staff_id", Id),
            ("stage", Text),
            ("csrf_token", Text),
            ("created_at", Time),
            ("last_seen_at", Time),
            ("expires_at", Time),
            ("failed_codes", Int),
        ],
        serial: None,
    },
    Table {
        name: "api_tokens",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("staff_id", Id),
            ("name", Text),
            ("token_hash", Text),
            ("created_at", Time),
            ("last_used_at", Time),
            ("revoked_at", Time),
            ("expires_at", Time),
        ],
        serial: None,
    },
    Table {
        name: "staff_notices",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("staff_id", Id),
            ("kind", Text),
            ("created_at", Time),
            ("attempts", Int),
            ("next_attempt_at", Time),
            ("sent_at", Time),
            ("last_error", Text),
            ("gave_up_at", Time),
        ],
        serial: None,
    },
    Table {
        name: "audit_log",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("at", Time),
            ("actor_id", Id),
            ("actor_org_id", Id),
            ("action", Text),
            ("object_type", Text),
            ("object_id", Text),
            ("detail", Text),
        ],
        serial: Some("id"),
    },
    Table {
        name: "lexicon",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("term", Text),
            ("language", Text),
            ("category", Text),
            ("created_at", Time),
        ],
        serial: None,
    },
    Table {
        name: "tallies",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("event_id", Id),
            ("prisoner_id", Id),
            ("count", Int),
            ("remaining", Int),
            ("created_by", Id),
            ("created_at", Time),
        ],
        serial: None,
    },
    Table {
        name: "batches",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("campaign_id", Id),
            ("facility_id", Id),
            ("channel", Text),
            ("created_by", Id),
            ("created_org", Id),
            ("created_at", Time),
            ("sent_at", Time),
            ("sent_reference", Text),
            ("sent_by", Id),
        ],
        serial: None,
    },
    Table {
        name: "placements",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("prisoner_id", Id),
            ("facility_id", Id),
            ("since", Time),
            ("note", Text),
            ("created_by", Id),
            ("created_at", Time),
        ],
        serial: None,
    },
    Table {
        name: "letters",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("campaign_id", Id),
            ("tracking_code", Text),
            ("idempotency_key", Text),
            ("prisoner_id", Id),
            ("source", Text),
            ("event_id", Id),
            ("writer_name", Text),
            ("writer_city", Text),
            ("writer_country", Text),
            ("writer_email_enc", Bytes),
            ("language", Text),
            ("body", Text),
            ("body_delivery", Text),
            ("state", Text),
            ("received_at", Time),
            ("updated_at", Time),
            ("fingerprint", Text),
            ("flags", Text),
            ("detected_language", Text),
            ("claimed_by", Id),
            ("claimed_until", Time),
            ("reject_reason", Text),
            ("reject_note", Text),
            ("batch_id", Id),
            ("held_reason", Text),
            ("held_at", Time),
            ("replaced_tally", Id),
        ],
        serial: None,
    },
    Table {
        name: "letter_transitions",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("letter_id", Id),
            ("from_state", Text),
            ("to_state", Text),
            ("actor_id", Id),
            ("note", Text),
            ("at", Time),
            ("actor_org_id", Id),
        ],
        serial: Some("id"),
    },
    Table {
        name: "letter_flags",
        key: &["letter_id", "kind"],
        columns: &[("letter_id", Id), ("kind", Text)],
        serial: None,
    },
    Table {
        name: "letter_versions",
        key: &["id"],
        columns: &[
            ("id", Int),
            ("letter_id", Id),
            ("body", Text),
            ("body_delivery", Text),
            ("replaced_by", Id),
            ("reason", Text),
            ("at", Time),
        ],
        serial: Some("id"),
    },
    Table {
        name: "letter_pages",
        key: &["letter_id", "position"],
        columns: &[
            ("letter_id", Id),
            ("position", Int),
            ("content_type", Text),
            ("bytes", Bytes),
        ],
        serial: None,
    },
    Table {
        name: "letter_evidence",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("letter_id", Id),
            ("outcome", Text),
            ("note", Text),
            ("content_type", Text),
            ("bytes", Bytes),
            ("recorded_by", Id),
            ("at", Time),
        ],
        serial: None,
    },
    Table {
        name: "replies",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("campaign_id", Id),
            ("prisoner_id", Id),
            ("received_at", Time),
            ("transcription", Text),
            ("consent_publish", Bool),
            ("content_type", Text),
            ("bytes", Bytes),
            ("recorded_by", Id),
            ("created_at", Time),
        ],
        serial: None,
    },
    Table {
        name: "reply_letters",
        key: &["reply_id", "letter_id"],
        columns: &[("reply_id", Id), ("letter_id", Id)],
        serial: None,
    },
    Table {
        name: "outbox",
        key: &["id"],
        columns: &[
            ("id", Id),
            ("kind", Text),
            ("letter_id", Id),
            ("reply_id", Id),
            ("created_at", Time),
            ("attempts", Int),
            ("next_attempt_at", Time),
            ("sent_at", Time),
            ("last_error", Text),
            ("gave_up_at", Time),
        ],
        serial: None,
    },
    Table {
        name: "counters",
        key: &["campaign_id", "key"],
        columns: &[("campaign_id", Id), ("key", Text), ("value", Int)],
        serial: None,
    },
];

/// One value, owned, as read from a column of its [`Kind`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Uuid(Option<Uuid>),
    Text(Option<String>),
    Int(Option<i64>),
    Bool(bool),
    Time(Option<DateTime<Utc>>),
    Date(Option<NaiveDate>),
    Bytes(Option<Vec<u8>>),
}

impl Cell {
    fn read(row: &Row, column: &str, kind: Kind) -> StoreResult<Cell> {
        Ok(match kind {
            Kind::Uuid => Cell::Uuid(row.opt_uuid(column)?),
            Kind::Text => Cell::Text(row.opt_text(column)?),
            Kind::Int => Cell::Int(row.opt_int(column)?),
            Kind::Bool => Cell::Bool(row.boolean(column)?),
            Kind::Time => Cell::Time(row.opt_time(column)?),
            Kind::Date => Cell::Date(match row.opt_text(column)? {
                Some(text) => Some(NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
                    StoreError::message(format!("column {column} holds a malformed date"))
                })?),
                None => None,
            }),
            Kind::Bytes => Cell::Bytes(row.opt_bytes(column)?),
        })
    }
}

impl Param for Cell {
    fn value(&self) -> Value<'_> {
        match self {
            Cell::Uuid(v) => Value::Uuid(*v),
            Cell::Text(v) => Value::Text(v.as_deref()),
            Cell::Int(v) => Value::Int(*v),
            Cell::Bool(v) => Value::Bool(Some(*v)),
            Cell::Time(v) => Value::Time(*v),
            Cell::Date(v) => Value::Date(*v),
            Cell::Bytes(v) => Value::Bytes(v.as_deref()),
        }
    }
}

/// Rows per page read from the source; each page is written with one `INSERT`.
const PAGE: usize = 200;

impl Table {
    /// `SELECT` of every column, dates as text (their one spelling on both databases).
    fn select_list(&self) -> String {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|(name, kind)| match kind {
                Kind::Date => format!("CAST({name} AS TEXT) AS {name}"),
                _ => (*name).to_owned(),
            })
            .collect();
        columns.join(", ")
    }

    /// The page after `after` (the last key read), in key order.
    fn page_sql(&self, after: bool) -> String {
        let key = self.key.join(", ");
        let placeholders: Vec<String> = (1..=self.key.len()).map(|i| format!("${i}")).collect();
        let filter = if after {
            format!(" WHERE ({key}) > ({})", placeholders.join(", "))
        } else {
            String::new()
        };
        format!(
            "SELECT {} FROM {}{filter} ORDER BY {key} LIMIT {PAGE}",
            self.select_list(),
            self.name
        )
    }

    fn insert_sql(&self, rows: usize) -> String {
        let width = self.columns.len();
        let names: Vec<&str> = self.columns.iter().map(|(name, _)| *name).collect();
        let values: Vec<String> = (0..rows)
            .map(|row| {
                let params: Vec<String> = (1..=width)
                    .map(|column| format!("${}", row * width + column))
                    .collect();
                format!("({})", params.join(", "))
            })
            .collect();
        format!(
            "INSERT INTO {} ({}) VALUES {}",
            self.name,
            names.join(", "),
            values.join(", ")
        )
    }

    fn key_cells(&self, row: &[Cell]) -> Vec<Cell> {
        self.key
            .iter()
            .filter_map(|key| {
                self.columns
                    .iter()
                    .position(|(name, _)| name == key)
                    .and_then(|at| row.get(at).cloned())
            })
            .collect()
    }
}

/// Every row of a table, in key order: what a round-trip test compares.
pub async fn read_table<B: Backend>(store: &B, table: &Table) -> StoreResult<Vec<Vec<Cell>>> {
    let mut rows = Vec::new();
    loop {
        let after = rows.last().map(|last: &Vec<Cell>| table.key_cells(last));
        let page = read_page(store, table, after.as_deref()).await?;
        let full = page.len() == PAGE;
        rows.extend(page);
        if !full {
            return Ok(rows);
        }
    }
}

/// Why a database cannot take part in a copy.
#[derive(Debug, thiserror::Error)]
pub enum CopyRefusal {
    #[error(
        "the {side} database's schema is at migration {applied}, this Lysty knows {known}: run `lysty migrate` with the newer version first"
    )]
    Schema {
        side: &'static str,
        applied: i64,
        known: i64,
    },
    #[error(
        "the {side} database has {what}, which this copy does not know: use the Lysty version that created it"
    )]
    UnknownColumns { side: &'static str, what: String },
    #[error(
        "the target database already holds data (table {table}): copy into a new, empty database"
    )]
    TargetNotEmpty { table: &'static str },
}

/// How far a copy has come, for a progress bar.
pub trait CopyProgress {
    /// Called once, before the first row, with the number of rows to copy.
    fn start(&mut self, rows: u64);
    /// Called after each page with the table and the rows it held.
    fn copied(&mut self, table: &'static str, rows: u64);
}

/// Rows per table, in [`TABLES`] order.
pub type Counts = Vec<(&'static str, u64)>;

/// Checks both databases, then copies every row of `from` into the empty `to` in one
/// transaction and compares the row counts afterwards.
pub async fn copy<F: Backend, T: Backend>(
    from: &F,
    to: &T,
    progress: &mut dyn CopyProgress,
) -> Result<Counts, CopyError> {
    check_schema(from, "source").await?;
    check_schema(to, "target").await?;
    for table in TABLES {
        let any = to
            .read_optional(format!("SELECT 1 FROM {} LIMIT 1", table.name).into(), &[])
            .await?;
        if any.is_some() {
            return Err(CopyRefusal::TargetNotEmpty { table: table.name }.into());
        }
    }
    let counts = count_rows(from).await?;
    progress.start(counts.iter().map(|(_, n)| n).sum());

    let mut tx = to.begin_write().await?;
    for table in TABLES {
        let mut after: Option<Vec<Cell>> = None;
        loop {
            let page = read_page(from, table, after.as_deref()).await?;
            if page.is_empty() {
                break;
            }
            let args: Vec<&dyn Param> = page
                .iter()
                .flat_map(|row| row.iter().map(|c| c as &dyn Param))
                .collect();
            tx.execute(table.insert_sql(page.len()).into(), &args)
                .await?;
            progress.copied(table.name, page.len() as u64);
            if page.len() < PAGE {
                break;
            }
            after = page.last().map(|row| table.key_cells(row));
        }
        if let Some(column) = table.serial
            && let Some(sql) = to.continue_sequence(table.name, column)
        {
            tx.fetch_optional(sql.into(), &[]).await?;
        }
    }
    tx.commit().await?;

    let copied = count_rows(to).await?;
    if copied != counts {
        return Err(CopyError::Store(StoreError::message(format!(
            "the copy's row counts differ from the source's: {counts:?} against {copied:?}"
        ))));
    }
    Ok(counts)
}

/// One page of `table` after the key `after` (from the start when `None`).
async fn read_page<B: Backend>(
    store: &B,
    table: &Table,
    after: Option<&[Cell]>,
) -> StoreResult<Vec<Vec<Cell>>> {
    let rows = match after {
        None => store.read_all(table.page_sql(false).into(), &[]).await?,
        Some(key) => {
            let args: Vec<&dyn Param> = key.iter().map(|c| c as &dyn Param).collect();
            store.read_all(table.page_sql(true).into(), &args).await?
        }
    };
    rows.iter()
        .map(|row| {
            table
                .columns
                .iter()
                .map(|(name, kind)| Cell::read(row, name, *kind))
                .collect()
        })
        .collect()
}

/// Rows in every table of [`TABLES`].
pub async fn count_rows<B: Backend>(store: &B) -> StoreResult<Counts> {
    let mut counts = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let n: i64 = scalar(
            store
                .read_one(format!("SELECT COUNT(*) FROM {}", table.name).into(), &[])
                .await,
        )?;
        counts.push((table.name, u64::try_from(n).unwrap_or(0)));
    }
    Ok(counts)
}

/// The database's migrations are the ones this build knows, and its tables and columns
/// are exactly [`TABLES`], each stored as its kind allows.
pub async fn check_schema<B: Backend>(store: &B, side: &'static str) -> Result<(), CopyError> {
    let (applied, known) = crate::Store::schema(store).await?;
    if applied != known {
        return Err(CopyRefusal::Schema {
            side,
            applied,
            known,
        }
        .into());
    }
    let rows = store.read_all(B::SCHEMA_COLUMNS.into(), &[]).await?;
    let mut unknown = Vec::new();
    let mut seen = 0;
    for row in &rows {
        let table = row.text("table_name")?;
        let column = row.text("column_name")?;
        let declared = row.text("column_type")?;
        let kind = TABLES
            .iter()
            .find(|t| t.name == table)
            .and_then(|t| t.columns.iter().find(|(name, _)| *name == column))
            .map(|(_, kind)| *kind);
        match kind {
            Some(kind) if kind.stored_as(&declared) => seen += 1,
            Some(kind) => unknown.push(format!(
                "{table}.{column} stored as {declared}, not {kind:?}"
            )),
            None => unknown.push(format!("{table}.{column}")),
        }
    }
    let listed: usize = TABLES.iter().map(|t| t.columns.len()).sum();
    if unknown.is_empty() && seen != listed {
        unknown.push(format!("{seen} of the {listed} columns the copy lists"));
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(CopyRefusal::UnknownColumns {
            side,
            what: unknown.join(", "),
        }
        .into())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Refused(#[from] CopyRefusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_comes_after_the_tables_it_refers_to() {
        // The parents named by the schema's foreign keys (migrations 0001-0016).
        let parents: &[(&str, &[&str])] = &[
            ("prisoners", &["facilities"]),
            ("events", &["campaigns", "organisations"]),
            ("replaced_kiosk_links", &["events"]),
            ("staff", &["organisations"]),
            ("recovery_codes", &["staff"]),
            ("sessions", &["staff"]),
            ("api_tokens", &["staff"]),
            ("staff_notices", &["staff"]),
            ("tallies", &["events", "prisoners"]),
            ("batches", &["campaigns", "facilities"]),
            ("placements", &["prisoners", "facilities"]),
            (
                "letters",
                &["campaigns", "prisoners", "events", "batches", "tallies"],
            ),
            ("letter_transitions", &["letters"]),
            ("letter_flags", &["letters"]),
            ("letter_versions", &["letters"]),
            ("letter_pages", &["letters"]),
            ("letter_evidence", &["letters"]),
            ("replies", &["campaigns", "prisoners"]),
            ("reply_letters", &["replies", "letters"]),
            ("outbox", &["letters", "replies"]),
            ("counters", &["campaigns"]),
        ];
        let at = |name: &str| TABLES.iter().position(|t| t.name == name);
        for (child, of) in parents {
            for parent in *of {
                assert!(at(parent) < at(child), "{parent} must come before {child}");
                assert!(at(parent).is_some(), "{parent} is listed");
            }
        }
    }

    #[test]
    fn pages_continue_after_the_last_key_read() {
        let table = TABLES.iter().find(|t| t.name == "counters");
        let sql = table.map(|t| t.page_sql(true)).unwrap_or_default();
        assert!(
            sql.contains("WHERE (campaign_id, key) > ($1, $2) ORDER BY campaign_id, key"),
            "{sql}"
        );
    }
}
