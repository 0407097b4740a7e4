/**
 * Repair's first step: make sure no update of the stack is running, and clear the lock that a
 * killed one left behind. Prints one line per lock; returns false when repair must stop.
 */
import * as fs from "fs";
import { LockFile, lockDirs, lockVerdict, occupantOf, readLocks, thisHost } from "./lock";
import { providerProcessesIn } from "./processes";
import { Pulumi, failureLine } from "./pulumi";

export interface LockStepOptions {
    readonly stack: string;
    readonly project: string;
    readonly projectDir: string;
    readonly dryRun: boolean;
    readonly clearForeignLocks: boolean;
    readonly out: (line: string) => void;
    /** How long to wait for processes of an interrupted run to exit. Defaults to 30 s. */
    readonly waitSeconds?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Providers of a killed CLI outlive it and may still be creating something: wait for them to end. */
async function leftoverProcesses(o: LockStepOptions): Promise<boolean> {
    const deadline = Date.now() + (o.waitSeconds ?? 30) * 1000;
    let left = providerProcessesIn(o.projectDir);
    while (left.length && Date.now() < deadline) {
        await sleep(500);
        left = providerProcessesIn(o.projectDir);
    }
    if (!left.length) return true;
    const list = left.map((p) => `${p.pid} (${p.command})`).join(", ");
    o.out(`lock       resource providers still run in ${o.projectDir}: ${list}; one may still be creating something. Fix: if no pulumi command runs there, end them (kill ${left.map((p) => p.pid).join(" ")}), then npm run repair again`);
    return false;
}

function settle(lock: LockFile, o: LockStepOptions): boolean {
    const v = lockVerdict(lock, thisHost(), occupantOf, o.clearForeignLocks);
    if (!v.stale) {
        o.out(`lock       ${lock.file}: kept, ${v.reason}. Fix: ${v.fix}`);
        return false;
    }
    if (!o.dryRun) for (const f of [lock.file, `${lock.file}.attrs`]) fs.rmSync(f, { force: true }); // .attrs: the blob library's sidecar
    o.out(`lock       ${lock.file}: stale, ${v.reason}: ${o.dryRun ? "would be removed" : "removed"}`);
    return true;
}

/** The folder of a file backend (`file://<dir>[?query]`), or undefined for any other backend. */
export function fileBackendDir(backendUrl: string): string | undefined {
    return backendUrl.startsWith("file://") ? decodeURIComponent(backendUrl.slice("file://".length).replace(/\?.*$/, "")) : undefined;
}

/** `backendUrl` is what `pulumi whoami --json` reports. */
export async function clearStaleLock(backendUrl: string, pulumi: Pulumi, o: LockStepOptions): Promise<boolean> {
    const dir = fileBackendDir(backendUrl);
    if (dir !== undefined) {
        const locks = readLocks(lockDirs(dir, o.project, o.stack));
        if (!locks.length) {
            o.out("lock       none: no update holds the stack");
            return leftoverProcesses(o);
        }
        if (!locks.every((l) => settle(l, o))) return false;
        return leftoverProcesses(o);
    }
    const scheme = backendUrl.split("://")[0];
    if (!o.clearForeignLocks) {
        o.out(`lock       ${scheme} backend: not inspected (its lock shows no pid of this host); if a lost run holds it, run repair with --clear-foreign-locks where nothing else deploys the stack`);
        return true;
    }
    if (o.dryRun) {
        o.out(`lock       ${scheme} backend: would run pulumi cancel (--clear-foreign-locks)`);
        return true;
    }
    const r = await pulumi(["cancel", "--yes", "--non-interactive", "--stack", o.stack], 120);
    o.out(`lock       ${scheme} backend: pulumi cancel (--clear-foreign-locks): ${r.code === 0 ? "done" : failureLine(r)}`);
    return true;
}
