/**
 * The isolation checks, run with each service's own credentials against the live server.
 * Every check returns pass / fail / skip with a reason that names what it saw.
 *
 * Cost grows with the number of services N, not N²: one session per service (session.ts) proves
 * its login and asks the server's privilege functions about every other service on its server;
 * real refused connection attempts are made for a ring and a seeded sample of pairs, for every
 * pair the catalog cannot settle (matrix.ts), and for all N×(N-1) pairs with `fullMatrix`.
 * All connections share one ConnectionBudget (budget.ts).
 */
import { randomInt } from "crypto";
import { withConnection } from "../connect";
import { BudgetStats, ConnectionBudget, connectionKeys } from "./budget";
import { AttemptOutcome, TIMEOUT, canConnect, configOf, serverOf } from "./connections";
import { inspectMaintenance, judgeCrossRead } from "./crossRead";
import { fallbackPairs, judgeOtherDatabases } from "./matrix";
import { ServiceUnderTest } from "./outputs";
import { Pair, pairKey, planAttempts } from "./pairs";
import { CHECKS, CheckResult, result } from "./results";
import { inspectOwn, noSession } from "./session";
import { checkReads } from "./reads";

export { CHECKS, CheckName, CheckResult, Outcome } from "./results";

export interface VerifyOptions {
    /** Admin URL for the SCRAM check (reads pg_authid). Optional. */
    readonly adminUrl?: string;
    /** Connections open at once, in total. Defaults to 8. */
    readonly concurrency?: number;
    /** Maintenance database probed as an extra path. Defaults to "postgres". */
    readonly maintenanceDatabase?: string;
    /** Try every pair for real (the N×N matrix) instead of a sample. */
    readonly fullMatrix?: boolean;
    /** Random same-server pairs tried for real on top of the ring. Defaults to 10. */
    readonly samplePairs?: number;
    /** Seed of the random pairs. Defaults to a random one (reported). */
    readonly seed?: number;
}

export interface MatrixSummary {
    readonly mode: "fast" | "full";
    readonly pairs: number;
    /** Real attempts, by why they were made. */
    readonly ring: number;
    readonly random: number;
    readonly crossServer: number;
    readonly fallback: number;
    readonly attempts: number;
    readonly seed: number;
}

export interface VerifyRun {
    readonly results: CheckResult[];
    readonly matrix: MatrixSummary;
    readonly connections: BudgetStats & { readonly limit: number };
}

async function checkPasswords(all: readonly ServiceUnderTest[], adminUrl: string | undefined, budget: ConnectionBudget): Promise<CheckResult[]> {
    if (!adminUrl) return all.map((s) => result(s.service, "password", "skip", "needs --admin-url to read pg_authid"));
    const rows = await budget.use(["admin"], () => withConnection({ connectionString: adminUrl, connectionTimeoutMillis: TIMEOUT }, (c) =>
        c.query("SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1)", [all.map((s) => s.username)])))
        .catch((e: unknown) => {
            // A managed server's admin is no superuser: pg_authid is not readable there.
            if ((e as { code?: string }).code === "42501") return undefined;
            throw e;
        });
    if (!rows) return all.map((s) => result(s.service, "password", "skip", "the admin cannot read pg_authid (no superuser, as on managed servers)"));
    const byRole = new Map(rows.rows.map((r) => [r.rolname as string, r.rolpassword as string | null]));
    return all.map((s) => {
        const pw = byRole.get(s.username);
        if (pw?.startsWith("SCRAM-SHA-256$")) return result(s.service, "password", "pass", "stored as SCRAM-SHA-256");
        return result(s.service, "password", "fail", pw ? `stored as ${pw.startsWith("md5") ? "md5" : "plain text"}, not SCRAM-SHA-256` : "role has no password");
    });
}

const NETWORK = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * The first server (host:port) that cannot be reached at all, as the error that says so; a
 * refused login is not this (that is a check result).
 */
export async function unreachableServer(all: readonly ServiceUnderTest[]): Promise<unknown> {
    const servers = [...new Map(all.map((s) => [serverOf(s), s])).values()];
    for (const s of servers) {
        try {
            await withConnection(configOf(s), async () => undefined);
        } catch (e) {
            const code = (e as { code?: string }).code;
            if ((code && NETWORK.has(code)) || /timeout/i.test((e as Error).message)) return e;
        }
    }
    return undefined;
}

/** All checks for all services, in CHECKS order per service. */
export async function verifyServices(all: readonly ServiceUnderTest[], opts: VerifyOptions = {}): Promise<VerifyRun> {
    const budget = new ConnectionBudget(opts.concurrency ?? 8);
    const maintenanceDb = opts.maintenanceDatabase ?? "postgres";
    const seed = opts.seed ?? randomInt(2 ** 31 - 1);
    const plan = planAttempts(all.map(serverOf), { full: opts.fullMatrix ?? false, extra: opts.samplePairs ?? 10, seed });
    const attempts = new Map<string, AttemptOutcome>();
    const attempt = (p: Pair) => {
        const [a, b] = [all[p.from], all[p.to]];
        return budget.use(connectionKeys(serverOf(b), a.username, b.database), () => canConnect(configOf(a, { host: b.host, port: b.port, database: b.database })))
            .then((o) => { attempts.set(pairKey(p), o); });
    };
    // Sessions are queued first: what they learn decides the (few) attempts of the second round.
    const sessions = all.map((s) => {
        const peers = all.filter((o) => o !== s && serverOf(o) === serverOf(s));
        return budget.use(connectionKeys(serverOf(s), s.username, s.database), () => withConnection(configOf(s), (c) => inspectOwn(c, s, peers, maintenanceDb)))
            .catch((e: unknown) => noSession(s, e));
    });
    const [facts, , passwords] = await Promise.all([Promise.all(sessions), Promise.all(plan.real.map(attempt)), checkPasswords(all, opts.adminUrl, budget)]);
    const fallback = fallbackPairs(all, facts, new Set(attempts.keys()));
    const [, maintenance] = await Promise.all([Promise.all(fallback.map(attempt)), inspectMaintenance(all, facts, maintenanceDb, budget)]);

    const reads = await checkReads(all, budget);
    const results = [...facts.flatMap((f) => f.results), ...judgeOtherDatabases(all, facts, attempts), ...judgeCrossRead(all, facts, maintenance, maintenanceDb), ...reads, ...passwords];
    const byKey = new Map(results.map((r) => [`${r.service}\0${r.check}`, r]));
    return {
        // In CHECKS order per service; the pooler's checks are added by the caller (src/verify/pooler.ts).
        results: all.flatMap((s) => CHECKS.flatMap((c) => byKey.get(`${s.service}\0${c}`) ?? [])),
        matrix: {
            mode: opts.fullMatrix ? "full" : "fast", pairs: all.length * (all.length - 1), ring: plan.ring, random: plan.random,
            crossServer: plan.crossServer, fallback: fallback.length, attempts: attempts.size, seed,
        },
        connections: { ...budget.snapshot(), limit: budget.limit },
    };
}
