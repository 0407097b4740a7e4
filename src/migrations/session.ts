/**
 * Every migration starts from the same session state: the connection's own defaults (its
 * startup options such as `-c search_path=…`, and ALTER ROLE/DATABASE … SET), as psql's one
 * session per file gives. A file's `SET search_path`, `set_config(…, false)` (pg_dump output),
 * `SET ROLE`, temporary tables, prepared statements, open cursors or LISTENs do not reach the next
 * file, nor the runner's own history write.
 *
 * Why a reset and not a new connection per file: the runner works on one injected client, and
 * that session holds the run's advisory lock; a second connection per file would double the
 * connections a run needs and cost a connect per file. DISCARD ALL cannot be used: it refuses to
 * run in a transaction block and releases advisory locks (the run's lock with them). So the reset
 * is DISCARD ALL's list without `pg_advisory_unlock_all()`; every part of it may run inside a
 * transaction, so it travels in the migration's own round trip, before the history INSERT.
 * Settings made with SET on the client before `migrate` is called are reset too: put them in the
 * connection's options instead.
 */
export const RESET_SESSION = [
    "RESET ALL", // GUCs, back to the connection's startup values
    "SET SESSION AUTHORIZATION DEFAULT", // session user and current role (SET ROLE)
    "RESET ROLE",
    "CLOSE ALL",
    "UNLISTEN *",
    "DEALLOCATE ALL",
    "DISCARD PLANS",
    "DISCARD SEQUENCES",
    "DISCARD TEMP",
].join("; ");
