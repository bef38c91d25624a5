-- Photos or scans of paper letters' pages, served back only to staff.
CREATE TABLE letter_pages (
    letter_id    UUID NOT NULL REFERENCES letters (id),
    position     INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    bytes        BYTEA NOT NULL,
    PRIMARY KEY (letter_id, position)
);
