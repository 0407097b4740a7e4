/**
 * `servicedb backup (--stack <s> | --outputs <file>) --service <svc> [--out <dir>] [--json]` and
 * `servicedb restore (--stack <s> | --outputs <file>) --service <svc> --from <file> [--as <name>]
 * [--admin-url <url>] [--clean | --force] [--json]` (options: src/cli/commands.ts). Exit 0 on
 * success, 1 with one line on failure, 2 on usage errors.
 */
import { connectionProblem } from "../connect";
import { COMMANDS } from "../cli/commands";
import { Parsed, commandArgs } from "../cli/parse";
import { CommandSpec } from "../cli/spec";
import { notBoth } from "../cli/values";
import { loadServices, pickService } from "../stackOutputs";
import { OutputsError } from "../verify/outputs";
import { takeBackup } from "./backup";
import { BackupError } from "./pgTools";
import { restoreBackup } from "./restore";

export interface CommandIo {
    out(text: string): void;
    err(line: string): void;
}

/** Parses `argv` for `spec`, then runs the command body: usage → 2 (src/cli/parse.ts), a failure → 1 with one line. */
async function command<S extends CommandSpec, T>(spec: S, argv: readonly string[], io: CommandIo, toArgs: (p: Parsed<S>) => T, body: (args: T) => Promise<string>): Promise<number> {
    const parsed = commandArgs(spec, argv, io, toArgs);
    if (parsed.exit !== undefined) return parsed.exit;
    try {
        io.out(await body(parsed.args));
        return 0;
    } catch (e) {
        io.err(`servicedb ${spec.name}: ${e instanceof BackupError || e instanceof OutputsError ? e.message : connectionProblem(e)}`);
        return 1;
    }
}

const source = (p: Parsed<typeof COMMANDS.backup | typeof COMMANDS.restore>) => ({ stack: p.value("stack"), outputs: p.value("outputs") });

/** The arguments of `servicedb backup` from its parsed command line. */
export function backupArgs(p: Parsed<typeof COMMANDS.backup>) {
    return { source: source(p), service: p.must("service"), out: p.value("out") ?? "backups", json: p.flag("json") };
}

/** The arguments of `servicedb restore` from its parsed command line. */
export function restoreArgs(p: Parsed<typeof COMMANDS.restore>) {
    notBoth(p.flag("clean"), p.flag("force"), "give --clean or --force, not both");
    return {
        source: source(p), service: p.must("service"), json: p.flag("json"),
        options: { from: p.must("from"), as: p.value("as"), adminUrl: p.value("admin-url"), clean: p.flag("clean"), force: p.flag("force") },
    };
}

export function runBackup(argv: readonly string[], io: CommandIo): Promise<number> {
    return command(COMMANDS.backup, argv, io, backupArgs, async (args) => {
        const name = args.service;
        const service = pickService(await loadServices(args.source), name);
        const r = await takeBackup({ service: service.service, url: service.url, schema: service.schemas[0] }, args.out);
        if (args.json) return JSON.stringify({ dump: r.file, manifestFile: r.manifestFile, manifest: r.manifest }, null, 2);
        const at = r.manifest.migrationVersion === null ? "no migration applied" : `migration version ${r.manifest.migrationVersion}`;
        return `backed up service ${name} (database ${r.manifest.database}, PostgreSQL ${r.manifest.serverVersion}, ${at}) to ${r.file} (${r.manifest.bytes} bytes, sha256 ${r.manifest.sha256.slice(0, 12)}…); manifest ${r.manifestFile}`;
    });
}

export function runRestore(argv: readonly string[], io: CommandIo): Promise<number> {
    return command(COMMANDS.restore, argv, io, restoreArgs, async (args) => {
        const name = args.service;
        const service = pickService(await loadServices(args.source), name);
        const r = await restoreBackup(service, args.options);
        if (args.json) return JSON.stringify(r, null, 2);
        const how = r.mode === "empty" ? "" : r.mode === "clean" ? ` (--clean: replaced the backup's objects among ${r.objectsBefore})` : ` (--force: on top of ${r.objectsBefore} existing objects)`;
        return `restored ${r.manifest.file} (service ${name}, taken ${r.manifest.createdAt}) into ${r.created ? "new database " : "database "}${r.database}${how}`;
    });
}
