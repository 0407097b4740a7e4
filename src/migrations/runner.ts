/**
 * The migration runner: `migrate`, `info`, `validate`, `baseline` on an injected client.
 * - A session advisory lock is held for a whole run: concurrent runners against one database
 *   apply each migration once; the others wait (up to `lockTimeoutMs`) and find nothing to do.
 * - One transaction per migration holds its SQL and its history row: a failing migration
 *   leaves nothing of itself behind, earlier ones stay applied.
 * - Files marked `-- servicedb:no-transaction` run statement by statement outside a
 *   transaction; if one fails, a `success = false` row records it and later runs stop there.
 */
import { SqlClient, isPgError } from "./client";
import { MigrationFile } from "./files";
import { ensureHistoryTable, historyInsertSql, insertHistory, readHistory } from "./history";
import { lineAndColumn, splitStatements } from "./sqlSplit";
import { MigrationInfo, ValidateOptions, computeStatus } from "./status";

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
    readonly version: number | null;
    readonly checksum: string;
    readonly ms: number;
}

/** A run that stopped: names the file (when there is one) and the cause. */
export class MigrationError extends Error {
    constructor(message: string, readonly script?: string, readonly cause?: unknown) {
        super(message);
        this.name = "MigrationError";
    }
}

/** Two int4 keys: "sdb!" and a hash of the schema, so one database can host several histories. */
export function lockKeys(schema: string): [number, number] {
    let h = 0x811c9dc5;
    for (const ch of Buffer.from(schema, "utf8")) h = Math.imul(h ^ ch, 0x01000193);
    return [0x73646221, h | 0];
}

async function withLock<T>(client: SqlClient, opts: RunnerOptions, fn: () => Promise<T>): Promise<T> {
    const [k1, k2] = lockKeys(opts.schema ?? "public");
    const timeout = opts.lockTimeoutMs ?? 60_000;
    const prev = await client.query<{ v: string }>("SELECT current_setting('lock_timeout') AS v");
    await client.query("SELECT set_config('lock_timeout', $1, false)", [`${timeout}ms`]);
    try {
        await client.query("SELECT pg_advisory_lock($1, $2)", [k1, k2]);
    } catch (e) {
        if (isPgError(e) && e.code === "55P03") {
            throw new MigrationError(`another migration run has held the lock on this database for more than ${timeout} ms; wait for it to finish, or raise the lock timeout`, undefined, e);
        }
        throw e;
    } finally {
        await client.query("SELECT set_config('lock_timeout', $1, false)", [prev.rows[0].v]).catch(() => undefined);
    }
    try {
        return await fn();
    } finally {
        await client.query("SELECT pg_advisory_unlock($1, $2)", [k1, k2]).catch(() => undefined);
    }
}

function describeFailure(f: MigrationFile, e: unknown, offset: number, rolledBack: boolean): MigrationError {
    const where = isPgError(e) && e.position ? (() => {
        const { line, column } = lineAndColumn(f.sql, offset + Number(e.position) - 1);
        return `line ${line}, column ${column}: `;
    })() : "";
    const code = isPgError(e) && e.code ? ` (SQLSTATE ${e.code})` : "";
    const tail = rolledBack ? "the migration was rolled back; earlier migrations stay applied" : "it ran outside a transaction: statements before this one stay applied";
    const msg = e instanceof Error ? e.message : String(e);
    return new MigrationError(`${f.script}: ${where}${msg}${code}; ${tail}`, f.script, e);
}

async function applyOne(client: SqlClient, schema: string, f: MigrationFile): Promise<number> {
    const started = Date.now();
    const row = (success: boolean) => ({
        version: f.version, description: f.description, type: f.version === undefined ? "SQL_REPEATABLE" as const : "SQL" as const,
        script: f.script, checksum: f.checksum, executionTimeMs: Date.now() - started, success,
    });
    if (f.transactional) {
        // One round trip: BEGIN, the file, its history row, COMMIT. An error stops the rest of
        // the string and leaves the transaction aborted; ROLLBACK then discards all of it.
        const prefix = "BEGIN;\n";
        const text = `${prefix}${f.sql}\n;\n${historyInsertSql(client, schema, row(true))};\nCOMMIT;`;
        try {
            await client.query(text);
        } catch (e) {
            await client.query("ROLLBACK").catch(() => undefined);
            const pos = isPgError(e) && e.position ? Number(e.position) - 1 - prefix.length : -1;
            if (pos >= f.sql.length) {
                throw new MigrationError(`${f.script}: could not record it in the history (${e instanceof Error ? e.message : String(e)}); it was rolled back`, f.script, e);
            }
            throw describeFailure(f, e, -prefix.length, true);
        }
        return Date.now() - started;
    }
    for (const st of splitStatements(f.sql)) {
        try {
            await client.query(st.sql);
        } catch (e) {
            await insertHistory(client, schema, row(false)).catch(() => undefined);
            throw describeFailure(f, e, st.offset, false);
        }
    }
    await insertHistory(client, schema, row(true));
    return Date.now() - started;
}

/** Applies every pending migration; validates first and changes nothing if validation fails. */
export async function migrate(client: SqlClient, files: readonly MigrationFile[], opts: RunnerOptions = {}): Promise<AppliedMigration[]> {
    const schema = opts.schema ?? "public";
    return withLock(client, opts, async () => {
        await ensureHistoryTable(client, schema);
        const status = computeStatus(files, await readHistory(client, schema), opts);
        if (status.problems.length) throw new MigrationError(`validation failed, nothing applied:\n  - ${status.problems.join("\n  - ")}`);
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
export async function baseline(client: SqlClient, version: number, opts: RunnerOptions = {}): Promise<void> {
    const schema = opts.schema ?? "public";
    if (!Number.isSafeInteger(version) || version < 1) throw new MigrationError(`baseline version must be a whole number of 1 or more, got ${version}`);
    await withLock(client, opts, async () => {
        await ensureHistoryTable(client, schema);
        const history = await readHistory(client, schema);
        if (history.length) throw new MigrationError(`the history already has ${history.length} row(s); baseline only marks a database that servicedb has never migrated`);
        await insertHistory(client, schema, { version, description: "<< Baseline >>", type: "BASELINE", script: "<< Baseline >>", checksum: null, executionTimeMs: 0, success: true });
    });
}
