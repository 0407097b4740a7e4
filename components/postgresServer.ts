import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../src/spec";
import * as postgresql from "@pulumi/postgresql";
import { DatabaseServer } from "./server";
import { DEFAULT_PARALLELISM, providerMaxConnections } from "../src/pool";
import { ServicedbProvider } from "./servicedbProvider";

export interface PostgresServerArgs {
    /** Host name or address of the server. */
    readonly host: pulumi.Input<string>;
    /** TCP port. Defaults to 5432. */
    readonly port?: pulumi.Input<number>;
    /** Login the provider uses to create roles and databases. Defaults to "postgres". */
    readonly adminUser?: pulumi.Input<string>;
    /**
     * Password of `adminUser`; must be a secret. Defaults to the PGPASSWORD environment variable
     * of the process that runs `pulumi` (read by the provider, never stored in state).
     */
    readonly adminPassword?: pulumi.Input<string>;
    /** libpq sslmode used by the provider and written into every service URL. */
    readonly sslmode: string;
    /**
     * Path to a PEM file with the CA that signed the server certificate (verify-ca /
     * verify-full); given to the provider and written into every service URL. Defaults to none.
     */
    readonly sslrootcert?: string;
    /** Database the provider connects to. Defaults to "postgres". */
    readonly maintenanceDatabase?: string;
    /**
     * Whether `adminUser` is a superuser. false on RDS/Cloud SQL: services then also make the
     * admin a member of their role so its grants and revokes take effect. Defaults to true.
     */
    readonly superuser?: boolean;
    /** Seconds the provider waits for the server. Defaults to 30. */
    readonly connectTimeout?: number;
    /**
     * PostgreSQL operations in flight on this server (its services' lanes); the provider's pool
     * gets one connection more, so it never runs dry (src/pool.ts). Defaults to 4.
     */
    readonly parallelism?: number;
    /** Connections kept for the admin and the provider (the cluster's reservedConnections). Defaults to 10. */
    readonly reservedConnections?: number;
    /**
     * Declare the server's postgresql.Provider (a process of its own), which only services with
     * `core: "resources"` use. Defaults to false (the default core, "single", needs none).
     */
    readonly declareProvider?: boolean;
}

/**
 * One PostgreSQL server and the single `postgresql.Provider` that every service database on it
 * shares (each provider instance is its own process: one per server, never one per service).
 */
export class PostgresServer extends pulumi.ComponentResource implements DatabaseServer {
    readonly provider?: postgresql.Provider;
    readonly servicedb: ServicedbProvider;
    readonly ready: readonly pulumi.Resource[] = [];
    readonly host: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly adminUser: pulumi.Output<string>;
    readonly sslmode: string;
    readonly sslrootcert?: string;
    readonly superuser: boolean;
    readonly adminPassword?: pulumi.Output<string>;
    readonly maintenanceDatabase: string;
    readonly parallelism: number;
    readonly reservedConnections: number;

    constructor(name: string, args: PostgresServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("servicedb:postgres:Server", name, {}, opts);
        // First: the engine starts servicedb's provider's process while the program goes on declaring.
        this.servicedb = new ServicedbProvider(`${name}-servicedb`, { parent: this });
        this.host = pulumi.output(args.host);
        this.port = pulumi.output(args.port ?? 5432);
        this.adminUser = pulumi.output(args.adminUser ?? "postgres");
        this.sslmode = args.sslmode;
        this.sslrootcert = args.sslrootcert;
        this.superuser = args.superuser ?? true;
        this.adminPassword = args.adminPassword === undefined ? undefined : pulumi.secret(args.adminPassword);
        this.maintenanceDatabase = args.maintenanceDatabase ?? "postgres";
        this.parallelism = args.parallelism ?? DEFAULT_PARALLELISM;
        this.reservedConnections = args.reservedConnections ?? DEFAULTS.reservedConnections;

        this.provider = !args.declareProvider ? undefined : new postgresql.Provider(`${name}-provider`, {
            host: this.host,
            port: this.port,
            username: this.adminUser,
            password: this.adminPassword,
            database: this.maintenanceDatabase,
            sslmode: args.sslmode,
            sslrootcert: args.sslrootcert,
            superuser: this.superuser,
            connectTimeout: args.connectTimeout ?? 30,
            maxConnections: providerMaxConnections(this.parallelism),
        }, { parent: this });

        this.registerOutputs({ host: this.host, port: this.port, adminUser: this.adminUser });
    }
}
