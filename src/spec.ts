/**
 * The validated, defaulted model of a platform: what `index.ts` hands to the components.
 * Every field here is plain data (no Outputs) because it decides which resources exist and how
 * they are named.
 */

import type { MigrationFile } from "./migrations/files";

export const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

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
} as const;

/** An existing PostgreSQL server that hosts the databases of several services. */
export interface ClusterSpec {
    readonly name: string;
    readonly host: string;
    readonly port: number;
    readonly adminUser: string;
    /** Plain text here; `index.ts` wraps it in `pulumi.secret` before it reaches any resource. */
    readonly adminPassword?: string;
    readonly sslmode: SslMode;
    readonly maintenanceDatabase: string;
    /** false on managed servers (RDS, Cloud SQL) whose admin is not a superuser. */
    readonly superuser: boolean;
    readonly maxConnections: number;
    readonly reservedConnections: number;
    /** Path of the CA certificate (PEM) that signed the server's certificate. */
    readonly sslrootcert?: string;
}

/** One service's database, role and grants. */
export interface ServiceSpec {
    readonly name: string;
    readonly cluster: string;
    readonly database: string;
    readonly role: string;
    readonly connectionLimit: number;
    readonly extensions: readonly string[];
    readonly schemas: readonly string[];
    /** Declare the NOLOGIN `<role>_reader` companion role. */
    readonly readers: boolean;
    /** Changing it generates a new password. */
    readonly rotation: string;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    /** Files of `migrations/<service>/`, in order; empty when the folder does not exist. */
    readonly migrations: readonly MigrationFile[];
}

export interface PlatformSpec {
    readonly clusters: readonly ClusterSpec[];
    readonly services: readonly ServiceSpec[];
}

export function isLoopbackHost(host: string): boolean {
    return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
