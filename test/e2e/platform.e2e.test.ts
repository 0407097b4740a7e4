/**
 * End to end: `pulumi up` of the `local` stack against the machine's PostgreSQL, then with `pg`:
 * every service logs in to its own database and works in its schema, and is refused by every
 * other service's database; then `pulumi destroy` leaves no role or database behind.
 */
import { Client } from "pg";
import { engineMissing, projectCopy, skipSuite, Workspace } from "./engine";
import { loadStackConfig } from "../unit/stackFiles";

interface Db { cluster: string; host: string; port: number; database: string; username: string; password: string; url: string }

const ADMIN = { host: "127.0.0.1", port: 5432, user: "postgres", database: "postgres" };
const missing = engineMissing(["postgresql", "random"]);

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client(ADMIN);
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
}

/** The names the local stack declares, so leftovers of a crashed run can be removed first. */
function declaredNames(): { databases: string[]; roles: string[] } {
    const services = loadStackConfig("local").config["servicedb:services"] as Record<string, { database: string; role: string }>;
    return { databases: Object.values(services).map((s) => s.database), roles: Object.values(services).map((s) => s.role) };
}

async function dropLeftovers(): Promise<void> {
    const { databases, roles } = declaredNames();
    await admin(async (c) => {
        for (const d of databases) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(d)} WITH (FORCE)`);
        for (const r of roles) await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(r)}`);
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
            await ws.stack.up({ onOutput: (o) => process.stderr.write(o) });
            dbs = (await ws.stack.outputs()).databases.value as Record<string, Db>;
        }, 600_000);

        afterAll(async () => {
            try {
                await ws?.stack.destroy({ onOutput: (o) => process.stderr.write(o) });
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
            const { roles } = declaredNames();
            const rows = await admin((c) => c.query(
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
            const preview = await ws.stack.preview();
            expect(preview.changeSummary.update ?? 0).toBe(0);
            expect(preview.changeSummary.create ?? 0).toBe(0);
        });

        test("PUBLIC has no privilege on any service database", async () => {
            const { databases } = declaredNames();
            const rows = await admin((c) => c.query("SELECT datname, datacl::text[] AS acl FROM pg_database WHERE datname = ANY($1)", [databases]));
            for (const r of rows.rows) {
                expect((r.acl as string[]).filter((e) => e.startsWith("="))).toEqual([]);
            }
        });
    });
}
