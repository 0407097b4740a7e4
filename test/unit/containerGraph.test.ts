import { ADMIN_PASSWORD_SYNC } from "../../components/postgresContainer";
import { ProgramRun, runProgram, valueOf } from "./harness";
import { T } from "./fixtures";
import type { ServiceConnection } from "../../components/platform";

// The dev stack's containers (three: the two indexers' and "shared", the stand-in for a shared
// cluster) with the resource chain (the default core, single, on containers is in
// serviceCore.test.ts): a postgresql provider per container, its services on it.
describe("container mode (the dev stack, core resources)", () => {
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
        run = await runProgram({ ...config, "servicedb:core": "resources" }, secretKeys);
    });

    test("one explicit Docker provider and one network for the stack; every Docker resource uses the provider", () => {
        expect(run.ofType(D.provider).map((p) => p.name)).toEqual(["docker"]);
        expect(run.get(D.network, "test-network").inputs).toMatchObject({ name: "servicedb-test" });
        const ref = run.get(D.provider, "docker").urn;
        const dockerResources = run.resources.filter((r) => r.type.startsWith("docker:"));
        // The network, then a volume, an image and a container per server.
        expect(dockerResources).toHaveLength(1 + 3 * 3);
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
            healthcheck: { tests: ["CMD-SHELL", ADMIN_PASSWORD_SYNC], interval: "2s", timeout: "10s", retries: 30, startPeriod: "10s" },
            wait: true,
            waitTimeout: 120,
            restart: "unless-stopped",
            memory: 1024,
            memorySwap: 1024,
            networksAdvanced: [{ name: "servicedb-test", aliases: ["k-indexer"] }],
        });
        expect(run.get(D.container, "simply-kaspa-indexer").inputs).toMatchObject({ ports: [{ internal: 5432, external: 5434, ip: "127.0.0.1" }] });
        expect(run.get(D.container, "simply-kaspa-indexer").inputs.memorySwap).toBeUndefined();
    });

    test("the healthcheck proves a TCP server, then sets the admin password from the container's own env, once", () => {
        expect(ADMIN_PASSWORD_SYNC.startsWith("pg_isready -q -h 127.0.0.1 ")).toBe(true);
        expect(ADMIN_PASSWORD_SYNC).toContain(`-v pw="$POSTGRES_PASSWORD"`);
        expect(ADMIN_PASSWORD_SYNC).toContain("PASSWORD :'pw'");
        expect(ADMIN_PASSWORD_SYNC).toContain("test -f /tmp/servicedb-admin-password ||");
        expect(ADMIN_PASSWORD_SYNC).not.toMatch(/Pw0rd/);
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
        expect(run.get(T.database, "notifications-db").provider.startsWith(`${run.get(T.provider, "shared-provider").urn}::`)).toBe(true);
    });

    test("outputs: the container's port on 127.0.0.1, the container as cluster", async () => {
        const db = (run.exports.databases as Record<string, ServiceConnection>)["simply-kaspa-indexer"];
        expect(db.cluster).toBe("simply-kaspa-indexer");
        expect(await valueOf(db.url)).toBe("postgresql://simply_kaspa_indexer:Pw0rdFromMocks0123456789abcdefghijKLMNOP@127.0.0.1:5434/simply_kaspa?sslmode=disable");
    });

    test("both indexers migrate their own vars and blocks tables", () => {
        const files = (svc: string) => (run.get("servicedb:migrations:ServiceMigrations", `${svc}-migrations`).inputs.sources as Record<string, string>)["V002__create_blocks.sql"];
        expect(files("k-indexer")).toMatch(/CREATE TABLE blocks \(\s+block_hash/);
        expect(files("simply-kaspa-indexer")).toMatch(/CREATE TABLE blocks \(\s+hash\s+bytea PRIMARY KEY,\s+accepted_id_merkle_root/);
    });
});

test("PostgreSQL 18 images mount the volume at /var/lib/postgresql", async () => {
    const run = await runProgram({ "servicedb:clusters": {}, "servicedb:services": { a: { container: { image: "postgres:18" } } } });
    expect(run.get("docker:index/container:Container", "a").inputs.volumes).toEqual([{ volumeName: "servicedb-test-a-data", containerPath: "/var/lib/postgresql" }]);
});
