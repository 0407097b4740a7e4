/**
 * The validated, defaulted model of a platform: what `index.ts` hands to the components.
 * Every field here is plain data (no Outputs) because it decides which resources exist and how
 * they are named.
 */

import type { MigrationFile } from "./migrations/files";
import type { PoolerSpec } from "./pooler/spec";
import type { ClusterValues, ContainerValues, ServiceValues } from "./settings";
import type { CnpgValues, KubernetesValues, SecretValues } from "./settings/kubernetes";

export const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

/**
 * How a service's core (logins, database, revokes, schemas, extensions, reader) is declared:
 * "resources", a chain of the postgresql provider's resources; "single", one ServiceCore step.
 */
export const CORE_MODES = ["resources", "single"] as const;
export type CoreMode = (typeof CORE_MODES)[number];

/** Defaults, documented in the README's config reference. */
export const DEFAULTS = {
    port: 5432,
    adminUser: "postgres",
    maintenanceDatabase: "postgres",
    superuser: true,
    maxConnections: 100,
    reservedConnections: 10,
    connectionLimit: 10,
    schemas: ["public"] as readonly string[],
    /** sslmode for a loopback host (127.0.0.0/8, ::1, localhost); any other host gets `require`. */
    loopbackSslmode: "disable" as SslMode,
    remoteSslmode: "require" as SslMode,
    /** docs/architecture.md, "Which core": faster than the chain and than OpenTofu, reads the server on refresh. */
    core: "single" as CoreMode,
} as const;

/** An existing PostgreSQL server that hosts the databases of several services (src/settings/server.ts). */
export type ClusterSpec = ClusterValues & {
    readonly name: string;
    /** Plain text here; `index.ts` wraps it in `pulumi.secret` before it reaches any resource. */
    readonly adminPassword?: string;
    /** Present when servicedb declares this cluster in Kubernetes with CloudNativePG (docs/kubernetes.md). */
    readonly cnpg?: CnpgValues;
};

/** What a service's `container:` asks for; merged per container name by planContainers. */
export type ContainerRequest = ContainerValues;

/** A PostgreSQL server in its own Docker container, for one service or a named group. */
export interface ContainerSpec {
    readonly name: string;
    readonly image: string;
    /** PostgreSQL major version: decides the data directory. */
    readonly version: number;
    /** Host port, published on 127.0.0.1 only. */
    readonly port: number;
    /** Named Docker volume holding the data directory. */
    readonly volume: string;
    /** Memory limit in MB. */
    readonly memory?: number;
    /** Delete the volume on destroy (data lost). Defaults to false. */
    readonly removeVolumeOnDestroy: boolean;
    /** The image's max_connections (PostgreSQL default) and the reserve kept from services. */
    readonly maxConnections: number;
    readonly reservedConnections: number;
    /** PostgreSQL operations run at once on this server (see ClusterSpec.parallelism). */
    readonly parallelism: number;
    /** The services it hosts. */
    readonly services: readonly string[];
}

/** One service's database, role and grants: its settings (src/settings/service.ts) and where it lives. */
export type ServiceSpec = ServiceValues & {
    readonly name: string;
    /** The cluster (shared server) or container that hosts it. */
    readonly cluster: string;
    readonly placement: "cluster" | "container";
    /** Present when placement is "container". */
    readonly container?: ContainerRequest;
    /** Files of `migrations/<service>/`, in order; empty when the folder does not exist. */
    readonly migrations: readonly MigrationFile[];
    /** Its connection as a Secret in its namespace, when asked for (`kubernetes:`). */
    readonly kubernetes?: SecretValues;
};

export interface PlatformSpec {
    readonly clusters: readonly ClusterSpec[];
    readonly containers: readonly ContainerSpec[];
    /** Not errors, but worth a `pulumi.log.warn` (e.g. extensions of an unknown image family). */
    readonly warnings: readonly string[];
    readonly services: readonly ServiceSpec[];
    /** A PgBouncer per server that asks for one (src/pooler/plan.ts). */
    readonly poolers: readonly PoolerSpec[];
    /** `servicedb:core`: how every service's core is declared. */
    readonly core: CoreMode;
    /** `servicedb:kubernetes`: present when a service asks for a Secret or a cluster is a CloudNativePG one. */
    readonly kubernetes?: KubernetesValues;
}

export function isLoopbackHost(host: string): boolean {
    return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
