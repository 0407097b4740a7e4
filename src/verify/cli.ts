/**
 * `npm run verify -- --outputs <file> [--json] [--admin-url <url>]` or `--stack <name>`:
 * the post-deploy gate. Exit 0 when every check passes, 1 on any failure or bad input (one line),
 * 2 on usage errors.
 */
import { connectionProblem } from "../connect";
import { unreachableServer, verifyServices } from "./checks";
import { verifyThroughPooler } from "./pooler";
import { OutputsError, ServiceUnderTest } from "./outputs";
import { loadServices } from "../stackOutputs";
import { renderJson, renderTable } from "./report";

export interface VerifyIo {
    out(text: string): void;
    err(line: string): void;
}

const USAGE = "usage: npm run verify -- (--outputs <file> | --stack <name>) [--json] [--admin-url <url>] [--concurrency <n>] [--maintenance-db <name>] [--full-matrix | --sample-pairs <n>] [--seed <n>]";

interface Args {
    outputs?: string; stack?: string; json: boolean; adminUrl?: string; concurrency: number; maintenanceDb: string;
    fullMatrix: boolean; samplePairs?: number; seed?: number;
}

/** A whole number ≥ `min` given to `flag`, or an error that says so. */
export function wholeNumber(flag: string, text: string, min: number): number {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min || !/^\d+$/.test(text)) throw new Error(`${flag} takes a whole number ≥ ${min}, got "${text}"`);
    return n;
}

function parseArgs(argv: readonly string[]): Args {
    const args: Args = { json: false, concurrency: 8, maintenanceDb: "postgres", fullMatrix: false };
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s);
        const value = () => {
            const v = inline ?? argv[++i];
            if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
            return v;
        };
        switch (flag) {
            case "--outputs": args.outputs = value(); break;
            case "--stack": args.stack = value(); break;
            case "--json": args.json = true; break;
            case "--admin-url": args.adminUrl = value(); break;
            case "--maintenance-db": args.maintenanceDb = value(); break;
            case "--concurrency": args.concurrency = wholeNumber(flag, value(), 1); break;
            case "--full-matrix": args.fullMatrix = true; break;
            case "--sample-pairs": args.samplePairs = wholeNumber(flag, value(), 0); break;
            case "--seed": args.seed = wholeNumber(flag, value(), 0); break;
            default: throw new Error(`unknown argument ${flag}`);
        }
    }
    if (!args.outputs === !args.stack) throw new Error("give exactly one of --outputs <file> or --stack <name>");
    if (args.fullMatrix && args.samplePairs !== undefined) throw new Error("--full-matrix tries every pair; drop --sample-pairs");
    return args;
}

const load = (args: Args): Promise<ServiceUnderTest[]> => loadServices(args);

export async function runVerify(argv: readonly string[], io: VerifyIo): Promise<number> {
    let args: Args;
    try {
        args = parseArgs(argv);
    } catch (e) {
        io.err(`servicedb verify: ${(e as Error).message}`);
        io.err(USAGE);
        return 2;
    }
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
