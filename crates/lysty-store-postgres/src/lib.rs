//! Lysty's storage on PostgreSQL: the scale-out backend.
//!
//! Any number of `lysty serve` instances may share one database. Nothing here keeps state
//! in memory: idempotency is decided by `ON CONFLICT` on a unique key, counters are
//! incremented in the letters' own transaction with keys taken in sorted order (so two
//! writers never deadlock on them), rows about to change are read `FOR UPDATE`, and every
//! transaction is short.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::postgres::{PgArguments, PgPool, PgPoolOptions, PgRow};
use sqlx::query::Query;
use sqlx::{AssertSqlSafe, Postgres, Row, Transaction};
use uuid::Uuid;

use lysty_store::backend::{Param, Row as StoredRow, Sql, Value};
use lysty_store::rows::RowAccess;
use lysty_store::{Backend, StoreError, StoreResult};

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
impl Backend for PgStore {
    const NAME: &'static str = "postgres";
    // Rows about to change are locked against the other instances' transactions.
    const LOCK_LETTERS: &'static str = " FOR UPDATE OF l";
    const HOLD_WRITERS: &'static str = "LOCK TABLE letters, tallies, counters IN EXCLUSIVE MODE";
    const LOCK: &'static str = " FOR UPDATE";

    async fn begin_write(&self) -> StoreResult<Box<dyn lysty_store::backend::Transaction>> {
        Ok(Box::new(WriteTx(PgStore::begin_write(self).await?)))
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

struct WriteTx(Transaction<'static, Postgres>);

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
    mut query: Query<'q, Postgres, PgArguments>,
    args: &[&'q dyn Param],
) -> Query<'q, Postgres, PgArguments> {
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
struct OwnedRow(PgRow);

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
