import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { parseMigrationFile } from "../../src/migrations/files";
import { migrate } from "../../src/migrations/runner";
import { StatusIo, runStatus } from "../../src/status/cli";
import { ServiceStatus, ServerStatus } from "../../src/status/model";
import { CLEAR } from "../../src/status/watch";
import { writeOutputs } from "./day2Helpers";
import { Layout, LayoutService, buildLayout } from "./layout";

const ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable";
let layout: Layout;
let dir: string;
let outputs: string;
let migrations: string;
const open: Client[] = [];

const svc = (name: string) => layout.services.find((s) => s.service === name) as LayoutService;
async function connectAs(s: LayoutService, n: number): Promise<Client[]> {
    const clients = Array.from({ length: n }, () => new Client({ host: "127.0.0.1", port: 5432, user: s.role, password: s.password, database: s.database }));
    for (const c of clients) { c.on("error", () => undefined); await c.connect(); open.push(c); }
    return clients;
}
async function closeAll() { await Promise.all(open.splice(0).map((c) => c.end().catch(() => undefined))); }

interface Run { code: number; stdout: string; stderr: string[]; written: string[] }
async function status(argv: string[], extra: Partial<StatusIo> = {}): Promise<Run> {
    const r: Run = { code: 0, stdout: "", stderr: [], written: [] };
    r.code = await runStatus(["--outputs", outputs, "--migrations", migrations, ...argv], {
        out: (t) => { r.stdout += t; }, err: (l) => r.stderr.push(l), write: (t) => r.written.push(t), isTty: false, ...extra,
    });
    return r;
}
const json = (r: Run) => JSON.parse(r.stdout) as { ok: boolean; view: string; services: ServiceStatus[]; servers: ServerStatus[] };
const of = (r: Run, name: string) => json(r).services.find((s) => s.service === name) as ServiceStatus;

beforeAll(async () => {
    layout = await buildLayout(["orders", "payments", "search"]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-status-"));
    outputs = writeOutputs(dir, layout.outputs());
    migrations = path.join(dir, "migrations");
    const files = [parseMigrationFile("V001__a.sql", "CREATE TABLE a (id int);"), parseMigrationFile("V002__b.sql", "CREATE TABLE b (id int);")];
    for (const [service, onDisk, applied] of [["orders", files, files.slice(0, 1)], ["search", files, files]] as const) {
        fs.mkdirSync(path.join(migrations, service), { recursive: true });
        for (const f of onDisk) fs.writeFileSync(path.join(migrations, service, f.script), f.sql);
        const [c] = await connectAs(svc(service), 1);
        await migrate(c, [...applied]);
    }
    await closeAll();
    // search gets room for 10 connections, so that 9 busy ones leave one for status's own login.
    await layout.adminIn("search", `ALTER ROLE ${svc("search").role} CONNECTION LIMIT 10; ALTER DATABASE ${svc("search").database} CONNECTION LIMIT 10`);
}, 120_000);
afterEach(closeAll);
afterAll(async () => {
    await layout.drop();
    fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);

test("own logins: a service over 80% of its limit and one with a pending migration are flagged", async () => {
    const busy = await connectAs(svc("search"), 9);
    await busy[0].query("BEGIN; SELECT 1");
    const r = await status(["--json"]);
    expect(r.stderr).toEqual([]);
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ ok: false, view: "own sessions" });
    const search = of(r, "search");
    expect(search).toMatchObject({ reachable: "yes", limit: 10, share: 0.1, sessions: { inUse: 9, idleInTransaction: 1 }, migrations: { applied: 2, pending: 0, folder: true } });
    expect(search.sessions?.longestTransactionSeconds).not.toBeNull();
    expect(search.flags).toEqual(["9 of 10 connections in use (90% of its limit, over 80%)"]);
    expect(of(r, "orders").flags).toEqual(["1 pending migration(s)"]);
    expect(of(r, "orders").migrations?.lastAppliedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(of(r, "payments")).toMatchObject({ flags: [], sessions: { inUse: 0 }, limit: 4, migrations: { folder: false, pending: 0 } });
    expect(of(r, "payments").sizeBytes).toBeGreaterThan(0);
    expect(json(r).servers).toEqual([{ server: "127.0.0.1:5432", maxConnections: expect.any(Number), inUse: 9, allocated: 19, services: 3, view: "own sessions" }]);
});

test("admin view: a service at its limit shows as full, with its sessions counted by the admin", async () => {
    await connectAs(svc("orders"), 5);
    const r = await status(["--json", "--admin-url", ADMIN_URL]);
    const orders = of(r, "orders");
    expect(orders).toMatchObject({ reachable: "full", limit: 5, sessions: { inUse: 5, idleInTransaction: 0 }, migrations: null });
    expect(orders.sizeBytes).toBeGreaterThan(0);
    expect(orders.flags).toEqual(["connection limit reached: the server refuses new logins of this role", "5 of 5 connections in use (100% of its limit, over 80%)"]);
    const server = json(r).servers[0];
    expect(server.view).toBe("admin");
    expect(server.inUse).toBeGreaterThanOrEqual(5);
});

test("the table fits 100 columns, marks flagged services and explains each flag", async () => {
    await connectAs(svc("search"), 9);
    const r = await status([]);
    const lines = r.stdout.split("\n");
    expect(lines.every((l) => l.length <= 100)).toBe(true);
    expect(lines[2]).toMatch(/^service\s+up\s+conns\s+use\s+share\s+idle-tx\s+oldest-tx\s+size\s+applied\s+pending\s+migrated\s+!$/);
    expect(lines.find((l) => l.startsWith("search "))).toMatch(/^search\s+yes\s+9\/10\s+90%\s+10%\s+0\s+-\s+\S+ \S+\s+2\s+0\s+\d+s ago\s+!$/);
    expect(lines).toContain("! search: 9 of 10 connections in use (90% of its limit, over 80%)");
    expect(lines).toContain("! orders: 1 pending migration(s)");
    const server = lines.indexOf("server 127.0.0.1:5432");
    expect(lines[server + 1]).toMatch(/^ {2}in use 9\/\d+ \(\d+(\.\d)?%\), the services' own logins; allocated 19\/\d+ \(\d+(\.\d)?%\) to 3 service\(s\)$/);
});

test("an unreachable server is flagged per service, with the cause", async () => {
    const o = layout.outputs() as { databases: Record<string, Record<string, unknown>> };
    for (const d of Object.values(o.databases)) { d.port = 1; d.url = String(d.url).replace(":5432/", ":1/"); }
    outputs = writeOutputs(dir, o);
    try {
        const r = await status(["--json"]);
        expect(r.code).toBe(1);
        expect(of(r, "payments")).toMatchObject({ reachable: "no", sessions: null, flags: ["unreachable: cannot connect to 127.0.0.1:1: connection refused (is PostgreSQL running there?)"] });
    } finally {
        outputs = writeOutputs(dir, layout.outputs());
    }
});

test("--watch writes a frame per interval until stopped; ANSI clear only on a terminal", async () => {
    for (const tty of [false, true]) {
        const stop = new AbortController();
        const written: string[] = [];
        const r = await status(["--watch", "--interval", "0.05"], { isTty: tty, signal: stop.signal, write: (t) => { written.push(t); if (written.length === 2) stop.abort(); } });
        expect(r.code).toBe(0);
        expect(written).toHaveLength(2);
        for (const w of written) {
            expect(w.startsWith(CLEAR)).toBe(tty);
            expect(w).toContain("search");
        }
    }
});
