/**
 * A damaged file-backend checkpoint (empty or cut, as a host crash leaves it) is replaced by the
 * newest intact copy, the damaged file kept aside; an empty `.attrs` sidecar (what a SIGKILL
 * leaves: `failed to load checkpoint: EOF`) is moved aside; on fabricated backend folders.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { checkpointIntegrity, currentCheckpoint, restoreCandidates, sidecarProblem } from "../../src/repair/checkpoint";
import { recoverCheckpoint } from "../../src/repair/checkpointStep";
import { runRepair } from "../../src/repair/cli";
import { Pulumi } from "../../src/repair/pulumi";

const PROJECT = "servicedb";
const pendingOp = { type: "creating", resource: { urn: "urn:pulumi:dev::servicedb::random:index/randomPassword:RandomPassword::pw", type: "random:index/randomPassword:RandomPassword", custom: true } };
/** A checkpoint as saveCheckpoint writes it, with `pending` pending operations. */
const checkpoint = (pending: number, tag = "x") => JSON.stringify({
    version: 3,
    checkpoint: { stack: "organization/servicedb/dev", latest: { manifest: { time: tag, magic: "", version: "v3.248.0" }, resources: [], pending_operations: Array(pending).fill(pendingOp) } },
});

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-rep-ckpt-")); });
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const stacks = () => path.join(root, ".pulumi", "stacks", PROJECT);
const history = () => path.join(root, ".pulumi", "history", PROJECT, "dev");
/** Writes `rel` (under the backend) with `content`, modified `age` seconds ago. */
function put(rel: string, content: string | Buffer, age: number): string {
    const file = path.join(root, ".pulumi", rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    const t = new Date(Date.UTC(2025, 0, 1, 12) - age * 1000);
    fs.utimesSync(file, t, t);
    return file;
}

function recover(dryRun = false): { outcome: string; lines: string[] } {
    const lines: string[] = [];
    const outcome = recoverCheckpoint({ backendDir: root, project: PROJECT, stack: "dev", dryRun, out: (l) => lines.push(l), now: () => 1700000000000 });
    return { outcome, lines };
}

test("integrity: an intact checkpoint, plain or gzipped, and what a crash leaves", () => {
    expect(checkpointIntegrity(Buffer.from(checkpoint(2)))).toEqual({ state: "intact", pending: 2 });
    expect(checkpointIntegrity(zlib.gzipSync(checkpoint(0)))).toEqual({ state: "intact", pending: 0 });
    expect(checkpointIntegrity(Buffer.alloc(0))).toEqual({ state: "damaged", reason: "is empty" });
    expect(checkpointIntegrity(Buffer.from(checkpoint(2).slice(0, 90)))).toMatchObject({ state: "damaged", reason: expect.stringMatching(/^is not complete JSON/) });
    expect(checkpointIntegrity(zlib.gzipSync(checkpoint(2)).subarray(0, 30))).toMatchObject({ state: "damaged", reason: expect.stringMatching(/^is a cut compressed file/) });
    expect(checkpointIntegrity(Buffer.from("{\"version\":3}"))).toMatchObject({ state: "damaged" });
});

test("an empty or cut .attrs sidecar beside a whole checkpoint is moved aside; the checkpoint is kept as it is", () => {
    expect(sidecarProblem("")).toBe("is empty");
    expect(sidecarProblem("{\"user.cache_control\":\"\",\"md5\":\"pGDq")).toMatch(/^is not complete JSON/);
    expect(sidecarProblem("{\"md5\":\"pGDq\"}\n")).toBeUndefined();
    const file = put(`stacks/${PROJECT}/dev.json`, checkpoint(2), 0);
    put(`stacks/${PROJECT}/dev.json.attrs`, "", 0);
    put(`stacks/${PROJECT}/dev.json.bak`, checkpoint(1), 5);
    const dry = recover(true);
    expect(dry.outcome).toBe("would-restore");
    expect(dry.lines).toEqual([expect.stringMatching(/dev\.json\.attrs is empty .*: would be kept as .*dev\.json\.attrs\.damaged-1700000000000/)]);
    expect(fs.existsSync(`${file}.attrs`)).toBe(true);
    const { outcome, lines } = recover();
    expect(outcome).toBe("restored");
    expect(lines).toEqual([expect.stringMatching(/dev\.json\.attrs is empty \(.*the checkpoint itself is whole\): kept as .*dev\.json\.attrs\.damaged-1700000000000; Pulumi reads the checkpoint without it$/)]);
    expect(fs.readdirSync(stacks()).sort()).toEqual(["dev.json", "dev.json.attrs.damaged-1700000000000", "dev.json.bak"]);
    expect(fs.readFileSync(file, "utf8")).toBe(checkpoint(2));
    expect(recover()).toEqual({ outcome: "readable", lines: [] });
});

test("a restore does not carry a damaged sidecar of its source along", () => {
    const file = put(`stacks/${PROJECT}/dev.json`, "", 0);
    put(`stacks/${PROJECT}/dev.json.bak`, checkpoint(1), 5);
    put(`stacks/${PROJECT}/dev.json.bak.attrs`, "", 5);
    expect(recover().outcome).toBe("restored");
    expect(fs.readFileSync(file, "utf8")).toBe(checkpoint(1));
    expect(fs.existsSync(`${file}.attrs`)).toBe(false);
});

test("an intact checkpoint is left alone, silently", () => {
    const file = put(`stacks/${PROJECT}/dev.json`, checkpoint(1), 0);
    put(`stacks/${PROJECT}/dev.json.bak`, checkpoint(0), 5);
    expect(recover()).toEqual({ outcome: "readable", lines: [] });
    expect(fs.readFileSync(file, "utf8")).toBe(checkpoint(1));
});

test("a truncated checkpoint is kept aside and replaced by its intact .bak (with the sidecar)", () => {
    const file = put(`stacks/${PROJECT}/dev.json`, checkpoint(3).slice(0, 120), 0);
    put(`stacks/${PROJECT}/dev.json.attrs`, "{\"user.content_type\":\"damaged\"}", 0);
    put(`stacks/${PROJECT}/dev.json.bak`, checkpoint(2, "bak"), 5);
    put(`stacks/${PROJECT}/dev.json.bak.attrs`, "{\"user.content_type\":\"bak\"}", 5);
    put(`history/${PROJECT}/dev/dev-1690000000000000000.checkpoint.json`, checkpoint(0, "history"), 60);
    const { outcome, lines } = recover();
    expect(outcome).toBe("restored");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^checkpoint .*dev\.json is not complete JSON .*: kept as .*dev\.json\.damaged-1700000000000, replaced by .*dev\.json\.bak \(written 2025-01-01T11:59:55\.000Z, 2 pending operation\(s\)\)/);
    expect(fs.readFileSync(file, "utf8")).toBe(checkpoint(2, "bak"));
    expect(fs.readFileSync(`${file}.attrs`, "utf8")).toContain("bak");
    expect(fs.readFileSync(`${file}.damaged-1700000000000`, "utf8")).toBe(checkpoint(3).slice(0, 120));
    expect(fs.readFileSync(`${file}.damaged-1700000000000.attrs`, "utf8")).toContain("damaged");
    expect(fs.readdirSync(stacks()).filter((f) => f.endsWith(".tmp"))).toEqual([]);
});

test("an empty checkpoint whose .bak is damaged too comes back from the newest intact history checkpoint", () => {
    const file = put(`stacks/${PROJECT}/dev.json`, "", 0);
    put(`stacks/${PROJECT}/dev.json.bak`, "", 5);
    put(`history/${PROJECT}/dev/dev-1690000000000000000.checkpoint.json`, checkpoint(0, "old"), 600);
    put(`history/${PROJECT}/dev/dev-1690000000500000000.checkpoint.json`, checkpoint(0, "new"), 60);
    put(`history/${PROJECT}/dev/dev-1690000000500000000.history.json`, "{}", 60);
    expect(restoreCandidates(root, PROJECT, "dev").map((c) => path.basename(c.file))).toEqual(["dev.json.bak", "dev-1690000000500000000.checkpoint.json", "dev-1690000000000000000.checkpoint.json"]);
    const { outcome, lines } = recover();
    expect(outcome).toBe("restored");
    expect(lines[0]).toMatch(/dev\.json is empty: kept as .*, replaced by .*history.*dev-1690000000500000000\.checkpoint\.json/);
    expect(fs.readFileSync(file, "utf8")).toBe(checkpoint(0, "new"));
    expect(fs.existsSync(path.join(history(), "dev-1690000000500000000.checkpoint.json"))).toBe(true);
});

test("a cut gzipped checkpoint is the one pulumi reads when it is the newest, and is restored from its .bak", () => {
    put(`stacks/${PROJECT}/dev.json`, checkpoint(0, "older plain"), 120);
    const gz = put(`stacks/${PROJECT}/dev.json.gz`, zlib.gzipSync(checkpoint(1)).subarray(0, 25), 0);
    put(`stacks/${PROJECT}/dev.json.gz.bak`, zlib.gzipSync(checkpoint(1, "gz bak")), 5);
    expect(currentCheckpoint(root, PROJECT, "dev")?.file).toBe(gz);
    expect(recover().outcome).toBe("restored");
    expect(zlib.gunzipSync(fs.readFileSync(gz)).toString()).toBe(checkpoint(1, "gz bak"));
});

test("a dry run says what it would do and changes nothing", () => {
    const file = put(`stacks/${PROJECT}/dev.json`, "", 0);
    put(`stacks/${PROJECT}/dev.json.bak`, checkpoint(4), 5);
    const before = fs.readdirSync(stacks()).sort();
    const { outcome, lines } = recover(true);
    expect(outcome).toBe("would-restore");
    expect(lines).toEqual([expect.stringMatching(/dev\.json is empty: would be kept as .*dev\.json\.damaged-1700000000000 and replaced by .*dev\.json\.bak .*4 pending operation\(s\)/)]);
    expect(fs.readdirSync(stacks()).sort()).toEqual(before);
    expect(fs.readFileSync(file, "utf8")).toBe("");
});

test("with no intact copy anywhere, nothing is touched and repair stops with the fix", () => {
    const file = put(`stacks/${PROJECT}/dev.json`, "{\"version\":3,\"checkp", 0);
    put(`stacks/${PROJECT}/dev.json.bak`, "", 5);
    const { outcome, lines } = recover();
    expect(outcome).toBe("stop");
    expect(lines[0]).toMatch(/no intact copy is left .*Fix: restore the stack from your own backup/);
    expect(fs.readdirSync(stacks()).sort()).toEqual(["dev.json", "dev.json.bak"]);
    expect(fs.readFileSync(file, "utf8")).toBe("{\"version\":3,\"checkp");
});

test("repair restores the checkpoint before it exports the stack (a fake CLI that reads the backend)", async () => {
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
    put(`stacks/${PROJECT}/dev.json`, "", 0);
    put(`stacks/${PROJECT}/dev.json.bak`, checkpoint(0), 5);
    const pulumi: Pulumi = async (args) => {
        if (args[0] === "whoami") return { code: 0, stdout: JSON.stringify({ url: `file://${root}` }), stderr: "" };
        if (args[0] === "config") return { code: 0, stdout: "{}", stderr: "" };
        if (args[0] !== "stack") return { code: 0, stdout: "v3.248.0", stderr: "" };
        const doc = JSON.parse(fs.readFileSync(path.join(stacks(), "dev.json"), "utf8") || "null") as { checkpoint: { latest: unknown } } | null;
        return doc ? { code: 0, stdout: JSON.stringify({ version: 3, deployment: doc.checkpoint.latest }), stderr: "" } : { code: 255, stdout: "", stderr: "error: failed to load checkpoint: EOF" };
    };
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    expect(await runRepair(["--stack", "dev", "--dry-run"], io, { projectDir: root, pulumi, waitSeconds: 0 })).toBe(0);
    expect(lines.at(-1)).toBe("repair (dry run): would repair the checkpoint first; nothing was changed");
    lines.length = 0;
    expect(await runRepair(["--stack", "dev"], io, { projectDir: root, pulumi, waitSeconds: 0 })).toBe(0);
    expect(lines).toEqual([
        "lock       none: no update holds the stack",
        expect.stringMatching(/^checkpoint .*dev\.json is empty: kept as .*, replaced by .*dev\.json\.bak/),
        "repair: stack dev has no pending operations: nothing to repair",
    ]);
});
