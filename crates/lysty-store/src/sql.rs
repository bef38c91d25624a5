//! SQL text that reads the same on SQLite and PostgreSQL (`$n` placeholders work on both
//! through sqlx). Each backend still owns its connections, transactions and migrations,
//! and keeps its own SQL wherever the dialects differ.

pub const UPSERT_CAMPAIGN: &str = "INSERT INTO campaigns (id, slug, name_uk, name_en, created_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (slug) DO UPDATE SET name_uk = excluded.name_uk, name_en = excluded.name_en
     RETURNING id";

pub const CAMPAIGN_BY_SLUG: &str =
    "SELECT id, slug, name_uk, name_en FROM campaigns WHERE slug = $1";

pub const UPSERT_ORGANISATION: &str =
    "INSERT INTO organisations (id, slug, name_uk, name_en, created_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (slug) DO UPDATE SET name_uk = excluded.name_uk, name_en = excluded.name_en
     RETURNING id";

pub const LIST_ORGANISATIONS: &str =
    "SELECT id, slug, name_uk, name_en FROM organisations ORDER BY slug";

pub const UPSERT_FACILITY: &str =
    "INSERT INTO facilities (id, slug, name_ru, name_en, region, address_ru, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (slug) DO UPDATE SET name_ru = excluded.name_ru, name_en = excluded.name_en,
        region = excluded.region, address_ru = excluded.address_ru
     RETURNING id";

pub const FACILITY_ID_BY_SLUG: &str = "SELECT id FROM facilities WHERE slug = $1";

pub const UPSERT_PRISONER: &str = "INSERT INTO prisoners (id, slug, name_uk, name_en, name_crh,
        name_ru_full, birth_year, birth_date, status, story_uk, story_en, guidance_uk,
        guidance_en, facility_id, published, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
     ON CONFLICT (slug) DO UPDATE SET name_uk = excluded.name_uk, name_en = excluded.name_en,
        name_crh = excluded.name_crh, name_ru_full = excluded.name_ru_full,
        birth_year = excluded.birth_year, birth_date = excluded.birth_date,
        status = excluded.status, story_uk = excluded.story_uk, story_en = excluded.story_en,
        guidance_uk = excluded.guidance_uk, guidance_en = excluded.guidance_en,
        facility_id = excluded.facility_id, published = excluded.published,
        updated_at = excluded.updated_at
     RETURNING id";

pub const PRISONER_BY_SLUG: &str = "SELECT p.id, p.slug, p.name_uk, p.name_en, p.name_crh,
        p.name_ru_full, p.birth_year, p.status, p.story_uk, p.story_en, p.guidance_uk,
        p.guidance_en, p.published, f.id AS facility_id, f.name_ru AS facility_name_ru,
        f.name_en AS facility_name_en, f.region AS facility_region
     FROM prisoners p
     LEFT JOIN facilities f ON f.id = p.facility_id
     WHERE p.slug = $1";

pub const LIST_PRISONERS: &str = "SELECT id, slug, name_uk, name_en, name_crh, name_ru_full,
        status
     FROM prisoners
     WHERE published AND slug > $1
     ORDER BY slug
     LIMIT $2";

pub const PRISONER_FOR_LETTER: &str =
    "SELECT id, status FROM prisoners WHERE slug = $1 AND published";

pub const UPSERT_EVENT: &str = "INSERT INTO events (id, campaign_id, organisation_id, slug, kind,
        title_uk, title_en, city, country, venue, starts_at, ends_at, series, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (slug) DO UPDATE SET organisation_id = excluded.organisation_id,
        kind = excluded.kind, title_uk = excluded.title_uk, title_en = excluded.title_en,
        city = excluded.city, country = excluded.country, venue = excluded.venue,
        starts_at = excluded.starts_at, ends_at = excluded.ends_at, series = excluded.series,
        demo = excluded.demo
     RETURNING id";

const EVENT_COLUMNS: &str =
    "SELECT id, campaign_id, slug, kind, title_uk, title_en, city, country, venue,
        starts_at, ends_at, series, demo
     FROM events";

pub fn event_by_id() -> String {
    format!("{EVENT_COLUMNS} WHERE id = $1")
}

pub fn list_events() -> String {
    format!("{EVENT_COLUMNS} WHERE campaign_id = $1 ORDER BY starts_at DESC, id DESC LIMIT $2")
}

pub fn list_events_before() -> String {
    format!(
        "{EVENT_COLUMNS} WHERE campaign_id = $1 AND (starts_at < $2 OR (starts_at = $2 AND id < $3))
         ORDER BY starts_at DESC, id DESC LIMIT $4"
    )
}

pub const EVENT_EXISTS: &str = "SELECT CAST(1 AS BIGINT) FROM events WHERE id = $1";

pub const INSERT_LETTER: &str = "INSERT INTO letters (id, campaign_id, tracking_code,
        idempotency_key, prisoner_id, source, event_id, writer_name, writer_city,
        writer_country, writer_email_enc, language, body, state, received_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
     ON CONFLICT (campaign_id, idempotency_key) DO NOTHING";

pub const LETTER_BY_IDEMPOTENCY_KEY: &str = "SELECT id, tracking_code, state FROM letters
     WHERE campaign_id = $1 AND idempotency_key = $2";

pub const INSERT_TRANSITION: &str =
    "INSERT INTO letter_transitions (letter_id, from_state, to_state, at)
     VALUES ($1, $2, $3, $4)";

pub const BUMP_COUNTER: &str = "INSERT INTO counters (campaign_id, key, value) VALUES ($1, $2, $3)
     ON CONFLICT (campaign_id, key) DO UPDATE SET value = counters.value + excluded.value";

pub const TRACKED_LETTER: &str = "SELECT l.id, l.state, l.received_at, p.slug, p.name_uk,
        p.name_en, p.name_crh, p.name_ru_full
     FROM letters l JOIN prisoners p ON p.id = l.prisoner_id
     WHERE l.tracking_code = $1";

pub const JOURNEY: &str =
    "SELECT to_state, at FROM letter_transitions WHERE letter_id = $1 ORDER BY id";

pub const LETTER_EXISTS: &str = "SELECT CAST(1 AS BIGINT) FROM letters WHERE id = $1";

pub const COUNTERS: &str = "SELECT key, value FROM counters WHERE campaign_id = $1 ORDER BY key";

/// The values of the named counters: `$1` is the campaign, `$2…` the keys.
pub fn counters_named(keys: usize) -> String {
    let placeholders = (0..keys)
        .map(|i| format!("${}", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    format!("SELECT key, value FROM counters WHERE campaign_id = $1 AND key IN ({placeholders})")
}
