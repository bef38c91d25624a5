-- "Waiting for letters" sums day counters (`day:YYYY-MM-DD:{prisoner uuid}`), kept in the
-- letters' own transactions like every other counter, instead of counting a window of
-- letter rows on each page view. This fills them for the letters already stored (one per
-- letter, tallies not included), and drops the index that only the old count used.
INSERT INTO counters (campaign_id, key, value)
SELECT campaign_id,
       'day:' || to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ':' || prisoner_id::text,
       COUNT(*)
FROM letters
GROUP BY 1, 2;

DROP INDEX IF EXISTS letters_by_campaign_prisoner_received;
