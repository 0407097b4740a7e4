/**
 * Declared reads and guardrails (`reads:`, `settings:`, `servicedb:settings`, `memory`): their
 * checks, without mocks, and what each core declares for them, under mocks.
 */
import { checkMemoryBudget } from "../../src/access";
import { parseDuration, parseSize } from "../../src/settings/guards";
import { guards, roleParameters } from "../../src/guards";
import { findProblems } from "../../src/plan";
import { formatProblem } from "../../src/problems";
import { serviceSpecOf } from "../../src/parse";
import { statementTimeoutFindings } from "../../policy/src/roles";
import { grantFindings } from "../../policy/src/crossService";
import { readCatalog } from "../../policy/src/catalog";
import type { StackResource } from "../../policy/src/resources";
import { CHAIN, LOCAL_CLUSTER, T } from "./fixtures";
import { runProgram, valueOf } from "./harness";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceConnection } from "../../components/platform";

const CHAT = {
    "servicedb:clusters": { main: { ...LOCAL_CLUSTER } },
    "servicedb:services": {
        chat: { cluster: "main", connectionLimit: 20, schemas: ["public", "messages"] },
        ai: { cluster: "main", reads: ["chat.messages"], settings: { statementTimeout: "2min", workMem: "16MB" } },
        users: { cluster: "main" },
        search: { cluster: "main", reads: ["chat", "users"] },
    },
};

const problems = (services: Record<string, unknown>, extra: Record<string, unknown> = {}) => findProblems({
    clusters: { main: { host: "127.0.0.1" }, other: { host: "10.0.0.9", superuser: false } }, clustersAreSecret: true, services, ...extra,
}).problems.map(formatProblem);

describe("guardrail values", () => {
    test("PostgreSQL's units, kept in its base units", () => {
        expect(["30s", "500ms", "5min", "2 h", "1d", "250", "10us"].map(parseDuration)).toEqual([30000, 500, 300000, 7200000, 86400000, 250, 0]);
        expect(["64MB", "512kB", "1GB", "8192", "-1", "2048B"].map(parseSize)).toEqual([65536, 512, 1048576, 8192, -1, 2]);
        expect(["30 seconds", "1.5s", "MB", "", "99999999999d"].map(parseDuration)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    });

    test("a platform default, a service override, none; stored as the server stores them", () => {
        const { spec } = findProblems({
            clusters: { main: { host: "h" } }, clustersAreSecret: true, settings: { statementTimeout: "30s", lockTimeout: "none" },
            services: { a: { cluster: "main" }, b: { cluster: "main", settings: { statementTimeout: "5min", searchPath: ["app", "$user"] } } },
        });
        expect(spec.services.map((s) => roleParameters(s.settings))).toEqual([
            { idle_in_transaction_session_timeout: "60000", statement_timeout: "30000", work_mem: "4096" },
            { idle_in_transaction_session_timeout: "60000", search_path: 'app, "$user"', statement_timeout: "300000", work_mem: "4096" },
        ]);
        expect(guards(roleParameters(spec.services[1].settings))).toBe("stmt 5min idle 1min mem 4MB");
    });

    test("bad values, unknown fields, a superuser parameter on a managed server: every problem at once", () => {
        expect(problems({
            a: { cluster: "main", settings: { statementTimeout: "soon", workMem: "1kB", colour: 1 } },
            b: { cluster: "other", settings: { tempFileLimit: "1GB" } },
            c: { cluster: "main", settings: "fast" },
        })).toEqual([
            `service "a", field "settings.colour": is not a known field. Fix: remove it; known fields are statementTimeout, lockTimeout, idleInTransactionSessionTimeout, workMem, tempFileLimit, searchPath.`,
            `service "a", field "settings.statementTimeout": must be a duration such as 30s, 500ms or 5min, or none; got "soon". Fix: set servicedb:services.a.settings.statementTimeout to 30s, or none to leave the server's value.`,
            `service "a", field "settings.workMem": must be a size such as 64MB or 512kB of at least 64 kB, or none; got "1kB". Fix: set servicedb:services.a.settings.workMem to 16MB, or none to leave the server's value.`,
            `service "b", field "settings.tempFileLimit": is set, but cluster "other" has superuser: false and only a superuser may set temp_file_limit on a role. Fix: set servicedb:services.b.settings.tempFileLimit (or servicedb:settings.tempFileLimit) to none, and limit temp files in the server's own configuration (a parameter group).`,
            `service "c", field "settings": must be a map of settings, got "fast". Fix: write servicedb:services.c.settings as a map, e.g. { statementTimeout: 30s }.`,
        ]);
    });

    test("the memory budget: workMem × connectionLimit against a quarter of memory, each service's part named", () => {
        const a = serviceSpecOf("a", { cluster: "main", connectionLimit: 20, settings: { workMem: "64MB" } });
        const b = serviceSpecOf("b", { cluster: "main", connectionLimit: 10, settings: { workMem: "32MB" } });
        expect(checkMemoryBudget({ name: "main", memory: 4096 }, [a, b]).map(formatProblem)).toEqual([
            `cluster "main", field "memory": the services' workMem × connectionLimit (a=64MB×20=1280MB + b=32MB×10=320MB = 1600MB) exceed a quarter of memory (4096MB / 4 = 1024MB). Fix: lower some services' settings.workMem or connectionLimit by 576MB in total, or raise memory (and the server's) to 6400MB.`,
        ]);
        expect(checkMemoryBudget({ name: "main", memory: 6400 }, [a, b])).toEqual([]);
        expect(checkMemoryBudget({ name: "main" }, [a, b])).toEqual([]);
        expect(problems({ a: { container: { memory: 256 }, connectionLimit: 20, settings: { workMem: "8MB" } } }).join("\n"))
            .toContain(`container "a", field "memory": the services' workMem × connectionLimit (a=8MB×20=160MB = 160MB) exceed a quarter of memory (256MB / 4 = 64MB)`);
    });
});

describe("reads", () => {
    test("refused with the fix: an unknown service, itself, another server, a schema it does not have, a bad entry", () => {
        expect(problems({
            a: { cluster: "main", reads: ["ghost", "a", "far", "b.nope", "B!"] }, b: { cluster: "main" }, far: { cluster: "other" },
        })).toEqual([
            `service "a", field "reads": "B!" is not a service name, or a service name and one of its schemas (chat.messages). Fix: write it as <service> or <service>.<schema> in servicedb:services.a.reads.`,
            `service "a", field "reads": names service "ghost", which servicedb:services does not define. Fix: use one of b, far.`,
            `service "a", field "reads": names the service itself; its own data needs no grant. Fix: remove "a" from servicedb:services.a.reads.`,
            `service "a", field "reads": names "far", which lives on cluster "other" while "a" lives on cluster "main": a grant cannot cross servers. Fix: put both on one server, or let "a" read "far" through that service's API (or a replica of its data on cluster "main").`,
            `service "a", field "reads": names schema "nope" of "b", which has only "public". Fix: read one of those schemas, or add "nope" to servicedb:services.b.schemas.`,
        ]);
    });

    test("a read service declares its reader role without readers: true; a whole read absorbs narrowed ones", () => {
        const { spec } = findProblems({ clusters: { main: { host: "h" } }, clustersAreSecret: true, services: CHAT["servicedb:services"] });
        expect(spec.services.map((s) => [s.name, s.readers])).toEqual([["chat", true], ["ai", false], ["users", true], ["search", false]]);
        expect(serviceSpecOf("x", { cluster: "m", reads: ["chat.a", "chat", "chat.b", "users.c", "users.d"] }).reads)
            .toEqual([{ service: "chat" }, { service: "users", schemas: ["c", "d"] }]);
    });

    test("single core: one ServiceReads per reading service, after both cores and the previous reads of the server", async () => {
        const run = await runProgram(CHAT);
        const reads = run.ofType("servicedb:core:ServiceReads");
        expect(reads.map((r) => r.name).sort()).toEqual(["ai-reads", "search-reads"]);
        const ai = run.get("servicedb:core:ServiceReads", "ai-reads");
        expect(ai.inputs).toMatchObject({ role: "ai", reads: [{ service: "chat", database: "chat", owner: "chat", schemas: ["messages"] }] });
        expect(run.dependencyNames(ai)).toEqual(expect.arrayContaining(["ai-core", "chat-core"]));
        const search = run.get("servicedb:core:ServiceReads", "search-reads");
        expect(search.inputs.reads).toEqual([
            { service: "chat", database: "chat", owner: "chat", schemas: ["public", "messages"] }, { service: "users", database: "users", owner: "users", schemas: ["public"] },
        ]);
        expect(run.dependencyNames(search)).toEqual(expect.arrayContaining(["search-core", "chat-core", "users-core", "ai-reads"]));
        expect(run.get(T.core, "ai-core").inputs.parameters).toEqual({ idle_in_transaction_session_timeout: "60000", lock_timeout: "10000", statement_timeout: "120000", work_mem: "16384" });
    });

    test("outputs: a secret URL per read service, ai's login on chat's database", async () => {
        const run = await runProgram(CHAT);
        const databases = run.exports.databases as Record<string, ServiceConnection>;
        expect(Object.keys(databases.search.reads ?? {})).toEqual(["chat", "users"]);
        const url = databases.ai.reads?.chat.url as pulumi.Output<string>;
        expect(await pulumi.isSecret(url)).toBe(true);
        expect(await valueOf(url)).toMatch(/^postgresql:\/\/ai:[A-Za-z0-9]+@127\.0\.0\.1:5432\/chat\?sslmode=disable$/);
        expect(databases.chat.reads).toBeUndefined();
    });

    test("resource chain: a ServiceRead component per read, its grants read-only; the policy pack lets them pass and refuses a hand-made one", async () => {
        const run = await runProgram({ ...CHAT, ...CHAIN });
        const read = run.get("servicedb:postgres:ServiceRead", "ai-reads-chat");
        const grants = run.resources.filter((r) => r.parent === read.urn).map((r) => [r.name, r.inputs.objectType, r.inputs.privileges]);
        expect(grants).toEqual([
            ["ai-reads-chat-connect", "database", ["CONNECT"]], ["ai-reads-chat-usage-messages", "schema", ["USAGE"]],
            ["ai-reads-chat-tables-messages", "table", ["SELECT"]], ["ai-reads-chat-default-messages", "table", ["SELECT"]],
        ]);
        const asPolicy = (extra: StackResource[] = []): StackResource[] => [...run.resources.map((r) => {
            const parent = run.resources.find((p) => p.urn === r.parent);
            return { type: r.type, name: r.name, urn: r.urn, props: r.inputs, provider: { urn: "main-provider", name: "main-provider" }, ...(parent ? { parent: { type: parent.type, urn: parent.urn } } : {}) };
        }), ...extra];
        expect(grantFindings(readCatalog(asPolicy()))).toEqual([]);
        const handMade: StackResource = { type: T.grant, name: "ai-sneaks-into-users", urn: "urn:x", props: { role: "ai", database: "users", objectType: "database", privileges: ["CONNECT"] }, provider: { urn: "main-provider", name: "main-provider" } };
        expect(grantFindings(readCatalog(asPolicy([handMade]))).map((f) => f.message)).toEqual([
            expect.stringContaining(`gives role "ai" (owner of database "ai") [CONNECT] in database "users", another service's database`),
        ]);
        // The Roles set statement_timeout themselves: no advisory.
        expect(statementTimeoutFindings(asPolicy())).toEqual([]);
        expect(statementTimeoutFindings([{ type: T.role, name: "x", urn: "urn:y", props: { name: "x", login: true } }]).map((f) => f.message))
            .toEqual([expect.stringContaining("logs in without a statement timeout")]);
    });
});
