/**
 * `npm run backup -- (--stack <s> | --outputs <file>) --service <svc> [--out <dir>] [--json]` and
 * `npm run restore -- (--stack <s> | --outputs <file>) --service <svc> --from <file> [--as <name>]
 * [--admin-url <url>] [--clean | --force] [--json]`. Exit 0 on success, 1 with one line on
 * failure, 2 on usage errors.
 */
import { connectionProblem } from "../connect";
import { UsageError, outputsSource, parseFlags } from "../day2/flags";
import { loadServices, pickService } from "../stackOutputs";
import { OutputsError } from "../verify/outputs";
import { takeBackup } from "./backup";
import { BackupError } from "./pgTools";
import { restoreBackup } from "./restore";

export interface CommandIo {
    out(text: string): void;
    err(line: string): void;
}

const SOURCE = "(--stack <name> | --outputs <file>) --service <name>";
const BACKUP_USAGE = `usage: npm run backup -- ${SOURCE} [--out <dir>] [--json]`;
const RESTORE_USAGE = `usage: npm run restore -- ${SOURCE} --from <dump or manifest> [--as <new database>] [--admin-url <url>] [--clean | --force] [--json]`;

/** Runs a command body with the shared error handling: usage → 2, anything else → 1. */
async function command(name: string, usage: string, io: CommandIo, body: () => Promise<string>): Promise<number> {
    try {
        io.out(await body());
        return 0;
    } catch (e) {
        if (e instanceof UsageError) {
            io.err(`servicedb ${name}: ${e.message}`);
            io.err(usage);
            return 2;
        }
        io.err(`servicedb ${name}: ${e instanceof BackupError || e instanceof OutputsError ? e.message : connectionProblem(e)}`);
        return 1;
    }
}

function requireValue(value: string | undefined, flag: string, what: string): string {
    if (!value) throw new UsageError(`--${flag} is required (${what})`);
    return value;
}

export function runBackup(argv: readonly string[], io: CommandIo): Promise<number> {
    return command("backup", BACKUP_USAGE, io, async () => {
        const flags = parseFlags(argv, { values: ["stack", "outputs", "service", "out"], switches: ["json"] });
        const source = outputsSource(flags);
        const name = requireValue(flags.values.get("service"), "service", "the service to back up");
        const service = pickService(await loadServices(source), name);
        const r = await takeBackup({ service: service.service, url: service.url, schema: service.schemas[0] }, flags.values.get("out") ?? "backups");
        if (flags.switches.has("json")) return JSON.stringify({ dump: r.file, manifestFile: r.manifestFile, manifest: r.manifest }, null, 2);
        const at = r.manifest.migrationVersion === null ? "no migration applied" : `migration version ${r.manifest.migrationVersion}`;
        return `backed up service ${name} (database ${r.manifest.database}, PostgreSQL ${r.manifest.serverVersion}, ${at}) to ${r.file} (${r.manifest.bytes} bytes, sha256 ${r.manifest.sha256.slice(0, 12)}…); manifest ${r.manifestFile}`;
    });
}

export function runRestore(argv: readonly string[], io: CommandIo): Promise<number> {
    return command("restore", RESTORE_USAGE, io, async () => {
        const flags = parseFlags(argv, { values: ["stack", "outputs", "service", "from", "as", "admin-url"], switches: ["json", "clean", "force"] });
        const source = outputsSource(flags);
        const name = requireValue(flags.values.get("service"), "service", "the service whose backup this is");
        const from = requireValue(flags.values.get("from"), "from", "the .dump file or its .json manifest");
        if (flags.switches.has("clean") && flags.switches.has("force")) throw new UsageError("give --clean or --force, not both");
        const service = pickService(await loadServices(source), name);
        const r = await restoreBackup(service, {
            from, as: flags.values.get("as"), adminUrl: flags.values.get("admin-url"),
            clean: flags.switches.has("clean"), force: flags.switches.has("force"),
        });
        if (flags.switches.has("json")) return JSON.stringify(r, null, 2);
        const how = r.mode === "empty" ? "" : r.mode === "clean" ? ` (--clean: replaced the backup's objects among ${r.objectsBefore})` : ` (--force: on top of ${r.objectsBefore} existing objects)`;
        return `restored ${r.manifest.file} (service ${name}, taken ${r.manifest.createdAt}) into ${r.created ? "new database " : "database "}${r.database}${how}`;
    });
}
