-- Wrong second-factor codes given in a password-only session: after a few the session ends.
ALTER TABLE sessions ADD COLUMN failed_codes BIGINT NOT NULL DEFAULT 0;

-- Emails to staff about their own account (a second factor replaced), sent from the same
-- outbox loop as the emails to writers and retried the same way.
CREATE TABLE staff_notices (
    id              UUID PRIMARY KEY,
    staff_id        UUID NOT NULL REFERENCES staff (id),
    kind            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ,
    last_error      TEXT
);
CREATE INDEX staff_notices_pending ON staff_notices (sent_at, next_attempt_at);
