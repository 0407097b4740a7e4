/**
 * `servicedb repair --stack <stack> [--dry-run] [--clear-foreign-locks]` (options:
 * src/cli/commands.ts): brings a stack whose `pulumi up` was interrupted (killed, a lost CI
 * runner) back to a state the next `up` converges from. Clears a stale lock, reads the pending
 * operations, looks each pending create up on its server, imports what exists as declared, drops
 * what does not, and runs `pulumi refresh`. One line per lock and per resource. Exit 0 when the
 * stack is ready for `up` (or nothing needed repair), 1 when something stops it (a running
 * update, a conflict, a failed refresh), 2 on usage.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { COMMANDS } from "../cli/commands";
import { Parsed, commandArgs } from "../cli/parse";
import { PROJECT_ROOT } from "../root";
import { applyPlan } from "./apply";
import { Decision, decide, plan } from "./decide";
import { recoverCheckpoint } from "./checkpointStep";
import { clearStaleLock, fileBackendDir } from "./lockStep";
import { probeAll } from "./probeAll";
import { Pulumi, RepairError as Stop, failureLine, pulumiCli } from "./pulumi";
import { StateError, readExport } from "./state";
import { unrecordedCores } from "./unrecorded";

export interface RepairIo {
    out(line: string): void;
    err(line: string): void;
}

export interface RepairOptions {
    /** The project directory (Pulumi.yaml). Defaults to this repository. */
    readonly projectDir?: string;
    /** Runs the pulumi CLI; defaults to the one on PATH, in `projectDir`. */
    readonly pulumi?: Pulumi;
    /** How long to wait for processes of an interrupted run. Defaults to 30 s. */
    readonly waitSeconds?: number;
}

const SPEC = COMMANDS.repair;

interface Args { stack: string; dryRun: boolean; clearForeignLocks: boolean }

/** The arguments of `servicedb repair` from its parsed command line (src/cli/commands.ts declares them). */
export function repairArgs(p: Parsed<typeof SPEC>): Args {
    return { stack: p.must("stack"), dryRun: p.flag("dry-run"), clearForeignLocks: p.flag("clear-foreign-locks") };
}

async function backendUrl(pulumi: Pulumi): Promise<string> {
    const r = await pulumi(["whoami", "--json"], 60);
    if (r.code !== 0) throw new Stop(`cannot tell the backend (pulumi whoami: ${failureLine(r)}); log in (pulumi login) or set PULUMI_BACKEND_URL`);
    return String((JSON.parse(r.stdout) as { url?: string }).url ?? "");
}

async function exportState(pulumi: Pulumi, stack: string) {
    const r = await pulumi(["stack", "export", "--stack", stack, "--show-secrets"], 300);
    if (r.code !== 0) throw new Stop(`cannot export stack ${stack}: ${failureLine(r)}`);
    return readExport(r.stdout, `the export of stack ${stack}`);
}

/** The stack's config, secrets decrypted (in memory only), as key → value. */
async function stackConfig(pulumi: Pulumi, stack: string): Promise<Record<string, unknown>> {
    const r = await pulumi(["config", "--json", "--show-secrets", "--stack", stack], 120);
    if (r.code !== 0) throw new Stop(`cannot read the config of stack ${stack}: ${failureLine(r)}`);
    const entries = JSON.parse(r.stdout || "{}") as Record<string, { value?: string; objectValue?: unknown }>;
    return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, v.objectValue ?? v.value]));
}

function summary(decisions: readonly Decision[]): string {
    const n = (a: Decision["action"]) => decisions.filter((d) => d.action === a).length;
    return `${n("import")} imported, ${n("clear")} dropped, ${n("refresh")} left to refresh`;
}

export async function runRepair(argv: readonly string[], io: RepairIo, opts: RepairOptions = {}): Promise<number> {
    const parsed = commandArgs(SPEC, argv, io, repairArgs);
    if (parsed.exit !== undefined) return parsed.exit;
    const args = parsed.args;
    const projectDir = opts.projectDir ?? PROJECT_ROOT;
    const pulumi = opts.pulumi ?? pulumiCli(projectDir);
    const tag = args.dryRun ? "repair (dry run)" : "repair";
    try {
        const version = await pulumi(["version"], 60);
        if (version.code !== 0) throw new Stop("the Pulumi CLI is not on PATH; install it (https://www.pulumi.com/docs/install/), then run repair again");
        const project = String((parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { name?: string }).name);
        const url = await backendUrl(pulumi);
        const lockOk = await clearStaleLock(url, pulumi, { ...args, project, projectDir, out: io.out, waitSeconds: opts.waitSeconds });
        if (!lockOk) throw new Stop("an update may still be running; nothing else was changed");
        const backendDir = fileBackendDir(url);
        if (backendDir !== undefined) {
            const checkpoint = recoverCheckpoint({ ...args, backendDir, project, out: io.out });
            if (checkpoint === "stop") throw new Stop(`the checkpoint of stack ${args.stack} cannot be read and nothing intact is left to restore it from; nothing was changed`);
            if (checkpoint === "would-restore") {
                io.out(`${tag}: would repair the checkpoint first; nothing was changed`);
                return 0;
            }
        }

        const state = await exportState(pulumi, args.stack);
        const unrecorded = await unrecordedCores(await stackConfig(pulumi, args.stack), args.stack, project, state);
        for (const f of unrecorded) io.out(f.line);
        if (unrecorded.some((f) => f.conflict)) {
            throw new Stop(`${unrecorded.filter((f) => f.conflict).length} service(s) need a person (see the lines above); the state was not changed`);
        }
        if (!state.pending.length) {
            io.out(`${tag}: stack ${args.stack} has no pending operations: ${unrecorded.length ? "nothing to change, the next up takes over what the failed creates made" : "nothing to repair"}`);
            return 0;
        }
        const probes = await probeAll(state);
        const decisions = state.pending.map((op) => decide(op, probes.get(op)));
        for (const d of decisions) io.out(d.line);
        const p = plan(decisions);
        if (p.blocked) throw new Stop(`${decisions.filter((d) => d.action === "conflict" || d.action === "unresolved").length} pending operation(s) need a person (see the lines above); the state was not changed`);
        if (args.dryRun) {
            io.out(`${tag}: would leave ${summary(decisions)}; nothing was changed`);
            return 0;
        }
        await applyPlan(pulumi, args.stack, p, io.out);
        io.out(`${tag}: ${summary(decisions)}; pulumi refresh done. Next: pulumi up --stack ${args.stack}`);
        return 0;
    } catch (e) {
        if (e instanceof Stop || e instanceof StateError) {
            io.err(`servicedb ${tag}: ${e.message}`);
            return 1;
        }
        throw e;
    }
}
