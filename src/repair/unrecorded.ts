/**
 * Creates the engine recorded as failed, not as pending: a ServiceCore whose create was cut (a
 * server restart, a failover) leaves no trace in the state, only its objects on the server. For
 * every service of the stack's config on `core: single` with no ServiceCore in the state, repair
 * looks its names up with the same rule the create applies (src/core/provider.ts inspectCore)
 * and says what the next `up` will do: take over what this stack's interrupted create made, or
 * refuse an object that is not the stack's (a person decides).
 */
import { connectionProblem } from "../connect";
import { inspectCore } from "../core/provider";
import { findProblems } from "../plan";
import { RESOURCE_TYPES } from "../plugin/types";
import type { ClusterSpec, ServiceSpec } from "../spec";
import { ExportedState } from "./state";

const CORE_TYPE = RESOURCE_TYPES.core;

export interface UnrecordedFinding {
    readonly line: string;
    /** The next `up` would refuse it: a person must act. */
    readonly conflict: boolean;
}

const list = (xs: readonly string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}` : xs[0]);

function recorded(state: ExportedState, service: string): boolean {
    const mine = (urn: string, type: string) => type === CORE_TYPE && urn.endsWith(`::${service}-core`);
    return state.resources.some((r) => mine(r.urn, r.type)) || state.pending.some((p) => mine(p.resource.urn, p.resource.type));
}

async function inspect(owner: string, s: ServiceSpec, c: ClusterSpec): Promise<UnrecordedFinding | undefined> {
    const name = `${s.name}-core (core)`;
    try {
        const { found, foreign } = await inspectCore({
            host: c.host, port: c.port, adminUser: c.adminUser, adminPassword: c.adminPassword, sslmode: c.sslmode, sslrootcert: c.sslrootcert,
            maintenanceDatabase: c.maintenanceDatabase, superuser: c.superuser, parallelism: c.parallelism, reservedConnections: c.reservedConnections,
            owner, role: s.role, database: s.database,
        });
        if (found.length === 0) return undefined;
        if (foreign.length > 0) {
            return { conflict: true, line: `${"CONFLICT".padEnd(10)} ${name}: not in the state, and ${list(foreign)} on ${c.host}:${c.port} ${foreign.length > 1 ? "were" : "was"} not made by this stack: the next up refuses it; left alone. Fix: drop ${foreign.length > 1 ? "them" : "it"} if left over, or give the service other names` };
        }
        return { conflict: false, line: `${"found".padEnd(10)} ${name}: not in the state (its create failed), and ${list(found)} on ${c.host}:${c.port} ${found.length > 1 ? "are" : "is"} this stack's interrupted create: nothing to change, the next up takes ${found.length > 1 ? "them" : "it"} over` };
    } catch (e) {
        return { conflict: true, line: `${"UNRESOLVED".padEnd(10)} ${name}: cannot look it up on ${c.host}:${c.port}: ${connectionProblem(e)}. Fix: make the server reachable for the admin login, then npm run repair again` };
    }
}

/**
 * One finding per unrecorded ServiceCore whose names are on its server. `config` is the stack's
 * config as `pulumi config --json --show-secrets` gives it (key → value).
 */
export async function unrecordedCores(config: Readonly<Record<string, unknown>>, stack: string, project: string, state: ExportedState): Promise<UnrecordedFinding[]> {
    const { spec, problems } = findProblems({
        clusters: config["servicedb:clusters"], services: config["servicedb:services"], clustersAreSecret: true,
        protect: config["servicedb:protect"], containerBasePort: config["servicedb:containerBasePort"], core: config["servicedb:core"], stack,
    });
    if (problems.length > 0 || spec.core !== "single") return [];
    const out: UnrecordedFinding[] = [];
    for (const s of spec.services.filter((x) => !recorded(state, x.name))) {
        const cluster = spec.clusters.find((c) => c.name === s.cluster);
        // A container's admin password lives in the state of the container: nothing to look up with.
        if (!cluster) continue;
        const f = await inspect(`${project}/${stack}`, s, cluster);
        if (f) out.push(f);
    }
    return out;
}
