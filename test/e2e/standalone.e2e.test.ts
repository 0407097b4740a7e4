/**
 * ServiceDatabase declared by hand, on a real engine, in both placements it declares for itself:
 * its own PostgreSQL container (with migrations applied inside it) and an existing server given
 * by settings. A program of its own (no servicedb stack config) importing the package's API;
 * up, reached with its own URLs, a clean preview, destroy — container and volume gone.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { ROOT, dockerEngineMissing, engineMissing, publishPorts, skipSuite, workspaceIn } from "./engine";

const SUITE = "ServiceDatabase declared by hand (own container, cluster settings)";
const IMAGE = "servicedb-e2e/postgres:15";
const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8", timeout: 60_000 }).trim();

async function query<T>(url: string, sql: string): Promise<T[]> {
    const c = new Client({ connectionString: url });
    await c.connect();
    try { return (await c.query(sql)).rows as T[]; } finally { await c.end(); }
}

const missing = engineMissing(["postgresql", "random", "docker"]) ?? dockerEngineMissing();
if (missing) {
    skipSuite(SUITE, missing);
} else {
    test(SUITE, async () => {
        try { docker("image", "inspect", IMAGE); } catch {
            execFileSync("bash", [path.join(ROOT, "scripts/build-e2e-image.sh")], { stdio: "inherit", timeout: 900_000 });
        }
        const id = crypto.randomBytes(3).toString("hex");
        const [PORT] = await publishPorts(1, 25441);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "servicedb-e2e-standalone-"));
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
        fs.mkdirSync(path.join(dir, "migrations"));
        fs.writeFileSync(path.join(dir, "migrations", "V001__create_items.sql"), "CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL);\n");
        // A program of its own: it names servicedb's provider in its Pulumi.yaml, as docs/package.md says.
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: standalone\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n" +
            `plugins:\n  providers:\n    - name: servicedb\n      path: ${JSON.stringify(path.join(ROOT, "plugin"))}\n`);
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", esModuleInterop: true, skipLibCheck: true, types: ["node"] } }));
        fs.writeFileSync(path.join(dir, "index.ts"), `
import { ServiceDatabase } from ${JSON.stringify(path.join(ROOT, "lib"))};
const box = new ServiceDatabase("sa-box", {
    container: { image: "${IMAGE}", version: 15, port: ${PORT}, removeVolumeOnDestroy: true },
    connectionLimit: 5, migrations: "migrations",
});
const shared = new ServiceDatabase("sa-shared", { cluster: { host: "127.0.0.1" }, database: "sa_shared_${id}", role: "sa_shared_${id}" });
export const boxUrl = box.url;
export const sharedUrl = shared.url;
`);
        const ws = await workspaceIn(dir, "dev");
        try {
            expect((await ws.up()).summary.result).toBe("succeeded");
            const o = await ws.outputs();
            expect(o.boxUrl.secret && o.sharedUrl.secret).toBe(true);
            expect(o.boxUrl.value as string).toContain(`@127.0.0.1:${PORT}/sa_box`);
            const box = await query<{ u: string; t: string | null }>(o.boxUrl.value as string, "SELECT current_user AS u, to_regclass('items')::text AS t");
            expect(box).toEqual([{ u: "sa_box", t: "items" }]);
            const shared = await query<{ d: string }>(o.sharedUrl.value as string, "SELECT current_database() AS d");
            expect(shared).toEqual([{ d: `sa_shared_${id}` }]);
            await ws.preview({ expectNoChanges: true });
        } finally {
            await ws.destroy();
            ws.cleanup();
        }
        expect(docker("ps", "-a", "--filter", "name=servicedb-dev-sa-box", "--format", "{{.Names}}")).toBe("");
        expect(docker("volume", "ls", "--filter", "name=servicedb-dev-sa-box-data", "--format", "{{.Name}}")).toBe("");
    }, 1800_000);
}
