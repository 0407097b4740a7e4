/**
 * End to end: 30 services in one cluster, deployed at `--parallel` 1, 8 and 64. Each `up` must
 * finish (a hang fails at the deadline with the resources in progress), a preview right after it
 * must show no change, and destroy must leave nothing behind. While each `up` runs, the
 * provider's connections to the server are sampled: never more than 2 × the cluster's
 * parallelism, whatever the engine's `--parallel` (src/pool.ts). On the resource chain; the
 * default core's bound is in core.e2e.test.ts.
 */
import { execFileSync } from "child_process";
import { engineMissing, projectCopy, skipSuite } from "./engine";
import { processesIn } from "./deadline";
import { dropLeftovers, leftovers } from "./server";
import { providerPeakConnections } from "../../src/pool";

const missing = engineMissing(["postgresql", "random"]);
const SERVICES = 30;
const PARALLELISM = 4;
const PREFIX = "sdb_par_";
const name = (i: number) => `${PREFIX}${String(i).padStart(2, "0")}`;

const stackYaml = () => [
    "config:",
    // The resource chain and its provider's pool (the default core's bound: core.e2e.test.ts).
    "  servicedb:core: resources",
    "  servicedb:clusters:",
    `    local: { host: 127.0.0.1, port: 5432, sslmode: disable, maxConnections: 100, reservedConnections: 10, parallelism: ${PARALLELISM} }`,
    "  servicedb:services:",
    ...Array.from({ length: SERVICES }, (_, i) => {
        const extra = i % 5 === 0 ? ", readers: true, schemas: [public, app]" : i % 7 === 3 ? ", extensions: [pgcrypto]" : "";
        return `    par-${i}: { cluster: local, database: ${name(i)}, role: ${name(i)}, connectionLimit: 2${extra} }`;
    }),
].join("\n") + "\n";

/**
 * Established TCP connections to :5432 held right now by this deployment's postgresql provider
 * (a plugin process running in the project copy `dir`; other suites' providers are not counted).
 */
function providerConnections(dir: string): number {
    const mine = new Set(processesIn(dir));
    const out = execFileSync("ss", ["-Htnp", "state", "established", "( dport = :5432 )"], { encoding: "utf8" });
    return out.split("\n").filter((l) => l.includes("pulumi-resource") && [...l.matchAll(/pid=(\d+)/g)].some((m) => mine.has(Number(m[1])))).length;
}

if (missing) {
    skipSuite("end-to-end (30 services in one cluster at --parallel 1, 8, 64)", missing);
} else {
    describe(`${SERVICES} services in one cluster`, () => {
        beforeAll(() => dropLeftovers(PREFIX), 120_000);
        afterAll(() => dropLeftovers(PREFIX), 120_000);

        test.each([1, 8, 64])("--parallel %i: up finishes, a preview is clean, destroy leaves nothing", async (parallel) => {
            const ws = await projectCopy("e2eparallel", stackYaml());
            let peak = 0;
            const sampler = setInterval(() => { peak = Math.max(peak, providerConnections(ws.dir)); }, 100);
            try {
                const up = await ws.up({ parallel });
                clearInterval(sampler);
                expect(up.summary.result).toBe("succeeded");
                expect((await leftovers(PREFIX)).databases).toHaveLength(SERVICES);
                await ws.preview({ expectNoChanges: true, parallel });
                await ws.destroy({ parallel });
                expect(await leftovers(PREFIX)).toEqual({ databases: [], roles: [] });
                process.stdout.write(`parallel ${parallel}: provider connections peaked at ${peak} (bound ${providerPeakConnections(PARALLELISM)})\n`);
                expect(peak).toBeLessThanOrEqual(providerPeakConnections(PARALLELISM));
                expect(peak).toBeGreaterThan(0);
            } finally {
                clearInterval(sampler);
                ws.cleanup();
            }
        }, 1_900_000);
    });
}
