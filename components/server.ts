import * as pulumi from "@pulumi/pulumi";
import * as postgresql from "@pulumi/postgresql";
import type { CnpgTarget } from "./cnpgCluster";
import type { ServicedbProvider } from "./servicedbProvider";

/**
 * What a ServiceDatabase needs from the server it lives on: a shared cluster (PostgresServer)
 * or a container of its own (PostgresContainer). One code path for both placements.
 */
export interface DatabaseServer {
    /**
     * The one provider every PostgreSQL resource on this server uses. Absent when the server was
     * declared without one (`declareProvider: false`: services with `core: "single"` need none).
     */
    readonly provider?: postgresql.Provider;
    /**
     * servicedb's own provider on this server (ServiceCore, ServiceReads, LoginSettings,
     * ServiceMigrations). Absent on a CloudNativePG cluster, whose services declare none of those.
     */
    readonly servicedb?: ServicedbProvider;
    /** What a service's first operation on this server waits for (a container: until it is healthy). */
    readonly ready: readonly pulumi.Resource[];
    readonly host: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly adminUser: pulumi.Output<string>;
    /** libpq sslmode written into service URLs. */
    readonly sslmode: string;
    /** Path of the CA certificate written into service URLs, if any. */
    readonly sslrootcert?: string;
    /** false on managed servers: services then make the admin a member of their role. */
    readonly superuser: boolean;
    /** Secret. Absent: PGPASSWORD of the process that runs `pulumi`. */
    readonly adminPassword?: pulumi.Output<string>;
    /** Database the admin connects to. */
    readonly maintenanceDatabase: string;
    /** PostgreSQL operations in flight on this server at once (src/pool.ts). */
    readonly parallelism: number;
    /** Connections kept for the admin (src/pool.ts databaseConnectionLimit). */
    readonly reservedConnections: number;
    /** A CloudNativePG cluster servicedb declares: its services are CloudNativePG objects and an access Job, not SQL from here. */
    readonly cnpg?: CnpgTarget;
}

/** The server's servicedb provider, for a resource that needs one. */
export function servicedbProviderOf(server: DatabaseServer): ServicedbProvider {
    if (!server.servicedb) throw new Error("servicedb: this server has no servicedb provider (a CloudNativePG cluster's services declare no ServiceCore, reads or migrations)");
    return server.servicedb;
}
