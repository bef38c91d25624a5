//! Lysty's storage on PostgreSQL: the scale-out backend.
//!
//! Any number of `lysty serve` instances may share one database. Nothing here keeps state
//! in memory: idempotency is decided by `ON CONFLICT` on a unique key, counters are
//! incremented in the letters' own transaction with keys taken in sorted order (so two
//! writers never deadlock on them), rows about to change are read `FOR UPDATE`, and every
//! transaction is short.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{AssertSqlSafe, Postgres, Row, Transaction};
use uuid::Uuid;

use lysty_store::rows::RowAccess;
use lysty_store::{StoreError, StoreResult};

/// How the database is opened.
#[derive(Debug, Clone)]
pub struct PgOptions {
    pub max_connections: u32,
}

impl Default for PgOptions {
    fn default() -> Self {
        PgOptions {
            max_connections: 16,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot connect to PostgreSQL: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
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

lysty_store::sql_store!(PgStore, ::sqlx::Postgres, "postgres", " FOR UPDATE");
lysty_store::sql_delivery_store!(
    PgStore,
    ::sqlx::Postgres,
    " FOR UPDATE",
    " FOR UPDATE OF l",
    "LOCK TABLE letters, tallies, counters IN EXCLUSIVE MODE"
);

/// Column access for PostgreSQL rows, for the shared mapping in `lysty_store::rows`.
struct Access<'r>(&'r PgRow);

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
        // INTEGER columns decode as i32 on PostgreSQL, BIGINT as i64.
        match self.0.try_get::<Option<i64>, _>(column) {
            Ok(value) => Ok(value),
            Err(_) => self
                .0
                .try_get::<Option<i32>, _>(column)
                .map(|v| v.map(i64::from))
                .map_err(map_err),
        }
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
}
