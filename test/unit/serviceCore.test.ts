/**
 * `servicedb:core: single` under mocks: one ServiceCore per service and no postgresql or random
 * resources for it, inputs from the config (names, limits, schemas, extensions, reader, rotation
 * keepers), secrets kept secret, no lanes, the migrations after the core, and the value checked.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceConnection } from "../../components/platform";
import { diffCore, generatePassword } from "../../src/core/inputs";
import { findProblems } from "../../src/plan";
import { formatProblem } from "../../src/problems";
import { FIVE_SERVICES, LOCAL_CLUSTER, T } from "./fixtures";
import { ProgramRun, runProgram, valueOf } from "./harness";

describe("five services in one cluster, core single", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runProgram({ ...FIVE_SERVICES, "servicedb:core": "single" });
    });

    test("one ServiceCore per service, child of its ServiceDatabase; no postgresql or random resource for it", () => {
        const cores = run.ofType(T.core);
        expect(cores.map((c) => c.name).sort()).toEqual(["k-indexer-core", "notifications-core", "orders-core", "payments-core", "search-core"]);
        for (const c of cores) expect(c.parent).toContain(`${T.serviceDb}::${c.name.replace(/-core$/, "")}`);
        expect(run.resources.filter((r) => r.type.startsWith("postgresql:index") || r.type.startsWith("random:"))).toEqual([]);
    });

    test("inputs carry the config: names, limits, schemas, extensions, server and keepers", () => {
        const k = run.get(T.core, "k-indexer-core").inputs;
        expect(k).toMatchObject({
            host: "127.0.0.1", port: 5432, adminUser: "postgres", sslmode: "disable", maintenanceDatabase: "postgres",
            superuser: true, parallelism: 4, reservedConnections: 10, owner: "servicedb/test", role: "k_indexer", database: "ksocial",
            connectionLimit: 10, schemas: ["public", "indexer"], extensions: [], readers: false, rotationA: "", rotationB: "0", passwordLength: 40,
        });
        expect(run.get(T.core, "payments-core").inputs.extensions).toEqual(["pgcrypto"]);
    });

    test("passwords are secret outputs; no lanes: the cores wait for nothing; no postgresql provider is declared", () => {
        const orders = run.get(T.core, "orders-core");
        expect(orders.additionalSecretOutputs).toEqual(expect.arrayContaining(["adminPassword", "passwordA", "passwordB"]));
        for (const c of run.ofType(T.core)) expect(run.dependencyNames(c)).toEqual([]);
        expect(run.ofType(T.provider)).toEqual([]);
    });

    test("each core goes to its server's servicedb provider, declared first of the server's children", () => {
        const provider = run.get(T.servicedbProvider, "main-servicedb");
        expect(provider.parent).toContain(`${T.server}::main`);
        for (const c of run.ofType(T.core)) expect(c.provider).toContain("pulumi:providers:servicedb::main-servicedb::");
        expect(run.resources.findIndex((r) => r.name === "main-servicedb")).toBeLessThan(run.resources.findIndex((r) => r.type === T.core));
    });

    test("outputs: the active login, secrets secret", async () => {
        const k = (run.exports.databases as Record<string, ServiceConnection>)["k-indexer"];
        expect(await valueOf(k.username)).toBe("k_indexer");
        expect(await valueOf(k.database)).toBe("ksocial");
        expect(await pulumi.isSecret(k.password)).toBe(true);
        expect(await pulumi.isSecret(k.url)).toBe(true);
        expect(await valueOf(k.url)).toBe("postgresql://k_indexer:Pw0rdFromMocks0123456789abcdefghijKLMNOP@127.0.0.1:5432/ksocial?sslmode=disable");
    });
});

describe("core single: rotation, migrations, managed servers", () => {
    test("rotation 1 hands out the second login with slot b's password; keepers move", async () => {
        const run = await runProgram({
            "servicedb:clusters": { main: LOCAL_CLUSTER }, "servicedb:core": "single",
            "servicedb:services": { orders: { cluster: "main", rotation: 1 } },
        });
        expect(run.get(T.core, "orders-core").inputs).toMatchObject({ rotationA: "", rotationB: "1" });
        const o = (run.exports.databases as Record<string, ServiceConnection>).orders;
        expect(await valueOf(o.username)).toBe("orders_b");
        expect(await valueOf(o.url)).toContain("orders_b:Pw0rdBFromMocks");
    });

    test("protect and retainOnDelete apply to the core, which holds the data", async () => {
        const run = await runProgram({
            "servicedb:clusters": { main: LOCAL_CLUSTER }, "servicedb:core": "single",
            "servicedb:services": { orders: { cluster: "main", protect: true }, search: { cluster: "main", retainOnDelete: true } },
        });
        expect(run.get(T.core, "orders-core")).toMatchObject({ protect: true, retainOnDelete: false });
        expect(run.get(T.core, "search-core")).toMatchObject({ protect: false, retainOnDelete: true });
    });

    test("migrations wait for the core; a managed cluster's admin password reaches it as a secret", async () => {
        const run = await runProgram({
            "servicedb:clusters": { rds: { host: "db.example.com", adminUser: "admin", adminPassword: "from-secure-config", superuser: false, sslmode: "verify-full" } },
            "servicedb:core": "single",
            "servicedb:services": { "k-indexer": { cluster: "rds" } },
        }, ["servicedb:clusters"]);
        const core = run.get(T.core, "k-indexer-core");
        expect(core.inputs).toMatchObject({ superuser: false, adminUser: "admin", sslmode: "verify-full", adminPassword: "from-secure-config" });
        expect(core.secretInputs).toContain("adminPassword");
        expect(run.dependencyNames(run.get(T.migrations, "k-indexer-migrations"))).toContain("k-indexer-core");
    });
});

describe("the value of servicedb:core and the diff", () => {
    test("anything but resources or single is refused, naming the key and the fix", () => {
        const { problems } = findProblems({ clusters: { main: LOCAL_CLUSTER }, services: { a: { cluster: "main" } }, clustersAreSecret: false, core: "bundled" });
        expect(problems.map(formatProblem).join("\n")).toBe('servicedb:core, field "core": must be one of resources, single, got "bundled". Fix: set servicedb:core to one of resources, single.');
    });

    test("no change, no diff; another host replaces; anything else updates in place", () => {
        const i = {
            host: "h", port: 5432, adminUser: "postgres", sslmode: "disable", maintenanceDatabase: "postgres", superuser: true, parallelism: 4, reservedConnections: 10,
            owner: "p/s", role: "r", database: "d", connectionLimit: 5, schemas: ["public"], extensions: [], readers: false, parameters: {},
            rotationA: "", rotationB: "0", passwordLength: 40,
        };
        const olds = { ...i, passwordA: "x", passwordB: "y" };
        expect(diffCore(olds, i)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
        expect(diffCore(olds, { ...i, host: "other" })).toMatchObject({ changes: true, replaces: ["host"] });
        expect(diffCore(olds, { ...i, rotationB: "1", schemas: ["public", "app"] })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    });

    test("generated passwords: letters and digits, at least two of each kind, never the same", () => {
        const seen = new Set(Array.from({ length: 200 }, () => generatePassword(12)));
        expect(seen.size).toBe(200);
        for (const pw of seen) {
            expect(pw).toMatch(/^[A-Za-z0-9]{12}$/);
            for (const kind of [/[a-z]/g, /[A-Z]/g, /[0-9]/g]) expect((pw.match(kind) ?? []).length).toBeGreaterThanOrEqual(2);
        }
    });
});

describe("core single on containers", () => {
    test("each core waits for its container to be healthy; no postgresql provider process", async () => {
        const run = await runProgram({
            "servicedb:core": "single",
            "servicedb:services": { a: { container: { image: "postgres:16" } }, b: { container: { image: "postgres:16" } } },
        });
        expect(run.dependencyNames(run.get(T.core, "a-core")).sort()).toEqual(["a", "a-admin-password"]); // the container, and its admin password
        expect(run.get(T.core, "a-core").inputs).toMatchObject({ host: "127.0.0.1", adminUser: "postgres", adminPassword: "Pw0rdFromMocks0123456789abcdefghijKLMNOP" });
        expect(run.get(T.core, "a-core").secretInputs).toContain("adminPassword");
        expect(run.ofType(T.provider)).toEqual([]);
    });
});
