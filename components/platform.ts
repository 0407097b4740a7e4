import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSpec, ContainerSpec, CoreMode, DEFAULTS, ServiceSpec } from "../src/spec";
import { PostgresContainer } from "./postgresContainer";
import { PostgresServer } from "./postgresServer";
import { DatabaseServer } from "./server";
import { ServiceDatabase } from "./serviceDatabase";
import { ServiceMigrations } from "./serviceMigrations";
import { assignLanes } from "../src/pool";
import { PoolerSpec } from "../src/pooler/spec";
import { PoolerSummary, declarePoolers, poolerSummary } from "./poolers";
import { ServiceSummary, summaryOf } from "./platformSummary";
import { declareReads } from "./serviceReads";
import type { KubernetesValues } from "../src/settings/kubernetes";
import { readersOf } from "../src/kubernetes/access";
import type * as PlatformKubernetes from "./platformKubernetes";

/** Loaded by a platform that uses Kubernetes only: @pulumi/kubernetes would add to every program's start-up. */
function kubernetesPart(): typeof PlatformKubernetes {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("./platformKubernetes") as typeof PlatformKubernetes;
}

/** What a service needs to connect; `password` and `url` are secrets. */
export interface ServiceConnection extends Pick<ServiceDatabase, "host" | "port" | "database" | "username" | "password" | "url"> {
    /** The cluster or container that hosts the database. */
    readonly cluster: string;
    /** Secret: the same login through the server's PgBouncer, when the server has a pooler. */
    readonly pooledUrl?: pulumi.Output<string>;
    /** Secret URLs of the services it reads (`reads:`): its own login, the read service's database; through the pooler too where there is one. */
    readonly reads?: Readonly<Record<string, ReadConnection>>;
}

export interface ReadConnection {
    readonly url: pulumi.Output<string>;
    readonly pooledUrl?: pulumi.Output<string>;
}

export type { ServiceSummary } from "./platformSummary";

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
    /** The Kubernetes API server of Secrets and CloudNativePG clusters (`servicedb:kubernetes`). Defaults to none. */
    readonly kubernetes?: KubernetesValues;
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
    /** service → its Kubernetes Secret (`kubernetes:`). */
    readonly secrets: Readonly<Record<string, import("@pulumi/kubernetes").core.v1.Secret>>;
    /** Secret: server → rendered PgBouncer files, for poolers that run elsewhere. */
    readonly poolerFiles: Readonly<Record<string, pulumi.Output<Record<string, string>>>>;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("servicedb:platform:Platform", name, {}, opts);
        const core = args.core ?? DEFAULTS.core;

        const poolerSpecs = args.poolers ?? [];
        const k8s = args.kubernetes ? kubernetesPart() : undefined;
        const kubernetes = k8s?.declareKubernetesTarget(args.kubernetes, args.clusters ?? [], args.services, this);
        const cnpg = k8s ? k8s.declareCnpgServers(args.clusters ?? [], args.services, poolerSpecs, kubernetes, this) : {};
        const servers: Record<string, DatabaseServer> = { ...cnpg };
        const parallelism: Record<string, number> = {};
        for (const c of (args.clusters ?? []).filter((x) => !x.cnpg)) {
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
        // A CloudNativePG cluster's pooler is its Pooler object (components/cnpgCluster.ts).
        const pgBouncers = poolerSpecs.filter((p) => !cnpg[p.name]);
        let dockerProvider: docker.Provider | undefined;
        let network: docker.Network | undefined;
        if (containers.length > 0 || pgBouncers.some((p) => !p.external)) {
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
        for (const server of core === "single" ? [] : Object.keys(servers).filter((x) => !cnpg[x])) {
            const mine = args.services.filter((s) => s.cluster === server).map((s) => s.name);
            for (const [svc, before] of assignLanes(mine, parallelism[server])) previous.set(svc, before);
        }
        const readBy = readersOf(args.services);
        for (const s of args.services) {
            const before = previous.get(s.name);
            const db = new ServiceDatabase(s.name, {
                spec: s, server: servers[s.cluster], core, readBy: readBy.get(s.name) ?? [],
                after: before === undefined ? undefined : services[before].tail,
            }, { parent: this });
            services[s.name] = db;
            if (db.migrations) migrations[s.name] = db.migrations;
            databases[s.name] = {
                cluster: s.cluster, host: db.host, port: db.port, database: db.database,
                username: db.username, password: db.password, url: db.url,
            };
            summary[s.name] = summaryOf(s);
        }

        // Reads between services: after both cores, one service's grants at a time per server.
        const byName = new Map(args.services.map((s) => [s.name, s]));
        const lastReads = new Map<string, pulumi.Resource>();
        // On a CloudNativePG cluster, the read service's access Job grants them (components/cnpgService.ts).
        for (const s of args.services.filter((x) => !cnpg[x.cluster])) {
            const previous = lastReads.get(s.cluster);
            const last = declareReads(s.name, {
                reader: s, read: (svc) => byName.get(svc) as ServiceSpec, server: servers[s.cluster], core,
                // The read service's migrations too: its tables exist, and no grant races a migration's DDL.
                after: [services[s.name].tail, ...s.reads.flatMap((r) => [services[r.service].tail, ...(migrations[r.service] ? [migrations[r.service]] : [])]),
                    ...(previous ? [previous] : [])],
            }, services[s.name]);
            if (last) lastReads.set(s.cluster, last);
        }

        const bouncers = declarePoolers(pgBouncers, { stack: args.stack, services, servers, dockerProvider, network }, this);
        const pooledUrlTo = (service: string, database: string) => {
            const s = byName.get(service) as ServiceSpec;
            return k8s && cnpg[s.cluster] ? k8s.cnpgPooledUrl(cnpg[s.cluster], database, services[service]) : bouncers.pooledUrlTo(service, database);
        };
        const pooled = { ...bouncers, pooledUrlTo };
        for (const s of args.services) {
            const pooledUrl = cnpg[s.cluster] ? pooledUrlTo(s.name, s.database) : bouncers.pooledUrls[s.name];
            if (pooledUrl) databases[s.name] = { ...databases[s.name], pooledUrl };
        }
        for (const s of args.services.filter((x) => x.reads.length > 0)) {
            databases[s.name] = {
                ...databases[s.name],
                reads: Object.fromEntries(s.reads.map((r) => {
                    const database = (byName.get(r.service) as ServiceSpec).database;
                    const pooledUrl = pooled.pooledUrlTo(s.name, database);
                    return [r.service, { url: services[s.name].urlTo(database), ...(pooledUrl ? { pooledUrl } : {}) }];
                })),
            };
        }

        this.secrets = k8s ? k8s.declareSecrets({ services: args.services, dbs: services, servers, pooledUrlTo, kubernetes }) : {};
        // CloudNativePG's Poolers too: where clients connect and the pools the budget gives.
        this.poolers = { ...pooled.summary, ...Object.fromEntries(poolerSpecs.filter((p) => p.cnpg).map((p) => [p.name, poolerSummary(p)])) };
        this.poolerFiles = pooled.files;
        this.servers = servers;
        this.services = services;
        this.migrations = migrations;
        this.databases = databases;
        this.summary = summary;
        this.registerOutputs({ databases, summary, poolers: this.poolers });
    }
}
