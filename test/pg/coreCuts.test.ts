/**
 * A ServiceCore's create, update and delete with the server cutting the admin's session after
 * each statement in turn (as a restart, a failover or a maintenance window would), then the
 * operation run again as the engine runs it (a failed create is created again, a failed update
 * is updated again from the same old state, a failed delete is deleted again): the result equals
 * an uncut run — the server reads back exactly the declared facts, both logins work with the
 * passwords of the outputs — and a delete leaves nothing.
 */
import { randomBytes } from "crypto";
import { Client } from "pg";
import { changedKeys, CoreInputs, CoreOutputs } from "../../src/core/inputs";
import { checkCore, createCore, deleteCore, readCore, updateCore } from "../../src/core/provider";
import { coreSessions, withCutAfter } from "./cuts";
import { asAdmin } from "./scratch";

const tag = randomBytes(3).toString("hex");
const PREFIX = `sdb_cut_${tag}_`;
const declared = (service: string, extra: Partial<CoreInputs> = {}): CoreInputs => checkCore({
    host: "127.0.0.1", port: 5432, adminUser: "postgres", sslmode: "disable", maintenanceDatabase: "postgres",
    superuser: true, parallelism: 2, reservedConnections: 10, owner: `test/${tag}`, role: `${PREFIX}${service}`, database: `${PREFIX}${service}`,
    connectionLimit: 3, schemas: ["public", "app"], extensions: ["pgcrypto"], readers: true, parameters: { statement_timeout: "60000", work_mem: "4096" }, rotationA: "", rotationB: "0", passwordLength: 24,
    ...extra,
}).inputs;

async function expectConverged(o: CoreOutputs, i: CoreInputs): Promise<void> {
    const { props } = await readCore("id", o);
    expect(changedKeys(props, i)).toEqual([]);
    for (const [user, password] of [[i.role, o.passwordA], [`${i.role}_b`, o.passwordB]]) {
        const c = new Client({ host: "127.0.0.1", port: 5432, database: i.database, user, password });
        await c.connect();
        await c.end();
    }
}

const leftovers = (prefix: string) => asAdmin(async (c) => {
    const r = await c.query<{ n: string }>(
        `SELECT datname AS n FROM pg_database WHERE datname LIKE $1 || '%' UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE $1 || '%' ORDER BY 1`, [prefix]);
    return r.rows.map((x) => x.n);
});

afterAll(async () => {
    await asAdmin(async (c) => {
        for (const d of (await c.query<{ n: string }>("SELECT datname AS n FROM pg_database WHERE datname LIKE $1 || '%'", [PREFIX])).rows) {
            await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(d.n)} WITH (FORCE)`);
        }
        for (const r of (await c.query<{ n: string }>("SELECT rolname AS n FROM pg_roles WHERE rolname LIKE $1 || '%' ORDER BY length(rolname) DESC", [PREFIX])).rows) {
            await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(r.n)}`);
        }
    });
}, 120_000);

/** How many statements an uncut run of `op` sends on the core's sessions. */
async function statementsOf<T>(op: () => Promise<T>): Promise<{ statements: number; value: T }> {
    const run = await withCutAfter(0, coreSessions, op);
    if (run.error) throw run.error;
    return { statements: run.statements, value: run.value as T };
}

test("create, cut after each statement, then created again: as if never cut", async () => {
    const ref = await statementsOf(() => createCore(declared("ref")));
    await deleteCore(ref.value);
    expect(ref.statements).toBeGreaterThan(10);
    for (let k = 1; k <= ref.statements; k++) {
        const i = declared(`c${k}`);
        const cut = await withCutAfter(k, coreSessions, () => createCore(i));
        const out = cut.error === undefined ? cut.value as CoreOutputs : await createCore(i);
        await expectConverged(out, i);
        await deleteCore(out);
        expect(await leftovers(i.role)).toEqual([]);
    }
}, 600_000);

test("update (rename, limit, rotation, a schema, an extension), cut after each statement, then updated again: as if never cut", async () => {
    const change = (i: CoreInputs) => declared(`${i.role.slice(PREFIX.length)}_new`, {
        connectionLimit: 5, rotationB: "1", schemas: ["public", "app", "extra"], extensions: ["pgcrypto", "citext"],
    });
    const before = await createCore(declared("uref"));
    const ref = await statementsOf(() => updateCore(before, change(before)));
    await deleteCore(ref.value);
    for (let k = 1; k <= ref.statements; k++) {
        const olds = await createCore(declared(`u${k}`));
        const news = change(olds);
        const cut = await withCutAfter(k, coreSessions, () => updateCore(olds, news));
        const out = cut.error === undefined ? cut.value as CoreOutputs : await updateCore(olds, news);
        await expectConverged(out, news);
        await deleteCore(out);
        expect([...await leftovers(olds.role), ...await leftovers(news.role)]).toEqual([]);
    }
}, 900_000);

test("delete, cut after each statement, then deleted again: nothing left", async () => {
    const ref = await statementsOf(async () => deleteCore(await createCore(declared("dref"))));
    for (let k = 1; k <= ref.statements; k++) {
        const o = await createCore(declared(`d${k}`));
        // Count only the delete's statements: the create ran before the cut's counter.
        const cut = await withCutAfter(k, coreSessions, () => deleteCore(o));
        if (cut.error !== undefined) await deleteCore(o);
        expect(await leftovers(o.role)).toEqual([]);
        if (cut.statements < k) break; // past the delete's last statement
    }
}, 600_000);

test("only its own half-made database is taken over: an unmarked one with something in it, or owned by another role, is refused", async () => {
    const i = declared("lookalike");
    const o = await createCore(i);
    // As a hand-made or restored database of the same name would be: unmarked, with a table in it.
    await asAdmin((c) => c.query(`COMMENT ON DATABASE ${c.escapeIdentifier(i.database)} IS NULL`));
    await asAdmin((c) => c.query("CREATE TABLE app.kept (id int)"), i.database);
    await expect(createCore(i)).rejects.toThrow(/database "sdb_cut_\w+_lookalike" already exists and was not created by this stack's ServiceCore/);
    await asAdmin((c) => c.query("DROP TABLE app.kept"), i.database);
    await asAdmin((c) => c.query(`ALTER DATABASE ${c.escapeIdentifier(i.database)} OWNER TO postgres`));
    await expect(createCore(i)).rejects.toThrow(/database "sdb_cut_\w+_lookalike" already exists/);
    await deleteCore(o);
}, 120_000);
