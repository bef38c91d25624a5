-- Delivery: facility rules, placements, batches, outcomes with evidence, held letters,
-- replies, and the outbox of emails to writers.

ALTER TABLE facilities ADD COLUMN channels TEXT NOT NULL DEFAULT 'post';
ALTER TABLE facilities ADD COLUMN rule_language TEXT NOT NULL DEFAULT 'ru';
ALTER TABLE facilities ADD COLUMN needs_birth_year BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE facilities ADD COLUMN needs_number BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE facilities ADD COLUMN electronic_max_chars BIGINT;
ALTER TABLE facilities ADD COLUMN electronic_parts BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE facilities ADD COLUMN notes TEXT NOT NULL DEFAULT '';

ALTER TABLE prisoners ADD COLUMN prisoner_number TEXT;

-- The transfer history; the latest placement is the prisoner's current facility.
CREATE TABLE placements (
    id          UUID PRIMARY KEY,
    prisoner_id UUID NOT NULL REFERENCES prisoners (id),
    facility_id UUID NOT NULL REFERENCES facilities (id),
    since       TIMESTAMPTZ NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_by  UUID,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX placements_by_prisoner ON placements (prisoner_id, since);

CREATE TABLE batches (
    id             UUID PRIMARY KEY,
    campaign_id    UUID NOT NULL REFERENCES campaigns (id),
    facility_id    UUID NOT NULL REFERENCES facilities (id),
    channel        TEXT NOT NULL CHECK (channel IN ('post', 'electronic', 'handover')),
    created_by     UUID,
    created_org    UUID,
    created_at     TIMESTAMPTZ NOT NULL,
    sent_at        TIMESTAMPTZ,
    sent_reference TEXT,
    sent_by        UUID
);
CREATE INDEX batches_by_created ON batches (campaign_id, created_at);

-- A letter is in one batch at most: the batch it is in (or went out with).
ALTER TABLE letters ADD COLUMN batch_id UUID REFERENCES batches (id);
ALTER TABLE letters ADD COLUMN held_reason TEXT;
ALTER TABLE letters ADD COLUMN held_at TIMESTAMPTZ;
CREATE INDEX letters_by_batch ON letters (batch_id);
-- Letters per prisoner lately, for the list of those waiting for letters.
CREATE INDEX letters_by_prisoner_received ON letters (prisoner_id, received_at);

CREATE TABLE letter_evidence (
    id           UUID PRIMARY KEY,
    letter_id    UUID NOT NULL REFERENCES letters (id),
    outcome      TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    content_type TEXT,
    bytes        BYTEA,
    recorded_by  UUID,
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX letter_evidence_by_letter ON letter_evidence (letter_id);

CREATE TABLE replies (
    id              UUID PRIMARY KEY,
    campaign_id     UUID NOT NULL REFERENCES campaigns (id),
    prisoner_id     UUID NOT NULL REFERENCES prisoners (id),
    received_at     TIMESTAMPTZ NOT NULL,
    transcription   TEXT NOT NULL DEFAULT '',
    consent_publish BOOLEAN NOT NULL DEFAULT FALSE,
    content_type    TEXT,
    bytes           BYTEA,
    recorded_by     UUID,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX replies_by_prisoner ON replies (prisoner_id, received_at);

-- The letters a reply answers: those delivered to the prisoner before it came.
CREATE TABLE reply_letters (
    reply_id  UUID NOT NULL REFERENCES replies (id),
    letter_id UUID NOT NULL REFERENCES letters (id),
    PRIMARY KEY (reply_id, letter_id)
);
CREATE INDEX reply_letters_by_letter ON reply_letters (letter_id);

-- Emails to writers, queued in the transaction that gives the reason to write, sent
-- after it; a row is kept as the record that the email went out.
CREATE TABLE outbox (
    id              UUID PRIMARY KEY,
    kind            TEXT NOT NULL,
    letter_id       UUID NOT NULL REFERENCES letters (id),
    reply_id        UUID REFERENCES replies (id),
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, next_attempt_at);

-- The tally a paper letter replaced, so that a recount of the counters knows the letter
-- was counted through its tally.
ALTER TABLE letters ADD COLUMN replaced_tally UUID REFERENCES tallies (id);
