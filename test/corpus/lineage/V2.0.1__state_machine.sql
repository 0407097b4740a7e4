-- Dollar-quote tags with non-ASCII letters, nested dollar quotes, and a DO block.
CREATE FUNCTION valid_transition(from_state text, to_state text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE AS $état$
BEGIN
    RETURN (from_state, to_state) IN (('NEW', 'RUNNING'), ('RUNNING', 'COMPLETED'), ('RUNNING', 'FAILED'));
END
$état$;

CREATE FUNCTION check_transition() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF NOT valid_transition(OLD.state, NEW.state) THEN
        RAISE EXCEPTION $msg$invalid transition %; from % to %$msg$, NEW.uuid, OLD.state, NEW.state;
    END IF;
    RETURN NEW;
END
$fn$;

CREATE TRIGGER runs_transition BEFORE UPDATE OF state ON runs FOR EACH ROW EXECUTE FUNCTION check_transition();

DO $$
BEGIN
    INSERT INTO runs (uuid, job_uuid, state, started_at)
    VALUES ('c0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', 'NEW', '2024-01-01T00:00:00Z');
    UPDATE runs SET state = 'RUNNING' WHERE uuid = 'c0000000-0000-4000-8000-000000000001';
END
$$;
