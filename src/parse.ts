/**
 * Raw stack config (plain JSON from `Pulumi.<stack>.yaml`) → typed, defaulted specs.
 * Shape problems (types, unknown fields, missing values) are collected, never thrown.
 */
import { FieldReader, isObject } from "./fields";
import { ConfigProblem, clusterSubject, serviceSubject } from "./problems";
import { snakeCase } from "./names";
import { DEFAULT_PARALLELISM, MAX_PARALLELISM } from "./pool";
import { NO_ROTATION, Rotation, readRotation } from "./rotation";
import { parsePoolerRequest } from "./pooler/parse";
import { CORE_MODES, ClusterSpec, ContainerRequest, CoreMode, DEFAULTS, SSL_MODES, ServiceSpec, isLoopbackHost } from "./spec";

export const CONTAINER_FIELDS = ["name", "image", "version", "port", "volume", "memory", "removeVolumeOnDestroy", "pooler"] as const;

export const CLUSTER_FIELDS = [
    "host", "port", "adminUser", "adminPassword", "sslmode", "maintenanceDatabase",
    "superuser", "maxConnections", "reservedConnections", "sslrootcert", "parallelism", "pooler",
] as const;

export const SERVICE_FIELDS = [
    "cluster", "container", "database", "role", "connectionLimit", "poolSize", "extensions", "schemas", "readers", "rotation", "protect", "retainOnDelete", "backupBeforeMigrate",
] as const;

/** The raw values `index.ts` read from `pulumi.Config`. */
export interface RawPlatformConfig {
    readonly clusters: unknown;
    readonly services: unknown;
    /** Whether `servicedb:clusters` holds a `secure:` value (the admin passwords). */
    readonly clustersAreSecret: boolean;
    /** `servicedb:protect`: the default of every service's `protect`. */
    readonly protect?: unknown;
    /** `servicedb:containerBasePort`: first host port for containers without one. Defaults to 5433. */
    readonly containerBasePort?: unknown;
    /** `servicedb:core`: "single" (default: one ServiceCore step per service) or "resources" (the postgresql provider's chain). */
    readonly core?: unknown;
    /** The stack's name: part of default container and volume names. Defaults to "dev". */
    readonly stack?: string;
    /** `servicedb:dockerHost`: the Docker daemon for containers (e.g. ssh://user@host). */
    readonly dockerHost?: string;
}

/** `required: false`: an absent map is an empty one (a platform of containers has no clusters). */
function mapEntries(raw: unknown, key: string, problems: ConfigProblem[], required = true): [string, unknown][] {
    if ((raw === undefined || raw === null) && !required) return [];
    if (raw === undefined || raw === null) {
        problems.push({ subject: `servicedb:${key}`, field: key, problem: "is not set", fix: `add a servicedb:${key} map to the stack's Pulumi.<stack>.yaml (see README, "Config reference")` });
        return [];
    }
    if (!isObject(raw)) {
        problems.push({ subject: `servicedb:${key}`, field: key, problem: `must be a map of name to settings, got ${JSON.stringify(raw)}`, fix: `write servicedb:${key} as a YAML map` });
        return [];
    }
    return Object.entries(raw);
}

export function parseClusters(raw: unknown, clustersAreSecret: boolean, problems: ConfigProblem[]): ClusterSpec[] {
    // Optional: only a service that names a cluster needs one (checkClusterRef says so).
    return mapEntries(raw, "clusters", problems, false).flatMap(([name, value]) => {
        const subject = clusterSubject(name);
        if (!isObject(value)) {
            problems.push({ subject, field: "(settings)", problem: `must be a map of settings, got ${JSON.stringify(value)}`, fix: `give servicedb:clusters.${name} at least a host` });
            return [];
        }
        const r = new FieldReader(value, subject, `servicedb:clusters.${name}`, problems);
        r.rejectUnknown(CLUSTER_FIELDS);
        const host = r.string("host") ?? "";
        const adminPassword = r.optionalString("adminPassword");
        if (adminPassword !== undefined && !clustersAreSecret) {
            problems.push({
                subject, field: "adminPassword",
                problem: "is stored in plain text",
                fix: `store it encrypted: pulumi config set --secret --path 'servicedb:clusters.${name}.adminPassword' <password>`,
            });
        }
        const spec: ClusterSpec = {
            name,
            host,
            port: r.integer("port", DEFAULTS.port, 1, 65535, "the server's port, e.g. 5432"),
            adminUser: r.string("adminUser", DEFAULTS.adminUser) ?? DEFAULTS.adminUser,
            adminPassword,
            sslmode: r.oneOf("sslmode", SSL_MODES, isLoopbackHost(host) ? DEFAULTS.loopbackSslmode : DEFAULTS.remoteSslmode),
            maintenanceDatabase: r.string("maintenanceDatabase", DEFAULTS.maintenanceDatabase) ?? DEFAULTS.maintenanceDatabase,
            superuser: r.boolean("superuser", DEFAULTS.superuser),
            maxConnections: r.integer("maxConnections", DEFAULTS.maxConnections, 1, 262143, "the server's max_connections (SHOW max_connections)"),
            reservedConnections: r.integer("reservedConnections", DEFAULTS.reservedConnections, 0, 262143, `the connections kept for admins and the provider, e.g. ${DEFAULTS.reservedConnections}`),
            sslrootcert: r.optionalString("sslrootcert"),
            parallelism: r.integer("parallelism", DEFAULT_PARALLELISM, 1, MAX_PARALLELISM, `the PostgreSQL operations run at once on this server, from 1 to ${MAX_PARALLELISM} (default ${DEFAULT_PARALLELISM})`),
            pooler: parsePoolerRequest(value, subject, `servicedb:clusters.${name}`, problems),
        };
        return [spec];
    });
}

/** `servicedb:containerBasePort`, a port (default 5433). */
export function parseBasePort(raw: unknown, fallback: number, problems: ConfigProblem[]): number {
    return new FieldReader({ containerBasePort: raw }, "servicedb:containerBasePort", "servicedb", problems, ":")
        .integer("containerBasePort", fallback, 1024, 64535, "a port from 1024 to 64535 (containers get ports up to 999 above it)");
}

/** `servicedb:core`, "single" (default, DEFAULTS.core) or "resources". */
export function parseCore(raw: unknown, problems: ConfigProblem[]): CoreMode {
    return new FieldReader({ core: raw }, "servicedb:core", "servicedb", problems, ":").oneOf("core", CORE_MODES, DEFAULTS.core);
}

/** `servicedb:protect`, a boolean (default false). */
export function parseProtect(raw: unknown, problems: ConfigProblem[]): boolean {
    return new FieldReader({ protect: raw }, "servicedb:protect", "servicedb", problems, ":").boolean("protect", false);
}

export function parseServices(raw: unknown, problems: ConfigProblem[], protectByDefault = false): ServiceSpec[] {
    return mapEntries(raw, "services", problems).flatMap(([name, value]) => {
        const subject = serviceSubject(name);
        if (!isObject(value)) {
            problems.push({ subject, field: "(settings)", problem: `must be a map of settings, got ${JSON.stringify(value)}`, fix: `give servicedb:services.${name} at least a cluster` });
            return [];
        }
        const r = new FieldReader(value, subject, `servicedb:services.${name}`, problems);
        r.rejectUnknown(SERVICE_FIELDS);
        const container = parseContainerRequest(name, value, problems);
        const spec: ServiceSpec = {
            name,
            cluster: container ? container.name : r.string("cluster") ?? "",
            placement: container ? "container" : "cluster",
            container,
            database: r.string("database", snakeCase(name)) ?? snakeCase(name),
            role: r.string("role", snakeCase(name)) ?? snakeCase(name),
            connectionLimit: r.integer("connectionLimit", DEFAULTS.connectionLimit, 1, 262143, `a whole number of 1 or more (default ${DEFAULTS.connectionLimit})`),
            poolSize: value.poolSize === undefined ? undefined : r.integer("poolSize", 1, 1, 262143, "the pool's server connections, at most connectionLimit"),
            extensions: r.stringList("extensions", []),
            schemas: r.stringList("schemas", DEFAULTS.schemas),
            readers: r.boolean("readers", false),
            rotation: rotationOf(name, value.rotation, problems),
            protect: r.boolean("protect", protectByDefault),
            retainOnDelete: r.boolean("retainOnDelete", false),
            backupBeforeMigrate: backupDirOf(r, value.backupBeforeMigrate, name),
            migrations: [],
        };
        return [spec];
    });
}

/** `backupBeforeMigrate`: true (folder backups/<service>), a folder, or false/absent (no backup). */
function backupDirOf(r: FieldReader, raw: unknown, service: string): string | undefined {
    if (raw === true || raw === "true") return `backups/${service}`;
    if (raw === undefined || raw === null || raw === false || raw === "false") return undefined;
    return r.string("backupBeforeMigrate");
}

function rotationOf(service: string, raw: unknown, problems: ConfigProblem[]): Rotation {
    const r = readRotation(raw);
    if (r) return r;
    problems.push({
        subject: serviceSubject(service), field: "rotation", problem: `must be a whole number of rotations (0, 1, 2, …), got ${JSON.stringify(raw)}`,
        fix: `set servicedb:services.${service}.rotation to the next number to rotate the password (see README, "Rotating a password")`,
    });
    return NO_ROTATION;
}

/** `container:` of a service: an object (or `true` for all defaults); exclusive with `cluster:`. */
function parseContainerRequest(service: string, value: Readonly<Record<string, unknown>>, problems: ConfigProblem[]): ContainerRequest | undefined {
    const subject = serviceSubject(service);
    const path = `servicedb:services.${service}`;
    const raw = value.container;
    if (raw === undefined || raw === null || raw === false) return undefined;
    if (value.cluster !== undefined) {
        problems.push({ subject, field: "container", problem: "is set together with cluster; a service lives either in a shared cluster or in its own container", fix: `remove ${path}.cluster or ${path}.container` });
    }
    if (raw !== true && !isObject(raw)) {
        problems.push({ subject, field: "container", problem: `must be a map of settings (or true), got ${JSON.stringify(raw)}`, fix: `write ${path}.container as a map, e.g. { port: 5433 }` });
        return { name: service };
    }
    const obj = raw === true ? {} : raw;
    const r = new FieldReader(obj, subject, path, problems, ".", "container.");
    r.rejectUnknown(CONTAINER_FIELDS);
    const num = (f: string, min: number, max: number, hint: string) => (obj[f] === undefined ? undefined : r.integer(f, min, min, max, hint));
    return {
        name: r.string("name", service) ?? service,
        image: r.optionalString("image"),
        version: num("version", 12, 18, "a PostgreSQL major version from 12 to 18"),
        port: num("port", 1024, 65535, "a free port from 1024 to 65535"),
        volume: r.optionalString("volume"),
        memory: num("memory", 64, 1048576, "a limit in MB, e.g. 1024"),
        removeVolumeOnDestroy: obj.removeVolumeOnDestroy === undefined ? undefined : r.boolean("removeVolumeOnDestroy", false),
        pooler: parsePoolerRequest(obj, subject, path, problems, "container."),
    };
}
