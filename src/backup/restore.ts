/**
 * Restore a service's backup with the service's own credentials (objects come back owned by the
 * service role): into its live database, or into a scratch database for inspection. The dump's
 * sha256 is checked first; a non-empty target is refused unless told otherwise; pg_restore runs
 * in one transaction, so a failed restore changes nothing.
 */
import { ClientConfig } from "pg";
import { ServiceUnderTest } from "../verify/outputs";
import { Manifest, readVerifiedBackup } from "./manifest";
import { BackupError, libpqEnv, runTool, toolProblem } from "./pgTools";
import { checkScratchName, conninfoDbname, contentOf, createScratch, databaseExists, nonEmptyProblem } from "./target";

export type RestoreMode = "empty" | "clean" | "force";

export interface RestoreOptions {
    /** Dump or manifest path. */
    readonly from: string;
    /** Restore into a new (or empty) scratch database of this name instead of the live one. */
    readonly as?: string;
    /** Needed to create the scratch database. */
    readonly adminUrl?: string;
    /** Drop and recreate the backup's objects in a non-empty target. */
    readonly clean?: boolean;
    /** Restore into a non-empty target without dropping anything. */
    readonly force?: boolean;
}

export interface RestoreResult {
    readonly service: string;
    readonly database: string;
    /** Whether the scratch database was created by this restore. */
    readonly created: boolean;
    readonly mode: RestoreMode;
    /** Objects the target held before (see target.ts). */
    readonly objectsBefore: number;
    readonly manifest: Manifest;
}

/** The service's URL aimed at another database of the same server. */
export function urlFor(service: ServiceUnderTest, database: string): ClientConfig {
    const u = new URL(service.url);
    u.pathname = `/${encodeURIComponent(database)}`;
    return { connectionString: u.toString(), connectionTimeoutMillis: 10_000 };
}

export function restoreArgs(service: ServiceUnderTest, database: string, mode: RestoreMode, dump: string): string[] {
    return [
        "--no-owner", `--role=${service.username}`, "--single-transaction", "--exit-on-error", "--no-password",
        ...(mode === "clean" ? ["--clean", "--if-exists"] : []), `--dbname=${conninfoDbname(database)}`, dump,
    ];
}

export async function restoreBackup(service: ServiceUnderTest, opts: RestoreOptions): Promise<RestoreResult> {
    const { dump, manifest } = await readVerifiedBackup(opts.from);
    if (manifest.service !== service.service) {
        throw new BackupError(`${opts.from} is a backup of service ${manifest.service}, not ${service.service}; restore it with --service ${manifest.service}`);
    }
    const database = opts.as ?? service.database;
    const bad = opts.as === undefined ? undefined : checkScratchName(opts.as, service.database);
    if (bad) throw new BackupError(bad);
    let created = false;
    if (opts.as !== undefined && !(await databaseExists(urlFor(service, service.database), opts.as))) {
        await createScratch(opts.adminUrl, opts.as, service.username);
        created = true;
    }
    const content = await contentOf(urlFor(service, database));
    const mode: RestoreMode = content.length === 0 ? "empty" : opts.clean ? "clean" : opts.force ? "force" : "empty";
    if (content.length && mode === "empty") throw new BackupError(nonEmptyProblem(database, content));
    const run = await runTool("pg_restore", restoreArgs(service, database, mode, dump), libpqEnv(service.url, database));
    if (run.code !== 0) {
        throw new BackupError(`restore of service ${service.service} into ${database} failed, nothing was restored${created ? ` (the new database ${database} stays, empty)` : ""}: ${toolProblem("pg_restore", run.stderr)}`);
    }
    return { service: service.service, database, created, mode, objectsBefore: content.length, manifest };
}
