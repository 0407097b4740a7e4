-- Full block headers: a wide table, also called "blocks".
CREATE TABLE blocks (
    hash                    bytea PRIMARY KEY,
    accepted_id_merkle_root bytea,
    merge_set_blues_hashes  bytea[],
    bits                    bigint,
    blue_score              bigint,
    blue_work               bytea,
    daa_score               bigint,
    hash_merkle_root        bytea,
    nonce                   bytea,
    pruning_point           bytea,
    "timestamp"             bigint,
    utxo_commitment         bytea,
    version                 smallint
);
CREATE INDEX blocks_blue_score ON blocks (blue_score);
