/**
 * Raw stack config (plain JSON from `Pulumi.<stack>.yaml`) → typed, defaulted specs.
 * Shape problems (types, unknown fields, missing values) are collected, never thrown.
 */
import { FieldReader, isObject, type RawObject } from "./fields";
import { ConfigProblem, clusterSubject, serviceSubject } from "./problems";
import { CLUSTER_SETTINGS } from "./settings/server";
import { GUARD_SETTINGS } from "./settings/guards";
import { SERVICE_SETTINGS, type GuardValues, type ServiceOwner } from "./settings/service";
import { PLACEMENT_SETTINGS } from "./settings/placement";
import { readSettings, type Declaration, type ValuesOf } from "./settings/setting";
import { CLUSTER_PLATFORM_SETTINGS, KUBERNETES_SETTINGS, SERVICE_PLATFORM_SETTINGS, type KubernetesValues } from "./settings/kubernetes";
import { CORE_MODES, ClusterSpec, CoreMode, DEFAULTS, ServiceSpec } from "./spec";

/** The raw values `index.ts` read from `pulumi.Config`. */
export interface RawPlatformConfig {
    readonly clusters: unknown;
    readonly services: unknown;
    /** Whether `servicedb:clusters` holds a `secure:` value (the admin passwords). */
    readonly clustersAreSecret: boolean;
    /** `servicedb:settings`: the guardrails every service inherits and may override. */
    readonly settings?: unknown;
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
    /** `servicedb:kubernetes`: the API server of Secrets and CloudNativePG clusters. */
    readonly kubernetes?: unknown;
}

/** The stack config's top-level keys (`servicedb:<key>`): each read as an object, or as a plain string. */
export const PLATFORM_KEYS = {
    clusters: "object", services: "object", settings: "object", protect: "object", containerBasePort: "object", core: "string", dockerHost: "string", kubernetes: "object",
} as const;

/** The raw platform config from a reader of `servicedb:<key>` (pulumi.Config in a program, a stack file's map in tools). */
export function rawPlatformConfig(read: (key: string, kind: "object" | "string") => unknown, clustersAreSecret: boolean, stack: string): RawPlatformConfig {
    const v = Object.fromEntries(Object.entries(PLATFORM_KEYS).map(([k, kind]) => [k, read(k, kind)])) as Record<keyof typeof PLATFORM_KEYS, unknown>;
    return { ...v, dockerHost: v.dockerHost === undefined ? undefined : String(v.dockerHost), clustersAreSecret, stack };
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
        const path = `servicedb:clusters.${name}`;
        const owner = { subject, path, prefix: "", clustersAreSecret, name };
        const r = new FieldReader(value, subject, path, problems);
        const values = readSettings(CLUSTER_SETTINGS, r, value, owner, Object.keys(CLUSTER_PLATFORM_SETTINGS));
        const { cnpg } = readSettings(CLUSTER_PLATFORM_SETTINGS, r, value, owner, [], false);
        return [{ ...values, name, ...(cnpg ? { cnpg } : {}) }];
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

/** A top-level map of settings (`servicedb:<key>`): absent is empty, anything but a map is one problem. */
function parseTopLevelMap<D extends Declaration<undefined>>(decl: D, key: string, raw: unknown, problems: ConfigProblem[], example: string): ValuesOf<D> {
    const subject = `servicedb:${key}`;
    const given = raw === undefined || raw === null ? {} : raw;
    if (!isObject(given)) {
        problems.push({ subject, field: key, problem: `must be a map of settings, got ${JSON.stringify(raw)}`, fix: `write ${subject} as a YAML map, e.g. ${example}` });
    }
    const obj: RawObject = isObject(given) ? given : {};
    return readSettings(decl, new FieldReader(obj, subject, subject, problems), obj, undefined);
}

/** `servicedb:settings`: the guardrails every service inherits (src/settings/guards.ts). */
export function parseGuards(raw: unknown, problems: ConfigProblem[]): GuardValues {
    return parseTopLevelMap(GUARD_SETTINGS, "settings", raw, problems, "{ statementTimeout: 30s }");
}

/** `servicedb:kubernetes`: the API server's kubeconfig, context and namespaces (src/settings/kubernetes.ts). */
export function parseKubernetes(raw: unknown, problems: ConfigProblem[]): KubernetesValues {
    return parseTopLevelMap(KUBERNETES_SETTINGS, "kubernetes", raw, problems, "{ context: prod }");
}

export function parseServices(raw: unknown, problems: ConfigProblem[], protectByDefault = false, guards: GuardValues = parseGuards(undefined, [])): ServiceSpec[] {
    return mapEntries(raw, "services", problems).flatMap(([name, value]) => {
        const subject = serviceSubject(name);
        if (!isObject(value)) {
            problems.push({ subject, field: "(settings)", problem: `must be a map of settings, got ${JSON.stringify(value)}`, fix: `give servicedb:services.${name} at least a cluster` });
            return [];
        }
        const path = `servicedb:services.${name}`;
        const owner: ServiceOwner = { subject, path, prefix: "", name, protect: protectByDefault, settings: guards };
        const r = new FieldReader(value, subject, path, problems);
        const { cluster, container } = readSettings(PLACEMENT_SETTINGS, r, value, owner, [...Object.keys(SERVICE_SETTINGS), ...Object.keys(SERVICE_PLATFORM_SETTINGS)]);
        const settings = readSettings(SERVICE_SETTINGS, r, value, owner, [], false);
        const { kubernetes } = readSettings(SERVICE_PLATFORM_SETTINGS, r, value, { name }, [], false);
        const spec: ServiceSpec = {
            ...settings, name, migrations: [], ...(kubernetes ? { kubernetes } : {}),
            cluster: container ? container.name : cluster ?? "",
            placement: container ? "container" : "cluster",
            container,
        };
        return [spec];
    });
}

/**
 * One service's spec from settings written as the config writes them, every other field at its
 * declared default: for tests, benchmarks and tools that need a valid spec. Throws on a problem.
 */
export function serviceSpecOf(name: string, settings: Readonly<Record<string, unknown>>): ServiceSpec {
    const problems: ConfigProblem[] = [];
    const [spec] = parseServices({ [name]: settings }, problems);
    if (problems.length > 0 || spec === undefined) throw new Error(`servicedb: serviceSpecOf(${name}): ${JSON.stringify(problems)}`);
    return spec;
}

/** One cluster's spec from settings as the config writes them (see serviceSpecOf). Throws on a problem. */
export function clusterSpecOf(name: string, settings: Readonly<Record<string, unknown>>): ClusterSpec {
    const problems: ConfigProblem[] = [];
    const [spec] = parseClusters({ [name]: settings }, true, problems);
    if (problems.length > 0 || spec === undefined) throw new Error(`servicedb: clusterSpecOf(${name}): ${JSON.stringify(problems)}`);
    return spec;
}
