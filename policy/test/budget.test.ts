import { budgetFor, connectionBudget } from "../src/budget";
import { TYPES } from "../src/resources";
import { pgProvider, runStack, UNKNOWN_STRING } from "./fakes";
import { patch, service } from "./layout";

const shared = pgProvider("shared-provider", { host: "db.example.com", sslmode: "verify-full" });
// The staging stack: 20 + 15 + 10 + 5 + 5 = 55, plus 15 reserved = 70 ≤ 100.
const staging = [shared, ...[["orders", 20], ["payments", 15], ["k-indexer", 10], ["notifications", 5], ["reporting", 5]]
    .flatMap(([svc, limit]) => service(shared, svc as string, { limit: limit as number, reader: svc === "reporting" }))];
const config = { servers: { "db.example.com:5432": { maxConnections: 100, reservedConnections: 15 } } };

describe("postgresql-connection-budget", () => {
    test("the staging layout fits its declared budget; the reader (NOLOGIN) is not counted", async () => {
        expect(await runStack(connectionBudget, staging, config)).toEqual([]);
    });

    test("a second login that switches to the service's role at login counts with it, not twice", async () => {
        const tight = { servers: { "db.example.com:5432": { maxConnections: 80, reservedConnections: 15 } } }; // 55 + 15 ≤ 80
        expect(await runStack(connectionBudget, staging, tight)).toEqual([]);
        const standalone = patch(staging, "orders-login-b", { assumeRole: undefined }); // then 75 + 15 > 80
        expect(await runStack(connectionBudget, standalone, tight)).toEqual([expect.stringContaining("\"orders_b\" 20")]);
    });

    test("limits plus the reserve over max_connections are reported with the sum", async () => {
        expect(await runStack(connectionBudget, staging, { servers: { "db.example.com:5432": { maxConnections: 60, reservedConnections: 15 } } })).toEqual([
            "shared-provider: server db.example.com:5432 (postgresql.Provider \"shared-provider\"): the login roles' connection limits (\"orders\" 20 + \"payments\" 15 + \"k_indexer\" 10 + \"notifications\" 5 + \"reporting\" 5 = 55) "
            + "plus 15 reserved come to 70, over max_connections 60 — lower connectionLimit, or raise the server's max_connections and this policy's servers[\"db.example.com:5432\"].maxConnections.",
        ]);
    });

    test("servers not in config get the defaults (100, 10), which config can change", async () => {
        const big = patch(staging, "orders-role", { connectionLimit: 40 }); // 75 + 10 = 85 ≤ 100
        expect(await runStack(connectionBudget, big)).toEqual([]);
        expect(await runStack(connectionBudget, big, { defaultMaxConnections: 80 })).toEqual([expect.stringContaining("come to 85, over max_connections 80")]);
    });

    test("the provider's own maxConnections must fit in the reserve (unset means the provider's 20)", async () => {
        const s = patch(staging, "shared-provider", { maxConnections: "16" });
        expect(await runStack(connectionBudget, s, config)).toEqual([expect.stringContaining("the provider opens up to 16 connections but reservedConnections is 15")]);
        expect(await runStack(connectionBudget, patch(staging, "shared-provider", { maxConnections: undefined }), config)).toEqual([expect.stringContaining("up to 20 connections")]);
    });

    test("a login role without a limit makes the budget unbounded", async () => {
        expect(await runStack(connectionBudget, patch(staging, "payments-role", { connectionLimit: -1 }), config)).toEqual([
            expect.stringContaining("login role \"payments\" has no connection limit, so the services' connections are unbounded"),
        ]);
    });

    test("limits not known yet are left out rather than guessed", async () => {
        const unknown = patch(staging, "orders-role", { connectionLimit: UNKNOWN_STRING }); // 35 + 15 = 50
        expect(await runStack(connectionBudget, unknown, { servers: { "db.example.com:5432": { maxConnections: 50, reservedConnections: 15 } } })).toEqual([]);
    });

    test("config keys are matched the way providers are: localhost is 127.0.0.1, the port defaults to 5432", () => {
        expect(budgetFor("127.0.0.1:5432", { servers: { localhost: { maxConnections: 7, reservedConnections: 1 } } })).toEqual({ maxConnections: 7, reservedConnections: 1 });
        expect(budgetFor("127.0.0.1:5433", { servers: { "localhost:5432": { maxConnections: 7, reservedConnections: 1 } } }).maxConnections).toBe(100);
    });
});

describe("postgresql-connection-budget with ServiceCores (servicedb:core single)", () => {
    const core = (svc: string, limit: number, extra: Record<string, unknown> = {}) => ({
        type: TYPES.serviceCore, name: `${svc}-core`,
        props: { host: "db.example.com", port: 5432, sslmode: "verify-full", role: svc.replace("-", "_"), database: svc, connectionLimit: limit, parallelism: 4, ...extra },
    });
    const cores = [["orders", 20], ["payments", 15], ["k-indexer", 10], ["notifications", 5], ["reporting", 5]].map(([s, l]) => core(s as string, l as number));

    test("each core counts its connectionLimit once (both logins share it); the provider's parallelism sits in the reserve", async () => {
        expect(await runStack(connectionBudget, cores, config)).toEqual([]); // 55 + 15 ≤ 100, 4 ≤ 15
        expect(await runStack(connectionBudget, cores, { servers: { "db.example.com:5432": { maxConnections: 60, reservedConnections: 15 } } })).toEqual([
            expect.stringContaining("orders-core: server db.example.com:5432 (servicedb.ServiceCore \"orders-core\"): the login roles' connection limits (\"orders\" 20 + \"payments\" 15 + \"k_indexer\" 10 + \"notifications\" 5 + \"reporting\" 5 = 55) plus 15 reserved come to 70, over max_connections 60"),
        ]);
        expect(await runStack(connectionBudget, cores, { servers: { "db.example.com:5432": { maxConnections: 100, reservedConnections: 3 } } })).toEqual([
            expect.stringContaining("opens up to 4 connections but reservedConnections is 3"),
        ]);
    });

    test("cores and a provider's roles on one server share its budget", async () => {
        const mixed = [...staging, core("search", 30)]; // 55 + 30 + 15 = 100
        const budget = { servers: { "db.example.com:5432": { maxConnections: 100, reservedConnections: 15 } } };
        expect(await runStack(connectionBudget, patch(mixed, "shared-provider", { maxConnections: "11" }), budget)).toEqual([]); // 11 + 4 ≤ 15
        expect(await runStack(connectionBudget, patch(mixed, "shared-provider", { maxConnections: "12" }), budget)).toEqual([
            expect.stringContaining("the provider opens up to 16 connections but reservedConnections is 15"),
        ]);
        expect(await runStack(connectionBudget, patch(patch(mixed, "shared-provider", { maxConnections: "11" }), "search-core", { connectionLimit: 31 }), budget)).toEqual([
            expect.stringContaining("= 86) plus 15 reserved come to 101, over max_connections 100"),
        ]);
    });
});
