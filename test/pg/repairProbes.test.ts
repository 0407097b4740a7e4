/**
 * Repair's server probes on the real server: for pending creates of every PostgreSQL kind, does
 * the object exist, does it match the declaration, and what is its provider ID. Scratch roles and
 * databases (sdb_rep_<random>) are dropped afterwards, even on failure.
 */
import { randomBytes } from "crypto";
import { decide } from "../../src/repair/decide";
import { probeAll } from "../../src/repair/probeAll";
import { ExportedState, PendingOperation } from "../../src/repair/state";
import { ADMIN, asAdmin } from "./scratch";

const id = randomBytes(4).toString("hex");
const owner = `sdb_rep_${id}`;
const reader = `sdb_rep_${id}_reader`;
const stranger = `sdb_rep_${id}_other`;
const db = `sdb_rep_${id}`;
const foreignDb = `sdb_rep_${id}_foreign`;
const SECRET = "4dabf18193072939515e22adb298388d";

const providerUrn = "urn:pulumi:t::servicedb::pulumi:providers:postgresql::local-provider";
const provider = (port: number) => ({ urn: providerUrn, id: "pid", type: "pulumi:providers:postgresql", custom: true, inputs: { host: String(ADMIN.host), port: String(port), username: "postgres", sslmode: "disable" } });
const TYPES: Record<string, string> = {
    role: "postgresql:index/role:Role", database: "postgresql:index/database:Database", schema: "postgresql:index/schema:Schema",
    extension: "postgresql:index/extension:Extension", grant: "postgresql:index/grant:Grant", grantRole: "postgresql:index/grantRole:GrantRole",
    defaultPrivileges: "postgresql:index/defaultPrivileges:DefaultPrivileges", migrations: "servicedb:migrations:ServiceMigrations",
};
let n = 0;
const create = (kind: string, inputs: Record<string, unknown>): PendingOperation => ({
    type: "creating", resource: { urn: `urn:pulumi:t::servicedb::${TYPES[kind]}::r${n++}`, type: TYPES[kind], custom: true, inputs, provider: `${providerUrn}::pid` },
});

/** Decisions for the given pending creates against the server on `port`. */
async function decisions(ops: PendingOperation[], port = Number(ADMIN.port)) {
    const state: ExportedState = { resources: [provider(port)], pending: ops };
    const probes = await probeAll(state);
    return ops.map((op) => decide(op, probes.get(op)));
}

const role = { name: owner, login: true, superuser: false, createDatabase: false, createRole: false, replication: false, bypassRowLevelSecurity: false, inherit: true, connectionLimit: 3 };

async function dropAll(): Promise<void> {
    await asAdmin(async (c) => {
        for (const d of [db, foreignDb]) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(d)} WITH (FORCE)`);
        for (const r of [reader, stranger, owner]) {
            if ((await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [r])).rows.length) {
                await c.query(`DROP OWNED BY ${c.escapeIdentifier(r)}`);
                await c.query(`DROP ROLE ${c.escapeIdentifier(r)}`);
            }
        }
    });
}

beforeAll(async () => {
    await dropAll();
    await asAdmin(async (c) => {
        const q = (s: string) => c.escapeIdentifier(s);
        await c.query(`CREATE ROLE ${q(owner)} LOGIN CONNECTION LIMIT 3`);
        await c.query(`CREATE ROLE ${q(reader)} NOLOGIN`);
        await c.query(`CREATE ROLE ${q(stranger)} NOLOGIN CREATEDB`);
        await c.query(`GRANT ${q(owner)} TO ${q(stranger)}`);
        await c.query(`CREATE DATABASE ${q(db)} OWNER ${q(owner)} ENCODING 'UTF8' TEMPLATE template0 CONNECTION LIMIT 3`);
        await c.query(`CREATE DATABASE ${q(foreignDb)} OWNER ${q(stranger)}`);
        await c.query(`REVOKE ALL ON DATABASE ${q(db)} FROM PUBLIC`);
    });
    await asAdmin(async (c) => {
        const q = (s: string) => c.escapeIdentifier(s);
        await c.query(`CREATE SCHEMA app AUTHORIZATION ${q(owner)}`);
        await c.query(`REVOKE ALL ON SCHEMA app FROM PUBLIC`);
        await c.query(`CREATE TABLE app.t1 (id int)`);
        await c.query(`GRANT SELECT ON app.t1 TO ${q(reader)}`);
        await c.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${q(owner)} IN SCHEMA app GRANT SELECT ON TABLES TO ${q(reader)}`);
        await c.query(`CREATE TABLE public.servicedb_schema_history (installed_rank serial, success boolean NOT NULL)`);
        await c.query(`INSERT INTO public.servicedb_schema_history (success) VALUES (true), (true), (false)`);
    }, db);
}, 60_000);
afterAll(dropAll, 60_000);

test("roles: as declared → import by name; absent → drop; other attributes → conflict with the ALTER ROLE", async () => {
    const [same, absent, other] = await decisions([
        create("role", role), create("role", { ...role, name: `${owner}_nope` }), create("role", { ...role, name: stranger, login: false, connectionLimit: -1 }),
    ]);
    expect(same).toMatchObject({ action: "import", id: owner });
    expect(absent.action).toBe("clear");
    expect(other.action).toBe("conflict");
    expect(other.line).toContain("CREATEDB is true, declared false");
    expect(other.line).toContain(`ALTER ROLE "${stranger}" NOCREATEDB`);
});

test("databases: the declared owner → import; another owner → conflict naming ALTER DATABASE … OWNER TO", async () => {
    const decl = { name: db, owner, encoding: "UTF8", template: "template0", connectionLimit: 3, allowConnections: true };
    const [same, foreign, absent] = await decisions([
        create("database", decl), create("database", { ...decl, name: foreignDb, connectionLimit: -1 }), create("database", { ...decl, name: `${db}_nope` }),
    ]);
    expect(same).toMatchObject({ action: "import", id: db });
    expect(foreign.action).toBe("conflict");
    expect(foreign.line).toContain(`owner is "${stranger}", declared "${owner}"`);
    expect(foreign.line).toContain(`ALTER DATABASE "${foreignDb}" OWNER TO "${owner}"`);
    expect(absent.action).toBe("clear");
});

test("schemas and extensions: `<db>.<name>`; a schema of another owner is taken over by up's create, not imported", async () => {
    const ds = await decisions([
        create("schema", { name: "app", database: db, owner }), create("schema", { name: "public", database: db, owner }),
        create("schema", { name: "nope", database: db, owner }), create("schema", { name: "app", database: `${db}_nope`, owner }),
        create("extension", { name: "plpgsql", database: db }), create("extension", { name: "pg_trgm", database: db }),
    ]);
    expect(ds.map((d) => [d.action, d.id])).toEqual([
        ["import", `${db}.app`], ["clear", undefined], ["clear", undefined], ["clear", undefined], ["import", `${db}.plpgsql`], ["clear", undefined],
    ]);
    expect(ds[1].line).toMatch(/exists, owned by ".*": pending create dropped, the next up gives it to/);
});

test("grants: in effect exactly as declared → import with generateGrantID's ID; otherwise dropped and applied again", async () => {
    const ds = await decisions([
        create("grant", { database: db, role: "public", objectType: "database", privileges: [] }),
        create("grant", { database: foreignDb, role: "public", objectType: "database", privileges: [] }),
        create("grant", { database: db, schema: "app", role: "public", objectType: "schema", privileges: [] }),
        create("grant", { database: db, schema: "public", role: "public", objectType: "schema", privileges: [] }),
        create("grant", { database: db, schema: "app", role: reader, objectType: "table", objects: [], privileges: ["SELECT"] }),
        create("defaultPrivileges", { database: db, schema: "app", owner, role: reader, objectType: "table", privileges: ["SELECT"] }),
        create("grantRole", { role: stranger, grantRole: owner }),
        create("grantRole", { role: reader, grantRole: owner }),
    ]);
    expect(ds.map((d) => [d.action, d.id])).toEqual([
        ["import", `public_${db}_database`], ["clear", undefined], ["import", `public_${db}_app_schema`], ["clear", undefined],
        ["import", `${reader}_${db}_app_table`], ["import", `${reader}_${db}_app_${owner}_table`],
        ["import", `${stranger}_${owner}_false`], ["clear", undefined],
    ]);
    expect(ds[1].line).toContain("not in effect as declared");
});

test("migrations: always dropped and re-run; the line says how many the history holds", async () => {
    const url = `postgresql://postgres@${ADMIN.host}:${ADMIN.port}/${db}?sslmode=disable`;
    const secret = (v: string) => ({ [SECRET]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(v) });
    const [m, gone] = await decisions([
        create("migrations", { service: "orders", url: secret(url), schema: "public" }),
        create("migrations", { service: "gone", url: secret(url.replace(db, `${db}_nope`)), schema: "public" }),
    ]);
    expect(m.action).toBe("clear");
    expect(m.line).toContain("the history holds 2 applied migration(s)");
    expect(gone.line).toContain("the history holds 0 applied migration(s)");
});

test("an unreachable server is unresolved with the fix, never guessed", async () => {
    const [d] = await decisions([create("role", role)], 1);
    expect(d.action).toBe("unresolved");
    expect(d.line).toMatch(/cannot look it up on 127\.0\.0\.1:1: cannot connect to 127\.0\.0\.1:1: connection refused .* Fix: make 127\.0\.0\.1:1 reachable/);
});
