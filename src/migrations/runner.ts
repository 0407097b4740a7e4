/**
 * The migration runner: `migrate`, `info`, `validate`, `baseline` on an injected client.
 * - A session advisory lock is held for a whole run (lock.ts; waiting polls, so it never holds a
 *   snapshot): concurrent runners against one database apply each migration once; the others
 *   wait (up to `lockTimeoutMs`) and find nothing to do.
 * - One transaction per migration holds its SQL and its history row (apply.ts): a failing
 *   migration leaves nothing of itself behind, earlier ones stay applied.
 * - Files marked `-- servicedb:no-transaction` run statement by statement outside a
 *   transaction; a `success = false` row recorded before they start blocks later runs until it
 *   is set to success, so such a file is never run twice silently.
 * - Every file starts from the connection's default session state (session.ts).
 */
import { SqlClient } from "./client";
import { applyOne } from "./apply";
import { MigrationError } from "./errors";
import { MigrationFile } from "./files";
import { ensureHistoryTable, insertHistory, readHistory } from "./history";
import { withLock } from "./lock";
import { RESET_SESSION } from "./session";
import { MigrationInfo, ValidateOptions, computeStatus } from "./status";
import { canonicalVersion, isVersion } from "./versions";

export { MigrationError } from "./errors";
export { lockKeys } from "./lock";

export interface RunnerOptions extends ValidateOptions {
    /** Schema of the history table. Defaults to "public". */
    readonly schema?: string;
    /** How long to wait for another runner's lock, in ms. Defaults to 60000. */
    readonly lockTimeoutMs?: number;
    /** Called before and after each migration (for progress output). */
    readonly onProgress?: (event: ProgressEvent) => void;
}

export interface ProgressEvent {
    readonly script: string;
    readonly phase: "start" | "done";
    readonly ms?: number;
}

export interface AppliedMigration {
    readonly script: string;
    /** Canonical version text; null for repeatables. */
    readonly version: string | null;
    readonly checksum: string;
    readonly ms: number;
}

const locked = <T>(client: SqlClient, opts: RunnerOptions, fn: () => Promise<T>) =>
    withLock(client, opts.schema ?? "public", opts.lockTimeoutMs ?? 60_000, fn);

/** Applies every pending migration; validates first and changes nothing if validation fails. */
export async function migrate(client: SqlClient, files: readonly MigrationFile[], opts: RunnerOptions = {}): Promise<AppliedMigration[]> {
    const schema = opts.schema ?? "public";
    return locked(client, opts, async () => {
        await ensureHistoryTable(client, schema);
        const status = computeStatus(files, await readHistory(client, schema), opts);
        if (status.problems.length) throw new MigrationError(`validation failed, nothing applied:\n  - ${status.problems.join("\n  - ")}`);
        if (status.pending.length) await client.query(RESET_SESSION);
        const applied: AppliedMigration[] = [];
        for (const f of status.pending) {
            opts.onProgress?.({ script: f.script, phase: "start" });
            const ms = await applyOne(client, schema, f);
            opts.onProgress?.({ script: f.script, phase: "done", ms });
            applied.push({ script: f.script, version: f.version ?? null, checksum: f.checksum, ms });
        }
        return applied;
    });
}

/** The state of every migration (no lock: a read-only snapshot). */
export async function info(client: SqlClient, files: readonly MigrationFile[], opts: RunnerOptions = {}): Promise<MigrationInfo[]> {
    return computeStatus(files, await readHistory(client, opts.schema ?? "public"), opts).infos;
}

/** The problems that would stop `migrate`; empty when it would run. */
export async function validate(client: SqlClient, files: readonly MigrationFile[], opts: RunnerOptions = {}): Promise<string[]> {
    return computeStatus(files, await readHistory(client, opts.schema ?? "public"), opts).problems;
}

/** Marks an existing database as being at `version`: files up to it are never applied. */
export async function baseline(client: SqlClient, version: string | number, opts: RunnerOptions = {}): Promise<void> {
    const schema = opts.schema ?? "public";
    if (!isVersion(String(version)) || /^[0._]+$/.test(String(version))) {
        throw new MigrationError(`baseline version must be a version above 0 (e.g. 3 or 1.2), got ${version}`);
    }
    await locked(client, opts, async () => {
        await ensureHistoryTable(client, schema);
        const history = await readHistory(client, schema);
        if (history.length) throw new MigrationError(`the history already has ${history.length} row(s); baseline only marks a database that servicedb has never migrated`);
        await insertHistory(client, schema, { version: canonicalVersion(String(version)), description: "<< Baseline >>", type: "BASELINE", script: "<< Baseline >>", checksum: null, executionTimeMs: 0, success: true });
    });
}
