/**
 * planServiceDatabase: the arguments of one ServiceDatabase declared by hand in a program → the
 * validated, defaulted specs of the service and of the server it declares for itself, or a
 * ConfigError listing every problem. It phrases the arguments as a one-service stack config and
 * runs `findProblems` on it, so a hand-written ServiceDatabase gets exactly the defaults,
 * checks and messages of `servicedb:services` (README, "Config reference").
 */
import { findProblems, MigrationLoader } from "./plan";
import { ConfigError, ConfigProblem, clusterSubject, serviceSubject } from "./problems";
import { ClusterSettings, ContainerSettings, ServiceSettings } from "./settings";
import { ClusterSpec, ContainerSpec, ServiceSpec } from "./spec";

/** Where the database lives: exactly one of the three. */
export interface Placement {
    /** A server declared elsewhere in the program (its name, for messages only). */
    readonly server?: { readonly name: string; readonly adminUser?: string };
    /** An existing server's settings: the component declares a provider for it. */
    readonly cluster?: ClusterSettings;
    /** Its own PostgreSQL container (`{}` or `true` for all defaults). */
    readonly container?: ContainerSettings | true;
}

export interface StandalonePlan {
    readonly service: ServiceSpec;
    /** The cluster the component declares, when placed with `cluster`. */
    readonly cluster?: ClusterSpec;
    /** The container the component declares, when placed with `container`. */
    readonly container?: ContainerSpec;
    readonly warnings: readonly string[];
}

/** Stands for a `server` given as a resource: no cluster settings to check, any budget fits. */
const GIVEN_SERVER = { host: "127.0.0.1", maxConnections: 262143, reservedConnections: 10, parallelism: 1 };

function placementProblem(name: string, p: Placement): ConfigProblem | undefined {
    const set = (["server", "cluster", "container"] as const).filter((k) => p[k] !== undefined);
    if (set.length === 1) return undefined;
    return {
        subject: serviceSubject(name), field: set.length ? set.join(", ") : "server",
        problem: set.length ? `are all set; a service database lives on exactly one server` : "is not set: the database has no server",
        fix: "give exactly one of server (a PostgresServer or PostgresContainer of this program), cluster (the settings of an existing server) or container (settings of its own PostgreSQL container, {} for the defaults)",
    };
}

/** A pooler serves a server's services together: a Platform declares it, a lone ServiceDatabase does not. */
function poolerProblem(name: string, p: Placement): ConfigProblem | undefined {
    const where = p.cluster?.pooler !== undefined ? "cluster.pooler" : typeof p.container === "object" && p.container.pooler !== undefined ? "container.pooler" : undefined;
    if (where === undefined) return undefined;
    return {
        subject: serviceSubject(name), field: where, problem: "is set, but a ServiceDatabase on its own declares no pooler",
        fix: "declare the service in a Platform (pooler on its cluster or container), or remove the pooler",
    };
}

/** Reads name other services: only a Platform knows them. */
function readsProblem(name: string, settings: ServiceSettings): ConfigProblem | undefined {
    if (settings.reads === undefined || settings.reads.length === 0) return undefined;
    return {
        subject: serviceSubject(name), field: "reads", problem: "is set, but a ServiceDatabase on its own knows no other service",
        fix: "declare the services in one Platform (servicedb:services), where reads name each other",
    };
}

/** A problem as the config phrases it → as the component's arguments are spelled. */
export function asArguments(p: ConfigProblem, name: string): ConfigProblem {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const spell = (text: string) => text
        .replace(new RegExp(`servicedb:services\\.${escaped}\\.`, "g"), "")
        .replace(new RegExp(`servicedb:clusters\\.${escaped}\\.`, "g"), "cluster.")
        .replace(new RegExp(`servicedb:(services|clusters)\\.${escaped}\\b`, "g"), "the arguments");
    const fromCluster = p.subject === clusterSubject(name);
    return {
        subject: serviceSubject(name),
        field: fromCluster ? `cluster.${p.field}` : p.field,
        problem: spell(p.problem),
        fix: spell(p.fix),
    };
}

/**
 * The specs of one hand-declared service database. `stack` names its container and volume;
 * `loadMigrations` reads its migration folder. Throws ConfigError with every problem.
 */
export function planServiceDatabase(name: string, settings: ServiceSettings, placement: Placement, stack: string, loadMigrations?: MigrationLoader): StandalonePlan {
    const wrong = placementProblem(name, placement) ?? poolerProblem(name, placement) ?? readsProblem(name, settings);
    if (wrong) throw new ConfigError([wrong]);
    const clusterName = name;
    const where = placement.container !== undefined
        ? { container: placement.container === true ? {} : placement.container }
        : { cluster: clusterName };
    const clusters = placement.cluster !== undefined ? { [clusterName]: placement.cluster }
        : placement.server !== undefined ? { [clusterName]: { ...GIVEN_SERVER, adminUser: placement.server.adminUser } }
        : undefined;
    const { spec, problems, warnings } = findProblems({
        clusters,
        services: { [name]: { ...settings, ...where } },
        // Components take the admin password as a pulumi.Input and make it a secret themselves.
        clustersAreSecret: true,
        stack,
    }, loadMigrations);
    if (problems.length > 0) throw new ConfigError(problems.map((p) => asArguments(p, name)));
    return {
        service: spec.services[0],
        cluster: placement.cluster !== undefined ? spec.clusters[0] : undefined,
        container: spec.containers[0],
        warnings,
    };
}
