-- Upgrade v2 -> v3: this file expects the default search_path again (psql: a new session).
ALTER TABLE blocks ADD COLUMN daa_score bigint;
UPDATE blocks SET daa_score = blue_score * 2;
ALTER TABLE blocks ALTER COLUMN daa_score SET NOT NULL;
CREATE TEMP TABLE upgrade_scratch AS SELECT count(*) AS n FROM blocks;
UPDATE vars SET value = '3' WHERE key = 'schema_version';
