/**
 * Docker objects of a pending create (a service's own PostgreSQL container, its data volume, the
 * stack's network), looked up with the docker CLI on the daemon the stack's docker provider uses.
 * IDs as the docker provider has them: a container's and a network's full ID, a volume's name.
 */
import { execFile } from "child_process";
import { Probe } from "./decide";
import { Kind } from "./ids";
import { str } from "./state";

const COMMAND: Partial<Record<Kind, string>> = { container: "container", volume: "volume", network: "network" };
const FORMAT: Partial<Record<Kind, string>> = { container: "{{.Id}}", volume: "{{.Name}}", network: "{{.Id}}" };

export interface DockerAnswer {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** The probe for what `docker <kind> inspect` answered. */
export function dockerProbe(kind: Kind, what: string, a: DockerAnswer): Probe {
    if (a.code === 0 && a.stdout.trim()) return { state: "present", what, id: a.stdout.trim() };
    if (/no such (object|container|volume|network)|not found/i.test(a.stderr)) return { state: "absent", what };
    return {
        state: "unknown", what, reason: `docker ${COMMAND[kind]} inspect failed: ${a.stderr.trim().split("\n")[0] || `exit ${a.code}`}`,
        fix: "make the Docker daemon of the stack answer (docker info), then npm run repair again",
    };
}

function inspect(kind: Kind, name: string, dockerHost: string | undefined): Promise<DockerAnswer> {
    const env = dockerHost ? { ...process.env, DOCKER_HOST: dockerHost } : process.env;
    return new Promise((resolve) => {
        execFile("docker", [COMMAND[kind] as string, "inspect", "--format", FORMAT[kind] as string, name], { env, timeout: 30_000 }, (err, stdout, stderr) => {
            const code = err ? (typeof err.code === "number" ? err.code : 127) : 0;
            resolve({ code, stdout, stderr: err && !stderr ? err.message : stderr });
        });
    });
}

/** Probes a pending create of a Docker resource; `dockerHost` is its provider's `host`, if any. */
export async function probeDocker(kind: Kind, inputs: Record<string, unknown>, dockerHost: string | undefined): Promise<Probe> {
    const name = str(inputs, "name") ?? "";
    const what = `${kind} "${name}"`;
    if (kind === "image") return { state: "recreate", what: `image "${name}"`, note: "pending pull dropped, the next up pulls it again (images are kept locally)" };
    if (!COMMAND[kind]) return { state: "unknown", what, reason: "not a Docker object repair knows", fix: "resolve it with an interactive pulumi refresh" };
    return dockerProbe(kind, what, await inspect(kind, name, dockerHost));
}
