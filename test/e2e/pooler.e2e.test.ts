/**
 * End to end, the pooler: `pulumi up` of a cluster (the machine's PostgreSQL, 127.0.0.1:5432)
 * with a PgBouncer container in front of it (host network, image servicedb-e2e/pgbouncer:1 built
 * locally by scripts/build-e2e-pgbouncer-image.sh), then: each service's pooledUrl reaches its own
 * database and not the other's, verify's pooler checks pass, a preview right after `up` is clean
 * (the SCRAM verifiers in the auth file are stable), and a pooler setting change replaces the
 * pooler container only. Needs the Pulumi CLI with the postgresql, random and docker plugins and
 * a Docker engine; otherwise one `skipped:` line.
 */
import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Client } from "pg";
import { ROOT, dockerEngineMissing, engineMissing, projectCopy, publishPorts, skipSuite, Workspace } from "./engine";
import { pooledUrlsFrom, verifyThroughPooler } from "../../src/verify/pooler";
import { servicesFromOutputs } from "../../src/verify/outputs";

interface Db { database: string; username: string; url: string; pooledUrl?: string }

const missing = engineMissing(["postgresql", "random", "docker"]) ?? dockerEngineMissing();
const STACK = "e2epooler";
const tag = randomBytes(3).toString("hex");
/** The pooler's port on 127.0.0.1 (chosen in beforeAll: free, outside the ephemeral range). */
let PORT = 0;

const stackYaml = (maxClients: number) => `config:
  servicedb:clusters:
    local:
      host: 127.0.0.1
      port: 5432
      sslmode: disable
      maxConnections: 100
      reservedConnections: 10
      pooler: { image: "servicedb-e2e/pgbouncer:1", port: ${PORT}, maxClientConnections: ${maxClients} }
  servicedb:services:
    e2e-pa: { cluster: local, database: sdb_e2e_pa_${tag}, role: sdb_e2e_pa_${tag}, connectionLimit: 5, poolSize: 2 }
    e2e-pb: { cluster: local, database: sdb_e2e_pb_${tag}, role: sdb_e2e_pb_${tag}, connectionLimit: 3 }
`;

async function through(url: string, database?: string): Promise<string> {
    const u = new URL(url);
    if (database) u.pathname = `/${database}`;
    // PgBouncer starts within a second of its container; allow it that.
    for (let i = 0; ; i++) {
        const c = new Client({ connectionString: u.toString(), connectionTimeoutMillis: 10_000 });
        c.on("error", () => undefined);
        try {
            await c.connect();
            return (await c.query("SELECT current_database() AS db")).rows[0].db as string;
        } catch (e) {
            if (i >= 20 || !/ECONNREFUSED/.test(String((e as { code?: string }).code))) throw e;
            await new Promise((r) => setTimeout(r, 250));
        } finally {
            await c.end().catch(() => undefined);
        }
    }
}

if (missing) {
    skipSuite("end-to-end (a PgBouncer container in front of the local cluster)", missing);
} else {
    describe("pooler: pulumi up / preview / destroy", () => {
        let ws: Workspace;
        let outputs: Record<string, unknown>;
        let dbs: Record<string, Db>;

        beforeAll(async () => {
            execFileSync("bash", [path.join(ROOT, "scripts/build-e2e-pgbouncer-image.sh")], { stdio: "inherit", timeout: 900_000 });
            [PORT] = await publishPorts(1, 26432);
            ws = await projectCopy(STACK, stackYaml(200));
            await ws.up();
            outputs = Object.fromEntries(Object.entries(await ws.outputs()).map(([k, v]) => [k, v.value]));
            dbs = outputs.databases as Record<string, Db>;
        }, 1_500_000);

        afterAll(async () => {
            try { await ws?.destroy(); } finally { ws?.cleanup(); }
        }, 700_000);

        test("each service's pooledUrl reaches its own database through the pooler, and not the other's", async () => {
            const [a, b] = [dbs["e2e-pa"], dbs["e2e-pb"]];
            expect(new URL(a.pooledUrl ?? "").port).toBe(String(PORT));
            expect(await through(a.pooledUrl ?? "")).toBe(a.database);
            expect(await through(b.pooledUrl ?? "")).toBe(b.database);
            await expect(through(a.pooledUrl ?? "", b.database)).rejects.toThrow(/permission denied for database/);
        });

        test("verify's pooler checks pass on the deployed stack", async () => {
            const results = await verifyThroughPooler(servicesFromOutputs(outputs, "stack outputs"), pooledUrlsFrom(outputs));
            expect(results.filter((r) => r.outcome !== "pass")).toEqual([]);
            expect(results).toHaveLength(4);
        });

        test("a preview right after up is clean: the auth file's verifiers are stable", async () => {
            const preview = await ws.preview();
            expect(Object.keys(preview.changeSummary).filter((k) => k !== "same")).toEqual([]);
        }, 400_000);

        test("a pooler setting change replaces the pooler container and nothing else", async () => {
            fs.writeFileSync(path.join(ws.dir, `Pulumi.${STACK}.yaml`), stackYaml(300));
            const preview = await ws.preview();
            expect(preview.changeSummary.replace).toBe(1);
            expect(Object.keys(preview.changeSummary).filter((k) => k !== "same" && k !== "replace")).toEqual([]);
        }, 400_000);
    });
}
