/**
 * `npm run bench:migrations`: apply N (default 500) small migrations to an empty database with
 * servicedb's runner, node-pg-migrate, postgrator and `psql -f` of the concatenated files (the
 * floor; also `psql -1 -f`, one transaction for everything, for reference). Each run gets a new
 * database; tools alternate order every round; medians are reported with ratios to the floor.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client, ClientConfig } from "pg";
import { runner as pgMigrate } from "node-pg-migrate";
import Postgrator from "postgrator";
import { loadMigrations } from "../src/migrations/files";
import { migrate } from "../src/migrations/runner";
import { median } from "./stats";

const N = Number(process.env.BENCH_MIGRATIONS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ADMIN: ClientConfig = { host: "127.0.0.1", port: 5432, user: "postgres", database: "postgres" };

/** BENCH_BODY=table (default): each migration creates a table and a row. insert: one tiny row each. */
const KIND = process.env.BENCH_BODY === "insert" ? "insert" : "table";
const body = (i: number) => KIND === "table" || i === 1
    ? `CREATE TABLE t${i} (id int PRIMARY KEY, v text NOT NULL);\nINSERT INTO t${i} VALUES (1, 'row of migration ${i}');\n`
    : `INSERT INTO t1 VALUES (${i}, 'row of migration ${i}');\n`;
const EXPECTED_TABLES = KIND === "table" ? N : 1;

function writeFiles(): Record<string, string> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-bench-"));
    const dirs = { servicedb: "servicedb", pgmigrate: "pgmigrate", postgrator: "postgrator" };
    for (const d of Object.values(dirs)) fs.mkdirSync(path.join(root, d));
    let all = "";
    for (let i = 1; i <= N; i++) {
        const n = String(i).padStart(4, "0");
        fs.writeFileSync(path.join(root, "servicedb", `V${n}__t${i}.sql`), body(i));
        fs.writeFileSync(path.join(root, "pgmigrate", `${n}_t${i}.sql`), body(i));
        fs.writeFileSync(path.join(root, "postgrator", `${n}.do.t${i}.sql`), body(i));
        all += body(i);
    }
    fs.writeFileSync(path.join(root, "all.sql"), all);
    return { root, ...Object.fromEntries(Object.entries(dirs).map(([k, d]) => [k, path.join(root, d)])), all: path.join(root, "all.sql") };
}

async function admin(sql: string): Promise<void> {
    const c = new Client(ADMIN);
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
}

async function withDb(run: (db: string) => Promise<void>): Promise<number> {
    const db = `sdb_bench_${process.pid}_${Date.now()}`;
    await admin(`CREATE DATABASE ${db}`);
    try {
        const t0 = process.hrtime.bigint();
        await run(db);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const c = new Client({ ...ADMIN, database: db });
        await c.connect();
        const n = (await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+$'`)).rows[0].n as number;
        await c.end();
        if (n !== EXPECTED_TABLES) throw new Error(`expected ${EXPECTED_TABLES} tables, found ${n}`);
        return ms;
    } finally {
        await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    }
}

async function connected(db: string, fn: (c: Client) => Promise<void>): Promise<void> {
    const c = new Client({ ...ADMIN, database: db });
    await c.connect();
    try { await fn(c); } finally { await c.end(); }
}

function tools(f: Record<string, string>): Record<string, (db: string) => Promise<void>> {
    return {
        "servicedb": (db) => connected(db, async (c) => { await migrate(c, loadMigrations(f.servicedb)); }),
        "node-pg-migrate": (db) => connected(db, async (c) => {
            await pgMigrate({ dbClient: c, dir: f.pgmigrate, direction: "up", migrationsTable: "pgmigrations", log: () => undefined, checkOrder: true });
        }),
        "postgrator": (db) => connected(db, async (c) => {
            const p = new Postgrator({ migrationPattern: path.join(f.postgrator, "*"), driver: "pg", database: db, execQuery: (q) => c.query(q) });
            await p.migrate();
        }),
        "psql -f (floor)": async (db) => {
            execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-f", f.all], { stdio: ["ignore", "ignore", "inherit"] });
        },
        "psql -1 -f (one transaction)": async (db) => {
            execFileSync("psql", ["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-f", f.all], { stdio: ["ignore", "ignore", "inherit"] });
        },
    };
}

async function main(): Promise<void> {
    const files = writeFiles();
    const t = tools(files);
    const names = Object.keys(t);
    const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = 0; r < ROUNDS; r++) {
        const order = r % 2 ? [...names].reverse() : names;
        for (const name of order) times[name].push(await withDb(t[name]));
        process.stderr.write(`round ${r + 1}/${ROUNDS}\n`);
    }
    fs.rmSync(files.root, { recursive: true });
    const floor = median(times["psql -f (floor)"]);
    const ours = median(times.servicedb);
    const version = execFileSync("psql", ["-X", "-tAc", "SHOW server_version", "-h", "127.0.0.1", "-U", "postgres"], { encoding: "utf8" }).trim();
    console.log(`${N} migrations (${KIND === "table" ? "each: CREATE TABLE + INSERT" : "each: one INSERT"}), median of ${ROUNDS} rounds; ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, Node ${process.version}, PostgreSQL ${version} on 127.0.0.1.\n`);
    console.log("| tool | median ms | vs floor (psql -f) | vs servicedb |");
    console.log("|---|---:|---:|---:|");
    for (const n of names) {
        const m = median(times[n]);
        console.log(`| ${n} | ${Math.round(m)} | ${(m / floor).toFixed(2)}× | ${(m / ours).toFixed(2)}× |`);
    }
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
