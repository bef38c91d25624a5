//! What a database backend gives the store: a way to run a statement with parameters, in a
//! write transaction or on the read pool, and rows read through [`RowAccess`]. The store's
//! code is written once over [`Backend`], in plain Rust that this crate compiles, formats and
//! checks itself; each backend crate (`lysty-store-sqlite`, `lysty-store-postgres`) implements
//! the handful of methods below for its own sqlx types.
//!
//! Why not generic over `sqlx::Database`: a function generic over the database needs a bound
//! for every type it binds or decodes and for the executor of every connection type, and
//! those bounds are not implied, so they would be repeated at every impl and bury the SQL.
//! Parameters are [`Value`]s instead, a closed list of the column types the schema uses.
//!

use std::borrow::Cow;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::StoreResult;
use crate::rows::RowAccess;

/// SQL text: a `&'static str` constant from `sql.rs` costs nothing, a string built at run
/// time (a filter's `WHERE`) is owned.
pub type Sql = Cow<'static, str>;

/// One row, read by column name.
pub type Row = Box<dyn RowAccess + Send + Sync>;

/// A statement parameter, typed so that a NULL has the column's type on PostgreSQL.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Uuid(Option<Uuid>),
    Text(Option<&'a str>),
    Int(Option<i64>),
    Bool(Option<bool>),
    Time(Option<DateTime<Utc>>),
    Date(Option<NaiveDate>),
    Bytes(Option<&'a [u8]>),
}

/// Anything that binds as one parameter: `&id.0`, `&name`, `&Some(at)`.
pub trait Param: Sync {
    fn value(&self) -> Value<'_>;
}

macro_rules! param {
    ($($ty:ty => $variant:ident($v:ident) $e:expr;)+) => {
        $(
            impl Param for $ty {
                fn value(&self) -> Value<'_> {
                    let $v = self;
                    Value::$variant(Some($e))
                }
            }
            impl Param for Option<$ty> {
                fn value(&self) -> Value<'_> {
                    Value::$variant(self.as_ref().map(|$v| $e))
                }
            }
        )+
    };
}

param! {
    Uuid => Uuid(v) *v;
    String => Text(v) v.as_str();
    i64 => Int(v) *v;
    i32 => Int(v) i64::from(*v);
    bool => Bool(v) *v;
    DateTime<Utc> => Time(v) *v;
    NaiveDate => Date(v) *v;
    Vec<u8> => Bytes(v) v.as_slice();
}

impl Param for str {
    fn value(&self) -> Value<'_> {
        Value::Text(Some(self))
    }
}

impl Param for [u8] {
    fn value(&self) -> Value<'_> {
        Value::Bytes(Some(self))
    }
}

impl Param for Option<&str> {
    fn value(&self) -> Value<'_> {
        Value::Text(*self)
    }
}

impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

/// A parameter owned by a query built at run time (a filter's conditions).
#[derive(Debug, Clone)]
pub enum Bind {
    Text(String),
    Uuid(Uuid),
    Int(i64),
}

impl Param for Bind {
    fn value(&self) -> Value<'_> {
        match self {
            Bind::Text(v) => Value::Text(Some(v)),
            Bind::Uuid(v) => Value::Uuid(Some(*v)),
            Bind::Int(v) => Value::Int(Some(*v)),
        }
    }
}

impl Param for Option<&[u8]> {
    fn value(&self) -> Value<'_> {
        Value::Bytes(*self)
    }
}

/// A value read from a row's column, for one-column queries (`RETURNING id`, `COUNT(*)`).
pub trait FromColumn: Sized {
    fn from_column(row: &Row, column: &str) -> StoreResult<Self>;
}

macro_rules! from_column {
    ($($ty:ty => $method:ident;)+) => {
        $(
            impl FromColumn for $ty {
                fn from_column(row: &Row, column: &str) -> StoreResult<Self> {
                    row.$method(column)
                }
            }
        )+
    };
}

from_column! {
    Uuid => uuid;
    Option<Uuid> => opt_uuid;
    i64 => int;
    Option<i64> => opt_int;
    String => text;
    Option<String> => opt_text;
    bool => boolean;
    DateTime<Utc> => time;
    Option<DateTime<Utc>> => opt_time;
}

/// The first column of the row a one-column query returned.
pub fn scalar<T: FromColumn>(row: StoreResult<Row>) -> StoreResult<T> {
    let row = row?;
    let column = row.first_column()?;
    T::from_column(&row, &column)
}

/// The first column of every row.
pub fn scalars<T: FromColumn>(rows: StoreResult<Vec<Row>>) -> StoreResult<Vec<T>> {
    rows?
        .iter()
        .map(|row| {
            let column = row.first_column()?;
            T::from_column(row, &column)
        })
        .collect()
}

/// The first column of the row, if the query returned one.
pub fn scalar_opt<T: FromColumn>(row: StoreResult<Option<Row>>) -> StoreResult<Option<T>> {
    match row? {
        Some(row) => {
            let column = row.first_column()?;
            T::from_column(&row, &column).map(Some)
        }
        None => Ok(None),
    }
}

/// A write transaction, as a backend opens it (`BEGIN IMMEDIATE` on the single SQLite
/// writer, an ordinary transaction on PostgreSQL). Dropped without `commit`, it rolls back.
#[async_trait]
pub trait Transaction: Send {
    /// Runs a statement; the number of rows it changed.
    async fn execute(&mut self, sql: Sql, args: &[&dyn Param]) -> StoreResult<u64>;
    async fn fetch_optional(&mut self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Option<Row>>;
    async fn fetch_all(&mut self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Vec<Row>>;
    /// Reads the rows one at a time, without holding them all (a recount of every letter).
    async fn for_each_row(
        &mut self,
        sql: Sql,
        args: &[&dyn Param],
        each: &mut (dyn for<'r> FnMut(&'r Row) -> StoreResult<()> + Send),
    ) -> StoreResult<()>;
    /// Exactly one row; none is `NotFound`.
    async fn fetch_one(&mut self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Row> {
        self.fetch_optional(sql, args)
            .await?
            .ok_or(crate::StoreError::NotFound)
    }
    async fn commit(self: Box<Self>) -> StoreResult<()>;
}

/// A database the store's areas run on.
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    /// The name `Store::backend` reports.
    const NAME: &'static str;
    /// Appended to a `SELECT` of rows about to change: `" FOR UPDATE"` on PostgreSQL,
    /// nothing on SQLite, whose single writer already excludes every other.
    const LOCK: &'static str;
    /// Locks the letter rows of a joined read: `" FOR UPDATE OF l"` on PostgreSQL.
    const LOCK_LETTERS: &'static str;
    /// Holds off every writer of letters, tallies and counters for a recount.
    const HOLD_WRITERS: &'static str;

    /// Every column of the schema's tables, as rows of `table_name`, `column_name` and
    /// `column_type` (the declared type); `lysty db copy` checks them against its list.
    const SCHEMA_COLUMNS: &'static str;

    /// The latest migration this build carries.
    fn known_schema(&self) -> i64;

    /// Appended to a `SELECT` of work to claim (emails due), so that instances sharing the
    /// database each take different rows: `" FOR UPDATE OF {alias} SKIP LOCKED"` on
    /// PostgreSQL, nothing on SQLite, whose single writer already takes turns.
    fn claim_clause(&self, _alias: &str) -> String {
        String::new()
    }

    /// After rows were written with explicit values in a column the database numbers by
    /// itself: a statement that makes its numbering continue after them, where one is needed.
    fn continue_sequence(&self, _table: &str, _column: &str) -> Option<String> {
        None
    }

    async fn begin_write(&self) -> StoreResult<Box<dyn Transaction>>;
    /// Reads on the read pool.
    async fn read_optional(&self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Option<Row>>;
    async fn read_all(&self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Vec<Row>>;
    /// Exactly one row; none is `NotFound`.
    async fn read_one(&self, sql: Sql, args: &[&dyn Param]) -> StoreResult<Row> {
        self.read_optional(sql, args)
            .await?
            .ok_or(crate::StoreError::NotFound)
    }
}

/// Delegation, so that the row mapping written over `&impl RowAccess` takes a [`Row`].
impl RowAccess for Row {
    fn text(&self, column: &str) -> StoreResult<String> {
        (**self).text(column)
    }
    fn opt_text(&self, column: &str) -> StoreResult<Option<String>> {
        (**self).opt_text(column)
    }
    fn uuid(&self, column: &str) -> StoreResult<Uuid> {
        (**self).uuid(column)
    }
    fn opt_uuid(&self, column: &str) -> StoreResult<Option<Uuid>> {
        (**self).opt_uuid(column)
    }
    fn time(&self, column: &str) -> StoreResult<DateTime<Utc>> {
        (**self).time(column)
    }
    fn int(&self, column: &str) -> StoreResult<i64> {
        (**self).int(column)
    }
    fn opt_int(&self, column: &str) -> StoreResult<Option<i64>> {
        (**self).opt_int(column)
    }
    fn boolean(&self, column: &str) -> StoreResult<bool> {
        (**self).boolean(column)
    }
    fn opt_time(&self, column: &str) -> StoreResult<Option<DateTime<Utc>>> {
        (**self).opt_time(column)
    }
    fn opt_bytes(&self, column: &str) -> StoreResult<Option<Vec<u8>>> {
        (**self).opt_bytes(column)
    }
    fn first_column(&self) -> StoreResult<String> {
        (**self).first_column()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_keep_their_type_when_null() {
        let none: Option<Uuid> = None;
        assert!(matches!(none.value(), Value::Uuid(None)));
        let text: Option<String> = None;
        assert!(matches!(text.value(), Value::Text(None)));
        assert!(matches!("x".value(), Value::Text(Some("x"))));
        assert!(matches!(7_i32.value(), Value::Int(Some(7))));
        let name = String::from("n");
        let borrowed: &String = &name;
        assert!(matches!(borrowed.value(), Value::Text(Some("n"))));
    }
}
