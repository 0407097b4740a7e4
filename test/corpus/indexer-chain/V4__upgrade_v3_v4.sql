-- servicedb:no-transaction
-- Upgrade v3 -> v4: online index, then a temp table of the same name as the previous file's.
CREATE TEMP TABLE upgrade_scratch (n bigint);
CREATE INDEX CONCURRENTLY IF NOT EXISTS block_daa_score ON blocks (daa_score);
UPDATE vars SET value = '4' WHERE key = 'schema_version';
