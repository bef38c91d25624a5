-- A facility's rules: the longest letter it accepts, in characters.
ALTER TABLE facilities ADD COLUMN max_letter_chars INTEGER;
