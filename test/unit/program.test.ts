import * as pulumi from "@pulumi/pulumi";
import { ProgramRun, runProgram, valueOf } from "./harness";
import { FIVE_SERVICES, LOCAL_CLUSTER } from "./fixtures";
import type { ServiceConnection, ServiceSummary } from "../../components/platform";

const T = {
    provider: "pulumi:providers:postgresql",
    role: "postgresql:index/role:Role",
    database: "postgresql:index/database:Database",
    grant: "postgresql:index/grant:Grant",
    grantRole: "postgresql:index/grantRole:GrantRole",
    schema: "postgresql:index/schema:Schema",
    extension: "postgresql:index/extension:Extension",
    password: "random:index/randomPassword:RandomPassword",
    serviceDb: "servicedb:postgres:ServiceDatabase",
    server: "servicedb:postgres:Server",
};

describe("five services in one shared cluster", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runProgram(FIVE_SERVICES);
    });

    test("one provider for the cluster, configured explicitly", () => {
        const providers = run.ofType(T.provider);
        expect(providers.map((p) => p.name)).toEqual(["main-provider"]);
        // Provider inputs reach the engine JSON-encoded, as provider config always does.
        expect(providers[0].inputs).toMatchObject({
            host: "127.0.0.1", port: "5432", username: "postgres", database: "postgres",
            sslmode: "disable", superuser: "true", maxConnections: "4", connectTimeout: "30",
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
            "k-indexer-db", "k-indexer-password", "k-indexer-revoke-public-db",
            "k-indexer-revoke-public-schema-indexer", "k-indexer-revoke-public-schema-public",
            "k-indexer-role", "k-indexer-schema-indexer", "k-indexer-schema-public",
        ]);
    });

    test("the role logs in with the generated password and has no elevated attribute", () => {
        const role = run.get(T.role, "orders-role");
        expect(role.inputs).toMatchObject({
            name: "orders", login: true, superuser: false, createDatabase: false, createRole: false,
            replication: false, bypassRowLevelSecurity: false, connectionLimit: 20,
        });
        expect(role.inputs.password).toBe("Pw0rdFromMocks0123456789abcdefghijKLMNOP");
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
        expect(run.get(T.extension, "payments-ext-pgcrypto").inputs).toMatchObject({ name: "pgcrypto", database: "payments" });
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
            "orders": { cluster: "main", database: "orders", role: "orders", connectionLimit: 20, schemas: ["public"] },
            "payments": { cluster: "main", database: "payments", role: "payments", connectionLimit: 15, schemas: ["public"] },
            "k-indexer": { cluster: "main", database: "ksocial", role: "k_indexer", connectionLimit: 10, schemas: ["public", "indexer"] },
            "notifications": { cluster: "main", database: "notifications", role: "notifications", connectionLimit: 5, schemas: ["public"] },
            "search": { cluster: "main", database: "search", role: "search", connectionLimit: 5, schemas: ["public"] },
        });
    });
});

describe("a managed cluster (superuser: false)", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runProgram({
            "servicedb:clusters": { rds: { host: "db.example.com", adminUser: "admin", adminPassword: "from-secure-config", superuser: false, sslmode: "verify-full" } },
            "servicedb:services": { orders: { cluster: "rds" } },
        }, ["servicedb:clusters"]);
    });

    test("the provider is told the admin is no superuser, and gets the password as a secret", () => {
        const p = run.get(T.provider, "rds-provider");
        expect(p.inputs).toMatchObject({ superuser: "false", sslmode: "verify-full", username: "admin", password: "from-secure-config" });
        expect(p.secretInputs).toEqual(["password"]);
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

describe("migrations", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runProgram(FIVE_SERVICES);
    });
    const MIG = "pulumi-nodejs:dynamic/servicedb:ServiceMigrations";

    test("one ServiceMigrations per service with a migrations/<service>/ folder", () => {
        expect(run.ofType(MIG).map((r) => r.name).sort()).toEqual(["k-indexer-migrations", "notifications-migrations", "orders-migrations"]);
    });

    test("files are listed with checksums, in version order, SQL alongside", () => {
        const m = run.get(MIG, "orders-migrations");
        expect(m.inputs.service).toBe("orders");
        expect(m.inputs.schema).toBe("public");
        expect((m.inputs.files as string[]).map((f) => f.replace(/ sha256:[0-9a-f]{64}$/, ""))).toEqual([
            "V001__create_orders.sql", "V002__add_order_status.sql", "V003__index_orders_by_customer.sql",
        ]);
        expect((m.inputs.sources as Record<string, string>)["V001__create_orders.sql"]).toMatch(/^CREATE TABLE orders/);
    });

    test("they run as the service role: the input URL is the service's own, and secret", () => {
        const m = run.get(MIG, "k-indexer-migrations");
        expect(m.inputs.url).toBe("postgresql://k_indexer:Pw0rdFromMocks0123456789abcdefghijKLMNOP@127.0.0.1:5432/ksocial?sslmode=disable");
        expect(m.secretInputs).toContain("url");
    });

    test("they wait for the whole ServiceDatabase: role, database, grants, schemas", () => {
        const deps = run.dependencyNames(run.get(MIG, "k-indexer-migrations"));
        expect(deps).toEqual(expect.arrayContaining([
            "k-indexer-role", "k-indexer-db", "k-indexer-revoke-public-db", "k-indexer-schema-indexer", "k-indexer-revoke-public-schema-indexer",
        ]));
    });

    test("the serialized provider captures nothing but its loader", () => {
        const text = run.get(MIG, "orders-migrations").inputs.__provider as string;
        expect(text).toContain('require(require("path").resolve("src/migrations/dynamic.js"))');
        for (const leaked of ["CREATE TABLE", "Pw0rd", "fileEntry", "sortMigrations", "escapeIdentifier"]) expect(text).not.toContain(leaked);
    });
});

describe("a bad migration file", () => {
    test("is a config problem naming the service and the file; nothing is declared", async () => {
        const { findProblems } = await import("../../src/plan");
        const { formatProblem } = await import("../../src/problems");
        const { MigrationFileError } = await import("../../src/migrations/files");
        const { problems } = findProblems({ clusters: { main: LOCAL_CLUSTER }, services: { a: { cluster: "main" } }, clustersAreSecret: false }, () => {
            throw new MigrationFileError("create.sql", "is not a migration file name; use V<number>__<description>.sql (e.g. V001__create_users.sql) or R__<description>.sql");
        });
        expect(problems.map(formatProblem)).toEqual([
            `service "a", field "migrations": migrations/a/create.sql: is not a migration file name; use V<number>__<description>.sql (e.g. V001__create_users.sql) or R__<description>.sql. Fix: rename or fix that file (see README, "Migrations").`,
        ]);
    });
});

describe("hardening options", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runProgram({
            "servicedb:protect": true,
            "servicedb:clusters": { prod: { host: "db.example.com", sslmode: "verify-full", sslrootcert: "/etc/ssl/rds-ca.pem" } },
            "servicedb:services": {
                reports: { cluster: "prod", readers: true, schemas: ["public", "stats"], rotation: "2026-11" },
                scratch: { cluster: "prod", protect: false, retainOnDelete: true },
            },
        });
    });

    test("readers: a NOLOGIN <role>_reader with CONNECT, USAGE, SELECT and default privileges for later tables", () => {
        expect(run.get(T.role, "reports-reader").inputs).toMatchObject({ name: "reports_reader", login: false, superuser: false, createDatabase: false, createRole: false });
        expect(run.get(T.grant, "reports-reader-connect").inputs).toEqual({ database: "reports", role: "reports_reader", objectType: "database", privileges: ["CONNECT"] });
        expect(run.get(T.grant, "reports-reader-usage-stats").inputs).toEqual({ database: "reports", schema: "stats", role: "reports_reader", objectType: "schema", privileges: ["USAGE"] });
        expect(run.get(T.grant, "reports-reader-tables-stats").inputs).toEqual({ database: "reports", schema: "stats", role: "reports_reader", objectType: "table", privileges: ["SELECT"], objects: [] });
        expect(run.get("postgresql:index/defaultPrivileges:DefaultPrivileges", "reports-reader-default-public").inputs).toEqual({
            database: "reports", schema: "public", owner: "reports", role: "reports_reader", objectType: "table", privileges: ["SELECT"],
        });
        expect(run.ofType(T.role).map((r) => r.name).sort()).toEqual(["reports-reader", "reports-role", "scratch-role"]);
    });

    test("reader grants continue the database's single chain", () => {
        const usage = run.get(T.grant, "reports-reader-usage-public");
        expect(run.dependencyNames(usage)).toContain("reports-reader-connect");
        expect(run.dependencyNames(run.get(T.grant, "reports-reader-connect"))).toContain("reports-revoke-public-schema-stats");
    });

    test("rotation is a keeper of the password: a new value, a new password", () => {
        expect(run.get(T.password, "reports-password").inputs.keepers).toEqual({ rotation: "2026-11" });
        expect(run.get(T.password, "scratch-password").inputs.keepers).toEqual({ rotation: "" });
    });

    test("servicedb:protect protects role and database; a service may opt out and retain instead", () => {
        expect([run.get(T.database, "reports-db").protect, run.get(T.role, "reports-role").protect]).toEqual([true, true]);
        expect(run.get(T.grant, "reports-revoke-public-db").protect).toBe(false);
        const db = run.get(T.database, "scratch-db");
        expect([db.protect, db.retainOnDelete, run.get(T.role, "scratch-role").retainOnDelete]).toEqual([false, true, true]);
    });

    test("the CA certificate goes to the provider and into the URLs", async () => {
        expect(run.get(T.provider, "prod-provider").inputs).toMatchObject({ sslmode: "verify-full", sslrootcert: "/etc/ssl/rds-ca.pem" });
        const db = (run.exports.databases as Record<string, ServiceConnection>).reports;
        expect(await valueOf(db.url)).toMatch(/\?sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Frds-ca\.pem$/);
    });

    test("the summary names the reader role", () => {
        expect((run.exports.summary as Record<string, ServiceSummary>).reports).toEqual({
            cluster: "prod", database: "reports", role: "reports", connectionLimit: 10, schemas: ["public", "stats"], readerRole: "reports_reader",
        });
    });
});

describe("container mode (the dev stack)", () => {
    let run: ProgramRun;
    const D = {
        provider: "pulumi:providers:docker",
        image: "docker:index/remoteImage:RemoteImage",
        volume: "docker:index/volume:Volume",
        network: "docker:index/network:Network",
        container: "docker:index/container:Container",
    };
    beforeAll(async () => {
        const { loadStackConfig } = await import("../../src/stackFile");
        const { config, secretKeys } = loadStackConfig("dev");
        run = await runProgram(config, secretKeys);
    });

    test("one explicit Docker provider and one network for the stack; every Docker resource uses the provider", () => {
        expect(run.ofType(D.provider).map((p) => p.name)).toEqual(["docker"]);
        expect(run.get(D.network, "test-network").inputs).toMatchObject({ name: "servicedb-test" });
        const ref = run.get(D.provider, "docker").urn;
        const dockerResources = run.resources.filter((r) => r.type.startsWith("docker:"));
        expect(dockerResources).toHaveLength(7);
        for (const r of dockerResources) expect(r.provider.startsWith(`${ref}::`)).toBe(true);
    });

    test("images are kept locally on destroy", () => {
        expect(run.get(D.image, "k-indexer-image").inputs).toEqual({ name: "timescale/timescaledb:latest-pg16", keepLocally: true });
        expect(run.get(D.image, "simply-kaspa-indexer-image").inputs).toEqual({ name: "postgres:17", keepLocally: true });
    });

    test("a named volume per container, retained on destroy", () => {
        const v = run.get(D.volume, "k-indexer-data");
        expect(v.inputs).toEqual({ name: "servicedb-test-k-indexer-data" });
        expect(v.retainOnDelete).toBe(true);
    });

    test("the container: image by id, 127.0.0.1 only, the volume at the version's data directory, a real healthcheck", () => {
        const c = run.get(D.container, "k-indexer");
        expect(c.inputs).toMatchObject({
            name: "servicedb-test-k-indexer",
            image: "sha256:image-of-k-indexer-image",
            ports: [{ internal: 5432, external: 5433, ip: "127.0.0.1" }],
            volumes: [{ volumeName: "servicedb-test-k-indexer-data", containerPath: "/var/lib/postgresql/data" }],
            removeVolumes: false,
            healthcheck: { tests: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -p 5432 -U postgres -d postgres"], interval: "2s", timeout: "5s", retries: 30, startPeriod: "10s" },
            wait: true,
            waitTimeout: 120,
            restart: "unless-stopped",
            memory: 1024,
            networksAdvanced: [{ name: "servicedb-test", aliases: ["k-indexer"] }],
        });
        expect(run.get(D.container, "simply-kaspa-indexer").inputs).toMatchObject({ ports: [{ internal: 5432, external: 5434, ip: "127.0.0.1" }] });
    });

    test("replacement deletes first; the password env is secret and its changes are ignored", () => {
        const c = run.get(D.container, "k-indexer");
        expect(c.deleteBeforeReplace).toBe(true);
        expect(c.ignoreChanges).toEqual(["envs"]);
        expect(c.additionalSecretOutputs).toEqual(["envs"]);
        expect(c.secretInputs).toContain("envs");
        expect((c.inputs.envs as string[])[0]).toBe("POSTGRES_PASSWORD=Pw0rdFromMocks0123456789abcdefghijKLMNOP");
    });

    test("a provider per container, pointed at it, created after it is healthy", () => {
        const p = run.get(T.provider, "k-indexer-provider");
        expect(p.inputs).toMatchObject({ host: "127.0.0.1", port: "5433", username: "postgres", sslmode: "disable", superuser: "true" });
        expect(p.secretInputs).toContain("password");
        expect(run.dependencyNames(p)).toContain("k-indexer");
    });

    test("the same ServiceDatabase on each placement, with that server's provider", () => {
        const kdb = run.get(T.database, "k-indexer-db");
        expect(kdb.inputs).toMatchObject({ name: "ksocial", owner: "k_indexer" });
        expect(kdb.provider.startsWith(`${run.get(T.provider, "k-indexer-provider").urn}::`)).toBe(true);
        expect(run.get(T.extension, "k-indexer-ext-timescaledb").provider.startsWith(`${run.get(T.provider, "k-indexer-provider").urn}::`)).toBe(true);
        expect(run.get(T.database, "notifications-db").provider.startsWith(`${run.get(T.provider, "main-provider").urn}::`)).toBe(true);
    });

    test("outputs: the container's port on 127.0.0.1, the container as cluster", async () => {
        const db = (run.exports.databases as Record<string, ServiceConnection>)["simply-kaspa-indexer"];
        expect(db.cluster).toBe("simply-kaspa-indexer");
        expect(await valueOf(db.url)).toBe("postgresql://simply_kaspa_indexer:Pw0rdFromMocks0123456789abcdefghijKLMNOP@127.0.0.1:5434/simply_kaspa?sslmode=disable");
    });

    test("both indexers migrate their own vars and blocks tables", () => {
        const files = (svc: string) => (run.get("pulumi-nodejs:dynamic/servicedb:ServiceMigrations", `${svc}-migrations`).inputs.sources as Record<string, string>)["V002__create_blocks.sql"];
        expect(files("k-indexer")).toMatch(/CREATE TABLE blocks \(\s+block_hash/);
        expect(files("simply-kaspa-indexer")).toMatch(/CREATE TABLE blocks \(\s+hash\s+bytea PRIMARY KEY,\s+accepted_id_merkle_root/);
    });
});

test("PostgreSQL 18 images mount the volume at /var/lib/postgresql", async () => {
    const run = await runProgram({ "servicedb:clusters": {}, "servicedb:services": { a: { container: { image: "postgres:18" } } } });
    expect(run.get("docker:index/container:Container", "a").inputs.volumes).toEqual([{ volumeName: "servicedb-test-a-data", containerPath: "/var/lib/postgresql" }]);
});
