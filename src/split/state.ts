/**
 * Where a split remembers how far it got: the table `servicedb_split_progress` in each target
 * database, in the service's first schema, owned by the service role. A table's rows and its
 * "done" mark commit in the same transaction, so a copy killed at any point has either copied a
 * table completely (and skips it next time) or not at all (and copies it again from empty):
 * never twice, never half. A state file next to the command could not be atomic with the commit,
 * and would be lost with the machine that ran it.
 */
import { Client } from "pg";
import { Quote } from "./ddl";

export const STATE_TABLE = "servicedb_split_progress";

export interface StateRow {
    readonly item: string;
    readonly state: string;
    readonly rows: number;
    readonly bytes: number;
    readonly detail: Record<string, unknown>;
}

export class SplitState {
    private readonly table: string;

    constructor(private readonly client: Client, schema: string, private readonly plan: string, quote: Quote = (s) => client.escapeIdentifier(s)) {
        this.table = `${quote(schema)}.${quote(STATE_TABLE)}`;
    }

    async exists(): Promise<boolean> {
        const r = await this.client.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [this.table]);
        return r.rows[0].t !== null;
    }

    async ensure(): Promise<void> {
        await this.client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
            plan text NOT NULL, item text NOT NULL, state text NOT NULL, rows bigint NOT NULL DEFAULT 0, bytes bigint NOT NULL DEFAULT 0,
            detail jsonb NOT NULL DEFAULT '{}', updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (plan, item))`);
    }

    async all(): Promise<Map<string, StateRow>> {
        if (!(await this.exists())) return new Map();
        const r = await this.client.query<{ item: string; state: string; rows: string; bytes: string; detail: Record<string, unknown> }>(
            `SELECT item, state, rows, bytes, detail FROM ${this.table} WHERE plan = $1`, [this.plan]);
        return new Map(r.rows.map((x) => [x.item, { item: x.item, state: x.state, rows: Number(x.rows), bytes: Number(x.bytes), detail: x.detail }]));
    }

    /** Records an item; `keep` leaves an existing row as it is (the first record wins). */
    async mark(item: string, state: string, extra: { rows?: number; bytes?: number; detail?: unknown } = {}, keep = false): Promise<void> {
        await this.client.query(
            `INSERT INTO ${this.table} (plan, item, state, rows, bytes, detail) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (plan, item) DO ${keep ? "NOTHING" : "UPDATE SET state = EXCLUDED.state, rows = EXCLUDED.rows, bytes = EXCLUDED.bytes, detail = EXCLUDED.detail, updated_at = now()"}`,
            [this.plan, item, state, extra.rows ?? 0, extra.bytes ?? 0, JSON.stringify(extra.detail ?? {})]);
    }

    async forget(item: string): Promise<void> {
        await this.client.query(`DELETE FROM ${this.table} WHERE plan = $1 AND item = $2`, [this.plan, item]);
    }

    async drop(): Promise<void> {
        await this.client.query(`DROP TABLE IF EXISTS ${this.table}`);
    }
}

/**
 * Both ends of a copy and of a checksum print values the same way: text COPY and `row::text`
 * depend on these settings, not only on the data.
 */
export async function normalizeSession(c: Client): Promise<void> {
    await c.query("SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC'; SET extra_float_digits = 3; SET bytea_output = 'hex'; SET application_name = 'servicedb split'");
}
