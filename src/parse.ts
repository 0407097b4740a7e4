/**
 * Raw stack config (plain JSON from `Pulumi.<stack>.yaml`) → typed, defaulted specs.
 * Shape problems (types, unknown fields, missing values) are collected, never thrown.
 */
import { FieldReader, isObject } from "./fields";
import { ConfigProblem, clusterSubject, serviceSubject } from "./problems";
import { snakeCase } from "./names";
import { ClusterSpec, DEFAULTS, SSL_MODES, ServiceSpec, isLoopbackHost } from "./spec";

export const CLUSTER_FIELDS = [
    "host", "port", "adminUser", "adminPassword", "sslmode", "maintenanceDatabase",
    "superuser", "maxConnections", "reservedConnections", "sslrootcert",
] as const;

export const SERVICE_FIELDS = [
    "cluster", "database", "role", "connectionLimit", "extensions", "schemas", "readers", "rotation", "protect", "retainOnDelete",
] as const;

/** The raw values `index.ts` read from `pulumi.Config`. */
export interface RawPlatformConfig {
    readonly clusters: unknown;
    readonly services: unknown;
    /** Whether `servicedb:clusters` holds a `secure:` value (the admin passwords). */
    readonly clustersAreSecret: boolean;
    /** `servicedb:protect`: the default of every service's `protect`. */
    readonly protect?: unknown;
}

function mapEntries(raw: unknown, key: string, problems: ConfigProblem[]): [string, unknown][] {
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
    return mapEntries(raw, "clusters", problems).flatMap(([name, value]) => {
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
        };
        return [spec];
    });
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
        const spec: ServiceSpec = {
            name,
            cluster: r.string("cluster") ?? "",
            database: r.string("database", snakeCase(name)) ?? snakeCase(name),
            role: r.string("role", snakeCase(name)) ?? snakeCase(name),
            connectionLimit: r.integer("connectionLimit", DEFAULTS.connectionLimit, 1, 262143, `a whole number of 1 or more (default ${DEFAULTS.connectionLimit})`),
            extensions: r.stringList("extensions", []),
            schemas: r.stringList("schemas", DEFAULTS.schemas),
            readers: r.boolean("readers", false),
            rotation: r.optionalString("rotation") ?? "",
            protect: r.boolean("protect", protectByDefault),
            retainOnDelete: r.boolean("retainOnDelete", false),
            migrations: [],
        };
        return [spec];
    });
}
