/**
 * `servicedb status (--stack <s> | --outputs <file>) [--admin-url <url>] [--json] [--watch
 * [--interval <seconds>]] [--migrations <dir>]` (options: src/cli/commands.ts). Exit 0 when
 * nothing is flagged, 1 when a service is flagged or the outputs cannot be read (one line), 2 on
 * usage errors.
 */
import * as path from "path";
import { connectionProblem } from "../connect";
import { loadServices } from "../stackOutputs";
import { folderLoader } from "../migrations/files";
import { OutputsError } from "../verify/outputs";
import { collectStatus } from "./collect";
import { renderJson, renderTable } from "./render";
import { watch } from "./watch";
import { PROJECT_ROOT } from "../root";
import { COMMANDS } from "../cli/commands";
import { Parsed, commandArgs } from "../cli/parse";
import { UsageError } from "../cli/spec";
import { positiveSeconds } from "../cli/values";

export interface StatusIo {
    out(text: string): void;
    err(line: string): void;
    /** Write without a newline (watch frames). */
    write(text: string): void;
    readonly isTty: boolean;
    /** Aborted on Ctrl-C; needed for --watch. */
    readonly signal?: AbortSignal;
}

const SPEC = COMMANDS.status;
const DEFAULT_MIGRATIONS = path.join(PROJECT_ROOT, "migrations");

interface Args {
    readonly source: { readonly stack?: string; readonly outputs?: string };
    readonly adminUrl?: string;
    readonly json: boolean;
    readonly watch: boolean;
    readonly intervalMs: number;
    readonly migrations: string;
}

/** The arguments of `servicedb status` from its parsed command line. */
export function statusArgs(p: Parsed<typeof SPEC>): Args {
    const intervalMs = 1000 * positiveSeconds("interval", p.value("interval"), 2);
    if (p.value("interval") !== undefined && !p.flag("watch")) throw new UsageError("--interval goes with --watch");
    return {
        source: { stack: p.value("stack"), outputs: p.value("outputs") }, adminUrl: p.value("admin-url"),
        json: p.flag("json"), watch: p.flag("watch"), intervalMs, migrations: p.value("migrations") ?? DEFAULT_MIGRATIONS,
    };
}

export async function runStatus(argv: readonly string[], io: StatusIo): Promise<number> {
    const parsed = commandArgs(SPEC, argv, io, statusArgs);
    if (parsed.exit !== undefined) return parsed.exit;
    const { source, adminUrl, json, intervalMs } = parsed.args;
    try {
        const services = await loadServices(source);
        const options = { adminUrl, migrations: folderLoader(parsed.args.migrations) };
        if (parsed.args.watch) {
            const signal = io.signal ?? new AbortController().signal;
            const frame = async () => {
                try {
                    const r = await collectStatus(services, options);
                    return json ? renderJson(r, Boolean(adminUrl), true) : renderTable(r, Boolean(adminUrl));
                } catch (e) {
                    return `servicedb status: ${connectionProblem(e)} (retrying)`;
                }
            };
            await watch(frame, { intervalMs, tty: io.isTty && !json, write: (t) => io.write(t), signal });
            return 0;
        }
        const report = await collectStatus(services, options);
        io.out(json ? renderJson(report, Boolean(adminUrl)) : renderTable(report, Boolean(adminUrl)));
        return report.services.some((s) => s.flags.length) ? 1 : 0;
    } catch (e) {
        io.err(`servicedb status: ${e instanceof OutputsError ? e.message : connectionProblem(e)}`);
        return 1;
    }
}
