-- Staff accounts, sessions, tokens, the audit log, and the review of letters.

CREATE TABLE staff (
    id              UUID PRIMARY KEY,
    organisation_id UUID NOT NULL REFERENCES organisations (id),
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    roles           TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    -- The TOTP secret, encrypted like writers' emails; NULL until enrolled.
    totp_secret_enc BYTEA,
    -- The last TOTP time step accepted: a code is never accepted twice.
    totp_last_step  BIGINT,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins   BIGINT NOT NULL DEFAULT 0,
    locked_until    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_by_organisation ON staff (organisation_id, email);

CREATE TABLE recovery_codes (
    staff_id  UUID NOT NULL REFERENCES staff (id),
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMPTZ,
    PRIMARY KEY (staff_id, code_hash)
);

-- Server-side sessions; only a hash of the cookie's secret is stored.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    staff_id     UUID NOT NULL REFERENCES staff (id),
    -- 'password' until the second factor is given, then 'full'.
    stage        TEXT NOT NULL,
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_by_staff ON sessions (staff_id);

CREATE TABLE api_tokens (
    id           UUID PRIMARY KEY,
    staff_id     UUID NOT NULL REFERENCES staff (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_by_staff ON api_tokens (staff_id);

-- Append-only: the application offers no way to change or remove an entry, and the
-- database refuses it too.
CREATE TABLE audit_log (
    id              BIGSERIAL PRIMARY KEY,
    at              TIMESTAMPTZ NOT NULL,
    actor_id        UUID,
    actor_org_id    UUID,
    action          TEXT NOT NULL,
    object_type     TEXT,
    object_id       TEXT,
    detail          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_actor ON audit_log (actor_id, id);
CREATE INDEX audit_by_action ON audit_log (action, id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE lexicon (
    id         UUID PRIMARY KEY,
    term       TEXT NOT NULL,
    language   TEXT NOT NULL,
    category   TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (term, language, category)
);

ALTER TABLE letters ADD COLUMN fingerprint TEXT;
ALTER TABLE letters ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE letters ADD COLUMN detected_language TEXT;
ALTER TABLE letters ADD COLUMN claimed_by UUID;
ALTER TABLE letters ADD COLUMN claimed_until TIMESTAMPTZ;
ALTER TABLE letters ADD COLUMN reject_reason TEXT;
ALTER TABLE letters ADD COLUMN reject_note TEXT;
CREATE INDEX letters_by_fingerprint ON letters (fingerprint);

-- Which flags a letter carries, for filtering the queue.
CREATE TABLE letter_flags (
    letter_id UUID NOT NULL REFERENCES letters (id),
    kind      TEXT NOT NULL,
    PRIMARY KEY (letter_id, kind)
);
CREATE INDEX letter_flags_by_kind ON letter_flags (kind, letter_id);

-- Earlier texts of a letter (before a redaction or a new translation): admins only.
CREATE TABLE letter_versions (
    id            BIGSERIAL PRIMARY KEY,
    letter_id     UUID NOT NULL REFERENCES letters (id),
    body          TEXT NOT NULL,
    body_delivery TEXT,
    replaced_by   UUID,
    reason        TEXT NOT NULL,
    at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX letter_versions_by_letter ON letter_versions (letter_id, id);

ALTER TABLE letter_transitions ADD COLUMN actor_org_id UUID;
