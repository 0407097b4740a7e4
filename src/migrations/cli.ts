/**
 * `npm run migrate -- <migrate|info|validate|baseline> --dir migrations/<service> --url <url>`.
 * Exit 0 on success; otherwise 1 (or 2 for usage errors) with a one-line cause on stderr.
 */
import { Client } from "pg";
import { MigrationFileError, loadMigrations } from "./files";
import { MigrationError, RunnerOptions, baseline, info, migrate, validate } from "./runner";
import { connectionProblem } from "../connect";
import { isVersion } from "./versions";

export interface CliIo {
    out(line: string): void;
    err(line: string): void;
    readonly isTty: boolean;
}

const USAGE = "usage: npm run migrate -- <migrate|info|validate|baseline> --dir <folder> --url <postgres-url> [--json] [--schema <name>] [--version <n>] [--lock-timeout <seconds>] [--allow-out-of-order] [--allow-changed] [--allow-missing]";
const COMMANDS = ["migrate", "info", "validate", "baseline"] as const;
type Command = (typeof COMMANDS)[number];

export interface CliArgs {
    readonly command: Command;
    readonly dir: string;
    readonly url: string;
    readonly json: boolean;
    readonly version?: string;
    readonly options: RunnerOptions;
}

class UsageError extends Error {}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliArgs {
    const [command, ...rest] = argv;
    if (!COMMANDS.includes(command as Command)) throw new UsageError(command ? `unknown command "${command}"` : "no command given");
    const flags = new Map<string, string | true>();
    for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        if (!a.startsWith("--")) throw new UsageError(`unexpected argument "${a}"`);
        const [k, inline] = a.slice(2).split(/=(.*)/s);
        const takesValue = ["dir", "url", "schema", "version", "lock-timeout"].includes(k);
        if (!takesValue && !["json", "allow-out-of-order", "allow-changed", "allow-missing"].includes(k)) throw new UsageError(`unknown option --${k}`);
        if (takesValue && inline === undefined && (rest[i + 1] === undefined || rest[i + 1].startsWith("--"))) throw new UsageError(`--${k} needs a value`);
        flags.set(k, takesValue ? inline ?? rest[++i] : true);
    }
    const str = (k: string) => (typeof flags.get(k) === "string" ? (flags.get(k) as string) : undefined);
    const dir = str("dir");
    const url = str("url") ?? env.DATABASE_URL;
    if (!dir) throw new UsageError("--dir is required (the service's migrations folder)");
    if (!url) throw new UsageError("--url is required (or set DATABASE_URL)");
    const version = str("version");
    if (command === "baseline" && (version === undefined || !isVersion(version) || /^[0._]+$/.test(version))) throw new UsageError("baseline needs --version <version above 0, e.g. 3 or 1.2>");
    const lock = str("lock-timeout") === undefined ? undefined : Number(str("lock-timeout"));
    if (lock !== undefined && !(lock > 0)) throw new UsageError("--lock-timeout takes seconds > 0");
    return {
        command: command as Command, dir, url, json: flags.has("json"), version,
        options: {
            schema: str("schema"),
            lockTimeoutMs: lock === undefined ? undefined : lock * 1000,
            allowOutOfOrder: flags.has("allow-out-of-order"),
            allowChanged: flags.has("allow-changed"),
            allowMissing: flags.has("allow-missing"),
        },
    };
}

export async function runCli(argv: readonly string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
    let args: CliArgs;
    try {
        args = parseArgs(argv, env);
    } catch (e) {
        io.err(`servicedb migrate: ${(e as Error).message}`);
        io.err(USAGE);
        return 2;
    }
    let client: Client | undefined;
    try {
        const files = loadMigrations(args.dir);
        if (!isPostgresUrl(args.url)) throw new Error("--url is not a postgres:// or postgresql:// URL");
        client = new Client({ connectionString: args.url, connectionTimeoutMillis: 10_000 });
        client.on("error", () => undefined);
        await client.connect();
        const progress = io.isTty && !args.json ? { onProgress: (e: { script: string; phase: string; ms?: number }) => { if (e.phase === "done") io.err(`  applied ${e.script} (${e.ms} ms)`); else io.err(`  applying ${e.script} …`); } } : {};
        switch (args.command) {
            case "migrate": {
                const applied = await migrate(client, files, { ...args.options, ...progress });
                io.out(args.json ? JSON.stringify(applied) : `applied ${applied.length} migration(s) from ${args.dir}`);
                return 0;
            }
            case "info": {
                const infos = await info(client, files, args.options);
                if (args.json) io.out(JSON.stringify(infos.map(({ version, description, checksum, state }) => ({ version, description, checksum, state }))));
                else for (const i of infos) io.out(`${String(i.version ?? "R").padStart(6)}  ${i.state.padEnd(8)}  ${i.script}`);
                return 0;
            }
            case "validate": {
                const problems = await validate(client, files, args.options);
                if (problems.length) {
                    io.err(`servicedb migrate: ${problems.length} problem(s): ${problems.join(" | ")}`);
                    return 1;
                }
                io.out(args.json ? JSON.stringify({ valid: true, files: files.length }) : `valid: ${files.length} migration file(s) agree with the history`);
                return 0;
            }
            case "baseline":
                await baseline(client, args.version as string, args.options);
                io.out(`baselined at version ${args.version}`);
                return 0;
        }
        return 2;
    } catch (e) {
        io.err(`servicedb migrate: ${oneLine(e)}`);
        return 1;
    } finally {
        await client?.end().catch(() => undefined);
    }
}

function oneLine(e: unknown): string {
    if (e instanceof MigrationError || e instanceof MigrationFileError) return e.message.replace(/\n\s*-\s*/g, " | ").replace(/:\s*\|/, ":");
    return connectionProblem(e);
}

export function isPostgresUrl(url: string): boolean {
    try {
        const u = new URL(url);
        return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "";
    } catch {
        return false;
    }
}
