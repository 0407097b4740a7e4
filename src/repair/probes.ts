/**
 * The server probes: for one pending create of a PostgreSQL object, is the object there, is it
 * what the stack declares, and what is its provider ID. Read-only catalog queries, values as
 * parameters, as the admin login of the resource's provider.
 */
import { Client } from "pg";
import { Probe } from "./decide";
import { Kind, databaseOf, postgresId } from "./ids";
import { grantProbe } from "./grantProbes";
import { roleProbe, databaseProbe } from "./ownerProbes";
import { str } from "./state";

/** Clients of one server, one per database, opened on first use. */
export interface Connections {
    /** The maintenance database (roles, databases, memberships). */
    admin(): Promise<Client>;
    /** A database of the server, or undefined when it does not exist. */
    database(name: string): Promise<Client | undefined>;
    readonly maintenanceDatabase: string;
}

const q = (c: Client, text: string, values: unknown[]) => c.query(text, values).then((r) => r.rows);

/** Schema: exists with the declared owner → import; with another owner, up's create takes it over (IF NOT EXISTS, then ALTER … OWNER), as always. */
async function schemaProbe(cx: Connections, inputs: Record<string, unknown>, what: string): Promise<Probe> {
    const db = await cx.database(databaseOf(inputs, cx.maintenanceDatabase));
    const rows = db ? await q(db, "SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = $1", [str(inputs, "name")]) : [];
    if (!rows.length) return { state: "absent", what };
    const owner = str(inputs, "owner");
    if (owner === undefined || rows[0].owner === owner) return { state: "present", what, id: postgresId("schema", inputs, cx.maintenanceDatabase) as string };
    return { state: "recreate", what, note: `exists, owned by "${rows[0].owner}": pending create dropped, the next up gives it to "${owner}" (what its create does with an existing schema)` };
}

async function extensionProbe(cx: Connections, inputs: Record<string, unknown>, what: string): Promise<Probe> {
    const db = await cx.database(databaseOf(inputs, cx.maintenanceDatabase));
    const rows = db ? await q(db, "SELECT extversion FROM pg_extension WHERE extname = $1", [str(inputs, "name")]) : [];
    return rows.length ? { state: "present", what, id: postgresId("extension", inputs, cx.maintenanceDatabase) as string } : { state: "absent", what };
}

/** Role membership (the admin in a service role on managed servers). */
async function grantRoleProbe(cx: Connections, inputs: Record<string, unknown>, what: string): Promise<Probe> {
    const rows = await q(await cx.admin(), `SELECT m.admin_option FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
        WHERE g.rolname = $1 AND r.rolname = $2`, [str(inputs, "grantRole"), str(inputs, "role")]);
    if (!rows.length) return { state: "absent", what };
    const admin = inputs.withAdminOption === true;
    if (rows.some((r) => r.admin_option === admin)) return { state: "present", what, id: postgresId("grantRole", inputs, cx.maintenanceDatabase) as string };
    return { state: "recreate", what, note: "a membership exists with another admin option: pending create dropped, the next up grants it as declared" };
}

/** What a resource of `kind` is, in words, for the one-line report. */
export function describe(kind: Kind, inputs: Record<string, unknown>, maintenanceDatabase: string): string {
    const name = str(inputs, "name");
    const db = databaseOf(inputs, maintenanceDatabase);
    switch (kind) {
        case "role": return `role "${name}"`;
        case "database": return `database "${name}"`;
        case "schema": return `schema "${name}" in database "${db}"`;
        case "extension": return `extension "${name}" in database "${db}"`;
        case "grant": return `${str(inputs, "objectType")} grant to "${str(inputs, "role")}" in database "${db}"${str(inputs, "schema") ? `, schema "${str(inputs, "schema")}"` : ""}`;
        case "grantRole": return `membership of "${str(inputs, "role")}" in "${str(inputs, "grantRole")}"`;
        case "defaultPrivileges": return `default privileges for "${str(inputs, "role")}" on ${str(inputs, "objectType")}s of "${str(inputs, "owner")}" in database "${db}"`;
        case "migrations": return `migrations of "${str(inputs, "service")}"`;
        case "core": return `core of database "${str(inputs, "database")}" (role "${str(inputs, "role")}")`;
        default: return kind;
    }
}

/** Probes one pending create of a PostgreSQL object. */
export async function probePostgres(cx: Connections, kind: Kind, inputs: Record<string, unknown>): Promise<Probe> {
    const what = describe(kind, inputs, cx.maintenanceDatabase);
    switch (kind) {
        case "role": return roleProbe(await cx.admin(), inputs, what);
        case "database": return databaseProbe(await cx.admin(), inputs, what);
        case "schema": return schemaProbe(cx, inputs, what);
        case "extension": return extensionProbe(cx, inputs, what);
        case "grant":
        case "defaultPrivileges": return grantProbe(cx, kind, inputs, what);
        case "grantRole": return grantRoleProbe(cx, inputs, what);
        default: return { state: "unknown", what, reason: `not a PostgreSQL object repair knows`, fix: "resolve it with an interactive pulumi refresh" };
    }
}
