/**
 * Whether a preview may be making an update plan, which would record every resource's
 * dependencies (and so the lanes: see `PlatformArgs.previewLanes`). The engine does not tell the
 * program, so this looks at the command lines of the program's ancestors: the Pulumi CLI that
 * started the language host that started this process. A plan is made by `preview --save-plan`,
 * used by `up --plan`, and made and used by `up --strict` or with PULUMI_EXPERIMENTAL set.
 *
 * When in doubt the answer is yes (keep the lanes): no CLI among the ancestors (a `--client`
 * run, a platform without /proc), or a command line that cannot be read.
 */
import * as fs from "fs";
import { envFlag } from "./config";

/** The flags with which the CLI makes or follows a plan. */
const PLAN_FLAGS = ["--save-plan", "--plan", "--strict"];

function isPulumiCli(argv0: string): boolean {
    const base = argv0.split(/[\\/]/).pop() ?? "";
    return base === "pulumi" || base === "pulumi.exe";
}

function asksForPlan(arg: string): boolean {
    if (arg === "--strict=false") return false;
    return PLAN_FLAGS.some((f) => arg === f || arg.startsWith(`${f}=`));
}

/**
 * Pure: from the ancestors' command lines (nearest first) and the environment, whether the run
 * may make or follow a plan. False only when a Pulumi CLI is found and asks for none.
 */
export function mayUsePlan(ancestors: readonly (readonly string[])[], env: NodeJS.ProcessEnv): boolean {
    if (envFlag(env.PULUMI_EXPERIMENTAL)) return true;
    const cli = ancestors.find((argv) => argv.length > 0 && isPulumiCli(argv[0]));
    if (!cli) return true;
    return cli.slice(1).some(asksForPlan);
}

/** The command lines of this process's ancestors from /proc, nearest first (at most `depth`). */
export function ancestorCommandLines(depth = 6, proc = "/proc"): string[][] {
    const out: string[][] = [];
    let pid = process.ppid;
    for (let i = 0; i < depth && pid > 1; i++) {
        try {
            out.push(fs.readFileSync(`${proc}/${pid}/cmdline`, "utf8").split("\0").filter((a) => a !== ""));
            // Field 4 of /proc/<pid>/stat is the parent; the command name (field 2) may hold spaces.
            const stat = fs.readFileSync(`${proc}/${pid}/stat`, "utf8");
            pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        } catch {
            break;
        }
    }
    return out;
}

/**
 * Whether this preview keeps the lanes. SERVICEDB_PREVIEW_LANES=true or false decides; unset, a
 * preview drops them only when `mayUsePlan` says no plan is made or followed. `ancestors` is
 * called only for a preview without the setting.
 */
export function previewLanesFrom(env: NodeJS.ProcessEnv, dryRun: boolean, ancestors: () => readonly (readonly string[])[]): boolean {
    const setting = env.SERVICEDB_PREVIEW_LANES?.trim();
    if (setting) return envFlag(setting);
    return dryRun && mayUsePlan(ancestors(), env);
}
