/**
 * End to end: two-phase rotation on a real engine. A client logs in every 50 ms with the secret
 * a consumer holds, across `pulumi up` of rotation 1 and the consumer's switch to the new output:
 * not one login may fail. Tables created through either login belong to the owning role, and
 * verify passes. On the resource chain (`servicedb:core: resources`); the default core's
 * rotation under load is in core.e2e.test.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { Client } from "pg";
import { engineMissing, projectCopy, skipSuite, Workspace } from "./engine";
import { runVerify } from "../../src/verify/cli";

interface Db { host: string; port: number; database: string; username: string; password: string; url: string }
const missing = engineMissing(["postgresql", "random"]);
const ADMIN = { host: "127.0.0.1", port: 5432, user: "postgres", database: "postgres" };

const stackYaml = (rotation: number) => `config:
  servicedb:core: resources
  servicedb:clusters:
    local: { host: 127.0.0.1, port: 5432, sslmode: disable, maxConnections: 100, reservedConnections: 10 }
  servicedb:services:
    e2e-orders: { cluster: local, database: sdb_rot_orders, role: sdb_rot_orders, connectionLimit: 5, rotation: ${rotation} }
`;

async function dropLeftovers(): Promise<void> {
    const c = new Client(ADMIN);
    await c.connect();
    try {
        await c.query("DROP DATABASE IF EXISTS sdb_rot_orders WITH (FORCE)");
        for (const r of ["sdb_rot_orders_b", "sdb_rot_orders"]) {
            await c.query(`DROP OWNED BY ${c.escapeIdentifier(r)}`).catch(() => undefined);
            await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(r)}`);
        }
    } finally {
        await c.end();
    }
}

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
    const c = new Client({ connectionString: url });
    await c.connect();
    try { return (await c.query(sql)).rows; } finally { await c.end(); }
}

const databases = async (ws: Workspace) => (await ws.outputs()).databases.value as Record<string, Db>;

if (missing) {
    skipSuite("end-to-end (two-phase password rotation)", missing);
} else {
    describe("two-phase rotation", () => {
        let ws: Workspace;
        beforeAll(async () => {
            await dropLeftovers();
            ws = await projectCopy("e2erotation", stackYaml(0));
            await ws.up();
        }, 600_000);
        afterAll(async () => {
            try { await ws?.destroy(); } finally { ws?.cleanup(); await dropLeftovers(); }
        }, 600_000);

        test("a login every 50 ms across the rotation and the consumer's switch-over: zero failures", async () => {
            let secret = (await databases(ws))["e2e-orders"].url;
            const first = secret;
            const failures: string[] = [];
            let logins = 0;
            let running = true;
            const loop = (async () => {
                while (running) {
                    try { await query(secret, "SELECT 1"); logins++; } catch (e) { failures.push((e as Error).message); }
                    await new Promise((r) => setTimeout(r, 50));
                }
            })();
            try {
                fs.writeFileSync(path.join(ws.dir, "Pulumi.e2erotation.yaml"), stackYaml(1));
                await ws.up();
                const after = (await databases(ws))["e2e-orders"];
                expect(after.username).toBe("sdb_rot_orders_b");
                await new Promise((r) => setTimeout(r, 500)); // the consumer still on the old secret
                secret = after.url; // the consumer's redeploy
                await new Promise((r) => setTimeout(r, 500));
            } finally {
                running = false;
                await loop;
            }
            expect(failures).toEqual([]);
            expect(logins).toBeGreaterThan(10);
            expect(await query(first, "SELECT current_user AS u")).toEqual([{ u: "sdb_rot_orders" }]); // the previous one still valid
        }, 900_000);

        test("tables created through either login belong to the owning role", async () => {
            const dbs = await databases(ws);
            const viaB = dbs["e2e-orders"].url;
            const viaA = viaB.replace("sdb_rot_orders_b:", "sdb_rot_orders:");
            expect(viaA).not.toBe(viaB);
            await query(viaB, "CREATE TABLE made_by_b (id int)");
            await query(viaA, "CREATE TABLE made_by_a (id int)");
            const owners = await query(viaB, "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
            // made_by_a, made_by_b, and what migrations/e2e-orders created (orders, the history).
            expect(owners.map((r) => r.tablename)).toEqual(["made_by_a", "made_by_b", "orders", "servicedb_schema_history"]);
            expect(new Set(owners.map((r) => r.tableowner))).toEqual(new Set(["sdb_rot_orders"]));
            expect(await query(viaB, "SELECT session_user AS s, current_user AS c")).toEqual([{ s: "sdb_rot_orders_b", c: "sdb_rot_orders" }]);
        });

        test("verify passes after the rotation", async () => {
            const file = path.join(ws.dir, "outputs.json");
            fs.writeFileSync(file, ws.cli(["stack", "output", "--json", "--show-secrets"]), { mode: 0o600 });
            let out = "";
            const code = await runVerify(["--outputs", file, "--admin-url", "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable"], { out: (t) => { out += t; }, err: (l) => { out += l; } });
            expect(out).toMatch(/verify: \d+ passed, 0 failed/);
            expect(code).toBe(0);
        });
    });
}
