/**
 * The pulumi CLI calls of repair: each with a deadline (a hung CLI is killed and reported, never
 * waited for), non-interactive, in the project directory, for one stack.
 */
import { execFile } from "child_process";

/** A failure that stops repair, said in one line. */
export class RepairError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RepairError";
    }
}

export interface CliResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

export type Pulumi = (args: readonly string[], timeoutSeconds?: number) => Promise<CliResult>;

/** Runs `pulumi` in `cwd`; output stays in memory (an export with --show-secrets is never written out). */
export function pulumiCli(cwd: string, env: NodeJS.ProcessEnv = process.env): Pulumi {
    return (args, timeoutSeconds = 300) => new Promise((resolve) => {
        execFile("pulumi", [...args], {
            cwd, env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: timeoutSeconds * 1000, killSignal: "SIGKILL", maxBuffer: 512 * 1024 * 1024,
        }, (err, stdout, stderr) => {
            const timedOut = err !== null && (err as { killed?: boolean }).killed === true;
            const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
            resolve({ code, stdout, stderr: timedOut ? `pulumi ${args[0]} did not finish within ${timeoutSeconds} s and was killed\n${stderr}` : stderr });
        });
    });
}

/** The last meaningful line of a CLI failure, for a one-line error. */
export function failureLine(r: CliResult): string {
    const lines = `${r.stderr}\n${r.stdout}`.split("\n").map((l) => l.trim()).filter((l) => l !== "");
    return lines.find((l) => /^error:/i.test(l)) ?? lines.pop() ?? `exit code ${r.code}`;
}

/**
 * `pulumi refresh`, non-interactive: reads every resource back from its server and clears the
 * pending updates and deletes (pending creates are settled before, by the state edit).
 */
export function refreshArgs(stack: string): string[] {
    return ["refresh", "--yes", "--non-interactive", "--skip-preview", "--stack", stack];
}
