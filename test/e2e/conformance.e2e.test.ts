/**
 * Both cores, one behaviour: the same platform (several services, schemas, extensions, a reader,
 * a rotated service, reads between services, guardrails) deployed with `core: resources` and then with `core: single`, on the
 * machine's server and on a managed-like one (the admin made a member of each service's role).
 * The two server catalogs — roles and attributes, memberships, role settings, databases, owners,
 * ACLs, schemas, extensions, default privileges — must be identical but for the differences
 * docs/architecture.md lists as intended (the ServiceCore's ownership mark).
 */
import { ClientConfig } from "pg";
import { Catalog, readCatalog, withoutIntendedDifferences } from "./catalog";
import { engineMissing, projectCopy, skipSuite } from "./engine";
import { ADMIN, dropLeftovers } from "./server";
import { ManagedCluster, managedClusterMissing, startManagedCluster } from "../pg/managedCluster";

const PREFIX = "sdb_conf_e2e_";
const missing = engineMissing(["postgresql", "random"]) ?? managedClusterMissing();

function stackYaml(core: string, cluster: string): string {
    const svc = (n: string, rest: string) => `    conf-${n}: { cluster: main, database: ${PREFIX}${n}, role: ${PREFIX}${n}, ${rest} }`;
    return [
        "config:",
        `  servicedb:core: ${core}`,
        "  servicedb:clusters:",
        `    main: ${cluster}`,
        "  servicedb:services:",
        svc("orders", "connectionLimit: 5, readers: true, schemas: [public, app, audit], extensions: [pgcrypto]"),
        svc("chat", "connectionLimit: 4, rotation: 1, extensions: [citext], reads: [conf-orders.app]"),
        svc("search", "connectionLimit: 2, schemas: [public, idx], reads: [conf-orders, conf-chat], settings: { lockTimeout: 2s, workMem: 8MB, searchPath: [idx, public], statementTimeout: none }"),
    ].join("\n") + "\n";
}

/** Deploys the platform with `core`, reads the catalog, destroys it. */
async function deployAndRead(core: string, cluster: string, adminPassword: string | undefined, superuser: (db: string) => ClientConfig): Promise<Catalog> {
    const ws = await projectCopy(`e2econf${core}`, stackYaml(core, cluster));
    try {
        if (adminPassword) await ws.stack.setConfig("servicedb:clusters.main.adminPassword", { value: adminPassword, secret: true }, true);
        expect((await ws.up()).summary.result).toBe("succeeded");
        await ws.preview({ refresh: true, expectNoChanges: true });
        const catalog = await readCatalog(superuser, PREFIX);
        expect((await ws.destroy()).summary.result).toBe("succeeded");
        return catalog;
    } finally {
        ws.cleanup();
    }
}

async function conformance(cluster: string, adminPassword: string | undefined, superuser: (db: string) => ClientConfig) {
    const chain = await deployAndRead("resources", cluster, adminPassword, superuser);
    const single = await deployAndRead("single", cluster, adminPassword, superuser);
    expect(Object.keys(single.databases).sort()).toEqual([`${PREFIX}chat`, `${PREFIX}orders`, `${PREFIX}search`]);
    expect(withoutIntendedDifferences(single)).toEqual(withoutIntendedDifferences(chain));
    // The intended difference, and nothing else: the ServiceCore marks what it made.
    for (const r of Object.values(single.roles)) expect(r.comment).toMatch(/^servicedb ServiceCore of /);
    for (const r of Object.values(chain.roles)) expect(r.comment).toBeNull();
}

if (missing) {
    skipSuite("end-to-end (conformance: core resources and core single leave the same catalog)", missing);
} else {
    beforeAll(() => dropLeftovers(PREFIX), 120_000);
    afterAll(() => dropLeftovers(PREFIX), 120_000);

    test("the machine's server: the same catalog from both cores", async () => {
        await conformance("{ host: 127.0.0.1, port: 5432, sslmode: disable, maxConnections: 100, reservedConnections: 10, parallelism: 2 }",
            undefined, (database) => ({ ...ADMIN, database }));
    }, 1_800_000);

    describe("a managed-like server", () => {
        let cluster: ManagedCluster;
        beforeAll(async () => { cluster = await startManagedCluster(); }, 120_000);
        afterAll(() => cluster?.stop());

        test("TLS verify-full, SCRAM, admin without superuser: the same catalog from both cores", async () => {
            await conformance(`{ host: 127.0.0.1, port: ${cluster.port}, adminUser: ${cluster.adminUser}, sslmode: verify-full, sslrootcert: ${cluster.caFile}, superuser: false, maxConnections: 60, reservedConnections: 10, parallelism: 2 }`,
                cluster.adminPassword, cluster.superuserConfig);
        }, 1_800_000);
    });
}
