//! Lysty's storage on SQLite: the embedded default.
//!
//! Every connection runs in WAL mode with `busy_timeout`, `foreign_keys=ON` and, unless the
//! operator chooses otherwise, `synchronous=FULL`, so that a committed letter survives a
//! power cut. Writes go through a pool of exactly one connection and open with
//! `BEGIN IMMEDIATE`: SQLite has one writer, and taking the write lock up front means a
//! transaction never fails half-way on a lock upgrade. Reads use their own pool.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Row, Sqlite, Transaction};
use uuid::Uuid;

use lysty_domain::counter::keys_for_new_letter;
use lysty_store::rows::*;
use lysty_store::sql;
use lysty_store::*;

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

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.read)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn upsert_campaign(&self, c: &NewCampaign) -> StoreResult<CampaignId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = sqlx::query_scalar(sql::UPSERT_CAMPAIGN)
            .bind(Uuid::now_v7())
            .bind(&c.slug)
            .bind(&c.name_uk)
            .bind(&c.name_en)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(CampaignId(id))
    }

    async fn campaign_by_slug(&self, slug: &str) -> StoreResult<Option<Campaign>> {
        let row = sqlx::query(sql::CAMPAIGN_BY_SLUG)
            .bind(slug)
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?;
        row.map(|r| campaign_from(&Access(&r))).transpose()
    }

    async fn upsert_organisation(&self, o: &NewOrganisation) -> StoreResult<OrganisationId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = sqlx::query_scalar(sql::UPSERT_ORGANISATION)
            .bind(Uuid::now_v7())
            .bind(&o.slug)
            .bind(&o.name_uk)
            .bind(&o.name_en)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(OrganisationId(id))
    }

    async fn list_organisations(&self) -> StoreResult<Vec<Organisation>> {
        let rows = sqlx::query(sql::LIST_ORGANISATIONS)
            .fetch_all(&self.read)
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| organisation_from(&Access(r))).collect()
    }

    async fn upsert_facility(&self, f: &NewFacility) -> StoreResult<FacilityId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = sqlx::query_scalar(sql::UPSERT_FACILITY)
            .bind(Uuid::now_v7())
            .bind(&f.slug)
            .bind(&f.name_ru)
            .bind(&f.name_en)
            .bind(&f.region)
            .bind(&f.address_ru)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(FacilityId(id))
    }

    async fn upsert_prisoners(&self, prisoners: &[NewPrisoner]) -> StoreResult<Vec<PrisonerId>> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(prisoners.len());
        let now = Utc::now();
        for p in prisoners {
            let facility: Option<Uuid> = match &p.facility {
                Some(slug) => Some(
                    sqlx::query_scalar(sql::FACILITY_ID_BY_SLUG)
                        .bind(slug)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .ok_or_else(|| StoreError::Conflict(format!("unknown facility {slug}")))?,
                ),
                None => None,
            };
            let id: Uuid = sqlx::query_scalar(sql::UPSERT_PRISONER)
                .bind(Uuid::now_v7())
                .bind(p.slug.as_str())
                .bind(&p.names.uk)
                .bind(&p.names.en)
                .bind(&p.names.crh)
                .bind(&p.names.ru_full)
                .bind(p.birth_year)
                .bind(p.birth_date)
                .bind(p.status.as_str())
                .bind(&p.story.uk)
                .bind(&p.story.en)
                .bind(&p.guidance.uk)
                .bind(&p.guidance.en)
                .bind(facility)
                .bind(p.published)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
            ids.push(PrisonerId(id));
        }
        tx.commit().await.map_err(map_err)?;
        Ok(ids)
    }

    async fn prisoner_by_slug(
        &self,
        campaign: CampaignId,
        slug: &str,
    ) -> StoreResult<Option<Prisoner>> {
        let Some(row) = sqlx::query(sql::PRISONER_BY_SLUG)
            .bind(slug)
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?
        else {
            return Ok(None);
        };
        let id = Access(&row).uuid("id")?;
        let key = CounterKey::Prisoner(id).to_string();
        let letters = self
            .counter_values(campaign, std::slice::from_ref(&key))
            .await?;
        prisoner_from(&Access(&row), letters.get(&key).copied().unwrap_or(0)).map(Some)
    }

    async fn list_prisoners(
        &self,
        campaign: CampaignId,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<PrisonerSummary>> {
        let rows = sqlx::query(sql::LIST_PRISONERS)
            .bind(after.unwrap_or(""))
            .bind(i64::from(limit))
            .fetch_all(&self.read)
            .await
            .map_err(map_err)?;
        let mut prisoners = rows
            .iter()
            .map(|r| prisoner_summary_from(&Access(r)))
            .collect::<StoreResult<Vec<_>>>()?;
        let keys: Vec<String> = prisoners
            .iter()
            .map(|p| CounterKey::Prisoner(p.id.0).to_string())
            .collect();
        let values = self.counter_values(campaign, &keys).await?;
        for (prisoner, key) in prisoners.iter_mut().zip(&keys) {
            prisoner.letters = values.get(key).copied().unwrap_or(0);
        }
        Ok(prisoners)
    }

    async fn upsert_event(&self, e: &NewEvent) -> StoreResult<EventId> {
        let mut tx = self.begin_write().await?;
        let id: Uuid = bind_event(sqlx::query_scalar(sql::UPSERT_EVENT), e)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(EventId(id))
    }

    async fn event_by_id(&self, id: EventId) -> StoreResult<Option<Event>> {
        let row = sqlx::query(AssertSqlSafe(sql::event_by_id()))
            .bind(id.0)
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?;
        let Some(row) = row else { return Ok(None) };
        let mut events = vec![event_from(&Access(&row))?];
        let campaign: Uuid = row.try_get("campaign_id").map_err(map_err)?;
        self.count_events(CampaignId(campaign), &mut events).await?;
        Ok(events.pop())
    }

    async fn list_events(
        &self,
        campaign: CampaignId,
        before: Option<(DateTime<Utc>, EventId)>,
        limit: u32,
    ) -> StoreResult<Vec<Event>> {
        let rows = match before {
            Some((at, id)) => {
                sqlx::query(AssertSqlSafe(sql::list_events_before()))
                    .bind(campaign.0)
                    .bind(at)
                    .bind(id.0)
                    .bind(i64::from(limit))
                    .fetch_all(&self.read)
                    .await
            }
            None => {
                sqlx::query(AssertSqlSafe(sql::list_events()))
                    .bind(campaign.0)
                    .bind(i64::from(limit))
                    .fetch_all(&self.read)
                    .await
            }
        }
        .map_err(map_err)?;
        let mut events = rows
            .iter()
            .map(|r| event_from(&Access(r)))
            .collect::<StoreResult<Vec<_>>>()?;
        self.count_events(campaign, &mut events).await?;
        Ok(events)
    }

    async fn submit_letters(&self, letters: &[NewLetter]) -> StoreResult<Vec<SubmitOutcome>> {
        let mut tx = self.begin_write().await?;
        let mut outcomes = Vec::with_capacity(letters.len());
        // Sorted so that every writer touches counter rows in the same order.
        let mut increments: BTreeMap<(Uuid, String), i64> = BTreeMap::new();
        let mut prisoners: HashMap<String, Option<(Uuid, PrisonerStatus)>> = HashMap::new();
        for letter in letters {
            let prisoner = match prisoners.get(letter.prisoner.as_str()) {
                Some(found) => *found,
                None => {
                    let found = sqlx::query(sql::PRISONER_FOR_LETTER)
                        .bind(letter.prisoner.as_str())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .map(|r| prisoner_for_letter(&Access(&r)))
                        .transpose()?;
                    prisoners.insert(letter.prisoner.as_str().to_owned(), found);
                    found
                }
            };
            let outcome = match prisoner {
                None => SubmitOutcome::Refused(Refusal::UnknownPrisoner),
                Some((_, status)) if !status.accepts_letters() => {
                    SubmitOutcome::Refused(Refusal::PrisonerNotAccepting)
                }
                Some((prisoner_id, _)) => {
                    insert_letter(&mut tx, letter, prisoner_id, &mut increments).await?
                }
            };
            outcomes.push(outcome);
        }
        for ((campaign, key), by) in &increments {
            sqlx::query(sql::BUMP_COUNTER)
                .bind(campaign)
                .bind(key)
                .bind(by)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(outcomes)
    }

    async fn letter_by_tracking_code(&self, code: &str) -> StoreResult<Option<TrackedLetter>> {
        let Some(row) = sqlx::query(sql::TRACKED_LETTER)
            .bind(code)
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?
        else {
            return Ok(None);
        };
        let mut tracked = tracked_from(&Access(&row))?;
        let steps = sqlx::query(sql::JOURNEY)
            .bind(tracked.id.0)
            .fetch_all(&self.read)
            .await
            .map_err(map_err)?;
        tracked.journey = steps
            .iter()
            .map(|r| step_from(&Access(r)))
            .collect::<StoreResult<_>>()?;
        Ok(Some(tracked))
    }

    async fn letter_exists(&self, id: LetterId) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(sql::LETTER_EXISTS)
            .bind(id.0)
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?;
        Ok(found.is_some())
    }

    async fn counters(&self, campaign: CampaignId) -> StoreResult<Vec<Counter>> {
        let rows = sqlx::query(sql::COUNTERS)
            .bind(campaign.0)
            .fetch_all(&self.read)
            .await
            .map_err(map_err)?;
        rows.iter()
            .filter_map(|r| counter_from(&Access(r)).transpose())
            .collect()
    }
}

fn bind_event<'q, O>(
    query: sqlx::query::QueryScalar<'q, Sqlite, O, sqlx::sqlite::SqliteArguments>,
    e: &'q NewEvent,
) -> sqlx::query::QueryScalar<'q, Sqlite, O, sqlx::sqlite::SqliteArguments> {
    query
        .bind(Uuid::now_v7())
        .bind(e.campaign.0)
        .bind(e.organisation.map(|o| o.0))
        .bind(&e.slug)
        .bind(&e.kind)
        .bind(&e.title.uk)
        .bind(&e.title.en)
        .bind(&e.city)
        .bind(&e.country)
        .bind(&e.venue)
        .bind(e.starts_at)
        .bind(e.ends_at)
        .bind(&e.series)
        .bind(e.demo)
}

async fn insert_letter(
    tx: &mut Transaction<'static, Sqlite>,
    letter: &NewLetter,
    prisoner_id: Uuid,
    increments: &mut BTreeMap<(Uuid, String), i64>,
) -> StoreResult<SubmitOutcome> {
    if let Some(event) = letter.event {
        let known: Option<i64> = sqlx::query_scalar(sql::EVENT_EXISTS)
            .bind(event.0)
            .fetch_optional(&mut **tx)
            .await
            .map_err(map_err)?;
        if known.is_none() {
            return Ok(SubmitOutcome::Refused(Refusal::UnknownEvent));
        }
    }
    let inserted = sqlx::query(sql::INSERT_LETTER)
        .bind(letter.id.0)
        .bind(letter.campaign.0)
        .bind(letter.tracking_code.as_str())
        .bind(letter.idempotency_key.as_ref().map(IdempotencyKey::as_str))
        .bind(prisoner_id)
        .bind(letter.source.as_str())
        .bind(letter.event.map(|e| e.0))
        .bind(letter.writer_name.as_ref().map(WriterName::as_str))
        .bind(letter.writer_city.as_ref().map(Place::as_str))
        .bind(letter.writer_country.as_ref().map(Place::as_str))
        .bind(letter.writer_email_encrypted.as_deref())
        .bind(letter.language.as_str())
        .bind(letter.body.as_str())
        .bind(LetterState::Received.as_str())
        .bind(letter.received_at)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    if inserted.rows_affected() == 0 {
        // The idempotency key is known: answer with the letter stored first.
        let row = sqlx::query(sql::LETTER_BY_IDEMPOTENCY_KEY)
            .bind(letter.campaign.0)
            .bind(letter.idempotency_key.as_ref().map(IdempotencyKey::as_str))
            .fetch_one(&mut **tx)
            .await
            .map_err(map_err)?;
        return Ok(SubmitOutcome::Existing(receipt_from(&Access(&row))?));
    }
    sqlx::query(sql::INSERT_TRANSITION)
        .bind(letter.id.0)
        .bind(Option::<&str>::None)
        .bind(LetterState::Received.as_str())
        .bind(letter.received_at)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    let keys = keys_for_new_letter(
        prisoner_id,
        letter.received_at,
        letter.source,
        letter.event.map(|e| e.0),
        letter.writer_city.as_ref().map(Place::as_str),
        letter.writer_country.as_ref().map(Place::as_str),
    );
    for key in keys {
        *increments
            .entry((letter.campaign.0, key.to_string()))
            .or_default() += 1;
    }
    Ok(SubmitOutcome::Created(Receipt {
        id: letter.id,
        tracking_code: letter.tracking_code.clone(),
        state: LetterState::Received,
    }))
}

impl SqliteStore {
    async fn counter_values(
        &self,
        campaign: CampaignId,
        keys: &[String],
    ) -> StoreResult<HashMap<String, i64>> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = sql::counters_named(keys.len());
        let mut query = sqlx::query(AssertSqlSafe(sql)).bind(campaign.0);
        for key in keys {
            query = query.bind(key);
        }
        let rows = query.fetch_all(&self.read).await.map_err(map_err)?;
        rows.iter()
            .map(|r| Ok((Access(r).text("key")?, Access(r).int("value")?)))
            .collect()
    }

    async fn count_events(&self, campaign: CampaignId, events: &mut [Event]) -> StoreResult<()> {
        let keys: Vec<String> = events
            .iter()
            .map(|e| CounterKey::Event(e.id.0).to_string())
            .collect();
        let values = self.counter_values(campaign, &keys).await?;
        for (event, key) in events.iter_mut().zip(&keys) {
            event.letters = values.get(key).copied().unwrap_or(0);
        }
        Ok(())
    }
}

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
}
