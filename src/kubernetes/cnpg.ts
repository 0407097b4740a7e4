/**
 * The CloudNativePG objects of a cluster servicedb declares, as plain specs (pure; the
 * components wrap them in CustomResources): the `Cluster` with every service's logins as
 * managed roles, a `Database` per service, and the `Pooler` sized from the budget.
 * Field names follow CloudNativePG v1.30's CRDs (postgresql.cnpg.io/v1).
 */
import { readerRole } from "../names";
import { secondLogin } from "../rotation";
import { cnpgImage, type CnpgValues } from "../settings/kubernetes";
import type { PoolerSpec } from "../pooler/spec";
import type { ClusterSpec, ServiceSpec } from "../spec";
import { cnpgPoolerName, rolePasswordSecret } from "./names";

export const CNPG_API_VERSION = "postgresql.cnpg.io/v1";

/** A cluster that servicedb declares: its settings and its `cnpg:` block. */
export type CnpgClusterSpec = ClusterSpec & { readonly cnpg: CnpgValues };

/** Nothing elevated, said explicitly (CloudNativePG's defaults are the same, but a reader of the object should not need to know). */
const PLAIN = { superuser: false, createdb: false, createrole: false, replication: false, bypassrls: false, inherit: true } as const;

export interface ManagedRole {
    readonly name: string;
    readonly ensure: "present";
    readonly login: boolean;
    readonly superuser: false;
    readonly createdb: false;
    readonly createrole: false;
    readonly replication: false;
    readonly bypassrls: false;
    readonly inherit: true;
    readonly connectionLimit: number;
    readonly comment: string;
    readonly inRoles?: readonly string[];
    readonly passwordSecret?: { readonly name: string };
}

/** Each service's logins (the owning role and `<role>_b`, a member of it) and its reader role. */
export function managedRoles(cluster: string, services: readonly ServiceSpec[], owner: string): ManagedRole[] {
    return services.flatMap((s) => {
        const comment = `servicedb ${owner} service ${s.name}`;
        const login = (name: string, inRoles?: readonly string[]): ManagedRole => ({
            name, ensure: "present", login: true, ...PLAIN, connectionLimit: s.connectionLimit, comment,
            ...(inRoles ? { inRoles } : {}), passwordSecret: { name: rolePasswordSecret(cluster, name) },
        });
        return [
            login(s.role),
            login(secondLogin(s.role), [s.role]),
            ...(s.readers ? [{ name: readerRole(s.role), ensure: "present" as const, login: false, ...PLAIN, connectionLimit: -1, comment }] : []),
        ];
    // By name: a list keyed by name, which the API server keeps in this order.
    }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The `Cluster`'s spec. */
export function clusterSpec(c: CnpgClusterSpec, services: readonly ServiceSpec[], owner: string): Record<string, unknown> {
    const mine = services.filter((s) => s.cluster === c.name);
    return {
        instances: c.cnpg.instances,
        imageName: cnpgImage(c.cnpg),
        storage: { size: c.cnpg.storage, ...(c.cnpg.storageClass ? { storageClass: c.cnpg.storageClass } : {}) },
        ...(c.cnpg.resources ? { resources: c.cnpg.resources } : {}),
        // The budget servicedb checks (connection limits + reserve) is what the server allows.
        postgresql: { parameters: { max_connections: String(c.maxConnections) } },
        // No superuser over the network: every statement servicedb needs runs as a service's own role.
        enableSuperuserAccess: false,
        managed: { roles: managedRoles(c.name, mine, owner) },
    };
}

/** A service's `Database`: owned by its role, its schemas and extensions, PUBLIC's privileges left to the access Job. */
export function databaseSpec(cluster: string, s: ServiceSpec): Record<string, unknown> {
    return {
        cluster: { name: cluster },
        name: s.database,
        owner: s.role,
        ensure: "present",
        encoding: "UTF8",
        template: "template0",
        // The operator connects as a superuser, to whom no database limit applies: the service's limit exactly.
        connectionLimit: s.connectionLimit,
        // As on any server: a destroy drops the database unless the service keeps it.
        databaseReclaimPolicy: s.retainOnDelete || s.protect ? "retain" : "delete",
        schemas: s.schemas.map((name) => ({ name, owner: s.role, ensure: "present" })),
        extensions: s.extensions.map((name) => ({ name, ensure: "present" })),
    };
}

/**
 * The `Pooler` (PgBouncer run by the operator, `type: rw`). CloudNativePG exposes PgBouncer's
 * global parameters only, so the per-service budget becomes: each database's server
 * connections capped at the largest pool (`max_db_connections`), each (database, user) pool
 * that size (`default_pool_size`), and the roles' connection limits on the server.
 */
export function poolerSpec(c: CnpgClusterSpec, p: PoolerSpec): Record<string, unknown> {
    const largest = Math.max(1, ...p.pools.map((x) => x.poolSize));
    return {
        cluster: { name: c.name },
        instances: 1,
        type: "rw",
        pgbouncer: {
            poolMode: p.mode,
            parameters: {
                max_client_conn: String(p.maxClientConnections),
                default_pool_size: String(largest),
                max_db_connections: String(largest),
            },
        },
    };
}

export { cnpgPoolerName };
