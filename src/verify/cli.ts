/**
 * `servicedb verify --outputs <file> [--json] [--admin-url <url>]` or `--stack <name>` (options:
 * src/cli/commands.ts): the post-deploy gate. Exit 0 when every check passes, 1 on any failure or
 * bad input (one line), 2 on usage errors.
 */
import { connectionProblem } from "../connect";
import { unreachableServer, verifyServices } from "./checks";
import { verifyThroughPooler } from "./pooler";
import { OutputsError, ServiceUnderTest } from "./outputs";
import { loadServices } from "../stackOutputs";
import { renderJson, renderTable } from "./report";
import { COMMANDS } from "../cli/commands";
import { Parsed, commandArgs } from "../cli/parse";
import { notBoth, wholeNumber } from "../cli/values";

export interface VerifyIo {
    out(text: string): void;
    err(line: string): void;
}

const SPEC = COMMANDS.verify;

interface Args {
    outputs?: string; stack?: string; json: boolean; adminUrl?: string; concurrency: number; maintenanceDb: string;
    fullMatrix: boolean; samplePairs?: number; seed?: number;
}

const optionalWhole = (flag: string, text: string | undefined, min: number) => (text === undefined ? undefined : wholeNumber(`--${flag}`, text, min));

/** The arguments of `servicedb verify` from its parsed command line (src/cli/commands.ts declares them). */
export function verifyArgs(p: Parsed<typeof SPEC>): Args {
    const args: Args = {
        outputs: p.value("outputs"), stack: p.value("stack"), json: p.flag("json"), adminUrl: p.value("admin-url"),
        concurrency: optionalWhole("concurrency", p.value("concurrency"), 1) ?? 8,
        maintenanceDb: p.value("maintenance-db") ?? "postgres",
        fullMatrix: p.flag("full-matrix"),
        samplePairs: optionalWhole("sample-pairs", p.value("sample-pairs"), 0),
        seed: optionalWhole("seed", p.value("seed"), 0),
    };
    notBoth(args.fullMatrix, args.samplePairs !== undefined, "--full-matrix tries every pair; drop --sample-pairs");
    return args;
}

const load = (args: Args): Promise<ServiceUnderTest[]> => loadServices(args);

export async function runVerify(argv: readonly string[], io: VerifyIo): Promise<number> {
    const parsed = commandArgs(SPEC, argv, io, verifyArgs);
    if (parsed.exit !== undefined) return parsed.exit;
    const args = parsed.args;
    try {
        const services = await load(args);
        if (!services.length) throw new OutputsError("the outputs list no service");
        const down = await unreachableServer(services);
        if (down) throw down;
        const run = await verifyServices(services, {
            adminUrl: args.adminUrl, concurrency: args.concurrency, maintenanceDatabase: args.maintenanceDb,
            fullMatrix: args.fullMatrix, samplePairs: args.samplePairs, seed: args.seed,
        });
        // Services behind a PgBouncer: the same isolation through the pooler (src/verify/pooler.ts).
        const pooled = new Map(services.flatMap((s) => (s.pooledUrl ? [[s.service, s.pooledUrl] as [string, string]] : [])));
        if (pooled.size > 0) run.results.push(...await verifyThroughPooler(services, pooled, { concurrency: args.concurrency }));
        io.out(args.json ? renderJson(run) : renderTable(run));
        return run.results.some((r) => r.outcome === "fail") ? 1 : 0;
    } catch (e) {
        io.err(`servicedb verify: ${e instanceof OutputsError ? e.message : connectionProblem(e)}`);
        return 1;
    }
}
