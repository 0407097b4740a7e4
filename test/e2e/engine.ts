/**
 * Helpers for the end-to-end tier: find out whether the Pulumi engine can run here, and lay out
 * a throwaway copy of the project (its own file backend and passphrase) for the Automation API.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { DestroyOptions, DestroyResult, EngineEvent, LocalWorkspace, OutputMap, PreviewOptions, PreviewResult, Stack, UpOptions, UpResult } from "@pulumi/pulumi/automation";
import { withDeadline } from "./deadline";

export const ROOT = path.resolve(__dirname, "../..");
const PROJECT_FILES = ["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json", "tsconfig.pulumi.json", "program.js", "lib", "components", "consumer", "src", "scripts", "migrations", "plugin"];

/** Deadlines of the engine calls, in seconds: generous, but a hang always ends as a failure. */
export const DEADLINE = { up: 600, preview: 300, destroy: 600, cli: 120 };

/** Why the engine cannot run here, or undefined when `pulumi` and the plugins are present. */
export function engineMissing(plugins: readonly string[]): string | undefined {
    let listed: string;
    try {
        listed = execFileSync("pulumi", ["plugin", "ls", "--json"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch {
        return "the Pulumi CLI is not on PATH";
    }
    const have = (JSON.parse(listed || "[]") as { name: string; kind: string }[]).filter((p) => p.kind === "resource").map((p) => p.name);
    const missing = plugins.filter((p) => !have.includes(p));
    return missing.length ? `the Pulumi resource plugin(s) ${missing.join(", ")} are not installed (pulumi plugin install resource <name>)` : undefined;
}

/** Whether 127.0.0.1:`port` can be listened on right now. */
function canListen(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const srv = net.createServer();
        srv.once("error", () => resolve(false));
        srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
}

/**
 * `count` ports for containers to publish on 127.0.0.1, from `from` up: free now, and below the
 * kernel's ephemeral range (32768 and up on Linux), so that no outgoing connection of the
 * machine — the provider alone opens hundreds — can hold one when Docker binds it. A fixed port
 * inside that range failed a run with "bind: address already in use".
 */
export async function publishPorts(count: number, from: number): Promise<number[]> {
    const ports: number[] = [];
    for (let p = from; ports.length < count && p < 32768; p++) if (await canListen(p)) ports.push(p);
    if (ports.length < count) throw new Error(`no ${count} free ports on 127.0.0.1 between ${from} and 32767`);
    return ports;
}

/** Registers one skipped test and prints the single line that says why. */
export function skipSuite(suite: string, reason: string): void {
    process.stdout.write(`skipped: ${suite}: ${reason}\n`);
    test.skip(`${suite} (${reason})`, () => undefined);
}

export interface Workspace {
    readonly dir: string;
    readonly stack: Stack;
    /** The copy's backend, passphrase and settings, for commands run outside the Automation API. */
    readonly env: Readonly<Record<string, string>>;
    /** `pulumi up`, failing (with the resources still in progress) after `seconds`. */
    up(opts?: UpOptions, seconds?: number): Promise<UpResult>;
    preview(opts?: PreviewOptions, seconds?: number): Promise<PreviewResult>;
    destroy(opts?: DestroyOptions, seconds?: number): Promise<DestroyResult>;
    /** The stack's outputs, secrets in clear (for the test to connect with). */
    outputs(): Promise<OutputMap>;
    /** Runs the pulumi CLI in the copy, with its backend and passphrase; returns stdout. */
    cli(args: readonly string[], seconds?: number): string;
    cleanup(): void;
}

/** The deadline's event tracker and the caller's own listener, both. */
function both(mine: (e: EngineEvent) => void, theirs?: (e: EngineEvent) => void): (e: EngineEvent) => void {
    return (e) => { mine(e); theirs?.(e); };
}

/** Whether a Docker engine answers (not just the client). */
export function dockerEngineMissing(): string | undefined {
    try {
        execFileSync("docker", ["info", "--format", "{{.ServerVersion}}"], { stdio: ["ignore", "pipe", "pipe"] });
        return undefined;
    } catch {
        return "no Docker engine answers (docker info failed)";
    }
}

/**
 * A copy of the project with `Pulumi.<stackName>.yaml` (from the repo, or `stackYaml`), extra
 * files (e.g. migration folders), its own backend and passphrase.
 */
export async function projectCopy(stackName: string, stackYaml?: string, extraFiles: Record<string, string> = {}): Promise<Workspace> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "servicedb-e2e-"));
    for (const f of [...PROJECT_FILES, `Pulumi.${stackName}.yaml`]) {
        if (fs.existsSync(path.join(ROOT, f))) fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
    }
    if (stackYaml !== undefined) fs.writeFileSync(path.join(dir, `Pulumi.${stackName}.yaml`), stackYaml);
    for (const [rel, content] of Object.entries(extraFiles)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), content);
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    return workspaceIn(dir, stackName);
}

/** A Workspace for the Pulumi project in `dir` (any language): its own file backend and passphrase. */
export async function workspaceIn(dir: string, stackName: string): Promise<Workspace> {
    fs.mkdirSync(path.join(dir, ".state"));
    const envVars = {
        PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
        PULUMI_CONFIG_PASSPHRASE: crypto.randomBytes(24).toString("base64url"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    const stack = await withDeadline(`pulumi stack select (${stackName})`, DEADLINE.cli, dir, () => LocalWorkspace.createOrSelectStack({ stackName, workDir: dir }, { envVars }));
    return {
        dir,
        stack,
        env: envVars,
        up: (opts, seconds = DEADLINE.up) => withDeadline(`pulumi up (${stackName})`, seconds, dir, (o) => stack.up({ ...o, ...opts, onEvent: both(o.onEvent, opts?.onEvent) })),
        preview: (opts, seconds = DEADLINE.preview) => withDeadline(`pulumi preview (${stackName})`, seconds, dir, (o) => stack.preview({ ...o, ...opts, onEvent: both(o.onEvent, opts?.onEvent) })),
        destroy: (opts, seconds = DEADLINE.destroy) => withDeadline(`pulumi destroy (${stackName})`, seconds, dir, (o) => stack.destroy({ ...o, ...opts, onEvent: both(o.onEvent, opts?.onEvent) })),
        outputs: () => withDeadline(`pulumi stack output (${stackName})`, DEADLINE.cli, dir, () => stack.outputs()),
        cli: (args, seconds = DEADLINE.cli) => execFileSync("pulumi", [...args, "--stack", stackName], { cwd: dir, encoding: "utf8", env: { ...process.env, ...envVars }, timeout: seconds * 1000, killSignal: "SIGKILL" }),
        cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}
