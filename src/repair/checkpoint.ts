/**
 * The checkpoint of a stack in a file backend, and whether it can be read. Pulumi's diy backend
 * (pkg/backend/diy/state.go, saveCheckpoint) keeps the stack at `.pulumi/stacks/<project>/<stack>.json`
 * (`.json.gz` / `.json.zst` when compressed; the legacy layout drops `<project>/`). Before each
 * write it copies the current file to `<file>.bak`, then writes the new one (gocloud's fileblob: a
 * temporary file renamed over the old one), and after every update `.pulumi/history/<project>/<stack>/`
 * gets `<stack>-<nanos>.checkpoint.json`; `pulumi stack rm`/import keep copies in `.pulumi/backups/`.
 * The rename means a killed CLI leaves the old or the new file whole; an empty or cut file comes
 * from a host that crashed before the data reached the disk (no fsync) or from a copy made by
 * other tools. Then every CLI call fails with `failed to load checkpoint`, and the newest intact
 * copy is the way back. The sidecar `<file>.attrs` (content type, MD5) is different: fileblob
 * writes it in place (os.Create, then the JSON) just before the rename, so a SIGKILL can leave it
 * empty, and reading the stack fails with `failed to load checkpoint: EOF` although the
 * checkpoint is whole. fileblob reads a blob without a sidecar (defaults), so moving it aside heals.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";

/** What a checkpoint file holds: readable, damaged (why), or not judged here (why). */
export type Integrity =
    /** `pending` is the number of pending operations it records. */
    | { readonly state: "intact"; readonly pending: number }
    | { readonly state: "damaged" | "unknown"; readonly reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const zstd = (zlib as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;

/** Pulumi reads a checkpoint by its first bytes, whatever the file is called (encoding.DetectCompression). */
export function checkpointIntegrity(bytes: Buffer): Integrity {
    if (bytes.length === 0) return { state: "damaged", reason: "is empty" };
    let text: string;
    try {
        if (bytes[0] === 0x1f && bytes[1] === 0x8b) text = zlib.gunzipSync(bytes).toString("utf8");
        else if (bytes.readUInt32LE(0) === 0xfd2fb528) {
            if (!zstd) return { state: "unknown", reason: "is zstd-compressed, which this Node.js cannot read" };
            text = zstd(bytes).toString("utf8");
        } else text = bytes.toString("utf8");
    } catch (e) {
        return { state: "damaged", reason: `is a cut compressed file (${(e as Error).message})` };
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        return { state: "damaged", reason: `is not complete JSON (${(e as Error).message})` };
    }
    if (!isRecord(doc) || typeof doc.version !== "number" || !isRecord(doc.checkpoint)) {
        return { state: "damaged", reason: "is JSON but no checkpoint (no \"version\" number and \"checkpoint\" object)" };
    }
    const latest = doc.checkpoint.latest;
    const pending = isRecord(latest) && Array.isArray(latest.pending_operations) ? latest.pending_operations.length : 0;
    return { state: "intact", pending };
}

/** Why a fileblob `.attrs` sidecar cannot be read (fileblob decodes it as one JSON object), or undefined. */
export function sidecarProblem(text: string): string | undefined {
    if (text.trim() === "") return "is empty";
    try {
        return isRecord(JSON.parse(text)) ? undefined : "is JSON but not an object";
    } catch (e) {
        return `is not complete JSON (${(e as Error).message})`;
    }
}

const VARIANTS = [".json", ".json.gz", ".json.zst"];

export interface CheckpointFile {
    readonly file: string;
    readonly mtimeMs: number;
}

function stat(file: string): CheckpointFile | undefined {
    try {
        const s = fs.statSync(file);
        return s.isFile() ? { file, mtimeMs: s.mtimeMs } : undefined;
    } catch {
        return undefined;
    }
}

const newestFirst = (a: CheckpointFile, b: CheckpointFile) => b.mtimeMs - a.mtimeMs;

/** The folders of a stack in a file backend rooted at `backendDir`: project layout, else legacy. */
export function stackFolders(backendDir: string, project: string, stack: string): { stacks: string; history: string; backups: string; name: string } {
    const name = stack.split("/").pop() as string;
    const root = path.join(backendDir, ".pulumi");
    const inProject = VARIANTS.some((v) => stat(path.join(root, "stacks", project, name + v)));
    const sub = (dir: string) => (inProject || !VARIANTS.some((v) => stat(path.join(root, "stacks", name + v))) ? path.join(root, dir, project, name) : path.join(root, dir, name));
    return { stacks: path.dirname(sub("stacks")), history: sub("history"), backups: sub("backups"), name };
}

/** The checkpoint Pulumi reads: of `<stack>.json[.gz|.zst]`, the one written last; undefined when none. */
export function currentCheckpoint(backendDir: string, project: string, stack: string): CheckpointFile | undefined {
    const f = stackFolders(backendDir, project, stack);
    return VARIANTS.map((v) => stat(path.join(f.stacks, f.name + v))).filter((c): c is CheckpointFile => c !== undefined).sort(newestFirst)[0];
}

function listed(dir: string, pattern: RegExp): CheckpointFile[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((n) => pattern.test(n)).map((n) => stat(path.join(dir, n))).filter((c): c is CheckpointFile => c !== undefined);
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Copies a restore could come from, newest first: the `.bak` files, the history and the backups. */
export function restoreCandidates(backendDir: string, project: string, stack: string): CheckpointFile[] {
    const f = stackFolders(backendDir, project, stack);
    const n = escaped(f.name);
    return [
        ...VARIANTS.map((v) => stat(path.join(f.stacks, `${f.name}${v}.bak`))).filter((c): c is CheckpointFile => c !== undefined),
        ...listed(f.history, new RegExp(`^${n}-\\d+\\.checkpoint\\.json(\\.gz|\\.zst)?$`)),
        ...listed(f.backups, new RegExp(`^${n}\\.\\d+\\.json(\\.gz|\\.zst)?$`)),
    ].sort(newestFirst);
}
