-- Indexer schema, version 1.
CREATE TABLE vars (key varchar(255) PRIMARY KEY, value text NOT NULL);
INSERT INTO vars VALUES ('schema_version', '1');

CREATE TABLE blocks (
    hash        bytea PRIMARY KEY,
    blue_score  bigint NOT NULL,
    timestamp   bigint NOT NULL
);
INSERT INTO blocks SELECT decode(md5(g::text), 'hex'), g, 1700000000000 + g FROM generate_series(1, 500) g;
