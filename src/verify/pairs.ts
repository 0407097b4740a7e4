/**
 * Which (source service → target database) pairs verify tries with a real connection attempt.
 * Pure: indices into the service list, a seed, no I/O.
 *
 * Services on the same server form a group. Within a group, the fast path tries a ring (each
 * service once as source, once as target: i → i+1) plus `extra` random other pairs drawn with
 * `seed`; the server's privilege check judges every pair of the group. Pairs across servers are
 * always tried for real: one server's catalog says nothing about another's.
 */

export interface Pair {
    readonly from: number;
    readonly to: number;
}

export interface AttemptPlan {
    /** Pairs tried with a real connection attempt up front. */
    readonly real: Pair[];
    /** How many of `real` are the ring, random draws, and cross-server pairs. */
    readonly ring: number;
    readonly random: number;
    readonly crossServer: number;
    /** Same-server pairs (all of them), judged by the server's privilege check. */
    readonly sameServer: number;
}

/** A small, fast, seeded PRNG (mulberry32): the same seed draws the same pairs. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Groups service indices by server key, in first-seen order. */
export function groupByServer(servers: readonly string[]): number[][] {
    const groups = new Map<string, number[]>();
    servers.forEach((s, i) => groups.set(s, [...(groups.get(s) ?? []), i]));
    return [...groups.values()];
}

/**
 * Every ordered pair of distinct members, in rounds: round k pairs each member i with member
 * i+k, so a round uses every source once and every target once (no two of its attempts share a
 * role or a database).
 */
export function roundsOf(members: readonly number[]): Pair[] {
    const n = members.length;
    const out: Pair[] = [];
    for (let k = 1; k < n; k++) for (let i = 0; i < n; i++) out.push({ from: members[i], to: members[(i + k) % n] });
    return out;
}

function crossServerPairs(groups: readonly number[][]): Pair[] {
    const out: Pair[] = [];
    for (const g of groups) for (const h of groups) if (g !== h) for (const from of g) for (const to of h) out.push({ from, to });
    return out;
}

/** The real attempts of one run: all pairs with `full`, else ring + `extra` random + cross-server. */
export function planAttempts(servers: readonly string[], opts: { full: boolean; extra: number; seed: number }): AttemptPlan {
    const groups = groupByServer(servers);
    const sameServer = groups.reduce((n, g) => n + g.length * (g.length - 1), 0);
    const cross = crossServerPairs(groups);
    if (opts.full) {
        const all = groups.flatMap(roundsOf);
        return { real: [...all, ...cross], ring: 0, random: 0, crossServer: cross.length, sameServer };
    }
    const ring = groups.filter((g) => g.length > 1).flatMap((g) => roundsOf(g).slice(0, g.length));
    const rest = groups.flatMap((g) => roundsOf(g).slice(g.length));
    const random = seededRandom(opts.seed);
    const drawn: Pair[] = [];
    for (let i = 0; i < Math.min(opts.extra, rest.length); i++) {
        const j = i + Math.floor(random() * (rest.length - i));
        [rest[i], rest[j]] = [rest[j], rest[i]];
        drawn.push(rest[i]);
    }
    return { real: [...ring, ...drawn, ...cross], ring: ring.length, random: drawn.length, crossServer: cross.length, sameServer };
}

export const pairKey = (p: Pair): string => `${p.from}>${p.to}`;
