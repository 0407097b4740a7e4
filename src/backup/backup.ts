/**
 * A backup of one service's database: `pg_dump --format=custom` as the service's own login
 * (so it holds that database only), a sha256, and a manifest next to it. Also the pre-migration
 * backup the ServiceMigrations provider can take before applying pending files.
 */
import * as fs from "fs";
import * as path from "path";
import { withConnection } from "../connect";
import { MigrationFile } from "../migrations/files";
import { HistoryRow, readHistory } from "../migrations/history";
import { computeStatus } from "../migrations/status";
import { MANIFEST_FORMAT, Manifest, dumpFileName, sha256OfFile } from "./manifest";
import { BackupError, libpqEnv, runTool, toolProblem } from "./pgTools";

export interface BackupSource {
    readonly service: string;
    /** The service's own URL (secret): the dump is taken as the service role. */
    readonly url: string;
    /** Schema of the migration history (the service's first schema). Defaults to "public". */
    readonly schema?: string;
}

export interface BackupResult {
    readonly file: string;
    readonly manifestFile: string;
    readonly manifest: Manifest;
}

/** The highest applied version (a baseline counts) and the last applied script. */
export function migrationPosition(history: readonly HistoryRow[]): { version: number | null; script: string | null } {
    const ok = history.filter((h) => h.success);
    const versions = ok.filter((h) => h.type !== "SQL_REPEATABLE" && h.version !== null).map((h) => Number(h.version));
    return { version: versions.length ? Math.max(...versions) : null, script: ok.length ? ok[ok.length - 1].script : null };
}

export async function takeBackup(source: BackupSource, outDir: string, now: Date = new Date()): Promise<BackupResult> {
    const facts = await withConnection({ connectionString: source.url, connectionTimeoutMillis: 10_000 }, async (c) => {
        const r = await c.query<{ db: string; role: string; version: string }>("SELECT current_database() AS db, current_user AS role, current_setting('server_version') AS version");
        return { ...r.rows[0], position: migrationPosition(await readHistory(c, source.schema ?? "public")) };
    });
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, dumpFileName(source.service, now));
    const partial = `${file}.partial`;
    const run = await runTool("pg_dump", ["--format=custom", "--no-password", `--file=${partial}`], libpqEnv(source.url, facts.db));
    if (run.code !== 0) {
        fs.rmSync(partial, { force: true });
        throw new BackupError(`backup of service ${source.service} failed: ${toolProblem("pg_dump", run.stderr)}`);
    }
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, file);
    const manifest: Manifest = {
        format: MANIFEST_FORMAT, service: source.service, database: facts.db, role: facts.role, serverVersion: facts.version,
        migrationVersion: facts.position.version, lastMigration: facts.position.script, createdAt: now.toISOString(),
        file: path.basename(file), bytes: fs.statSync(file).size, sha256: await sha256OfFile(file),
    };
    const manifestFile = file.replace(/\.dump$/, ".json");
    fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    return { file, manifestFile, manifest };
}

export interface PreMigrationBackup extends BackupSource {
    /** The migration files about to be applied (as the provider parses them). */
    readonly files: readonly MigrationFile[];
    /** Folder for the dump and its manifest; created when missing. */
    readonly dir: string;
}

/**
 * Before a migration run: a backup when something is pending, undefined when nothing is (no
 * dump for a no-op `pulumi up`). Throws a BackupError when the backup fails, so the caller
 * applies nothing without its safety net.
 */
export async function backupBeforeMigrate(opts: PreMigrationBackup): Promise<BackupResult | undefined> {
    const history = await withConnection({ connectionString: opts.url, connectionTimeoutMillis: 10_000 }, (c) => readHistory(c, opts.schema ?? "public"));
    const { pending } = computeStatus(opts.files, history, { allowChanged: true, allowMissing: true, allowOutOfOrder: true });
    if (!pending.length) return undefined;
    return takeBackup(opts, opts.dir);
}
