/**
 * The typed form of the stack config (README, "Config reference"): what a program that uses the
 * package writes instead of `Pulumi.<stack>.yaml`. Plain data only (strings, numbers, booleans,
 * lists, maps), so the same shapes cross into other languages through the component package
 * (provider/). Each field means and defaults to exactly what the config key of the same name
 * does; `planPlatform` and `planServiceDatabase` validate them with the same checks and messages.
 */

/** A PgBouncer in front of a server (`pooler:`). */
export interface PoolerSettings {
    /** "transaction", "session" or "statement". Defaults to "transaction". */
    readonly mode?: string;
    /** Port clients connect to. Defaults to 6432 on a cluster, the container's port + 1000 on a container. */
    readonly port?: number;
    /** PgBouncer's max_client_conn. Defaults to 1000. */
    readonly maxClientConnections?: number;
    /** PgBouncer image. Defaults to the project's pinned image. */
    readonly image?: string;
    /** Host name services use to reach the pooler. Defaults to 127.0.0.1. */
    readonly host?: string;
    /** The pooler runs elsewhere: no container, its files become secret outputs. Defaults to false. */
    readonly external?: boolean;
    /** Clients must use TLS. Defaults to false. */
    readonly clientTls?: boolean;
}

/** An existing PostgreSQL server (self-hosted, RDS, Cloud SQL): `servicedb:clusters.<name>`. */
export interface ClusterSettings {
    /** Host name or address. Required. */
    readonly host: string;
    /** Defaults to 5432. */
    readonly port?: number;
    /** Login that creates roles and databases. Defaults to "postgres". */
    readonly adminUser?: string;
    /** libpq sslmode. Defaults to "disable" on a loopback host, "require" elsewhere. */
    readonly sslmode?: string;
    /** Database the provider connects to. Defaults to "postgres". */
    readonly maintenanceDatabase?: string;
    /** false on RDS/Cloud SQL, whose admin is no superuser. Defaults to true. */
    readonly superuser?: boolean;
    /** The server's max_connections. Defaults to 100. */
    readonly maxConnections?: number;
    /** Connections kept from services for admins and the provider. Defaults to 10. */
    readonly reservedConnections?: number;
    /** PEM file of the CA that signed the server's certificate. Defaults to none. */
    readonly sslrootcert?: string;
    /** PostgreSQL operations run at once on this server (1–32). Defaults to 4. */
    readonly parallelism?: number;
    /** A PgBouncer in front of the server. Defaults to none. */
    readonly pooler?: PoolerSettings;
}

/** A PostgreSQL server in a Docker container of its own: a service's `container:`. */
export interface ContainerSettings {
    /** Container name; services that give the same name share it. Defaults to the service name. */
    readonly name?: string;
    /** Image. Defaults to `postgres:<version>`, or what the extensions need (e.g. TimescaleDB). */
    readonly image?: string;
    /** PostgreSQL major version (12–18). Defaults to the image's, else 17. */
    readonly version?: number;
    /** Host port on 127.0.0.1. Defaults to a stable port from 5433 up, derived from the name. */
    readonly port?: number;
    /** Docker volume of the data directory. Defaults to `servicedb-<stack>-<name>-data`. */
    readonly volume?: string;
    /** Memory limit in MB. Defaults to none. */
    readonly memory?: number;
    /** Delete the volume (and the data) on destroy. Defaults to false. */
    readonly removeVolumeOnDestroy?: boolean;
    /** A PgBouncer in front of the container. Defaults to none. */
    readonly pooler?: PoolerSettings;
}

/** One service's database: `servicedb:services.<name>` without its placement. */
export interface ServiceSettings {
    /** Database name. Defaults to the service name in snake_case. */
    readonly database?: string;
    /** Login role that owns the database. Defaults to the service name in snake_case. */
    readonly role?: string;
    /** Connections the role and the database accept. Defaults to 10. */
    readonly connectionLimit?: number;
    /** Server connections of its PgBouncer pool. Defaults to connectionLimit. */
    readonly poolSize?: number;
    /** Extensions created in the database. Defaults to none. */
    readonly extensions?: readonly string[];
    /** Schemas owned by the role. Defaults to ["public"]. */
    readonly schemas?: readonly string[];
    /** Declare the read-only companion role `<role>_reader`. Defaults to false. */
    readonly readers?: boolean;
    /** Rotations so far (0, 1, 2, …): raise it by one to rotate the password. Defaults to 0. */
    readonly rotation?: number;
    /** Refuse destroy and replace of the role and database. Defaults to false. */
    readonly protect?: boolean;
    /** Leave the role and database on the server when they leave the stack. Defaults to false. */
    readonly retainOnDelete?: boolean;
    /** Folder for a backup taken before pending migrations run. Defaults to none. */
    readonly backupBeforeMigrate?: string;
}

/** `servicedb:services.<name>`: a service's settings and where it lives (exactly one of the two). */
export interface PlatformServiceSettings extends ServiceSettings {
    /** Name of the cluster (a key of `clusters`) that hosts it. */
    readonly cluster?: string;
    /** Its own PostgreSQL container instead of a cluster. */
    readonly container?: ContainerSettings;
}
