import { Client } from "pg";
import { MigrationFile, parseMigrationFile, sortMigrations } from "../../src/migrations/files";
import { MigrationError, baseline, info, migrate, validate } from "../../src/migrations/runner";
import { Scratch, asAdmin, scratchDatabase } from "./scratch";

const file = (script: string, sql: string): MigrationFile => parseMigrationFile(script, sql);
const set = (...files: MigrationFile[]) => sortMigrations(files);

const V1 = file("V001__create_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);");
const V2 = file("V002__add_user_roles.sql", "CREATE TABLE user_roles (user_id bigint REFERENCES users(id), role text);\nINSERT INTO users VALUES (1, 'a@example.com');");
const V3 = file("V003__index_email.sql", "CREATE UNIQUE INDEX users_email ON users (email);");

let db: Scratch;
let c: Client;
beforeEach(async () => {
    db = await scratchDatabase();
    c = await db.client();
});
afterEach(async () => {
    await db.drop();
});

async function tables(client: Client): Promise<string[]> {
    const r = await client.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    return r.rows.map((x) => x.t);
}

async function historyRows(client: Client): Promise<{ version: string | null; script: string; success: boolean }[]> {
    return (await client.query("SELECT version, script, success, checksum, installed_by, execution_time_ms FROM servicedb_schema_history ORDER BY installed_rank")).rows;
}

test("applies pending migrations in order, records them, and a rerun is a no-op", async () => {
    const progress: string[] = [];
    const applied = await migrate(c, set(V3, V1, V2), { onProgress: (e) => progress.push(`${e.phase} ${e.script}`) });
    expect(applied.map((a) => a.script)).toEqual(["V001__create_users.sql", "V002__add_user_roles.sql", "V003__index_email.sql"]);
    expect(progress).toEqual(["start V001__create_users.sql", "done V001__create_users.sql", "start V002__add_user_roles.sql", "done V002__add_user_roles.sql", "start V003__index_email.sql", "done V003__index_email.sql"]);
    expect(await tables(c)).toEqual(["servicedb_schema_history", "user_roles", "users"]);
    const rows = await historyRows(c);
    expect(rows.map((r) => [r.version, r.script, r.success])).toEqual([["1", "V001__create_users.sql", true], ["2", "V002__add_user_roles.sql", true], ["3", "V003__index_email.sql", true]]);
    expect(rows[0]).toMatchObject({ checksum: V1.checksum, installed_by: "postgres" });

    expect(await migrate(c, set(V1, V2, V3))).toEqual([]);
    expect(await historyRows(c)).toHaveLength(3);
    expect((await info(c, set(V1, V2, V3))).map((i) => i.state)).toEqual(["applied", "applied", "applied"]);
});

test("a migration that fails mid-file leaves nothing of itself; earlier ones stay applied", async () => {
    const bad = file("V002__bad.sql", "CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nINSERT INTO nope VALUES (1);\n");
    const err = await migrate(c, set(V1, bad, V3)).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).message).toBe(
        `V002__bad.sql: line 3, column 13: relation "nope" does not exist (SQLSTATE 42P01); the migration was rolled back; earlier migrations stay applied`);
    expect((err as MigrationError).script).toBe("V002__bad.sql");
    expect(await tables(c)).toEqual(["servicedb_schema_history", "users"]);
    expect((await historyRows(c)).map((r) => r.script)).toEqual(["V001__create_users.sql"]);
    expect((await info(c, set(V1, bad, V3))).map((i) => i.state)).toEqual(["applied", "pending", "pending"]);
});

test("an applied file whose content changed stops the run (checksum), nothing applied", async () => {
    await migrate(c, set(V1));
    const edited = file("V001__create_users.sql", V1.sql + "\n-- edited\nALTER TABLE users ADD COLUMN name text;");
    const err = await migrate(c, set(edited, V2)).then(() => undefined, (e: unknown) => e) as MigrationError;
    expect(err.message).toBe(`validation failed, nothing applied:\n  - V001__create_users.sql: was applied with checksum ${V1.checksum.slice(0, 12)}… but the file now has ${edited.checksum.slice(0, 12)}…; applied migrations are immutable: restore the file and put the change in a new migration`);
    expect(await tables(c)).not.toContain("user_roles");
    expect((await info(c, set(edited, V2))).map((i) => i.state)).toEqual(["changed", "pending"]);
    expect(await migrate(c, set(edited, V2), { allowChanged: true })).toHaveLength(1);
});

test("line endings do not count as a change", async () => {
    await migrate(c, set(file("V001__crlf.sql", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);")));
    const crlf = file("V001__crlf.sql", "CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);");
    expect(await validate(c, set(crlf))).toEqual([]);
});

test("an applied migration whose file was deleted is reported missing", async () => {
    await migrate(c, set(V1, V2));
    const problems = await validate(c, set(V1));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^V002__add_user_roles\.sql: was applied on \d{4}-\d\d-\d\dT.* but its file is gone; restore it, or allow missing migrations$/);
    expect((await info(c, set(V1))).map((i) => [i.script, i.state])).toEqual([["V001__create_users.sql", "applied"], ["V002__add_user_roles.sql", "missing"]]);
    await expect(migrate(c, set(V1))).rejects.toThrow(/its file is gone/);
    expect(await migrate(c, set(V1), { allowMissing: true })).toEqual([]);
});

test("a pending version below the highest applied one is out of order unless allowed", async () => {
    await migrate(c, set(V1, V3));
    await expect(migrate(c, set(V1, V2, V3))).rejects.toThrow(
        "V002__add_user_roles.sql: version 2 is pending but version 3 is already applied (out of order); give it a version above 3, or allow out-of-order migrations");
    expect(await tables(c)).not.toContain("user_roles");
    expect((await migrate(c, set(V1, V2, V3), { allowOutOfOrder: true })).map((a) => a.script)).toEqual(["V002__add_user_roles.sql"]);
});

test("baseline marks an existing database: files up to it are never applied", async () => {
    await c.query("CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL)");
    await c.query("CREATE TABLE user_roles (user_id bigint, role text)");
    await baseline(c, 2);
    expect((await info(c, set(V1, V2, V3))).map((i) => [i.version, i.state])).toEqual([["2", "applied"], ["3", "pending"]]);
    expect((await migrate(c, set(V1, V2, V3))).map((a) => a.script)).toEqual(["V003__index_email.sql"]);
    await expect(baseline(c, 5)).rejects.toThrow("the history already has 2 row(s); baseline only marks a database that servicedb has never migrated");
});

test("four concurrent runners apply each migration exactly once", async () => {
    const files = set(...Array.from({ length: 12 }, (_, i) => file(`V${i + 1}__t${i + 1}.sql`, `CREATE TABLE t${i + 1} (id int); SELECT pg_sleep(0.01);`)));
    const clients = await Promise.all([1, 2, 3, 4].map(() => db.client()));
    const results = await Promise.all(clients.map((cl) => migrate(cl, files, { lockTimeoutMs: 30_000 })));
    expect(results.map((r) => r.length).sort()).toEqual([0, 0, 0, 12]);
    const rows = await historyRows(c);
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.version)).size).toBe(12);
});

test("a runner that cannot get the lock in time says so and changes nothing", async () => {
    const holder = await db.client();
    const [k1, k2] = (await import("../../src/migrations/runner")).lockKeys("public");
    await holder.query("SELECT pg_advisory_lock($1, $2)", [k1, k2]);
    await expect(migrate(c, set(V1), { lockTimeoutMs: 200 })).rejects.toThrow(
        "another migration run has held the lock on this database for more than 200 ms; wait for it to finish, or raise the lock timeout");
    expect(await tables(c)).toEqual([]);
    expect((await c.query("SHOW lock_timeout")).rows[0].lock_timeout).toBe("0");
});

test("a no-transaction file runs statement by statement (CREATE INDEX CONCURRENTLY)", async () => {
    const idx = file("V002__index_concurrently.sql", "-- servicedb:no-transaction\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nCREATE INDEX CONCURRENTLY users_id_idx ON users (id);\n");
    expect(idx.transactional).toBe(false);
    await migrate(c, set(V1, idx));
    const r = await c.query("SELECT indexname FROM pg_indexes WHERE tablename = 'users' ORDER BY 1");
    expect(r.rows.map((x) => x.indexname)).toEqual(["users_email_idx", "users_id_idx", "users_pkey"]);
    // The same statement in a transactional file is refused before anything runs: the opt-out is needed.
    expect(() => file("V003__in_tx.sql", "SELECT 1;\nCREATE INDEX CONCURRENTLY users_x ON users (email);")).toThrow(
        'V003__in_tx.sql: line 2: CREATE INDEX CONCURRENTLY cannot run inside a transaction, and this file runs in one; add the line "-- servicedb:no-transaction" to the file\'s header (the comments before the first statement) so that it runs statement by statement');
});

test("a failed no-transaction file is recorded as failed and blocks later runs", async () => {
    const broken = file("V002__nontx_broken.sql", "-- servicedb:no-transaction\nCREATE TABLE kept (id int);\nCREATE INDEX CONCURRENTLY k ON kept (id);\nINSERT INTO missing_table VALUES (1);\n");
    await expect(migrate(c, set(V1, broken))).rejects.toThrow(
        `V002__nontx_broken.sql: line 4, column 13: relation "missing_table" does not exist (SQLSTATE 42P01); it ran outside a transaction: statements before this one stay applied`);
    expect(await tables(c)).toContain("kept");
    expect((await info(c, set(V1, broken))).map((i) => i.state)).toEqual(["applied", "failed"]);
    await expect(migrate(c, set(V1, broken))).rejects.toThrow(/V002__nontx_broken\.sql: failed or was interrupted on .* outside a transaction and may have left changes behind; repair the database by hand, then delete the row of version 2 from servicedb_schema_history/);
});

test("repeatable migrations run after versioned ones, again only when they change", async () => {
    const view = file("R__user_view.sql", "CREATE OR REPLACE VIEW user_emails AS SELECT email FROM users;");
    expect((await migrate(c, set(view, V1))).map((a) => a.script)).toEqual(["V001__create_users.sql", "R__user_view.sql"]);
    expect(await migrate(c, set(view, V1))).toEqual([]);
    const view2 = file("R__user_view.sql", "CREATE OR REPLACE VIEW user_emails AS SELECT email, id FROM users;");
    expect((await info(c, set(view2, V1))).map((i) => i.state)).toEqual(["applied", "pending"]);
    expect((await migrate(c, set(view2, V1))).map((a) => a.script)).toEqual(["R__user_view.sql"]);
});

test("a connection lost mid-run loses only the migration in flight; a rerun completes", async () => {
    const slow = file("V002__slow.sql", "CREATE TABLE slow_one (id int);\nSELECT pg_sleep(2);");
    const run = migrate(c, set(V1, slow, V3)).then(() => undefined, (e: unknown) => e);
    // Wait until the runner is inside V002, then terminate its backend.
    await asAdmin(async (admin) => {
        for (let i = 0; i < 400; i++) {
            const r = await admin.query("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()", [db.database]);
            if (r.rows.length) { await admin.query("SELECT pg_terminate_backend($1)", [r.rows[0].pid]); return; }
            await new Promise((res) => setTimeout(res, 5));
        }
        throw new Error("the runner never reached V002");
    });
    expect(await run).toBeInstanceOf(Error);
    const again = await db.client();
    expect((await historyRows(again)).map((r) => r.script)).toEqual(["V001__create_users.sql"]);
    expect(await tables(again)).toEqual(["servicedb_schema_history", "users"]);
    // The dead session's lock went with it: a rerun applies V002 and V003.
    expect((await migrate(again, set(V1, slow, V3), { lockTimeoutMs: 5_000 })).map((a) => a.script)).toEqual(["V002__slow.sql", "V003__index_email.sql"]);
    expect(await tables(again)).toEqual(["servicedb_schema_history", "slow_one", "users"]);
}, 60_000);
