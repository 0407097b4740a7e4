/** Reads the monolith's catalog (see catalog.ts) into plain values. */
import { SqlClient } from "../migrations/client";
import { CATALOG_SQL, Catalog, Column, Constraint, ConstraintKind, Dependent, Sequence, Table } from "./catalog";

interface TableRow { oid: string; schema: string; table: string; owner: string; rows: string; bytes: string }
interface ColumnRow { oid: string; name: string; type: string; user_type: boolean; not_null: boolean; default: string | null; generated: string | null; identity: string }
interface ConstraintRow { oid: string; name: string; kind: ConstraintKind; definition: string; references: string | null; pk: string[] | null }
interface SequenceRow { name: string; options: string; owner_oid: string | null; owner_column: string | null; identity: boolean | null; last_value: string | null; used_by: string[] }

/** Word-boundary test: does a function body mention `schema.table` or the bare table name? */
export function mentions(body: string, table: Table): boolean {
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(^|[^\\w$])("?${esc(table.schema)}"?\\.)?"?${esc(table.table)}"?($|[^\\w$])`, "i").test(body);
}

export async function readCatalog(client: SqlClient): Promise<Catalog> {
    await client.query("SET search_path = pg_catalog");
    const tableRows = (await client.query<TableRow>(CATALOG_SQL.tables)).rows;
    const oids = tableRows.map((t) => t.oid);
    const byOid = new Map(tableRows.map((t) => [t.oid, `${t.schema}.${t.table}`]));
    const nameOf = (oid: string | null) => (oid === null ? undefined : byOid.get(String(oid)) ?? `(oid ${oid})`);
    const columns = (await client.query<ColumnRow>(CATALOG_SQL.columns, [oids])).rows;
    const constraintRows = (await client.query<ConstraintRow>(CATALOG_SQL.constraints, [oids])).rows;
    const tables: Table[] = tableRows.map((t) => ({
        name: `${t.schema}.${t.table}`, schema: t.schema, table: t.table, owner: t.owner,
        rowEstimate: Number(t.rows), bytes: Number(t.bytes),
        columns: columns.filter((c) => c.oid === t.oid).map((c): Column => ({
            name: c.name, type: c.type, userType: c.user_type, notNull: c.not_null,
            default: c.default ?? undefined, generated: c.generated ?? undefined, identity: c.identity,
        })),
        primaryKey: constraintRows.find((c) => c.oid === t.oid && c.kind === "p")?.pk ?? [],
    }));
    const constraints: Constraint[] = constraintRows.map((c) => ({
        table: nameOf(c.oid) as string, name: c.name, kind: c.kind, definition: c.definition, references: nameOf(c.references),
    }));
    const indexes = (await client.query<{ oid: string; name: string; definition: string }>(CATALOG_SQL.indexes, [oids])).rows
        .map((i) => ({ table: nameOf(i.oid) as string, name: i.name, definition: i.definition }));
    const sequences: Sequence[] = (await client.query<SequenceRow>(CATALOG_SQL.sequences)).rows.map((s) => ({
        name: s.name, options: s.options, lastValue: s.last_value,
        ownedBy: s.owner_oid !== null && s.owner_column !== null ? { table: nameOf(s.owner_oid) as string, column: s.owner_column, identity: s.identity === true } : undefined,
        usedBy: s.used_by.map((o) => nameOf(o) as string),
    }));
    const dependents = new Map<string, { kind: Dependent["kind"]; on: Set<string> }>();
    const add = (name: string, kind: Dependent["kind"], on: string) => {
        const d = dependents.get(name) ?? { kind, on: new Set<string>() };
        d.on.add(on);
        dependents.set(name, d);
    };
    for (const v of (await client.query<{ name: string; kind: string; oid: string }>(CATALOG_SQL.views, [oids])).rows) {
        add(v.name, v.kind === "m" ? "materialized view" : "view", nameOf(v.oid) as string);
    }
    for (const f of (await client.query<{ name: string; body: string }>(CATALOG_SQL.functions)).rows) {
        for (const t of tables) if (mentions(f.body, t)) add(f.name, "function", t.name);
    }
    await client.query("RESET search_path");
    return {
        tables, constraints, indexes, sequences,
        dependents: [...dependents].map(([name, d]) => ({ name, kind: d.kind, dependsOn: [...d.on].sort() })),
    };
}
