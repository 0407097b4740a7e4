/** When a stack's lock is stale: the verdict, the lock files of a file backend, the processes of a run. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LockFile, lockDirs, lockVerdict, occupantOf, readLocks } from "../../src/repair/lock";
import { isProviderProcess, isPulumiProcess } from "../../src/repair/processes";

const lock: LockFile = { file: "/b/.pulumi/locks/organization/servicedb/dev/1.json", pid: 4242, username: "ci", hostname: "runner-1", timestamp: "2025-01-01T00:00:00Z" };

test("a lock of this host whose pid is gone, or now runs another program, is stale", () => {
    expect(lockVerdict(lock, "runner-1", () => "none", false)).toEqual({ stale: true, reason: "pid 4242 of ci@runner-1, since 2025-01-01T00:00:00Z: that process no longer runs" });
    expect(lockVerdict(lock, "runner-1", () => "other", false).stale).toBe(true);
});

test("a lock whose pulumi process still runs is kept: an update is in progress", () => {
    expect(lockVerdict(lock, "runner-1", () => "pulumi", false)).toMatchObject({ stale: false, fix: "wait for it to end, then run repair again" });
    expect(lockVerdict(lock, "runner-1", () => "pulumi", true).stale).toBe(false);
});

test("a lock of another host is kept unless the caller vouches that nothing else deploys", () => {
    expect(lockVerdict(lock, "laptop", () => "none", false)).toMatchObject({ stale: false, fix: "make sure nothing deploys this stack on runner-1, then run repair with --clear-foreign-locks" });
    expect(lockVerdict(lock, "laptop", () => "pulumi", true).stale).toBe(true);
});

test("what runs at a pid: this test is no pulumi process, a pid that does not exist is nothing", () => {
    expect(occupantOf(process.pid)).toBe("other");
    expect(occupantOf(2 ** 22 + 1)).toBe("none");
    expect(isPulumiProcess(["/opt/pulumi/bin/pulumi", "up"])).toBe(true);
    expect(isPulumiProcess(["/root/.pulumi/plugins/resource-postgresql-v3.18.1/pulumi-resource-postgresql"])).toBe(true);
    expect(isPulumiProcess(["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"])).toBe(true);
    expect(isPulumiProcess(["/usr/bin/node", "/home/pulumi-work/x.js"])).toBe(false);
    expect(isProviderProcess(["/bin/sh", "/opt/pulumi/bin/pulumi-resource-pulumi-nodejs", "127.0.0.1:1"])).toBe(true);
    expect(isProviderProcess(["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"])).toBe(true);
    expect(isProviderProcess(["/opt/pulumi/bin/pulumi-language-nodejs", "127.0.0.1:1"])).toBe(false);
    expect(isProviderProcess(["/opt/pulumi/bin/pulumi", "up"])).toBe(false);
});

test("lock files are read from the project layout of a file backend", () => {
    const backend = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-lock-"));
    try {
        const [dir] = lockDirs(backend, "servicedb", "organization/servicedb/dev");
        expect(dir).toBe(path.join(backend, ".pulumi/locks/organization/servicedb/dev"));
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "abc.json"), JSON.stringify({ pid: 7, username: "u", hostname: "h", timestamp: "t" }));
        expect(readLocks(lockDirs(backend, "servicedb", "dev"))).toEqual([{ file: path.join(dir, "abc.json"), pid: 7, username: "u", hostname: "h", timestamp: "t" }]);
    } finally {
        fs.rmSync(backend, { recursive: true, force: true });
    }
});
