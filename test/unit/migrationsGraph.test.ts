import { ProgramRun, runProgram } from "./harness";
import { CHAIN, FIVE_SERVICES, LOCAL_CLUSTER } from "./fixtures";

describe("migrations", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runProgram({ ...FIVE_SERVICES, ...CHAIN });
    });
    const MIG = "servicedb:migrations:ServiceMigrations";

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

    test("no backup before migrating unless asked: no backupDir input, so existing state shows no diff", () => {
        expect(Object.keys(run.get(MIG, "orders-migrations").inputs)).not.toContain("backupDir");
    });

    test("backupBeforeMigrate: true means backups/<service>, a string names the folder, anything else is refused", async () => {
        const config = (orders: unknown, search: unknown) => ({
            ...FIVE_SERVICES,
            "servicedb:services": { ...FIVE_SERVICES["servicedb:services"], orders: { cluster: "main", connectionLimit: 20, backupBeforeMigrate: orders }, search: { cluster: "main", connectionLimit: 5, backupBeforeMigrate: search } },
        });
        const withBackups = await runProgram(config(true, "/var/backups/servicedb"));
        expect(withBackups.get(MIG, "orders-migrations").inputs.backupDir).toBe("backups/orders");
        await expect(runProgram(config(42, false))).rejects.toThrow(`service "orders", field "backupBeforeMigrate": must be a non-empty string, got 42. Fix: set servicedb:services.orders.backupBeforeMigrate to a string.`);
    });

    test("they run as the service role: the input URL is the service's own, and secret", () => {
        const m = run.get(MIG, "k-indexer-migrations");
        expect(m.inputs.url).toBe("postgresql://k_indexer:Pw0rdFromMocks0123456789abcdefghijKLMNOP@127.0.0.1:5432/ksocial?sslmode=disable");
        expect(m.secretInputs).toContain("url");
    });

    test("they wait for the whole ServiceDatabase: role, database, grants, schemas (directly or through the chain)", () => {
        const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
        const deps = new Set<string>();
        const visit = (urn: string) => {
            const r = byUrn.get(urn);
            if (!r || deps.has(r.name)) return;
            deps.add(r.name);
            r.dependencies.forEach(visit);
        };
        run.get(MIG, "k-indexer-migrations").dependencies.forEach(visit);
        expect([...deps]).toEqual(expect.arrayContaining([
            "k-indexer-role", "k-indexer-db", "k-indexer-revoke-public-db", "k-indexer-schema-indexer", "k-indexer-revoke-public-schema-indexer",
        ]));
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
