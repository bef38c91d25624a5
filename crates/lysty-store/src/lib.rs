//! Storage traits shaped as Lysty's use cases.
//!
//! Methods are operations (`submit_letters`, `upsert_prisoners`), not table access, so that
//! each backend owns its transactions: `BEGIN IMMEDIATE` and a single writer on SQLite,
//! `ON CONFLICT` and row locks on PostgreSQL. One contract suite (`lysty-store-contract`)
//! runs against every implementation.

#[macro_use]
mod model;
pub mod backend;
mod batches;
pub mod copy;
pub mod delivery;
mod events;
mod facilities;
mod history;
mod letters;
mod registry;
mod replies;
mod reports;
mod review;
pub mod rows;
pub mod sql;
pub mod sqlx_backend;
pub mod staff;
mod steps;

pub use backend::Backend;
pub use batches::BatchStore;
pub use delivery::{
    BankEntry, Batch, BatchId, BatchRequest, BuildOutcome, DeliveryLetter, Evidence, Facility,
    FacilityRules, HistoricLetter, HistoricTally, History, HistoryOutcome, HistoryRefusal,
    LetterGroup, MailItem, NewOutcome, NewPlacement, NewReply, OutcomeProblem, PeriodFigures,
    Placement, PlacementId, PlacementOutcome, RecentLetters, Recount, Reply, ReplyId, ReplyOutcome,
    SentOutcome, StoredScan, TallyFigure,
};
pub use events::EventStore;
pub use facilities::FacilityStore;
pub use letters::LetterStore;
pub use lysty_domain::{Channel, HoldReason, Outcome};
pub use model::*;
pub use registry::RegistryStore;
pub use replies::ReplyStore;
pub use reports::ReportStore;
pub use review::{ReviewStore, review_queue_query};
pub use staff::StaffStore;

/// Every area trait, for code that calls the store through a concrete type rather than
/// `dyn Store` (whose supertraits' methods need no import).
pub mod prelude {
    pub use crate::{
        BatchStore, EventStore, FacilityStore, LetterStore, RegistryStore, ReplyStore, ReportStore,
        ReviewStore, StaffStore, Store,
    };
}

#[doc(hidden)]
pub use futures;
#[doc(hidden)]
pub use lysty_domain;

use async_trait::async_trait;

/// What can go wrong in storage, shaped for callers: `NotFound` and `Conflict` are answers,
/// `Busy` is worth retrying, `Other` is a fault to log.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("the database is busy")]
    Busy,
    /// The database cannot store anything (disk full, read-only, I/O failure): the
    /// transaction was rolled back; answer 503 until an operator frees it.
    #[error("{UNAVAILABLE}: {0}")]
    Unavailable(String),
    #[error("storage failure: {0}")]
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    pub fn other(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        StoreError::Other(Box::new(error))
    }

    pub fn message(message: impl Into<String>) -> Self {
        StoreError::Other(message.into().into())
    }
}

/// How [`StoreError::Unavailable`] begins when written out: the request path receives
/// causes as text from a dozen error types wrapping the store's, and recognises it by this.
pub const UNAVAILABLE: &str = "the database cannot store anything now";

impl StoreError {
    /// Whether an error written out (perhaps wrapped) is [`StoreError::Unavailable`].
    pub fn is_unavailable_text(cause: &str) -> bool {
        cause.contains(UNAVAILABLE)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait Store:
    RegistryStore
    + EventStore
    + LetterStore
    + ReviewStore
    + StaffStore
    + FacilityStore
    + BatchStore
    + ReplyStore
    + ReportStore
    + Send
    + Sync
    + 'static
{
    /// Which backend this is, for logs and `/healthz`.
    fn backend(&self) -> &'static str;
    /// Answers only when the database does.
    async fn ping(&self) -> StoreResult<()>;
    /// The latest migration applied to the database, and the latest this build carries:
    /// they differ when another instance of another version migrated it.
    async fn schema(&self) -> StoreResult<(i64, i64)>;
}

#[async_trait]
impl<B: Backend> Store for B {
    fn backend(&self) -> &'static str {
        B::NAME
    }

    #[tracing::instrument(skip_all)]
    async fn ping(&self) -> StoreResult<()> {
        self.read_optional("SELECT 1".into(), &[]).await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn schema(&self) -> StoreResult<(i64, i64)> {
        let applied: Option<i64> = backend::scalar(
            self.read_one(
                "SELECT MAX(version) FROM _sqlx_migrations WHERE success = $1".into(),
                &[&true],
            )
            .await,
        )?;
        Ok((applied.unwrap_or(0), self.known_schema()))
    }
}
