/**
 * The schema history table, `servicedb_schema_history`, in the service's schema. One row per
 * applied migration (versioned, repeatable or baseline), written in the migration's own
 * transaction; a no-transaction file gets a `success = false` row before it starts, set to true
 * when it has run, so a file whose success could not be recorded is never run again silently.
 * Versions are text (Flyway syntax, "1.2").
 */
import { SqlClient } from "./client";

export const HISTORY_TABLE = "servicedb_schema_history";

export type HistoryType = "SQL" | "SQL_REPEATABLE" | "BASELINE";

export interface HistoryRow {
    readonly installed_rank: number;
    /** Null for repeatables. */
    readonly version: string | null;
    readonly description: string;
    readonly type: HistoryType;
    readonly script: string;
    readonly checksum: string | null;
    readonly installed_by: string;
    readonly installed_on: Date;
    readonly execution_time_ms: number;
    readonly success: boolean;
}

export function historyTable(client: SqlClient, schema: string): string {
    return `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(HISTORY_TABLE)}`;
}

export async function ensureHistoryTable(client: SqlClient, schema: string): Promise<void> {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${historyTable(client, schema)} (
        installed_rank    serial PRIMARY KEY,
        version           text,
        description       text NOT NULL,
        type              text NOT NULL CHECK (type IN ('SQL', 'SQL_REPEATABLE', 'BASELINE')),
        script            text NOT NULL,
        checksum          text,
        installed_by      text NOT NULL DEFAULT current_user,
        installed_on      timestamptz NOT NULL DEFAULT now(),
        execution_time_ms integer NOT NULL DEFAULT 0,
        success           boolean NOT NULL
    )`);
}

/** All rows, oldest first; empty when the table does not exist yet. */
export async function readHistory(client: SqlClient, schema: string): Promise<HistoryRow[]> {
    const exists = await client.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [historyTable(client, schema)]);
    if (!exists.rows[0]?.t) return [];
    const r = await client.query<HistoryRow>(`SELECT * FROM ${historyTable(client, schema)} ORDER BY installed_rank`);
    return r.rows;
}

export interface NewHistoryRow {
    readonly version?: string;
    readonly description: string;
    readonly type: HistoryType;
    readonly script: string;
    readonly checksum: string | null;
    readonly executionTimeMs: number;
    readonly success: boolean;
}

/** Inserts a row; returns its installed_rank. */
export async function insertHistory(client: SqlClient, schema: string, row: NewHistoryRow): Promise<number> {
    const r = await client.query<{ rank: number }>(
        `INSERT INTO ${historyTable(client, schema)} (version, description, type, script, checksum, execution_time_ms, success) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING installed_rank AS rank`,
        [row.version ?? null, row.description, row.type, row.script, row.checksum, row.executionTimeMs, row.success],
    );
    return r.rows[0].rank;
}

/** Marks the row of a no-transaction file as succeeded. */
export async function markSucceeded(client: SqlClient, schema: string, rank: number, executionTimeMs: number): Promise<void> {
    await client.query(`UPDATE ${historyTable(client, schema)} SET success = true, execution_time_ms = $2 WHERE installed_rank = $1`, [rank, executionTimeMs]);
}

/**
 * The INSERT of a successful migration as SQL text (literals escaped by the client), so that it
 * travels with the migration in one round trip. execution_time_ms is measured by the server:
 * from the transaction's start, now(), to the insert, clock_timestamp().
 */
export function historyInsertSql(client: SqlClient, schema: string, row: Omit<NewHistoryRow, "executionTimeMs" | "success">): string {
    const lit = (v: string | null | undefined) => (v === null || v === undefined ? "NULL" : client.escapeLiteral(v));
    return `INSERT INTO ${historyTable(client, schema)} (version, description, type, script, checksum, execution_time_ms, success) VALUES (` +
        `${lit(row.version)}, ${lit(row.description)}, ${lit(row.type)}, ${lit(row.script)}, ${lit(row.checksum)}, ` +
        `(pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() - pg_catalog.now()) * 1000)::pg_catalog.int4, true)`;
}
