/**
 * servicedb's components as other languages see them (`servicedb:index:*`): arguments of plain
 * data only (strings, numbers, booleans, lists, maps; no resources), which the component provider
 * host turns into a schema and `pulumi package add` into an SDK. Each wraps the package's own
 * component and validates exactly as it does; a value that decides which resources exist must
 * be known when the program runs, so it may not be another resource's output.
 *
 * No `migrations` here: they run in a Node.js dynamic provider, which the engine starts in the
 * program's directory, where a program in another language has no node_modules
 * (pulumi/pulumi#5455). Programs in other languages apply migrations with `npm run migrate`.
 * For the same reason not the default `core: "single"` (a dynamic provider too): services here
 * are declared as the postgresql provider's resource chain (`core: "resources"`).
 */
import * as pulumi from "@pulumi/pulumi";
import { platformFromConfig } from "../components/fromConfig";
import { ServiceDatabase as Core } from "../components/serviceDatabase";
import type { RawConnection } from "../consumer";
import { requirePlain } from "./plain";

/** An existing PostgreSQL server (the stack config's `servicedb:clusters.<name>`). */
export interface Server {
    /** Host name or address. */
    host: string;
    /** Defaults to 5432. */
    port?: number;
    /** Login that creates roles and databases. Defaults to "postgres". */
    adminUser?: string;
    /** libpq sslmode. Defaults to "disable" on a loopback host, "require" elsewhere. */
    sslmode?: string;
    /** Defaults to "postgres". */
    maintenanceDatabase?: string;
    /** false on RDS/Cloud SQL. Defaults to true. */
    superuser?: boolean;
    /** The server's max_connections. Defaults to 100. */
    maxConnections?: number;
    /** Connections kept from services. Defaults to 10. */
    reservedConnections?: number;
    /** PEM file of the server's CA. Defaults to none. */
    sslrootcert?: string;
    /** PostgreSQL operations at once on this server (1–32). Defaults to 4. */
    parallelism?: number;
}

/** A PostgreSQL container of a service's own. */
export interface Container {
    /** Container name; services with the same name share it (Platform only). Defaults to the service name. */
    name?: string;
    /** Defaults to postgres:<version>, or what the extensions need. */
    image?: string;
    /** PostgreSQL major version (12–18). Defaults to the image's, else 17. */
    version?: number;
    /** Host port on 127.0.0.1. Defaults to a stable port from 5433 up. */
    port?: number;
    /** Data volume. Defaults to servicedb-<stack>-<name>-data. */
    volume?: string;
    /** Memory limit in MB. Defaults to none. */
    memory?: number;
    /** Delete the data volume on destroy. Defaults to false. */
    removeVolumeOnDestroy?: boolean;
}

/** One service's database settings, without its placement. */
export interface ServiceFields {
    /** Its own PostgreSQL container (instead of a server). */
    container?: Container;
    /** Defaults to the service name in snake_case. */
    database?: string;
    /** Defaults to the service name in snake_case. */
    role?: string;
    /** Defaults to 10. */
    connectionLimit?: number;
    /** Defaults to none. */
    extensions?: string[];
    /** Defaults to ["public"]. */
    schemas?: string[];
    /** Declare `<role>_reader`. Defaults to false. */
    readers?: boolean;
    /** Rotations so far; raise by one to rotate the password. Defaults to 0. */
    rotation?: number;
    /** Defaults to false. */
    protect?: boolean;
    /** Defaults to false. */
    retainOnDelete?: boolean;
}

/** A service of a Platform (the stack config's `servicedb:services.<name>`). */
export interface Service extends ServiceFields {
    /** Name of a server of `clusters`. Exactly one of cluster and container. */
    cluster?: string;
}

export interface ServiceDatabaseArgs extends ServiceFields {
    /** An existing server. Exactly one of server and container. */
    server?: Server;
    /** Password of server.adminUser (a secret). Defaults to PGPASSWORD of the process that runs pulumi. */
    adminPassword?: pulumi.Input<string>;
}

/** A standalone service database: on an existing server, or in its own container. */
export class ServiceDatabase extends pulumi.ComponentResource {
    public readonly host: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    public readonly database: pulumi.Output<string>;
    public readonly username: pulumi.Output<string>;
    /** Secret. */
    public readonly password: pulumi.Output<string>;
    /** Secret: postgresql://… with the password in it. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: ServiceDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        const { adminPassword, server, ...rest } = requirePlain(`service "${name}"`, args, ["adminPassword"]);
        super("servicedb:index:ServiceDatabase", name, {}, opts);
        const db = new Core(name, { ...rest, cluster: server, adminPassword, core: "resources" }, { parent: this });
        this.host = db.host;
        this.port = db.port;
        this.database = db.database;
        this.username = db.username;
        this.password = db.password;
        this.url = db.url;
        this.registerOutputs({ host: this.host, port: this.port, database: this.database, username: this.username, password: this.password, url: this.url });
    }
}

/** What a service connects with (password, url and pooledUrl secret): the consumer's entry, and its cluster. */
export interface Connection extends RawConnection {
    cluster: string;
}

export interface PlatformArgs {
    /** Existing servers by name. Defaults to none. */
    clusters?: { [name: string]: Server };
    /** Admin passwords by cluster name (secrets). Defaults to PGPASSWORD. */
    adminPasswords?: pulumi.Input<{ [cluster: string]: pulumi.Input<string> }>;
    /** Services by name; each names a cluster or asks for a container. */
    services: { [name: string]: pulumi.Input<Service> };
    /** Default of every service's protect. Defaults to false. */
    protect?: boolean;
}

/** A whole platform, as a stack's servicedb config declares it. */
export class Platform extends pulumi.ComponentResource {
    /** Secret: service → its connection details. */
    public readonly databases: pulumi.Output<{ [service: string]: Connection }>;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        const { adminPasswords, clusters, services, protect } = requirePlain(`platform "${name}"`, args, ["adminPasswords"]);
        super("servicedb:index:Platform", name, {}, opts);
        // One Output per cluster; a cluster without an entry resolves to undefined (PGPASSWORD).
        const passwords = adminPasswords === undefined ? undefined : pulumi.output(adminPasswords);
        const passwordOf = (k: string) => passwords?.apply((m) => m[k]) as pulumi.Output<string> | undefined;
        const platform = platformFromConfig(name, {
            clusters: clusters && Object.fromEntries(Object.entries(clusters).map(([k, c]) => [k, { ...c, adminPassword: passwordOf(k) }])),
            // requirePlain made sure: no Outputs in here.
            services: services as { [name: string]: Service }, protect, core: "resources",
        }, { opts: { parent: this } });
        this.databases = pulumi.secret(pulumi.output(platform.databases)) as pulumi.Output<{ [service: string]: Connection }>;
        this.registerOutputs({ databases: this.databases });
    }
}
