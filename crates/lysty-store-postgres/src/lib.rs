//! Lysty's storage on PostgreSQL: the scale-out backend.
//!
//! Any number of `lysty serve` instances may share one database. Nothing here keeps state
//! in memory: idempotency is decided by `ON CONFLICT` on a unique key, counters are
//! incremented in the letters' own transaction with keys taken in sorted order (so two
//! writers never deadlock on them), rows about to change are read `FOR UPDATE`, and every
//! transaction is short.

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, Postgres, Transaction};

use lysty_store::backend::{Param, Row, Sql, Value};
use lysty_store::sqlx_backend::{self, Query, SqlxDb, SqlxTransaction};
use lysty_store::{Backend, StoreError, StoreResult};

/// How the database is opened.
#[derive(Debug, Clone)]
pub struct PgOptions {
    pub max_connections: u32,
    /// Open even when the server runs with `fsync`, `synchronous_commit` or
    /// `full_page_writes` off. Off: such a server is refused with the reason.
    pub allow_unsafe: bool,
}

impl Default for PgOptions {
    fn default() -> Self {
        PgOptions {
            max_connections: 16,
            allow_unsafe: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot connect to PostgreSQL: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(sqlx::migrate::MigrateError),
    #[error(
        "this database was migrated by a newer Lysty (it has migration {0}, which this version does not know); run that version or a newer one"
    )]
    NewerSchema(i64),
    #[error(
        "PostgreSQL does not run with safe settings: {0}. An acknowledged letter could be lost in a crash; fix the server's settings, or set database.allow_unsafe = true to run anyway"
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

/// The settings an acknowledged letter's durability rests on, as the server reports them
/// for Lysty's connections, with what is unsafe about them in words.
pub async fn durability_problems(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    let mut problems = Vec::new();
    for (setting, why) in [
        ("fsync", "commits would not reach the disk"),
        (
            "synchronous_commit",
            "a commit would be acknowledged before it is durable",
        ),
        ("full_page_writes", "a crash could leave torn pages behind"),
    ] {
        let value: String = sqlx::query_scalar(AssertSqlSafe(format!("SHOW {setting}")))
            .fetch_one(pool)
            .await?;
        if value == "off" {
            problems.push(format!("{setting} is off ({why})"));
        }
    }
    Ok(problems)
}

#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").finish_non_exhaustive()
    }
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl PgStore {
    /// Connects and applies pending migrations. PostgreSQL never creates a database by
    /// itself, so a mistyped URL fails here instead of starting an empty campaign.
    pub async fn open(url: &str, options: &PgOptions) -> Result<Self, OpenError> {
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(2))
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        let problems = durability_problems(&pool).await?;
        if !problems.is_empty() {
            if !options.allow_unsafe {
                pool.close().await;
                return Err(OpenError::Unsafe(problems.join("; ")));
            }
            tracing::warn!(problems = %problems.join("; "), "running on unsafe database settings");
        }
        // sqlx takes an advisory lock around the migrations: instances that start
        // together apply each migration once.
        MIGRATOR.run(&pool).await?;
        Ok(PgStore { pool })
    }

    /// Applies pending migrations only; used by `lysty migrate`.
    pub async fn migrate(&self) -> Result<(), OpenError> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    async fn begin_write(&self) -> StoreResult<Transaction<'static, Postgres>> {
        self.pool.begin().await.map_err(map_err)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Creates a new, empty database next to the one `admin_url` names and returns its URL:
/// each test (and `lysty db copy` targets) gets a database of its own.
pub async fn create_database(admin_url: &str, name: &str) -> Result<String, OpenError> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    let quoted = format!("\"{}\"", name.replace('"', ""));
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {quoted}")))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    let base = admin_url.split('?').next().unwrap_or(admin_url);
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    Ok(format!("{base}/{name}"))
}

fn map_err(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::PoolTimedOut => StoreError::Busy,
        sqlx::Error::Database(db) => {
            // serialization failure, deadlock, lock not available: worth a retry.
            let busy = db
                .code()
                .is_some_and(|c| matches!(c.as_ref(), "40001" | "40P01" | "55P03"));
            // insufficient resources (53xxx: disk full, out of memory), a read-only
            // transaction or server, a server starting or shutting down.
            let unavailable = db.code().is_some_and(|c| {
                c.starts_with("53") || matches!(c.as_ref(), "25006" | "57P01" | "57P03")
            });
            if busy {
                StoreError::Busy
            } else if unavailable {
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

// --- the store's areas run on `lysty_store::sqlx_backend` ---

/// Postgres for the sqlx adapter shared by both backends.
pub struct PgDb;

impl SqlxDb for PgDb {
    type Db = Postgres;

    fn map_err(error: sqlx::Error) -> StoreError {
        map_err(error)
    }

    fn bind<'q>(query: Query<'q, Postgres>, value: Value<'_>) -> Query<'q, Postgres> {
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

    fn rows_affected(result: &sqlx::postgres::PgQueryResult) -> u64 {
        result.rows_affected()
    }
}

#[async_trait::async_trait]
impl Backend for PgStore {
    const NAME: &'static str = "postgres";
    // Rows about to change are locked against the other instances' transactions.
    const LOCK: &'static str = " FOR UPDATE";
    const LOCK_LETTERS: &'static str = " FOR UPDATE OF l";
    const HOLD_WRITERS: &'static str = "LOCK TABLE letters, tallies, counters IN EXCLUSIVE MODE";
    const SCHEMA_COLUMNS: &'static str = "SELECT table_name::text AS table_name, \
         column_name::text AS column_name, data_type::text AS column_type \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'";

    fn claim_clause(&self, alias: &str) -> String {
        format!(" FOR UPDATE OF {alias} SKIP LOCKED")
    }

    fn continue_sequence(&self, table: &str, column: &str) -> Option<String> {
        Some(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
             COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
        ))
    }

    fn known_schema(&self) -> i64 {
        MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
    }

    async fn begin_write(&self) -> StoreResult<Box<dyn lysty_store::backend::Transaction>> {
        Ok(Box::new(SqlxTransaction::<PgDb>(
            PgStore::begin_write(self).await?,
        )))
    }

    async fn read_optional(&self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Option<Row>> {
        sqlx_backend::read_optional::<PgDb>(self.reader(), sql, args).await
    }

    async fn read_all(&self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Vec<Row>> {
        sqlx_backend::read_all::<PgDb>(self.reader(), sql, args).await
    }
}
