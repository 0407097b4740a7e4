/**
 * How many PostgreSQL operations run at once on one server, and how many connections the
 * server's one `postgresql.Provider` may open for them. Pure functions; the reasoning, from the
 * provider's source (cyrilgdn/terraform-provider-postgresql, pinned by @pulumi/postgresql 3.18.1):
 *
 * - The provider keeps one pool per database it touches, each capped at `maxConnections`, with no
 *   idle connections kept (SetMaxIdleConns(0)).
 * - Creating, updating or dropping a Database opens a transaction on the maintenance database
 *   that holds `pg_advisory_xact_lock` on the admin role, and then needs a *second* connection of
 *   the same pool for `GRANT`/`CREATE DATABASE`. Every other operation (roles, grants, schemas,
 *   extensions, default privileges, reads) works inside one transaction: one connection at a time.
 * - So with P operations in flight on a server, at most P - 1 hold a connection while they wait
 *   for that lock and the holder needs two: a pool of P + 1 can never run dry while the holder
 *   waits. The engine's `--parallel` does not bound P (it is per deployment, and CI machines run
 *   64), so servicedb bounds it itself: the server's services are dealt into `parallelism` lanes
 *   and every PostgreSQL resource of a lane depends on the one before it (see `assignLanes`).
 * - At most `parallelism` operations are in flight, each holding at most two connections: the
 *   provider opens at most 2 × parallelism connections, which come out of `reservedConnections`.
 */
import { ConfigProblem, clusterSubject } from "./problems";

/** Lanes per server unless a cluster says otherwise. */
export const DEFAULT_PARALLELISM = 4;
/** Beyond this a server gains nothing and the provider's reserve grows needlessly. */
export const MAX_PARALLELISM = 32;

/** The provider's pool cap: one more than the operations in flight (see above). */
export function providerMaxConnections(parallelism: number): number {
    return parallelism + 1;
}

/**
 * The database's CONNECTION LIMIT for a service limited to `connectionLimit`. A superuser's
 * sessions do not count against it; a managed server's admin (no superuser) is counted like any
 * login — a refresh of the resource chain reads every grant of a database at once (seen on the
 * real engine: 5 sessions in one database with a pool of 3), and an operator must still get in
 * when the service holds all its connections. On such servers the database allows the server's
 * admin reserve (`reservedConnections`) on top of the service's limit; the logins keep
 * `connectionLimit` each. Both cores use this.
 */
export function databaseConnectionLimit(connectionLimit: number, superuserAdmin: boolean, reservedConnections: number): number {
    return superuserAdmin ? connectionLimit : connectionLimit + reservedConnections;
}

/** The most connections the provider holds at once on a server: two per operation in flight. */
export function providerPeakConnections(parallelism: number): number {
    return 2 * parallelism;
}

/**
 * Deals services (in config order, which is stable) into `parallelism` lanes: service i goes to
 * lane i mod parallelism. Returns, per service, the service before it in its lane (undefined for
 * the first of a lane). Lanes only add dependsOn edges, which never update or replace a
 * resource, so adding or removing a service reshuffles lanes harmlessly.
 */
export function assignLanes(services: readonly string[], parallelism: number): Map<string, string | undefined> {
    const lanes = Math.max(1, Math.floor(parallelism));
    const previous = new Map<string, string | undefined>();
    services.forEach((s, i) => previous.set(s, i >= lanes ? services[i - lanes] : undefined));
    return previous;
}

/** A server whose provider must fit in the reserve. */
export interface ReservePool {
    readonly name: string;
    readonly parallelism: number;
    readonly reservedConnections: number;
}

/** The provider's peak connections must fit in the server's reserve, or the budget is a lie. */
export function checkProviderReserve(pool: ReservePool, kind: "cluster" | "container" = "cluster"): ConfigProblem[] {
    const peak = providerPeakConnections(pool.parallelism);
    if (peak <= pool.reservedConnections) return [];
    const fit = Math.max(1, Math.floor(pool.reservedConnections / 2));
    return [{
        subject: kind === "cluster" ? clusterSubject(pool.name) : `container "${pool.name}"`, field: "reservedConnections",
        problem: `is ${pool.reservedConnections}, but with parallelism ${pool.parallelism} the provider may hold up to ${peak} connections (2 per operation in flight)`,
        fix: pool.reservedConnections >= 2
            ? `raise reservedConnections to ${peak}, or lower parallelism to ${fit}`
            : `raise reservedConnections to ${peak} (the provider needs at least 2)`,
    }];
}
