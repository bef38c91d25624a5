-- A prisoner's story and guidance in Crimean Tatar (Latin script), shown on Crimean Tatar
-- pages where written; and the grammatical gender the pages' words agree with ('female',
-- 'male', or '' for neither).
ALTER TABLE prisoners ADD COLUMN story_crh TEXT NOT NULL DEFAULT '';
ALTER TABLE prisoners ADD COLUMN guidance_crh TEXT NOT NULL DEFAULT '';
ALTER TABLE prisoners ADD COLUMN gender TEXT NOT NULL DEFAULT '';
