/**
 * `servicedb migrate <migrate|info|validate|baseline> --dir migrations/<service> --url <url>`
 * (options: src/cli/commands.ts). Exit 0 on success; otherwise 1 (or 2 for usage errors) with a
 * one-line cause on stderr.
 */
import { Client } from "pg";
import { MigrationFileError, loadMigrations } from "./files";
import { MigrationError, RunnerOptions, baseline, info, migrate, validate } from "./runner";
import { connectionProblem } from "../connect";
import { isVersion } from "./versions";
import { COMMANDS as CLI } from "../cli/commands";
import { Parsed, commandArgs } from "../cli/parse";
import { UsageError, VerbOf } from "../cli/spec";
import { positiveSeconds } from "../cli/values";

const SPEC = CLI.migrate;

export interface CliIo {
    out(line: string): void;
    err(line: string): void;
    readonly isTty: boolean;
}

type Command = VerbOf<typeof SPEC>;

export interface CliArgs {
    readonly command: Command;
    readonly dir: string;
    readonly url: string;
    readonly json: boolean;
    readonly version?: string;
    readonly options: RunnerOptions;
}

/** The arguments of `servicedb migrate` from its parsed command line (src/cli/commands.ts declares them). */
export function migrateArgs(p: Parsed<typeof SPEC>): CliArgs {
    const command = p.verb as Command;
    const version = p.value("version");
    if (command === "baseline" && (version === undefined || !isVersion(version) || /^[0._]+$/.test(version))) throw new UsageError("baseline needs --version <version above 0, e.g. 3 or 1.2>");
    const lock = p.value("lock-timeout") === undefined ? undefined : positiveSeconds("lock-timeout", p.value("lock-timeout"), 0);
    return {
        command, dir: p.must("dir"), url: p.must("url"), json: p.flag("json"), version,
        options: {
            schema: p.value("schema"),
            lockTimeoutMs: lock === undefined ? undefined : lock * 1000,
            allowOutOfOrder: p.flag("allow-out-of-order"),
            allowChanged: p.flag("allow-changed"),
            allowMissing: p.flag("allow-missing"),
        },
    };
}

export async function runCli(argv: readonly string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
    const parsed = commandArgs(SPEC, argv, io, migrateArgs, env);
    if (parsed.exit !== undefined) return parsed.exit;
    const args = parsed.args;
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
