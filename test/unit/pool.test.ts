/**
 * The provider's pool and the lanes that bound the operations in flight per server (src/pool.ts),
 * and the config checks that refuse a reserve the provider would not fit in.
 */
import { assignLanes, checkProviderReserve, databaseConnectionLimit, providerMaxConnections, providerPeakConnections } from "../../src/pool";
import { findProblems } from "../../src/plan";
import { formatProblem } from "../../src/problems";

describe("lanes", () => {
    test("services are dealt round-robin; each waits for the one a lane-width before it", () => {
        const lanes = assignLanes(["a", "b", "c", "d", "e", "f", "g"], 3);
        expect([...lanes]).toEqual([["a", undefined], ["b", undefined], ["c", undefined], ["d", "a"], ["e", "b"], ["f", "c"], ["g", "d"]]);
    });
    test("parallelism 1 is one chain; more lanes than services means no edges", () => {
        expect([...assignLanes(["a", "b", "c"], 1)]).toEqual([["a", undefined], ["b", "a"], ["c", "b"]]);
        expect([...assignLanes(["a", "b"], 8).values()]).toEqual([undefined, undefined]);
    });
    test("every service is in exactly one lane and no chain is longer than ceil(n / parallelism)", () => {
        for (const [n, p] of [[30, 4], [100, 7], [5, 5], [1, 4]]) {
            const names = Array.from({ length: n }, (_, i) => `s${i}`);
            const lanes = assignLanes(names, p);
            const depth = (s: string): number => { const b = lanes.get(s); return b === undefined ? 1 : 1 + depth(b); };
            expect(lanes.size).toBe(n);
            expect(Math.max(...names.map(depth))).toBe(Math.ceil(n / p));
            expect(names.filter((s) => lanes.get(s) === undefined)).toHaveLength(Math.min(n, p));
        }
    });
});

describe("the provider's pool", () => {
    test("one connection more than the operations in flight; at most two per operation held", () => {
        expect([1, 4, 8].map(providerMaxConnections)).toEqual([2, 5, 9]);
        expect([1, 4, 8].map(providerPeakConnections)).toEqual([2, 8, 16]);
    });
    test("a reserve smaller than the provider's peak is refused with the numbers to fix it", () => {
        expect(checkProviderReserve({ name: "main", parallelism: 4, reservedConnections: 8 })).toEqual([]);
        expect(checkProviderReserve({ name: "main", parallelism: 8, reservedConnections: 10 }).map(formatProblem)).toEqual([
            `cluster "main", field "reservedConnections": is 10, but with parallelism 8 the provider may hold up to 16 connections (2 per operation in flight). Fix: raise reservedConnections to 16, or lower parallelism to 5.`,
        ]);
        expect(checkProviderReserve({ name: "main", parallelism: 1, reservedConnections: 0 }).map(formatProblem)).toEqual([
            `cluster "main", field "reservedConnections": is 0, but with parallelism 1 the provider may hold up to 2 connections (2 per operation in flight). Fix: raise reservedConnections to 2 (the provider needs at least 2).`,
        ]);
    });
    test("the stack config: parallelism is validated and checked against the reserve before anything is declared", () => {
        const problems = (cluster: Record<string, unknown>) => findProblems({ clusters: { main: { host: "h", ...cluster } }, services: { a: { cluster: "main" } }, clustersAreSecret: false }).problems.map(formatProblem);
        expect(problems({})).toEqual([]);
        expect(findProblems({ clusters: { main: { host: "h", parallelism: 2 } }, services: { a: { cluster: "main" } }, clustersAreSecret: false }).spec.clusters[0].parallelism).toBe(2);
        expect(problems({ parallelism: 0 })).toEqual([
            `cluster "main", field "parallelism": must be a whole number from 1 to 32, got 0. Fix: set servicedb:clusters.main.parallelism to the PostgreSQL operations run at once on this server, from 1 to 32 (default 4).`,
        ]);
        expect(problems({ parallelism: 12, reservedConnections: 20, maxConnections: 100 })).toEqual([
            `cluster "main", field "reservedConnections": is 20, but with parallelism 12 the provider may hold up to 24 connections (2 per operation in flight). Fix: raise reservedConnections to 24, or lower parallelism to 10.`,
        ]);
    });
});

describe("the database's connection limit", () => {
    test("the service's limit where the admin is a superuser (not counted); plus the server's admin reserve on managed servers", () => {
        expect(databaseConnectionLimit(10, true, 10)).toBe(10);
        expect(databaseConnectionLimit(10, false, 10)).toBe(20);
        expect(databaseConnectionLimit(3, false, 4)).toBe(7);
    });
});
