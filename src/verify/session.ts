/**
 * One login per service, with its own credentials, into its own database. That one session
 * proves the login (it creates and drops a table), reads the role's attributes and what PUBLIC
 * may do, and asks the server's own privilege functions two questions about the other services
 * on the same server:
 *  - which of their databases this login role may CONNECT to (`has_database_privilege` for the
 *    session user: the very check PostgreSQL makes when a connection asks for that database);
 *  - which other service roles can SELECT a table here or are members of this role (owner's side:
 *    tables live in one database, so only a session in it can list them).
 */
import { Client } from "pg";
import { ServiceUnderTest } from "./outputs";
import { CheckResult, result } from "./results";

export interface SessionFacts {
    readonly loggedIn: boolean;
    /** login, role, public-access. */
    readonly results: CheckResult[];
    /** Database name → may this service's login role CONNECT to it (absent: no such database). */
    readonly connect: ReadonlyMap<string, boolean>;
    /** Other service (by name) → what it can reach in this service's database. */
    readonly exposures: ReadonlyMap<string, string[]>;
}

const ELEVATED = ["rolsuper", "rolcreatedb", "rolcreaterole", "rolreplication", "rolbypassrls"];
const USER_RELATIONS = `c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`;

async function loginProof(c: Client, s: ServiceUnderTest): Promise<CheckResult> {
    const schema = s.schemas[0] ?? "public";
    const probe = `${c.escapeIdentifier(schema)}.${c.escapeIdentifier(`servicedb_verify_${process.pid}`)}`;
    await c.query(`CREATE TABLE ${probe} (id int)`);
    await c.query(`DROP TABLE ${probe}`);
    return result(s.service, "login", "pass", `logged in to ${s.database} as ${s.username}; created and dropped a table in ${schema}`);
}

async function roleAttributes(c: Client, s: ServiceUnderTest): Promise<CheckResult> {
    const r = (await c.query(`SELECT ${ELEVATED.join(", ")}, rolconnlimit FROM pg_roles WHERE rolname = session_user`)).rows[0];
    const bad = ELEVATED.filter((k) => r[k] === true);
    const limitOk = s.connectionLimit === undefined ? r.rolconnlimit > 0 : r.rolconnlimit === s.connectionLimit;
    if (!bad.length && limitOk) return result(s.service, "role", "pass", `no elevated attribute; connection limit ${r.rolconnlimit}`);
    const why = [bad.length ? `role ${s.username} has ${bad.join(", ")}` : "", limitOk ? "" : `connection limit is ${r.rolconnlimit}, expected ${s.connectionLimit ?? "a positive limit"}`];
    return result(s.service, "role", "fail", why.filter(Boolean).join("; "));
}

async function publicAccess(c: Client, s: ServiceUnderTest): Promise<CheckResult> {
    const found: string[] = [];
    const db = (await c.query("SELECT has_database_privilege('public', current_database(), 'CONNECT') AS conn, has_database_privilege('public', current_database(), 'TEMP') AS temp")).rows[0];
    if (db.conn) found.push(`PUBLIC has CONNECT on database ${s.database}`);
    if (db.temp) found.push(`PUBLIC has TEMP on database ${s.database}`);
    const schemas = await c.query("SELECT s AS name FROM unnest($1::text[]) s WHERE has_schema_privilege('public', s, 'CREATE')", [s.schemas]);
    for (const x of schemas.rows) found.push(`PUBLIC has CREATE on schema ${x.name}`);
    const tables = await c.query(`SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE ${USER_RELATIONS} AND has_table_privilege('public', c.oid, 'SELECT') ORDER BY 1`);
    for (const t of tables.rows) found.push(`PUBLIC can SELECT ${t.t}`);
    return found.length ? result(s.service, "public-access", "fail", found.join("; "))
        : result(s.service, "public-access", "pass", `PUBLIC has no CONNECT/TEMP on ${s.database}, no CREATE on ${s.schemas.join(", ")}, no table`);
}

/** The databases (by name) this session's login role may connect to, as the server decides it. */
async function connectable(c: Client, databases: readonly string[]): Promise<Map<string, boolean>> {
    const rows = await c.query("SELECT d.datname, has_database_privilege(session_user, d.oid, 'CONNECT') AS can FROM pg_database d WHERE d.datname = ANY($1::text[])", [databases]);
    return new Map(rows.rows.map((r) => [r.datname as string, r.can as boolean]));
}

/** Seen from the owner's session: other roles that are members of it or can SELECT its tables. */
async function reach(c: Client, owner: ServiceUnderTest, peers: readonly ServiceUnderTest[]): Promise<Map<string, string[]>> {
    const byRole = new Map(peers.map((p) => [p.username, p.service]));
    const out = new Map<string, string[]>();
    const add = (role: string, what: string) => {
        const svc = byRole.get(role);
        if (svc) out.set(svc, [...(out.get(svc) ?? []), what]);
    };
    const roles = [...byRole.keys()];
    const members = await c.query("SELECT r.rolname FROM pg_roles r WHERE r.rolname = ANY($1::text[]) AND pg_has_role(r.oid, session_user, 'MEMBER') ORDER BY 1", [roles]);
    for (const m of members.rows) add(m.rolname, `is a member of role ${owner.username} (service ${owner.service})`);
    const tables = await c.query(`SELECT r.rolname, n.nspname || '.' || c.relname AS t FROM pg_roles r CROSS JOIN pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE r.rolname = ANY($1::text[]) AND ${USER_RELATIONS} AND has_table_privilege(r.oid, c.oid, 'SELECT') ORDER BY 1, 2`, [roles]);
    for (const t of tables.rows) add(t.rolname, `can SELECT ${owner.database}.${t.t} of service ${owner.service}`);
    return out;
}

/** Everything one service's own session can prove; `peers` are the other services on its server. */
export async function inspectOwn(c: Client, s: ServiceUnderTest, peers: readonly ServiceUnderTest[], maintenanceDb: string): Promise<SessionFacts> {
    const results = [await loginProof(c, s), await roleAttributes(c, s), await publicAccess(c, s)];
    const connect = await connectable(c, [...peers.map((p) => p.database), maintenanceDb]);
    const exposures = peers.length ? await reach(c, s, peers) : new Map<string, string[]>();
    return { loggedIn: true, results, connect, exposures };
}

/** What is known when the service cannot log in to its own database at all. */
export function noSession(s: ServiceUnderTest, error: unknown): SessionFacts {
    const why = `cannot log in to its own database ${s.database}: ${(error as Error).message}`;
    return {
        loggedIn: false,
        results: [result(s.service, "login", "fail", why), result(s.service, "role", "skip", "needs a login"), result(s.service, "public-access", "skip", "needs a login")],
        connect: new Map(),
        exposures: new Map(),
    };
}
