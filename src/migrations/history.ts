/**
 * The schema history table, `servicedb_schema_history`, in the service's schema. One row per
 * applied migration (versioned, repeatable or baseline), written in the migration's own
 * transaction.
 */
import { SqlClient } from "./client";

export const HISTORY_TABLE = "servicedb_schema_history";

export type HistoryType = "SQL" | "SQL_REPEATABLE" | "BASELINE";

export interface HistoryRow {
    readonly installed_rank: number;
    /** bigint arrives as a string from pg; null for repeatables. */
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
        version           bigint,
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
    readonly version?: number;
    readonly description: string;
    readonly type: HistoryType;
    readonly script: string;
    readonly checksum: string | null;
    readonly executionTimeMs: number;
    readonly success: boolean;
}

export async function insertHistory(client: SqlClient, schema: string, row: NewHistoryRow): Promise<void> {
    await client.query(
        `INSERT INTO ${historyTable(client, schema)} (version, description, type, script, checksum, execution_time_ms, success) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [row.version ?? null, row.description, row.type, row.script, row.checksum, row.executionTimeMs, row.success],
    );
}

/**
 * The INSERT of a successful migration as SQL text (literals escaped by the client), so that it
 * travels with the migration in one round trip. execution_time_ms is measured by the server:
 * from the transaction's start, now(), to the insert, clock_timestamp().
 */
export function historyInsertSql(client: SqlClient, schema: string, row: Omit<NewHistoryRow, "executionTimeMs" | "success">): string {
    const lit = (v: string | number | null | undefined) => (v === null || v === undefined ? "NULL" : typeof v === "number" ? String(v) : client.escapeLiteral(v));
    return `INSERT INTO ${historyTable(client, schema)} (version, description, type, script, checksum, execution_time_ms, success) VALUES (` +
        `${lit(row.version)}, ${lit(row.description)}, ${lit(row.type)}, ${lit(row.script)}, ${lit(row.checksum)}, ` +
        `(extract(epoch FROM clock_timestamp() - now()) * 1000)::int, true)`;
}
