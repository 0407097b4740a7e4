/**
 * `servicedb plan --stack <name>`: the offline plan of a stack as Markdown on stdout. Needs no
 * credentials, no backend and no Pulumi SDK (src/offlinePlan.ts). Exit 1 when the config has
 * problems, 2 on usage errors or an unknown stack.
 */
import { COMMANDS } from "../src/cli/commands";
import { UsageIo, commandArgs } from "../src/cli/parse";
import { oneOfNames } from "../src/cli/values";
import { offlinePlan } from "../src/offlinePlan";
import { stackNames } from "../src/stackFile";

export interface PlanIo extends UsageIo {
    /** Writes text as it is (the plan ends with its own newline). */
    write(text: string): void;
}

export function runPlan(argv: readonly string[], io: PlanIo): number {
    const parsed = commandArgs(COMMANDS.plan, argv, io, (p) => oneOfNames("stack", p.must("stack"), stackNames()));
    if (parsed.exit !== undefined) return parsed.exit;
    try {
        const plan = offlinePlan(parsed.args);
        io.write(plan.markdown);
        return plan.ok ? 0 : 1;
    } catch (e) {
        io.err(`servicedb plan: ${(e as Error).message}`);
        return 1;
    }
}
