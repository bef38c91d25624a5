//! Storage traits shaped as Lysty's use cases.
//!
//! Methods are operations (`submit_letters`, `upsert_prisoners`), not table access, so that
//! each backend owns its transactions: `BEGIN IMMEDIATE` and a single writer on SQLite,
//! `ON CONFLICT` and row locks on PostgreSQL. One contract suite (`lysty-store-contract`)
//! runs against every implementation.

#[macro_use]
mod model;
pub mod backend;
pub mod delivery;
mod delivery_impl;
pub mod rows;
pub mod sql;
pub mod staff;
mod store_impl;

pub use backend::Backend;
pub use delivery::{
    BankEntry, Batch, BatchId, BatchRequest, BuildOutcome, DeliveryLetter, DeliveryStore, Doer,
    Evidence, Facility, FacilityRules, HistoricLetter, HistoricTally, History, HistoryOutcome,
    HistoryRefusal, LetterGroup, MailItem, NewOutcome, NewPlacement, NewReply, OutcomeProblem,
    PeriodFigures, Placement, PlacementId, PlacementOutcome, RecentLetters, Recount, Reply,
    ReplyId, ReplyOutcome, SentOutcome, StoredScan, TallyFigure,
};
pub use lysty_domain::{Channel, HoldReason, Outcome};
pub use model::*;
pub use staff::StaffStore;

#[doc(hidden)]
pub use futures;
#[doc(hidden)]
pub use lysty_domain;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

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
pub trait Store: StaffStore + DeliveryStore + Send + Sync + 'static {
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

    /// Sets (or with `None`, clears) the event's kiosk token; `revoked_at` closes it.
    async fn set_kiosk(
        &self,
        event: EventId,
        token: Option<&str>,
        revoked_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;
    async fn event_by_kiosk_token(&self, token: &str) -> StoreResult<Option<Event>>;
    /// The events of a series, by start time.
    async fn events_in_series(&self, campaign: CampaignId, series: &str)
    -> StoreResult<Vec<Event>>;
    /// Counts paper letters at an event: in every total, marked as tallied.
    async fn record_tally(
        &self,
        campaign: CampaignId,
        tally: &NewTally,
    ) -> StoreResult<TallyOutcome>;

    /// Enters a paper letter with its pages in one transaction. It replaces one tallied
    /// letter of the same event (for the same prisoner, or else an unassigned one) when
    /// there is one, so that nothing is counted twice.
    async fn enter_paper_letter(&self, letter: &NewPaperLetter) -> StoreResult<PaperOutcome>;
    /// How many pages a letter has.
    async fn count_pages(&self, id: LetterId) -> StoreResult<i64>;
    /// One page (from 1) of a letter.
    async fn letter_page(&self, id: LetterId, position: i64) -> StoreResult<Option<StoredPage>>;

    // --- letters ---

    /// Commits a group of letters in one transaction (group commit) and answers for each.
    /// A letter whose idempotency key is already known answers with the letter stored
    /// first; a letter to a prisoner who does not take letters is refused alone, without
    /// failing the rest. When this returns `Ok`, every `Created` letter is durable.
    async fn submit_letters(&self, letters: &[NewLetter]) -> StoreResult<Vec<SubmitOutcome>>;

    async fn letter_by_tracking_code(&self, code: &str) -> StoreResult<Option<TrackedLetter>>;

    /// Whether a letter with this id exists (used by the crash test and tools).
    async fn letter_exists(&self, id: LetterId) -> StoreResult<bool>;

    /// One page of the campaign's letters for an export, by id after `after` (keyset), at
    /// most `limit`, leaving out the letters of demo events. The writer's name, sealed
    /// email and the text are read only when `personal`; the tracking code never is.
    async fn export_letters(
        &self,
        campaign: CampaignId,
        after: Option<LetterId>,
        limit: u32,
        personal: bool,
    ) -> StoreResult<Vec<ExportLetter>>;

    // --- audit ---

    async fn append_audit(&self, entry: &NewAudit) -> StoreResult<()>;
    /// Newest first.
    async fn list_audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>>;

    // --- lexicon ---

    async fn list_lexicon(&self) -> StoreResult<Vec<LexiconTerm>>;
    /// Adds a term and returns its id; adding it again changes nothing.
    async fn add_lexicon(
        &self,
        term: &str,
        language: &str,
        category: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Uuid>;
    /// Removes a term and returns it, or `None` when there was no such term.
    async fn remove_lexicon(&self, id: Uuid) -> StoreResult<Option<LexiconTerm>>;

    // --- review ---

    /// Letters in the filter's states, oldest first, after `filter.after`.
    async fn review_queue(
        &self,
        campaign: CampaignId,
        filter: &ReviewFilter,
    ) -> StoreResult<Vec<ReviewLetter>>;
    async fn review_letter(&self, id: LetterId) -> StoreResult<Option<ReviewLetter>>;
    /// Claims a letter for `staff` until `until`, unless someone else holds a live claim.
    /// A `received` letter moves to `in_review` (with its transition row).
    async fn claim_letter(
        &self,
        id: LetterId,
        staff: StaffId,
        org: OrganisationId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<ClaimOutcome>;
    /// Applies one review step, checking the state it starts from and the claim.
    async fn review_step(&self, step: &ReviewStep) -> StoreResult<StepOutcome>;
    async fn set_letter_flags(&self, id: LetterId, flags: &FlagsUpdate) -> StoreResult<()>;
    /// How many letters have this fingerprint.
    async fn count_fingerprint(&self, fingerprint: &str) -> StoreResult<i64>;
    async fn letter_versions(&self, id: LetterId) -> StoreResult<Vec<LetterVersion>>;
    async fn letter_transitions(&self, id: LetterId) -> StoreResult<Vec<TransitionRow>>;

    // --- counters ---

    /// Every counter of the campaign, as stored (never computed from letter rows).
    async fn counters(&self, campaign: CampaignId) -> StoreResult<Vec<Counter>>;
}
