/**
 * The Platform's Kubernetes part: the provider (and namespaces), a CnpgCluster per cluster with
 * `cnpg:`, the pooled URLs of their Poolers, and a Secret per service with `kubernetes:`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CnpgClusterSpec } from "../src/kubernetes/cnpg";
import type { PoolerSpec } from "../src/pooler/spec";
import type { KubernetesValues } from "../src/settings/kubernetes";
import type { ClusterSpec, ServiceSpec } from "../src/spec";
import { connectionUrl } from "../src/url";
import { CnpgCluster } from "./cnpgCluster";
import { declareKubernetes, type KubernetesTarget } from "./kubernetes";
import type { DatabaseServer } from "./server";
import type { ServiceDatabase } from "./serviceDatabase";
import { declareServiceSecret } from "./serviceSecret";

const isCnpg = (c: ClusterSpec): c is CnpgClusterSpec => c.cnpg !== undefined;

/** The provider and namespaces, when a service asks for a Secret or a cluster is a CloudNativePG one. */
export function declareKubernetesTarget(settings: KubernetesValues | undefined, clusters: readonly ClusterSpec[], services: readonly ServiceSpec[], parent: pulumi.Resource): KubernetesTarget | undefined {
    if (!settings) return undefined;
    const namespaces = [...clusters.flatMap((c) => (c.cnpg ? [c.cnpg.namespace] : [])), ...services.flatMap((s) => (s.kubernetes ? [s.kubernetes.namespace] : []))];
    return declareKubernetes(settings, namespaces, parent);
}

/** A CnpgCluster per cluster with `cnpg:`. */
export function declareCnpgServers(clusters: readonly ClusterSpec[], services: readonly ServiceSpec[], poolers: readonly PoolerSpec[], kubernetes: KubernetesTarget | undefined, parent: pulumi.Resource): Record<string, CnpgCluster> {
    const out: Record<string, CnpgCluster> = {};
    for (const c of clusters.filter(isCnpg)) {
        if (!kubernetes) throw new Error(`servicedb: cluster "${c.name}" is a CloudNativePG cluster, but the platform has no Kubernetes settings`);
        const pooler = poolers.find((p) => p.name === c.name);
        out[c.name] = new CnpgCluster(c.name, { spec: c, services, kubernetes, ...(pooler ? { pooler } : {}) }, { parent });
    }
    return out;
}

/** Secret: a login to `database` through a CloudNativePG Pooler (TLS, the operator's certificate). */
export function cnpgPooledUrl(server: DatabaseServer, database: pulumi.Input<string>, db: ServiceDatabase): pulumi.Output<string> | undefined {
    const host = server.cnpg?.poolerHost;
    if (!host) return undefined;
    return pulumi.secret(pulumi.all([database, db.username, db.password]).apply(([d, username, password]) =>
        connectionUrl({ host, port: 5432, database: d, username, password, sslmode: "require" })));
}

export interface SecretWiring {
    readonly services: readonly ServiceSpec[];
    readonly dbs: Readonly<Record<string, ServiceDatabase>>;
    readonly servers: Readonly<Record<string, DatabaseServer>>;
    readonly pooledUrlTo: (service: string, database: string) => pulumi.Output<string> | undefined;
    readonly kubernetes: KubernetesTarget | undefined;
}

/** A Secret per service with `kubernetes:`. */
export function declareSecrets(w: SecretWiring): Record<string, k8s.core.v1.Secret> {
    const byName = new Map(w.services.map((s) => [s.name, s]));
    const out: Record<string, k8s.core.v1.Secret> = {};
    for (const s of w.services) {
        if (!s.kubernetes || !w.kubernetes) continue;
        out[s.name] = declareServiceSecret(s.name, {
            secret: s.kubernetes, db: w.dbs[s.name], server: w.servers[s.cluster], rotation: s.rotation.count, kubernetes: w.kubernetes,
            pooledUrl: w.pooledUrlTo(s.name, s.database),
            reads: s.reads.map((r) => {
                const database = (byName.get(r.service) as ServiceSpec).database;
                const pooledUrl = w.pooledUrlTo(s.name, database);
                return { service: r.service, database, ...(pooledUrl ? { pooledUrl } : {}) };
            }),
        });
    }
    return out;
}
