/**
 * Semantic checks of a parsed platform. Each function is pure and returns the problems it finds;
 * `planPlatform` runs them all so that a config's every problem is reported at once.
 */
import { ConfigProblem, clusterSubject, serviceSubject } from "./problems";
import { MAX_IDENTIFIER_BYTES, RESERVED_DATABASES, RESERVED_ROLES, RESERVED_SCHEMAS, SERVICE_NAME, byteLength, identifierProblem, readerRole } from "./names";
import { ClusterSpec, ServiceSpec } from "./spec";
import { secondLogin } from "./rotation";

/** Extension names as `CREATE EXTENSION` and `pg_available_extensions` spell them. */
const EXTENSION_NAME = /^[a-z0-9_][a-z0-9_-]*$/;

export function checkServiceName(s: ServiceSpec): ConfigProblem[] {
    if (SERVICE_NAME.test(s.name) && byteLength(s.name) <= MAX_IDENTIFIER_BYTES) return [];
    return [{
        subject: serviceSubject(s.name), field: "(name)",
        problem: `is not a valid service name (lower-case letters, digits, single "-" or "_" between them, at most ${MAX_IDENTIFIER_BYTES} bytes)`,
        fix: `rename the key under servicedb:services, e.g. "${s.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "my-service"}"`,
    }];
}

/** The server a service lands on, as far as name checks care. */
export interface HostServer {
    /** `cluster "main"` or `container "k-indexer"`. */
    readonly label: string;
    readonly adminUser: string;
    readonly maintenanceDatabase: string;
}

export function checkServiceIdentifiers(s: ServiceSpec, cluster: HostServer | undefined): ConfigProblem[] {
    const out: ConfigProblem[] = [];
    const subject = serviceSubject(s.name);
    const path = `servicedb:services.${s.name}`;
    const dbProblem = identifierProblem(s.database, "database")
        ?? (RESERVED_DATABASES.includes(s.database) ? `"${s.database}" is a database every PostgreSQL server already has` : undefined)
        ?? (cluster && s.database === cluster.maintenanceDatabase ? `"${s.database}" is the maintenance database of ${cluster.label}` : undefined);
    if (dbProblem) out.push({ subject, field: "database", problem: dbProblem, fix: `set ${path}.database to another name, e.g. "${safeName(s.name)}_db"` });

    const roleProblem = identifierProblem(s.role, "role")
        ?? (RESERVED_ROLES.includes(s.role) ? `"${s.role}" is reserved by PostgreSQL` : undefined)
        ?? (cluster && s.role === cluster.adminUser ? `"${s.role}" is the admin user of ${cluster.label}` : undefined);
    if (roleProblem) out.push({ subject, field: "role", problem: roleProblem, fix: `set ${path}.role to another name, e.g. "${safeName(s.name)}_app"` });

    for (const schema of s.schemas) {
        const p = identifierProblem(schema, "schema") ?? (RESERVED_SCHEMAS.includes(schema) ? `"${schema}" belongs to the server` : undefined);
        if (p) out.push({ subject, field: "schemas", problem: p, fix: `remove it from ${path}.schemas or pick another name` });
    }
    for (const ext of s.extensions) {
        if (!EXTENSION_NAME.test(ext)) {
            out.push({ subject, field: "extensions", problem: `"${ext}" is not an extension name`, fix: `use the name as SELECT name FROM pg_available_extensions shows it, e.g. "pgcrypto"` });
        }
    }
    out.push(...duplicatesIn(s.schemas, subject, "schemas", path), ...duplicatesIn(s.extensions, subject, "extensions", path));
    return out;
}

function duplicatesIn(list: readonly string[], subject: string, field: string, path: string): ConfigProblem[] {
    const seen = new Set<string>();
    return list.flatMap((x) => {
        if (!seen.has(x)) { seen.add(x); return []; }
        return [{ subject, field, problem: `lists "${x}" twice`, fix: `remove the second "${x}" from ${path}.${field}` }];
    });
}

function safeName(service: string): string {
    return service.replace(/[^a-z0-9]+/g, "_").slice(0, 40) || "svc";
}

export function checkClusterRef(s: ServiceSpec, clusters: readonly ClusterSpec[]): ConfigProblem[] {
    if (s.placement === "container" || clusters.some((c) => c.name === s.cluster)) return [];
    const known = clusters.map((c) => `"${c.name}"`).join(", ");
    return [{
        subject: serviceSubject(s.name), field: "cluster",
        problem: s.cluster === "" ? "names no cluster (and no container)" : `names cluster "${s.cluster}", which servicedb:clusters does not define`,
        fix: (known ? `use one of ${known}, or add servicedb:clusters.${s.cluster || "<name>"}` : `add servicedb:clusters.${s.cluster || "<name>"} with at least a host`)
            + (s.cluster === "" ? `, or give the service its own server with container: {}` : ""),
    }];
}

/** Two services of one cluster may not share a database or a role (second logins and reader roles included). */
export function checkCollisions(services: readonly ServiceSpec[]): ConfigProblem[] {
    const out: ConfigProblem[] = [];
    const names = (s: ServiceSpec, field: "database" | "role") =>
        field === "role" ? [s.role, secondLogin(s.role), ...(s.readers ? [readerRole(s.role)] : [])] : [s[field]];
    for (const field of ["database", "role"] as const) {
        const owner = new Map<string, string>();
        for (const s of services) {
            let reported = false; // one problem per service and field: a clashing role also clashes as <role>_b
            for (const name of names(s, field)) {
                const key = `${s.cluster}\u0000${name}`;
                const first = owner.get(key);
                if (first === undefined) { owner.set(key, s.name); continue; }
                if (reported) continue;
                reported = true;
                out.push({
                    subject: serviceSubject(s.name), field,
                    problem: `resolves to ${field} "${name}" in cluster "${s.cluster}", which service "${first}" already uses`,
                    fix: `set servicedb:services.${s.name}.${field} to a name of its own`,
                });
            }
        }
    }
    return out;
}

/** `<role>_b` (the second login) and `<role>_reader` must themselves be valid, untruncated role names. */
export function checkReaderName(s: ServiceSpec): ConfigProblem[] {
    const login = identifierProblem(secondLogin(s.role), "role");
    const reader = s.readers ? identifierProblem(readerRole(s.role), "role") : undefined;
    const fix = (suffix: number) => `shorten servicedb:services.${s.name}.role to at most ${MAX_IDENTIFIER_BYTES - suffix} bytes`;
    return [
        ...(login && !identifierProblem(s.role, "role") ? [{ subject: serviceSubject(s.name), field: "role", problem: `the second login ${login}`, fix: fix(2) }] : []),
        ...(reader ? [{ subject: serviceSubject(s.name), field: "readers", problem: `the reader role ${reader}`, fix: fix(7) }] : []),
    ];
}

/** A server with a connection budget: a cluster, or a container (subject and fix differ). */
export interface BudgetPool {
    readonly name: string;
    readonly maxConnections: number;
    readonly reservedConnections: number;
}

/** The services' connection limits plus the reserve must fit in the server's max_connections. */
export function checkConnectionBudget(cluster: BudgetPool, services: readonly ServiceSpec[], kind: "cluster" | "container" = "cluster"): ConfigProblem[] {
    const mine = services.filter((s) => s.cluster === cluster.name);
    const used = mine.reduce((sum, s) => sum + s.connectionLimit, 0);
    const need = used + cluster.reservedConnections;
    if (need <= cluster.maxConnections) return [];
    const parts = mine.map((s) => `${s.name}=${s.connectionLimit}`).join(" + ");
    const raise = kind === "cluster" ? `raise maxConnections (and the server's max_connections) to ${need}` : "give some of them a container of their own";
    return [{
        subject: kind === "cluster" ? clusterSubject(cluster.name) : `container "${cluster.name}"`, field: "maxConnections",
        problem: `the services' connection limits (${parts} = ${used}) plus reservedConnections (${cluster.reservedConnections}) need ${need}, but maxConnections is ${cluster.maxConnections}`,
        fix: `lower some services' connectionLimit by ${need - cluster.maxConnections} in total, or ${raise}`,
    }];
}
