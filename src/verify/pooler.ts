/**
 * Isolation through the pooler: with each service's own credentials, its `pooledUrl` reaches its
 * own database, and the same login is refused by every other database behind the same PgBouncer.
 * A separate module so that `verify` can add these checks with one call:
 *
 *   results.push(...await verifyThroughPooler(services, pooledUrlsFrom(outputsDocument), { concurrency }));
 */
import { withConnection } from "../connect";
import { Outcome } from "./checks";
import { mapBounded } from "../concurrency";
import { ServiceUnderTest } from "./outputs";

export const POOLER_CHECKS = ["pooled-login", "pooled-no-other-db"] as const;
export type PoolerCheckName = (typeof POOLER_CHECKS)[number];

export interface PoolerCheckResult {
    readonly service: string;
    readonly check: PoolerCheckName;
    readonly outcome: Outcome;
    readonly reason: string;
}

const TIMEOUT = 10_000;

/** service → pooledUrl, from `pulumi stack output --json --show-secrets` (services without one are absent). */
export function pooledUrlsFrom(doc: unknown): Map<string, string> {
    const databases = (doc as { databases?: unknown } | null)?.databases;
    if (typeof databases !== "object" || databases === null) return new Map();
    return new Map(Object.entries(databases as Record<string, unknown>).flatMap(([service, entry]) => {
        const url = (entry as { pooledUrl?: unknown } | null)?.pooledUrl;
        return typeof url === "string" && url !== "[secret]" ? [[service, url] as [string, string]] : [];
    }));
}

/** The pooler a URL points at (host:port): only databases behind the same one are probed. */
function poolerOf(url: string): string {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}`;
}

function withDatabase(url: string, database: string): string {
    const u = new URL(url);
    u.pathname = `/${encodeURIComponent(database)}`;
    return u.toString();
}

const result = (service: string, check: PoolerCheckName, outcome: Outcome, reason: string): PoolerCheckResult => ({ service, check, outcome, reason });

async function checkLogin(s: ServiceUnderTest, url: string): Promise<PoolerCheckResult> {
    try {
        const row = await withConnection({ connectionString: url, connectionTimeoutMillis: TIMEOUT }, async (c) =>
            (await c.query("SELECT current_database() AS db, session_user AS login")).rows[0] as { db: string; login: string });
        return row.db === s.database && row.login === s.username
            ? result(s.service, "pooled-login", "pass", `logged in through ${poolerOf(url)} to ${row.db} as ${row.login}`)
            : result(s.service, "pooled-login", "fail", `through ${poolerOf(url)} landed in ${row.db} as ${row.login}, expected ${s.database} as ${s.username}`);
    } catch (e) {
        return result(s.service, "pooled-login", "fail", `cannot log in through ${poolerOf(url)}: ${(e as Error).message}`);
    }
}

async function checkOthers(s: ServiceUnderTest, url: string, others: readonly ServiceUnderTest[], concurrency: number): Promise<PoolerCheckResult> {
    if (others.length === 0) return result(s.service, "pooled-no-other-db", "skip", `no other service's database is behind ${poolerOf(url)}`);
    const reached = await mapBounded(others, concurrency, async (o) => {
        try {
            await withConnection({ connectionString: withDatabase(url, o.database), connectionTimeoutMillis: TIMEOUT }, async () => undefined);
            return o.database;
        } catch {
            return undefined;
        }
    });
    const leaks = reached.filter((d): d is string => d !== undefined);
    return leaks.length
        ? result(s.service, "pooled-no-other-db", "fail", `${s.username} reaches ${leaks.join(", ")} through ${poolerOf(url)}`)
        : result(s.service, "pooled-no-other-db", "pass", `refused by ${others.length} other database(s) behind ${poolerOf(url)}`);
}

export async function verifyThroughPooler(services: readonly ServiceUnderTest[], pooled: ReadonlyMap<string, string>, opts: { concurrency?: number } = {}): Promise<PoolerCheckResult[]> {
    const concurrency = opts.concurrency ?? 8;
    const perService = await mapBounded(services, Math.max(1, Math.floor(concurrency / 2)), async (s): Promise<PoolerCheckResult[]> => {
        const url = pooled.get(s.service);
        if (url === undefined) return POOLER_CHECKS.map((check) => result(s.service, check, "skip", "its server has no pooler"));
        const others = services.filter((o) => o.service !== s.service && pooled.has(o.service) && poolerOf(pooled.get(o.service) as string) === poolerOf(url));
        return [await checkLogin(s, url), await checkOthers(s, url, others, concurrency)];
    });
    return perService.flat();
}
