import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { backupBeforeMigrate } from "../../src/backup/backup";
import { runBackup, runRestore } from "../../src/backup/cli";
import { Manifest } from "../../src/backup/manifest";
import { parseMigrationFile } from "../../src/migrations/files";
import { migrate } from "../../src/migrations/runner";
import { capture, dumpAsSql, plainDump, writeOutputs } from "./day2Helpers";
import { Layout, LayoutService, buildLayout } from "./layout";
import { asAdmin } from "./scratch";

const ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable";
const FILES = [
    parseMigrationFile("V001__create_orders.sql", "CREATE TABLE orders (id bigserial PRIMARY KEY, customer text NOT NULL);"),
    parseMigrationFile("V002__order_lines.sql", "CREATE TABLE order_lines (order_id bigint REFERENCES orders(id), sku text); CREATE VIEW big_orders AS SELECT * FROM orders;"),
];
let layout: Layout;
let dir: string;
let outputs: string;
let orders: LayoutService;

const asService = async <T>(s: LayoutService, fn: (c: Client) => Promise<T>, database = s.database): Promise<T> => {
    const c = new Client({ host: "127.0.0.1", port: 5432, user: s.role, password: s.password, database });
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
};
const backup = async (service: string) => {
    const r = await capture(runBackup, ["--outputs", outputs, "--service", service, "--out", dir, "--json"]);
    expect(r.stderr).toEqual([]);
    return JSON.parse(r.stdout) as { dump: string; manifestFile: string; manifest: Manifest };
};

beforeAll(async () => {
    layout = await buildLayout(["orders", "payments"]);
    orders = layout.services[0];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-backup-"));
    outputs = writeOutputs(dir, layout.outputs());
    await asService(orders, async (c) => {
        await migrate(c, FILES);
        await c.query("INSERT INTO orders (customer) SELECT 'customer ' || g FROM generate_series(1, 50) g");
        await c.query("INSERT INTO order_lines SELECT id, 'sku-' || id FROM orders");
    });
    await asService(layout.services[1], (c) => c.query("INSERT INTO secrets VALUES (1, 'payments-only-marker')"));
}, 120_000);
afterAll(async () => {
    await layout.drop();
    fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);

test("backup writes a custom dump and a manifest with service, database, server and migration version", async () => {
    const r = await backup("orders");
    expect(fs.readFileSync(r.dump).subarray(0, 5).toString()).toBe("PGDMP");
    expect(r.manifest).toMatchObject({ format: "servicedb-backup/1", service: "orders", database: orders.database, role: orders.role, migrationVersion: 2, lastMigration: "V002__order_lines.sql", file: path.basename(r.dump) });
    expect(r.manifest.serverVersion).toMatch(/^\d+\.\d+/);
    expect(JSON.parse(fs.readFileSync(r.manifestFile, "utf8"))).toEqual(r.manifest);
    expect(fs.statSync(r.dump).mode & 0o777).toBe(0o600);
});

test("backup → drop a table → restore --clean gives an identical pg_dump; without --clean it refuses", async () => {
    const before = await plainDump(orders.database);
    const { dump } = await backup("orders");
    await asService(orders, (c) => c.query("DROP TABLE order_lines"));
    expect(await plainDump(orders.database)).not.toBe(before);

    const refused = await capture(runRestore, ["--outputs", outputs, "--service", "orders", "--from", dump]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toHaveLength(1);
    expect(refused.stderr[0]).toMatch(new RegExp(`^servicedb restore: database ${orders.database} is not empty \\(\\d+ object\\(s\\): public\\.big_orders, public\\.orders, public\\.orders_id_seq, …\\); nothing was restored\\. Use --clean`));

    const ok = await capture(runRestore, ["--outputs", outputs, "--service", "orders", "--from", dump, "--clean"]);
    expect(ok.stderr).toEqual([]);
    expect(ok.code).toBe(0);
    expect(await plainDump(orders.database)).toBe(before);
});

test("--force on top of the same objects fails in one transaction and changes nothing", async () => {
    const { dump } = await backup("orders");
    const before = await plainDump(orders.database);
    const r = await capture(runRestore, ["--outputs", outputs, "--service", "orders", "--from", dump, "--force"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(new RegExp(`^servicedb restore: restore of service orders into ${orders.database} failed, nothing was restored: pg_restore: .*already exists`));
    expect(await plainDump(orders.database)).toBe(before);
});

test("restore --as a scratch database: owned by the service role, the live database untouched", async () => {
    const { manifestFile } = await backup("orders");
    const scratch = `${orders.database}_inspect`;
    const live = await plainDump(orders.database);
    try {
        const noAdmin = await capture(runRestore, ["--outputs", outputs, "--service", "orders", "--from", manifestFile, "--as", scratch]);
        expect(noAdmin.code).toBe(1);
        expect(noAdmin.stderr).toEqual([`servicedb restore: database ${scratch} does not exist and the service role may not create databases; give --admin-url <url of a role with CREATEDB> to create it, or create it yourself (owned by ${orders.role})`]);

        const r = await capture(runRestore, ["--outputs", outputs, "--service", "orders", "--from", manifestFile, "--as", scratch, "--admin-url", ADMIN_URL, "--json"]);
        expect(r.stderr).toEqual([]);
        expect(JSON.parse(r.stdout)).toMatchObject({ service: "orders", database: scratch, created: true, mode: "empty" });
        const owners = await asService(orders, async (c) => (await c.query("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")).rows, scratch);
        expect(owners).toEqual([{ tableowner: orders.role }]);
        expect(await asService(orders, async (c) => (await c.query("SELECT count(*)::int AS n FROM order_lines")).rows[0].n, scratch)).toBe(50);
        expect(await plainDump(orders.database)).toBe(live);
    } finally {
        await asAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(scratch)} WITH (FORCE)`));
    }
});

test("a backup of one service contains nothing of another", async () => {
    const sql = await dumpAsSql((await backup("orders")).dump);
    expect(sql).toContain("CREATE TABLE public.order_lines");
    const payments = layout.services[1];
    for (const other of [payments.role, payments.database, "payments-only-marker"]) expect(sql).not.toContain(other);
    const theirs = await dumpAsSql((await backup("payments")).dump);
    expect(theirs).toContain("payments-only-marker");
    expect(theirs).not.toContain("order_lines");
});

test("a damaged dump or another service's backup is refused before anything happens", async () => {
    const { dump } = await backup("orders");
    const broken = path.join(dir, "broken.dump");
    fs.copyFileSync(dump, broken);
    fs.copyFileSync(dump.replace(/\.dump$/, ".json"), broken.replace(/\.dump$/, ".json"));
    fs.appendFileSync(broken, "x");
    const damaged = await capture(runRestore, ["--outputs", outputs, "--service", "orders", "--from", broken, "--clean"]);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr[0]).toMatch(/^servicedb restore: \S+broken\.dump: sha256 [0-9a-f]{12}… does not match the manifest's [0-9a-f]{12}…; the dump is damaged/);
    const wrong = await capture(runRestore, ["--outputs", outputs, "--service", "payments", "--from", dump, "--force"]);
    expect(wrong.stderr).toEqual([`servicedb restore: ${dump} is a backup of service orders, not payments; restore it with --service orders`]);
});

test("backupBeforeMigrate: a dump when files are pending, none when nothing is", async () => {
    const url = (layout.outputs() as { databases: Record<string, { url: string }> }).databases.orders.url;
    const target = path.join(dir, "pre-migrate");
    expect(await backupBeforeMigrate({ service: "orders", url, schema: "public", files: FILES, dir: target })).toBeUndefined();
    expect(fs.existsSync(target)).toBe(false);
    const next = [...FILES, parseMigrationFile("V003__drop_lines.sql", "DROP TABLE order_lines;")];
    const r = await backupBeforeMigrate({ service: "orders", url, schema: "public", files: next, dir: target });
    expect(r?.manifest.migrationVersion).toBe(2);
    expect(fs.readdirSync(target).sort()).toEqual([path.basename(r?.file ?? ""), path.basename(r?.manifestFile ?? "")].sort());
});
