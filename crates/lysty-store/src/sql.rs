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

pub const UPSERT_FACILITY: &str = "INSERT INTO facilities (id, slug, name_ru, name_en, region,
        address_ru, created_at, max_letter_chars)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (slug) DO UPDATE SET name_ru = excluded.name_ru, name_en = excluded.name_en,
        region = excluded.region, address_ru = excluded.address_ru,
        max_letter_chars = excluded.max_letter_chars
     RETURNING id";

pub const FACILITY_ID_BY_SLUG: &str = "SELECT id FROM facilities WHERE slug = $1";

pub const UPSERT_PRISONER: &str = "INSERT INTO prisoners (id, slug, name_uk, name_en, name_crh,
        name_ru_full, birth_year, birth_date, status, story_uk, story_en, guidance_uk,
        guidance_en, facility_id, published, created_at, updated_at, story_crh, guidance_crh,
        gender)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17,
        $18, $19)
     ON CONFLICT (slug) DO UPDATE SET name_uk = excluded.name_uk, name_en = excluded.name_en,
        name_crh = excluded.name_crh, name_ru_full = excluded.name_ru_full,
        birth_year = excluded.birth_year, birth_date = excluded.birth_date,
        status = excluded.status, story_uk = excluded.story_uk, story_en = excluded.story_en,
        guidance_uk = excluded.guidance_uk, guidance_en = excluded.guidance_en,
        story_crh = excluded.story_crh, guidance_crh = excluded.guidance_crh,
        gender = excluded.gender,
        facility_id = excluded.facility_id, published = excluded.published,
        updated_at = excluded.updated_at
     RETURNING id";

pub const PRISONER_BY_SLUG: &str = "SELECT p.id, p.slug, p.name_uk, p.name_en, p.name_crh,
        p.name_ru_full, p.birth_year, p.status, p.gender, p.story_uk, p.story_en, p.story_crh,
        p.guidance_uk, p.guidance_en, p.guidance_crh, p.published, p.case_terms, f.id AS facility_id, f.name_ru AS facility_name_ru,
        f.name_en AS facility_name_en, f.region AS facility_region,
        f.max_letter_chars AS facility_max_letter_chars
     FROM prisoners p
     LEFT JOIN facilities f ON f.id = p.facility_id
     WHERE p.slug = $1";

pub const LIST_PRISONERS: &str = "SELECT id, slug, name_uk, name_en, name_crh, name_ru_full,
        status, gender, published
     FROM prisoners
     WHERE published AND slug > $1
     ORDER BY slug
     LIMIT $2";

/// Every prisoner, published or not, for the staff's registry.
pub const ALL_PRISONERS: &str = "SELECT id, slug, name_uk, name_en, name_crh, name_ru_full,
        status, gender, published
     FROM prisoners
     ORDER BY name_uk, slug";

/// A prisoner added from the staff's page: no facility yet (placements record it), no
/// case terms; nothing when the slug is taken.
/// The parameters are those of `UPDATE_PRISONER`, then the new row's id.
pub const CREATE_PRISONER: &str = "INSERT INTO prisoners (slug, name_uk, name_en, name_crh,
        name_ru_full, birth_year, status, gender, story_uk, story_en, story_crh, guidance_uk,
        guidance_en, guidance_crh, published, created_at, updated_at, id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17)
     ON CONFLICT (slug) DO NOTHING";

/// A prisoner edited on the staff's page: the facility (placements) and case terms (their own
/// page) stay as they are.
pub const UPDATE_PRISONER: &str = "UPDATE prisoners SET name_uk = $2, name_en = $3, name_crh = $4,
        name_ru_full = $5, birth_year = $6, status = $7, gender = $8, story_uk = $9,
        story_en = $10, story_crh = $11, guidance_uk = $12, guidance_en = $13,
        guidance_crh = $14, published = $15, updated_at = $16
     WHERE slug = $1";

/// Every prisoner's names, published or not: the safety flags look for them in letters
/// written to someone else.
pub const PRISONER_NAMES: &str = "SELECT slug, name_uk, name_en, name_crh, name_ru_full
     FROM prisoners ORDER BY slug";

pub const SET_CASE_TERMS: &str = "UPDATE prisoners SET case_terms = $2, updated_at = $3
     WHERE slug = $1";

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
        starts_at, ends_at, series, demo, organisation_id, kiosk_token, kiosk_revoked_at
     FROM events";

pub fn event_by_kiosk_token() -> String {
    format!("{EVENT_COLUMNS} WHERE kiosk_token = $1")
}

pub fn events_in_series() -> String {
    format!("{EVENT_COLUMNS} WHERE campaign_id = $1 AND series = $2 ORDER BY starts_at, id")
}

/// The event's open kiosk link, kept as replaced (nothing when it has none or it was closed).
pub const KEEP_REPLACED_KIOSK: &str =
    "INSERT INTO replaced_kiosk_links (token, event_id, replaced_at)
     SELECT kiosk_token, id, $2 FROM events
      WHERE id = $1 AND kiosk_token IS NOT NULL AND kiosk_revoked_at IS NULL";
pub const REPLACED_KIOSK: &str =
    "SELECT event_id, replaced_at FROM replaced_kiosk_links WHERE token = $1";

pub const SET_KIOSK: &str =
    "UPDATE events SET kiosk_token = $2, kiosk_revoked_at = $3 WHERE id = $1";

pub const INSERT_TALLY: &str = "INSERT INTO tallies (id, event_id, prisoner_id, count, remaining,
        created_by, created_at)
     VALUES ($1, $2, $3, $4, $4, $5, $6)";

pub const PRISONER_ID_BY_SLUG: &str = "SELECT id FROM prisoners WHERE slug = $1";

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
        writer_country, writer_email_enc, language, body, state, received_at, updated_at,
        flags, detected_language, fingerprint)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17,
        $18)
     ON CONFLICT (campaign_id, idempotency_key) DO NOTHING";

pub const LETTER_BY_IDEMPOTENCY_KEY: &str = "SELECT id, tracking_code, state, prisoner_id, body
     FROM letters
     WHERE campaign_id = $1 AND idempotency_key = $2";

pub const INSERT_TRANSITION: &str =
    "INSERT INTO letter_transitions (letter_id, from_state, to_state, at)
     VALUES ($1, $2, $3, $4)";

pub const BUMP_COUNTER: &str = "INSERT INTO counters (campaign_id, key, value) VALUES ($1, $2, $3)
     ON CONFLICT (campaign_id, key) DO UPDATE SET value = counters.value + excluded.value";

pub const TRACKED_LETTER: &str = "SELECT l.id, l.state, l.received_at, p.slug, p.name_uk,
        p.name_en, p.name_crh, p.name_ru_full, l.reject_reason, l.held_reason,
        CAST(CASE WHEN p.facility_id IS NULL THEN 1 ELSE 0 END AS BIGINT) AS no_facility
     FROM letters l JOIN prisoners p ON p.id = l.prisoner_id
     WHERE l.tracking_code = $1";

pub const JOURNEY: &str =
    "SELECT to_state, at FROM letter_transitions WHERE letter_id = $1 ORDER BY id";

pub const LETTER_EXISTS: &str = "SELECT CAST(1 AS BIGINT) FROM letters WHERE id = $1";

/// The campaign's counters but the day counters (`day:…`, hundreds of thousands over the
/// years), which only "waiting for letters" reads: two ranges of the primary key on either
/// side of them, so that they are never scanned.
pub const COUNTERS: &str = "SELECT key, value FROM counters WHERE campaign_id = $1 AND key < 'day:'
    UNION ALL
    SELECT key, value FROM counters WHERE campaign_id = $1 AND key >= 'day;'
    ORDER BY key";

/// Per prisoner, the sum of the day counters from day `$2` (`day:YYYY-MM-DD`) on: summed
/// in the database, one row per prisoner comes back. The prisoner's id starts at the 16th
/// character of a day key (`day:2026-12-07:` is 15 long).
pub const DAYS_PER_PRISONER: &str =
    "SELECT substr(key, 16) AS prisoner, CAST(SUM(value) AS BIGINT) AS letters
    FROM counters WHERE campaign_id = $1 AND key >= $2 AND key < 'day;'
    GROUP BY substr(key, 16)";

/// The values of the named counters: `$1` is the campaign, `$2…` the keys.
pub fn counters_named(keys: usize) -> String {
    let placeholders = (0..keys)
        .map(|i| format!("${}", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    format!("SELECT key, value FROM counters WHERE campaign_id = $1 AND key IN ({placeholders})")
}

// --- staff ---

pub const INSERT_STAFF: &str = "INSERT INTO staff (id, organisation_id, email, name, roles,
        password_hash, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";

pub const STAFF_COLUMNS: &str = "s.id, s.organisation_id, s.email, s.name, s.roles,
        s.password_hash, s.totp_secret_enc, s.totp_last_step, s.disabled, s.failed_logins,
        s.locked_until, s.created_at";

pub fn staff_where(condition: &str) -> String {
    format!("SELECT {STAFF_COLUMNS} FROM staff s WHERE {condition}")
}

pub const SET_STAFF_ROLES: &str = "UPDATE staff SET roles = $2 WHERE id = $1";
pub const SET_STAFF_DISABLED: &str = "UPDATE staff SET disabled = $2 WHERE id = $1";
pub const SET_PASSWORD: &str = "UPDATE staff SET password_hash = $2 WHERE id = $1";
pub const DELETE_SESSIONS_OF: &str = "DELETE FROM sessions WHERE staff_id = $1";
pub const REVOKE_TOKENS_OF: &str =
    "UPDATE api_tokens SET revoked_at = $2 WHERE staff_id = $1 AND revoked_at IS NULL";

pub const RECORD_LOGIN_FAILURE: &str = "UPDATE staff SET failed_logins = failed_logins + 1,
        locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END
     WHERE id = $1
     RETURNING failed_logins";

pub const RESET_LOGIN_FAILURES: &str =
    "UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE id = $1";

pub const ENROL_TOTP: &str =
    "UPDATE staff SET totp_secret_enc = $2, totp_last_step = NULL WHERE id = $1";
pub const DELETE_RECOVERY_CODES: &str = "DELETE FROM recovery_codes WHERE staff_id = $1";
pub const INSERT_RECOVERY_CODE: &str =
    "INSERT INTO recovery_codes (staff_id, code_hash) VALUES ($1, $2)";
pub const ACCEPT_TOTP_STEP: &str = "UPDATE staff SET totp_last_step = $2
     WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)";
pub const USE_RECOVERY_CODE: &str = "UPDATE recovery_codes SET used_at = $3
     WHERE staff_id = $1 AND code_hash = $2 AND used_at IS NULL";

// --- sessions and tokens ---

pub const INSERT_SESSION: &str = "INSERT INTO sessions (id_hash, staff_id, stage, csrf_token,
        created_at, last_seen_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $5, $6)";

pub fn session_by_hash() -> String {
    format!(
        "SELECT {STAFF_COLUMNS}, x.id_hash, x.stage, x.csrf_token, x.created_at AS session_created_at,
            x.last_seen_at, x.expires_at
         FROM sessions x JOIN staff s ON s.id = x.staff_id
         WHERE x.id_hash = $1"
    )
}

pub const TOUCH_SESSION: &str = "UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1";
pub const PROMOTE_SESSION: &str = "UPDATE sessions SET stage = 'full' WHERE id_hash = $1";
pub const RECORD_CODE_FAILURE: &str = "UPDATE sessions SET failed_codes = failed_codes + 1
     WHERE id_hash = $1 RETURNING failed_codes";
pub const INSERT_STAFF_NOTICE: &str = "INSERT INTO staff_notices (id, staff_id, kind,
        created_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, $4)";
pub const PENDING_STAFF_NOTICES: &str = "SELECT n.id, n.staff_id, s.email, n.kind, n.attempts
     FROM staff_notices n JOIN staff s ON s.id = n.staff_id
     WHERE n.sent_at IS NULL AND n.gave_up_at IS NULL AND n.next_attempt_at <= $1
     ORDER BY n.next_attempt_at LIMIT $2";
pub const MARK_STAFF_NOTICE_SENT: &str =
    "UPDATE staff_notices SET sent_at = $2, attempts = attempts + 1 WHERE id = $1";
pub const MARK_STAFF_NOTICE_FAILED: &str = "UPDATE staff_notices
     SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1";
pub const GIVE_UP_STAFF_NOTICE: &str = "UPDATE staff_notices
     SET attempts = attempts + 1, last_error = $2, gave_up_at = $3 WHERE id = $1";
pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE id_hash = $1";

pub const INSERT_TOKEN: &str = "INSERT INTO api_tokens (id, staff_id, name, token_hash, created_at,
        expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)";

pub fn staff_by_token() -> String {
    format!(
        "SELECT {STAFF_COLUMNS}, t.id AS token_id, t.created_at AS token_created_at,
            t.expires_at AS token_expires_at
         FROM api_tokens t JOIN staff s ON s.id = t.staff_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT s.disabled"
    )
}

pub const TOUCH_TOKEN: &str = "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1";
pub const LIST_TOKENS: &str = "SELECT id, name, created_at, last_used_at, revoked_at, expires_at
     FROM api_tokens WHERE staff_id = $1 ORDER BY created_at DESC";
pub const REVOKE_TOKEN: &str = "UPDATE api_tokens SET revoked_at = $3
     WHERE staff_id = $1 AND id = $2 AND revoked_at IS NULL";

// --- audit and lexicon ---

pub const INSERT_AUDIT: &str = "INSERT INTO audit_log (at, actor_id, actor_org_id, action,
        object_type, object_id, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub const AUDIT_COLUMNS: &str = "SELECT a.id, a.at, a.actor_id, s.email AS actor_email,
        a.actor_org_id, a.action, a.object_type, a.object_id, a.detail
     FROM audit_log a LEFT JOIN staff s ON s.id = a.actor_id";

pub const LIST_LEXICON: &str =
    "SELECT id, term, language, category FROM lexicon ORDER BY category, language, term";
pub const ADD_LEXICON: &str = "INSERT INTO lexicon (id, term, language, category, created_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (term, language, category) DO NOTHING";
/// The version of the starter list last added, from the audit line that added it.
pub const LEXICON_STARTER_VERSION: &str = "SELECT detail FROM audit_log
     WHERE action = 'lexicon_starter' ORDER BY id DESC LIMIT 1";

pub const LEXICON_ID: &str =
    "SELECT id FROM lexicon WHERE term = $1 AND language = $2 AND category = $3";
pub const REMOVE_LEXICON: &str =
    "DELETE FROM lexicon WHERE id = $1 RETURNING id, term, language, category";

// --- review ---

pub const REVIEW_COLUMNS: &str = "SELECT l.id, l.campaign_id, l.state, l.source, l.event_id,
        l.language, l.detected_language, l.writer_name, l.writer_city, l.writer_country,
        l.body, l.body_delivery, l.flags, l.fingerprint, l.claimed_by, l.claimed_until,
        l.reject_reason, l.reject_note, l.received_at,
        p.slug, p.name_uk, p.name_en, p.name_crh, p.name_ru_full
     FROM letters l JOIN prisoners p ON p.id = l.prisoner_id";

pub const CLAIM: &str = "UPDATE letters SET claimed_by = $2, claimed_until = $3 WHERE id = $1";

pub const UPDATE_LETTER_STEP: &str = "UPDATE letters SET state = $2,
        body = COALESCE($3, body), body_delivery = COALESCE($4, body_delivery),
        reject_reason = COALESCE($5, reject_reason), reject_note = COALESCE($6, reject_note),
        claimed_by = CASE WHEN $7 THEN NULL ELSE claimed_by END,
        claimed_until = CASE WHEN $7 THEN NULL ELSE claimed_until END,
        updated_at = $8
     WHERE id = $1";

pub const INSERT_STEP_TRANSITION: &str = "INSERT INTO letter_transitions (letter_id, from_state,
        to_state, actor_id, actor_org_id, note, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub const INSERT_VERSION: &str = "INSERT INTO letter_versions (letter_id, body, body_delivery,
        replaced_by, reason, at)
     VALUES ($1, $2, $3, $4, $5, $6)";

pub const SET_FLAGS: &str = "UPDATE letters SET flags = $2, detected_language = $3 WHERE id = $1";
pub const DELETE_FLAG_KINDS: &str = "DELETE FROM letter_flags WHERE letter_id = $1";
pub const INSERT_FLAG_KIND: &str = "INSERT INTO letter_flags (letter_id, kind) VALUES ($1, $2)
     ON CONFLICT (letter_id, kind) DO NOTHING";
pub const COUNT_FINGERPRINT: &str = "SELECT COUNT(*) FROM letters WHERE fingerprint = $1";
pub const LETTER_VERSIONS: &str = "SELECT body, body_delivery, replaced_by, reason, at
     FROM letter_versions WHERE letter_id = $1 ORDER BY id";
pub const LETTER_TRANSITIONS: &str = "SELECT from_state, to_state, actor_id, actor_org_id, note, at
     FROM letter_transitions WHERE letter_id = $1 ORDER BY id";

// --- paper letters ---

/// A tally of this event with letters left, for one prisoner (`$2`) or, with `$2` NULL,
/// unassigned.
pub const TALLY_TO_REPLACE: &str = "SELECT id FROM tallies
     WHERE event_id = $1 AND prisoner_id IS NOT DISTINCT FROM $2 AND remaining > 0
     ORDER BY created_at, id LIMIT 1";
pub const TAKE_FROM_TALLY: &str = "UPDATE tallies SET remaining = remaining - 1 WHERE id = $1";
pub const INSERT_PAGE: &str = "INSERT INTO letter_pages (letter_id, position, content_type, bytes)
     VALUES ($1, $2, $3, $4)";
pub const COUNT_PAGES: &str = "SELECT COUNT(*) FROM letter_pages WHERE letter_id = $1";
pub const LETTER_PAGE: &str =
    "SELECT content_type, bytes FROM letter_pages WHERE letter_id = $1 AND position = $2";

// --- export ---

/// The campaign's letters by id after `$2` (keyset), at most `$3`, without the letters of
/// demo events; the times of the transitions to 'sent' and to an outcome; the writer's
/// name, sealed email and text only when `personal`. Never the tracking code.
/// A letter as an export row has it, with the writer's data when `personal`.
fn export_select(personal: bool) -> String {
    let personal = if personal {
        ", l.writer_name, l.writer_email_enc, l.body"
    } else {
        ""
    };
    format!(
        "SELECT l.id, l.received_at, p.slug AS prisoner_slug, l.source, e.slug AS event_slug,
            l.writer_city, l.writer_country, l.language, l.state,
            (SELECT t.at FROM letter_transitions t
              WHERE t.letter_id = l.id AND t.to_state = 'sent'
              ORDER BY t.id DESC LIMIT 1) AS sent_at,
            (SELECT t.at FROM letter_transitions t
              WHERE t.letter_id = l.id
                AND t.to_state IN ('delivered', 'withheld', 'returned', 'undeliverable')
              ORDER BY t.id DESC LIMIT 1) AS outcome_at{personal}
         FROM letters l
         JOIN prisoners p ON p.id = l.prisoner_id
         LEFT JOIN events e ON e.id = l.event_id"
    )
}

pub fn export_letters(personal: bool) -> String {
    format!(
        "{}
         WHERE l.campaign_id = $1 AND l.id > $2 AND (l.event_id IS NULL OR NOT e.demo)
         ORDER BY l.id
         LIMIT $3",
        export_select(personal)
    )
}

/// The letter an imported row names: by its id (from an export), or by the key the import
/// gave it now or earlier.
pub fn imported_letter() -> String {
    format!(
        "{}
         WHERE l.campaign_id = $1
           AND (l.id = $2 OR l.idempotency_key = $3 OR l.idempotency_key = $4)
         LIMIT 1",
        export_select(true)
    )
}

/// An import's correction of a letter: what the row gives replaces what is stored; what it
/// leaves empty (`NULL`) is kept, so that an export without the writers' data never erases it.
pub const CORRECT_IMPORTED_LETTER: &str = "UPDATE letters SET prisoner_id = $2, source = $3,
        event_id = COALESCE($4, event_id), writer_name = COALESCE($5, writer_name),
        writer_city = COALESCE($6, writer_city), writer_country = COALESCE($7, writer_country),
        writer_email_enc = COALESCE(writer_email_enc, $8), language = COALESCE($9, language),
        state = $10, received_at = $11, updated_at = $11
     WHERE id = $1";
pub const CORRECT_IMPORTED_BODY: &str = "UPDATE letters SET body = $2, flags = $3,
        detected_language = $4, fingerprint = $5
     WHERE id = $1";
pub const DELETE_TRANSITIONS: &str = "DELETE FROM letter_transitions WHERE letter_id = $1";
