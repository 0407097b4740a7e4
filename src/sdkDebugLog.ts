/**
 * The SDK's debug messages, sent only when someone can see them.
 *
 * @pulumi/pulumi sends every debug message it makes ("Registering resource …", "RegisterResource
 * RPC prepared …", "… finished": about ten per resource, 1,866 in a 20-service preview) to the
 * engine as a gRPC call of its own, each waiting for the one before. The engine shows them only
 * under `pulumi … --debug` and logs them only with `-v`/`--logflow`; otherwise it drops them. Those
 * calls cost the program and the engine CPU on every resource (docs/benchmarks.md, "Sixth run").
 *
 * `quietSdkDebugLogs` makes `pulumi.log.debug` a no-op when the `pulumi` CLI that runs this program
 * was started without any of those flags. It reads the CLI's arguments from /proc (the nearest
 * ancestor process named `pulumi`); where it cannot (not Linux, no such ancestor) it changes
 * nothing. SERVICEDB_SDK_DEBUG_LOGS=true keeps the messages whatever the flags.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { isPatch, markPatch } from "./sdkPatch";

/** Long flags of the CLI under which the engine shows or logs a program's debug messages. */
const DEBUG_FLAGS = ["--debug", "--verbose", "--logflow", "--logtostderr"];

/**
 * Whether the CLI invoked with `args` (its argv, without the executable) shows or logs debug
 * messages; undefined args (unknown) count as yes. A group of short flags with `d` or `v` in it
 * (`-d`, `-v=9`, `-yd`) counts too: a false yes only keeps the messages.
 */
export function debugLogsWanted(args: readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
    if (env.SERVICEDB_SDK_DEBUG_LOGS === "true" || args === undefined) return true;
    for (const a of args) {
        if (a === "--") break;
        const name = a.split("=")[0];
        if (DEBUG_FLAGS.includes(name)) return true;
        if (/^-[A-Za-z]+$/.test(name) && /[dv]/.test(name)) return true;
    }
    return false;
}

/** A process's parent pid and argv from `procRoot` (/proc), or undefined where unreadable. */
function processInfo(procRoot: string, pid: number): { ppid: number; argv: string[] } | undefined {
    try {
        const stat = fs.readFileSync(path.join(procRoot, String(pid), "stat"), "utf8");
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        const argv = fs.readFileSync(path.join(procRoot, String(pid), "cmdline"), "utf8").split("\0").filter((s, i, all) => s !== "" || i < all.length - 1);
        return Number.isInteger(ppid) ? { ppid, argv } : undefined;
    } catch {
        return undefined;
    }
}

/**
 * The arguments of the nearest ancestor process whose executable is named `pulumi` (the CLI that
 * runs this program through its language host), or undefined where there is none or /proc is
 * not there. Looks at most `depth` generations up.
 */
export function pulumiCliArgs(procRoot = "/proc", pid = process.pid, depth = 8): string[] | undefined {
    let info = processInfo(procRoot, pid);
    for (let i = 0; info && i < depth && info.ppid > 1; i++) {
        const parent = processInfo(procRoot, info.ppid);
        if (parent && path.basename(parent.argv[0] ?? "") === "pulumi") return parent.argv.slice(1);
        info = parent;
    }
    return undefined;
}

interface SdkLog { debug: (...args: never[]) => Promise<void> }

/**
 * Drops the SDK's debug messages unless `wanted`; idempotent. Returns true when they are dropped.
 * The SDK's modules call `log.debug` through the module object, so replacing it there reaches them.
 */
export function quietSdkDebugLogs(wanted = debugLogsWanted(pulumiCliArgs()), log: SdkLog = pulumi.log as unknown as SdkLog): boolean {
    if (isPatch(log.debug)) return true;
    if (wanted) return false;
    log.debug = markPatch(() => Promise.resolve());
    return true;
}
