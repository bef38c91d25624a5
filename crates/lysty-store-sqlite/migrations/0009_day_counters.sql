-- "Waiting for letters" sums day counters (`day:YYYY-MM-DD:{prisoner uuid}`), kept in the
-- letters' own transactions like every other counter, instead of counting a window of
-- letter rows on each page view. This fills them for the letters already stored (one per
-- letter, tallies not included), and drops the index that only the old count used.
INSERT INTO counters (campaign_id, key, value)
SELECT campaign_id,
       'day:' || substr(received_at, 1, 10) || ':' || lower(
           substr(hex(prisoner_id), 1, 8) || '-' || substr(hex(prisoner_id), 9, 4) || '-' ||
           substr(hex(prisoner_id), 13, 4) || '-' || substr(hex(prisoner_id), 17, 4) || '-' ||
           substr(hex(prisoner_id), 21, 12)),
       COUNT(*)
FROM letters
GROUP BY 1, 2;

DROP INDEX IF EXISTS letters_by_campaign_prisoner_received;
