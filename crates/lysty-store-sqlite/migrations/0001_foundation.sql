-- Lysty on SQLite: ids are UUID blobs, times RFC 3339 text in UTC, booleans 0/1.

CREATE TABLE campaigns (
    id         BLOB PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name_uk    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE organisations (
    id         BLOB PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name_uk    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE facilities (
    id         BLOB PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name_ru    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    region     TEXT,
    address_ru TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE prisoners (
    id           BLOB PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name_uk      TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    name_crh     TEXT,
    name_ru_full TEXT,
    birth_year   INTEGER,
    birth_date   TEXT,
    status       TEXT NOT NULL CHECK (status IN
                   ('detained', 'convicted', 'released', 'exchanged', 'deceased', 'unknown')),
    story_uk     TEXT NOT NULL DEFAULT '',
    story_en     TEXT NOT NULL DEFAULT '',
    guidance_uk  TEXT NOT NULL DEFAULT '',
    guidance_en  TEXT NOT NULL DEFAULT '',
    facility_id  BLOB REFERENCES facilities (id),
    published    INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE events (
    id              BLOB PRIMARY KEY,
    campaign_id     BLOB NOT NULL REFERENCES campaigns (id),
    organisation_id BLOB REFERENCES organisations (id),
    slug            TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    title_uk        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    city            TEXT NOT NULL,
    country         TEXT NOT NULL,
    venue           TEXT,
    starts_at       TEXT NOT NULL,
    ends_at         TEXT NOT NULL,
    series          TEXT,
    demo            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_by_start ON events (campaign_id, starts_at DESC, id DESC);

CREATE TABLE letters (
    id               BLOB PRIMARY KEY,
    campaign_id      BLOB NOT NULL REFERENCES campaigns (id),
    tracking_code    TEXT NOT NULL UNIQUE,
    idempotency_key  TEXT,
    prisoner_id      BLOB NOT NULL REFERENCES prisoners (id),
    source           TEXT NOT NULL CHECK (source IN ('online', 'kiosk', 'paper')),
    event_id         BLOB REFERENCES events (id),
    writer_name      TEXT,
    writer_city      TEXT,
    writer_country   TEXT,
    writer_email_enc BLOB,
    language         TEXT NOT NULL,
    body             TEXT NOT NULL,
    body_delivery    TEXT,
    state            TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (campaign_id, idempotency_key)
);
CREATE INDEX letters_by_prisoner ON letters (prisoner_id, id);
CREATE INDEX letters_by_state ON letters (campaign_id, state, id);

-- Every change of a letter's state is a row here; it is the only way state changes.
CREATE TABLE letter_transitions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    letter_id  BLOB NOT NULL REFERENCES letters (id),
    from_state TEXT,
    to_state   TEXT NOT NULL,
    actor_id   BLOB,
    note       TEXT,
    at         TEXT NOT NULL
);
CREATE INDEX letter_transitions_by_letter ON letter_transitions (letter_id, id);

-- Counters are updated in the same transaction as the letters they count.
CREATE TABLE counters (
    campaign_id BLOB NOT NULL REFERENCES campaigns (id),
    key         TEXT NOT NULL,
    value       INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, key)
) WITHOUT ROWID;
