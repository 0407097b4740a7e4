/**
 * End to end: `pulumi up` of the `local` stack against the machine's PostgreSQL, then with `pg`:
 * every service logs in to its own database and works in its schema, and is refused by every
 * other service's database; then `pulumi destroy` leaves no role or database behind.
 */
import { Client } from "pg";
import { engineMissing, projectCopy, skipSuite, Workspace } from "./engine";
import { asAdmin } from "./server";
import * as fs from "fs";
import * as path from "path";
import { loadStackConfig } from "../../src/stackFile";
import { runVerify } from "../../src/verify/cli";

interface Db { cluster: string; host: string; port: number; database: string; username: string; password: string; url: string }

const missing = engineMissing(["postgresql", "random"]);

/** The names the local stack declares, so leftovers of a crashed run can be removed first. */
function declaredNames(): { databases: string[]; roles: string[] } {
    const services = loadStackConfig("local").config["servicedb:services"] as Record<string, { database: string; role: string }>;
    return {
        databases: Object.values(services).map((s) => s.database),
        roles: Object.values(services).flatMap((s) => ("readers" in s ? [s.role, `${s.role}_reader`] : [s.role])),
    };
}

async function dropLeftovers(): Promise<void> {
    const { databases, roles } = declaredNames();
    await asAdmin(async (c) => {
        for (const d of databases) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(d)} WITH (FORCE)`);
        for (const r of roles) {
            await c.query(`DROP OWNED BY ${c.escapeIdentifier(r)}`).catch(() => undefined);
            await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(r)}`);
        }
    });
}

if (missing) {
    skipSuite("end-to-end (pulumi up/destroy of the local stack)", missing);
} else {
    describe("pulumi up / destroy of the local stack", () => {
        let ws: Workspace;
        let dbs: Record<string, Db>;

        beforeAll(async () => {
            await dropLeftovers();
            ws = await projectCopy("local");
            await ws.up();
            dbs = (await ws.outputs()).databases.value as Record<string, Db>;
        }, 600_000);

        afterAll(async () => {
            try {
                await ws?.destroy();
            } finally {
                ws?.cleanup();
                await dropLeftovers();
            }
        }, 600_000);

        test("outputs keep password and url secret, the rest readable", () => {
            const masked = JSON.parse(ws.cli(["stack", "output", "--json"])) as { databases: Record<string, Record<string, unknown>> };
            for (const db of Object.values(masked.databases)) {
                expect(db.password).toBe("[secret]");
                expect(db.url).toBe("[secret]");
                expect(db.host).toBe("127.0.0.1");
            }
        });

        test("the checkpoint records where servicedb's own code declared each resource", () => {
            const state = JSON.parse(ws.cli(["stack", "export"])) as { deployment: { resources: { type: string; sourcePosition?: string }[] } };
            const declared = state.deployment.resources.filter((r) => r.type.startsWith("postgresql:index") || r.type.startsWith("random:index") || r.type.startsWith("servicedb:"));
            expect(declared.length).toBeGreaterThan(20);
            for (const r of declared) expect(r.sourcePosition).toMatch(/project:\/\/.*\.(ts|js)#\d+,\d+$|file:\/\/.*\.(ts|js)#\d+,\d+$/);
        });

        test("each service works in its own database", async () => {
            for (const [svc, db] of Object.entries(dbs)) {
                const c = new Client({ connectionString: db.url });
                await c.connect();
                try {
                    const r = await c.query("SELECT current_user AS u, current_database() AS d");
                    expect(r.rows[0]).toEqual({ u: db.username, d: db.database });
                    await c.query("CREATE TABLE e2e_probe (id int)");
                    await c.query("DROP TABLE e2e_probe");
                } finally {
                    await c.end();
                }
                expect(svc).toBeTruthy();
            }
        });

        test("no service can connect to another service's database", async () => {
            const entries = Object.entries(dbs);
            for (const [a, mine] of entries) {
                for (const [b, theirs] of entries) {
                    if (a === b) continue;
                    const c = new Client({ host: mine.host, port: mine.port, user: mine.username, password: mine.password, database: theirs.database });
                    await expect(c.connect()).rejects.toThrow(/permission denied for database|does not have CONNECT privilege/);
                    await c.end().catch(() => undefined);
                }
            }
        });

        test("roles carry no elevated attribute and their connection limit", async () => {
            const roles = declaredNames().roles.filter((r) => !r.endsWith("_reader"));
            const rows = await asAdmin((c) => c.query(
                "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolconnlimit FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname", [roles]));
            expect(rows.rows).toHaveLength(roles.length);
            for (const r of rows.rows) {
                expect([r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolreplication, r.rolbypassrls]).toEqual([false, false, false, false, false]);
                expect(r.rolconnlimit).toBeGreaterThan(0);
            }
        });

        test("migrations/e2e-orders ran as the service role: its tables belong to it", async () => {
            const db = dbs["e2e-orders"];
            const c = new Client({ connectionString: db.url });
            await c.connect();
            try {
                const owners = await c.query("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
                expect(owners.rows).toEqual([
                    { tablename: "orders", tableowner: db.username },
                    { tablename: "servicedb_schema_history", tableowner: db.username },
                ]);
                const history = await c.query("SELECT script, success FROM servicedb_schema_history ORDER BY installed_rank");
                expect(history.rows).toEqual([
                    { script: "V001__create_orders.sql", success: true },
                    { script: "V002__add_order_status.sql", success: true },
                ]);
            } finally {
                await c.end();
            }
        });

        test("a second `pulumi up` with unchanged files changes nothing", async () => {
            const preview = await ws.preview();
            expect(preview.changeSummary.update ?? 0).toBe(0);
            expect(preview.changeSummary.create ?? 0).toBe(0);
        });

        test("npm run verify passes on the deployed stack (the post-deploy gate)", async () => {
            const file = path.join(ws.dir, "outputs.json");
            fs.writeFileSync(file, ws.cli(["stack", "output", "--json", "--show-secrets"]), { mode: 0o600 });
            let out = "";
            const err: string[] = [];
            const code = await runVerify(["--outputs", file, "--admin-url", "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable"], { out: (t) => { out += t; }, err: (l) => err.push(l) });
            expect(err).toEqual([]);
            // Every check passes; only `reads` has nothing to prove (no service of this stack reads another).
            expect(out).toMatch(/verify: \d+ passed, 0 failed, 3 skipped/);
            expect(out.split("\n").filter((l) => l.startsWith("e2e-")).every((l) => /\bskip\b/.test(l) && l.match(/\bskip\b/g)?.length === 1)).toBe(true);
            expect(code).toBe(0);
        });

        test("the reader role of e2e-payments reads tables created later by its owner", async () => {
            const db = dbs["e2e-payments"];
            const owner = new Client({ connectionString: db.url });
            await owner.connect();
            try {
                await owner.query("CREATE TABLE ledger.entries (id int)");
                const r = await owner.query("SELECT has_table_privilege($1, 'ledger.entries', 'SELECT') AS can", [`${db.username}_reader`]);
                expect(r.rows[0].can).toBe(true);
                await owner.query("DROP TABLE ledger.entries");
            } finally {
                await owner.end();
            }
        });

        test("PUBLIC has no privilege on any service database", async () => {
            const { databases } = declaredNames();
            const rows = await asAdmin((c) => c.query("SELECT datname, datacl::text[] AS acl FROM pg_database WHERE datname = ANY($1)", [databases]));
            for (const r of rows.rows) {
                expect((r.acl as string[]).filter((e) => e.startsWith("="))).toEqual([]);
            }
        });
    });
}
