/** The pooler under mocks: the real program declares a PgBouncer per pooled server. */
import * as pulumi from "@pulumi/pulumi";
import { ProgramRun, runProgram, valueOf } from "./harness";
import { CHAIN, LOCAL_CLUSTER } from "./fixtures";
import type { ServiceConnection } from "../../components/platform";
import { scramVerifier } from "../../src/pooler/scram";

const MOCK_PASSWORD = "Pw0rdFromMocks0123456789abcdefghijKLMNOP";
const CONTAINER = "docker:index/container:Container";

const POOLED = {
    "servicedb:clusters": { main: { ...LOCAL_CLUSTER, reservedConnections: 10, pooler: { maxClientConnections: 500 } } },
    "servicedb:services": {
        orders: { cluster: "main", connectionLimit: 20 },
        search: { cluster: "main", connectionLimit: 5, poolSize: 3 },
        idx: { container: { port: 5440, image: "postgres:16", pooler: { image: "servicedb-e2e/pgbouncer:1" } } },
        plain: { container: { port: 5441, image: "postgres:16" } },
    },
};

type Upload = { file: string; content: string; permissions: string };

describe("a pooled platform under mocks", () => {
    let run: ProgramRun;
    beforeAll(async () => { run = await runProgram(POOLED); });

    test("a PgBouncer container per pooled server, on the stack's Docker provider", () => {
        expect(run.ofType(CONTAINER).map((c) => c.name).sort()).toEqual(["idx", "idx-pooler", "main-pooler", "plain"]);
        const dockerProvider = run.get("pulumi:providers:docker", "docker").urn;
        for (const name of ["main-pooler", "idx-pooler"]) expect(run.get(CONTAINER, name).provider.startsWith(`${dockerProvider}::`)).toBe(true);
    });

    test("the loopback cluster's pooler runs on the host network; its files are mounted, secret, and hold verifiers only", () => {
        const c = run.get(CONTAINER, "main-pooler");
        expect(c.inputs).toMatchObject({ name: "servicedb-test-main-pooler", networkMode: "host", entrypoints: ["pgbouncer"], command: ["/etc/pgbouncer/pgbouncer.ini"], restart: "unless-stopped" });
        expect(c.inputs.ports).toBeUndefined();
        expect(c.secretInputs).toContain("uploads");
        expect(c.additionalSecretOutputs).toContain("uploads");
        expect(c.deleteBeforeReplace).toBe(true);
        const uploads = c.inputs.uploads as Upload[];
        expect(uploads.map((u) => u.file).sort()).toEqual(["/etc/pgbouncer/pgbouncer.ini", "/etc/pgbouncer/userlist.txt"]);
        const ini = uploads.find((u) => u.file.endsWith(".ini"))?.content ?? "";
        expect(ini).toContain("orders = host=127.0.0.1 port=5432 dbname=orders pool_size=20 max_db_connections=20");
        expect(ini).toContain("search = host=127.0.0.1 port=5432 dbname=search pool_size=3 max_db_connections=3");
        expect(ini).toContain("listen_addr = 127.0.0.1\nlisten_port = 6432");
        expect(ini).toContain("max_client_conn = 500");
        const userlist = uploads.find((u) => u.file.endsWith("userlist.txt"))?.content ?? "";
        expect(userlist).toContain(`"orders" "${scramVerifier("orders", MOCK_PASSWORD)}"`);
        expect(userlist).toContain(`"search" "${scramVerifier("search", MOCK_PASSWORD)}"`);
        expect(JSON.stringify(c.inputs)).not.toContain(MOCK_PASSWORD);
        expect(c.inputs.ulimits).toEqual([{ name: "nofile", soft: 500 + 23 + 100, hard: 500 + 23 + 100 }]);
    });

    test("a container's pooler is published on 127.0.0.1 only, joins the stack network and waits for the server", () => {
        const c = run.get(CONTAINER, "idx-pooler");
        expect(c.inputs.ports).toEqual([{ internal: 6432, external: 6440, ip: "127.0.0.1" }]);
        expect(c.inputs.networksAdvanced).toEqual([{ name: "servicedb-test" }]);
        expect(run.dependencyNames(c)).toContain("idx");
        expect(run.get("docker:index/remoteImage:RemoteImage", "idx-pooler-image").inputs).toMatchObject({ name: "servicedb-e2e/pgbouncer:1", keepLocally: true });
        const ini = (c.inputs.uploads as Upload[]).find((u) => u.file.endsWith(".ini"))?.content ?? "";
        expect(ini).toContain("idx = host=idx port=5432 dbname=idx pool_size=10 max_db_connections=10");
    });

    test("no role, database or grant depends on a pooler: a pooler config change never touches them", () => {
        const poolerUrns = new Set(run.resources.filter((r) => r.name.endsWith("-pooler") || r.name.endsWith("-pooler-image")).map((r) => r.urn));
        for (const r of run.resources.filter((x) => x.type.startsWith("postgresql:"))) {
            expect(r.dependencies.filter((u) => poolerUrns.has(u))).toEqual([]);
        }
    });

    test("pooled services get a secret pooledUrl with their own login; the others none", async () => {
        const dbs = run.exports.databases as Record<string, ServiceConnection>;
        const orders = dbs.orders.pooledUrl as pulumi.Output<string>;
        expect(await valueOf(orders)).toBe(`postgresql://orders:${MOCK_PASSWORD}@127.0.0.1:6432/orders?sslmode=disable`);
        expect(await pulumi.isSecret(orders)).toBe(true);
        expect(await valueOf(dbs.idx.pooledUrl as pulumi.Output<string>)).toBe(`postgresql://idx:${MOCK_PASSWORD}@127.0.0.1:6440/idx?sslmode=disable`);
        expect(dbs.plain.pooledUrl).toBeUndefined();
    });

    test("the poolers output says ports, modes and pool sizes", () => {
        expect(run.exports.poolers).toEqual({
            main: { host: "127.0.0.1", port: 6432, mode: "transaction", external: false, maxClientConnections: 500, pools: { orders: 20, search: 3 } },
            idx: { host: "127.0.0.1", port: 6440, mode: "transaction", external: false, maxClientConnections: 1000, pools: { idx: 10 } },
        });
    });
});

describe("an external pooler under mocks", () => {
    test("declares no container and outputs its files as a secret", async () => {
        const run = await runProgram({
            ...CHAIN, // both logins' passwords from the mocks' RandomPassword
            "servicedb:clusters": { main: { ...LOCAL_CLUSTER, host: "db.internal", sslmode: "require", reservedConnections: 10, pooler: { external: true, host: "pgb.internal", clientTls: true } } },
            "servicedb:services": { orders: { cluster: "main", connectionLimit: 20 } },
        });
        expect(run.ofType(CONTAINER)).toEqual([]);
        expect(run.ofType("pulumi:providers:docker")).toEqual([]);
        const files = run.exports.poolerFiles as pulumi.Output<Record<string, Record<string, string>>>;
        expect(await pulumi.isSecret(files)).toBe(true);
        const main = (await valueOf(files)).main;
        expect(Object.keys(main).sort()).toEqual(["pgbouncer.ini", "userlist.txt"]);
        expect(main["pgbouncer.ini"]).toContain("server_tls_sslmode = require");
        // Both logins of the service (the owning role and the second login), as SCRAM verifiers.
        expect(main["userlist.txt"]).toBe(`"orders" "${scramVerifier("orders", MOCK_PASSWORD)}"\n"orders_b" "${scramVerifier("orders_b", MOCK_PASSWORD)}"\n`);
        const url = (run.exports.databases as Record<string, ServiceConnection>).orders.pooledUrl as pulumi.Output<string>;
        expect(await valueOf(url)).toBe(`postgresql://orders:${MOCK_PASSWORD}@pgb.internal:6432/orders?sslmode=require`);
    });
});
