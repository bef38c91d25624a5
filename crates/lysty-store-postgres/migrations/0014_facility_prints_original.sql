-- Whether a translated letter's original travels beside the Russian text to this facility.
-- Off unless the facility's rules are known to allow it: the censor passes only Russian.
ALTER TABLE facilities ADD COLUMN prints_original BOOLEAN NOT NULL DEFAULT FALSE;
