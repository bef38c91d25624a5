//! Lysty's storage on SQLite: the embedded default.
//!
//! Every connection runs in WAL mode with `busy_timeout`, `foreign_keys=ON` and, unless the
//! operator chooses otherwise, `synchronous=FULL`, so that a committed letter survives a
//! power cut. Writes go through a pool of exactly one connection and open with
//! `BEGIN IMMEDIATE`: SQLite has one writer, and taking the write lock up front means a
//! transaction never fails half-way on a lock upgrade. Reads use their own pool.

mod backup;
pub mod durability;

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{SqlSafeStr, Sqlite, Transaction};

use lysty_store::backend::{Param, Row, Sql, Value};
use lysty_store::sqlx_backend::{self, Query, SqlxDb, SqlxTransaction};
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
    /// Open even when the settings read back from the database are not the safe ones
    /// (see [`durability::check`]). Off: such a database is refused with the reason.
    pub allow_unsafe: bool,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            create: false,
            synchronous: Synchronous::Full,
            max_read_connections: 8,
            allow_unsafe: false,
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
    #[error("cannot create the database file {0}: {1}")]
    Create(PathBuf, std::io::Error),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(sqlx::migrate::MigrateError),
    #[error(
        "this database was migrated by a newer Lysty (it has migration {0}, which this version does not know); run that version or a newer one"
    )]
    NewerSchema(i64),
    #[error(
        "the database does not run with safe settings: {0}. Fix the cause (a file system without shared memory or locking, say), or set database.allow_unsafe = true to run anyway"
    )]
    Unsafe(String),
}

impl From<sqlx::migrate::MigrateError> for OpenError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        match error {
            sqlx::migrate::MigrateError::VersionMissing(version) => OpenError::NewerSchema(version),
            other => OpenError::Migrate(other),
        }
    }
}

#[derive(Clone)]
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    path: PathBuf,
}

pub use backup::{BackupError, Summary as BackupSummary, restore};

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
        if !Path::new(&path).exists() {
            if !options.create {
                return Err(OpenError::Missing(path));
            }
            create_private(&path)?;
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
            .foreign_keys(true)
            // Deleted content is overwritten, not left in free pages (writers' data).
            .pragma("secure_delete", "ON")
            // The schema's functions and views run only as Lysty wrote them.
            .pragma("trusted_schema", "OFF");
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(connect.clone())
            .await?;
        MIGRATOR.run(&write).await?;
        let observed = durability::read_back(&write).await?;
        let problems = durability::check(&observed, options.synchronous);
        if !problems.is_empty() {
            if !options.allow_unsafe {
                write.close().await;
                return Err(OpenError::Unsafe(problems.join("; ")));
            }
            tracing::warn!(problems = %problems.join("; "), "running on unsafe database settings");
        }
        let read = SqlitePoolOptions::new()
            .max_connections(options.max_read_connections.max(1))
            .connect_with(connect.read_only(true))
            .await?;
        Ok(SqliteStore { read, write, path })
    }

    /// The durability settings as the database reports them now.
    pub async fn durability(&self) -> StoreResult<durability::Observed> {
        durability::read_back(&self.write).await.map_err(map_err)
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
        use sqlx::Connection;
        let mut conn = self.write.acquire().await.map_err(map_err)?;
        if conn.is_in_transaction() {
            // A COMMIT that failed (a full disk, an I/O error) is rolled back by SQLite, but
            // sqlx still counts the transaction open and would refuse every later BEGIN: the
            // single writer would stay broken after the disk is freed. Start a new one.
            tracing::warn!("the writer connection was left in a failed transaction; reopening it");
            conn.close().await.ok();
            conn = self.write.acquire().await.map_err(map_err)?;
        }
        Transaction::begin(conn, Some("BEGIN IMMEDIATE".into_sql_str()))
            .await
            .map_err(map_err)
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// A new database file readable by its owner only: it holds writers' names and letters.
/// SQLite gives its `-wal` and `-shm` files the database file's permissions.
fn create_private(path: &Path) -> Result<(), OpenError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map(drop)
        .map_err(|e| OpenError::Create(path.to_owned(), e))
}

fn map_err(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::PoolTimedOut => StoreError::Busy,
        sqlx::Error::Database(db) => {
            // Primary result codes, under the extended ones: SQLITE_BUSY (5) and
            // SQLITE_LOCKED (6) are worth a retry; SQLITE_READONLY (8), SQLITE_IOERR (10) and
            // SQLITE_FULL (13) mean nothing can be stored until an operator acts.
            let primary = db
                .code()
                .and_then(|c| c.parse::<i32>().ok())
                .map(|c| c & 0xff);
            if matches!(primary, Some(5 | 6)) {
                StoreError::Busy
            } else if matches!(primary, Some(8 | 10 | 13)) {
                StoreError::Unavailable(db.message().to_owned())
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

// --- the store's areas run on `lysty_store::sqlx_backend` ---

/// Sqlite for the sqlx adapter shared by both backends.
pub struct SqliteDb;

impl SqlxDb for SqliteDb {
    type Db = Sqlite;

    fn map_err(error: sqlx::Error) -> StoreError {
        map_err(error)
    }

    fn bind<'q>(query: Query<'q, Sqlite>, value: Value<'_>) -> Query<'q, Sqlite> {
        match value {
            Value::Uuid(v) => query.bind(v),
            Value::Text(v) => query.bind(v),
            Value::Int(v) => query.bind(v),
            Value::Bool(v) => query.bind(v),
            Value::Time(v) => query.bind(v),
            Value::Date(v) => query.bind(v),
            Value::Bytes(v) => query.bind(v),
        }
    }

    fn rows_affected(result: &sqlx::sqlite::SqliteQueryResult) -> u64 {
        result.rows_affected()
    }
}

#[async_trait::async_trait]
impl Backend for SqliteStore {
    const NAME: &'static str = "sqlite";
    // The single writer under BEGIN IMMEDIATE already holds off every other writer.
    const LOCK: &'static str = "";
    const LOCK_LETTERS: &'static str = "";
    const HOLD_WRITERS: &'static str = "SELECT 1";
    // AUTOINCREMENT's counter follows explicit ids by itself: no `continue_sequence`.
    const SCHEMA_COLUMNS: &'static str = "SELECT m.name AS table_name, p.name AS column_name, \
         p.type AS column_type FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'";

    fn known_schema(&self) -> i64 {
        MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
    }

    async fn begin_write(&self) -> StoreResult<Box<dyn lysty_store::backend::Transaction>> {
        Ok(Box::new(SqlxTransaction::<SqliteDb>(
            SqliteStore::begin_write(self).await?,
        )))
    }

    async fn read_optional(&self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Option<Row>> {
        sqlx_backend::read_optional::<SqliteDb>(self.reader(), sql, args).await
    }

    async fn read_all(&self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Vec<Row>> {
        sqlx_backend::read_all::<SqliteDb>(self.reader(), sql, args).await
    }
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[tokio::test]
    async fn a_new_database_and_its_wal_are_readable_by_their_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("private.db");
        let url = format!("sqlite://{}", path.display());
        let store = SqliteStore::open(
            &url,
            &SqliteOptions {
                create: true,
                ..SqliteOptions::default()
            },
        )
        .await
        .unwrap();
        use lysty_store::RegistryStore;
        store.list_organisations().await.unwrap();
        for file in [path.clone(), dir.path().join("private.db-wal")] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
        store.close().await;
    }
}
