/**
 * The package on a real engine: examples/own-program installed from the packed tarball (its
 * migrations run by servicedb's provider from node_modules/servicedb/plugin), and examples/go-program
 * through the SDK `pulumi package add` generates from provider/, and examples/yaml-program
 * (Pulumi YAML reads the package's schema; where its language host is installed). Each: up, the databases reached
 * with their own credentials, a clean `preview --expect-no-changes`, destroy, nothing left.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { DEADLINE, ROOT, Workspace, engineMissing, skipSuite, workspaceIn } from "./engine";

const SUITE = "package (own program from the tarball, Go program)";
const ADMIN = { host: "127.0.0.1", port: 5432, user: "postgres", database: "postgres" };
const run = (cmd: string, args: string[], cwd: string, seconds: number, env: NodeJS.ProcessEnv = process.env) =>
    execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env, timeout: seconds * 1000, killSignal: "SIGKILL" });

async function adminQuery<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new Client(ADMIN);
    await c.connect();
    try { return (await c.query(sql, params)).rows as T[]; } finally { await c.end(); }
}

async function asService<T>(url: string, sql: string): Promise<T[]> {
    const c = new Client({ connectionString: url });
    await c.connect();
    try { return (await c.query(sql)).rows as T[]; } finally { await c.end(); }
}

const existing = async (names: string[]) => (await adminQuery<{ datname: string }>("SELECT datname FROM pg_database WHERE datname = ANY($1)", [names])).map((r) => r.datname);

function toolMissing(): string | undefined {
    const engine = engineMissing(["postgresql", "random"]);
    if (engine) return engine;
    return ["go", "pulumi-language-go"].filter((t) => !onPath(t)).map((t) => `${t} is not on PATH`)[0];
}

function onPath(tool: string): boolean {
    try { execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }); return true; } catch { return false; }
}

const missing = toolMissing();
if (missing) {
    skipSuite(SUITE, missing);
} else {
    describe(SUITE, () => {
        let work: string;
        beforeAll(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), "servicedb-e2e-pkg-")); });
        afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

        test("own-program, installed from `npm pack`: up, migrations applied from the package, preview clean, destroy", async () => {
            expect(await existing(["orders", "billing"])).toEqual([]); // the example's names must be free on this server
            const out = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], ROOT, 300)) as { filename: string }[];
            const app = path.join(work, "own-program");
            fs.cpSync(path.join(ROOT, "examples", "own-program"), app, { recursive: true, filter: (src) => !/node_modules|\.pulumi-state|\.tgz$/.test(src) });
            const pkg = JSON.parse(fs.readFileSync(path.join(app, "package.json"), "utf8")) as { dependencies: Record<string, string> };
            pkg.dependencies.servicedb = `file:${path.join(work, out[0].filename)}`;
            fs.writeFileSync(path.join(app, "package.json"), JSON.stringify(pkg, null, 2));
            run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], app, 300);

            const ws: Workspace = await workspaceIn(app, "dev");
            try {
                const up = await ws.up();
                expect(up.summary.result).toBe("succeeded");
                const o = await ws.outputs();
                const cols = await asService<{ column_name: string }>(o.ordersUrl.value as string,
                    "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position");
                expect(cols.map((c) => c.column_name)).toEqual(["id", "customer", "created_at", "total_cents"]);
                const history = await asService<{ n: number }>(o.ordersUrl.value as string, "SELECT count(*)::int AS n FROM servicedb_schema_history WHERE success");
                expect(history[0].n).toBe(2);
                const ext = await asService<{ extname: string }>(o.billingUrl.value as string, "SELECT extname FROM pg_extension WHERE extname = 'pgcrypto'");
                expect(ext).toHaveLength(1);
                expect(o.ordersUrl.secret && o.billingUrl.secret).toBe(true);

                const preview = await ws.preview({ expectNoChanges: true });
                expect(preview.changeSummary.same).toBeGreaterThan(0);
            } finally {
                await ws.destroy();
                ws.cleanup();
            }
            expect(await existing(["orders", "billing"])).toEqual([]);
        }, 1800_000);

        test("go-program: `pulumi package add ../../provider`, up from Go, the databases reachable, preview clean, destroy", async () => {
            const prefix = `e2ego${crypto.randomBytes(3).toString("hex")}`;
            const names = [`${prefix}_ledger`, `${prefix}_orders`, `${prefix}_payments`];
            const app = path.join(work, "go-program");
            fs.cpSync(path.join(ROOT, "examples", "go-program"), app, { recursive: true, filter: (src) => !/sdks|\.pulumi-state/.test(src) });
            // The package's location, as a user's own checkout would name it.
            fs.writeFileSync(path.join(app, "Pulumi.yaml"), fs.readFileSync(path.join(app, "Pulumi.yaml"), "utf8").replace("servicedb: ../../provider", `servicedb: ${path.join(ROOT, "provider")}`));
            run("pulumi", ["package", "add", path.join(ROOT, "provider")], app, DEADLINE.cli * 3, { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" });
            expect(fs.existsSync(path.join(app, "sdks", "servicedb", "servicedb", "serviceDatabase.go"))).toBe(true);
            run("go", ["build", "./..."], app, 600, { ...process.env, GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local" });

            const ws = await workspaceIn(app, "dev");
            try {
                await ws.stack.setAllConfig({ dbHost: { value: "127.0.0.1" }, prefix: { value: prefix } });
                const up = await ws.up();
                expect(up.summary.result).toBe("succeeded");
                const o = await ws.outputs();
                expect(o.ledgerDatabase.value).toBe(`${prefix}_ledger`);
                expect(o.ledgerUrl.secret && o.databases.secret).toBe(true);
                const me = await asService<{ u: string; d: string }>(o.ledgerUrl.value as string, "SELECT current_user AS u, current_database() AS d");
                expect(me).toEqual([{ u: `${prefix}_ledger`, d: `${prefix}_ledger` }]);
                const dbs = o.databases.value as Record<string, { url: string; database: string }>;
                expect(Object.keys(dbs).sort()).toEqual([`${prefix}-orders`, `${prefix}-payments`]);
                for (const d of Object.values(dbs)) expect((await asService<{ d: string }>(d.url, "SELECT current_database() AS d"))[0].d).toBe(d.database);
                const limits = await adminQuery<{ datname: string; datconnlimit: number }>("SELECT datname, datconnlimit FROM pg_database WHERE datname = ANY($1) ORDER BY 1", [names]);
                expect(limits).toEqual([{ datname: names[0], datconnlimit: 5 }, { datname: names[1], datconnlimit: 10 }, { datname: names[2], datconnlimit: 5 }]);

                await ws.preview({ expectNoChanges: true });
            } finally {
                await ws.destroy();
                ws.cleanup();
            }
            expect(await existing(names)).toEqual([]);
        }, 1800_000);

        const yamlTest = onPath("pulumi-language-yaml") ? test : test.skip;
        if (!onPath("pulumi-language-yaml")) process.stdout.write("skipped: yaml-program: pulumi-language-yaml is not on PATH\n");
        yamlTest("yaml-program: the component from Pulumi YAML, up, reachable, preview clean, destroy", async () => {
            const prefix = `e2eyaml${crypto.randomBytes(3).toString("hex")}`;
            const app = path.join(work, "yaml-program");
            fs.cpSync(path.join(ROOT, "examples", "yaml-program"), app, { recursive: true, filter: (src) => !/\.pulumi-state/.test(src) });
            fs.writeFileSync(path.join(app, "Pulumi.yaml"), fs.readFileSync(path.join(app, "Pulumi.yaml"), "utf8").replace("servicedb: ../../provider", `servicedb: ${path.join(ROOT, "provider")}`));
            const ws = await workspaceIn(app, "dev");
            try {
                await ws.stack.setAllConfig({ prefix: { value: prefix } });
                expect((await ws.up()).summary.result).toBe("succeeded");
                const o = await ws.outputs();
                expect(o.ledgerUrl.secret).toBe(true);
                const me = await asService<{ u: string; d: string }>(o.ledgerUrl.value as string, "SELECT current_user AS u, current_database() AS d");
                expect(me).toEqual([{ u: `${prefix}_ledger`, d: `${prefix}_ledger` }]);
                await ws.preview({ expectNoChanges: true });
            } finally {
                await ws.destroy();
                ws.cleanup();
            }
            expect(await existing([`${prefix}_ledger`])).toEqual([]);
        }, 1800_000);
    });
}
