/**
 * What the split needs to know about the monolith, read from its catalog in one pass. The session
 * runs with `search_path = pg_catalog`, so every name the server prints back (types, defaults,
 * index and constraint definitions) is schema-qualified and can be replayed in another database.
 */

export interface Column {
    readonly name: string;
    /** `format_type`, qualified: `integer`, `character varying(40)`, `public.mood`. */
    readonly type: string;
    /** The type lives outside pg_catalog (an enum, a domain, an extension's type). */
    readonly userType: boolean;
    readonly notNull: boolean;
    readonly default?: string;
    /** `a` ALWAYS / `d` BY DEFAULT identity, or "". */
    readonly identity: string;
    /** A generated column's expression (STORED). */
    readonly generated?: string;
}

export type ConstraintKind = "p" | "u" | "c" | "f" | "x";

export interface Constraint {
    readonly table: string;
    readonly name: string;
    readonly kind: ConstraintKind;
    readonly definition: string;
    /** For a foreign key: the referenced table. */
    readonly references?: string;
}

export interface Table {
    /** `schema.table` */
    readonly name: string;
    readonly schema: string;
    readonly table: string;
    readonly owner: string;
    readonly columns: readonly Column[];
    /** Primary key columns, in key order; empty without one. */
    readonly primaryKey: readonly string[];
    readonly rowEstimate: number;
    readonly bytes: number;
}

export interface Sequence {
    readonly name: string;
    /** CREATE SEQUENCE options: `AS bigint INCREMENT 1 …`. */
    readonly options: string;
    /** The table.column that owns it (serial or identity). */
    readonly ownedBy?: { readonly table: string; readonly column: string; readonly identity: boolean };
    /** Tables whose column defaults call nextval() on it. */
    readonly usedBy: readonly string[];
    /** null when nextval() was never called. */
    readonly lastValue: string | null;
}

export interface Dependent {
    readonly kind: "view" | "materialized view" | "function";
    readonly name: string;
    readonly dependsOn: readonly string[];
}

export interface Catalog {
    readonly tables: readonly Table[];
    readonly constraints: readonly Constraint[];
    /** Indexes that do not back a constraint: `CREATE INDEX …` statements. */
    readonly indexes: readonly { readonly table: string; readonly name: string; readonly definition: string }[];
    readonly sequences: readonly Sequence[];
    readonly dependents: readonly Dependent[];
}

const USER_NS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'";

export const CATALOG_SQL = {
    tables: `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS table, pg_get_userbyid(c.relowner) AS owner,
               greatest(c.reltuples, 0)::int8 AS rows, pg_table_size(c.oid) AS bytes
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'r' AND NOT c.relispartition AND ${USER_NS} ORDER BY 2, 3`,
    columns: `SELECT a.attrelid::int8 AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
                tn.nspname NOT IN ('pg_catalog', 'information_schema') AS user_type, a.attnotnull AS not_null,
                CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS "default",
                CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END AS generated, a.attidentity AS identity
              FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
              LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE a.attrelid = ANY($1::int8[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum`,
    constraints: `SELECT con.conrelid::int8 AS oid, con.conname AS name, con.contype AS kind, pg_get_constraintdef(con.oid) AS definition,
                    NULLIF(con.confrelid, 0)::int8 AS references, CASE WHEN con.contype = 'p' THEN
                      (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) END AS pk
                  FROM pg_constraint con WHERE con.conrelid = ANY($1::int8[]::oid[]) AND con.contype IN ('p', 'u', 'c', 'f', 'x')
                  ORDER BY con.conrelid, con.contype, con.conname`,
    indexes: `SELECT i.indrelid::int8 AS oid, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
              FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
              WHERE i.indrelid = ANY($1::int8[]::oid[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
              ORDER BY ic.relname`,
    sequences: `SELECT n.nspname || '.' || c.relname AS name,
                  format('AS %s INCREMENT %s MINVALUE %s MAXVALUE %s START %s CACHE %s%s', format_type(s.seqtypid, NULL), s.seqincrement,
                    s.seqmin, s.seqmax, s.seqstart, s.seqcache, CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END) AS options,
                  own.refobjid::int8 AS owner_oid, oa.attname AS owner_column, own.deptype = 'i' AS identity, ps.last_value::text AS last_value,
                  ARRAY(SELECT DISTINCT ad.adrelid::int8 FROM pg_depend d JOIN pg_attrdef ad ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
                        WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = s.seqrelid) AS used_by
                FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_depend own ON own.classid = 'pg_class'::regclass AND own.objid = s.seqrelid
                  AND own.refclassid = 'pg_class'::regclass AND own.deptype IN ('a', 'i')
                LEFT JOIN pg_attribute oa ON oa.attrelid = own.refobjid AND oa.attnum = own.refobjsubid
                LEFT JOIN pg_sequences ps ON ps.schemaname = n.nspname AND ps.sequencename = c.relname
                WHERE ${USER_NS} ORDER BY 1`,
    views: `SELECT DISTINCT n.nspname || '.' || v.relname AS name, v.relkind AS kind, d.refobjid::int8 AS oid
            FROM pg_depend d JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
            JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace n ON n.oid = v.relnamespace
            WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = ANY($1::int8[]::oid[]) AND v.oid <> d.refobjid`,
    functions: `SELECT n.nspname || '.' || p.proname AS name, coalesce(p.prosrc, '') AS body
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE ${USER_NS} AND p.prokind IN ('f', 'p') AND NOT EXISTS
                  (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')`,
} as const;
