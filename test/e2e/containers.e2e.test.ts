/**
 * End to end, container mode: two indexers, each in its own PostgreSQL container (TimescaleDB and
 * the official image), both creating tables "vars" and "blocks" with different columns. Checks
 * the data, a replacement that keeps it, verify, destroy, and that the volumes outlive destroy.
 * Needs the Pulumi CLI with the postgresql, random and docker plugins, and a Docker engine.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Client } from "pg";
import { ROOT, dockerEngineMissing, engineMissing, projectCopy, skipSuite, Workspace } from "./engine";
import { runVerify } from "../../src/verify/cli";

interface Db { host: string; port: number; database: string; username: string; password: string; url: string }

const missing = engineMissing(["postgresql", "random", "docker"]) ?? dockerEngineMissing();
const STACK = "e2econtainers";
const VOLUMES = [`servicedb-${STACK}-e2e-k-data`, `servicedb-${STACK}-e2e-s-data`];

const stackYaml = (memory: number) => `config:
  servicedb:clusters: {}
  servicedb:services:
    e2e-k:
      container: { image: timescale/timescaledb:latest-pg16, port: 55433, memory: ${memory} }
      database: ksocial
      extensions: [timescaledb]
      connectionLimit: 10
    e2e-s:
      container: { port: 55434 }
      database: simply_kaspa
      connectionLimit: 10
`;

function migrationsFor(service: string, from: string): Record<string, string> {
    const dir = path.join(ROOT, "migrations", from);
    return Object.fromEntries(fs.readdirSync(dir).map((f) => [`migrations/${service}/${f}`, fs.readFileSync(path.join(dir, f), "utf8")]));
}

async function query(db: Db, sql: string): Promise<Record<string, unknown>[]> {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try { return (await c.query(sql)).rows; } finally { await c.end(); }
}

const columns = (db: Db, table: string) => query(db, `SELECT column_name FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`).then((r) => r.map((x) => x.column_name));

if (missing) {
    skipSuite("end-to-end (container mode: two indexers in their own PostgreSQL containers)", missing);
} else {
    describe("container mode: pulumi up / replace / destroy", () => {
        let ws: Workspace;
        let dbs: Record<string, Db>;
        const extra = { ...migrationsFor("e2e-k", "k-indexer"), ...migrationsFor("e2e-s", "simply-kaspa-indexer") };

        beforeAll(async () => {
            ws = await projectCopy(STACK, stackYaml(512), extra);
            await ws.stack.up({ onOutput: (o) => process.stderr.write(o) });
            dbs = (await ws.stack.outputs()).databases.value as Record<string, Db>;
        }, 900_000);

        afterAll(async () => {
            try {
                await ws?.stack.destroy({ onOutput: (o) => process.stderr.write(o) });
            } finally {
                ws?.cleanup();
                for (const v of VOLUMES) { try { execFileSync("docker", ["volume", "rm", "-f", v]); } catch { /* already gone */ } }
            }
        }, 900_000);

        test("same table names, different shapes, each in its own server", async () => {
            expect(await columns(dbs["e2e-k"], "blocks")).toEqual(["block_hash", "block_time", "daa_score", "k_tx_count"]);
            expect((await columns(dbs["e2e-s"], "blocks")).slice(0, 3)).toEqual(["hash", "accepted_id_merkle_root", "merge_set_blues_hashes"]);
            expect(await columns(dbs["e2e-k"], "vars")).toEqual(["key", "value", "updated_at"]);
            expect(await columns(dbs["e2e-s"], "vars")).toEqual(["key", "value"]);
            expect([dbs["e2e-k"].port, dbs["e2e-s"].port]).toEqual([55433, 55434]);
        });

        test("TimescaleDB is installed in the k-indexer database", async () => {
            expect(await query(dbs["e2e-k"], "SELECT extname FROM pg_extension WHERE extname = 'timescaledb'")).toEqual([{ extname: "timescaledb" }]);
        });

        test("ports are published on 127.0.0.1 only", () => {
            const ports = execFileSync("docker", ["port", `servicedb-${STACK}-e2e-k`, "5432/tcp"], { encoding: "utf8" }).trim().split("\n");
            expect(ports).toEqual(["127.0.0.1:55433"]);
        });

        test("verify passes", async () => {
            const file = path.join(ws.dir, "outputs.json");
            fs.writeFileSync(file, ws.cli(["stack", "output", "--json", "--show-secrets"]), { mode: 0o600 });
            let out = "";
            expect(await runVerify(["--outputs", file], { out: (t) => { out += t; }, err: () => undefined })).toBe(0);
            expect(out).toMatch(/verify: \d+ passed, 0 failed/);
        });

        test("a replaced container keeps its data (named volume, delete before replace)", async () => {
            await query(dbs["e2e-k"], "INSERT INTO vars (key, value) VALUES ('cursor', '42')");
            const before = execFileSync("docker", ["inspect", "--format", "{{.Id}}", `servicedb-${STACK}-e2e-k`], { encoding: "utf8" }).trim();
            fs.writeFileSync(path.join(ws.dir, `Pulumi.${STACK}.yaml`), stackYaml(768));
            await ws.stack.up({ onOutput: (o) => process.stderr.write(o) });
            const after = execFileSync("docker", ["inspect", "--format", "{{.Id}}", `servicedb-${STACK}-e2e-k`], { encoding: "utf8" }).trim();
            expect(after).not.toBe(before);
            expect(await query(dbs["e2e-k"], "SELECT value FROM vars WHERE key = 'cursor'")).toEqual([{ value: 42 }]);
        }, 900_000);

        test("destroy keeps the volumes", async () => {
            await ws.stack.destroy({ onOutput: (o) => process.stderr.write(o) });
            for (const v of VOLUMES) expect(execFileSync("docker", ["volume", "inspect", "--format", "{{.Name}}", v], { encoding: "utf8" }).trim()).toBe(v);
        }, 900_000);
    });
}
