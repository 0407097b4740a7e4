import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSpec, ContainerSpec, CoreMode, DEFAULTS, ServiceSpec } from "../src/spec";
import { PostgresContainer } from "./postgresContainer";
import { PostgresServer } from "./postgresServer";
import { DatabaseServer } from "./server";
import { ServiceDatabase } from "./serviceDatabase";
import { ServiceMigrations } from "./serviceMigrations";
import { readerRole } from "../src/names";
import { assignLanes } from "../src/pool";
import { PoolerSpec } from "../src/pooler/spec";
import { PoolerSummary, declarePoolers } from "./poolers";

/** What a service needs to connect; `password` and `url` are secrets. */
export interface ServiceConnection extends Pick<ServiceDatabase, "host" | "port" | "database" | "username" | "password" | "url"> {
    /** The cluster or container that hosts the database. */
    readonly cluster: string;
    /** Secret: the same login through the server's PgBouncer, when the server has a pooler. */
    readonly pooledUrl?: pulumi.Output<string>;
}

/** The non-secret overview of a service, for people and for `pulumi stack output summary`. */
export interface ServiceSummary {
    readonly cluster: string;
    readonly database: string;
    readonly role: string;
    readonly connectionLimit: number;
    /** Schemas owned by the role (checked by `npm run verify`). */
    readonly schemas: readonly string[];
    /** The read-only companion role, when declared. */
    readonly readerRole?: string;
}

export interface PlatformArgs {
    /** The stack's name: prefixes Docker container and network names. */
    readonly stack: string;
    /** Validated clusters (see `planPlatform`). Defaults to none (a platform of containers). */
    readonly clusters?: readonly ClusterSpec[];
    /** Validated containers. Defaults to none. */
    readonly containers?: readonly ContainerSpec[];
    /** Docker daemon address for containers. Defaults to the provider's default (DOCKER_HOST or the local socket). */
    readonly dockerHost?: string;
    /** Validated services; each names one of `clusters`. */
    readonly services: readonly ServiceSpec[];
    /** Validated poolers (a PgBouncer per server that asks for one). Defaults to none. */
    readonly poolers?: readonly PoolerSpec[];
    /** Admin passwords by cluster, given as Inputs (made secrets); they take the place of `clusters[].adminPassword`. Defaults to none. */
    readonly adminPasswords?: Readonly<Record<string, pulumi.Input<string>>>;
    /** How every service's core is declared (ServiceDatabaseArgs.core). Defaults to "single". */
    readonly core?: CoreMode;
}

/**
 * servicedb:platform:Platform — every cluster of a stack with one shared provider each, and a
 * ServiceDatabase per service on its cluster. Takes validated specs only; `index.ts` reads the
 * config and validates it first.
 */
export class Platform extends pulumi.ComponentResource {
    readonly servers: Readonly<Record<string, DatabaseServer>>;
    readonly services: Readonly<Record<string, ServiceDatabase>>;
    readonly migrations: Readonly<Record<string, ServiceMigrations>>;
    readonly databases: Readonly<Record<string, ServiceConnection>>;
    readonly summary: Readonly<Record<string, ServiceSummary>>;
    /** server → its pooler's ports, mode and pool sizes (nothing secret). */
    readonly poolers: Readonly<Record<string, PoolerSummary>>;
    /** Secret: server → rendered PgBouncer files, for poolers that run elsewhere. */
    readonly poolerFiles: Readonly<Record<string, pulumi.Output<Record<string, string>>>>;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("servicedb:platform:Platform", name, {}, opts);
        const core = args.core ?? DEFAULTS.core;

        const servers: Record<string, DatabaseServer> = {};
        const parallelism: Record<string, number> = {};
        for (const c of args.clusters ?? []) {
            parallelism[c.name] = c.parallelism;
            const adminPassword = args.adminPasswords?.[c.name] ?? c.adminPassword;
            servers[c.name] = new PostgresServer(c.name, {
                host: c.host,
                port: c.port,
                adminUser: c.adminUser,
                adminPassword: adminPassword === undefined ? undefined : pulumi.secret(adminPassword),
                sslmode: c.sslmode,
                maintenanceDatabase: c.maintenanceDatabase,
                superuser: c.superuser,
                sslrootcert: c.sslrootcert,
                parallelism: c.parallelism,
                reservedConnections: c.reservedConnections,
                declareProvider: core !== "single",
            }, { parent: this });
        }

        const containers = args.containers ?? [];
        const poolerSpecs = args.poolers ?? [];
        let dockerProvider: docker.Provider | undefined;
        let network: docker.Network | undefined;
        if (containers.length > 0 || poolerSpecs.some((p) => !p.external)) {
            dockerProvider = new docker.Provider("docker", args.dockerHost ? { host: args.dockerHost } : {}, { parent: this });
            network = new docker.Network(`${args.stack}-network`, { name: `servicedb-${args.stack}` }, { parent: this, provider: dockerProvider });
        }
        if (dockerProvider && network) {
            for (const c of containers) {
                parallelism[c.name] = c.parallelism;
                servers[c.name] = new PostgresContainer(c.name, {
                    image: c.image, version: c.version, port: c.port, volume: c.volume, memory: c.memory,
                    removeVolumeOnDestroy: c.removeVolumeOnDestroy, containerName: `servicedb-${args.stack}-${c.name}`,
                    network, dockerProvider, parallelism: c.parallelism, declareProvider: core !== "single",
                }, { parent: this });
            }
        }

        const services: Record<string, ServiceDatabase> = {};
        const databases: Record<string, ServiceConnection> = {};
        const summary: Record<string, ServiceSummary> = {};
        const migrations: Record<string, ServiceMigrations> = {};
        // Each server's services are dealt into lanes: the PostgreSQL operations of a lane run one
        // after another, so at most `parallelism` run at once per server (src/pool.ts).
        // A ServiceCore is bounded by its provider's per-server semaphore instead: no lanes.
        const previous = new Map<string, string | undefined>();
        for (const server of core === "single" ? [] : Object.keys(servers)) {
            const mine = args.services.filter((s) => s.cluster === server).map((s) => s.name);
            for (const [svc, before] of assignLanes(mine, parallelism[server])) previous.set(svc, before);
        }
        for (const s of args.services) {
            const before = previous.get(s.name);
            const db = new ServiceDatabase(s.name, {
                server: servers[s.cluster],
                database: s.database,
                role: s.role,
                connectionLimit: s.connectionLimit,
                extensions: s.extensions,
                schemas: s.schemas,
                readers: s.readers,
                rotation: s.rotation.count,
                protect: s.protect,
                retainOnDelete: s.retainOnDelete,
                after: before === undefined ? undefined : services[before].tail,
                core,
            }, { parent: this });
            services[s.name] = db;
            if (s.migrations.length > 0) {
                // After the database, role, grants and schemas (every child of the component).
                migrations[s.name] = new ServiceMigrations(`${s.name}-migrations`, {
                    service: s.name, url: db.url, files: s.migrations, schema: s.schemas[0] ?? "public", backupDir: s.backupBeforeMigrate,
                }, { parent: this, dependsOn: [db] });
            }
            databases[s.name] = {
                cluster: s.cluster, host: db.host, port: db.port, database: db.database,
                username: db.username, password: db.password, url: db.url,
            };
            summary[s.name] = {
                cluster: s.cluster, database: s.database, role: s.role, connectionLimit: s.connectionLimit, schemas: s.schemas,
                ...(s.readers ? { readerRole: readerRole(s.role) } : {}),
            };
        }

        const pooled = declarePoolers(poolerSpecs, { stack: args.stack, services, servers, dockerProvider, network }, this);
        for (const [svc, pooledUrl] of Object.entries(pooled.pooledUrls)) databases[svc] = { ...databases[svc], pooledUrl };

        this.poolers = pooled.summary;
        this.poolerFiles = pooled.files;
        this.servers = servers;
        this.services = services;
        this.migrations = migrations;
        this.databases = databases;
        this.summary = summary;
        this.registerOutputs({ databases, summary, poolers: pooled.summary });
    }
}
