/**
 * The e2e tier's deadline (test/e2e/deadline.ts): a call that never ends is aborted, the
 * processes in its project directory are killed, and the error names what was in progress.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { EngineTimeout, InFlight, processesIn, withDeadline } from "../e2e/deadline";

const urn = (type: string, name: string) => `urn:pulumi:s::p::servicedb:postgres:ServiceDatabase$${type}::${name}`;
const pre = (u: string, op = "create") => ({ sequence: 0, timestamp: 0, resourcePreEvent: { metadata: { urn: u, op } } }) as unknown as EngineEvent;
const done = (u: string) => ({ sequence: 0, timestamp: 0, resOutputsEvent: { metadata: { urn: u, op: "create" } } }) as unknown as EngineEvent;

test("in-flight resources: started and not yet finished", () => {
    const t = new InFlight();
    t.onEvent(pre(urn("postgresql:index/role:Role", "a-role")));
    t.onEvent(pre(urn("postgresql:index/database:Database", "billing-db")));
    t.onEvent(done(urn("postgresql:index/role:Role", "a-role")));
    expect(t.list()).toEqual(["create billing-db (postgresql:index/database:Database)"]);
});

test("a call that hangs is aborted, its processes killed, and the error lists what was in progress", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-deadline-"));
    const child = spawn("sleep", ["600"], { cwd: dir, stdio: "ignore" });
    const exited = new Promise<string | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    try {
        await new Promise((r) => setTimeout(r, 200));
        expect(processesIn(dir)).toEqual([child.pid]);
        let aborted = false;
        const call = withDeadline("pulumi up", 1, dir, (o) => {
            o.signal.addEventListener("abort", () => { aborted = true; });
            o.onEvent(pre(urn("postgresql:index/database:Database", "billing-db")));
            return new Promise<never>(() => undefined);
        }, 1);
        await expect(call).rejects.toThrow(new EngineTimeout("pulumi up did not finish within 1 s; still in progress: create billing-db (postgresql:index/database:Database)"));
        expect(aborted).toBe(true);
        expect(await exited).toBe("SIGKILL");
    } finally {
        child.kill("SIGKILL");
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

test("a call that finishes in time returns its value and kills nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-deadline-"));
    const child = spawn("sleep", ["600"], { cwd: dir, stdio: "ignore" });
    try {
        await expect(withDeadline("pulumi preview", 5, dir, async () => 42)).resolves.toBe(42);
        await new Promise((r) => setTimeout(r, 100));
        expect(child.exitCode).toBeNull();
        expect(child.signalCode).toBeNull();
    } finally {
        child.kill("SIGKILL");
        fs.rmSync(dir, { recursive: true, force: true });
    }
});
