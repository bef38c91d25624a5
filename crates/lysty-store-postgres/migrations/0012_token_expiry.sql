-- API tokens expire (90 days by default, shown on the tokens page). A token from before
-- has no expiry stored: it counts as expiring 90 days after it was created.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
