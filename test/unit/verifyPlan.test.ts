/** verify's pure parts: which pairs are tried for real, the connection budget, the no-other-db verdict. */
import { ConnectionBudget } from "../../src/verify/budget";
import { wholeNumber } from "../../src/cli/values";
import { fallbackPairs, judgeOtherDatabases } from "../../src/verify/matrix";
import { ServiceUnderTest } from "../../src/verify/outputs";
import { Pair, pairKey, planAttempts, roundsOf } from "../../src/verify/pairs";
import { describeMatrix } from "../../src/verify/report";
import { SessionFacts } from "../../src/verify/session";

const keys = (ps: readonly Pair[]) => ps.map(pairKey);

describe("planAttempts", () => {
    const one = (n: number) => Array.from({ length: n }, () => "db:5432");

    test("the ring makes every service a source once and a target once; the random draws are distinct, new and seeded", () => {
        const plan = planAttempts(one(50), { full: false, extra: 10, seed: 42 });
        const ring = plan.real.slice(0, plan.ring);
        expect(plan).toMatchObject({ ring: 50, random: 10, crossServer: 0, sameServer: 50 * 49 });
        expect(new Set(ring.map((p) => p.from)).size).toBe(50);
        expect(new Set(ring.map((p) => p.to)).size).toBe(50);
        expect(ring.every((p) => p.from !== p.to)).toBe(true);
        expect(new Set(keys(plan.real)).size).toBe(60);
        expect(keys(planAttempts(one(50), { full: false, extra: 10, seed: 42 }).real)).toEqual(keys(plan.real));
        expect(keys(planAttempts(one(50), { full: false, extra: 10, seed: 43 }).real)).not.toEqual(keys(plan.real));
    });

    test("--full-matrix tries every ordered pair once", () => {
        const plan = planAttempts(one(7), { full: true, extra: 10, seed: 1 });
        expect(plan.real).toHaveLength(42);
        expect(new Set(keys(plan.real)).size).toBe(42);
    });

    test("more random draws than pairs left: all of them, no more", () => {
        expect(planAttempts(one(3), { full: false, extra: 100, seed: 1 })).toMatchObject({ ring: 3, random: 3 });
    });

    test("pairs across servers are always tried; a lone service on its server has no ring", () => {
        const plan = planAttempts(["a:1", "a:1", "b:2"], { full: false, extra: 0, seed: 1 });
        expect(plan).toMatchObject({ ring: 2, random: 0, crossServer: 4, sameServer: 2 });
        expect(keys(plan.real).sort()).toEqual(["0>1", "0>2", "1>0", "1>2", "2>0", "2>1"]);
    });

    test("a round uses no source and no target twice (so its attempts can run side by side)", () => {
        const rounds = roundsOf([0, 1, 2, 3, 4]);
        for (let r = 0; r < 4; r++) {
            const round = rounds.slice(r * 5, r * 5 + 5);
            expect(new Set(round.map((p) => p.from)).size).toBe(5);
            expect(new Set(round.map((p) => p.to)).size).toBe(5);
        }
    });
});

describe("ConnectionBudget", () => {
    test("never more than the limit at once, never two jobs on one key, every job runs", async () => {
        const budget = new ConnectionBudget(3);
        let now = 0, most = 0;
        const held = new Set<string>();
        const jobs = Array.from({ length: 60 }, (_, i) => [`role:${i % 5}`, `db:${(i * 7) % 4}`]);
        const done = await Promise.all(jobs.map((k, i) => budget.use(k, async () => {
            for (const x of k) { expect(held.has(x)).toBe(false); held.add(x); }
            most = Math.max(most, ++now);
            await new Promise((r) => setTimeout(r, i % 3));
            now--;
            for (const x of k) held.delete(x);
            return i;
        })));
        expect(done).toEqual(jobs.map((_, i) => i));
        expect(most).toBeLessThanOrEqual(3);
        expect(budget.snapshot()).toEqual({ opened: 60, peak: most, peakPerKey: 1 });
    });

    test("a failing job frees its place", async () => {
        const budget = new ConnectionBudget(1);
        await expect(budget.use(["k"], () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
        await expect(budget.use(["k"], async () => "next")).resolves.toBe("next");
    });

    test("a limit below 1 is refused", () => {
        expect(() => new ConnectionBudget(0)).toThrow("connection budget: limit must be a whole number ≥ 1, got 0");
    });
});

describe("judgeOtherDatabases", () => {
    const svc = (name: string, port = 5432): ServiceUnderTest => ({ service: name, cluster: "c", host: "h", port, database: `${name}_db`, username: name, password: "p", url: "postgresql://x", schemas: ["public"] });
    const all = [svc("a"), svc("b"), svc("c")];
    const facts = (connect: Record<string, boolean>, loggedIn = true): SessionFacts => ({ loggedIn, results: [], connect: new Map(Object.entries(connect)), exposures: new Map() });
    const denied = facts({ a_db: false, b_db: false, c_db: false });

    test("the catalog denying CONNECT settles the pairs nobody tried", () => {
        const r = judgeOtherDatabases(all, [denied, denied, denied], new Map([["0>1", { ok: false, error: "permission denied" }]]));
        expect(r.map((x) => x.outcome)).toEqual(["pass", "pass", "pass"]);
        expect(r[0].reason).toBe("refused by all 2 other databases (1 real attempt refused; the privilege catalog denies CONNECT on 2)");
    });

    test("a CONNECT the catalog grants fails even when the attempt was refused", () => {
        const grants = facts({ b_db: true, c_db: false });
        const r = judgeOtherDatabases(all, [grants, denied, denied], new Map([["0>1", { ok: false, error: "pg_hba.conf rejects connection" }]]));
        expect(r[0]).toMatchObject({ outcome: "fail", reason: "has CONNECT on database b_db of service b (the attempt was refused: pg_hba.conf rejects connection, but the grant is one pg_hba.conf line from a leak; revoke it)" });
    });

    test("a real connection the catalog denied says the fast path cannot be trusted", () => {
        const r = judgeOtherDatabases(all, [denied, denied, denied], new Map([["2>0", { ok: true }]]));
        expect(r[2].reason).toBe("connected to database a_db of service a, although the catalog denies CONNECT (the fast path cannot be trusted on this server: use --full-matrix)");
    });

    test("no login, a database missing from the catalog, or a grant: those pairs go to real attempts", () => {
        const f = [facts({}, false), facts({ a_db: false }), facts({ a_db: true, b_db: false })];
        expect(keys(fallbackPairs(all, f, new Set(["0>1"]))).sort()).toEqual(["0>2", "1>2", "2>0"]);
        expect(judgeOtherDatabases(all, f, new Map())[0].reason).toMatch(/neither tried nor judged by the catalog/);
    });
});

test("the matrix line names the seed that reproduces the sample", () => {
    expect(describeMatrix({ mode: "fast", pairs: 2450, ring: 50, random: 10, crossServer: 0, fallback: 1, attempts: 61, seed: 99 }))
        .toBe("matrix: 2450 pairs judged by the server's privilege catalog; 61 tried for real: ring 50, 10 random (seed 99), 1 the catalog could not settle or grants (all pairs: --full-matrix; this sample again: --seed 99)");
    expect(wholeNumber("--seed", "12", 0)).toBe(12);
    expect(() => wholeNumber("--concurrency", "1e3", 1)).toThrow('--concurrency takes a whole number ≥ 1, got "1e3"');
});
