/**
 * `npm run bench:migrations-corpus`: real-world-sized folders, servicedb's runner against psql
 * (`psql -1 -f` per file, `-f` for no-transaction files: how those folders are applied by hand),
 * in one run: an 84-file folder (tables, functions, views, data, CONCURRENTLY indexes) and a 5 MB
 * data file, once as pg_dump's COPY … FROM stdin and once as INSERT statements. Every
 * measurement gets a new database; order alternates per round; medians of BENCH_ROUNDS (3).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client, ClientConfig } from "pg";
import { loadMigrations } from "../src/migrations/files";
import { migrate } from "../src/migrations/runner";
import { median } from "./stats";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ADMIN: ClientConfig = { host: "127.0.0.1", port: 5432, user: "postgres", database: "postgres" };

function folderOf84(dir: string): void {
    for (let i = 1; i <= 84; i++) {
        const v = String(i).padStart(3, "0");
        const body = i % 12 === 0
            ? `/* SPDX-License-Identifier: Apache-2.0 */\n-- servicedb:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t${i - 1}_v ON t${i - 1} (v);\n`
            : `-- migration ${i}\nCREATE TABLE t${i} (id bigint PRIMARY KEY, v text NOT NULL, at timestamptz DEFAULT now());\n` +
              `CREATE FUNCTION t${i}_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;\n` +
              `CREATE TRIGGER t${i}_touch BEFORE UPDATE ON t${i} FOR EACH ROW EXECUTE FUNCTION t${i}_touch();\n` +
              `CREATE VIEW t${i}_recent AS SELECT id, v FROM t${i} WHERE at > now() - interval '1 day';\n` +
              `INSERT INTO t${i} (id, v) SELECT g, 'row ' || g || '; of ${i}' FROM generate_series(1, 200) g;\n`;
        fs.writeFileSync(path.join(dir, `V${v}__step_${i}.sql`), body);
    }
}

/** About 5 MB of rows, as COPY data or as INSERT statements of 100 rows each. */
function dataFile(dir: string, kind: "copy" | "insert"): void {
    const rows: string[] = [];
    for (let i = 1; i <= 95_000; i++) rows.push(`${i}\tcustomer ${i}; name with 'quotes' and ü\t${(i * 37) % 100000}\n`);
    let sql = "CREATE TABLE payments (id bigint PRIMARY KEY, customer text NOT NULL, cents integer NOT NULL);\n";
    if (kind === "copy") sql += `COPY payments (id, customer, cents) FROM stdin;\n${rows.join("")}\\.\n`;
    else {
        for (let k = 0; k < rows.length; k += 100) {
            sql += "INSERT INTO payments VALUES\n" + rows.slice(k, k + 100).map((r) => {
                const [id, customer, cents] = r.trimEnd().split("\t");
                return `(${id}, '${customer.replace(/'/g, "''")}', ${cents})`;
            }).join(",\n") + ";\n";
        }
    }
    fs.writeFileSync(path.join(dir, "V001__payments.sql"), sql);
}

async function admin(sql: string): Promise<void> {
    const c = new Client(ADMIN);
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
}

async function timed(run: (db: string) => Promise<void>): Promise<number> {
    const db = `sdb_bench_corpus_${process.pid}_${Date.now()}`;
    await admin(`CREATE DATABASE ${db}`);
    try {
        const t0 = process.hrtime.bigint();
        await run(db);
        return Number(process.hrtime.bigint() - t0) / 1e6;
    } finally {
        await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    }
}

const tools = (dir: string): Record<string, (db: string) => Promise<void>> => ({
    servicedb: async (db) => {
        const c = new Client({ ...ADMIN, database: db });
        await c.connect();
        try { await migrate(c, loadMigrations(dir)); } finally { await c.end(); }
    },
    "psql -1 -f per file": async (db) => {
        for (const f of loadMigrations(dir)) {
            execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", ...(f.transactional ? ["-1"] : []), "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-f", path.join(dir, f.script)], { stdio: ["ignore", "ignore", "inherit"] });
        }
    },
});

async function main(): Promise<void> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-bench-corpus-"));
    const cases: Record<string, string> = {};
    for (const [name, make] of [["84 files", folderOf84], ["5 MB COPY data", (d: string) => dataFile(d, "copy")], ["5 MB INSERTs", (d: string) => dataFile(d, "insert")]] as const) {
        const dir = path.join(root, name.replace(/\W+/g, "_"));
        fs.mkdirSync(dir);
        make(dir);
        cases[name] = dir;
    }
    const size = (d: string) => fs.readdirSync(d).reduce((n, f) => n + fs.statSync(path.join(d, f)).size, 0);
    const version = execFileSync("psql", ["-X", "-tAc", "SHOW server_version", "-h", "127.0.0.1", "-U", "postgres"], { encoding: "utf8" }).trim();
    console.log(`Median of ${ROUNDS} rounds; ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${version} on 127.0.0.1; load average at start ${os.loadavg()[0].toFixed(1)}.\n`);
    console.log("| case | files, bytes | servicedb ms | psql ms | servicedb / psql |");
    console.log("|---|---:|---:|---:|---:|");
    for (const [name, dir] of Object.entries(cases)) {
        const t = tools(dir);
        const times: Record<string, number[]> = { servicedb: [], "psql -1 -f per file": [] };
        for (let r = 0; r < ROUNDS; r++) {
            const order = r % 2 ? Object.keys(t).reverse() : Object.keys(t);
            for (const tool of order) times[tool].push(await timed(t[tool]));
        }
        const [ours, theirs] = [median(times.servicedb), median(times["psql -1 -f per file"])];
        console.log(`| ${name} | ${fs.readdirSync(dir).length}, ${size(dir)} | ${Math.round(ours)} | ${Math.round(theirs)} | ${(ours / theirs).toFixed(2)}× |`);
    }
    fs.rmSync(root, { recursive: true });
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
