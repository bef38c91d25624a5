//! Lysty's storage on SQLite: the embedded default.
//!
//! Every connection runs in WAL mode with `busy_timeout`, `foreign_keys=ON` and, unless the
//! operator chooses otherwise, `synchronous=FULL`, so that a committed letter survives a
//! power cut. Writes go through a pool of exactly one connection and open with
//! `BEGIN IMMEDIATE`: SQLite has one writer, and taking the write lock up front means a
//! transaction never fails half-way on a lock upgrade. Reads use their own pool.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Row, Sqlite, Transaction};
use uuid::Uuid;

use lysty_store::backend::{Param, Row as StoredRow, Sql, Value};
use lysty_store::rows::RowAccess;
use lysty_store::{Backend, StoreError, StoreResult};

/// How the database is opened.
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    /// Create the file when it is missing. Off by default: a mistyped path must not
    /// silently start an empty campaign.
    pub create: bool,
    /// `FULL` (the default) makes every commit durable; `NORMAL` is faster and may lose
    /// the last transactions on power loss (never corrupts).
    pub synchronous: Synchronous,
    pub max_read_connections: u32,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            create: false,
            synchronous: Synchronous::Full,
            max_read_connections: 8,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synchronous {
    Full,
    Normal,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "the database file {0} does not exist; check the path, or pass --create-database to start a new one"
    )]
    Missing(PathBuf),
    #[error("not a sqlite:// URL: {0}")]
    NotSqlite(String),
    #[error("cannot open the database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

#[derive(Clone)]
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The file path inside a `sqlite://PATH` URL.
pub fn path_of(url: &str) -> Result<PathBuf, OpenError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| OpenError::NotSqlite(url.to_owned()))?;
    let path = rest.split('?').next().unwrap_or(rest);
    Ok(PathBuf::from(path))
}

impl SqliteStore {
    /// Opens (and with `create`, creates) the database and applies pending migrations.
    pub async fn open(url: &str, options: &SqliteOptions) -> Result<Self, OpenError> {
        let path = path_of(url)?;
        if !options.create && !Path::new(&path).exists() {
            return Err(OpenError::Missing(path));
        }
        let connect = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(options.create)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match options.synchronous {
                Synchronous::Full => SqliteSynchronous::Full,
                Synchronous::Normal => SqliteSynchronous::Normal,
            })
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(connect.clone())
            .await?;
        MIGRATOR.run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(options.max_read_connections.max(1))
            .connect_with(connect.read_only(true))
            .await?;
        Ok(SqliteStore { read, write })
    }

    /// Applies pending migrations only; used by `lysty migrate`.
    pub async fn migrate(&self) -> Result<(), OpenError> {
        MIGRATOR.run(&self.write).await?;
        Ok(())
    }

    fn reader(&self) -> &SqlitePool {
        &self.read
    }

    async fn begin_write(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        self.write
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(map_err)
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

fn map_err(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::PoolTimedOut => StoreError::Busy,
        sqlx::Error::Database(db) => {
            // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes.
            let busy = db
                .code()
                .and_then(|c| c.parse::<i32>().ok())
                .is_some_and(|c| c & 0xff == 5 || c & 0xff == 6);
            if busy {
                StoreError::Busy
            } else if db.is_unique_violation() {
                StoreError::Conflict(db.message().to_owned())
            } else {
                StoreError::other(error)
            }
        }
        _ => StoreError::other(error),
    }
}

// The single writer under BEGIN IMMEDIATE already holds off every other writer.

/// Column access for SQLite rows, for the shared mapping in `lysty_store::rows`.
struct Access<'r>(&'r SqliteRow);

impl RowAccess for Access<'_> {
    fn text(&self, column: &str) -> StoreResult<String> {
        self.0.try_get(column).map_err(map_err)
    }
    fn opt_text(&self, column: &str) -> StoreResult<Option<String>> {
        self.0.try_get(column).map_err(map_err)
    }
    fn uuid(&self, column: &str) -> StoreResult<Uuid> {
        self.0.try_get(column).map_err(map_err)
    }
    fn opt_uuid(&self, column: &str) -> StoreResult<Option<Uuid>> {
        self.0.try_get(column).map_err(map_err)
    }
    fn time(&self, column: &str) -> StoreResult<DateTime<Utc>> {
        self.0.try_get(column).map_err(map_err)
    }
    fn int(&self, column: &str) -> StoreResult<i64> {
        self.0.try_get(column).map_err(map_err)
    }
    fn opt_int(&self, column: &str) -> StoreResult<Option<i64>> {
        self.0.try_get(column).map_err(map_err)
    }
    fn boolean(&self, column: &str) -> StoreResult<bool> {
        self.0.try_get(column).map_err(map_err)
    }
    fn opt_time(&self, column: &str) -> StoreResult<Option<DateTime<Utc>>> {
        self.0.try_get(column).map_err(map_err)
    }
    fn opt_bytes(&self, column: &str) -> StoreResult<Option<Vec<u8>>> {
        self.0.try_get(column).map_err(map_err)
    }
    fn first_column(&self) -> StoreResult<String> {
        use sqlx::Column;
        self.0
            .columns()
            .first()
            .map(|c| c.name().to_owned())
            .ok_or_else(|| StoreError::message("a query returned no column"))
    }
}

// --- the store's areas written over `lysty_store::Backend` ---

#[async_trait::async_trait]
impl Backend for SqliteStore {
    const NAME: &'static str = "sqlite";
    // The single writer under BEGIN IMMEDIATE already holds off every other writer.
    const LOCK_LETTERS: &'static str = "";
    const HOLD_WRITERS: &'static str = "SELECT 1";
    const LOCK: &'static str = "";

    async fn begin_write(&self) -> StoreResult<Box<dyn lysty_store::backend::Transaction>> {
        Ok(Box::new(WriteTx(SqliteStore::begin_write(self).await?)))
    }

    async fn read_optional(&self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Option<StoredRow>> {
        let row = bind_all(sqlx::query(AssertSqlSafe(sql)), args)
            .fetch_optional(self.reader())
            .await
            .map_err(map_err)?;
        Ok(row.map(|r| Box::new(OwnedRow(r)) as StoredRow))
    }

    async fn read_all(&self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Vec<StoredRow>> {
        let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), args)
            .fetch_all(self.reader())
            .await
            .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|r| Box::new(OwnedRow(r)) as StoredRow)
            .collect())
    }
}

struct WriteTx(Transaction<'static, Sqlite>);

#[async_trait::async_trait]
impl lysty_store::backend::Transaction for WriteTx {
    async fn execute(&mut self, sql: Sql, args: &[&dyn Param]) -> StoreResult<u64> {
        let done = bind_all(sqlx::query(AssertSqlSafe(sql)), args)
            .execute(&mut *self.0)
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected())
    }

    async fn fetch_optional(
        &mut self,
        sql: Sql,
        args: &[&dyn Param],
    ) -> StoreResult<Option<StoredRow>> {
        let row = bind_all(sqlx::query(AssertSqlSafe(sql)), args)
            .fetch_optional(&mut *self.0)
            .await
            .map_err(map_err)?;
        Ok(row.map(|r| Box::new(OwnedRow(r)) as StoredRow))
    }

    async fn fetch_all(&mut self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Vec<StoredRow>> {
        let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), args)
            .fetch_all(&mut *self.0)
            .await
            .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|r| Box::new(OwnedRow(r)) as StoredRow)
            .collect())
    }

    async fn for_each_row(
        &mut self,
        sql: Sql,
        args: &[&dyn Param],
        each: &mut (dyn for<'r> FnMut(&'r StoredRow) -> StoreResult<()> + Send),
    ) -> StoreResult<()> {
        use lysty_store::futures::TryStreamExt;
        let mut rows = bind_all(sqlx::query(AssertSqlSafe(sql)), args).fetch(&mut *self.0);
        while let Some(row) = rows.try_next().await.map_err(map_err)? {
            let row: StoredRow = Box::new(OwnedRow(row));
            each(&row)?;
        }
        Ok(())
    }

    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.0.commit().await.map_err(map_err)
    }
}

fn bind_all<'q>(
    mut query: Query<'q, Sqlite, SqliteArguments>,
    args: &[&'q dyn Param],
) -> Query<'q, Sqlite, SqliteArguments> {
    for arg in args {
        query = match arg.value() {
            Value::Uuid(v) => query.bind(v),
            Value::Text(v) => query.bind(v),
            Value::Int(v) => query.bind(v),
            Value::Bool(v) => query.bind(v),
            Value::Time(v) => query.bind(v),
            Value::Date(v) => query.bind(v),
            Value::Bytes(v) => query.bind(v),
        };
    }
    query
}

/// A row the store keeps after the query: read through the same column access.
struct OwnedRow(SqliteRow);

impl RowAccess for OwnedRow {
    fn text(&self, column: &str) -> StoreResult<String> {
        Access(&self.0).text(column)
    }
    fn opt_text(&self, column: &str) -> StoreResult<Option<String>> {
        Access(&self.0).opt_text(column)
    }
    fn uuid(&self, column: &str) -> StoreResult<Uuid> {
        Access(&self.0).uuid(column)
    }
    fn opt_uuid(&self, column: &str) -> StoreResult<Option<Uuid>> {
        Access(&self.0).opt_uuid(column)
    }
    fn time(&self, column: &str) -> StoreResult<DateTime<Utc>> {
        Access(&self.0).time(column)
    }
    fn int(&self, column: &str) -> StoreResult<i64> {
        Access(&self.0).int(column)
    }
    fn opt_int(&self, column: &str) -> StoreResult<Option<i64>> {
        Access(&self.0).opt_int(column)
    }
    fn boolean(&self, column: &str) -> StoreResult<bool> {
        Access(&self.0).boolean(column)
    }
    fn opt_time(&self, column: &str) -> StoreResult<Option<DateTime<Utc>>> {
        Access(&self.0).opt_time(column)
    }
    fn opt_bytes(&self, column: &str) -> StoreResult<Option<Vec<u8>>> {
        Access(&self.0).opt_bytes(column)
    }
    fn first_column(&self) -> StoreResult<String> {
        Access(&self.0).first_column()
    }
}
