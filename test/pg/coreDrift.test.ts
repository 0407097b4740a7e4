/**
 * Drift of a ServiceCore (`servicedb:core: single`) on real servers, as the engine drives it: a
 * refresh (`readCore`) reads the catalog, the diff against the checked inputs names the drifted
 * fact, an update converges it, and the next refresh reads back exactly what was declared. Once
 * on the machine's server (a superuser admin) and once on a managed-like one (TLS with a private
 * CA and verify-full, SCRAM, an admin with CREATEDB CREATEROLE and no superuser).
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import { Client, ClientConfig } from "pg";
import { changedKeys, CoreInputs, CoreOutputs } from "../../src/core/inputs";
import { checkCore, createCore, deleteCore, readCore, updateCore } from "../../src/core/provider";
import { ADMIN } from "./scratch";
import { databaseConnectionLimit } from "../../src/pool";
import { ManagedCluster, managedClusterMissing, startManagedCluster } from "./managedCluster";

interface Server {
    readonly name: string;
    readonly inputs: Pick<CoreInputs, "host" | "port" | "adminUser" | "adminPassword" | "sslmode" | "sslrootcert" | "superuser">;
    /** Where a test makes drift: a superuser, as an operator would by hand. */
    readonly superuser: (database?: string) => ClientConfig;
}

const tag = randomBytes(3).toString("hex");

async function su<T>(s: Server, database: string, fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client(s.superuser(database));
    c.on("error", () => undefined); // a DROP DATABASE … WITH (FORCE) ends this session too
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
}

function inputsOn(s: Server, service: string): CoreInputs {
    const name = `sdb_drift_${tag}_${service}`;
    return checkCore({
        ...s.inputs, maintenanceDatabase: "postgres", parallelism: 2, reservedConnections: 10, owner: `test/${tag}`,
        role: name, database: name, connectionLimit: 4, schemas: ["public", "app"], extensions: ["pgcrypto"], readers: true, parameters: { lock_timeout: "10000", statement_timeout: "60000" },
        rotationA: "", rotationB: "0", passwordLength: 32,
    }).inputs;
}

/** A refresh and the diff the engine would run next: the refreshed outputs and the changed keys. */
async function refresh(outs: CoreOutputs, declared: CoreInputs): Promise<{ refreshed: CoreOutputs; keys: string[] }> {
    const { props } = await readCore("id", outs);
    return { refreshed: props, keys: changedKeys(props, declared) };
}

type Drift = (maintenance: (sql: string) => Promise<unknown>, inside: (sql: string) => Promise<unknown>, i: CoreInputs) => Promise<unknown>;

const id = (s: string) => `"${s.replace(/"/g, '""')}"`;
const CASES: [string, Drift, string[]][] = [
    ["PUBLIC given CONNECT on the database", (m, _, i) => m(`GRANT CONNECT ON DATABASE ${id(i.database)} TO PUBLIC`), ["databaseState"]],
    ["PUBLIC given CREATE on a schema", (_, d) => d("GRANT CREATE ON SCHEMA app TO PUBLIC"), ["schemaStates"]],
    ["a login's CONNECTION LIMIT changed", (m, _, i) => m(`ALTER ROLE ${id(i.role)} CONNECTION LIMIT 50`), ["logins"]],
    ["the second login given CREATEDB", (m, _, i) => m(`ALTER ROLE ${id(`${i.role}_b`)} CREATEDB`), ["logins"]],
    ["the second login's role switch reset", (m, _, i) => m(`ALTER ROLE ${id(`${i.role}_b`)} RESET role`), ["logins"]],
    ["the reader role dropped", async (m, d, i) => {
        await d(`DROP OWNED BY ${id(`${i.role}_reader`)}`);
        await m(`REVOKE ALL ON DATABASE ${id(i.database)} FROM ${id(`${i.role}_reader`)}`);
        await m(`DROP ROLE ${id(`${i.role}_reader`)}`);
    }, ["databaseState", "readerRole", "schemaStates"]],
    ["a table of the service the reader cannot SELECT", (_, d, i) => d(`SET ROLE ${id(i.role)}; CREATE TABLE app.late (x int);
        REVOKE SELECT ON app.late FROM ${id(`${i.role}_reader`)}; RESET ROLE`), ["schemaStates"]],
    // To the admin: on a managed server only a superuser could take back what a superuser owns.
    ["a schema's owner changed", (_, d, i) => d(`ALTER SCHEMA app OWNER TO ${id(i.adminUser)}`), ["schemaStates"]],
    ["an extension dropped", (_, d) => d("DROP EXTENSION pgcrypto"), ["extensionStates"]],
    ["the database's mark removed", (m, _, i) => m(`COMMENT ON DATABASE ${id(i.database)} IS NULL`), ["databaseState"]],
    ["a login's statement_timeout reset by hand", (m, _, i) => m(`ALTER ROLE ${id(i.role)} RESET statement_timeout`), ["loginSettings"]],
    ["the second login given a work_mem nobody declared", (m, _, i) => m(`ALTER ROLE ${id(`${i.role}_b`)} SET work_mem = '1GB'`), ["loginSettings"]],
    ["the database dropped", (m, _, i) => m(`DROP DATABASE ${id(i.database)} WITH (FORCE)`), ["databaseState", "extensionStates", "schemaStates"]],
];

function suite(server: () => Server, extra: [string, Drift, string[]][]) {
    let i: CoreInputs;
    let outs: CoreOutputs;

    beforeAll(async () => {
        i = inputsOn(server(), server().name);
        outs = await createCore(i);
    }, 120_000);
    afterAll(async () => { if (outs) await deleteCore(outs).catch(() => undefined); }, 60_000);

    test("right after create, a refresh reads back exactly the declared facts", async () => {
        const { refreshed, keys } = await refresh(outs, i);
        expect(keys).toEqual([]);
        // A managed server's admin counts against the database's limit: its pool comes on top.
        const limit = databaseConnectionLimit(4, i.superuser, i.reservedConnections);
        expect(limit).toBe(i.superuser ? 4 : 14);
        expect(refreshed.databaseState).toBe(`owner ${i.role}, CONNECTION LIMIT ${limit}, marked, PUBLIC: none, ${i.role}_reader: CONNECT`);
    }, 60_000);

    test.each([...CASES, ...extra])("%s: the refresh names it, an update converges, the next refresh is clean", async (_what, drift, expected) => {
        const s = server();
        await su(s, i.database, (d) => su(s, "postgres", (m) => drift((sql) => m.query(sql), (sql) => d.query(sql), i)));
        const drifted = await refresh(outs, i);
        expect(drifted.keys).toEqual(expected);
        outs = await updateCore(drifted.refreshed, i);
        const after = await refresh(outs, i);
        expect(after.keys).toEqual([]);
        // The logins still work with the passwords in the state.
        for (const [user, password] of [[i.role, outs.passwordA], [`${i.role}_b`, outs.passwordB]]) {
            const c = new Client({ ...s.superuser(i.database), ...loginConfig(s, i.database), user, password });
            await c.connect();
            await c.end();
        }
    }, 120_000);
}

/** How a service's login reaches the server: over TCP, with TLS where the server demands it. */
function loginConfig(s: Server, database: string): ClientConfig {
    return s.inputs.sslrootcert
        ? { host: "127.0.0.1", port: s.inputs.port, database, ssl: { ca: fs.readFileSync(s.inputs.sslrootcert, "utf8"), servername: "localhost" } }
        : { host: "127.0.0.1", port: s.inputs.port, database };
}

describe("the machine's server, superuser admin", () => {
    const local: Server = {
        name: "local",
        inputs: { host: "127.0.0.1", port: Number(ADMIN.port), adminUser: String(ADMIN.user), sslmode: "disable", superuser: true },
        superuser: (database = "postgres") => ({ ...ADMIN, database }),
    };
    suite(() => local, [
        ["a password changed outside servicedb", (m, _, i) => m(`ALTER ROLE ${id(i.role)} PASSWORD 'changed-by-hand-1'`), ["logins"]],
    ]);
});

const missing = managedClusterMissing();
(missing ? describe.skip : describe)(`a managed-like server (TLS verify-full, SCRAM, admin without superuser)${missing ? `: skipped, ${missing}` : ""}`, () => {
    let cluster: ManagedCluster;
    let server: Server;
    beforeAll(async () => {
        cluster = await startManagedCluster();
        server = {
            name: "managed",
            inputs: {
                host: "127.0.0.1", port: cluster.port, adminUser: cluster.adminUser, adminPassword: cluster.adminPassword,
                sslmode: "verify-full", sslrootcert: cluster.caFile, superuser: false,
            },
            superuser: cluster.superuserConfig,
        };
    }, 120_000);
    afterAll(() => cluster?.stop());
    suite(() => server, [
        ["the admin's membership revoked", (m, _, i) => m(`REVOKE ${id(i.role)} FROM sdb_admin`), ["adminMember", "extensionStates", "schemaStates"]],
    ]);
});
