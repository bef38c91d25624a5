-- The words that identify a prisoner's case (the article, co-defendants, the judge, the
-- court), one per line, as staff record them on the prisoner's page: the safety flags use
-- them for that prisoner's letters.
ALTER TABLE prisoners ADD COLUMN case_terms TEXT NOT NULL DEFAULT '';
