/**
 * 2–8 runners at once on folders holding CREATE/DROP INDEX CONCURRENTLY files (migrations/orders
 * and one of our own): no deadlock, each migration applied exactly once, every index valid.
 * With a waiter blocked in pg_advisory_lock (the earlier design) every trial here deadlocked.
 */
import * as path from "path";
import { Client } from "pg";
import { MigrationFile, loadMigrations, parseMigrationFile, sortMigrations } from "../../src/migrations/files";
import { migrate } from "../../src/migrations/runner";
import { Scratch, scratchDatabase } from "./scratch";

const ORDERS = loadMigrations(path.join(__dirname, "../../migrations/orders"));
const OURS = sortMigrations([
    parseMigrationFile("V1__items.sql", "CREATE TABLE items (id int PRIMARY KEY, v text);\nINSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 2000) g;"),
    parseMigrationFile("V2__index_v.sql", "/* SPDX-License-Identifier: Apache-2.0 */\n-- servicedb:no-transaction\nCREATE INDEX CONCURRENTLY items_v ON items (v);"),
    parseMigrationFile("V3__column_w.sql", "ALTER TABLE items ADD COLUMN w int;"),
    parseMigrationFile("V4__swap_index.sql", "-- servicedb:no-transaction\nCREATE INDEX CONCURRENTLY items_w ON items (w);\nDROP INDEX CONCURRENTLY items_v;"),
]);

let db: Scratch;
beforeAll(async () => { db = await scratchDatabase("sdb_conc"); });
afterAll(async () => { await db.drop(); });

async function trial(runners: number, files: readonly MigrationFile[], schema: string): Promise<void> {
    const clients = await Promise.all(Array.from({ length: runners }, async () => {
        const c = new Client({ ...db.config, options: `-c search_path=${schema}` });
        c.on("error", () => undefined);
        await c.connect();
        return c;
    }));
    try {
        const results = await Promise.all(clients.map((c) => migrate(c, files, { schema, lockTimeoutMs: 60_000 })));
        expect(results.map((r) => r.length).sort((a, b) => b - a)).toEqual([files.length, ...Array(runners - 1).fill(0)]);
        const check = clients[0];
        const rows = await check.query<{ script: string; success: boolean }>(`SELECT script, success FROM ${check.escapeIdentifier(schema)}.servicedb_schema_history ORDER BY installed_rank`);
        expect(rows.rows).toEqual(files.map((f) => ({ script: f.script, success: true })));
        const invalid = await check.query("SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT i.indisvalid", [schema]);
        expect(invalid.rows).toEqual([]);
    } finally {
        await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    }
}

// One trial per runner count here (the run time stays small); `npm run bench:migrations-concurrency`
// repeats them many times.
test.each([2, 3, 4, 5, 6, 7, 8])("%i concurrent runners on a folder with CONCURRENTLY files", async (runners) => {
    const [name, files] = runners % 2 ? ["ours", OURS] as const : ["orders", ORDERS] as const;
    await trial(runners, files, `${name}_${runners}`);
}, 60_000);
