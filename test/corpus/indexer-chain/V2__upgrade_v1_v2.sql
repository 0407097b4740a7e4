-- Upgrade v1 -> v2: a schema of its own, then unqualified names (the session's search_path).
CREATE SCHEMA IF NOT EXISTS archive;
SET search_path TO archive;
CREATE TABLE pruned_blocks (hash bytea PRIMARY KEY, pruned_at timestamptz DEFAULT now());
UPDATE public.vars SET value = '2' WHERE key = 'schema_version';
