-- Upgrade v4 -> v5: transactions table with a generated column and data in COPY format.
CREATE TABLE transactions (
    transaction_id bytea PRIMARY KEY,
    block_hash     bytea REFERENCES blocks (hash),
    mass           integer,
    fee            bigint GENERATED ALWAYS AS (mass * 10) STORED
);
COPY transactions (transaction_id, block_hash, mass) FROM stdin;
\\x01	\\xc4ca4238a0b923820dcc509a6f75849b	100
\\x02	\\xc81e728d9d4c2f636f067f89cc14862c	250
\\x03	\N	\N
\.
UPDATE vars SET value = '5' WHERE key = 'schema_version';
