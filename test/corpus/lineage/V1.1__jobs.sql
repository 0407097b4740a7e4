CREATE TABLE jobs (
    uuid           uuid PRIMARY KEY,
    namespace_uuid uuid NOT NULL REFERENCES namespaces (uuid),
    name           varchar(1024) NOT NULL,
    type           varchar(64) NOT NULL CHECK (type IN ('BATCH', 'STREAM', 'SERVICE')),
    location       text
);

CREATE TABLE job_audit (job_uuid uuid, action text, at timestamptz DEFAULT '2024-01-01T00:00:00Z');

-- Every insert into jobs is mirrored into the audit table (a rule with two actions).
CREATE RULE jobs_audit AS ON INSERT TO jobs DO ALSO (
    INSERT INTO job_audit (job_uuid, action) VALUES (NEW.uuid, 'created');
    INSERT INTO job_audit (job_uuid, action) VALUES (NEW.uuid, 'named ' || NEW.name);
);

INSERT INTO jobs VALUES ('b0000000-0000-4000-8000-000000000001', 'a8b7c6d5-0000-4000-8000-000000000001', 'etl.daily', 'BATCH', NULL);
