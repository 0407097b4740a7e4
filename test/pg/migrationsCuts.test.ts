/**
 * A migration batch with the server cutting the service's session after each of its statements in
 * turn (a restart, a failover), then the batch run again as the next `up` runs it: every file is
 * applied exactly once (one successful history row each, no duplicate), and the schema is what an
 * uncut run leaves.
 */
import { randomBytes } from "crypto";
import { Client } from "pg";
import { parseMigrationFile } from "../../src/migrations/files";
import { MigrationsInputs, applyMigrations, fileEntry } from "../../src/migrations/provider";
import { withCutAfter } from "./cuts";
import { asAdmin } from "./scratch";

const role = `sdb_migcut_${randomBytes(3).toString("hex")}`;
const FILES: Record<string, string> = {
    "V001__orders.sql": "CREATE TABLE orders (id bigint PRIMARY KEY);",
    "V002__lines.sql": "CREATE TABLE lines (order_id bigint REFERENCES orders(id), sku text);\nCREATE INDEX lines_by_order ON lines (order_id);",
    "V003__seed.sql": "INSERT INTO orders SELECT generate_series(1, 100);",
    "V004__status.sql": "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';",
    "R__view.sql": "CREATE OR REPLACE VIEW open_orders AS SELECT id FROM orders WHERE status = 'new';",
};

function inputs(database: string): MigrationsInputs {
    const parsed = Object.entries(FILES).map(([s, sql]) => parseMigrationFile(s, sql));
    return {
        service: "orders", url: `postgresql://${role}:x@127.0.0.1:5432/${database}?sslmode=disable`, schema: "public", lockTimeoutMs: 10_000,
        files: parsed.map((f) => fileEntry(f.script, f.checksum)), sources: Object.fromEntries(parsed.map((f) => [f.script, f.sql])), pending: [],
    };
}

async function freshDatabase(name: string): Promise<void> {
    await asAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
        await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} OWNER ${c.escapeIdentifier(role)}`);
    });
    await asAdmin((c) => c.query(`ALTER SCHEMA public OWNER TO ${c.escapeIdentifier(role)}`), name);
}

async function state(database: string): Promise<unknown> {
    const c = new Client({ host: "127.0.0.1", port: 5432, user: "postgres", database });
    await c.connect();
    try {
        const history = await c.query("SELECT script, count(*)::int AS n, bool_and(success) AS ok FROM servicedb_schema_history GROUP BY script ORDER BY script");
        const orders = await c.query("SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'new')::int AS open FROM orders");
        const objects = await c.query("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v', 'i') AND relname <> 'servicedb_schema_history' AND relname NOT LIKE '%_pkey' ORDER BY 1");
        return { history: history.rows, orders: orders.rows[0], objects: objects.rows.map((r) => r.relname) };
    } finally {
        await c.end();
    }
}

beforeAll(() => asAdmin((c) => c.query(`CREATE ROLE ${c.escapeIdentifier(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`)));
afterAll(() => asAdmin(async (c) => {
    for (const r of (await c.query<{ d: string }>("SELECT datname AS d FROM pg_database WHERE datname LIKE $1 || '%'", [role])).rows) {
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(r.d)} WITH (FORCE)`);
    }
    await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(role)}`);
}));

const sessions = (s: { user?: string }) => s.user === role;

test("cut after each statement of the batch, then run again: each file exactly once, the same schema as an uncut run", async () => {
    const ref = `${role}_ref`;
    await freshDatabase(ref);
    const uncut = await withCutAfter(0, sessions, () => applyMigrations(inputs(ref)));
    expect(uncut.error).toBeUndefined();
    const expected = await state(ref);
    expect(expected).toMatchObject({ orders: { n: 100, open: 100 }, objects: ["lines", "lines_by_order", "open_orders", "orders"] });
    expect(uncut.statements).toBeGreaterThan(5);
    for (let k = 1; k <= uncut.statements; k++) {
        const db = `${role}_k${k}`;
        await freshDatabase(db);
        await withCutAfter(k, sessions, () => applyMigrations(inputs(db)));
        const again = await applyMigrations(inputs(db));
        expect({ k, pending: again.pending }).toEqual({ k, pending: [] });
        expect({ k, state: await state(db) }).toEqual({ k, state: expected });
        await asAdmin((c) => c.query(`DROP DATABASE ${c.escapeIdentifier(db)} WITH (FORCE)`));
    }
}, 600_000);
