/**
 * `npm run bench:split`: SPLIT_BENCH_MB (default 1024) MB of generated rows across
 * SPLIT_BENCH_TABLES (default 20) tables in a scratch monolith, moved into an empty service
 * database by `split copy` (schema, COPY streams, keys, sequences), and the same tables by
 * `pg_dump -Fc -t … | pg_restore` (default compression, and -Z0), each into its own empty
 * database, one after the other in the same run. Each figure is the whole command, process start
 * included; MB are the source tables' size on disk (pg_table_size, without indexes).
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { randomBytes } from "crypto";
import { Client } from "pg";

const MB = Number(process.env.SPLIT_BENCH_MB ?? 1024);
const TABLES = Number(process.env.SPLIT_BENCH_TABLES ?? 20);
const ROOT = path.resolve(__dirname, "..");
const tag = randomBytes(3).toString("hex");
const src = `sdb_bench_split_src_${tag}`;
const role = `sdb_bench_split_svc_${tag}`;
const targets = { split: `sdb_bench_split_svc_${tag}`, dump: `sdb_bench_split_dump_${tag}`, dump0: `sdb_bench_split_dump0_${tag}` };
const name = (i: number) => `t${String(i).padStart(2, "0")}`;

async function sql(db: string, text: string, user = "postgres"): Promise<Record<string, unknown>[]> {
    const c = new Client({ host: "127.0.0.1", port: 5432, user, database: db });
    await c.connect();
    try { return (await c.query(text)).rows as Record<string, unknown>[]; } finally { await c.end(); }
}

async function generate(): Promise<number> {
    await sql("postgres", `CREATE DATABASE ${src}`);
    for (let i = 1; i <= TABLES; i++) {
        await sql(src, `CREATE TABLE ${name(i)} (id bigserial PRIMARY KEY, account int NOT NULL, created timestamptz NOT NULL, amount numeric(12,2), note text, tags text[])`);
    }
    // ~150 bytes a row on disk; sized from a sample so that the tables add up to MB.
    await sql(src, `INSERT INTO ${name(1)} (account, created, amount, note, tags) SELECT i % 1000, now() - i * interval '1 s', i / 100.0, md5(i::text) || md5((i + 1)::text), ARRAY['x', i::text] FROM generate_series(1, 20000) i`);
    const per = Number((await sql(src, `SELECT pg_table_size('${name(1)}') / 20000.0 AS b`))[0].b);
    const rows = Math.max(1, Math.round((MB * 1e6) / TABLES / per));
    for (let i = 1; i <= TABLES; i++) {
        await sql(src, `INSERT INTO ${name(i)} (account, created, amount, note, tags) SELECT i % 1000, now() - i * interval '1 s', i / 100.0, md5(i::text) || md5((i + 1)::text), ARRAY['x', i::text] FROM generate_series(${i === 1 ? 20001 : 1}, ${rows}) i`);
        process.stderr.write(`generated ${name(i)}\n`);
    }
    await sql(src, "VACUUM ANALYZE");
    return Number((await sql(src, `SELECT sum(pg_table_size(c.oid)) AS b FROM pg_class c WHERE relname ~ '^t[0-9]+$' AND relkind = 'r'`))[0].b);
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
    if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(" ")} … exited with ${r.status}`);
    return Number(process.hrtime.bigint() - t) / 1e9;
}

async function main(): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-bench-split-"));
    try {
        const bytes = await generate();
        await sql("postgres", `CREATE ROLE ${role} LOGIN`);
        await sql("postgres", `CREATE DATABASE ${targets.split} OWNER ${role}`);
        await sql("postgres", `CREATE DATABASE ${targets.dump}`);
        await sql("postgres", `CREATE DATABASE ${targets.dump0}`);
        const outputs = path.join(dir, "outputs.json");
        fs.writeFileSync(outputs, JSON.stringify({ databases: { bench: { cluster: "local", host: "127.0.0.1", port: 5432, database: targets.split, username: role, password: "", url: `postgresql://${role}@127.0.0.1:5432/${targets.split}?sslmode=disable` } } }));
        const plan = path.join(dir, "bench.yaml");
        fs.writeFileSync(plan, `source: { urlEnv: BENCH_SOURCE_URL }\nservices:\n  bench: { patterns: ["public.t*"] }\n`);
        const env = { ...process.env, BENCH_SOURCE_URL: `postgresql://postgres@127.0.0.1:5432/${src}?sslmode=disable` };
        const tablesArgs = Array.from({ length: TABLES }, (_, i) => ["-t", `public.${name(i + 1)}`]).flat();
        const results: [string, number][] = [];
        results.push(["split copy", timed(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/servicedb.ts", "split", "copy", "--plan", plan, "--outputs", outputs, "--progress-interval", "60000"], env)]);
        for (const [label, db, z] of [["pg_dump -Fc \\| pg_restore", targets.dump, []], ["pg_dump -Fc -Z0 \\| pg_restore", targets.dump0, ["-Z0"]]] as const) {
            const pipe = `set -o pipefail; pg_dump -h 127.0.0.1 -U postgres -Fc ${z.join(" ")} ${tablesArgs.join(" ")} ${src} | pg_restore -h 127.0.0.1 -U postgres --no-owner -d ${db}`;
            results.push([label, timed("bash", ["-c", pipe])]);
        }
        for (const db of Object.values(targets)) {
            const n = Number((await sql(db, `SELECT sum(n) AS n FROM (${Array.from({ length: TABLES }, (_, i) => `SELECT count(*) AS n FROM ${name(i + 1)}`).join(" UNION ALL ")}) x`))[0].n);
            const m = Number((await sql(src, `SELECT sum(n) AS n FROM (${Array.from({ length: TABLES }, (_, i) => `SELECT count(*) AS n FROM ${name(i + 1)}`).join(" UNION ALL ")}) x`))[0].n);
            if (n !== m) throw new Error(`${db} has ${n} rows, the source ${m}`);
        }
        const ours = results[0][1];
        const lines = [
            `${TABLES} tables, ${(bytes / 1e6).toFixed(0)} MB (pg_table_size), ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, ${execFileSync("pg_dump", ["--version"]).toString().trim()}`,
            "", "| tool | seconds | MB/s | time vs split copy |", "|---|---:|---:|---:|",
            ...results.map(([label, s]) => `| ${label} | ${s.toFixed(1)} | ${(bytes / 1e6 / s).toFixed(1)} | ${(s / ours).toFixed(2)}× |`),
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
    } finally {
        for (const db of [src, ...Object.values(targets)]) await sql("postgres", `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
        await sql("postgres", `DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((e: unknown) => { process.stderr.write(`bench:split: ${(e as Error).message}\n`); process.exitCode = 1; });
