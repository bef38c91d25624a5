-- "Waiting for letters" counts each prisoner's letters of the last 90 days in one
-- campaign; with the campaign in the index the count reads the index alone, however
-- many letters the campaign holds (bench/stats.sh measures the home page at 1M letters).
CREATE INDEX letters_by_campaign_prisoner_received ON letters (campaign_id, prisoner_id, received_at);
