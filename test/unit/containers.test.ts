import { dataDirectory, familyOf, majorFromImage, missingExtensions, splitImage } from "../../src/images";
import { assignPorts } from "../../src/ports";
import { findProblems, planPlatform } from "../../src/plan";
import { formatProblem } from "../../src/problems";

const problemsOf = (services: unknown, clusters: unknown = {}, extra: Record<string, unknown> = {}) =>
    findProblems({ clusters, services, clustersAreSecret: false, stack: "dev", ...extra }).problems.map(formatProblem);

describe("images", () => {
    test.each([
        ["postgres:16", 16], ["postgres:16.4-bookworm", 16], ["postgres:18", 18], ["docker.io/library/postgres:15-alpine", 15],
        ["timescale/timescaledb:latest-pg16", 16], ["timescale/timescaledb:2.17.2-pg17", 17], ["pgvector/pgvector:pg16", 16],
        ["postgis/postgis:16-3.4", 16], ["postgres", undefined], ["postgres:latest", undefined], ["registry:5000/team/pg:14", 14],
    ])("%s → PostgreSQL %s", (image, major) => {
        expect(majorFromImage(image)).toBe(major);
    });
    test("split and families", () => {
        expect(splitImage("registry:5000/team/pg:14")).toEqual({ repo: "registry:5000/team/pg", tag: "14" });
        expect(splitImage("docker.io/library/postgres")).toEqual({ repo: "postgres", tag: "latest" });
        expect(familyOf("timescale/timescaledb:latest-pg16")?.name).toBe("timescaledb");
        expect(familyOf("bitnami/postgresql:16")).toBeUndefined();
    });
    test("PostgreSQL 18 images keep data one level up", () => {
        expect(dataDirectory(17)).toBe("/var/lib/postgresql/data");
        expect(dataDirectory(18)).toBe("/var/lib/postgresql");
    });
    test("extensions per family", () => {
        expect(missingExtensions("timescale/timescaledb:latest-pg16", ["timescaledb", "pgcrypto", "vector"])).toEqual(["vector"]);
        expect(missingExtensions("pgvector/pgvector:pg16", ["vector", "uuid-ossp"])).toEqual([]);
        expect(missingExtensions("bitnami/postgresql:16", ["vector"])).toBeUndefined();
    });
});

describe("ports", () => {
    test("the same containers always get the same ports; explicit ones are kept", () => {
        const cs = [{ name: "search" }, { name: "k-indexer", port: 5433 }, { name: "orders" }];
        const a = assignPorts(cs, 5433);
        expect(assignPorts([...cs].reverse(), 5433)).toEqual(a);
        expect(a.get("k-indexer")).toBe(5433);
        const others = [a.get("search"), a.get("orders")] as number[];
        for (const p of others) expect(p).toBeGreaterThanOrEqual(5433);
        for (const p of others) expect(p).toBeLessThan(6433);
        expect(new Set([...a.values()]).size).toBe(3);
    });
    test("adding a container does not move the others unless they clash", () => {
        const before = assignPorts([{ name: "a" }, { name: "b" }], 20000);
        const after = assignPorts([{ name: "a" }, { name: "b" }, { name: "c" }], 20000);
        expect([after.get("a"), after.get("b")]).toEqual([before.get("a"), before.get("b")]);
    });
});

describe("container placement", () => {
    test("defaults: the official image at a pinned major, a hashed port, a named volume", () => {
        const spec = planPlatform({ clusters: {}, services: { orders: { container: {} } }, clustersAreSecret: false, stack: "dev" });
        expect(spec.containers).toEqual([{
            name: "orders", image: "postgres:17", version: 17, port: expect.any(Number), volume: "servicedb-dev-orders-data",
            memory: undefined, removeVolumeOnDestroy: false, maxConnections: 100, reservedConnections: 10, parallelism: 4, services: ["orders"],
        }]);
        expect(spec.services[0]).toMatchObject({ placement: "container", cluster: "orders" });
        expect(spec.containers[0].port).toBe(planPlatform({ clusters: {}, services: { orders: { container: true } }, clustersAreSecret: false }).containers[0].port);
    });

    test("a named group shares one container", () => {
        const spec = planPlatform({ clusters: {}, clustersAreSecret: false, services: {
            a: { container: { name: "small", port: 5500 } }, b: { container: { name: "small" } },
        } });
        expect(spec.containers.map((c) => [c.name, c.port, c.services])).toEqual([["small", 5500, ["a", "b"]]]);
    });

    test("both cluster and container, or neither", () => {
        expect(problemsOf({ a: { cluster: "main", container: {} }, b: {} }, { main: { host: "h" } })).toEqual([
            `service "a", field "container": is set together with cluster; a service lives either in a shared cluster or in its own container. Fix: remove servicedb:services.a.cluster or servicedb:services.a.container.`,
            `service "b", field "cluster": is required. Fix: set servicedb:services.b.cluster.`,
            `service "b", field "cluster": names no cluster (and no container). Fix: use one of "main", or add servicedb:clusters.<name>, or give the service its own server with container: {}.`,
        ]);
    });

    test("ports outside 1024–65535 and two containers on one port", () => {
        expect(problemsOf({ a: { container: { port: 80 } }, b: { container: { port: 5433 } }, c: { container: { port: 5433 } } })).toEqual([
            `service "a", field "container.port": must be a whole number from 1024 to 65535, got 80. Fix: set servicedb:services.a.container.port to a free port from 1024 to 65535.`,
            `service "c", field "container.port": container "c" uses port 5433, like container "b" (service "b"). Fix: pick another container.port (from 1024 to 65535).`,
        ]);
    });

    test("an extension the image does not ship, with the image that does", () => {
        expect(problemsOf({ search: { container: { image: "timescale/timescaledb:latest-pg16" }, extensions: ["timescaledb", "vector"] } })).toEqual([
            `service "search", field "extensions": "vector" is not shipped by image timescale/timescaledb:latest-pg16. Fix: use an image that ships it, e.g. container.image: pgvector/pgvector:pg16, or remove it.`,
        ]);
    });

    test("an unknown image family is allowed, with a warning that its extensions are not checked", () => {
        const { problems, warnings } = findProblems({ clusters: {}, clustersAreSecret: false, services: { a: { container: { image: "bitnami/postgresql:16" }, extensions: ["vector"] } } });
        expect(problems).toEqual([]);
        expect(warnings).toEqual([`service "a": image bitnami/postgresql:16 is not a family servicedb knows (postgres, timescaledb, pgvector, postgis); its extensions vector are not checked before deploy`]);
    });

    test("volume clashes, conflicting group settings, versions that disagree or cannot be read", () => {
        expect(problemsOf({
            a: { container: { volume: "pgdata" } },
            b: { container: { volume: "pgdata" } },
            c: { container: { name: "g", image: "postgres:16" } },
            d: { container: { name: "g", image: "postgres:17" } },
            e: { container: { image: "postgres:16", version: 15 } },
            f: { container: { image: "myorg/pg:stable" } },
        })).toEqual([
            `service "b", field "container.volume": container "b" uses volume pgdata, like container "a" (service "a"). Fix: give one of them another container.volume.`,
            `service "d", field "container.image": is "postgres:17", but service "c" gives container "g" "postgres:16". Fix: give every service of container "g" the same image, or set it on one of them only.`,
            `service "e", field "container.version": is 15, but image postgres:16 is PostgreSQL 16. Fix: drop container.version or make it 16.`,
            `service "f", field "container.version": cannot be read from the tag of image myorg/pg:stable, and it decides the data directory. Fix: set container.version to the image's PostgreSQL major version, e.g. 16.`,
        ]);
    });

    test("a container named like a cluster; a container's connection budget", () => {
        expect(problemsOf({
            a: { container: { name: "main" } },
            b: { container: { name: "big" }, connectionLimit: 60 },
            c: { container: { name: "big" }, connectionLimit: 40 },
        }, { main: { host: "h" } })).toEqual([
            `service "a", field "container.name": container "main" has the name of a cluster. Fix: give the container another name (container.name).`,
            `container "big", field "maxConnections": the services' connection limits (b=60 + c=40 = 100) plus reservedConnections (10) need 110, but maxConnections is 100. Fix: lower some services' connectionLimit by 10 in total, or give some of them a container of their own.`,
        ]);
    });
});
