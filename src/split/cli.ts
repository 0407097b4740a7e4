/**
 * `servicedb split <plan|copy|verify|cutover|rollback> --plan split/<name>.yaml
 * (--stack <name> | --outputs <file>) [--json] [--progress-interval <ms>] [--lock-timeout <s>]`
 * (options: src/cli/commands.ts). Exit 0 on success, 1 on problems, differences or failures (one line each), 2 on usage errors.
 */
import * as path from "path";
import { connectionProblem, withConnection } from "../connect";
import { OutputsError } from "../verify/outputs";
import { copyService, schemaSource } from "./copy";
import { SplitContext, loadContext, serviceConnection, targetFindings } from "./context";
import { cutover, nextSteps, withTargets } from "./cutover";
import { SplitError } from "./errors";
import { Emit, jsonEmitter, plainEmitter, ttyEmitter } from "./events";
import { PlanError } from "./planFile";
import { planReport, renderPlan } from "./report";
import { rollback } from "./rollback";
import { normalizeSession } from "./state";
import { TableCheck, checkTable, describeCheck } from "./verify";
import { PROJECT_ROOT } from "../root";
import { COMMANDS as CLI } from "../cli/commands";
import { Parsed, commandArgs } from "../cli/parse";
import { VerbOf } from "../cli/spec";
import { nonNegative } from "../cli/values";

export interface SplitIo {
    out(line: string): void;
    err(line: string): void;
    /** Raw writes for the live progress line on a terminal. */
    write(text: string): void;
    readonly isTty: boolean;
}

const SPEC = CLI.split;

export type SplitCommand = VerbOf<typeof SPEC>;

export interface SplitArgs {
    readonly command: SplitCommand;
    readonly plan: string;
    readonly stack?: string;
    readonly outputs?: string;
    readonly json: boolean;
    readonly progressIntervalMs: number;
    readonly lockTimeoutMs: number;
    readonly migrationsRoot: string;
}

/** The arguments of `servicedb split` from its parsed command line (src/cli/commands.ts declares them). */
export function splitArgs(p: Parsed<typeof SPEC>): SplitArgs {
    return {
        command: p.verb as SplitCommand, plan: p.must("plan"), stack: p.value("stack"), outputs: p.value("outputs"), json: p.flag("json"),
        progressIntervalMs: nonNegative("progress-interval", p.value("progress-interval"), 500),
        lockTimeoutMs: nonNegative("lock-timeout", p.value("lock-timeout"), 60) * 1000,
        migrationsRoot: p.value("migrations") ?? path.join(PROJECT_ROOT, "migrations"),
    };
}

async function planCommand(ctx: SplitContext, args: SplitArgs, io: SplitIo): Promise<number> {
    const occupied = await withTargets(ctx, async (open) => (await Promise.all(open.map(async (o) => targetFindings(o.target, o.st, await o.state.all())))).flat());
    const byService = new Map(ctx.assignment.services.map((s) => [s.service, s]));
    const report = planReport(ctx.assignment, ctx.catalog, (s) => serviceConnection(ctx, s).database,
        (s) => schemaSource(byService.get(s) ?? ctx.assignment.services[0], args.migrationsRoot), occupied);
    io.out(args.json ? JSON.stringify(report, null, 2) : renderPlan(report, `split plan ${args.plan}: ${ctx.assignment.services.length} services, ${ctx.assignment.services.reduce((n, s) => n + s.tables.length, 0)} tables`));
    return report.problems.length ? 1 : 0;
}

async function verifyCommand(ctx: SplitContext, args: SplitArgs, io: SplitIo): Promise<number> {
    const checks: TableCheck[] = await withConnection({ connectionString: ctx.sourceUrl }, async (source) => {
        await normalizeSession(source);
        return withTargets(ctx, async (open) => {
            const out: TableCheck[] = [];
            for (const o of open) for (const t of o.st.tables) out.push(await checkTable(source, o.target, o.st.service, t));
            return out;
        });
    });
    io.out(args.json ? JSON.stringify({ ok: checks.every((c) => c.match), tables: checks }, null, 2) : checks.map(describeCheck).join("\n"));
    return checks.every((c) => c.match) ? 0 : 1;
}

function refuseProblems(ctx: SplitContext): void {
    const p = ctx.assignment.problems;
    if (p.length) throw new SplitError(`the plan has ${p.length} problem${p.length === 1 ? "" : "s"} (run split plan for the full report); nothing was moved:\n${p.map((f) => `  - ${f.subject} ${f.problem}. Fix: ${f.fix}.`).join("\n")}`);
}

export async function runSplit(argv: readonly string[], io: SplitIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
    const parsed = commandArgs(SPEC, argv, io, splitArgs);
    if (parsed.exit !== undefined) return parsed.exit;
    const args = parsed.args;
    const emit: Emit = args.json ? jsonEmitter(io.out) : io.isTty ? ttyEmitter(io.write) : plainEmitter(io.out);
    try {
        const ctx = await loadContext(args.plan, { stack: args.stack, outputs: args.outputs }, env);
        switch (args.command) {
            case "plan": return await planCommand(ctx, args, io);
            case "verify": refuseProblems(ctx); return await verifyCommand(ctx, args, io);
            case "rollback": await rollback(ctx, emit); return 0;
            case "copy":
                refuseProblems(ctx);
                for (const st of ctx.assignment.services) await copyService(ctx, st, { emit, progressIntervalMs: args.progressIntervalMs, migrationsRoot: args.migrationsRoot });
                return 0;
            case "cutover": {
                refuseProblems(ctx);
                const checks = await cutover(ctx, { emit, lockTimeoutMs: args.lockTimeoutMs, progressIntervalMs: args.progressIntervalMs });
                const ok = checks.every((c) => c.match);
                if (!args.json) io.out([...checks.filter((c) => !c.match).map(describeCheck), ...(ok ? ["cutover complete; next:", ...nextSteps(ctx).map((s) => `  ${s}`)] : [])].join("\n"));
                else io.out(JSON.stringify({ event: "cutover", ok, differing: checks.filter((c) => !c.match), next: ok ? nextSteps(ctx) : [] }));
                return ok ? 0 : 1;
            }
        }
    } catch (e) {
        const known = e instanceof PlanError || e instanceof SplitError || e instanceof OutputsError;
        io.err(`servicedb split ${args.command}: ${known ? (e as Error).message : connectionProblem(e)}`);
        return 1;
    }
}

