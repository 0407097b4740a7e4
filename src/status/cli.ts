/**
 * `npm run status -- (--stack <s> | --outputs <file>) [--admin-url <url>] [--json] [--watch
 * [--interval <seconds>]] [--migrations <dir>]`. Exit 0 when nothing is flagged, 1 when a
 * service is flagged or the outputs cannot be read (one line), 2 on usage errors.
 */
import * as path from "path";
import { connectionProblem } from "../connect";
import { UsageError, outputsSource, parseFlags, positiveSeconds } from "../day2/flags";
import { loadServices } from "../stackOutputs";
import { folderLoader } from "../migrations/files";
import { OutputsError } from "../verify/outputs";
import { collectStatus } from "./collect";
import { renderJson, renderTable } from "./render";
import { watch } from "./watch";
import { PROJECT_ROOT } from "../root";

export interface StatusIo {
    out(text: string): void;
    err(line: string): void;
    /** Write without a newline (watch frames). */
    write(text: string): void;
    readonly isTty: boolean;
    /** Aborted on Ctrl-C; needed for --watch. */
    readonly signal?: AbortSignal;
}

const USAGE = "usage: npm run status -- (--stack <name> | --outputs <file>) [--admin-url <url>] [--json] [--watch [--interval <seconds>]] [--migrations <dir>]";
const DEFAULT_MIGRATIONS = path.join(PROJECT_ROOT, "migrations");

export async function runStatus(argv: readonly string[], io: StatusIo): Promise<number> {
    try {
        const flags = parseFlags(argv, { values: ["stack", "outputs", "admin-url", "interval", "migrations"], switches: ["json", "watch"] });
        const source = outputsSource(flags);
        const intervalMs = 1000 * positiveSeconds("interval", flags.values.get("interval"), 2);
        if (flags.values.has("interval") && !flags.switches.has("watch")) throw new UsageError("--interval goes with --watch");
        const json = flags.switches.has("json");
        const adminUrl = flags.values.get("admin-url");
        const services = await loadServices(source);
        const options = { adminUrl, migrations: folderLoader(flags.values.get("migrations") ?? DEFAULT_MIGRATIONS) };
        if (flags.switches.has("watch")) {
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
        if (e instanceof UsageError) {
            io.err(`servicedb status: ${e.message}`);
            io.err(USAGE);
            return 2;
        }
        io.err(`servicedb status: ${e instanceof OutputsError ? e.message : connectionProblem(e)}`);
        return 1;
    }
}
