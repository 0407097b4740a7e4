/**
 * Grants and default privileges: "exists" means the privileges the resource declares are exactly
 * in effect (aclexplode of the object's ACL, or its built-in default when the ACL is NULL).
 * Applying a grant again is harmless (the provider revokes, then grants, in one transaction), so
 * a grant that is not in effect only has its pending create dropped: the next up applies it.
 */
import type { Client } from "pg";
import { Probe } from "./decide";
import type { Connections } from "./probes";
import { Kind, databaseOf, postgresId } from "./ids";
import { str } from "./state";

const ALIASES: Record<string, string> = { TEMP: "TEMPORARY", ALL: "ALL" };

/** Declared privileges as aclexplode names them, sorted; undefined when one cannot be compared (ALL). */
export function normalisePrivileges(v: unknown): string[] | undefined {
    const list = (Array.isArray(v) ? v : []).map((p) => String(p).toUpperCase()).map((p) => ALIASES[p] ?? p);
    return list.includes("ALL") ? undefined : [...new Set(list)].sort();
}

/** Whether every object's privileges equal the declared set (no object: nothing to differ). */
export function inEffect(declared: readonly string[], actual: readonly (readonly string[])[]): boolean {
    return actual.every((a) => [...a].sort().join(",") === declared.join(","));
}

/** The grantee's oid expression: PUBLIC is 0 in aclexplode. */
const GRANTEE = "(CASE WHEN lower($2) = 'public' THEN 0::oid ELSE (SELECT oid FROM pg_roles WHERE rolname = $2) END)";
const privs = (acl: string) => `ARRAY(SELECT a.privilege_type FROM aclexplode(${acl}) a WHERE a.grantee = ${GRANTEE} ORDER BY 1)`;

/** Privileges of the grantee on each object the grant covers; undefined when its database, schema or role is missing. */
async function actualGrants(cx: Connections, inputs: Record<string, unknown>): Promise<string[][] | undefined | "unsupported"> {
    const role = str(inputs, "role") ?? "";
    const schema = str(inputs, "schema") ?? "";
    const dbName = databaseOf(inputs, cx.maintenanceDatabase);
    const objectType = str(inputs, "objectType");
    const objects = Array.isArray(inputs.objects) ? inputs.objects : [];
    const admin = await cx.admin();
    if (role.toLowerCase() !== "public" && !(await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rows.length) return undefined;
    const rows = async (c: Client | undefined, sql: string, values: unknown[]) => (c ? (await c.query(sql, values)).rows.map((r) => r.p as string[]) : []);
    if (objectType === "database") {
        const r = await rows(admin, `SELECT ${privs("COALESCE(datacl, acldefault('d', datdba))")} AS p FROM pg_database WHERE datname = $1`, [dbName, role]);
        return r.length ? r : undefined;
    }
    const db = await cx.database(dbName);
    if (!db || !(await db.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).rows.length) return undefined;
    if (objectType === "schema") return rows(db, `SELECT ${privs("COALESCE(nspacl, acldefault('n', nspowner))")} AS p FROM pg_namespace WHERE nspname = $1`, [schema, role]);
    if (objectType === "table" && objects.length === 0) {
        return rows(db, `SELECT ${privs("COALESCE(c.relacl, acldefault('r', c.relowner))")} AS p FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`, [schema, role]);
    }
    return "unsupported";
}

const OBJTYPE: Record<string, string> = { table: "r", sequence: "S", function: "f", type: "T", schema: "n" };

async function actualDefaults(cx: Connections, inputs: Record<string, unknown>): Promise<string[][] | undefined> {
    const db = await cx.database(databaseOf(inputs, cx.maintenanceDatabase));
    if (!db) return undefined;
    const r = await db.query(`SELECT ${privs("d.defaclacl")} AS p FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
        WHERE pg_get_userbyid(d.defaclrole) = $1 AND COALESCE(n.nspname, '') = $3 AND d.defaclobjtype = $4`,
    [str(inputs, "owner"), str(inputs, "role"), str(inputs, "schema") ?? "", OBJTYPE[str(inputs, "objectType") ?? ""] ?? "?"]);
    return r.rows.length ? r.rows.map((x) => x.p as string[]) : undefined;
}

export async function grantProbe(cx: Connections, kind: Kind, inputs: Record<string, unknown>, what: string): Promise<Probe> {
    const declared = normalisePrivileges(inputs.privileges);
    const actual = kind === "grant" ? await actualGrants(cx, inputs) : await actualDefaults(cx, inputs);
    const again = "pending create dropped, the next up applies it again (a grant is idempotent)";
    if (declared === undefined || actual === "unsupported") return { state: "recreate", what, note: `not compared here: ${again}` };
    if (actual === undefined) return { state: "absent", what };
    if (!inEffect(declared, actual)) return { state: "recreate", what, note: `not in effect as declared: ${again}` };
    return { state: "present", what, id: postgresId(kind, inputs, cx.maintenanceDatabase) as string };
}
