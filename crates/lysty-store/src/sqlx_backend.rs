//! The [`Backend`](crate::Backend) port over sqlx, written once for SQLite and PostgreSQL:
//! binding [`Value`]s, running a statement in a transaction or on the read pool, and reading
//! rows by column name. Each backend crate supplies only its database type, its error
//! mapping and its lock clauses.
//!
//! The sqlx bounds live here, in a few `where` clauses, instead of at every statement of
//! the store.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row as _;
use sqlx::{AssertSqlSafe, ColumnIndex, Database, Decode, Executor, IntoArguments, Pool, Type};
use uuid::Uuid;

use crate::backend::{Param, Row, Sql, Transaction, Value};
use crate::rows::RowAccess;
use crate::{StoreError, StoreResult};

/// A sqlx database: how its errors read as [`StoreError`]s and how it binds a [`Value`]
/// (a match each backend writes for its own types, which keeps the encoding bounds out of
/// the generic code below).
///
/// Implemented by a marker type of the backend crate (the orphan rule keeps it off sqlx's own
/// database types).
pub trait SqlxDb: Send + Sync + 'static {
    type Db: Database;
    fn map_err(error: sqlx::Error) -> StoreError;
    fn bind<'q>(query: Query<'q, Self::Db>, value: Value<'_>) -> Query<'q, Self::Db>;
    fn rows_affected(result: &<Self::Db as Database>::QueryResult) -> u64;
}

pub type Query<'q, DB> = sqlx::query::Query<'q, DB, <DB as Database>::Arguments>;

fn query<D: SqlxDb>(sql: Sql, args: &[&dyn Param]) -> Query<'static, D::Db> {
    args.iter().fold(sqlx::query(AssertSqlSafe(sql)), |q, arg| {
        D::bind(q, arg.value())
    })
}

/// Reads on the pool: the read side of a backend.
pub async fn read_optional<D>(
    pool: &Pool<D::Db>,
    sql: Sql,
    args: &[&dyn Param],
) -> StoreResult<Option<Row>>
where
    D: SqlxDb,
    for<'c> &'c mut <D::Db as Database>::Connection: Executor<'c, Database = D::Db>,
    <D::Db as Database>::Arguments: IntoArguments<D::Db>,
    SqlxRow<D>: RowAccess,
{
    let row = query::<D>(sql, args)
        .fetch_optional(pool)
        .await
        .map_err(D::map_err)?;
    Ok(row.map(|r| Box::new(SqlxRow::<D>::new(r)) as Row))
}

pub async fn read_all<D>(pool: &Pool<D::Db>, sql: Sql, args: &[&dyn Param]) -> StoreResult<Vec<Row>>
where
    D: SqlxDb,
    for<'c> &'c mut <D::Db as Database>::Connection: Executor<'c, Database = D::Db>,
    <D::Db as Database>::Arguments: IntoArguments<D::Db>,
    SqlxRow<D>: RowAccess,
{
    let rows = query::<D>(sql, args)
        .fetch_all(pool)
        .await
        .map_err(D::map_err)?;
    Ok(rows
        .into_iter()
        .map(|r| Box::new(SqlxRow::<D>::new(r)) as Row)
        .collect())
}

/// A write transaction of a sqlx database.
pub struct SqlxTransaction<D: SqlxDb>(pub sqlx::Transaction<'static, D::Db>);

#[async_trait]
impl<D> Transaction for SqlxTransaction<D>
where
    D: SqlxDb,
    for<'c> &'c mut <D::Db as Database>::Connection: Executor<'c, Database = D::Db>,
    <D::Db as Database>::Arguments: IntoArguments<D::Db>,
    SqlxRow<D>: RowAccess,
{
    async fn execute(&mut self, sql: Sql, args: &[&dyn Param]) -> StoreResult<u64> {
        let done = query::<D>(sql, args)
            .execute(&mut *self.0)
            .await
            .map_err(D::map_err)?;
        Ok(D::rows_affected(&done))
    }

    async fn fetch_optional(&mut self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Option<Row>> {
        let row = query::<D>(sql, args)
            .fetch_optional(&mut *self.0)
            .await
            .map_err(D::map_err)?;
        Ok(row.map(|r| Box::new(SqlxRow::<D>::new(r)) as Row))
    }

    async fn fetch_all(&mut self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Vec<Row>> {
        let rows = query::<D>(sql, args)
            .fetch_all(&mut *self.0)
            .await
            .map_err(D::map_err)?;
        Ok(rows
            .into_iter()
            .map(|r| Box::new(SqlxRow::<D>::new(r)) as Row)
            .collect())
    }

    async fn for_each_row(
        &mut self,
        sql: Sql,
        args: &[&dyn Param],
        each: &mut (dyn for<'r> FnMut(&'r Row) -> StoreResult<()> + Send),
    ) -> StoreResult<()> {
        use futures::TryStreamExt;
        let mut rows = query::<D>(sql, args).fetch(&mut *self.0);
        while let Some(row) = rows.try_next().await.map_err(D::map_err)? {
            let row: Row = Box::new(SqlxRow::<D>::new(row));
            each(&row)?;
        }
        Ok(())
    }

    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.0.commit().await.map_err(D::map_err)
    }
}

/// A row kept after its query, read by column name.
pub struct SqlxRow<D: SqlxDb>(<D::Db as Database>::Row);

impl<D: SqlxDb> SqlxRow<D> {
    pub fn new(row: <D::Db as Database>::Row) -> Self {
        SqlxRow(row)
    }
}

impl<D> RowAccess for SqlxRow<D>
where
    D: SqlxDb,
    for<'a> &'a str: ColumnIndex<<D::Db as Database>::Row>,
    for<'r> String: Decode<'r, D::Db> + Type<D::Db>,
    for<'r> Uuid: Decode<'r, D::Db> + Type<D::Db>,
    for<'r> DateTime<Utc>: Decode<'r, D::Db> + Type<D::Db>,
    for<'r> i64: Decode<'r, D::Db> + Type<D::Db>,
    for<'r> i32: Decode<'r, D::Db> + Type<D::Db>,
    for<'r> bool: Decode<'r, D::Db> + Type<D::Db>,
    for<'r> Vec<u8>: Decode<'r, D::Db> + Type<D::Db>,
{
    fn text(&self, column: &str) -> StoreResult<String> {
        self.0.try_get(column).map_err(D::map_err)
    }
    fn opt_text(&self, column: &str) -> StoreResult<Option<String>> {
        self.0.try_get(column).map_err(D::map_err)
    }
    fn uuid(&self, column: &str) -> StoreResult<Uuid> {
        self.0.try_get(column).map_err(D::map_err)
    }
    fn opt_uuid(&self, column: &str) -> StoreResult<Option<Uuid>> {
        self.0.try_get(column).map_err(D::map_err)
    }
    fn time(&self, column: &str) -> StoreResult<DateTime<Utc>> {
        self.0.try_get(column).map_err(D::map_err)
    }
    fn int(&self, column: &str) -> StoreResult<i64> {
        self.opt_int(column)?
            .ok_or_else(|| StoreError::message(format!("column {column} is NULL")))
    }
    fn opt_int(&self, column: &str) -> StoreResult<Option<i64>> {
        // INTEGER columns decode as i32 on PostgreSQL, BIGINT as i64.
        match self.0.try_get::<Option<i64>, _>(column) {
            Ok(value) => Ok(value),
            Err(_) => self
                .0
                .try_get::<Option<i32>, _>(column)
                .map(|v| v.map(i64::from))
                .map_err(D::map_err),
        }
    }
    fn boolean(&self, column: &str) -> StoreResult<bool> {
        self.0.try_get(column).map_err(D::map_err)
    }
    fn opt_time(&self, column: &str) -> StoreResult<Option<DateTime<Utc>>> {
        self.0.try_get(column).map_err(D::map_err)
    }
    fn opt_bytes(&self, column: &str) -> StoreResult<Option<Vec<u8>>> {
        self.0.try_get(column).map_err(D::map_err)
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
