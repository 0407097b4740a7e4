/**
 * The lock of a stack in a file (DIY) backend, and how repair knows whether an update still runs.
 *
 * Every update, refresh or destroy writes `.pulumi/locks/organization/<project>/<stack>/<id>.json`
 * (pkg/backend/diy/lock.go: `{ pid, username, hostname, timestamp }` of the CLI process) and
 * deletes it when it ends; a CLI killed with SIGKILL leaves it behind, and every later command
 * fails with "the stack is currently locked". A lock is stale when it was taken on this host and
 * its pid no longer runs a pulumi process (gone, or reused by another program). A lock of another
 * host cannot be judged from here: it is kept unless the caller says that nothing else can be
 * deploying the stack (--clear-foreign-locks, as the deploy workflow's concurrency group ensures).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isPulumiProcess, processArgs } from "./processes";

export interface LockFile {
    readonly file: string;
    readonly pid: number;
    readonly username: string;
    readonly hostname: string;
    readonly timestamp: string;
}

/** What runs at a pid: nothing, a pulumi process, or another program. */
export type Occupant = "none" | "pulumi" | "other";

export type LockVerdict =
    | { readonly stale: true; readonly reason: string }
    | { readonly stale: false; readonly reason: string; readonly fix: string };

export function lockVerdict(lock: LockFile, hostname: string, occupant: (pid: number) => Occupant, clearForeign: boolean): LockVerdict {
    const who = `pid ${lock.pid} of ${lock.username}@${lock.hostname}, since ${lock.timestamp}`;
    if (lock.hostname !== hostname) {
        if (clearForeign) return { stale: true, reason: `taken on another host (${who}); --clear-foreign-locks says no other update runs` };
        return {
            stale: false, reason: `taken on another host (${who}): whether that update still runs cannot be seen from here`,
            fix: `make sure nothing deploys this stack on ${lock.hostname}, then run repair with --clear-foreign-locks`,
        };
    }
    const at = occupant(lock.pid);
    if (at === "none") return { stale: true, reason: `${who}: that process no longer runs` };
    if (at === "other") return { stale: true, reason: `${who}: that pid now belongs to another program` };
    return { stale: false, reason: `${who}: that pulumi process is still running, an update is in progress`, fix: "wait for it to end, then run repair again" };
}

/** What runs at `pid` on this host (Linux /proc; elsewhere a signal 0 says only whether it lives). */
export function occupantOf(pid: number): Occupant {
    const args = processArgs(pid);
    if (args !== undefined) return isPulumiProcess(args) ? "pulumi" : "other";
    if (fs.existsSync("/proc/self")) return "none";
    try {
        process.kill(pid, 0);
        return "pulumi";
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM" ? "pulumi" : "none";
    }
}

/** The lock folders of a stack in a file backend rooted at `backendDir` (project layout, then legacy). */
export function lockDirs(backendDir: string, project: string, stack: string): string[] {
    const name = stack.split("/").pop() as string;
    return [path.join(backendDir, ".pulumi", "locks", "organization", project, name), path.join(backendDir, ".pulumi", "locks", name)];
}

export function readLocks(dirs: readonly string[]): LockFile[] {
    return dirs.filter((d) => fs.existsSync(d)).flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith(".json")).map((f) => {
        const file = path.join(d, f);
        const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LockFile>;
        return { file, pid: Number(raw.pid), username: String(raw.username ?? "?"), hostname: String(raw.hostname ?? "?"), timestamp: String(raw.timestamp ?? "?") };
    }));
}

export const thisHost = (): string => os.hostname();
