/**
 * Roles and databases: the objects that own data. One that exists but differs from the stack's
 * declaration (another owner, other attributes) is a conflict: repair reports it with the SQL that
 * would make it match, and never imports or drops it on its own.
 */
import type { Client } from "pg";
import { Probe } from "./decide";
import { plain, str } from "./state";

type Quote = (identifier: string) => string;

/** pg_roles column, the Role input, its default in the provider, ALTER ROLE keyword. */
const ROLE_FLAGS = [
    ["rolsuper", "superuser", false, "SUPERUSER"],
    ["rolcreatedb", "createDatabase", false, "CREATEDB"],
    ["rolcreaterole", "createRole", false, "CREATEROLE"],
    ["rolreplication", "replication", false, "REPLICATION"],
    ["rolbypassrls", "bypassRowLevelSecurity", false, "BYPASSRLS"],
    ["rolcanlogin", "login", false, "LOGIN"],
    ["rolinherit", "inherit", true, "INHERIT"],
] as const;

const declared = <T>(inputs: Record<string, unknown>, key: string, fallback: T): T => {
    const v = plain(inputs[key]);
    return v === undefined || v === null ? fallback : (v as T);
};

export interface Mismatch {
    /** `SUPERUSER is true, declared false`. */
    readonly difference: string;
    /** The clause that makes it match (`NOSUPERUSER`), when SQL can. */
    readonly clause?: string;
}

/** How an existing role differs from the declared one (empty: it matches). */
export function roleMismatches(row: Record<string, unknown>, inputs: Record<string, unknown>): Mismatch[] {
    const out: Mismatch[] = [];
    for (const [column, input, fallback, keyword] of ROLE_FLAGS) {
        const want = declared(inputs, input, fallback);
        if (row[column] !== want) out.push({ difference: `${keyword} is ${row[column]}, declared ${want}`, clause: want ? keyword : `NO${keyword}` });
    }
    const limit = Number(declared(inputs, "connectionLimit", -1));
    if (Number(row.rolconnlimit) !== limit) out.push({ difference: `CONNECTION LIMIT is ${row.rolconnlimit}, declared ${limit}`, clause: `CONNECTION LIMIT ${limit}` });
    return out;
}

/** How an existing database differs from the declared one (empty: it matches). */
export function databaseMismatches(row: Record<string, unknown>, inputs: Record<string, unknown>): Mismatch[] {
    const out: Mismatch[] = [];
    const owner = str(inputs, "owner");
    if (owner !== undefined && row.owner !== owner) out.push({ difference: `owner is "${row.owner}", declared "${owner}"`, clause: "OWNER" });
    const encoding = str(inputs, "encoding");
    if (encoding !== undefined && String(row.encoding).toUpperCase() !== encoding.toUpperCase()) {
        out.push({ difference: `encoding is ${row.encoding}, declared ${encoding}` });
    }
    const limit = Number(declared(inputs, "connectionLimit", -1));
    if (Number(row.datconnlimit) !== limit) out.push({ difference: `CONNECTION LIMIT is ${row.datconnlimit}, declared ${limit}`, clause: `CONNECTION LIMIT ${limit}` });
    const allow = declared(inputs, "allowConnections", true);
    if (row.datallowconn !== allow) out.push({ difference: `ALLOW_CONNECTIONS is ${row.datallowconn}, declared ${allow}`, clause: `ALLOW_CONNECTIONS ${allow}` });
    return out;
}

/** The fix of a role conflict: the ALTER ROLE that makes it match, or another name. */
export function roleFix(name: string, mismatches: readonly Mismatch[], quote: Quote): string {
    const clauses = mismatches.map((m) => m.clause).join(" ");
    return `if role ${quote(name)} is this service's, run ALTER ROLE ${quote(name)} ${clauses}; then npm run repair again. If it belongs to something else, give the service another role (servicedb:services.<service>.role)`;
}

/** The fix of a database conflict: ALTER DATABASE statements when SQL can, else another name. */
export function databaseFix(name: string, owner: string | undefined, mismatches: readonly Mismatch[], quote: Quote): string {
    const other = `give the service another database (servicedb:services.<service>.database)`;
    if (mismatches.some((m) => m.clause === undefined)) {
        return `it cannot be altered to match: rename it (ALTER DATABASE ${quote(name)} RENAME TO ${quote(`${name}_old`)}) or ${other}; then npm run repair again`;
    }
    const statements = mismatches.map((m) => (m.clause === "OWNER" ? `ALTER DATABASE ${quote(name)} OWNER TO ${quote(owner ?? "")}` : `ALTER DATABASE ${quote(name)} ${m.clause}`));
    return `if database ${quote(name)} is this service's, run ${statements.join("; ")}; then npm run repair again. If it belongs to something else, ${other}`;
}

export async function roleProbe(admin: Client, inputs: Record<string, unknown>, what: string): Promise<Probe> {
    const name = str(inputs, "name") ?? "";
    const rows = (await admin.query(
        "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin, rolinherit, rolconnlimit FROM pg_roles WHERE rolname = $1", [name])).rows;
    if (!rows.length) return { state: "absent", what };
    const mismatches = roleMismatches(rows[0], inputs);
    if (!mismatches.length) return { state: "present", what, id: name };
    return { state: "different", what, differences: mismatches.map((m) => m.difference), fix: roleFix(name, mismatches, (s) => admin.escapeIdentifier(s)) };
}

export async function databaseProbe(admin: Client, inputs: Record<string, unknown>, what: string): Promise<Probe> {
    const name = str(inputs, "name") ?? "";
    const rows = (await admin.query(
        "SELECT pg_get_userbyid(datdba) AS owner, pg_encoding_to_char(encoding) AS encoding, datconnlimit, datallowconn FROM pg_database WHERE datname = $1", [name])).rows;
    if (!rows.length) return { state: "absent", what };
    const mismatches = databaseMismatches(rows[0], inputs);
    if (!mismatches.length) return { state: "present", what, id: name };
    return { state: "different", what, differences: mismatches.map((m) => m.difference), fix: databaseFix(name, str(inputs, "owner"), mismatches, (s) => admin.escapeIdentifier(s)) };
}
