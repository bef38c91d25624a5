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

mod tables;
pub use tables::TABLES;

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
