-- Kiosks at events, and paper letters counted at events.

ALTER TABLE events ADD COLUMN kiosk_token TEXT;
ALTER TABLE events ADD COLUMN kiosk_revoked_at TEXT;
CREATE UNIQUE INDEX events_by_kiosk_token ON events (kiosk_token);

-- Paper letters counted but not entered one by one. `remaining` goes down as entered
-- paper letters replace tallied ones, so nothing is counted twice.
CREATE TABLE tallies (
    id          BLOB PRIMARY KEY,
    event_id    BLOB NOT NULL REFERENCES events (id),
    prisoner_id BLOB REFERENCES prisoners (id),
    count       INTEGER NOT NULL CHECK (count > 0),
    remaining   INTEGER NOT NULL CHECK (remaining >= 0),
    created_by  BLOB,
    created_at  TEXT NOT NULL
);
CREATE INDEX tallies_by_event ON tallies (event_id, prisoner_id);
