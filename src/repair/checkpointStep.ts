/**
 * Repair's second step with a file backend (see ./checkpoint.ts): a checkpoint whose `.attrs`
 * sidecar is damaged (what a SIGKILL can leave) loses the sidecar; a checkpoint that does not
 * parse (empty or cut) is replaced by the newest intact copy — its `.bak`, else the newest history
 * or backup checkpoint. Damaged files are renamed aside (`<file>.damaged-<ms>`), never deleted,
 * and one line says what happened (in a dry run: what would). Pulumi ignores the renamed files:
 * it reads only `<stack>.json`, `.json.gz` and `.json.zst` (and lists only those as stacks).
 */
import * as fs from "fs";
import * as path from "path";
import { CheckpointFile, checkpointIntegrity, currentCheckpoint, restoreCandidates, sidecarProblem } from "./checkpoint";

export interface CheckpointStepOptions {
    readonly backendDir: string;
    readonly project: string;
    readonly stack: string;
    readonly dryRun: boolean;
    readonly out: (line: string) => void;
    /** The clock, for the name of the damaged file. */
    readonly now?: () => number;
}

/** `readable`: go on; `would-restore`: a dry run can go no further; `stop`: nothing to restore from. */
export type CheckpointOutcome = "readable" | "restored" | "would-restore" | "stop";

/** Copies `from` (and its fileblob `.attrs` sidecar) to `to` through a temporary file and a rename. */
function copyAtomically(from: string, to: string): void {
    const tmp = `${to}.repair-${process.pid}.tmp`;
    fs.copyFileSync(from, tmp);
    fs.renameSync(tmp, to);
    if (sidecarOf(from) === "intact") fs.copyFileSync(`${from}.attrs`, `${to}.attrs`);
}

/** The fileblob sidecar of `file`: none, intact, or why it is damaged. */
function sidecarOf(file: string): "none" | "intact" | string {
    if (!fs.existsSync(`${file}.attrs`)) return "none";
    return sidecarProblem(fs.readFileSync(`${file}.attrs`, "utf8")) ?? "intact";
}

/** A whole checkpoint with a damaged sidecar: the sidecar goes aside, the checkpoint stays as it is. */
function settleSidecar(file: string, o: CheckpointStepOptions, stamp: number): CheckpointOutcome {
    const sidecar = sidecarOf(file);
    if (sidecar === "none" || sidecar === "intact") return "readable";
    const aside = `${file}.attrs.damaged-${stamp}`;
    const what = `${file}.attrs ${sidecar} (a write of the killed CLI cut short; the checkpoint itself is whole)`;
    if (o.dryRun) {
        o.out(`checkpoint ${what}: would be kept as ${aside}; Pulumi reads the checkpoint without it. The pending operations are listed once it is moved (run without --dry-run)`);
        return "would-restore";
    }
    fs.renameSync(`${file}.attrs`, aside);
    o.out(`checkpoint ${what}: kept as ${aside}; Pulumi reads the checkpoint without it`);
    return "restored";
}

function moveAside(file: string, aside: string): void {
    fs.renameSync(file, aside);
    if (fs.existsSync(`${file}.attrs`)) fs.renameSync(`${file}.attrs`, `${aside}.attrs`);
}

const when = (c: CheckpointFile) => new Date(c.mtimeMs).toISOString();

export function recoverCheckpoint(o: CheckpointStepOptions): CheckpointOutcome {
    const current = currentCheckpoint(o.backendDir, o.project, o.stack);
    if (!current) return "readable"; // no stack here: pulumi stack export says so
    const stamp = (o.now ?? Date.now)();
    const found = checkpointIntegrity(fs.readFileSync(current.file));
    if (found.state !== "damaged") return settleSidecar(current.file, o, stamp); // "unknown" (zstd): pulumi reads it, or its error is shown
    const source = restoreCandidates(o.backendDir, o.project, o.stack)
        .map((c) => ({ c, integrity: checkpointIntegrity(fs.readFileSync(c.file)) }))
        .find((x) => x.integrity.state === "intact");
    if (!source || source.integrity.state !== "intact") {
        o.out(`checkpoint ${current.file} ${found.reason}, and no intact copy is left (${path.basename(current.file)}.bak, .pulumi/history, .pulumi/backups). Fix: restore the stack from your own backup of the backend (pulumi stack import --file <export>), then npm run repair again`);
        return "stop";
    }
    const aside = `${current.file}.damaged-${stamp}`;
    const what = `${source.c.file} (written ${when(source.c)}, ${source.integrity.pending} pending operation(s))`;
    const lost = "steps recorded after it, if any, are lost: an object they created makes up fail with \"already exists\"";
    if (o.dryRun) {
        o.out(`checkpoint ${current.file} ${found.reason}: would be kept as ${aside} and replaced by ${what}; ${lost}. The pending operations are listed once it is restored (run without --dry-run)`);
        return "would-restore";
    }
    moveAside(current.file, aside);
    copyAtomically(source.c.file, current.file);
    o.out(`checkpoint ${current.file} ${found.reason}: kept as ${aside}, replaced by ${what}; ${lost}`);
    return "restored";
}
