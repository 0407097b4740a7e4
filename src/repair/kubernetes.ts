/**
 * Kubernetes objects of a pending create (a Secret, a Namespace, a CloudNativePG object, an
 * access Job), looked up with kubectl on the API server of the stack's kubernetes provider. A
 * create the engine did not record would fail the next up with "already exists": an object that
 * is there is imported with the provider's ID (`<namespace>/<name>`), one that is not is dropped.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Probe } from "./decide";
import { str } from "./state";

/** `kubernetes:postgresql.cnpg.io/v1:Cluster` → `Cluster.v1.postgresql.cnpg.io`; `kubernetes:core/v1:Secret` → `Secret.v1.`. */
export function kubectlResource(type: string): string | undefined {
    const m = /^kubernetes:([^/]+)\/([^:]+):(.+)$/.exec(type);
    if (!m) return undefined;
    const [, group, version, kind] = m;
    return group === "core" ? `${kind}.${version}.` : `${kind}.${version}.${group}`;
}

export interface KubectlAnswer {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** The probe for what `kubectl get` answered about `ns/name`. */
export function kubernetesProbe(what: string, id: string, a: KubectlAnswer): Probe {
    if (a.code === 0 && a.stdout.trim()) return { state: "present", what, id };
    if (/NotFound|not found/.test(a.stderr)) return { state: "absent", what };
    return {
        state: "unknown", what, reason: `kubectl get failed: ${a.stderr.trim().split("\n")[0] || `exit ${a.code}`}`,
        fix: "make the stack's API server answer (kubectl get --raw /readyz with its kubeconfig), then npm run repair again",
    };
}

/** Where the provider's kubeconfig is: its path, or its contents written to a private file. */
function kubeconfigArgs(provider: Record<string, unknown> | undefined): string[] {
    const kubeconfig = str(provider, "kubeconfig");
    const context = str(provider, "context");
    const args = context ? ["--context", context] : [];
    if (!kubeconfig) return args;
    if (!kubeconfig.includes("\n") && fs.existsSync(kubeconfig)) return ["--kubeconfig", kubeconfig, ...args];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "servicedb-repair-")), "kubeconfig");
    fs.writeFileSync(file, kubeconfig, { mode: 0o600 });
    return ["--kubeconfig", file, ...args];
}

/** Probes a pending create of a Kubernetes object; `provider` is its provider's inputs. */
export function probeKubernetes(type: string, inputs: Record<string, unknown>, provider: Record<string, unknown> | undefined): Promise<Probe> {
    const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
    const name = str(metadata, "name") ?? "";
    const namespace = str(metadata, "namespace");
    const resource = kubectlResource(type);
    const what = `${type.split(":").pop()} "${namespace ? `${namespace}/` : ""}${name}"`;
    if (!resource || !name) return Promise.resolve({ state: "unknown", what, reason: "its name is not in the state", fix: "resolve it with an interactive pulumi refresh" });
    const kubectl = process.env.SERVICEDB_KUBECTL ?? "kubectl";
    const args = [...kubeconfigArgs(provider), "get", resource, name, ...(namespace ? ["-n", namespace] : []), "-o", "name"];
    return new Promise((resolve) => {
        execFile(kubectl, args, { timeout: 30_000 }, (err, stdout, stderr) => {
            const code = err ? (typeof err.code === "number" ? err.code : 127) : 0;
            resolve(kubernetesProbe(what, namespace ? `${namespace}/${name}` : name, { code, stdout, stderr: err && !stderr ? err.message : stderr }));
        });
    });
}
