/**
 * The pooler's model: what `pooler:` on a cluster or container asks for (PoolerRequest), and
 * the planned PgBouncer of one server (PoolerSpec) with a pool per service. Plain data: it
 * decides which resources exist and what the rendered configuration says.
 */
import type { PoolerValues } from "../settings";
import type { SslMode } from "../spec";

export const POOL_MODES = ["transaction", "session"] as const;
export type PoolMode = (typeof POOL_MODES)[number];

export const POOLER_DEFAULTS = {
    mode: "transaction" as PoolMode,
    /** A cluster's pooler; a container's gets its PostgreSQL port + CONTAINER_PORT_OFFSET. */
    port: 6432,
    containerPortOffset: 1000,
    maxClientConnections: 1000,
    /** Alpine PgBouncer, run as `pgbouncer /etc/pgbouncer/pgbouncer.ini` (its own entrypoint bypassed; see README). */
    image: "edoburu/pgbouncer:v1.25.1-p0",
    /** Where the rendered files live inside the pooler (container mounts and external ConfigMaps alike). */
    configDir: "/etc/pgbouncer",
} as const;

/** `pooler:` of a cluster or container, as parsed (src/settings/pooler.ts): the port's default depends on the server. */
export type PoolerRequest = PoolerValues;

/** One service database behind the pooler. */
export interface PoolSpec {
    readonly service: string;
    readonly database: string;
    /** The service's logins (owning role and `<role>_b`): both are in the auth file, so rotation works. */
    readonly logins: readonly string[];
    /** Server connections of this database, all logins together: min(poolSize, connectionLimit). */
    readonly poolSize: number;
    readonly connectionLimit: number;
}

/** The server PgBouncer logs in to, as the pooler sees it. */
export interface PoolerUpstream {
    readonly host: string;
    readonly port: number;
    readonly sslmode: SslMode;
    /** CA bundle (path on the machine running pulumi) copied next to the config as server-ca.pem. */
    readonly sslrootcert?: string;
}

/** How the pooler's container is attached: the host's network (a loopback cluster) or the stack's. */
export type PoolerNetwork = "host" | "bridge" | "none";

export interface PoolerSpec {
    /** The server's name (cluster or container); resources are `<name>-pooler…`. */
    readonly name: string;
    readonly kind: "cluster" | "container";
    readonly mode: PoolMode;
    /** The port clients connect to (published on 127.0.0.1, or the listen port on the host network). */
    readonly port: number;
    /** Host of pooledUrl. */
    readonly host: string;
    /** PgBouncer's listen_addr. */
    readonly listenAddress: string;
    /** PgBouncer's listen_port (inside the container for a bridge network). */
    readonly listenPort: number;
    readonly network: PoolerNetwork;
    readonly maxClientConnections: number;
    readonly image: string;
    readonly external: boolean;
    readonly clientTls: boolean;
    readonly upstream: PoolerUpstream;
    readonly pools: readonly PoolSpec[];
    /** Run by CloudNativePG (a `Pooler` object in the cluster's namespace), not by servicedb. */
    readonly cnpg?: boolean;
}

/** sslmode written into pooledUrl. */
export function pooledSslmode(p: Pick<PoolerSpec, "clientTls">): SslMode {
    return p.clientTls ? "require" : "disable";
}

/** Server connections the pooler may open, all pools together. */
export function poolerServerConnections(p: Pick<PoolerSpec, "pools">): number {
    return p.pools.reduce((n, x) => n + x.poolSize, 0);
}
