/**
 * The resource graph bounds the PostgreSQL operations in flight per server, whatever the engine's
 * `--parallel`: the widest set of a server's PostgreSQL resources that no dependency orders (the
 * most the engine could ever run at once) is at most the server's `parallelism`, and the
 * provider's pool is one larger (src/pool.ts). Width is computed exactly (Dilworth: width =
 * n − maximum matching in the comparability graph).
 */
import { ProgramRun, Registration, runProgram } from "./harness";
import { CHAIN, LOCAL_CLUSTER, T } from "./fixtures";

/** The size of the largest antichain of the dependency order restricted to `nodes`. */
function width(nodes: readonly Registration[], all: readonly Registration[]): number {
    const byUrn = new Map(all.map((r) => [r.urn, r]));
    const reach = new Map<string, Set<string>>();
    const ancestors = (urn: string): Set<string> => {
        const known = reach.get(urn);
        if (known) return known;
        const out = new Set<string>();
        reach.set(urn, out);
        for (const d of byUrn.get(urn)?.dependencies ?? []) { out.add(d); for (const a of ancestors(d)) out.add(a); }
        return out;
    };
    const urns = nodes.map((n) => n.urn);
    const below = urns.map((u) => urns.map((v, j) => (ancestors(v).has(u) ? j : -1)).filter((j) => j >= 0));
    const matchedTo = new Array<number>(urns.length).fill(-1);
    const augment = (i: number, seen: boolean[]): boolean => below[i].some((j) => {
        if (seen[j]) return false;
        seen[j] = true;
        if (matchedTo[j] < 0 || augment(matchedTo[j], seen)) { matchedTo[j] = i; return true; }
        return false;
    });
    let matching = 0;
    for (let i = 0; i < urns.length; i++) if (augment(i, new Array<boolean>(urns.length).fill(false))) matching++;
    return urns.length - matching;
}

function platform(n: number, cluster: Record<string, unknown>): Record<string, unknown> {
    const services = Object.fromEntries(Array.from({ length: n }, (_, i) => [`svc-${i}`, {
        cluster: "main", connectionLimit: 2, ...(i % 3 === 0 ? { readers: true, schemas: ["public", "app"] } : {}), ...(i % 4 === 1 ? { extensions: ["pgcrypto"] } : {}),
    }]));
    return { ...CHAIN, "servicedb:clusters": { main: { ...LOCAL_CLUSTER, maxConnections: 200, ...cluster } }, "servicedb:services": services };
}

const pgOf = (run: ProgramRun) => run.resources.filter((r) => r.type.startsWith("postgresql:"));

describe("operations in flight per server", () => {
    test.each([[20, 1], [20, 4], [12, 7], [20, 8]])("%i services, parallelism %i: width ≤ parallelism, pool = parallelism + 1", async (n, parallelism) => {
        const run = await runProgram(platform(n, { parallelism, reservedConnections: 2 * parallelism }));
        const pg = pgOf(run);
        expect(pg.length).toBeGreaterThan(5 * n);
        expect(width(pg, run.resources)).toBe(Math.min(parallelism, n));
        expect(run.get(T.provider, "main-provider").inputs.maxConnections).toBe(String(parallelism + 1));
    }, 240_000);

    test("the default: four lanes, a pool of five", async () => {
        const run = await runProgram(platform(10, {}));
        expect(width(pgOf(run), run.resources)).toBe(4);
        expect(run.get(T.provider, "main-provider").inputs.maxConnections).toBe("5");
    });

    test("within a service every PostgreSQL resource waits for the one before it", async () => {
        const run = await runProgram(platform(1, { parallelism: 1, reservedConnections: 2 }));
        expect(width(pgOf(run), run.resources)).toBe(1);
        expect(run.dependencyNames(run.get(T.role, "svc-0-reader"))).toEqual(["svc-0-login-b"]);
    });

    test("containers: one lane set per server, each server bounded on its own", async () => {
        const run = await runProgram({
            ...CHAIN,
            "servicedb:services": Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`c-${i}`, { container: { name: i < 5 ? "shared" : "own" } }])),
        });
        const providers = run.ofType(T.provider);
        expect(providers.map((p) => p.name).sort()).toEqual(["own-provider", "shared-provider"]);
        for (const p of providers) {
            const mine = pgOf(run).filter((r) => r.provider.startsWith(`${p.urn}::`));
            expect(width(mine, run.resources)).toBe(p.name === "own-provider" ? 1 : 4);
        }
    });
});
