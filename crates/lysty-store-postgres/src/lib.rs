//! Lysty's storage on PostgreSQL: the scale-out backend.
//!
//! Any number of `lysty serve` instances may share one database. Nothing here keeps state
//! in memory: idempotency is decided by `ON CONFLICT` on a unique key, counters are
//! incremented in the letters' own transaction with keys taken in sorted order (so two
//! writers never deadlock on them), and every transaction is short.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{AssertSqlSafe, Postgres, Row, Transaction};
use uuid::Uuid;

use lysty_domain::counter::keys_for_new_letter;
use lysty_store::rows::*;
use lysty_store::sql;
use lysty_store::*;

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

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
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
            .fetch_optional(&self.pool)
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
            .fetch_all(&self.pool)
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
            .fetch_optional(&self.pool)
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
            .fetch_all(&self.pool)
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
            .fetch_optional(&self.pool)
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
                    .fetch_all(&self.pool)
                    .await
            }
            None => {
                sqlx::query(AssertSqlSafe(sql::list_events()))
                    .bind(campaign.0)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
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
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
        else {
            return Ok(None);
        };
        let mut tracked = tracked_from(&Access(&row))?;
        let steps = sqlx::query(sql::JOURNEY)
            .bind(tracked.id.0)
            .fetch_all(&self.pool)
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
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(found.is_some())
    }

    async fn counters(&self, campaign: CampaignId) -> StoreResult<Vec<Counter>> {
        let rows = sqlx::query(sql::COUNTERS)
            .bind(campaign.0)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter()
            .filter_map(|r| counter_from(&Access(r)).transpose())
            .collect()
    }
}

fn bind_event<'q, O>(
    query: sqlx::query::QueryScalar<'q, Postgres, O, sqlx::postgres::PgArguments>,
    e: &'q NewEvent,
) -> sqlx::query::QueryScalar<'q, Postgres, O, sqlx::postgres::PgArguments> {
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
    tx: &mut Transaction<'static, Postgres>,
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

impl PgStore {
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
        let rows = query.fetch_all(&self.pool).await.map_err(map_err)?;
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
}
