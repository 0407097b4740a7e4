/**
 * Repair's second step with a file backend: a checkpoint that does not parse (empty or cut, see
 * ./checkpoint.ts) is replaced by the newest intact copy — its `.bak`, else the newest history or
 * backup checkpoint. The damaged file is renamed aside (`<file>.damaged-<ms>`), never deleted, and
 * one line says what happened (in a dry run: what would). Pulumi ignores the renamed file: it
 * reads only `<stack>.json`, `.json.gz` and `.json.zst` (and lists only those as stacks).
 */
import * as fs from "fs";
import * as path from "path";
import { CheckpointFile, checkpointIntegrity, currentCheckpoint, restoreCandidates } from "./checkpoint";

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
    if (fs.existsSync(`${from}.attrs`)) fs.copyFileSync(`${from}.attrs`, `${to}.attrs`);
}

function moveAside(file: string, aside: string): void {
    fs.renameSync(file, aside);
    if (fs.existsSync(`${file}.attrs`)) fs.renameSync(`${file}.attrs`, `${aside}.attrs`);
}

const when = (c: CheckpointFile) => new Date(c.mtimeMs).toISOString();

export function recoverCheckpoint(o: CheckpointStepOptions): CheckpointOutcome {
    const current = currentCheckpoint(o.backendDir, o.project, o.stack);
    if (!current) return "readable"; // no stack here: pulumi stack export says so
    const found = checkpointIntegrity(fs.readFileSync(current.file));
    if (found.state !== "damaged") return "readable"; // "unknown" (zstd): pulumi reads it, or its error is shown
    const source = restoreCandidates(o.backendDir, o.project, o.stack)
        .map((c) => ({ c, integrity: checkpointIntegrity(fs.readFileSync(c.file)) }))
        .find((x) => x.integrity.state === "intact");
    if (!source || source.integrity.state !== "intact") {
        o.out(`checkpoint ${current.file} ${found.reason}, and no intact copy is left (${path.basename(current.file)}.bak, .pulumi/history, .pulumi/backups). Fix: restore the stack from your own backup of the backend (pulumi stack import --file <export>), then npm run repair again`);
        return "stop";
    }
    const aside = `${current.file}.damaged-${(o.now ?? Date.now)()}`;
    const what = `${source.c.file} (written ${when(source.c)}, ${source.integrity.pending} pending operation(s))`;
    const lost = "steps recorded after it are lost: an object they created makes up fail with \"already exists\"";
    if (o.dryRun) {
        o.out(`checkpoint ${current.file} ${found.reason}: would be kept as ${aside} and replaced by ${what}; ${lost}. The pending operations are listed once it is restored (run without --dry-run)`);
        return "would-restore";
    }
    moveAside(current.file, aside);
    copyAtomically(source.c.file, current.file);
    o.out(`checkpoint ${current.file} ${found.reason}: kept as ${aside}, replaced by ${what}; ${lost}`);
    return "restored";
}
