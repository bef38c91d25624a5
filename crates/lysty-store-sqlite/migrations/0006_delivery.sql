-- Delivery: facility rules, placements, batches, outcomes with evidence, held letters,
-- replies, and the outbox of emails to writers.

ALTER TABLE facilities ADD COLUMN channels TEXT NOT NULL DEFAULT 'post';
ALTER TABLE facilities ADD COLUMN rule_language TEXT NOT NULL DEFAULT 'ru';
ALTER TABLE facilities ADD COLUMN needs_birth_year INTEGER NOT NULL DEFAULT 1;
ALTER TABLE facilities ADD COLUMN needs_number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE facilities ADD COLUMN electronic_max_chars INTEGER;
ALTER TABLE facilities ADD COLUMN electronic_parts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE facilities ADD COLUMN notes TEXT NOT NULL DEFAULT '';

ALTER TABLE prisoners ADD COLUMN prisoner_number TEXT;

-- The transfer history; the latest placement is the prisoner's current facility.
CREATE TABLE placements (
    id          BLOB PRIMARY KEY,
    prisoner_id BLOB NOT NULL REFERENCES prisoners (id),
    facility_id BLOB NOT NULL REFERENCES facilities (id),
    since       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_by  BLOB,
    created_at  TEXT NOT NULL
);
CREATE INDEX placements_by_prisoner ON placements (prisoner_id, since);

CREATE TABLE batches (
    id             BLOB PRIMARY KEY,
    campaign_id    BLOB NOT NULL REFERENCES campaigns (id),
    facility_id    BLOB NOT NULL REFERENCES facilities (id),
    channel        TEXT NOT NULL CHECK (channel IN ('post', 'electronic', 'handover')),
    created_by     BLOB,
    created_org    BLOB,
    created_at     TEXT NOT NULL,
    sent_at        TEXT,
    sent_reference TEXT,
    sent_by        BLOB
);
CREATE INDEX batches_by_created ON batches (campaign_id, created_at);

-- A letter is in one batch at most: the batch it is in (or went out with).
ALTER TABLE letters ADD COLUMN batch_id BLOB REFERENCES batches (id);
ALTER TABLE letters ADD COLUMN held_reason TEXT;
ALTER TABLE letters ADD COLUMN held_at TEXT;
CREATE INDEX letters_by_batch ON letters (batch_id);
-- Letters per prisoner lately, for the list of those waiting for letters.
CREATE INDEX letters_by_prisoner_received ON letters (prisoner_id, received_at);

CREATE TABLE letter_evidence (
    id           BLOB PRIMARY KEY,
    letter_id    BLOB NOT NULL REFERENCES letters (id),
    outcome      TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    content_type TEXT,
    bytes        BLOB,
    recorded_by  BLOB,
    at           TEXT NOT NULL
);
CREATE INDEX letter_evidence_by_letter ON letter_evidence (letter_id);

CREATE TABLE replies (
    id              BLOB PRIMARY KEY,
    campaign_id     BLOB NOT NULL REFERENCES campaigns (id),
    prisoner_id     BLOB NOT NULL REFERENCES prisoners (id),
    received_at     TEXT NOT NULL,
    transcription   TEXT NOT NULL DEFAULT '',
    consent_publish INTEGER NOT NULL DEFAULT 0,
    content_type    TEXT,
    bytes           BLOB,
    recorded_by     BLOB,
    created_at      TEXT NOT NULL
);
CREATE INDEX replies_by_prisoner ON replies (prisoner_id, received_at);

-- The letters a reply answers: those delivered to the prisoner before it came.
CREATE TABLE reply_letters (
    reply_id  BLOB NOT NULL REFERENCES replies (id),
    letter_id BLOB NOT NULL REFERENCES letters (id),
    PRIMARY KEY (reply_id, letter_id)
);
CREATE INDEX reply_letters_by_letter ON reply_letters (letter_id);

-- Emails to writers, queued in the transaction that gives the reason to write, sent
-- after it; a row is kept as the record that the email went out.
CREATE TABLE outbox (
    id              BLOB PRIMARY KEY,
    kind            TEXT NOT NULL,
    letter_id       BLOB NOT NULL REFERENCES letters (id),
    reply_id        BLOB REFERENCES replies (id),
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, next_attempt_at);

-- The tally a paper letter replaced, so that a recount of the counters knows the letter
-- was counted through its tally.
ALTER TABLE letters ADD COLUMN replaced_tally BLOB REFERENCES tallies (id);
