-- simply-kaspa-indexer: plain text settings (same table name as k-indexer, another shape).
CREATE TABLE vars (
    key   varchar(255) PRIMARY KEY,
    value text NOT NULL
);
