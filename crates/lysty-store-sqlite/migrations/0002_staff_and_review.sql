-- Staff accounts, sessions, tokens, the audit log, and the review of letters.

CREATE TABLE staff (
    id              BLOB PRIMARY KEY,
    organisation_id BLOB NOT NULL REFERENCES organisations (id),
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    roles           TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    -- The TOTP secret, encrypted like writers' emails; NULL until enrolled.
    totp_secret_enc BLOB,
    -- The last TOTP time step accepted: a code is never accepted twice.
    totp_last_step  INTEGER,
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX staff_by_organisation ON staff (organisation_id, email);

CREATE TABLE recovery_codes (
    staff_id  BLOB NOT NULL REFERENCES staff (id),
    code_hash TEXT NOT NULL,
    used_at   TEXT,
    PRIMARY KEY (staff_id, code_hash)
);

-- Server-side sessions; only a hash of the cookie's secret is stored.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    staff_id     BLOB NOT NULL REFERENCES staff (id),
    -- 'password' until the second factor is given, then 'full'.
    stage        TEXT NOT NULL,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_by_staff ON sessions (staff_id);

CREATE TABLE api_tokens (
    id           BLOB PRIMARY KEY,
    staff_id     BLOB NOT NULL REFERENCES staff (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_by_staff ON api_tokens (staff_id);

-- Append-only: the application offers no way to change or remove an entry, and the
-- database refuses it too.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL,
    actor_id        BLOB,
    actor_org_id    BLOB,
    action          TEXT NOT NULL,
    object_type     TEXT,
    object_id       TEXT,
    detail          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_actor ON audit_log (actor_id, id);
CREATE INDEX audit_by_action ON audit_log (action, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE lexicon (
    id         BLOB PRIMARY KEY,
    term       TEXT NOT NULL,
    language   TEXT NOT NULL,
    category   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (term, language, category)
);

ALTER TABLE letters ADD COLUMN fingerprint TEXT;
ALTER TABLE letters ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE letters ADD COLUMN detected_language TEXT;
ALTER TABLE letters ADD COLUMN claimed_by BLOB;
ALTER TABLE letters ADD COLUMN claimed_until TEXT;
ALTER TABLE letters ADD COLUMN reject_reason TEXT;
ALTER TABLE letters ADD COLUMN reject_note TEXT;
CREATE INDEX letters_by_fingerprint ON letters (fingerprint);

-- Which flags a letter carries, for filtering the queue.
CREATE TABLE letter_flags (
    letter_id BLOB NOT NULL REFERENCES letters (id),
    kind      TEXT NOT NULL,
    PRIMARY KEY (letter_id, kind)
) WITHOUT ROWID;
CREATE INDEX letter_flags_by_kind ON letter_flags (kind, letter_id);

-- Earlier texts of a letter (before a redaction or a new translation): admins only.
CREATE TABLE letter_versions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    letter_id     BLOB NOT NULL REFERENCES letters (id),
    body          TEXT NOT NULL,
    body_delivery TEXT,
    replaced_by   BLOB,
    reason        TEXT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX letter_versions_by_letter ON letter_versions (letter_id, id);

ALTER TABLE letter_transitions ADD COLUMN actor_org_id BLOB;
