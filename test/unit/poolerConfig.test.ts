/** The pooler's config, planning, pool sizing and rendering: pure functions, no mocks. */
import { findProblems } from "../../src/plan";
import { formatProblem } from "../../src/problems";
import { renderIni, renderUserlist } from "../../src/pooler/config";
import { poolerCapacity, poolSizeOf } from "../../src/pooler/budget";
import { poolerServerConnections } from "../../src/pooler/spec";
import { scramVerifier } from "../../src/pooler/scram";

const LOCAL = { host: "127.0.0.1", port: 5432, maxConnections: 100, reservedConnections: 10 };
const REMOTE = { host: "db.internal", port: 5432, sslmode: "verify-full", sslrootcert: "/etc/ssl/ca.pem", maxConnections: 100, reservedConnections: 10 };

function plan(clusters: Record<string, unknown>, services: Record<string, unknown>) {
    const { spec, problems, warnings } = findProblems({ clusters, services, clustersAreSecret: false });
    return { spec, problems: problems.map(formatProblem), warnings };
}

describe("pooler config", () => {
    test("defaults: transaction mode, port 6432, 1000 clients, one pool per service sized by its connectionLimit", () => {
        const { spec, problems } = plan({ main: { ...LOCAL, pooler: true } }, { orders: { cluster: "main", connectionLimit: 20 }, search: { cluster: "main", connectionLimit: 5, poolSize: 3 } });
        expect(problems).toEqual([]);
        expect(spec.poolers).toHaveLength(1);
        expect(spec.poolers[0]).toMatchObject({
            name: "main", kind: "cluster", mode: "transaction", port: 6432, host: "127.0.0.1", maxClientConnections: 1000,
            network: "host", listenAddress: "127.0.0.1", listenPort: 6432, external: false, clientTls: false,
            upstream: { host: "127.0.0.1", port: 5432, sslmode: "disable" },
            pools: [
                { service: "orders", database: "orders", logins: ["orders", "orders_b"], poolSize: 20, connectionLimit: 20 },
                { service: "search", database: "search", logins: ["search", "search_b"], poolSize: 3, connectionLimit: 5 },
            ],
        });
    });

    test("a container's pooler joins the stack network, reaches the server by its alias, and listens 1000 ports above it", () => {
        const { spec, problems } = plan({}, { idx: { container: { port: 5440, pooler: { mode: "session" } } } });
        expect(problems).toEqual([]);
        expect(spec.poolers[0]).toMatchObject({ name: "idx", kind: "container", mode: "session", port: 6440, network: "bridge", listenAddress: "0.0.0.0", listenPort: 6432, upstream: { host: "idx", port: 5432, sslmode: "disable" } });
    });

    test("bad settings are problems that name the field and the fix", () => {
        const { problems } = plan({ main: { ...LOCAL, pooler: { mode: "statement", maxClientConnections: 0, colour: 1, clientTls: true, host: "x" } } }, { a: { cluster: "main" } });
        expect(problems).toEqual([
            `cluster "main", field "pooler.colour": is not a known field. Fix: remove it; known fields are mode, port, maxClientConnections, image, host, external, clientTls.`,
            `cluster "main", field "pooler.mode": must be one of transaction, session, got "statement". Fix: set servicedb:clusters.main.pooler.mode to one of transaction, session.`,
            `cluster "main", field "pooler.maxClientConnections": must be a whole number from 1 to 100000, got 0. Fix: set servicedb:clusters.main.pooler.maxClientConnections to the client connections PgBouncer accepts, e.g. 1000.`,
            `cluster "main", field "pooler.clientTls": is true, but the pooler runs in a container servicedb declares, which is published on 127.0.0.1 only and has no certificate. Fix: remove servicedb:clusters.main.pooler.clientTls, or set external: true and mount a certificate at /etc/pgbouncer/tls/tls.crt and tls.key.`,
            `cluster "main", field "pooler.host": is set, but servicedb's own pooler container is reached at 127.0.0.1. Fix: remove servicedb:clusters.main.pooler.host, or set external: true if the pooler runs elsewhere.`,
        ]);
    });

    test("an external pooler needs the host services reach it at; without TLS on a network address it is a warning", () => {
        expect(plan({ main: { ...REMOTE, pooler: { external: true } } }, { a: { cluster: "main" } }).problems).toEqual([
            `cluster "main", field "pooler.host": is required for an external pooler: it is the address services reach it at (pooledUrl). Fix: set servicedb:clusters.main.pooler.host, e.g. pgbouncer.databases.svc.cluster.local.`,
        ]);
        const { warnings, spec } = plan({ main: { ...REMOTE, pooler: { external: true, host: "pgb.internal" } } }, { a: { cluster: "main" } });
        expect(spec.poolers[0]).toMatchObject({ network: "none", host: "pgb.internal", port: 6432, listenPort: 6432, listenAddress: "0.0.0.0" });
        expect(warnings).toEqual([`cluster "main": pooler.host pgb.internal is reached without TLS (pooledUrl says sslmode=disable); set pooler.clientTls: true and mount a certificate, unless that network is private to the services`]);
    });

    test("poolSize above connectionLimit, or without a pooler, is refused with the fix", () => {
        expect(plan({ main: { ...LOCAL, pooler: true } }, { a: { cluster: "main", connectionLimit: 5, poolSize: 8 } }).problems).toEqual([
            `service "a", field "poolSize": is 8, above connectionLimit 5: the server refuses the pooler's connections beyond 5 (the role and the database are limited to it). Fix: lower servicedb:services.a.poolSize to at most 5, or raise servicedb:services.a.connectionLimit to 8 (if the server's budget has room).`,
        ]);
        expect(plan({ main: LOCAL }, { a: { cluster: "main", poolSize: 3 } }).problems).toEqual([
            `service "a", field "poolSize": is set, but cluster "main" has no pooler. Fix: add servicedb:clusters.main.pooler (e.g. { mode: transaction }), or remove servicedb:services.a.poolSize.`,
        ]);
    });

    test("poolers never share a host port with each other or with a container", () => {
        const { problems } = plan(
            { main: { ...LOCAL, pooler: { port: 5440 } }, other: { ...LOCAL, port: 5433, pooler: { port: 5440 } } },
            { a: { cluster: "main" }, b: { cluster: "other" }, c: { container: { port: 5440 } } },
        );
        expect(problems).toEqual([
            `cluster "main", field "pooler.port": is 5440, which container "c" already uses. Fix: set pooler.port of cluster "main" to a free port.`,
            `cluster "other", field "pooler.port": is 5440, which container "c" already uses. Fix: set pooler.port of cluster "other" to a free port.`,
        ]);
    });

    test("two servers' poolers on one port", () => {
        const { problems } = plan({ main: { ...LOCAL, pooler: { port: 7000 } }, other: { ...LOCAL, port: 5433, pooler: { port: 7000 } } }, { a: { cluster: "main" }, b: { cluster: "other" } });
        expect(problems).toEqual([`cluster "other", field "pooler.port": is 7000, which the pooler of cluster "main" already uses. Fix: set pooler.port of cluster "other" to a free port.`]);
    });

    test("services of a container group must agree on its pooler", () => {
        const { problems } = plan({}, { a: { container: { name: "g", pooler: { mode: "session" } } }, b: { container: { name: "g", pooler: true } } });
        expect(problems).toEqual([`service "b", field "container.pooler": differs from the pooler service "a" gives container "g". Fix: give every service of container "g" the same container.pooler, or set it on one of them only.`]);
    });
});

describe("pool sizing and the connection budget", () => {
    test("a pool is poolSize, never above connectionLimit", () => {
        expect(poolSizeOf({ connectionLimit: 20 })).toBe(20);
        expect(poolSizeOf({ connectionLimit: 20, poolSize: 5 })).toBe(5);
        expect(poolSizeOf({ connectionLimit: 5, poolSize: 8 })).toBe(5);
    });

    test("the pooler's server connections of any valid config fit the server with its reserve", () => {
        const limits = [[20, undefined], [15, 10], [10, undefined], [5, 5], [30, 1]] as const;
        const { spec, problems } = plan({ main: { ...LOCAL, pooler: true } }, Object.fromEntries(limits.map(([connectionLimit, poolSize], i) => [`s${i}`, { cluster: "main", connectionLimit, ...(poolSize ? { poolSize } : {}) }])));
        expect(problems).toEqual([]);
        expect(poolerServerConnections(spec.poolers[0])).toBe(20 + 10 + 10 + 5 + 1);
        expect(poolerServerConnections(spec.poolers[0]) + 10).toBeLessThanOrEqual(100);
        expect(poolerCapacity(spec.poolers[0])).toEqual({ serverConnections: 46, budget: 80, clientConnections: 1000, ratio: 21 });
    });
});

describe("rendered files", () => {
    const { spec } = plan({ main: { ...REMOTE, pooler: { external: true, host: "pgb.internal", clientTls: true, maxClientConnections: 400 } } }, { orders: { cluster: "main", connectionLimit: 20, poolSize: 12 } });

    test("pgbouncer.ini: a [databases] entry per service with its pool capped for all logins, TLS towards the server, no user and no password", () => {
        const ini = renderIni(spec.poolers[0]);
        expect(ini.split("\n")).toEqual(expect.arrayContaining([
            "[databases]",
            "orders = host=db.internal port=5432 dbname=orders pool_size=12 max_db_connections=12",
            "listen_addr = 0.0.0.0", "listen_port = 6432", "auth_type = scram-sha-256", "auth_file = /etc/pgbouncer/userlist.txt",
            "pool_mode = transaction", "max_client_conn = 400", "ignore_startup_parameters = extra_float_digits",
            "server_tls_sslmode = verify-full", "server_tls_ca_file = /etc/pgbouncer/server-ca.pem",
            "client_tls_sslmode = require", "client_tls_cert_file = /etc/pgbouncer/tls/tls.crt", "client_tls_key_file = /etc/pgbouncer/tls/tls.key",
        ]));
        expect(ini).not.toMatch(/user=|password|admin_users/);
    });

    test("userlist.txt holds verifiers of both logins and refuses a plaintext password", () => {
        const v = scramVerifier("orders", "Pw0rdFromMocks0123456789abcdefghijKLMNOP");
        const vb = scramVerifier("orders_b", "Other0123456789abcdefghijKLMNOPqrstuvwxyz");
        expect(renderUserlist([{ username: "orders_b", verifier: vb }, { username: "orders", verifier: v }])).toBe(`"orders" "${v}"\n"orders_b" "${vb}"\n`);
        expect(() => renderUserlist([{ username: "orders", verifier: "Pw0rdFromMocks0123456789abcdefghijKLMNOP" }])).toThrow(/plaintext passwords never go into userlist.txt/);
    });

    test("a host that cannot be written into pgbouncer.ini stops rendering", () => {
        expect(() => renderIni({ ...spec.poolers[0], upstream: { ...spec.poolers[0].upstream, host: "db internal" } })).toThrow(/cannot be written into pgbouncer.ini/);
    });
});
