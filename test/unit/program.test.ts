import * as pulumi from "@pulumi/pulumi";
import { scramVerifier } from "../../src/pooler/scram";
import { ProgramRun, runProgram, valueOf } from "./harness";
import { CHAIN, FIVE_SERVICES, LOCAL_CLUSTER, T } from "./fixtures";
import type { ServiceConnection, ServiceSummary } from "../../components/platform";

describe("five services in one shared cluster", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runProgram({ ...FIVE_SERVICES, ...CHAIN });
    });

    test("one provider for the cluster, configured explicitly", () => {
        const providers = run.ofType(T.provider);
        expect(providers.map((p) => p.name)).toEqual(["main-provider"]);
        // Provider inputs reach the engine JSON-encoded, as provider config always does.
        expect(providers[0].inputs).toMatchObject({
            host: "127.0.0.1", port: "5432", username: "postgres", database: "postgres",
            sslmode: "disable", superuser: "true", maxConnections: "5", connectTimeout: "30",
        });
        expect(providers[0].inputs.expectedVersion).toBeUndefined();
        expect(providers[0].inputs.password).toBeUndefined();
    });

    test("every PostgreSQL resource uses that provider, none a default one", () => {
        const providerRef = run.get(T.provider, "main-provider").urn;
        const pgResources = run.resources.filter((r) => r.type.startsWith("postgresql:"));
        expect(pgResources.length).toBeGreaterThan(20);
        for (const r of pgResources) {
            expect(r.provider.startsWith(`${providerRef}::`)).toBe(true);
        }
    });

    test("a component per service, children named after it and parented to it", () => {
        expect(run.ofType(T.serviceDb).map((r) => r.name).sort()).toEqual(["k-indexer", "notifications", "orders", "payments", "search"]);
        const svc = run.get(T.serviceDb, "k-indexer");
        const children = run.resources.filter((r) => r.parent === svc.urn).map((r) => r.name).sort();
        expect(children).toEqual([
            "k-indexer-db", "k-indexer-login-b", "k-indexer-migrations", "k-indexer-password", "k-indexer-password-b", "k-indexer-revoke-public-db",
            "k-indexer-revoke-public-schema-indexer", "k-indexer-revoke-public-schema-public",
            "k-indexer-role", "k-indexer-schema-indexer", "k-indexer-schema-public", "k-indexer-settings",
        ]);
    });

    test("the role logs in with the generated password and has no elevated attribute", () => {
        const role = run.get(T.role, "orders-role");
        expect(role.inputs).toMatchObject({
            name: "orders", login: true, superuser: false, createDatabase: false, createRole: false,
            replication: false, bypassRowLevelSecurity: false, connectionLimit: 20,
        });
        // The server gets the SCRAM verifier of the generated password, never the plaintext.
        expect(role.inputs.password).toBe(scramVerifier("orders", "Pw0rdFromMocks0123456789abcdefghijKLMNOP"));
        expect(role.inputs.password).toMatch(/^SCRAM-SHA-256\$4096:/);
        expect(role.secretInputs).toEqual(["password"]);
        expect(run.dependencyNames(role)).toContain("orders-password");
    });

    test("the password is long and URL-safe", () => {
        expect(run.get(T.password, "orders-password").inputs).toMatchObject({ length: 40, special: false });
    });

    test("the database is UTF8, owned by the role, with the service's connection limit", () => {
        expect(run.get(T.database, "k-indexer-db").inputs).toMatchObject({
            name: "ksocial", owner: "k_indexer", encoding: "UTF8", template: "template0", connectionLimit: 10,
        });
        const limits = Object.fromEntries(run.ofType(T.database).map((d) => [d.inputs.name, d.inputs.connectionLimit]));
        expect(limits).toEqual({ orders: 20, payments: 15, ksocial: 10, notifications: 5, search: 5 });
    });

    test("the database depends on the role, so destroy drops the database first", () => {
        expect(run.dependencyNames(run.get(T.database, "orders-db"))).toContain("orders-role");
    });

    test("PUBLIC loses every privilege on the database and on each schema", () => {
        expect(run.get(T.grant, "orders-revoke-public-db").inputs).toEqual({ database: "orders", role: "public", objectType: "database", privileges: [] });
        expect(run.get(T.grant, "k-indexer-revoke-public-schema-indexer").inputs).toEqual({
            database: "ksocial", schema: "indexer", role: "public", objectType: "schema", privileges: [],
        });
    });

    test("schemas are owned by the service role and retained on delete", () => {
        const schema = run.get(T.schema, "k-indexer-schema-indexer");
        expect(schema.inputs).toMatchObject({ name: "indexer", database: "ksocial", owner: "k_indexer", dropCascade: false });
        expect(schema.retainOnDelete).toBe(true);
    });

    test("requested extensions are created in the service's database", () => {
        const ext = run.get(T.extension, "payments-ext-pgcrypto");
        expect(ext.inputs).toMatchObject({ name: "pgcrypto", database: "payments" });
        expect(ext.retainOnDelete).toBe(true);
        expect(run.ofType(T.extension)).toHaveLength(1);
    });

    test("grants, schemas and extensions of one database form a single chain", () => {
        const chain = (svc: string) => {
            const mine = run.resources.filter((r) => r.name.startsWith(`${svc}-`) && [T.grant, T.schema, T.extension].includes(r.type));
            // Each one depends on exactly one of the others, except the first (on the database).
            const names = new Set(mine.map((r) => r.name));
            const preds = mine.map((r) => run.dependencyNames(r).filter((d) => names.has(d)));
            expect(preds.filter((p) => p.length === 0)).toHaveLength(1);
            expect(preds.every((p) => p.length <= 1)).toBe(true);
            // and no two depend on the same predecessor: a line, not a tree
            const flat = preds.flat();
            expect(new Set(flat).size).toBe(flat.length);
            return mine.length;
        };
        expect(chain("k-indexer")).toBe(5);
        expect(chain("payments")).toBe(4);
    });

    test("superuser cluster: no admin membership grants", () => {
        expect(run.ofType(T.grantRole)).toHaveLength(0);
    });

    test("outputs: databases with secret password and url, plain connection details", async () => {
        const databases = run.exports.databases as Record<string, ServiceConnection>;
        expect(Object.keys(databases).sort()).toEqual(["k-indexer", "notifications", "orders", "payments", "search"]);
        const k = databases["k-indexer"];
        expect(k.cluster).toBe("main");
        expect(await valueOf(k.host)).toBe("127.0.0.1");
        expect(await valueOf(k.port)).toBe(5432);
        expect(await valueOf(k.database)).toBe("ksocial");
        expect(await valueOf(k.username)).toBe("k_indexer");
        expect(await pulumi.isSecret(k.password)).toBe(true);
        expect(await pulumi.isSecret(k.url)).toBe(true);
        expect(await pulumi.isSecret(k.host)).toBe(false);
        expect(await pulumi.isSecret(k.username)).toBe(false);
        expect(await valueOf(k.url)).toBe("postgresql://k_indexer:Pw0rdFromMocks0123456789abcdefghijKLMNOP@127.0.0.1:5432/ksocial?sslmode=disable");
    });

    test("outputs: a non-secret summary", () => {
        expect(run.exports.summary as Record<string, ServiceSummary>).toEqual({
            "orders": { cluster: "main", database: "orders", role: "orders", connectionLimit: 20, schemas: ["public"], settings: DEFAULT_SETTINGS },
            "payments": { cluster: "main", database: "payments", role: "payments", connectionLimit: 15, schemas: ["public"], settings: DEFAULT_SETTINGS },
            "k-indexer": { cluster: "main", database: "ksocial", role: "k_indexer", connectionLimit: 10, schemas: ["public", "indexer"], settings: DEFAULT_SETTINGS },
            "notifications": { cluster: "main", database: "notifications", role: "notifications", connectionLimit: 5, schemas: ["public"], settings: DEFAULT_SETTINGS },
            "search": { cluster: "main", database: "search", role: "search", connectionLimit: 5, schemas: ["public"], settings: DEFAULT_SETTINGS },
        });
    });
});

/** The default guardrails as both logins store them (docs/configuration.md). */
const DEFAULT_SETTINGS = { idle_in_transaction_session_timeout: "60000", lock_timeout: "10000", statement_timeout: "60000", work_mem: "4096" };

describe("a managed cluster (superuser: false)", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runProgram({
            ...CHAIN,
            "servicedb:clusters": { rds: { host: "db.example.com", adminUser: "admin", adminPassword: "from-secure-config", superuser: false, sslmode: "verify-full" } },
            "servicedb:services": { orders: { cluster: "rds" } },
        }, ["servicedb:clusters"]);
    });

    test("the provider is told the admin is no superuser, and gets the password as a secret", () => {
        const p = run.get(T.provider, "rds-provider");
        expect(p.inputs).toMatchObject({ superuser: "false", sslmode: "verify-full", username: "admin", password: "from-secure-config" });
        expect(p.secretInputs).toEqual(["password"]);
    });

    test("the database allows the admin's pool on top of the service's limit (a non-superuser admin is counted)", () => {
        expect(run.get(T.database, "orders-db").inputs.connectionLimit).toBe(10 + 10); // the default reservedConnections
        expect(run.get(T.role, "orders-role").inputs.connectionLimit).toBe(10);
    });

    test("the admin becomes a member of the service role before the database exists", () => {
        const m = run.get(T.grantRole, "orders-admin-member");
        expect(m.inputs).toEqual({ role: "admin", grantRole: "orders" });
        expect(run.dependencyNames(run.get(T.database, "orders-db"))).toEqual(expect.arrayContaining(["orders-role", "orders-admin-member"]));
    });

    test("URLs carry the cluster's sslmode", async () => {
        const db = (run.exports.databases as Record<string, ServiceConnection>).orders;
        expect(await valueOf(db.url)).toMatch(/@db\.example\.com:5432\/orders\?sslmode=verify-full$/);
    });
});

describe("bad config", () => {
    test("stops the program before any resource is declared, listing every problem", async () => {
        const err = await runProgram({
            "servicedb:clusters": { main: { ...LOCAL_CLUSTER, adminPassword: "plain" } },
            "servicedb:services": { a: { cluster: "main", connectionLimit: 0 }, b: { cluster: "other" } },
        }).then(() => undefined, (e: unknown) => e);
        expect(pulumi.RunError.isInstance(err)).toBe(true);
        expect((err as Error).message).toBe([
            "servicedb config has 3 problems; nothing was created:",
            `  - cluster "main", field "adminPassword": is stored in plain text. Fix: store it encrypted: pulumi config set --secret --path 'servicedb:clusters.main.adminPassword' <password>.`,
            `  - service "a", field "connectionLimit": must be a whole number from 1 to 262143, got 0. Fix: set servicedb:services.a.connectionLimit to a whole number of 1 or more (default 10).`,
            `  - service "b", field "cluster": names cluster "other", which servicedb:clusters does not define. Fix: use one of "main", or add servicedb:clusters.other.`,
        ].join("\n"));
    });
});
