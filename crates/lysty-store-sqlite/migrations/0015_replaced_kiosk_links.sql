-- Kiosk links that were replaced by a new one. A tablet that wrote letters offline before
-- its link was replaced still delivers them (until the event's grace period ends); nothing
-- else is accepted through an old link.
CREATE TABLE replaced_kiosk_links (
    token       TEXT PRIMARY KEY,
    event_id    BLOB NOT NULL REFERENCES events (id),
    replaced_at TEXT NOT NULL
);
