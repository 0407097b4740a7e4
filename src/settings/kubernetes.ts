/**
 * Kubernetes, declared once: the stack's API server (`servicedb:kubernetes`), a service's
 * Secret (`servicedb:services.<svc>.kubernetes`) and a CloudNativePG cluster servicedb declares
 * (`servicedb:clusters.<name>.cnpg`). Platform-only settings: the cross-language components
 * take no Kubernetes arguments (docs/kubernetes.md).
 */
import { isObject, type FieldReader, type RawObject } from "../fields";
import { choice, custom, integer, optionalInteger, optionalText } from "./kinds";
import { readSettings, type Declaration, type InputOf, type Setting, type ValuesOf } from "./setting";
import type { Owner } from "./server";

/** A DNS-1123 label: what Kubernetes accepts as a namespace name (and as a Service name). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: what it accepts as a Secret, ConfigMap or custom resource name. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A resource quantity (`10Gi`, `500m`, `1.5`), as the API server parses it. */
export const QUANTITY = /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

/** Why `name` is not a name Kubernetes accepts for `kind`, or undefined. */
export function kubernetesNameProblem(name: string, kind: "namespace" | "Secret" | "cluster"): string | undefined {
    const label = kind !== "Secret";
    const max = kind === "namespace" ? 63 : kind === "cluster" ? 50 : 253;
    if (name.length > max) return `"${name}" is ${name.length} characters; a ${kind} name has at most ${max}`;
    if (!(label ? DNS_LABEL : DNS_SUBDOMAIN).test(name)) {
        return `"${name}" is not a DNS-1123 ${label ? "label" : "subdomain"} (lower-case letters, digits and '-'${label ? "" : ", dot-separated"}, starting and ending with a letter or digit)`;
    }
    return undefined;
}

/** A text setting that must be a Kubernetes name. */
function kubernetesName<C>(o: { readonly doc: string; readonly kind: "namespace" | "Secret"; readonly default?: (raw: RawObject, outer: C) => string; readonly defaultDoc?: string }): Setting<string, string, C> {
    return {
        doc: o.doc, defaultDoc: o.defaultDoc ?? "— (required)", wire: "string", ...(o.default ? {} : { required: true as const }),
        read: (r, k, { raw, outer }) => {
            const v = o.default ? r.string(k, o.default(raw, outer)) ?? "" : r.string(k) ?? "";
            const problem = v === "" ? undefined : kubernetesNameProblem(v, o.kind);
            if (problem) r.add(k, problem, `set ${r.pathOf(k)} to a name such as ${o.kind === "namespace" ? "chat" : "chat-postgres"}`);
            return v;
        },
    };
}

/** How servicedb treats the namespaces it writes to (`servicedb:kubernetes.namespaces`). */
export const NAMESPACE_MODES = ["ensure", "own", "existing"] as const;

/** `servicedb:kubernetes`: the API server every Secret and CloudNativePG object goes to, through one explicit provider. */
export const KUBERNETES_SETTINGS = {
    kubeconfig: optionalText({ doc: "Path of the kubeconfig file (or its contents).", defaultDoc: "`KUBECONFIG`, else `~/.kube/config`" }),
    context: optionalText({ doc: "The kubeconfig context to use.", defaultDoc: "the kubeconfig's current context" }),
    namespaces: choice({
        doc: "The namespaces servicedb writes to: `ensure` creates a missing one and shares an existing one (a server-side apply patch; destroy leaves it), `own` declares each as the stack's (destroy deletes it with everything in it), `existing` declares none (they must exist).",
        values: NAMESPACE_MODES, default: "ensure",
    }),
} satisfies Declaration<unknown>;

export type KubernetesValues = ValuesOf<typeof KUBERNETES_SETTINGS>;

/** What a service's `kubernetes:` reads. */
export interface SecretOwner { readonly name: string }

/** A service's `kubernetes:`: its connection as a Secret in its own namespace. */
export const SECRET_SETTINGS = {
    namespace: kubernetesName<SecretOwner>({ doc: "Namespace of the service's Secret (the service's own).", kind: "namespace" }),
    secretName: kubernetesName<SecretOwner>({ doc: "Name of the Secret.", kind: "Secret", default: (_raw, outer) => `${outer.name}-postgres`, defaultDoc: "`<service>-postgres`" }),
} satisfies Declaration<SecretOwner>;

export type SecretValues = ValuesOf<typeof SECRET_SETTINGS>;

/** Reads a resource map (`{ requests: { cpu: 500m, memory: 1Gi }, limits: … }`): shape checked here, values by the API server. */
function readResources(r: FieldReader, k: string, raw: RawObject): Readonly<Record<string, Readonly<Record<string, string>>>> | undefined {
    const v = raw[k];
    if (v === undefined || v === null) return undefined;
    const fix = `write ${r.pathOf(k)} as { requests: { cpu: 500m, memory: 1Gi }, limits: { memory: 1Gi } }`;
    if (!isObject(v)) { r.add(k, `must be a map, got ${JSON.stringify(v)}`, fix); return undefined; }
    const out: Record<string, Record<string, string>> = {};
    for (const [part, values] of Object.entries(v)) {
        if (part !== "requests" && part !== "limits") { r.add(`${k}.${part}`, "is not a known field", "use requests and limits"); continue; }
        if (!isObject(values) || Object.values(values).some((x) => typeof x !== "string" && typeof x !== "number")) { r.add(`${k}.${part}`, `must be a map of resource to quantity, got ${JSON.stringify(values)}`, fix); continue; }
        out[part] = Object.fromEntries(Object.entries(values).map(([n, q]) => [n, String(q)]));
    }
    return out;
}

/** `cnpg:` of a cluster: servicedb declares a CloudNativePG `Cluster` for it (docs/kubernetes.md). */
export const CNPG_SETTINGS = {
    namespace: kubernetesName<Owner>({ doc: "Namespace of the `Cluster`, its password Secrets, `Database`s, `Pooler` and access Jobs.", kind: "namespace" }),
    instances: integer({ doc: "PostgreSQL instances (one primary, the rest replicas).", default: 3, min: 1, max: 10, hint: "the number of instances, e.g. 3" }),
    storage: custom<string, string, Owner>({
        doc: "Size of each instance's volume (`storage.size`).", defaultDoc: "`10Gi`", wire: "string",
        read: (r, k) => {
            const v = r.string(k, "10Gi") ?? "10Gi";
            if (!QUANTITY.test(v)) r.add(k, `"${v}" is not a Kubernetes quantity`, `set ${r.pathOf(k)} to a size such as 10Gi`);
            return v;
        },
    }),
    storageClass: optionalText({ doc: "StorageClass of the volumes.", defaultDoc: "the API server's default class" }),
    postgresVersion: optionalInteger({ doc: "PostgreSQL major version: the image `ghcr.io/cloudnative-pg/postgresql:<version>`; give this or `image`.", min: 13, max: 18, hint: "a major version from 13 to 18", defaultDoc: "`17` (unless `image` is set)" }),
    image: custom<string | undefined, string, Owner>({
        doc: "The operand image (`imageName`), instead of `postgresVersion`.", defaultDoc: "none", wire: "string",
        read: (r, k, { raw }) => {
            const v = r.optionalString(k);
            if (v !== undefined && raw.postgresVersion !== undefined) r.add(k, "is set together with postgresVersion; the image decides the version", `remove ${r.pathOf("postgresVersion")} or ${r.pathOf(k)}`);
            return v;
        },
    }),
    resources: custom<Readonly<Record<string, Readonly<Record<string, string>>>> | undefined, RawObject, Owner>({
        doc: "CPU and memory `requests` and `limits` of each instance.", defaultDoc: "none", wire: "string",
        read: (r, k, { raw }) => readResources(r, k, raw),
    }),
} satisfies Declaration<Owner>;

export type CnpgValues = ValuesOf<typeof CNPG_SETTINGS>;

/** The image of a CloudNativePG cluster: `image`, else the operator's image of `postgresVersion` (17 by default). */
export function cnpgImage(c: Pick<CnpgValues, "image" | "postgresVersion">): string {
    return c.image ?? `ghcr.io/cloudnative-pg/postgresql:${c.postgresVersion ?? 17}`;
}

/** Reads a nested map setting of `decl`, or undefined when it is absent. */
export function nestedMap<D extends Declaration<C>, C>(decl: D, r: FieldReader, k: string, raw: RawObject, outer: C, example: string): ValuesOf<D> | undefined {
    const v = raw[k];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) {
        r.add(k, `must be a map of settings, got ${JSON.stringify(v)}`, `write ${r.pathOf(k)} as a map, e.g. ${example}`);
        return undefined;
    }
    return readSettings(decl, r.nested(v, `${k}.`), v, outer);
}

export type SecretSettings = InputOf<typeof SECRET_SETTINGS>;
export type CnpgSettings = InputOf<typeof CNPG_SETTINGS>;
export type KubernetesSettings = InputOf<typeof KUBERNETES_SETTINGS>;

/** Platform-only field of a cluster: `cnpg`. */
export const CLUSTER_PLATFORM_SETTINGS = {
    cnpg: custom<CnpgValues | undefined, CnpgSettings, Owner>({
        doc: "Declare this cluster as a CloudNativePG `Cluster` (see [Kubernetes](kubernetes.md)) instead of naming an existing server.", defaultDoc: "none",
        wire: { nested: "Cnpg", settings: CNPG_SETTINGS },
        read: (r, k, { raw, outer }) => nestedMap(CNPG_SETTINGS, r, k, raw, outer, "{ namespace: databases, instances: 3, storage: 10Gi }"),
    }),
} satisfies Declaration<Owner>;

/** Platform-only field of a service: `kubernetes`. */
export const SERVICE_PLATFORM_SETTINGS = {
    kubernetes: custom<SecretValues | undefined, SecretSettings, SecretOwner>({
        doc: "Its connection as a Secret in its own namespace (`{ namespace, secretName }`, see [Kubernetes](kubernetes.md)).", defaultDoc: "none",
        wire: { nested: "ServiceSecret", settings: SECRET_SETTINGS },
        read: (r, k, { raw, outer }) => nestedMap(SECRET_SETTINGS, r, k, raw, outer, "{ namespace: chat }"),
    }),
} satisfies Declaration<SecretOwner>;
