-- k-indexer keeps its cursor and settings as typed JSON values.
CREATE TABLE vars (
    key        text PRIMARY KEY,
    value      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
