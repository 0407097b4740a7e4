/**
 * Processes on this host, from Linux /proc: what runs at a pid, and which processes work in a
 * project directory (the CLI, its language host, its plugins). Elsewhere nothing is known.
 */
import * as fs from "fs";
import * as path from "path";

/** The arguments of the process at `pid`, or undefined when there is none (or no /proc). */
export function processArgs(pid: number): string[] | undefined {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((a) => a !== "");
    } catch {
        return undefined;
    }
}

/** The pulumi CLI, a pulumi plugin or language host, or the Node.js program or provider it runs. */
export function isPulumiProcess(args: readonly string[]): boolean {
    return path.basename(args[0] ?? "").startsWith("pulumi") || args.some((a) => a.includes("@pulumi/pulumi/cmd/"));
}

/** Pids of processes whose working directory is `dir` or inside it (not this process). */
export function processesIn(dir: string): number[] {
    const root = fs.realpathSync(dir);
    return fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid).flatMap((p) => {
        try {
            const cwd = fs.readlinkSync(path.join("/proc", p, "cwd"));
            return cwd === root || cwd.startsWith(`${root}/`) ? [Number(p)] : [];
        } catch {
            return [];
        }
    });
}

/** A resource provider: a `pulumi-resource-*` plugin (or its shell wrapper), or Node.js's dynamic provider. */
export function isProviderProcess(args: readonly string[]): boolean {
    return args.slice(0, 2).some((a) => path.basename(a).startsWith("pulumi-resource-")) || args.some((a) => a.includes("@pulumi/pulumi/cmd/dynamic-provider"));
}

/**
 * Resource providers still running in `dir`: a killed CLI leaves its plugins behind (they notice
 * the engine is gone at their next health check, minutes later), and one may still be in the
 * middle of creating something. Language hosts change nothing and are not counted.
 */
export function providerProcessesIn(dir: string): { pid: number; command: string }[] {
    if (!fs.existsSync("/proc/self")) return [];
    return processesIn(dir).flatMap((pid) => {
        const args = processArgs(pid);
        return args && isProviderProcess(args) ? [{ pid, command: args.map((a) => path.basename(a)).find((a) => a.startsWith("pulumi-resource-")) ?? "dynamic-provider" }] : [];
    });
}
