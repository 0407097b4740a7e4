/**
 * `split verify`: per table, the row count and an order-independent checksum (the sum of a 64-bit
 * hash of every row), computed by each server over its own rows; only two numbers per side cross
 * the network. Where they differ, both sides are walked in primary-key order, a page at a time,
 * to name the first key that differs.
 */
import { Client } from "pg";
import { Table } from "./catalog";
import { copyColumns, qualified } from "./ddl";

export interface Difference {
    readonly key: Readonly<Record<string, string | null>>;
    readonly kind: "missing in target" | "only in target" | "differs";
}

export interface TableCheck {
    readonly service: string;
    readonly table: string;
    readonly sourceRows: number;
    readonly targetRows: number;
    readonly match: boolean;
    readonly firstDifference?: Difference;
    /** Why no key can be named. */
    readonly note?: string;
}

const q = (c: Client) => (s: string) => c.escapeIdentifier(s);

/** `md5(ROW(a, b, …)::text)`: the same on both sides when columns and session settings are. */
function rowHash(c: Client, t: Table): string {
    return `md5(ROW(${copyColumns(t).map(q(c)).join(", ")})::text)`;
}

export async function tableSum(c: Client, t: Table): Promise<{ rows: number; sum: string }> {
    const r = await c.query<{ n: string; s: string }>(
        `SELECT count(*) AS n, coalesce(sum(('x' || left(${rowHash(c, t)}, 16))::bit(64)::int8::numeric), 0)::text AS s
         FROM ${qualified(t.name, q(c))}`);
    return { rows: Number(r.rows[0].n), sum: r.rows[0].s };
}

interface KeyedRow { k: (string | null)[]; h: string }

/** The primary key's column types, for comparing keys in their own order (not as text). */
function keyTypes(t: Table): string[] {
    return t.primaryKey.map((k) => t.columns.find((x) => x.name === k)?.type ?? "text");
}

async function page(c: Client, t: Table, after: (string | null)[] | undefined, size: number): Promise<KeyedRow[]> {
    const pk = t.primaryKey.map(q(c));
    const types = keyTypes(t);
    const where = after ? `WHERE (${pk.join(", ")}) > (${types.map((ty, i) => `$${i + 1}::${ty}`).join(", ")})` : "";
    const r = await c.query<KeyedRow>(
        `SELECT ARRAY[${pk.map((k) => `${k}::text`).join(", ")}] AS k, ${rowHash(c, t)} AS h FROM ${qualified(t.name, q(c))} ${where}
         ORDER BY ${pk.join(", ")} LIMIT ${size}`, after ?? []);
    return r.rows;
}

/** Walks both sides in key order; the first key whose presence or content differs. */
export async function firstDifference(source: Client, target: Client, t: Table, pageSize = 5000): Promise<Difference | undefined> {
    const keyOf = (k: (string | null)[]) => Object.fromEntries(t.primaryKey.map((n, i) => [n, k[i]]));
    let after: (string | null)[] | undefined;
    for (;;) {
        const [a, b] = await Promise.all([page(source, t, after, pageSize), page(target, t, after, pageSize)]);
        const n = Math.min(a.length, b.length);
        for (let i = 0; i < n; i++) {
            if (JSON.stringify(a[i].k) === JSON.stringify(b[i].k)) {
                if (a[i].h !== b[i].h) return { key: keyOf(a[i].k), kind: "differs" };
                continue;
            }
            // Keys differ at the same position: the smaller one (in the key's own type order) exists on one side only.
            const types = keyTypes(t);
            const row = (offset: number) => `ROW(${types.map((ty, j) => `$${j + 1 + offset}::${ty}`).join(", ")})`;
            const cmp = await source.query<{ lt: boolean }>(`SELECT ${row(0)} < ${row(types.length)} AS lt`, [...a[i].k, ...b[i].k]);
            return cmp.rows[0].lt ? { key: keyOf(a[i].k), kind: "missing in target" } : { key: keyOf(b[i].k), kind: "only in target" };
        }
        if (a.length > n) return { key: keyOf(a[n].k), kind: "missing in target" };
        if (b.length > n) return { key: keyOf(b[n].k), kind: "only in target" };
        if (a.length < pageSize) return undefined;
        after = a[a.length - 1].k;
    }
}

export async function checkTable(source: Client, target: Client, service: string, t: Table): Promise<TableCheck> {
    const there = await target.query<{ r: string | null }>("SELECT to_regclass($1) AS r", [qualified(t.name, q(target))]);
    if (there.rows[0].r === null) {
        const s = await tableSum(source, t);
        return { service, table: t.name, sourceRows: s.rows, targetRows: 0, match: false, note: "the table is not in the target; run split copy" };
    }
    const [s, d] = await Promise.all([tableSum(source, t), tableSum(target, t)]);
    const base = { service, table: t.name, sourceRows: s.rows, targetRows: d.rows, match: s.rows === d.rows && s.sum === d.sum };
    if (base.match) return base;
    if (!t.primaryKey.length) return { ...base, note: "no primary key: the differing row cannot be named" };
    return { ...base, firstDifference: await firstDifference(source, target, t) };
}

export function describeCheck(c: TableCheck): string {
    if (c.match) return `ok      ${c.service}: ${c.table} ${c.sourceRows.toLocaleString("en")} rows`;
    const key = c.firstDifference ? Object.entries(c.firstDifference.key).map(([k, v]) => `${k}=${v ?? "NULL"}`).join(", ") : "";
    const counts = c.sourceRows === c.targetRows ? `${c.sourceRows.toLocaleString("en")} rows on both sides, content differs` : `source ${c.sourceRows.toLocaleString("en")} rows, target ${c.targetRows.toLocaleString("en")}`;
    return `DIFFERS ${c.service}: ${c.table} ${counts}; ${c.firstDifference ? `first differing key ${key} (${c.firstDifference.kind})` : c.note ?? ""}`;
}
