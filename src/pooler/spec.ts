/**
 * The pooler's model: what `pooler:` on a cluster or container asks for (PoolerRequest), and
 * the planned PgBouncer of one server (PoolerSpec) with a pool per service. Plain data: it
 * decides which resources exist and what the rendered configuration says.
 */
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

/** `pooler:` of a cluster or container, as parsed (defaults applied where they do not depend on the server). */
export interface PoolerRequest {
    readonly mode: PoolMode;
    /** Port clients connect to; defaults depend on the server (see POOLER_DEFAULTS). */
    readonly port?: number;
    /** PgBouncer's `max_client_conn`: the client-side capacity. */
    readonly maxClientConnections: number;
    readonly image: string;
    /** Host name services use to reach the pooler (pooledUrl); defaults to 127.0.0.1. */
    readonly host?: string;
    /** The pooler runs elsewhere (Kubernetes, a VM): no container, the files become secret outputs. */
    readonly external: boolean;
    /** Clients must use TLS; the pooler finds its certificate at <configDir>/tls/tls.crt and tls.key. */
    readonly clientTls: boolean;
}

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
}

/** sslmode written into pooledUrl. */
export function pooledSslmode(p: Pick<PoolerSpec, "clientTls">): SslMode {
    return p.clientTls ? "require" : "disable";
}

/** Server connections the pooler may open, all pools together. */
export function poolerServerConnections(p: Pick<PoolerSpec, "pools">): number {
    return p.pools.reduce((n, x) => n + x.poolSize, 0);
}
