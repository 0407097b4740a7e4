/*
 * SPDX-License-Identifier: Apache-2.0
 * Lineage service: datasets, jobs and the runs that connect them.
 */
CREATE TABLE namespaces (
    uuid        uuid PRIMARY KEY,
    name        varchar(1024) NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    description text
);

CREATE TABLE datasets (
    uuid            uuid PRIMARY KEY,
    namespace_uuid  uuid NOT NULL REFERENCES namespaces (uuid),
    name            varchar(1024) NOT NULL,
    facets          jsonb NOT NULL DEFAULT '{}'::jsonb, -- free-form; keys may hold ';'
    UNIQUE (namespace_uuid, name)
);

INSERT INTO namespaces (uuid, name, created_at, description) VALUES
    ('a8b7c6d5-0000-4000-8000-000000000001', 'default', '2024-01-01T00:00:00Z', E'The default namespace;\nused when none is given'),
    ('a8b7c6d5-0000-4000-8000-000000000002', U&'d\00e9p\00f4t', '2024-01-02T00:00:00Z', 'accents via U&''…'' strings');
