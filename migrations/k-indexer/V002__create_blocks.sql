-- K-social indexer: a narrow block table keyed by hash, with the social payload count.
CREATE TABLE blocks (
    block_hash    bytea PRIMARY KEY,
    block_time    timestamptz NOT NULL,
    daa_score     bigint NOT NULL,
    k_tx_count    integer NOT NULL DEFAULT 0
);
CREATE INDEX blocks_block_time ON blocks (block_time DESC);
