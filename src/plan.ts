/**
 * planPlatform: raw stack config → a validated PlatformSpec, or a ConfigError listing every
 * problem. Called by `index.ts` before any resource is declared.
 */
import { parseBasePort, parseClusters, parseCore, parseGuards, parseKubernetes, parseProtect, parseServices, RawPlatformConfig } from "./parse";
import { checkCnpgClusters, checkSecretKeys, checkSecrets } from "./kubernetes/validate";
import { checkGuards, checkMemoryBudget, checkReads, withImpliedReaders } from "./access";
import { DEFAULT_BASE_PORT, planContainers } from "./containers";
import { ConfigError, ConfigProblem, clusterSubject, serviceSubject } from "./problems";
import { PlatformSpec } from "./spec";
import { checkProviderReserve } from "./pool";
import { planPoolers } from "./pooler/plan";
import { MigrationFile, MigrationFileError } from "./migrations/files";
import { checkClusterRef, checkCollisions, checkConnectionBudget, checkReaderName, checkServiceIdentifiers, checkServiceName } from "./validate";

/** Loads a service's migration files; undefined when it has none. Throws MigrationFileError. */
export type MigrationLoader = (service: string) => MigrationFile[] | undefined;

/** Every problem of a raw config (and its migration files); empty when it is valid. */
export function findProblems(raw: RawPlatformConfig, loadMigrations: MigrationLoader = () => undefined): { spec: PlatformSpec; problems: ConfigProblem[]; warnings: string[] } {
    const problems: ConfigProblem[] = [];
    const clusters = parseClusters(raw.clusters, raw.clustersAreSecret, problems);
    const parsed = parseServices(raw.services, problems, parseProtect(raw.protect, problems), parseGuards(raw.settings, problems));
    const services = withImpliedReaders(parsed).map((s) => ({ ...s, migrations: migrationsOf(s.name, loadMigrations, problems) }));
    const core = parseCore(raw.core, problems);
    const basePort = parseBasePort(raw.containerBasePort, DEFAULT_BASE_PORT, problems);
    const { containers, warnings } = planContainers(services, raw.stack ?? "dev", basePort, problems);
    for (const s of services) {
        const cluster = clusters.find((c) => c.name === s.cluster);
        const host = s.placement === "container"
            ? { label: `container "${s.cluster}"`, adminUser: "postgres", maintenanceDatabase: "postgres" }
            : cluster && { label: clusterSubject(cluster.name), ...cluster };
        problems.push(...checkServiceName(s), ...checkClusterRef(s, clusters), ...checkServiceIdentifiers(s, host), ...checkReaderName(s));
    }
    for (const c of containers.filter((x) => clusters.some((k) => k.name === x.name))) {
        problems.push({ subject: serviceSubject(c.services[0]), field: "container.name", problem: `container "${c.name}" has the name of a cluster`, fix: "give the container another name (container.name)" });
    }
    problems.push(...checkCollisions(services), ...checkReads(services, clusters), ...checkGuards(services, clusters),
        ...checkSecrets(services), ...checkSecretKeys(services), ...checkCnpgClusters(clusters, services));
    const kubernetes = parseKubernetes(raw.kubernetes, problems);
    const usesKubernetes = services.some((s) => s.kubernetes) || clusters.some((c) => c.cnpg);
    for (const c of clusters) problems.push(...checkConnectionBudget(c, services), ...checkProviderReserve(c), ...checkMemoryBudget(c, services));
    for (const c of containers) problems.push(...checkConnectionBudget(c, services, "container"), ...checkMemoryBudget(c, services, "container"));
    const pooled = planPoolers(clusters, containers, services, problems);
    warnings.push(...pooled.warnings);
    return { warnings, spec: { clusters, containers, services, warnings, poolers: pooled.poolers, core, ...(usesKubernetes ? { kubernetes } : {}) }, problems: groupBySubject(problems, [
        ...clusters.map((c) => clusterSubject(c.name)), ...services.map((s) => serviceSubject(s.name))]) };
}

function migrationsOf(service: string, load: MigrationLoader, problems: ConfigProblem[]): MigrationFile[] {
    try {
        return load(service) ?? [];
    } catch (e) {
        if (!(e instanceof MigrationFileError)) throw e;
        problems.push({ subject: serviceSubject(service), field: "migrations", problem: `migrations/${service}/${e.message}`, fix: "rename or fix that file (see README, \"Migrations\")" });
        return [];
    }
}

/** The validated platform; throws ConfigError (every problem at once) otherwise. */
export function planPlatform(raw: RawPlatformConfig, loadMigrations?: MigrationLoader): PlatformSpec {
    const { spec, problems } = findProblems(raw, loadMigrations);
    if (problems.length > 0) throw new ConfigError(problems);
    return spec;
}

/** Problems of one cluster or service together: clusters, then services, in config order, then the rest. */
function groupBySubject(problems: readonly ConfigProblem[], order: readonly string[]): ConfigProblem[] {
    const rank = (p: ConfigProblem) => { const i = order.indexOf(p.subject); return i < 0 ? order.length : i; };
    return [...problems].sort((a, b) => rank(a) - rank(b));
}
