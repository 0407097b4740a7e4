/**
 * servicedb:kubernetes:CnpgCluster — a PostgreSQL cluster servicedb declares in Kubernetes with
 * CloudNativePG: the `Cluster` (its services' logins as managed roles, max_connections from the
 * budget, no superuser access) and, with `pooler:`, a `Pooler`. A DatabaseServer like the
 * others: its services' databases, passwords and grants are declared by components/cnpgService.ts.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CNPG_API_VERSION, CnpgClusterSpec, clusterSpec, poolerSpec } from "../src/kubernetes/cnpg";
import { cnpgPoolerHost, cnpgPoolerName } from "../src/kubernetes/names";
import { cnpgImage } from "../src/settings/kubernetes";
import type { PoolerSpec } from "../src/pooler/spec";
import type { ServiceSpec } from "../src/spec";
import type { KubernetesTarget } from "./kubernetes";
import { servicedbLabels } from "./kubernetes";
import type { DatabaseServer } from "./server";

/** What a service on a CloudNativePG cluster needs to declare its objects. */
export interface CnpgTarget {
    readonly cluster: string;
    readonly namespace: string;
    /** The operand image: the access Job runs psql from it. */
    readonly image: string;
    readonly provider: k8s.Provider;
    /** `<project>/<stack>`: the roles' comment. */
    readonly owner: string;
    /** What every object of the cluster's namespace waits for (its Namespace, when declared). */
    readonly namespaceReady: readonly pulumi.Resource[];
    /** The pooler's host, when the cluster has one. */
    readonly poolerHost?: string;
}

export interface CnpgClusterArgs {
    readonly spec: CnpgClusterSpec;
    /** Every service of the platform (those of this cluster become its managed roles). */
    readonly services: readonly ServiceSpec[];
    readonly pooler?: PoolerSpec;
    readonly kubernetes: KubernetesTarget;
}

export class CnpgCluster extends pulumi.ComponentResource implements DatabaseServer {
    readonly ready: readonly pulumi.Resource[];
    readonly host: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly adminUser: pulumi.Output<string>;
    readonly sslmode = "require";
    readonly superuser = false;
    readonly maintenanceDatabase = "postgres";
    readonly parallelism: number;
    readonly reservedConnections: number;
    readonly cnpg: CnpgTarget;
    /** The `Cluster` object. */
    readonly cluster: k8s.apiextensions.CustomResource;
    readonly pooler?: k8s.apiextensions.CustomResource;

    constructor(name: string, args: CnpgClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("servicedb:kubernetes:CnpgCluster", name, {}, opts);
        const { spec } = args;
        const ns = spec.cnpg.namespace;
        const owner = `${pulumi.getProject()}/${pulumi.getStack()}`;
        const k = { parent: this, provider: args.kubernetes.provider, dependsOn: args.kubernetes.namespaceReady(ns) };
        this.cluster = new k8s.apiextensions.CustomResource(`${name}-cluster`, {
            apiVersion: CNPG_API_VERSION, kind: "Cluster",
            metadata: { name, namespace: ns, labels: servicedbLabels() },
            spec: clusterSpec(spec, args.services, owner),
        }, k);
        if (args.pooler) {
            this.pooler = new k8s.apiextensions.CustomResource(`${name}-pooler`, {
                apiVersion: CNPG_API_VERSION, kind: "Pooler",
                metadata: { name: cnpgPoolerName(name), namespace: ns, labels: servicedbLabels() },
                spec: poolerSpec(spec, args.pooler),
            }, { ...k, dependsOn: [...k.dependsOn, this.cluster] });
        }
        this.ready = [this.cluster];
        this.host = pulumi.output(spec.host);
        this.port = pulumi.output(5432);
        this.adminUser = pulumi.output("postgres");
        this.parallelism = spec.parallelism;
        this.reservedConnections = spec.reservedConnections;
        this.cnpg = {
            cluster: name, namespace: ns, image: cnpgImage(spec.cnpg), provider: args.kubernetes.provider, owner,
            namespaceReady: args.kubernetes.namespaceReady(ns), ...(args.pooler ? { poolerHost: cnpgPoolerHost(name, ns) } : {}),
        };
        this.registerOutputs({ host: this.host, port: this.port });
    }
}
