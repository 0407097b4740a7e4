/**
 * Gathers the status of every service: with each service's own login (health, its own sessions,
 * limits, size, migration history) and, for the server an `--admin-url` points at, with the
 * admin (every role's sessions, even of a service whose login is refused, and the server total).
 */
import { GUARD_PARAMETERS, parseSetconfig } from "../guards";
import { ClientConfig } from "pg";
import { withConnection, connectionProblem } from "../connect";
import { MigrationFile } from "../migrations/files";
import { HistoryRow, readHistory } from "../migrations/history";
import { ServiceUnderTest } from "../verify/outputs";
import { mapBounded } from "../concurrency";
import { Sessions, ServiceStatus, StatusReport, effectiveLimit, flagsOf, summarizeMigrations, summarizeServers } from "./model";

export interface CollectOptions {
    readonly adminUrl?: string;
    /** Migration files of a service; undefined when it has no folder. May throw on bad files. */
    readonly migrations: (service: string) => MigrationFile[] | undefined;
    readonly concurrency?: number;
}

interface SessionRow { n: number; idle_tx: number; longest: number | null }
const SESSIONS = `count(*)::int AS n, count(*) FILTER (WHERE state LIKE 'idle in transaction%')::int AS idle_tx,
    extract(epoch FROM max(now() - xact_start))::float8 AS longest FROM pg_stat_activity`;
const sessionsOf = (r: SessionRow | undefined): Sessions => ({ inUse: r?.n ?? 0, idleInTransaction: r?.idle_tx ?? 0, longestTransactionSeconds: r?.longest ?? null });

interface OwnFacts { max: number; roleLimit: number; dbLimit: number; size: number; sessions: Sessions; history: HistoryRow[]; settings: Record<string, string> }

async function ownFacts(config: ClientConfig, schema: string): Promise<OwnFacts> {
    return withConnection(config, async (c) => {
        const f = (await c.query(`SELECT current_setting('max_connections')::int AS max, pg_database_size(current_database())::float8 AS size,
            (SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user) AS role_limit,
            (SELECT datconnlimit FROM pg_database WHERE datname = current_database()) AS db_limit,
            (SELECT setconfig FROM pg_db_role_setting WHERE setdatabase = 0 AND setrole = (SELECT oid FROM pg_roles WHERE rolname = session_user)) AS setconfig`)).rows[0];
        const s = await c.query<SessionRow>(`SELECT ${SESSIONS} WHERE usename = current_user AND pid <> pg_backend_pid()`);
        const settings = Object.fromEntries(Object.entries(parseSetconfig(f.setconfig)).filter(([k]) => GUARD_PARAMETERS.includes(k)));
        return { max: f.max, roleLimit: f.role_limit, dbLimit: f.db_limit, size: f.size, sessions: sessionsOf(s.rows[0]), history: await readHistory(c, schema), settings };
    });
}

interface AdminFacts { maxConnections: number; inUse: number; byRole: Map<string, Sessions>; roleLimit: Map<string, number>; db: Map<string, { limit: number; size: number | null }> }

async function adminFacts(adminUrl: string, services: readonly ServiceUnderTest[]): Promise<AdminFacts> {
    return withConnection({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 }, async (c) => {
        const max = Number((await c.query("SELECT current_setting('max_connections') AS m")).rows[0].m);
        const sessions = await c.query<SessionRow & { usename: string }>(`SELECT usename, ${SESSIONS} WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY usename`);
        const roles = await c.query("SELECT rolname, rolconnlimit FROM pg_roles WHERE rolname = ANY($1)", [services.map((s) => s.username)]);
        const dbs = await c.query(`SELECT datname, datconnlimit, CASE WHEN has_database_privilege(oid, 'CONNECT') OR pg_has_role('pg_read_all_stats', 'MEMBER')
            THEN pg_database_size(oid)::float8 END AS size FROM pg_database WHERE datname = ANY($1)`, [services.map((s) => s.database)]);
        return {
            maxConnections: max,
            inUse: sessions.rows.reduce((n, r) => n + r.n, 0),
            byRole: new Map(sessions.rows.map((r) => [r.usename, sessionsOf(r)])),
            roleLimit: new Map(roles.rows.map((r) => [r.rolname as string, r.rolconnlimit as number])),
            db: new Map(dbs.rows.map((r) => [r.datname as string, { limit: r.datconnlimit as number, size: r.size as number | null }])),
        };
    });
}

export const serverOf = (host: string, port: number | string) => `${host}:${port}`;

/** The `host:port` an admin URL points at. */
export function adminServer(adminUrl: string): string {
    const u = new URL(adminUrl);
    return serverOf(u.hostname.replace(/^\[(.*)\]$/, "$1"), u.port || "5432");
}

export async function collectStatus(services: readonly ServiceUnderTest[], opts: CollectOptions, now: () => Date = () => new Date()): Promise<StatusReport> {
    const admin = new Map<string, AdminFacts>();
    if (opts.adminUrl) admin.set(adminServer(opts.adminUrl), await adminFacts(opts.adminUrl, services));
    const maxSeen = new Map<string, number>();
    const statuses = await mapBounded(services, opts.concurrency ?? 8, async (s): Promise<ServiceStatus> => {
        const server = serverOf(s.host, s.port);
        const a = admin.get(server);
        let own: OwnFacts | undefined;
        let error: string | undefined;
        let full = false;
        try {
            own = await ownFacts({ connectionString: s.url, connectionTimeoutMillis: 10_000 }, s.schemas[0] ?? "public");
            maxSeen.set(server, own.max);
        } catch (e) {
            full = (e as { code?: string }).code === "53300";
            error = connectionProblem(e);
        }
        const migrations = own ? summarizeMigrations(() => opts.migrations(s.service), own.history) : null;
        const limit = a ? effectiveLimit(a.roleLimit.get(s.username), a.db.get(s.database)?.limit) : own ? effectiveLimit(own.roleLimit, own.dbLimit) : null;
        const max = a?.maxConnections ?? own?.max;
        const base = {
            service: s.service, cluster: s.cluster, server, database: s.database, role: s.username,
            reachable: own ? "yes" as const : full ? "full" as const : "no" as const, ...(error ? { error } : {}),
            sessions: a ? a.byRole.get(s.username) ?? sessionsOf(undefined) : own?.sessions ?? null,
            limit, share: limit !== null && max ? limit / max : null,
            sizeBytes: own?.size ?? a?.db.get(s.database)?.size ?? null, migrations, settings: own?.settings ?? null,
        };
        return { ...base, flags: flagsOf(base) };
    });
    const adminTotals = new Map([...admin].map(([k, v]) => [k, { maxConnections: v.maxConnections, inUse: v.inUse }]));
    return { at: now().toISOString(), services: statuses, servers: summarizeServers(statuses, adminTotals, maxSeen) };
}
