/**
 * Applying one migration file.
 * - Transactional (the default): `BEGIN; <file>; <session reset>; <history INSERT>; COMMIT;` in
 *   one simple-protocol round trip; a file with `COPY … FROM STDIN` data is cut at each COPY,
 *   whose data goes through a COPY stream, all in the same transaction. On error, ROLLBACK.
 * - No-transaction: a `success = false` history row first, then statement by statement, then the
 *   session reset and the row set to success. Whatever stops it, the row says failed: later runs
 *   stop there instead of running the file again.
 * Errors name the file and where: line and column when PostgreSQL gives a position, else the
 * line of the statement (counted by the server's completed statements), or the COPY data line.
 */
import { SqlClient, isPgError } from "./client";
import { MigrationError, messageOf } from "./errors";
import { MigrationFile } from "./files";
import { HISTORY_TABLE, NewHistoryRow, historyInsertSql, insertHistory, markSucceeded } from "./history";
import { indexOfChar, lineAndColumn } from "./positions";
import { CountedError, copyIn, runCounted } from "./protocol";
import { RESET_SESSION } from "./session";
import { Statement, splitStatements } from "./sqlSplit";

/** A run of statements sent as one query: the file's text from `offset`, `text.length` long. */
interface Chunk {
    readonly text: string;
    readonly offset: number;
    readonly statements: readonly Statement[];
}
type Step = { readonly chunk: Chunk } | { readonly copy: Statement };
type Where = { readonly line: number; readonly column?: number; readonly note?: string };

/** The file cut at its COPY … FROM STDIN statements. */
export function stepsOf(sql: string, statements: readonly Statement[]): Step[] {
    const steps: Step[] = [];
    let run: Statement[] = [];
    const flush = (to: number) => {
        if (run.length) steps.push({ chunk: { text: sql.slice(run[0].offset, to), offset: run[0].offset, statements: run } });
        run = [];
    };
    for (const st of statements) {
        if (st.copy) {
            flush(st.offset);
            steps.push({ copy: st });
        } else run.push(st);
    }
    flush(sql.length);
    return steps;
}

function failure(f: MigrationFile, e: unknown, where: Where | undefined): MigrationError {
    const at = !where ? "" : where.column ? `line ${where.line}, column ${where.column}: ` : `${where.note ?? "statement at line"} ${where.line}: `;
    const code = isPgError(e) && e.code ? ` (SQLSTATE ${e.code})` : "";
    const hint = isPgError(e) && e.code === "25001" && f.transactional
        ? "; this statement cannot run inside a transaction: add the line \"-- servicedb:no-transaction\" to the file's header" : "";
    const tail = f.transactional ? "the migration was rolled back; earlier migrations stay applied" : "it ran outside a transaction: statements before this one stay applied";
    return new MigrationError(`${f.script}: ${at}${messageOf(e)}${code}${hint}; ${tail}`, f.script, e);
}

/** Where an error of one statement sent alone (or a COPY) happened in the file. */
function inStatement(f: MigrationFile, st: Statement, e: unknown): Where {
    const copyLine = isPgError(e) && st.copy ? /\bCOPY .*?, line (\d+)/.exec(e.where ?? "") : null;
    if (copyLine && st.copy) return { line: lineAndColumn(f.sql, st.copy.offset).line + Number(copyLine[1]) - 1, note: "COPY data, line" };
    if (isPgError(e) && e.position) return lineAndColumn(f.sql, indexOfChar(st.sql, Number(e.position) - 1) + st.offset);
    return { line: lineAndColumn(f.sql, st.offset).line };
}

/** Sends prefix + chunk + suffix; an error is mapped into the chunk, or reported as the suffix's. */
async function runChunk(client: SqlClient, f: MigrationFile, prefix: string, chunk: Chunk, suffix: string): Promise<void> {
    const sent = prefix + chunk.text + suffix;
    try {
        await runCounted(client, sent);
    } catch (err) {
        const e = err instanceof CountedError ? err.cause : err;
        const end = prefix.length + chunk.text.length;
        if (isPgError(e) && e.position) {
            const idx = indexOfChar(sent, Number(e.position) - 1);
            if (idx < end + 3) throw failure(f, e, lineAndColumn(f.sql, chunk.offset + Math.min(idx, end) - prefix.length));
        } else if (err instanceof CountedError) {
            const k = err.completed - (prefix ? 1 : 0);
            if (k < chunk.statements.length) throw failure(f, e, { line: lineAndColumn(f.sql, chunk.statements[Math.max(0, k)].offset).line });
        } else throw failure(f, e, undefined);
        throw new MigrationError(`${f.script}: could not record it in the history (${messageOf(e)}); it was rolled back`, f.script, e);
    }
}

async function applyTransactional(client: SqlClient, schema: string, f: MigrationFile, row: NewHistoryRow): Promise<void> {
    const steps = stepsOf(f.sql, splitStatements(f.sql));
    const end = `\n;\n${RESET_SESSION};\n${historyInsertSql(client, schema, row)};\nCOMMIT;`;
    let begun = false;
    try {
        for (const [k, step] of steps.entries()) {
            const last = k === steps.length - 1;
            if ("chunk" in step) {
                await runChunk(client, f, begun ? "" : "BEGIN;\n", step.chunk, last ? end : "");
            } else {
                if (!begun) await client.query("BEGIN");
                await copyIn(client, step.copy.sql, step.copy.copy?.data ?? "").catch((e: unknown) => { throw failure(f, e, inStatement(f, step.copy, e)); });
                if (last) await runChunk(client, f, "", { text: "", offset: f.sql.length, statements: [] }, end);
            }
            begun = true;
        }
    } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
    }
}

async function applyNonTransactional(client: SqlClient, schema: string, f: MigrationFile, row: NewHistoryRow): Promise<void> {
    const started = Date.now();
    let rank: number;
    try {
        rank = await insertHistory(client, schema, { ...row, success: false });
    } catch (e) {
        throw new MigrationError(`${f.script}: could not record its start in ${HISTORY_TABLE} (${messageOf(e)}); nothing of it ran`, f.script, e);
    }
    for (const st of splitStatements(f.sql)) {
        try {
            if (st.copy) await copyIn(client, st.sql, st.copy.data);
            else await client.query(st.sql);
        } catch (e) {
            throw failure(f, e, inStatement(f, st, e));
        }
    }
    try {
        await client.query(RESET_SESSION);
        await markSucceeded(client, schema, rank, Date.now() - started);
    } catch (e) {
        throw new MigrationError(`${f.script}: ran completely, but recording its success in ${HISTORY_TABLE} failed (${messageOf(e)}); its row (installed_rank ${rank}) still says failed, so later runs stop there instead of running it again: check the database, then set success = true on that row`, f.script, e);
    }
}

/** Applies one file and records it; returns the milliseconds it took. */
export async function applyOne(client: SqlClient, schema: string, f: MigrationFile): Promise<number> {
    const started = Date.now();
    const row: NewHistoryRow = {
        version: f.version, description: f.description, type: f.version === undefined ? "SQL_REPEATABLE" : "SQL",
        script: f.script, checksum: f.checksum, executionTimeMs: 0, success: true,
    };
    if (f.transactional) await applyTransactional(client, schema, f, row);
    else await applyNonTransactional(client, schema, f, row);
    return Date.now() - started;
}
