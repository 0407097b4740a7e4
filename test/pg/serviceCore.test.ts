/**
 * The ServiceCore provider (`servicedb:core: single`) on the real server: what it creates passes
 * every `verify` check, both logins work, objects it did not create are refused untouched, a
 * failed create leaves nothing, an interrupted create is taken over, updates rotate one slot,
 * change limits, rename and add or drop the reader, the semaphore bounds its connections, and
 * delete removes everything.
 */
import { randomBytes } from "crypto";
import { Client } from "pg";
import { CoreInputs, CoreOutputs } from "../../src/core/inputs";
import { createCore, deleteCore, updateCore } from "../../src/core/provider";
import { asAdmin } from "./scratch";
import { failures, tempDir, verify } from "./verifyRun";

const tag = randomBytes(3).toString("hex");
const base = (service: string): CoreInputs => ({
    host: "127.0.0.1", port: 5432, adminUser: "postgres", sslmode: "disable", maintenanceDatabase: "postgres",
    superuser: true, parallelism: 4, reservedConnections: 10, owner: `test/${tag}`,
    role: `sdb_core_${tag}_${service}`, database: `sdb_core_${tag}_${service}`, connectionLimit: 5,
    schemas: ["public"], extensions: [], readers: false, parameters: {}, rotationA: "", rotationB: "0", passwordLength: 40,
});
const made: CoreOutputs[] = [];
const tmp = tempDir();

async function login(o: CoreOutputs, slot: "a" | "b"): Promise<string> {
    const c = new Client({ host: "127.0.0.1", port: 5432, database: o.database,
        user: slot === "a" ? o.role : `${o.role}_b`, password: slot === "a" ? o.passwordA : o.passwordB });
    await c.connect();
    try { return (await c.query<{ u: string }>("SELECT current_user AS u")).rows[0].u; } finally { await c.end(); }
}

const catalog = (role: string, database: string) => asAdmin(async (c) => {
    const r = await c.query<{ roles: string[] | null; limit: number | null; dblimit: number | null }>(
        `SELECT (SELECT array_agg(rolname::text ORDER BY rolname) FROM pg_roles WHERE rolname LIKE $1 || '%') AS roles,
                (SELECT rolconnlimit FROM pg_roles WHERE rolname = $1) AS limit,
                (SELECT datconnlimit FROM pg_database WHERE datname = $2) AS dblimit`, [role, database]);
    return r.rows[0];
});

afterAll(async () => {
    for (const o of made) await deleteCore(o).catch(() => undefined);
    await asAdmin(async (c) => {
        await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(`sdb_core_${tag}_handmade`)}`);
    });
    tmp.remove();
}, 120_000);

test("three services: every verify check passes, both logins log in and act as the owner", async () => {
    const inputs = [base("orders"), { ...base("indexer"), schemas: ["public", "indexer"], extensions: ["pgcrypto"] }, { ...base("search"), readers: true, connectionLimit: 3 }];
    for (const i of inputs) made.push(await createCore(i));
    const databases = Object.fromEntries(made.map((o) => [o.database, {
        cluster: "local", host: "127.0.0.1", port: 5432, database: o.database, username: o.role, password: o.passwordA,
        url: `postgresql://${o.role}:${o.passwordA}@127.0.0.1:5432/${o.database}?sslmode=disable`,
    }]));
    const summary = Object.fromEntries(made.map((o) => [o.database, {
        cluster: "local", database: o.database, role: o.role, connectionLimit: o.connectionLimit, schemas: o.schemas,
        ...(o.readers ? { readerRole: `${o.role}_reader` } : {}),
    }]));
    const { code, results } = await verify(tmp.dir, { databases, summary });
    expect(failures(results)).toEqual([]);
    expect(code).toBe(0);
    expect(await login(made[0], "a")).toBe(made[0].role);
    expect(await login(made[0], "b")).toBe(made[0].role); // SET role = owner at login
    const stored = await asAdmin((c) => c.query<{ p: string }>("SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1", [made[0].role]));
    expect(stored.rows[0].p).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(made[0].passwordA).toMatch(/^[A-Za-z0-9]{40}$/);
}, 180_000);

test("a role it did not create is refused and left as it was; nothing else is created", async () => {
    const i = base("handmade");
    await asAdmin((c) => c.query(`CREATE ROLE ${c.escapeIdentifier(i.role)} NOLOGIN`));
    await expect(createCore(i)).rejects.toThrow(/role "sdb_core_\w+_handmade" already exists and was not created by this stack's ServiceCore .*nothing was changed/);
    expect(await catalog(i.role, i.database)).toEqual({ roles: [i.role], limit: -1, dblimit: null });
}, 60_000);

test("a create that fails inside the database drops the logins and the database it made", async () => {
    const i = { ...base("broken"), extensions: ["no_such_extension"] };
    await expect(createCore(i)).rejects.toThrow(/service database "sdb_core_\w+_broken".*no_such_extension/);
    expect(await catalog(i.role, i.database)).toEqual({ roles: null, limit: null, dblimit: null });
}, 60_000);

test("an interrupted create (objects marked by this stack, no state) is taken over with new passwords", async () => {
    const first = await createCore(base("resumed"));
    const again = await createCore(base("resumed"));
    made.push(again);
    expect(again.passwordA).not.toBe(first.passwordA);
    expect(await login(again, "a")).toBe(again.role);
    await expect(createCore({ ...base("resumed"), owner: "other/stack" })).rejects.toThrow(/not created by this stack's ServiceCore/);
}, 60_000);

test("updates: one slot rotates, limits change, the reader comes and goes, a rename keeps the data", async () => {
    const i = made[0];
    const rotated = await updateCore(i, { ...i, rotationB: "1", connectionLimit: 7 });
    expect(rotated.passwordA).toBe(i.passwordA);
    expect(rotated.passwordB).not.toBe(i.passwordB);
    expect(await login(rotated, "a")).toBe(i.role); // the previous credential keeps working
    expect(await login(rotated, "b")).toBe(i.role);
    expect(await catalog(i.role, i.database)).toMatchObject({ limit: 7, dblimit: 7 });

    const withReader = await updateCore(rotated, { ...rotated, readers: true });
    expect((await catalog(i.role, i.database)).roles).toContain(`${i.role}_reader`);
    const without = await updateCore(withReader, { ...withReader, readers: false });
    expect((await catalog(i.role, i.database)).roles).toEqual([i.role, `${i.role}_b`]);

    const c = new Client({ host: "127.0.0.1", port: 5432, database: i.database, user: i.role, password: without.passwordA });
    await c.connect();
    await c.query("CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");
    await c.end();
    const renamed = await updateCore(without, { ...without, role: `${i.role}_new`, database: `${i.database}_new` });
    made[0] = renamed;
    expect(await login(renamed, "b")).toBe(`${i.role}_new`);
    const rows = await asAdmin((a) => a.query<{ id: number }>("SELECT id FROM kept"), renamed.database);
    expect(rows.rows).toEqual([{ id: 42 }]);
}, 120_000);

test("at most `parallelism` admin connections per server, however many creates run at once", async () => {
    // Another name for the same server: a semaphore of its own (the provider keys them by host:port).
    const inputs = Array.from({ length: 8 }, (_, k) => ({ ...base(`par${k}`), host: "localhost", parallelism: 2 }));
    let peak = 0;
    let polling = true;
    const poll = (async () => {
        while (polling) {
            const n = await asAdmin((c) => c.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'servicedb core'"));
            peak = Math.max(peak, Number(n.rows[0].n));
        }
    })();
    const outs = await Promise.all(inputs.map((i) => createCore(i)));
    made.push(...outs);
    polling = false;
    await poll;
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(2);
}, 120_000);

test("delete drops the database (sessions and all) and every role", async () => {
    const o = made.pop() as CoreOutputs;
    const held = new Client({ host: "127.0.0.1", port: 5432, database: o.database, user: o.role, password: o.passwordA });
    held.on("error", () => undefined);
    await held.connect();
    await deleteCore(o);
    expect(await catalog(o.role, o.database)).toEqual({ roles: null, limit: null, dblimit: null });
    await held.end().catch(() => undefined);
}, 60_000);
