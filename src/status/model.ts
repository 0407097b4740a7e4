/**
 * What `status` reports per service and per server, and the pure rules over it: the effective
 * connection limit, the migration summary (history × files), the flags, the server budget.
 */
import { MigrationFile } from "../migrations/files";
import { HistoryRow } from "../migrations/history";
import { computeStatus } from "../migrations/status";

/** A service over this share of its connection limit is flagged. */
export const BUSY_SHARE = 0.8;

export interface Sessions {
    /** The role's sessions on the server, status's own connection not counted. */
    readonly inUse: number;
    readonly idleInTransaction: number;
    /** Age of the oldest open transaction, in seconds; null when none is open. */
    readonly longestTransactionSeconds: number | null;
}

export interface MigrationsSummary {
    readonly applied: number;
    readonly pending: number;
    /** ISO time of the last successful migration; null when none ran. */
    readonly lastAppliedAt: string | null;
    /** Changed, missing, failed or out-of-order migrations (what `migrate -- validate` reports). */
    readonly problems: readonly string[];
    /** Whether migrations/<service>/ exists (without it nothing can be pending). */
    readonly folder: boolean;
}

/** `yes`; `full`: the server refuses the login because the connection limit is reached; `no`. */
export type Reachability = "yes" | "full" | "no";

export interface ServiceStatus {
    readonly service: string;
    readonly cluster: string;
    /** `host:port` */
    readonly server: string;
    readonly database: string;
    readonly role: string;
    readonly reachable: Reachability;
    /** Why the service's own login failed (never a secret). */
    readonly error?: string;
    readonly sessions: Sessions | null;
    /** The tighter of the role's and the database's connection limit; null when unknown or unlimited. */
    readonly limit: number | null;
    /** limit ÷ the server's max_connections. */
    readonly share: number | null;
    readonly sizeBytes: number | null;
    readonly migrations: MigrationsSummary | null;
    /** The login's guardrails as the server has them (`statement_timeout: "60000"`); null when it could not log in. */
    readonly settings: Readonly<Record<string, string>> | null;
    readonly flags: readonly string[];
}

export interface ServerStatus {
    readonly server: string;
    readonly maxConnections: number | null;
    /** All client connections (admin view) or the sum of the services' own sessions. */
    readonly inUse: number | null;
    /** Sum of the services' connection limits: their share of the budget. */
    readonly allocated: number;
    readonly services: number;
    readonly view: "admin" | "own sessions";
}

export interface StatusReport {
    readonly at: string;
    readonly services: readonly ServiceStatus[];
    readonly servers: readonly ServerStatus[];
}

/** PostgreSQL's -1 means "no limit"; the effective limit is the tighter of role and database. */
export function effectiveLimit(...limits: readonly (number | null | undefined)[]): number | null {
    const real = limits.filter((l): l is number => typeof l === "number" && l >= 0);
    return real.length ? Math.min(...real) : null;
}

/** History × files; `load` gives the files (undefined: no folder) and may throw on a bad file. */
export function summarizeMigrations(load: () => readonly MigrationFile[] | undefined, history: readonly HistoryRow[]): MigrationsSummary {
    const ok = history.filter((h) => h.success);
    const last = ok.reduce<Date | null>((m, h) => (m === null || h.installed_on > m ? h.installed_on : m), null);
    const lastAppliedAt = last ? last.toISOString() : null;
    let files: readonly MigrationFile[] | undefined;
    try {
        files = load();
    } catch (e) {
        return { applied: ok.length, pending: 0, lastAppliedAt, problems: [(e as Error).message], folder: true };
    }
    if (!files) return { applied: ok.length, pending: 0, lastAppliedAt, problems: [], folder: false };
    const status = computeStatus(files, history);
    return { applied: status.infos.filter((i) => i.state === "applied").length, pending: status.pending.length, lastAppliedAt, problems: status.problems, folder: true };
}

export function flagsOf(s: Omit<ServiceStatus, "flags">): string[] {
    const flags: string[] = [];
    if (s.reachable === "no") flags.push(`unreachable: ${s.error ?? "cannot log in"}`);
    if (s.reachable === "full") flags.push("connection limit reached: the server refuses new logins of this role");
    if (s.sessions && s.limit !== null && s.limit > 0 && s.sessions.inUse / s.limit > BUSY_SHARE) {
        flags.push(`${s.sessions.inUse} of ${s.limit} connections in use (${Math.round((100 * s.sessions.inUse) / s.limit)}% of its limit, over ${BUSY_SHARE * 100}%)`);
    }
    if (s.migrations?.pending) flags.push(`${s.migrations.pending} pending migration(s)`);
    if (s.migrations?.problems.length) flags.push(`history disagrees with migrations/${s.service}/: ${s.migrations.problems.length} problem(s); run npm run migrate -- validate`);
    return flags;
}

/** Per server: the budget (max_connections), what is allocated to the services, what is in use. */
export function summarizeServers(services: readonly ServiceStatus[], admin: ReadonlyMap<string, { maxConnections: number; inUse: number }>, maxSeen: ReadonlyMap<string, number>): ServerStatus[] {
    const servers = [...new Set(services.map((s) => s.server))];
    return servers.map((server) => {
        const mine = services.filter((s) => s.server === server);
        const a = admin.get(server);
        const seen = mine.filter((s) => s.sessions);
        return {
            server,
            maxConnections: a?.maxConnections ?? maxSeen.get(server) ?? null,
            inUse: a ? a.inUse : seen.length ? seen.reduce((n, s) => n + (s.sessions?.inUse ?? 0), 0) : null,
            allocated: mine.reduce((n, s) => n + (s.limit ?? 0), 0),
            services: mine.length,
            view: a ? "admin" : "own sessions",
        };
    });
}
