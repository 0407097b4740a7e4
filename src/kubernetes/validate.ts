/**
 * Kubernetes problems no single field's reader can see: two services writing one Secret, a
 * CloudNativePG cluster whose name Kubernetes refuses, what such a cluster cannot do. Pure;
 * called by findProblems (src/plan.ts) before anything is declared.
 */
import { ConfigProblem, clusterSubject, serviceSubject } from "../problems";
import { kubernetesNameProblem } from "../settings/kubernetes";
import { envSuffix } from "./secret";
import type { ClusterSpec, ServiceSpec } from "../spec";

/** Two services may not write the same Secret (namespace and name). */
export function checkSecrets(services: readonly ServiceSpec[]): ConfigProblem[] {
    const owner = new Map<string, string>();
    return services.flatMap((s) => {
        if (!s.kubernetes) return [];
        const key = `${s.kubernetes.namespace}/${s.kubernetes.secretName}`;
        const first = owner.get(key);
        if (first === undefined) { owner.set(key, s.name); return []; }
        return [{
            subject: serviceSubject(s.name), field: "kubernetes.secretName",
            problem: `is Secret "${key}", which service "${first}" already writes`,
            fix: `give servicedb:services.${s.name}.kubernetes.secretName a name of its own (the default is <service>-postgres)`,
        }];
    });
}

/** A service's Secret has one key per read service: two read services may not map to one key (`chat-v2`, `chat_v2`). */
export function checkSecretKeys(services: readonly ServiceSpec[]): ConfigProblem[] {
    return services.filter((s) => s.kubernetes).flatMap((s) => {
        const seen = new Map<string, string>();
        return s.reads.flatMap((r) => {
            const key = `DATABASE_URL_${envSuffix(r.service)}`;
            const first = seen.get(key);
            seen.set(key, first ?? r.service);
            return first === undefined ? [] : [{
                subject: serviceSubject(s.name), field: "reads", problem: `reads "${first}" and "${r.service}", whose Secret keys are both ${key}`,
                fix: `rename one of the two services, or remove servicedb:services.${s.name}.kubernetes`,
            }];
        });
    });
}

/** A CloudNativePG cluster: a name Kubernetes accepts, and none of what only a connected servicedb does. */
export function checkCnpgClusters(clusters: readonly ClusterSpec[], services: readonly ServiceSpec[]): ConfigProblem[] {
    return clusters.filter((c) => c.cnpg).flatMap((c) => {
        const out: ConfigProblem[] = [];
        const name = kubernetesNameProblem(c.name, "cluster");
        if (name) out.push({ subject: clusterSubject(c.name), field: "cnpg", problem: `the cluster's name ${name}`, fix: `rename servicedb:clusters.${c.name} (and its services' cluster)` });
        if (c.adminPassword !== undefined) {
            out.push({ subject: clusterSubject(c.name), field: "adminPassword", problem: "is set, but servicedb uses no admin login on a cnpg cluster (each service's own role runs its statements)", fix: `remove servicedb:clusters.${c.name}.adminPassword` });
        }
        for (const s of services.filter((x) => x.placement === "cluster" && x.cluster === c.name && x.backupBeforeMigrate !== undefined)) {
            out.push({
                subject: serviceSubject(s.name), field: "backupBeforeMigrate", problem: `is set, but cluster "${c.name}" is a CloudNativePG cluster whose migrations run in a Job inside Kubernetes, where pg_dump has no place to write`,
                fix: `remove it and use CloudNativePG's backups (spec.backup) for cluster "${c.name}"`,
            });
        }
        return out;
    });
}
