-- Photos or scans of paper letters' pages, served back only to staff.
CREATE TABLE letter_pages (
    letter_id    BLOB NOT NULL REFERENCES letters (id),
    position     INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    PRIMARY KEY (letter_id, position)
);
