-- An email whose server refused it for good (SMTP 5xx, an address that cannot be written
-- to) is no longer retried: gave_up_at marks it, and the staff pages count such emails.
-- Errors are kept as their class and code only: a server's own words quote the address,
-- so those stored before are cleared.
ALTER TABLE outbox ADD COLUMN gave_up_at TEXT;
ALTER TABLE staff_notices ADD COLUMN gave_up_at TEXT;
UPDATE outbox SET last_error = 'unknown (cleared)' WHERE last_error IS NOT NULL;
UPDATE staff_notices SET last_error = 'unknown (cleared)' WHERE last_error IS NOT NULL;
