-- Wrong second-factor codes given in a password-only session: after a few the session ends.
ALTER TABLE sessions ADD COLUMN failed_codes INTEGER NOT NULL DEFAULT 0;

-- Emails to staff about their own account (a second factor replaced), sent from the same
-- outbox loop as the emails to writers and retried the same way.
CREATE TABLE staff_notices (
    id              BLOB PRIMARY KEY,
    staff_id        BLOB NOT NULL REFERENCES staff (id),
    kind            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    last_error      TEXT
);
CREATE INDEX staff_notices_pending ON staff_notices (sent_at, next_attempt_at);
