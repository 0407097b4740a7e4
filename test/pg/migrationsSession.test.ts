/**
 * Session state does not leak from one migration into the next, nor into the runner's history
 * writes; a success that cannot be recorded is said, with the file, and never re-run silently.
 * As a plain owner role, the way a service's migrations run.
 */
import { Client } from "pg";
import { parseMigrationFile, sortMigrations } from "../../src/migrations/files";
import { MigrationError, info, migrate } from "../../src/migrations/runner";
import { Owned, ownedDatabases } from "./ownedDatabase";

let own: Owned;
let c: Client;
beforeEach(async () => {
    own = await ownedDatabases(1, "sdb_sess");
    c = await own.client(own.databases[0]);
});
afterEach(async () => { await own.drop(); });

const files = (entries: Record<string, string>) => sortMigrations(Object.entries(entries).map(([s, sql]) => parseMigrationFile(s, sql)));
const history = async () => (await c.query("SELECT script, success, installed_by FROM public.servicedb_schema_history ORDER BY installed_rank")).rows;
const owners = async () => (await c.query("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'servicedb_schema_history' ORDER BY 1")).rows;

test("search_path emptied by a file (pg_dump's set_config) does not reach the next file or the history", async () => {
    const set = files({
        "V1__dump_header.sql": "SET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.a (id int);",
        "V2__unqualified.sql": "CREATE TABLE b (id int);",
        "V3__no_tx.sql": "-- servicedb:no-transaction\nSET search_path = '';\nCREATE TABLE public.c (id int);",
        "V4__after_no_tx.sql": "CREATE TABLE d (id int);",
    });
    expect((await migrate(c, set)).map((a) => a.script)).toEqual(set.map((f) => f.script));
    expect((await owners()).map((r) => r.tablename)).toEqual(["a", "b", "c", "d"]);
    expect((await history()).every((r) => r.success)).toBe(true);
    expect((await c.query("SHOW search_path")).rows[0].search_path).toBe('"$user", public');
});

test("SET ROLE in a file applies to that file only; history rows are written as the runner's role", async () => {
    const m = c.escapeIdentifier(own.member);
    const set = files({
        "V1__as_member.sql": `CREATE TABLE owned_by_owner (id int);\nSET ROLE ${m};\nSELECT 1;`,
        "V2__next.sql": "CREATE TABLE next_one (id int);",
        "V3__no_tx_role.sql": `-- servicedb:no-transaction\nSET ROLE ${m};\nSELECT 1;`,
        "V4__last.sql": "CREATE TEMP TABLE scratch (i int);\nCREATE TABLE last_one (id int);",
        "V5__temp_again.sql": "CREATE TEMP TABLE scratch (i int);",
    });
    await migrate(c, set);
    expect(await owners()).toEqual(["last_one", "next_one", "owned_by_owner"].map((t) => ({ tablename: t, tableowner: own.owner })));
    expect(await history()).toEqual(set.map((f) => ({ script: f.script, success: true, installed_by: own.owner })));
    expect((await c.query("SELECT current_user AS u")).rows[0].u).toBe(own.owner);
    expect(await migrate(c, set)).toEqual([]);
});

test("a no-transaction file whose success cannot be recorded says so and is not run again", async () => {
    const set = files({
        "V1__t.sql": "CREATE TABLE t (id int);",
        "V2__locks_history.sql": `-- servicedb:no-transaction\nINSERT INTO t VALUES (1);\nREVOKE UPDATE ON servicedb_schema_history FROM ${c.escapeIdentifier(own.owner)};`,
    });
    const err = await migrate(c, set).then(() => undefined, (e: unknown) => e) as MigrationError;
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.message).toMatch(/^V2__locks_history\.sql: ran completely, but recording its success in servicedb_schema_history failed \(permission denied for table servicedb_schema_history\); its row \(installed_rank \d+\) still says failed, so later runs stop there instead of running it again/);
    expect((await info(c, set)).map((i) => i.state)).toEqual(["applied", "failed"]);
    await expect(migrate(c, set)).rejects.toThrow(/V2__locks_history\.sql: failed or was interrupted on/);
    expect((await c.query("SELECT count(*)::int AS n FROM t")).rows[0].n).toBe(1);
});

test("a transactional file that breaks the history write is named, and rolled back whole", async () => {
    const set = files({ "V1__breaks_history.sql": `CREATE TABLE gone (id int);\nREVOKE INSERT ON servicedb_schema_history FROM ${c.escapeIdentifier(own.owner)};` });
    await expect(migrate(c, set)).rejects.toThrow(
        "V1__breaks_history.sql: could not record it in the history (permission denied for table servicedb_schema_history); it was rolled back");
    expect(await owners()).toEqual([]);
});
