import { findProblems, planPlatform } from "../../src/plan";
import { ConfigError, formatProblem } from "../../src/problems";
import { snakeCase, identifierProblem } from "../../src/names";
import { checkConnectionBudget } from "../../src/validate";
import { editDistance } from "../../src/fields";
import { clusterSpecOf, serviceSpecOf } from "../../src/parse";
import { LOCAL_CLUSTER } from "./fixtures";

function problemsOf(services: unknown, clusters: unknown = { main: LOCAL_CLUSTER }, clustersAreSecret = false): string[] {
    return findProblems({ clusters, services, clustersAreSecret }).problems.map(formatProblem);
}

describe("names", () => {
    test("service names map to snake_case identifiers", () => {
        expect(snakeCase("k-indexer")).toBe("k_indexer");
        expect(snakeCase("simply-kaspa-indexer")).toBe("simply_kaspa_indexer");
    });
    test("identifiers over 63 bytes are refused, counting bytes not characters", () => {
        expect(identifierProblem("a".repeat(63), "database")).toBeUndefined();
        expect(identifierProblem("a".repeat(64), "database")).toBe(`"${"a".repeat(64)}" is 64 bytes; PostgreSQL silently truncates database names to 63`);
        expect(identifierProblem("é".repeat(32), "role")).toMatch(/is 64 bytes/);
    });
    test("editDistance", () => {
        expect(editDistance("connectionLimit", "conectionLimit")).toBe(1);
        expect(editDistance("abc", "abc")).toBe(0);
    });
});

describe("a valid config", () => {
    test("gets its defaults", () => {
        const spec = planPlatform({ clusters: { main: { host: "db.internal" } }, services: { "k-indexer": { cluster: "main" } }, clustersAreSecret: false });
        expect(spec.clusters).toEqual([{
            name: "main", host: "db.internal", port: 5432, adminUser: "postgres", adminPassword: undefined, sslmode: "require",
            maintenanceDatabase: "postgres", superuser: true, maxConnections: 100, reservedConnections: 10, memory: undefined, sslrootcert: undefined, parallelism: 4,
            pooler: undefined,
        }]);
        expect(spec.services).toEqual([{
            name: "k-indexer", cluster: "main", placement: "cluster", container: undefined, database: "k_indexer", role: "k_indexer",
            connectionLimit: 10, poolSize: undefined, extensions: [], schemas: ["public"], readers: false, rotation: { count: 0 }, protect: false, retainOnDelete: false,
            backupBeforeMigrate: undefined, reads: [], migrations: [],
            // The guardrails' defaults, in PostgreSQL's base units (ms, kB).
            settings: { statementTimeout: 60000, lockTimeout: 10000, idleInTransactionSessionTimeout: 60000, workMem: 4096, tempFileLimit: undefined, searchPath: undefined },
        }]);
    });
    test("a loopback host defaults to sslmode disable, any other to require", () => {
        const spec = planPlatform({ clusters: { a: { host: "localhost" }, b: { host: "127.0.0.1" }, c: { host: "10.0.0.5" } }, services: {}, clustersAreSecret: false });
        expect(spec.clusters.map((c) => c.sslmode)).toEqual(["disable", "disable", "require"]);
    });
    test("numbers and booleans written as strings by `pulumi config set --path` are accepted", () => {
        const spec = planPlatform({ clusters: { main: { host: "h", port: "6432", superuser: "false" } }, services: { a: { cluster: "main", connectionLimit: "7" } }, clustersAreSecret: false });
        expect(spec.clusters[0].port).toBe(6432);
        expect(spec.clusters[0].superuser).toBe(false);
        expect(spec.services[0].connectionLimit).toBe(7);
    });
    test("a secret admin password is accepted", () => {
        expect(problemsOf({}, { main: { host: "h", adminPassword: "s3cret" } }, true)).toEqual([]);
    });
});

describe("each problem names the subject, the field and the fix", () => {
    test("plain-text admin password", () => {
        expect(problemsOf({}, { main: { host: "h", adminPassword: "hunter2" } })).toEqual([
            `cluster "main", field "adminPassword": is stored in plain text. Fix: store it encrypted: pulumi config set --secret --path 'servicedb:clusters.main.adminPassword' <password>.`,
        ]);
    });
    test("invalid identifiers and over-long names", () => {
        expect(problemsOf({ "Bad Name": { cluster: "main", database: "x".repeat(64), role: "My-Role" } })).toEqual([
            `service "Bad Name", field "(name)": is not a valid service name (lower-case letters, digits, single "-" or "_" between them, at most 63 bytes). Fix: rename the key under servicedb:services, e.g. "bad-name".`,
            `service "Bad Name", field "database": "${"x".repeat(64)}" is 64 bytes; PostgreSQL silently truncates database names to 63. Fix: set servicedb:services.Bad Name.database to another name, e.g. "_ad_ame_db".`,
            `service "Bad Name", field "role": "My-Role" is not a plain lower-case identifier (letters a-z, digits and _, not starting with a digit). Fix: set servicedb:services.Bad Name.role to another name, e.g. "_ad_ame_app".`,
        ]);
    });
    test("reserved names", () => {
        expect(problemsOf({
            a: { cluster: "main", database: "template1" },
            b: { cluster: "main", role: "pg_monitor" },
            c: { cluster: "main", role: "public" },
            d: { cluster: "main", database: "postgres", role: "postgres" },
        })).toEqual([
            `service "a", field "database": "template1" is a database every PostgreSQL server already has. Fix: set servicedb:services.a.database to another name, e.g. "a_db".`,
            `service "b", field "role": "pg_monitor" starts with "pg_", which PostgreSQL reserves for system roles. Fix: set servicedb:services.b.role to another name, e.g. "b_app".`,
            `service "c", field "role": "public" is reserved by PostgreSQL. Fix: set servicedb:services.c.role to another name, e.g. "c_app".`,
            `service "d", field "database": "postgres" is a database every PostgreSQL server already has. Fix: set servicedb:services.d.database to another name, e.g. "d_db".`,
            `service "d", field "role": "postgres" is reserved by PostgreSQL. Fix: set servicedb:services.d.role to another name, e.g. "d_app".`,
        ]);
    });
    test("the cluster's admin user and maintenance database are off limits", () => {
        expect(problemsOf({ a: { cluster: "main", role: "admin", database: "maint" } }, { main: { host: "h", adminUser: "admin", maintenanceDatabase: "maint" } })).toEqual([
            `service "a", field "database": "maint" is the maintenance database of cluster "main". Fix: set servicedb:services.a.database to another name, e.g. "a_db".`,
            `service "a", field "role": "admin" is the admin user of cluster "main". Fix: set servicedb:services.a.role to another name, e.g. "a_app".`,
        ]);
    });
    test("two services resolving to one database or role in a cluster", () => {
        expect(problemsOf({
            "k-indexer": { cluster: "main" },
            "k_indexer": { cluster: "main" },
        })).toEqual([
            `service "k_indexer", field "database": resolves to database "k_indexer" in cluster "main", which service "k-indexer" already uses. Fix: set servicedb:services.k_indexer.database to a name of its own.`,
            `service "k_indexer", field "role": resolves to role "k_indexer" in cluster "main", which service "k-indexer" already uses. Fix: set servicedb:services.k_indexer.role to a name of its own.`,
        ]);
    });
    test("the same names in two clusters are fine", () => {
        expect(problemsOf({ a: { cluster: "one", database: "app" }, b: { cluster: "two", database: "app" } }, { one: { host: "h1" }, two: { host: "h2" } })).toEqual([]);
    });
    test("unknown cluster", () => {
        expect(problemsOf({ a: { cluster: "mian" } })).toEqual([
            `service "a", field "cluster": names cluster "mian", which servicedb:clusters does not define. Fix: use one of "main", or add servicedb:clusters.mian.`,
        ]);
    });
    test("non-positive connection limit", () => {
        expect(problemsOf({ a: { cluster: "main", connectionLimit: 0 }, b: { cluster: "main", connectionLimit: -1 } })).toEqual([
            `service "a", field "connectionLimit": must be a whole number from 1 to 262143, got 0. Fix: set servicedb:services.a.connectionLimit to a whole number of 1 or more (default 10).`,
            `service "b", field "connectionLimit": must be a whole number from 1 to 262143, got -1. Fix: set servicedb:services.b.connectionLimit to a whole number of 1 or more (default 10).`,
        ]);
    });
    test("connection budget over the cluster's maxConnections", () => {
        expect(problemsOf(
            { a: { cluster: "main", connectionLimit: 20 }, b: { cluster: "main", connectionLimit: 15 }, c: { cluster: "main", connectionLimit: 10 }, d: { cluster: "main", connectionLimit: 5 }, e: { cluster: "main", connectionLimit: 5 } },
            { main: { host: "h", maxConnections: 60, reservedConnections: 10 } },
        )).toEqual([
            `cluster "main", field "maxConnections": the services' connection limits (a=20 + b=15 + c=10 + d=5 + e=5 = 55) plus reservedConnections (10) need 65, but maxConnections is 60. Fix: lower some services' connectionLimit by 5 in total, or raise maxConnections (and the server's max_connections) to 65.`,
        ]);
    });
    test("a budget that fits exactly passes", () => {
        const cluster = clusterSpecOf("main", { host: "h", maxConnections: 65 });
        const svc = (name: string, connectionLimit: number) => serviceSpecOf(name, { cluster: "main", connectionLimit });
        expect(checkConnectionBudget(cluster, [svc("a", 20), svc("b", 15), svc("c", 10), svc("d", 5), svc("e", 5)])).toEqual([]);
    });
    test("unknown fields get a suggestion", () => {
        expect(problemsOf({ a: { cluster: "main", conectionLimit: 5, colour: "red" } })).toEqual([
            `service "a", field "conectionLimit": is not a known field. Fix: rename it to "connectionLimit".`,
            `service "a", field "colour": is not a known field. Fix: remove it; known fields are cluster, container, database, role, connectionLimit, poolSize, extensions, schemas, readers, rotation, protect, retainOnDelete, backupBeforeMigrate, reads, settings, kubernetes.`,
        ]);
    });
    test("reader roles: too long, or colliding with another service's role", () => {
        expect(problemsOf({
            a: { cluster: "main", role: "r".repeat(60), readers: true },
            b: { cluster: "main", role: "orders", readers: true },
            c: { cluster: "main", role: "orders_reader" },
        })).toEqual([
            `service "a", field "readers": the reader role "${"r".repeat(60)}_reader" is 67 bytes; PostgreSQL silently truncates role names to 63. Fix: shorten servicedb:services.a.role to at most 56 bytes.`,
            `service "c", field "role": resolves to role "orders_reader" in cluster "main", which service "b" already uses. Fix: set servicedb:services.c.role to a name of its own.`,
        ]);
    });
    test("servicedb:protect sets every service's default; a service can override it", () => {
        const spec = planPlatform({ clusters: { main: { host: "h" } }, services: { a: { cluster: "main" }, b: { cluster: "main", protect: false } }, clustersAreSecret: false, protect: true });
        expect(spec.services.map((s) => [s.name, s.protect])).toEqual([["a", true], ["b", false]]);
        expect(findProblems({ clusters: {}, services: {}, clustersAreSecret: false, protect: "maybe" }).problems.map(formatProblem)).toEqual([
            `servicedb:protect, field "protect": must be true or false, got "maybe". Fix: set servicedb:protect to true or false.`,
        ]);
    });
    test("wrong types and missing values", () => {
        expect(problemsOf({ a: { extensions: "pgcrypto" } }, { main: { port: 70000, sslmode: "on", superuser: "yes" } })).toEqual([
            `cluster "main", field "host": is required. Fix: set servicedb:clusters.main.host.`,
            `cluster "main", field "port": must be a whole number from 1 to 65535, got 70000. Fix: set servicedb:clusters.main.port to the server's port, e.g. 5432.`,
            `cluster "main", field "sslmode": must be one of disable, allow, prefer, require, verify-ca, verify-full, got "on". Fix: set servicedb:clusters.main.sslmode to one of disable, allow, prefer, require, verify-ca, verify-full.`,
            `cluster "main", field "superuser": must be true or false, got "yes". Fix: set servicedb:clusters.main.superuser to true or false.`,
            `service "a", field "cluster": is required. Fix: set servicedb:services.a.cluster.`,
            `service "a", field "extensions": must be a list of non-empty strings, got "pgcrypto". Fix: set servicedb:services.a.extensions to a YAML list such as [a, b].`,
            `service "a", field "cluster": names no cluster (and no container). Fix: use one of "main", or add servicedb:clusters.<name>, or give the service its own server with container: {}.`,
        ]);
    });
    test("missing maps: services are required, clusters only when a service names one", () => {
        expect(findProblems({ clusters: undefined, services: undefined, clustersAreSecret: false }).problems.map(formatProblem)).toEqual([
            `servicedb:services, field "services": is not set. Fix: add a servicedb:services map to the stack's Pulumi.<stack>.yaml (see README, "Config reference").`,
        ]);
        expect(findProblems({ clusters: undefined, services: { a: { cluster: "main" } }, clustersAreSecret: false }).problems.map(formatProblem)).toEqual([
            `service "a", field "cluster": names cluster "main", which servicedb:clusters does not define. Fix: add servicedb:clusters.main with at least a host.`,
        ]);
    });
    test("a platform of containers only needs no clusters", () => {
        const { spec, problems } = findProblems({ clusters: undefined, services: { a: { container: {} }, b: { container: { port: 5440 } }, c: { container: true } }, clustersAreSecret: false });
        expect(problems).toEqual([]);
        expect(spec.clusters).toEqual([]);
        expect(spec.containers.map((c) => [c.name, c.port])).toEqual([["a", expect.any(Number)], ["b", 5440], ["c", expect.any(Number)]]);
    });
    test("duplicate schemas and bad extension names", () => {
        expect(problemsOf({ a: { cluster: "main", schemas: ["public", "public", "information_schema"], extensions: ["Bad Ext"] } })).toEqual([
            `service "a", field "schemas": "information_schema" belongs to the server. Fix: remove it from servicedb:services.a.schemas or pick another name.`,
            `service "a", field "extensions": "Bad Ext" is not an extension name. Fix: use the name as SELECT name FROM pg_available_extensions shows it, e.g. "pgcrypto".`,
            `service "a", field "schemas": lists "public" twice. Fix: remove the second "public" from servicedb:services.a.schemas.`,
        ]);
    });
});

describe("planPlatform", () => {
    test("throws one ConfigError that lists every problem", () => {
        let err: unknown;
        try {
            planPlatform({ clusters: { main: { host: "h" } }, services: { a: { cluster: "nope" }, b: { cluster: "main", connectionLimit: 0 } }, clustersAreSecret: false });
        } catch (e) {
            err = e;
        }
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).problems).toHaveLength(2);
        expect((err as ConfigError).message).toBe(
            "servicedb config has 2 problems; nothing was created:\n" +
            `  - service "a", field "cluster": names cluster "nope", which servicedb:clusters does not define. Fix: use one of "main", or add servicedb:clusters.nope.\n` +
            `  - service "b", field "connectionLimit": must be a whole number from 1 to 262143, got 0. Fix: set servicedb:services.b.connectionLimit to a whole number of 1 or more (default 10).`,
        );
    });
});
