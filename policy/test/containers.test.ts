import { containerDataVolume, containerPorts, dataVolumeProblems, isPostgres } from "../src/containers";
import { TYPES } from "../src/resources";
import { Fake, runResource, UNKNOWN_STRING } from "./fakes";

const docker: Fake = { type: TYPES.dockerProvider, name: "docker", props: {} };
// As components/postgresContainer.ts declares it.
const props = {
    name: "servicedb-dev-k-indexer", image: "sha256:0123", envs: ["POSTGRES_PASSWORD=secret-from-random", "POSTGRES_USER=postgres"],
    ports: [{ internal: 5432, external: 5433, ip: "127.0.0.1" }],
    volumes: [{ volumeName: "servicedb-dev-k-indexer-data", containerPath: "/var/lib/postgresql/data" }],
};
const container = (p: Record<string, unknown> = {}): Fake => ({ type: TYPES.container, name: "k-indexer", provider: docker, props: { ...props, ...p } });

describe("docker-container-loopback-ports", () => {
    test("servicedb's container passes", async () => {
        expect(await runResource(containerPorts, container())).toEqual([]);
    });

    test("a port on every interface (ip unset or 0.0.0.0) is reported with the fix", async () => {
        const expected = "docker.Container \"k-indexer\" (servicedb-dev-k-indexer): ports[0] publishes 5432 on 0.0.0.0 (every interface) — reachable from the network; set ip: \"127.0.0.1\", or list the address in this policy's allowedAddresses.";
        expect(await runResource(containerPorts, container({ ports: [{ internal: 5432, external: 5433 }] }))).toEqual([expected]);
        expect(await runResource(containerPorts, container({ ports: [{ internal: 5432, external: 5433, ip: "0.0.0.0" }] }))).toEqual([expected]);
    });

    test("allowedAddresses in policy config let a port out; each port is judged on its own", async () => {
        const ports = [{ internal: 5432, ip: "10.0.0.2" }, { internal: 9187, ip: "192.168.1.5" }];
        expect(await runResource(containerPorts, container({ ports }), { allowedAddresses: ["10.0.0.2"] })).toEqual([expect.stringContaining("ports[1] publishes 9187 on 192.168.1.5")]);
    });
});

describe("docker-postgres-data-volume", () => {
    test("servicedb's container, and a volume one level up (PostgreSQL 18 images), pass", async () => {
        expect(await runResource(containerDataVolume, container())).toEqual([]);
        expect(dataVolumeProblems({ ...props, volumes: [{ volumeName: "v", containerPath: "/var/lib/postgresql" }] })).toEqual([]);
    });

    test("no volume for the data directory is reported; a volume elsewhere does not count", async () => {
        expect(await runResource(containerDataVolume, container({ volumes: [{ volumeName: "logs", containerPath: "/var/log" }] }))).toEqual([
            "docker.Container \"k-indexer\" (servicedb-dev-k-indexer): no volume holds the data directory /var/lib/postgresql/data — the data lives in the container and goes with it on replacement; mount a docker.Volume at /var/lib/postgresql/data (/var/lib/postgresql for PostgreSQL 18 images).",
        ]);
    });

    test("PGDATA decides the data directory; a bind mount counts", () => {
        const custom = { ...props, envs: ["PGDATA=/pgdata/16"], volumes: [{ hostPath: "/srv/pg", containerPath: "/pgdata" }] };
        expect(dataVolumeProblems(custom)).toEqual([]);
        expect(dataVolumeProblems({ ...custom, volumes: props.volumes })).toEqual([expect.stringContaining("no volume holds the data directory /pgdata/16")]);
    });

    test("only PostgreSQL containers are checked; volumes not known yet are not judged", async () => {
        expect(isPostgres({ image: "nginx:1.27", ports: [{ internal: 80 }] })).toBe(false);
        expect(dataVolumeProblems({ image: "nginx:1.27" })).toEqual([]);
        expect(isPostgres({ image: "timescale/timescaledb:latest-pg16" })).toBe(true);
        expect(await runResource(containerDataVolume, container({ volumes: UNKNOWN_STRING }))).toEqual([]);
    });
});
