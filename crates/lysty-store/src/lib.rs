//! Storage traits shaped as Lysty's use cases.
//!
//! Methods are operations (`submit_letters`, `upsert_prisoners`), not table access, so that
//! each backend owns its transactions: `BEGIN IMMEDIATE` and a single writer on SQLite,
//! `ON CONFLICT` and row locks on PostgreSQL. One contract suite (`lysty-store-contract`)
//! runs against every implementation.

mod model;
pub mod rows;
pub mod sql;

pub use model::*;

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

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is, for logs and `/healthz`.
    fn backend(&self) -> &'static str;

    /// Answers only when the database does.
    async fn ping(&self) -> StoreResult<()>;

    // --- registry and campaign ---

    /// Creates the campaign or updates its name; returns its id.
    async fn upsert_campaign(&self, campaign: &NewCampaign) -> StoreResult<CampaignId>;
    async fn campaign_by_slug(&self, slug: &str) -> StoreResult<Option<Campaign>>;
    async fn upsert_organisation(&self, org: &NewOrganisation) -> StoreResult<OrganisationId>;
    async fn list_organisations(&self) -> StoreResult<Vec<Organisation>>;
    async fn upsert_facility(&self, facility: &NewFacility) -> StoreResult<FacilityId>;

    /// Creates or updates prisoners by slug, all in one transaction: all or nothing.
    async fn upsert_prisoners(&self, prisoners: &[NewPrisoner]) -> StoreResult<Vec<PrisonerId>>;
    /// Any prisoner, published or not, with the letters counted for them in `campaign`.
    async fn prisoner_by_slug(
        &self,
        campaign: CampaignId,
        slug: &str,
    ) -> StoreResult<Option<Prisoner>>;
    /// Published prisoners ordered by slug, after `after` (keyset pagination), with the
    /// number of letters counted for each.
    async fn list_prisoners(
        &self,
        campaign: CampaignId,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<PrisonerSummary>>;

    async fn upsert_event(&self, event: &NewEvent) -> StoreResult<EventId>;
    async fn event_by_id(&self, id: EventId) -> StoreResult<Option<Event>>;
    /// Events by start time, newest first, before `before` (keyset pagination).
    async fn list_events(
        &self,
        campaign: CampaignId,
        before: Option<(chrono::DateTime<chrono::Utc>, EventId)>,
        limit: u32,
    ) -> StoreResult<Vec<Event>>;

    // --- letters ---

    /// Commits a group of letters in one transaction (group commit) and answers for each.
    /// A letter whose idempotency key is already known answers with the letter stored
    /// first; a letter to a prisoner who does not take letters is refused alone, without
    /// failing the rest. When this returns `Ok`, every `Created` letter is durable.
    async fn submit_letters(&self, letters: &[NewLetter]) -> StoreResult<Vec<SubmitOutcome>>;

    async fn letter_by_tracking_code(&self, code: &str) -> StoreResult<Option<TrackedLetter>>;

    /// Whether a letter with this id exists (used by the crash test and tools).
    async fn letter_exists(&self, id: LetterId) -> StoreResult<bool>;

    // --- counters ---

    /// Every counter of the campaign, as stored (never computed from letter rows).
    async fn counters(&self, campaign: CampaignId) -> StoreResult<Vec<Counter>>;
}
