/**
 * Names of what servicedb declares in Kubernetes: one place, so the components, the docs and
 * the tests agree. Pure.
 */
import { createHash } from "crypto";

/** The CloudNativePG `-rw` Service of a cluster: where the primary is, as services in the cluster reach it. */
export function cnpgRwHost(cluster: string, namespace: string): string {
    return `${cluster}-rw.${namespace}.svc`;
}

/** The CloudNativePG `Pooler` of a cluster (its Service has the same name). */
export function cnpgPoolerName(cluster: string): string {
    return `${cluster}-pooler-rw`;
}

export function cnpgPoolerHost(cluster: string, namespace: string): string {
    return `${cnpgPoolerName(cluster)}.${namespace}.svc`;
}

/** The `kubernetes.io/basic-auth` Secret a managed role's password comes from. */
export function rolePasswordSecret(cluster: string, role: string): string {
    return `${cluster}-role-${role.replace(/_/g, "-")}`;
}

/** The `Database` object of a service's database. */
export function databaseObjectName(cluster: string, service: string): string {
    return `${cluster}-${service.replace(/_/g, "-")}`;
}

/**
 * The access Job of a service: named after a hash of what it runs, so a change of its SQL or
 * migrations is a new Job (a Job's template cannot be changed).
 */
export function accessJobName(cluster: string, service: string, script: string): string {
    const hash = createHash("sha256").update(script).digest("hex").slice(0, 8);
    // At most 63 characters (the Job's pods carry it as a label), the hash always kept.
    const prefix = `${cluster}-${service.replace(/_/g, "-")}-access`.slice(0, 63 - 9).replace(/-+$/, "");
    return `${prefix}-${hash}`;
}

/** The ConfigMap holding a service's access script and migration files. */
export function accessConfigMapName(cluster: string, service: string): string {
    return `${cluster}-${service.replace(/_/g, "-")}-access`;
}
