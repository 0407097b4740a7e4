/**
 * The package's public API (lib/index.ts): a ServiceDatabase declared by hand on a given server,
 * on an existing server's settings, or in its own container — validated like the stack config,
 * before anything is declared — and a platform written in code.
 */
import type { CoreMode } from "../../src/spec";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, PostgresServer, ServiceDatabase, planServiceDatabase, platformFromConfig } from "../../lib";
import { ProgramRun, runUnderMocks } from "../../src/mockRun";
import { T } from "./fixtures";

/** The value, or a failed test when it is missing. */
function must<T>(v: T | undefined): T {
    if (v === undefined) throw new Error("expected a value");
    return v;
}

/** Declares `build` under mocks; an error it throws is returned next to what got registered. */
async function declare(build: () => void): Promise<{ run: ProgramRun; error?: Error }> {
    let error: Error | undefined;
    const run = await runUnderMocks({}, [], async () => {
        try { build(); } catch (e) { error = e as Error; }
        return {};
    }, "dev");
    return { run, error };
}

describe("planServiceDatabase (pure)", () => {
    test("the config's defaults: snake_case names, limit 10, remote sslmode require, 4 lanes", () => {
        const p = planServiceDatabase("order-api", {}, { cluster: { host: "db.internal" } }, "dev");
        expect(p.service).toMatchObject({ database: "order_api", role: "order_api", connectionLimit: 10, schemas: ["public"], extensions: [] });
        expect(p.cluster).toMatchObject({ host: "db.internal", port: 5432, sslmode: "require", parallelism: 4, superuser: true });
        expect(p.container).toBeUndefined();
    });

    test("a container of its own: default image, volume named after stack and service, a port", () => {
        const p = planServiceDatabase("orders", { extensions: ["pgcrypto"] }, { container: {} }, "staging");
        expect(p.container).toMatchObject({ name: "orders", image: "postgres:17", version: 17, volume: "servicedb-staging-orders-data", services: ["orders"] });
        expect(p.container?.port).toBeGreaterThanOrEqual(5433);
        expect(planServiceDatabase("orders", {}, { container: true }, "dev").container?.name).toBe("orders");
    });

    test("exactly one placement: none and two are refused with the fix", () => {
        expect(() => planServiceDatabase("orders", {}, {}, "dev")).toThrow(/service "orders", field "server": is not set.*Fix: give exactly one of server/);
        expect(() => planServiceDatabase("orders", {}, { cluster: { host: "h" }, container: {} }, "dev")).toThrow(/field "cluster, container": are all set/);
    });

    test("bad settings: every problem, named as the arguments spell it", () => {
        let error: ConfigError | undefined;
        try {
            planServiceDatabase("orders", { connectionLimit: 0, role: "pg_orders", database: "postgres" }, { cluster: { host: "", port: 70000 } }, "dev");
        } catch (e) { error = e as ConfigError; }
        expect(error).toBeInstanceOf(ConfigError);
        const fields = must(error).problems.map((p) => p.field).sort();
        expect(fields).toEqual(expect.arrayContaining(["cluster.host", "cluster.port", "connectionLimit", "database", "role"]));
        for (const p of must(error).problems) expect(p.subject).toBe('service "orders"');
        expect(must(error).message).not.toMatch(/servicedb:(services|clusters)\.orders/);
        expect(must(error).message).toMatch(/nothing was created/);
    });

    test("a given server: only the service's own fields are checked", () => {
        const p = planServiceDatabase("orders", { connectionLimit: 500 }, { server: { name: "main" } }, "dev");
        expect(p.service.connectionLimit).toBe(500);
        expect(p.cluster).toBeUndefined();
    });
});

describe("ServiceDatabase declared by hand (mocks)", () => {
    test("two services on one PostgresServer share its one provider; no server of their own", async () => {
        const { run, error } = await declare(() => {
            const main = new PostgresServer("main", { host: "127.0.0.1", sslmode: "disable", declareProvider: true });
            new ServiceDatabase("orders", { server: main, connectionLimit: 20, core: "resources" });
            new ServiceDatabase("payments", { server: main, extensions: ["pgcrypto"], core: "resources" });
        });
        expect(error).toBeUndefined();
        expect(run.ofType(T.provider).map((p) => p.name)).toEqual(["main-provider"]);
        expect(run.ofType(T.server).map((s) => s.name)).toEqual(["main"]);
        const provider = run.get(T.provider, "main-provider").urn;
        for (const r of run.resources.filter((x) => x.type.startsWith("postgresql:"))) expect(r.provider.startsWith(`${provider}::`)).toBe(true);
        expect(run.get(T.role, "orders-role").inputs).toMatchObject({ name: "orders", connectionLimit: 20, login: true, superuser: false });
        expect(run.get(T.extension, "payments-ext-pgcrypto").inputs).toMatchObject({ name: "pgcrypto", database: "payments" });
    });

    test("cluster settings: the component declares its server and provider; the admin password stays secret", async () => {
        const { run, error } = await declare(() => {
            new ServiceDatabase("orders", { cluster: { host: "db.internal", parallelism: 2 }, adminPassword: "hunter2-admin", core: "resources" });
        });
        expect(error).toBeUndefined();
        const server = run.get(T.server, "orders-server");
        expect(server.parent).toBe(run.get(T.serviceDb, "orders").urn);
        const provider = run.get(T.provider, "orders-server-provider");
        expect(provider.inputs).toMatchObject({ host: "db.internal", sslmode: "require", maxConnections: "3" });
        expect(provider.secretInputs).toContain("password");
    });

    test("container settings: Docker provider, network and PostgresContainer as children; the role uses its provider", async () => {
        const { run, error } = await declare(() => {
            new ServiceDatabase("orders", { container: { port: 5544, memory: 512 }, core: "resources" });
        });
        expect(error).toBeUndefined();
        const container = run.get("servicedb:docker:PostgresContainer", "orders-container");
        expect(container.parent).toBe(run.get(T.serviceDb, "orders").urn);
        expect(run.get("docker:index/container:Container", "orders-container").inputs).toMatchObject({ name: "servicedb-dev-orders", memory: 512 });
        expect(run.get("docker:index/network:Network", "orders-network").inputs).toMatchObject({ name: "servicedb-dev-orders" });
        const provider = run.get(T.provider, "orders-container-provider").urn;
        expect(run.get(T.role, "orders-role").provider.startsWith(`${provider}::`)).toBe(true);
    });

    test("bad arguments: a RunError naming service, field and fix, and not one resource declared", async () => {
        const { run, error } = await declare(() => {
            new ServiceDatabase("Orders!", { container: {}, connectionLimit: -1 });
        });
        expect(pulumi.RunError.isInstance(error)).toBe(true);
        expect(must(error).message).toMatch(/service "Orders!", field "\(name\)".*Fix: /);
        expect(must(error).message).toMatch(/field "connectionLimit"/);
        expect(run.resources).toEqual([]);
    });

    test("a core that is neither resources nor single: a RunError naming service, field and fix; nothing declared", async () => {
        const { run, error } = await declare(() => {
            new ServiceDatabase("orders", { cluster: { host: "127.0.0.1" }, core: "bundled" as CoreMode });
        });
        expect(pulumi.RunError.isInstance(error)).toBe(true);
        expect(must(error).message).toContain('service "orders", field "core": must be one of resources, single, got "bundled". Fix: set core to one of resources, single.');
        expect(run.resources).toEqual([]);
    });

    test("a migrations folder: ServiceMigrations as the last child, files in order; a missing folder is refused", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "servicedb-lib-"));
        try {
            fs.writeFileSync(path.join(dir, "V002__add_status.sql"), "ALTER TABLE orders ADD COLUMN status text;\n");
            fs.writeFileSync(path.join(dir, "V001__create_orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY);\n");
            const { run, error } = await declare(() => {
                new ServiceDatabase("orders", { cluster: { host: "127.0.0.1" }, migrations: dir, core: "resources" });
            });
            expect(error).toBeUndefined();
            const m = run.get("servicedb:migrations:ServiceMigrations", "orders-migrations");
            expect(m.parent).toBe(run.get(T.serviceDb, "orders").urn);
            expect((m.inputs.files as string[]).map((f) => f.split(" ")[0])).toEqual(["V001__create_orders.sql", "V002__add_status.sql"]);
            expect(m.secretInputs).toContain("url");
            expect(run.dependencyNames(m)).toContain("orders-revoke-public-schema-public");

            const missing = await declare(() => { new ServiceDatabase("orders", { cluster: { host: "127.0.0.1" }, migrations: path.join(dir, "nope") }); });
            expect(missing.error?.message).toMatch(/service "orders", field "migrations": folder .*nope does not exist/);
            expect(missing.run.resources).toEqual([]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("platformFromConfig: a platform written in code", () => {
    test("typed settings, an admin password given as an Output stays a secret", async () => {
        const { run, error } = await declare(() => {
            platformFromConfig("platform", {
                clusters: { main: { host: "db.internal", adminPassword: pulumi.output("from-a-secret-store"), maxConnections: 50 } },
                services: { orders: { cluster: "main", connectionLimit: 20 }, search: { container: { port: 5601 } } },
            });
        });
        expect(error).toBeUndefined();
        // The default core: the ServiceCore carries the admin password, as a secret.
        expect(run.get(T.core, "orders-core").secretInputs).toContain("adminPassword");
        expect(run.ofType(T.serviceDb).map((s) => s.name).sort()).toEqual(["orders", "search"]);
    });

    test("problems of the whole platform at once, before anything is declared", async () => {
        const { run, error } = await declare(() => {
            platformFromConfig("platform", { services: { orders: { cluster: "nowhere" }, search: { connectionLimit: 0, container: {} } } });
        });
        expect(error?.message).toMatch(/service "orders", field "cluster": names cluster "nowhere"/);
        expect(error?.message).toMatch(/service "search", field "connectionLimit"/);
        expect(run.resources).toEqual([]);
    });
});
