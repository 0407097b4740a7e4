/**
 * DDL for one service's tables, generated from the monolith's catalog (pure): what runs before the
 * data (schemas, sequences, tables with columns, defaults and NOT NULL) and what runs after it
 * (keys, checks, indexes, the service's own foreign keys), plus the sequences to move past the
 * copied maximum. Identifiers are quoted with the injected `quote` (pg's escapeIdentifier).
 */
import { Catalog, Table } from "./catalog";
import { ServiceTables } from "./assign";

export type Quote = (identifier: string) => string;

export interface PostDataStep {
    readonly kind: "constraint" | "index";
    readonly table: string;
    readonly name: string;
    readonly sql: string;
}

export interface SequenceStep {
    /** The sequence in the target: its name, or, for an identity column, found with pg_get_serial_sequence. */
    readonly sequence?: string;
    readonly table?: string;
    readonly column?: string;
    readonly sourceLastValue: string | null;
}

export interface ServiceDdl {
    readonly preData: readonly string[];
    readonly postData: readonly PostDataStep[];
    readonly sequences: readonly SequenceStep[];
}

export function qualified(name: string, quote: Quote): string {
    const i = name.indexOf(".");
    return `${quote(name.slice(0, i))}.${quote(name.slice(i + 1))}`;
}

/** Columns COPY writes and reads: all but generated ones, in the source's order. */
export function copyColumns(t: Table): string[] {
    return t.columns.filter((c) => c.generated === undefined).map((c) => c.name);
}

export function createTable(t: Table, quote: Quote): string {
    const cols = t.columns.map((c) => {
        const parts = [quote(c.name), c.type];
        if (c.identity) parts.push(`GENERATED ${c.identity === "a" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`);
        else if (c.generated !== undefined) parts.push(`GENERATED ALWAYS AS (${c.generated}) STORED`);
        else if (c.default !== undefined) parts.push(`DEFAULT ${c.default}`);
        if (c.notNull) parts.push("NOT NULL");
        return `    ${parts.join(" ")}`;
    });
    return `CREATE TABLE IF NOT EXISTS ${qualified(t.name, quote)} (\n${cols.join(",\n")}\n)`;
}

export function serviceDdl(st: ServiceTables, catalog: Catalog, quote: Quote): ServiceDdl {
    const mine = new Set(st.tables.map((t) => t.name));
    const schemas = [...new Set(st.tables.map((t) => t.schema))];
    const sequences = catalog.sequences.filter((s) => (s.ownedBy && mine.has(s.ownedBy.table)) || s.usedBy.some((u) => mine.has(u)));
    const preData = [
        ...schemas.map((s) => `CREATE SCHEMA IF NOT EXISTS ${quote(s)}`),
        ...sequences.filter((s) => !s.ownedBy?.identity).map((s) => `CREATE SEQUENCE IF NOT EXISTS ${qualified(s.name, quote)} ${s.options}`),
        ...st.tables.map((t) => createTable(t, quote)),
        ...sequences.filter((s) => s.ownedBy && !s.ownedBy.identity && mine.has(s.ownedBy.table))
            .map((s) => `ALTER SEQUENCE ${qualified(s.name, quote)} OWNED BY ${qualified(s.ownedBy?.table ?? "", quote)}.${quote(s.ownedBy?.column ?? "")}`),
    ];
    const order = { p: 0, u: 1, x: 2, c: 3, f: 5 } as const;
    const constraints = catalog.constraints
        .filter((c) => mine.has(c.table) && (c.kind !== "f" || (c.references !== undefined && mine.has(c.references))))
        .map((c): PostDataStep & { rank: number } => ({
            kind: "constraint", table: c.table, name: c.name, rank: order[c.kind],
            sql: `ALTER TABLE ${qualified(c.table, quote)} ADD CONSTRAINT ${quote(c.name)} ${c.definition}`,
        }));
    const indexes = catalog.indexes.filter((i) => mine.has(i.table))
        .map((i): PostDataStep & { rank: number } => ({ kind: "index", table: i.table, name: i.name, sql: i.definition, rank: 4 }));
    const postData = [...constraints, ...indexes].sort((a, b) => a.rank - b.rank).map(({ kind, table, name, sql }) => ({ kind, table, name, sql }));
    return {
        preData,
        postData,
        sequences: sequences.map((s) => ({
            sequence: s.ownedBy?.identity ? undefined : s.name,
            table: s.ownedBy?.table ?? s.usedBy.find((u) => mine.has(u)),
            column: s.ownedBy?.column,
            sourceLastValue: s.lastValue,
        })),
    };
}
