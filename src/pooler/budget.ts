/**
 * Pool sizing from the connection budget. A service's pool is the number of server connections
 * PgBouncer may open to its database, all its logins together (`max_db_connections`): by default
 * its `connectionLimit`, or `poolSize` where it wants fewer. Because a pool never exceeds the
 * service's connectionLimit, the pooler's server connections are part of each service's share of
 * the budget that checkConnectionBudget already checks (sum of connectionLimits + reserve ≤
 * max_connections); PgBouncer itself opens nothing else (no auth_query connection: see
 * docs/architecture.md). Pure functions with messages that name the fix.
 */
import { ConfigProblem, serviceSubject } from "../problems";
import { ServiceSpec } from "../spec";
import { PoolerSpec, poolerServerConnections } from "./spec";

/** Server connections of a service's pool: poolSize when given, never above connectionLimit. */
export function poolSizeOf(s: { readonly connectionLimit: number; readonly poolSize?: number }): number {
    return Math.min(s.poolSize ?? s.connectionLimit, s.connectionLimit);
}

/** `poolSize` must fit the service's connectionLimit, and needs a pooler on its server. */
export function checkPoolSize(s: ServiceSpec, serverHasPooler: boolean): ConfigProblem[] {
    if (s.poolSize === undefined) return [];
    const subject = serviceSubject(s.name);
    const path = `servicedb:services.${s.name}`;
    if (!serverHasPooler) {
        const where = s.placement === "container" ? `${path}.container.pooler` : `servicedb:clusters.${s.cluster}.pooler`;
        return [{ subject, field: "poolSize", problem: `is set, but ${s.placement} "${s.cluster}" has no pooler`, fix: `add ${where} (e.g. { mode: transaction }), or remove ${path}.poolSize` }];
    }
    if (s.poolSize <= s.connectionLimit) return [];
    return [{
        subject, field: "poolSize",
        problem: `is ${s.poolSize}, above connectionLimit ${s.connectionLimit}: the server refuses the pooler's connections beyond ${s.connectionLimit} (the role and the database are limited to it)`,
        fix: `lower ${path}.poolSize to at most ${s.connectionLimit}, or raise ${path}.connectionLimit to ${s.poolSize} (if the server's budget has room)`,
    }];
}

/** What the plan shows per pooler: server-side connections against the budget, client-side capacity. */
export interface PoolerCapacity {
    /** Server connections all pools may open together. */
    readonly serverConnections: number;
    /** The services' connection limits on that server: the pools' share of the budget. */
    readonly budget: number;
    /** max_client_conn. */
    readonly clientConnections: number;
    /** Client connections per server connection, rounded down (how far the pooler multiplexes). */
    readonly ratio: number;
}

export function poolerCapacity(p: PoolerSpec): PoolerCapacity {
    const serverConnections = poolerServerConnections(p);
    const budget = p.pools.reduce((n, x) => n + x.connectionLimit, 0);
    return { serverConnections, budget, clientConnections: p.maxClientConnections, ratio: serverConnections ? Math.floor(p.maxClientConnections / serverConnections) : 0 };
}
