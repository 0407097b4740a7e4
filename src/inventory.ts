/**
 * The resources a validated platform declares, by type and name, computed from the spec alone:
 * what `Platform` (components/platform.ts) registers, without loading the Pulumi SDK. The offline
 * plan uses it, so `npm run plan` starts in tens of milliseconds instead of the ~1 s that
 * `@pulumi/pulumi` takes to load. test/unit/inventory.test.ts holds it equal to what the program
 * registers under mocks, for every stack file and for generated platforms: a component that
 * gains or loses a resource fails that test until this file follows.
 */
import { loginSettingsValues } from "./guards";
import { PLUGIN_NAME, RESOURCE_TYPES } from "./plugin/types";
import { CoreMode, DEFAULTS, PlatformSpec, ServiceSpec } from "./spec";

export interface DeclaredResource {
    readonly type: string;
    readonly name: string;
}

export const TYPES = {
    platform: "servicedb:platform:Platform",
    server: "servicedb:postgres:Server",
    container: "servicedb:docker:PostgresContainer",
    service: "servicedb:postgres:ServiceDatabase",
    pooler: "servicedb:pooler:PgBouncer",
    migrations: RESOURCE_TYPES.migrations,
    core: RESOURCE_TYPES.core,
    reads: RESOURCE_TYPES.reads,
    serviceRead: "servicedb:postgres:ServiceRead",
    loginSettings: RESOURCE_TYPES.loginSettings,
    servicedbProvider: `pulumi:providers:${PLUGIN_NAME}`,
    postgresProvider: "pulumi:providers:postgresql",
    dockerProvider: "pulumi:providers:docker",
    randomPassword: "random:index/randomPassword:RandomPassword",
    role: "postgresql:index/role:Role",
    grantRole: "postgresql:index/grantRole:GrantRole",
    database: "postgresql:index/database:Database",
    grant: "postgresql:index/grant:Grant",
    schema: "postgresql:index/schema:Schema",
    defaultPrivileges: "postgresql:index/defaultPrivileges:DefaultPrivileges",
    extension: "postgresql:index/extension:Extension",
    network: "docker:index/network:Network",
    image: "docker:index/remoteImage:RemoteImage",
    volume: "docker:index/volume:Volume",
    dockerContainer: "docker:index/container:Container",
    kubernetesProvider: "pulumi:providers:kubernetes",
    namespace: "kubernetes:core/v1:Namespace",
    namespacePatch: "kubernetes:core/v1:NamespacePatch",
    secret: "kubernetes:core/v1:Secret",
    configMap: "kubernetes:core/v1:ConfigMap",
    job: "kubernetes:batch/v1:Job",
    cnpg: "servicedb:kubernetes:CnpgCluster",
    cnpgCluster: "kubernetes:postgresql.cnpg.io/v1:Cluster",
    cnpgDatabase: "kubernetes:postgresql.cnpg.io/v1:Database",
    cnpgPooler: "kubernetes:postgresql.cnpg.io/v1:Pooler",
} as const;

/** servicedb's components: they group resources and change nothing themselves. */
export const COMPONENT_TYPES: ReadonlySet<string> = new Set([TYPES.platform, TYPES.server, TYPES.container, TYPES.service, TYPES.pooler, TYPES.serviceRead, TYPES.cnpg]);

const r = (type: string, name: string): DeclaredResource => ({ type, name });

/** One ServiceDatabase and its children (components/serviceDatabase.ts, serviceChain.ts or serviceCore.ts, readerRole.ts, credentials.ts). */
export function serviceInventory(s: ServiceSpec, serverIsSuperuser: boolean, core: CoreMode = DEFAULTS.core): DeclaredResource[] {
    const n = s.name;
    const migrations = s.migrations.length > 0 ? [r(TYPES.migrations, `${n}-migrations`)] : [];
    if (core === "single") return [r(TYPES.service, n), r(TYPES.core, `${n}-core`), ...migrations];
    const out = [
        r(TYPES.service, n),
        r(TYPES.randomPassword, `${n}-password`), r(TYPES.randomPassword, `${n}-password-b`),
        r(TYPES.role, `${n}-role`), r(TYPES.role, `${n}-login-b`),
        ...(serverIsSuperuser ? [] : [r(TYPES.grantRole, `${n}-admin-member`)]),
        ...(Object.keys(loginSettingsValues(s.settings, serverIsSuperuser)).length > 0 ? [r(TYPES.loginSettings, `${n}-settings`)] : []),
        ...(s.readers ? [r(TYPES.role, `${n}-reader`)] : []),
        r(TYPES.database, `${n}-db`),
        r(TYPES.grant, `${n}-revoke-public-db`),
        ...s.schemas.flatMap((schema) => [r(TYPES.schema, `${n}-schema-${schema}`), r(TYPES.grant, `${n}-revoke-public-schema-${schema}`)]),
    ];
    if (s.readers) {
        out.push(r(TYPES.grant, `${n}-reader-connect`));
        for (const schema of s.schemas) {
            out.push(r(TYPES.grant, `${n}-reader-usage-${schema}`), r(TYPES.grant, `${n}-reader-tables-${schema}`),
                r(TYPES.defaultPrivileges, `${n}-reader-default-${schema}`));
        }
    }
    out.push(...s.extensions.map((ext) => r(TYPES.extension, `${n}-ext-${ext}`)));
    // Declared by the Platform, beside the component.
    out.push(...migrations);
    return out;
}

/** A service on a CloudNativePG cluster (components/cnpgService.ts). */
export function cnpgServiceInventory(s: ServiceSpec): DeclaredResource[] {
    const n = s.name;
    return [
        r(TYPES.service, n), r(TYPES.randomPassword, `${n}-password`), r(TYPES.randomPassword, `${n}-password-b`),
        r(TYPES.secret, `${n}-role`), r(TYPES.secret, `${n}-role-b`), r(TYPES.cnpgDatabase, `${n}-database`),
        r(TYPES.configMap, `${n}-access`), r(TYPES.job, `${n}-access-job`),
    ];
}

/** The Kubernetes provider and namespaces (components/kubernetes.ts), and a Secret per service that asks (components/serviceSecret.ts). */
function kubernetesInventory(spec: PlatformSpec): DeclaredResource[] {
    if (!spec.kubernetes) return [];
    const namespaces = new Set([...spec.clusters.flatMap((c) => (c.cnpg ? [c.cnpg.namespace] : [])), ...spec.services.flatMap((s) => (s.kubernetes ? [s.kubernetes.namespace] : []))]);
    return [
        r(TYPES.kubernetesProvider, "kubernetes"),
        ...(spec.kubernetes.namespaces === "existing" ? [] : [...namespaces].map((ns) => r(spec.kubernetes?.namespaces === "own" ? TYPES.namespace : TYPES.namespacePatch, `namespace-${ns}`))),
        ...spec.services.flatMap((s) => (s.kubernetes ? [r(TYPES.secret, `${s.name}-secret`)] : [])),
    ];
}

/** The grants of a service's `reads:` (components/serviceReads.ts). */
export function readsInventory(s: ServiceSpec, spec: PlatformSpec): DeclaredResource[] {
    if (s.reads.length === 0) return [];
    if (spec.core === "single") return [r(TYPES.reads, `${s.name}-reads`)];
    return s.reads.flatMap((read) => {
        const p = `${s.name}-reads-${read.service}`;
        const schemas = read.schemas ?? spec.services.find((x) => x.name === read.service)?.schemas ?? [];
        return [r(TYPES.serviceRead, p), r(TYPES.grant, `${p}-connect`), ...schemas.flatMap((x) => [r(TYPES.grant, `${p}-usage-${x}`), r(TYPES.grant, `${p}-tables-${x}`), r(TYPES.defaultPrivileges, `${p}-default-${x}`)])];
    });
}

/** Everything `new Platform(name, …)` registers for `spec`, in no particular order. */
export function platformInventory(spec: PlatformSpec, stack: string, name = "servicedb"): DeclaredResource[] {
    const out = [r(TYPES.platform, name), ...kubernetesInventory(spec)];
    const superuser = new Map<string, boolean>();
    const cnpg = new Set(spec.clusters.flatMap((c) => (c.cnpg ? [c.name] : [])));
    // A server's postgresql provider: only the resource chain uses one.
    const provider = (server: string) => (spec.core === "single" ? [] : [r(TYPES.postgresProvider, `${server}-provider`)]);
    for (const c of spec.clusters) {
        if (cnpg.has(c.name)) {
            out.push(r(TYPES.cnpg, c.name), r(TYPES.cnpgCluster, `${c.name}-cluster`), ...(spec.poolers.some((p) => p.name === c.name) ? [r(TYPES.cnpgPooler, `${c.name}-pooler`)] : []));
            continue;
        }
        superuser.set(c.name, c.superuser);
        out.push(r(TYPES.server, c.name), r(TYPES.servicedbProvider, `${c.name}-servicedb`), ...provider(c.name));
    }
    const bouncers = spec.poolers.filter((p) => !cnpg.has(p.name));
    const needsDocker = spec.containers.length > 0 || bouncers.some((p) => !p.external);
    if (needsDocker) out.push(r(TYPES.dockerProvider, "docker"), r(TYPES.network, `${stack}-network`));
    for (const c of spec.containers) {
        superuser.set(c.name, true);
        out.push(r(TYPES.container, c.name), r(TYPES.servicedbProvider, `${c.name}-servicedb`), r(TYPES.image, `${c.name}-image`), r(TYPES.volume, `${c.name}-data`),
            r(TYPES.randomPassword, `${c.name}-admin-password`), r(TYPES.dockerContainer, c.name), ...provider(c.name));
    }
    for (const s of spec.services) {
        out.push(...(cnpg.has(s.cluster) ? cnpgServiceInventory(s) : [...serviceInventory(s, superuser.get(s.cluster) ?? true, spec.core), ...readsInventory(s, spec)]));
    }
    for (const p of bouncers) {
        out.push(r(TYPES.pooler, `${p.name}-pooler`));
        if (!p.external) out.push(r(TYPES.image, `${p.name}-pooler-image`), r(TYPES.dockerContainer, `${p.name}-pooler`));
    }
    return out;
}
