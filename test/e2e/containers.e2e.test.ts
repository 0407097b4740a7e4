/**
 * End to end, container mode, on a platform of containers only (no servicedb:clusters): two
 * indexers, each in its own PostgreSQL container, both creating tables "vars" and "blocks" with
 * different columns. Checks the data, a clean preview right after `up` (memory limits included),
 * a real replacement (image switch) that keeps the data, verify, and a destroy → up cycle on the
 * kept volumes that still reaches its data. Needs the Pulumi CLI with the postgresql, random and
 * docker plugins, and a Docker engine; the image is built locally (scripts/build-e2e-image.sh)
 * because no registry can be reached. TimescaleDB is checked only where its image exists locally.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Client } from "pg";
import { ROOT, dockerEngineMissing, engineMissing, projectCopy, publishPorts, skipSuite, Workspace } from "./engine";
import { runVerify } from "../../src/verify/cli";

interface Db { host: string; port: number; database: string; username: string; password: string; url: string }

const missing = engineMissing(["postgresql", "random", "docker"]) ?? dockerEngineMissing();
const STACK = "e2econtainers";
const IMAGE = "servicedb-e2e/postgres:15";
const ALT_IMAGE = "servicedb-e2e/postgres:15-alt";
const TIMESCALE = "timescale/timescaledb:latest-pg16";
const VOLUMES = [`servicedb-${STACK}-e2e-k-data`, `servicedb-${STACK}-e2e-s-data`];
const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8", timeout: 60_000 }).trim();
const hasImage = (image: string) => { try { docker("image", "inspect", image); return true; } catch { return false; } };

/** The two servers' ports on 127.0.0.1 (chosen in beforeAll: free, outside the ephemeral range). */
let ports: number[] = [];

const stackYaml = (kImage: string, timescale: boolean) => `config:
  servicedb:services:
    e2e-k:
      container: { image: "${kImage}", port: ${ports[0]}, memory: 512 }
      database: ksocial
      extensions: [${timescale ? "timescaledb" : ""}]
      connectionLimit: 10
    e2e-s:
      container: { image: "${IMAGE}", port: ${ports[1]} }
      database: simply_kaspa
      connectionLimit: 10
`;

function migrationsFor(service: string, from: string): Record<string, string> {
    const dir = path.join(ROOT, "migrations", from);
    return Object.fromEntries(fs.readdirSync(dir).map((f) => [`migrations/${service}/${f}`, fs.readFileSync(path.join(dir, f), "utf8")]));
}

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
    const c = new Client({ connectionString: url });
    await c.connect();
    try { return (await c.query(sql)).rows; } finally { await c.end(); }
}

const columns = (db: Db, table: string) => query(db.url, `SELECT column_name FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`).then((r) => r.map((x) => x.column_name));
const containerId = (name: string) => docker("inspect", "--format", "{{.Id}}", name);

if (missing) {
    skipSuite("end-to-end (container mode: two indexers in their own PostgreSQL containers)", missing);
} else {
    describe("container mode: pulumi up / replace / destroy", () => {
        const timescale = hasImage(TIMESCALE);
        const kImage = timescale ? TIMESCALE : IMAGE;
        let ws: Workspace;
        let dbs: Record<string, Db>;
        const extra = { ...migrationsFor("e2e-k", "k-indexer"), ...migrationsFor("e2e-s", "simply-kaspa-indexer") };
        const outputs = async () => { dbs = (await ws.outputs()).databases.value as Record<string, Db>; };

        beforeAll(async () => {
            execFileSync("bash", [path.join(ROOT, "scripts/build-e2e-image.sh")], { stdio: "inherit", timeout: 900_000 });
            for (const v of VOLUMES) { try { docker("volume", "rm", "-f", v); } catch { /* none */ } }
            ports = await publishPorts(2, 25433);
            ws = await projectCopy(STACK, stackYaml(kImage, timescale), extra);
            await ws.up();
            await outputs();
        }, 1_500_000);

        afterAll(async () => {
            try {
                await ws?.destroy();
            } finally {
                ws?.cleanup();
                for (const v of VOLUMES) { try { docker("volume", "rm", "-f", v); } catch { /* already gone */ } }
            }
        }, 900_000);

        test("same table names, different shapes, each in its own server", async () => {
            expect(await columns(dbs["e2e-k"], "blocks")).toEqual(["block_hash", "block_time", "daa_score", "k_tx_count"]);
            expect((await columns(dbs["e2e-s"], "blocks")).slice(0, 3)).toEqual(["hash", "accepted_id_merkle_root", "merge_set_blues_hashes"]);
            expect(await columns(dbs["e2e-k"], "vars")).toEqual(["key", "value", "updated_at"]);
            expect(await columns(dbs["e2e-s"], "vars")).toEqual(["key", "value"]);
            expect([dbs["e2e-k"].port, dbs["e2e-s"].port]).toEqual(ports);
        });

        (timescale ? test : test.skip)("TimescaleDB is installed in the k-indexer database", async () => {
            expect(await query(dbs["e2e-k"].url, "SELECT extname FROM pg_extension WHERE extname = 'timescaledb'")).toEqual([{ extname: "timescaledb" }]);
        });
        if (!timescale) process.stdout.write(`skipped: TimescaleDB check: no TimescaleDB image (${TIMESCALE} is not on this machine and cannot be pulled)\n`);

        test("ports are published on 127.0.0.1 only", () => {
            expect(docker("port", `servicedb-${STACK}-e2e-k`, "5432/tcp").split("\n")).toEqual([`127.0.0.1:${ports[0]}`]);
        });

        test("right after up, a preview shows no change (memory limit included)", async () => {
            await expect(ws.preview({ expectNoChanges: true, diff: true })).resolves.toBeDefined();
        }, 400_000);

        test("verify passes", async () => {
            const file = path.join(ws.dir, "outputs.json");
            fs.writeFileSync(file, ws.cli(["stack", "output", "--json", "--show-secrets"]), { mode: 0o600 });
            let out = "";
            expect(await runVerify(["--outputs", file], { out: (t) => { out += t; }, err: () => undefined })).toBe(0);
            expect(out).toMatch(/verify: \d+ passed, 0 failed/);
        });

        test("a replaced container (another image) keeps its data", async () => {
            await query(dbs["e2e-k"].url, "INSERT INTO vars (key, value) VALUES ('cursor', '42')");
            const before = containerId(`servicedb-${STACK}-e2e-k`);
            fs.writeFileSync(path.join(ws.dir, `Pulumi.${STACK}.yaml`), stackYaml(timescale ? kImage : ALT_IMAGE, timescale));
            const result = await ws.up();
            expect(result.summary.resourceChanges?.replace).toBeGreaterThanOrEqual(1);
            expect(containerId(`servicedb-${STACK}-e2e-k`)).not.toBe(before);
            expect(await query(dbs["e2e-k"].url, "SELECT value FROM vars WHERE key = 'cursor'")).toEqual([{ value: 42 }]);
        }, 900_000);

        test("destroy keeps the volumes, and the next up reaches the kept data with a new admin password", async () => {
            const admin = (db: Db, password: string) => `postgresql://postgres:${password}@127.0.0.1:${db.port}/postgres?sslmode=disable`;
            const adminPassword = (name: string) => docker("inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", name)
                .split("\n").find((e) => e.startsWith("POSTGRES_PASSWORD="))?.slice("POSTGRES_PASSWORD=".length) ?? "";
            const first = adminPassword(`servicedb-${STACK}-e2e-s`);
            await query(admin(dbs["e2e-s"], first), "CREATE TABLE kept_marker (note text); INSERT INTO kept_marker VALUES ('survives destroy')");
            await ws.destroy();
            for (const v of VOLUMES) expect(docker("volume", "inspect", "--format", "{{.Name}}", v)).toBe(v);

            await ws.up();
            await outputs();
            const second = adminPassword(`servicedb-${STACK}-e2e-s`);
            expect(second).not.toBe(first);
            expect(await query(admin(dbs["e2e-s"], second), "SELECT note FROM kept_marker")).toEqual([{ note: "survives destroy" }]);
            await expect(query(admin(dbs["e2e-s"], first), "SELECT 1")).rejects.toThrow(/password authentication failed/);
            expect(await columns(dbs["e2e-s"], "vars")).toEqual(["key", "value"]);
        }, 1_500_000);
    });
}
