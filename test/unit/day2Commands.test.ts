/** The backup, restore and status commands: usage errors, and `--stack` without the Pulumi CLI. */
import { runBackup, runRestore } from "../../src/backup/cli";
import { runStatus } from "../../src/status/cli";
import { NO_PULUMI, servicedb } from "./servicedbProcess";

async function usage(run: typeof runBackup, argv: string[]): Promise<{ code: number; err: string[] }> {
    const err: string[] = [];
    const code = await run(argv, { out: () => undefined, err: (l) => err.push(l) });
    return { code, err };
}

test.each([
    [runBackup, [], "servicedb backup: give exactly one of --stack <name> or --outputs <file>"],
    [runBackup, ["--stack", "dev"], "servicedb backup: --service is required (the service to back up)"],
    [runRestore, ["--stack", "dev", "--service", "orders"], "servicedb restore: --from is required (the .dump file or its .json manifest)"],
    [runRestore, ["--stack", "dev", "--service", "orders", "--from", "x.dump", "--clean", "--force"], "servicedb restore: give --clean or --force, not both"],
    [(argv: readonly string[], io: { out(t: string): void; err(l: string): void }) => runStatus(argv, { ...io, write: () => undefined, isTty: false }), ["--stack", "dev", "--interval", "1"], "servicedb status: --interval goes with --watch"],
] as const)("usage error: %#", async (run, argv, line) => {
    const r = await usage(run, [...argv]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe(line);
    expect(r.err[1]).toMatch(/^usage: servicedb (backup|restore|status) /);
});

test.each(["backup", "status"])("%s --stack without the Pulumi CLI: one line, exit 1", async (cmd) => {
    const r = await servicedb([cmd, "--stack", "local", ...(cmd === "backup" ? ["--service", "orders"] : [])], NO_PULUMI);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`servicedb ${cmd}: --stack local needs the Pulumi CLI, which is not on PATH; install it, or use --outputs <file>`);
}, 180_000);
