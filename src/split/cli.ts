/**
 * `npm run split -- <plan|copy|verify|cutover|rollback> --plan split/<name>.yaml
 * (--stack <name> | --outputs <file>) [--json] [--progress-interval <ms>] [--lock-timeout <s>]`.
 * Exit 0 on success, 1 on problems, differences or failures (one line each), 2 on usage errors.
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

export interface SplitIo {
    out(line: string): void;
    err(line: string): void;
    /** Raw writes for the live progress line on a terminal. */
    write(text: string): void;
    readonly isTty: boolean;
}

export const COMMANDS = ["plan", "copy", "verify", "cutover", "rollback"] as const;
export type SplitCommand = (typeof COMMANDS)[number];

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

const USAGE = "usage: npm run split -- <plan|copy|verify|cutover|rollback> --plan split/<name>.yaml (--stack <name> | --outputs <file>) [--json] [--progress-interval <ms>] [--lock-timeout <seconds>] [--migrations <dir>]";

export function parseSplitArgs(argv: readonly string[]): SplitArgs {
    const [command, ...rest] = argv;
    if (!COMMANDS.includes(command as SplitCommand)) throw new Error(command ? `unknown command "${command}"; use one of ${COMMANDS.join(", ")}` : "no command given");
    const v: Record<string, string> = {};
    let json = false;
    for (let i = 0; i < rest.length; i++) {
        const [flag, inline] = rest[i].split(/=(.*)/s);
        if (flag === "--json") { json = true; continue; }
        if (!["--plan", "--stack", "--outputs", "--progress-interval", "--lock-timeout", "--migrations"].includes(flag)) throw new Error(`unknown argument ${flag}`);
        const value = inline ?? rest[++i];
        if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
        v[flag.slice(2)] = value;
    }
    if (!v.plan) throw new Error("--plan <file> is required (e.g. split/monolith.yaml)");
    if (!v.stack === !v.outputs) throw new Error("give exactly one of --stack <name> or --outputs <file>");
    const num = (k: string, d: number) => {
        const n = v[k] === undefined ? d : Number(v[k]);
        if (!(n >= 0)) throw new Error(`--${k} takes a number ≥ 0`);
        return n;
    };
    return {
        command: command as SplitCommand, plan: v.plan, stack: v.stack, outputs: v.outputs, json,
        progressIntervalMs: num("progress-interval", 500), lockTimeoutMs: num("lock-timeout", 60) * 1000,
        migrationsRoot: v.migrations ?? path.join(PROJECT_ROOT, "migrations"),
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
    let args: SplitArgs;
    try {
        args = parseSplitArgs(argv);
    } catch (e) {
        io.err(`servicedb split: ${(e as Error).message}`);
        io.err(USAGE);
        return 2;
    }
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

