/**
 * The stack's Kubernetes API server: one explicit provider (default providers are disabled in
 * Pulumi.yaml, as for postgresql and docker) and the namespaces servicedb writes to: ensured (a
 * NamespacePatch: created when missing, shared when there, left by destroy), owned (a Namespace
 * of the stack) or left alone (`namespaces: existing`).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesValues } from "../src/settings/kubernetes";

export interface KubernetesTarget {
    readonly provider: k8s.Provider;
    /** What an object in `namespace` waits for: its Namespace when servicedb declares it. */
    readonly namespaceReady: (namespace: string) => pulumi.Resource[];
}

/** The provider, and a Namespace (or NamespacePatch) per name in `namespaces` unless they are `existing`. */
export function declareKubernetes(settings: KubernetesValues, namespaces: readonly string[], parent: pulumi.Resource): KubernetesTarget {
    const provider = new k8s.Provider("kubernetes", {
        ...(settings.kubeconfig === undefined ? {} : { kubeconfig: settings.kubeconfig }),
        ...(settings.context === undefined ? {} : { context: settings.context }),
    }, { parent });
    const declared = new Map<string, pulumi.Resource>();
    for (const ns of settings.namespaces === "existing" ? [] : [...new Set(namespaces)].sort()) {
        const args = { metadata: { name: ns, labels: servicedbLabels() } };
        declared.set(ns, settings.namespaces === "own"
            ? new k8s.core.v1.Namespace(`namespace-${ns}`, args, { parent, provider })
            : new k8s.core.v1.NamespacePatch(`namespace-${ns}`, args, { parent, provider }));
    }
    return { provider, namespaceReady: (ns) => { const n = declared.get(ns); return n ? [n] : []; } };
}

/** Labels on everything servicedb puts in Kubernetes. */
export function servicedbLabels(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return { "app.kubernetes.io/managed-by": "servicedb", ...extra };
}
