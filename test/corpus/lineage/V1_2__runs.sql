CREATE TABLE runs (
    uuid        uuid PRIMARY KEY,
    job_uuid    uuid NOT NULL REFERENCES jobs (uuid),
    state       text NOT NULL DEFAULT 'NEW',
    started_at  timestamptz,
    ended_at    timestamptz
);

-- SQL-standard function bodies (PostgreSQL 14+): semicolons inside BEGIN ATOMIC … END.
CREATE FUNCTION run_duration(r runs) RETURNS interval
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT CASE WHEN r.ended_at IS NULL THEN NULL ELSE r.ended_at - r.started_at END;
END;

CREATE PROCEDURE close_run(id uuid, s text)
    LANGUAGE sql
BEGIN ATOMIC
    UPDATE runs SET state = s, ended_at = now() WHERE uuid = id;
    INSERT INTO job_audit (job_uuid, action) SELECT job_uuid, 'run ' || s FROM runs WHERE uuid = id;
END;
