/**
 * End to end, `servicedb:core: single` (one ServiceCore step per service):
 * - 30 services in one cluster at `--parallel` 1, 8 and 64: each `up` finishes, the provider's
 *   admin connections never exceed the cluster's parallelism (its semaphore), a preview right
 *   after is clean, `verify` passes, destroy leaves nothing;
 * - a rotation with a login every 50 ms: zero failures, the previous credential still valid, a
 *   clean preview after it;
 * - a stack deployed with `core: resources` switched to `single`: the `up` fails with the
 *   refusal, and nothing is lost (data, roles, the old resources in the state);
 * - a platform of two containers with `core: single`: each core waits for its container, the
 *   services reach their databases, a preview is clean, destroy removes them.
 */
import * as fs from "fs";
import * as path from "path";
import { Client } from "pg";
import { Workspace, dockerEngineMissing, engineMissing, projectCopy, publishPorts, skipSuite } from "./engine";
import { asAdmin, dropLeftovers, leftovers } from "./server";
import { runVerify } from "../../src/verify/cli";

interface Db { username: string; password: string; url: string }
const missing = engineMissing(["postgresql", "random"]);
const PARALLELISM = 4;
const PREFIX = "sdb_core_e2e_";
const name = (i: number) => `${PREFIX}${String(i).padStart(2, "0")}`;

function stackYaml(count: number, core: string, rotation = 0): string {
    return [
        "config:",
        `  servicedb:core: ${core}`,
        "  servicedb:clusters:",
        `    local: { host: 127.0.0.1, port: 5432, sslmode: disable, maxConnections: 100, reservedConnections: 10, parallelism: ${PARALLELISM} }`,
        "  servicedb:services:",
        ...Array.from({ length: count }, (_, i) => {
            const extra = i % 5 === 0 ? ", readers: true, schemas: [public, app]" : i % 7 === 3 ? ", extensions: [pgcrypto]" : "";
            return `    core-${i}: { cluster: local, database: ${name(i)}, role: ${name(i)}, connectionLimit: 2, rotation: ${i === 0 ? rotation : 0}${extra} }`;
        }),
    ].join("\n") + "\n";
}

const coreConnections = () => asAdmin(async (c) =>
    Number((await c.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'servicedb core'")).rows[0].n));

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
    const c = new Client({ connectionString: url });
    await c.connect();
    try { return (await c.query(sql)).rows; } finally { await c.end(); }
}

async function verifyStack(ws: Workspace): Promise<string> {
    const file = path.join(ws.dir, "outputs.json");
    fs.writeFileSync(file, ws.cli(["stack", "output", "--json", "--show-secrets"]), { mode: 0o600 });
    let out = "";
    const code = await runVerify(["--outputs", file, "--admin-url", "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable"], { out: (t) => { out += t; }, err: (l) => { out += l; } });
    return `${out}\nexit ${code}`;
}

const databases = async (ws: Workspace) => (await ws.outputs()).databases.value as Record<string, Db>;

if (missing) {
    skipSuite("end-to-end (servicedb:core single: 30 services, rotation, switching a deployed stack)", missing);
} else {
    describe("core single: 30 services in one cluster", () => {
        beforeAll(() => dropLeftovers(PREFIX), 120_000);
        afterAll(() => dropLeftovers(PREFIX), 120_000);

        test.each([1, 8, 64])("--parallel %i: up finishes within the bound, preview is clean, verify passes, destroy leaves nothing", async (parallel) => {
            const ws = await projectCopy("e2ecore", stackYaml(30, "single"));
            let peak = 0;
            let sampling = true;
            const sampler = (async () => { while (sampling) { peak = Math.max(peak, await coreConnections()); await new Promise((r) => setTimeout(r, 50)); } })();
            try {
                const up = await ws.up({ parallel });
                sampling = false;
                await sampler;
                expect(up.summary.result).toBe("succeeded");
                expect((await leftovers(PREFIX)).databases).toHaveLength(30);
                await ws.preview({ expectNoChanges: true, parallel });
                if (parallel === 8) expect(await verifyStack(ws)).toMatch(/verify: \d+ passed, 0 failed[^]*exit 0/);
                await ws.destroy({ parallel });
                expect(await leftovers(PREFIX)).toEqual({ databases: [], roles: [] });
                process.stdout.write(`core single, parallel ${parallel}: admin connections peaked at ${peak} (bound ${PARALLELISM})\n`);
                expect(peak).toBeGreaterThan(0);
                expect(peak).toBeLessThanOrEqual(PARALLELISM);
            } finally {
                sampling = false;
                await sampler;
                ws.cleanup();
            }
        }, 1_900_000);
    });

    describe("core single: rotation and switching", () => {
        beforeAll(() => dropLeftovers(PREFIX), 120_000);
        afterAll(() => dropLeftovers(PREFIX), 120_000);

        test("a rotation: a login every 50 ms never fails, the previous credential stays valid, then no diff", async () => {
            const ws = await projectCopy("e2ecorerot", stackYaml(2, "single"));
            try {
                await ws.up();
                const first = (await databases(ws))["core-0"].url;
                let secret = first;
                const failures: string[] = [];
                let running = true;
                const loop = (async () => {
                    while (running) {
                        try { await query(secret, "SELECT 1"); } catch (e) { failures.push((e as Error).message); }
                        await new Promise((r) => setTimeout(r, 50));
                    }
                })();
                try {
                    fs.writeFileSync(path.join(ws.dir, "Pulumi.e2ecorerot.yaml"), stackYaml(2, "single", 1));
                    const up = await ws.up();
                    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
                    const after = (await databases(ws))["core-0"];
                    expect(after.username).toBe(`${name(0)}_b`);
                    secret = after.url;
                    await new Promise((r) => setTimeout(r, 300));
                } finally {
                    running = false;
                    await loop;
                }
                expect(failures).toEqual([]);
                expect(await query(first, "SELECT current_user AS u")).toEqual([{ u: name(0) }]);
                await ws.preview({ expectNoChanges: true });
                expect(await verifyStack(ws)).toMatch(/verify: \d+ passed, 0 failed[^]*exit 0/);
                await ws.destroy();
                expect(await leftovers(PREFIX)).toEqual({ databases: [], roles: [] });
            } finally {
                ws.cleanup();
            }
        }, 1_200_000);

        test("a stack deployed with core resources, switched to single: refused, nothing lost", async () => {
            const ws = await projectCopy("e2ecoreswitch", stackYaml(2, "resources"));
            try {
                await ws.up();
                const url = (await databases(ws))["core-1"].url;
                await query(url, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");
                fs.writeFileSync(path.join(ws.dir, "Pulumi.e2ecoreswitch.yaml"), stackYaml(2, "single"));
                await expect(ws.up()).rejects.toThrow(/already exists? and (was|were) not created by this stack's ServiceCore/);
                expect(await query(url, "SELECT id FROM kept")).toEqual([{ id: 7 }]);
                fs.writeFileSync(path.join(ws.dir, "Pulumi.e2ecoreswitch.yaml"), stackYaml(2, "resources"));
                await ws.preview({ expectNoChanges: true });
                await ws.destroy();
                expect(await leftovers(PREFIX)).toEqual({ databases: [], roles: [] });
            } finally {
                ws.cleanup();
            }
        }, 1_200_000);
    });
}

const dockerMissing = missing ?? engineMissing(["docker"]) ?? dockerEngineMissing();
if (dockerMissing) {
    skipSuite("end-to-end (servicedb:core single on two containers)", dockerMissing);
} else {
    test("core single on two containers: each service in its own server, a clean preview, destroy", async () => {
        const ports = await publishPorts(2, 26441);
        const yaml = [
            "config:",
            "  servicedb:core: single",
            "  servicedb:services:",
            ...ports.map((port, i) => `    box-${i}: { container: { image: servicedb-e2e/postgres:15, version: 15, port: ${port}, removeVolumeOnDestroy: true }, connectionLimit: 5, extensions: [pgcrypto] }`),
        ].join("\n") + "\n";
        const ws = await projectCopy("e2ecorebox", yaml);
        try {
            expect((await ws.up()).summary.result).toBe("succeeded");
            const dbs = await databases(ws);
            for (const [i, port] of ports.entries()) {
                expect(dbs[`box-${i}`].url).toContain(`@127.0.0.1:${port}/box_${i}?`);
                expect(await query(dbs[`box-${i}`].url, "SELECT current_user AS u, count(*)::int AS e FROM pg_extension WHERE extname = 'pgcrypto'")).toEqual([{ u: `box_${i}`, e: 1 }]);
            }
            await ws.preview({ expectNoChanges: true });
            expect((await ws.destroy()).summary.result).toBe("succeeded");
        } finally {
            ws.cleanup();
        }
    }, 1_200_000);
}
