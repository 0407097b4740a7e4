/**
 * Drift made by hand, on a real engine, with both cores (`single`, the default, and the resource
 * chain), on the machine's server and on a managed-like one (TLS verify-full with a private CA,
 * SCRAM, an admin with CREATEDB CREATEROLE and no superuser). Each kind of drift in turn:
 * `preview --refresh --expect-no-changes` fails naming the resource and the field, `up --refresh`
 * converges, the next such preview passes and `verify` passes. Afterwards the state holds no
 * password in clear text.
 */
import * as fs from "fs";
import * as path from "path";
import { Client, ClientConfig } from "pg";
import { Workspace, engineMissing, projectCopy, skipSuite } from "./engine";
import { ADMIN, dropLeftovers } from "./server";
import { ManagedCluster, managedClusterMissing, startManagedCluster } from "../pg/managedCluster";
import { runVerify } from "../../src/verify/cli";

const PREFIX = "sdb_drift_e2e_";
const A = `${PREFIX}a`;
const B = `${PREFIX}b`;
const missing = engineMissing(["postgresql", "random"]) ?? managedClusterMissing();
type Core = "single" | "resources";

interface Target {
    readonly name: string;
    /** The cluster's line of the stack file. */
    readonly cluster: string;
    readonly adminPassword?: string;
    readonly adminUrl: string;
    superuser(database: string): ClientConfig;
}

const MIGRATIONS = {
    [`migrations/drift-a/V001__items.sql`]: "CREATE TABLE app.items (id bigint PRIMARY KEY);\n",
    [`migrations/drift-a/V002__item_name.sql`]: "ALTER TABLE app.items ADD COLUMN name text;\n",
};

function stackYaml(core: Core, t: Target): string {
    return [
        "config:",
        `  servicedb:core: ${core}`,
        "  servicedb:clusters:",
        `    main: ${t.cluster}`,
        "  servicedb:services:",
        `    drift-a: { cluster: main, database: ${A}, role: ${A}, connectionLimit: 3, readers: true, schemas: [public, app], extensions: [pgcrypto], settings: { statementTimeout: 30s, workMem: 8MB } }`,
        `    drift-b: { cluster: main, database: ${B}, role: ${B}, connectionLimit: 2, rotation: 1, reads: [drift-a] }`,
    ].join("\n") + "\n";
}

const id = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** A kind of drift: the SQL a superuser runs (`db`: in drift-a's database), and what the failed preview must name. */
interface Drift {
    readonly what: string;
    readonly make: (sql: (database: string, text: string) => Promise<void>, t: Target) => Promise<void>;
    readonly names: Record<Core, RegExp>;
}

const DRIFTS: Drift[] = [
    { what: "PUBLIC given CONNECT on the database", make: (sql) => sql("postgres", `GRANT CONNECT ON DATABASE ${id(A)} TO PUBLIC`),
        names: { single: /drift-a-core[^]*databaseState/, resources: /drift-a-revoke-public-db/ } },
    { what: "PUBLIC given CREATE on a schema", make: (sql) => sql(A, "GRANT CREATE ON SCHEMA app TO PUBLIC"),
        names: { single: /drift-a-core[^]*schemaStates/, resources: /drift-a-revoke-public-schema-app/ } },
    { what: "a login's CONNECTION LIMIT changed", make: (sql) => sql("postgres", `ALTER ROLE ${id(A)} CONNECTION LIMIT 40`),
        names: { single: /drift-a-core[^]*logins/, resources: /drift-a-role[^]*connectionLimit/ } },
    { what: "a login given CREATEDB", make: (sql) => sql("postgres", `ALTER ROLE ${id(A)} CREATEDB`),
        names: { single: /drift-a-core[^]*logins/, resources: /drift-a-role[^]*createDatabase/ } },
    { what: "the reader role dropped", make: async (sql) => {
        await sql(A, `DROP OWNED BY ${id(`${A}_reader`)}`);
        await sql("postgres", `REVOKE ALL ON DATABASE ${id(A)} FROM ${id(`${A}_reader`)}`);
        await sql("postgres", `DROP ROLE ${id(`${A}_reader`)}`);
    }, names: { single: /drift-a-core[^]*readerRole/, resources: /drift-a-reader/ } },
    { what: "a schema's owner changed", make: (sql, t) => sql(A, `ALTER SCHEMA app OWNER TO ${id(new URL(t.adminUrl).username)}`),
        names: { single: /drift-a-core[^]*schemaStates/, resources: /drift-a-schema-app[^]*owner/ } },
    { what: "an extension dropped", make: (sql) => sql(A, "DROP EXTENSION pgcrypto"),
        names: { single: /drift-a-core[^]*extensionStates/, resources: /drift-a-ext-pgcrypto/ } },
    { what: "a migration undone (the database restored from an older backup)", make: (sql) => sql(A,
        "ALTER TABLE app.items DROP COLUMN name; DELETE FROM public.servicedb_schema_history WHERE script = 'V002__item_name.sql'"),
    names: { single: /drift-a-migrations[^]*pending/, resources: /drift-a-migrations[^]*pending/ } },
    { what: "a login's statement_timeout reset by hand", make: (sql) => sql("postgres", `ALTER ROLE ${id(A)} RESET statement_timeout`),
        names: { single: /drift-a-core[^]*loginSettings/, resources: /drift-a-role[^]*statementTimeout/ } },
    { what: "the second login given a work_mem by hand", make: (sql) => sql("postgres", `ALTER ROLE ${id(`${A}_b`)} SET work_mem = '1GB'`),
        names: { single: /drift-a-core[^]*loginSettings/, resources: /drift-a-settings[^]*loginSettings/ } },
    { what: "a declared read revoked by hand", make: (sql) => sql("postgres", `REVOKE CONNECT ON DATABASE ${id(A)} FROM ${id(B)}`),
        names: { single: /drift-b-reads[^]*readStates/, resources: /drift-b-reads-drift-a-connect/ } },
    { what: "the database dropped", make: (sql) => sql("postgres", `DROP DATABASE ${id(A)} WITH (FORCE)`),
        names: { single: /drift-a-core[^]*databaseState/, resources: /drift-a-db/ } },
];

async function superuserSql(t: Target, database: string, text: string): Promise<void> {
    const c = new Client(t.superuser(database));
    c.on("error", () => undefined);
    await c.connect();
    try { await c.query(text); } finally { await c.end().catch(() => undefined); }
}

async function verifyStack(ws: Workspace, t: Target): Promise<string> {
    const file = path.join(ws.dir, "outputs.json");
    fs.writeFileSync(file, ws.cli(["stack", "output", "--json", "--show-secrets"]), { mode: 0o600 });
    let out = "";
    const code = await runVerify(["--outputs", file, "--admin-url", t.adminUrl], { out: (x) => { out += x; }, err: (l) => { out += l; } });
    return `${out}\nexit ${code}`;
}

/** The preview's whole text when it fails (the Automation API puts stdout and stderr in the error). */
async function failedPreview(ws: Workspace): Promise<string> {
    try {
        await ws.preview({ refresh: true, expectNoChanges: true, diff: true });
    } catch (e) {
        return String((e as Error).message);
    }
    throw new Error("preview --refresh --expect-no-changes passed: the drift was not seen");
}

function driftSuite(core: Core, target: () => Target) {
    describe(`core ${core}`, () => {
        let ws: Workspace;
        beforeAll(async () => {
            await dropLeftovers(PREFIX);
            ws = await projectCopy(`e2edrift${core}`, stackYaml(core, target()), MIGRATIONS);
            const pw = target().adminPassword;
            if (pw) await ws.stack.setConfig("servicedb:clusters.main.adminPassword", { value: pw, secret: true }, true);
            expect((await ws.up()).summary.result).toBe("succeeded");
            await ws.preview({ refresh: true, expectNoChanges: true });
        }, 900_000);
        afterAll(async () => {
            if (ws) {
                await ws.destroy().catch(() => undefined);
                ws.cleanup();
            }
        }, 900_000);

        test.each(DRIFTS.map((d) => [d.what, d] as const))("%s: the refreshed preview names it, up --refresh converges, verify passes", async (_what, d) => {
            await d.make((db, text) => superuserSql(target(), db, text), target());
            const preview = await failedPreview(ws);
            expect(preview).toMatch(d.names[core]);
            expect((await ws.up({ refresh: true })).summary.result).toBe("succeeded");
            await ws.preview({ refresh: true, expectNoChanges: true });
            expect(await verifyStack(ws, target())).toMatch(/verify: \d+ passed, 0 failed[^]*exit 0/);
        }, 900_000);

        test("the state holds the passwords only encrypted, refreshes included", async () => {
            const outputs = JSON.parse(ws.cli(["stack", "output", "--json", "--show-secrets"])) as { databases: Record<string, { password: string }> };
            const state = ws.cli(["stack", "export"]);
            const secrets = [...Object.values(outputs.databases).map((d) => d.password), target().adminPassword].filter((s): s is string => !!s);
            expect(secrets.length).toBeGreaterThan(1);
            for (const s of secrets) expect(state).not.toContain(s);
        }, 300_000);
    });
}

if (missing) {
    skipSuite("end-to-end (drift made by hand, both cores, local and managed-like servers)", missing);
} else {
    describe("the machine's server (superuser admin)", () => {
        const local: Target = {
            name: "local",
            cluster: "{ host: 127.0.0.1, port: 5432, sslmode: disable, maxConnections: 100, reservedConnections: 10, parallelism: 2 }",
            adminUrl: "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable",
            superuser: (database) => ({ ...ADMIN, database }),
        };
        driftSuite("single", () => local);
        driftSuite("resources", () => local);
    });

    describe("a managed-like server (TLS verify-full, SCRAM, admin without superuser)", () => {
        let cluster: ManagedCluster;
        let target: Target;
        beforeAll(async () => {
            cluster = await startManagedCluster();
            target = {
                name: "managed",
                cluster: `{ host: 127.0.0.1, port: ${cluster.port}, adminUser: ${cluster.adminUser}, sslmode: verify-full, sslrootcert: ${cluster.caFile}, superuser: false, maxConnections: 60, reservedConnections: 10, parallelism: 2 }`,
                adminPassword: cluster.adminPassword,
                adminUrl: `postgresql://${cluster.adminUser}:${cluster.adminPassword}@127.0.0.1:${cluster.port}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(cluster.caFile)}`,
                superuser: cluster.superuserConfig,
            };
        }, 120_000);
        afterAll(() => cluster?.stop());
        driftSuite("single", () => target);
        driftSuite("resources", () => target);
    });
}
