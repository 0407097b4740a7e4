/**
 * One login per service, with its own credentials, into its own database. That one session
 * proves the login (it creates and drops a table), reads the role's attributes and what PUBLIC
 * may do, and asks the server's own privilege functions two questions about the other services
 * on the same server:
 *  - which of their databases this login role may CONNECT to (`has_database_privilege` for the
 *    session user: the very check PostgreSQL makes when a connection asks for that database);
 *  - which other service roles can SELECT a table here or are members of the owning role
 *    (`current_user`: a service's second login switches to the owning role at login, see
 *    src/rotation.ts; owner's side: tables live in one database, so only a session in it can
 *    list them).
 */
import { Client } from "pg";
import { ServiceUnderTest } from "./outputs";
import { CheckResult, result } from "./results";
import { declaresRead } from "./reads";
import { judgeSettings, loginsOf } from "./settings";

export interface SessionFacts {
    readonly loggedIn: boolean;
    /** login, role, public-access. */
    readonly results: CheckResult[];
    /** Database name → may this service's login role CONNECT to it (absent: no such database). */
    readonly connect: ReadonlyMap<string, boolean>;
    /** Other service (by name) → what it can reach in this service's database. */
    readonly exposures: ReadonlyMap<string, string[]>;
}

const ELEVATED = ["rolsuper", "rolcreatedb", "rolcreaterole", "rolreplication", "rolbypassrls"] as const;
const USER_RELATIONS = `pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`;

/**
 * Everything the session asks the catalog, in one round trip ($1 own schemas, $2 databases of the
 * peers and the maintenance database, $3 login roles of the peers).
 */
const FACTS = `SELECT
    (SELECT row_to_json(r) FROM (SELECT ${ELEVATED.join(", ")}, rolconnlimit FROM pg_roles WHERE rolname = session_user) r) AS role,
    has_database_privilege('public', current_database(), 'CONNECT') AS public_connect,
    has_database_privilege('public', current_database(), 'TEMP') AS public_temp,
    ARRAY(SELECT s FROM unnest($1::text[]) s WHERE has_schema_privilege('public', s, 'CREATE')) AS public_create,
    ARRAY(SELECT n.nspname || '.' || c.relname FROM ${USER_RELATIONS} AND has_table_privilege('public', c.oid, 'SELECT') ORDER BY 1) AS public_select,
    (SELECT coalesce(json_object_agg(d.datname, has_database_privilege(session_user, d.oid, 'CONNECT')), '{}') FROM pg_database d WHERE d.datname = ANY($2::text[])) AS connect,
    ARRAY(SELECT r.rolname::text FROM pg_roles r WHERE r.rolname = ANY($3::text[]) AND pg_has_role(r.oid, current_user, 'MEMBER') ORDER BY 1) AS members,
    (SELECT coalesce(json_agg(json_build_array(x.rolname, x.t) ORDER BY x.rolname, x.t), '[]') FROM (
        SELECT r.rolname, n.nspname || '.' || c.relname AS t FROM pg_roles r CROSS JOIN ${USER_RELATIONS}
        AND r.rolname = ANY($3::text[]) AND has_table_privilege(r.oid, c.oid, 'SELECT')) x) AS readable,
    (SELECT coalesce(json_object_agg(r.rolname, s.setconfig), '{}') FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
      WHERE s.setdatabase = 0 AND r.rolname = ANY($4::text[])) AS settings`;

interface FactsRow {
    role: Record<(typeof ELEVATED)[number], boolean> & { rolconnlimit: number };
    public_connect: boolean;
    public_temp: boolean;
    public_create: string[];
    public_select: string[];
    connect: Record<string, boolean>;
    members: string[];
    readable: [string, string][];
    settings: Record<string, string[]>;
}

async function loginProof(c: Client, s: ServiceUnderTest): Promise<CheckResult> {
    const schema = s.schemas[0] ?? "public";
    const probe = `${c.escapeIdentifier(schema)}.${c.escapeIdentifier(`servicedb_verify_${process.pid}`)}`;
    // Rolled back, not dropped: the same privilege check, without two commits to flush per service.
    await c.query(`BEGIN; CREATE TABLE ${probe} (id int); ROLLBACK`);
    return result(s.service, "login", "pass", `logged in to ${s.database} as ${s.username}; created a table in ${schema} (rolled back)`);
}

function roleAttributes(s: ServiceUnderTest, r: FactsRow["role"]): CheckResult {
    const bad = ELEVATED.filter((k) => r[k] === true);
    const limitOk = s.connectionLimit === undefined ? r.rolconnlimit > 0 : r.rolconnlimit === s.connectionLimit;
    if (!bad.length && limitOk) return result(s.service, "role", "pass", `no elevated attribute; connection limit ${r.rolconnlimit}`);
    const why = [bad.length ? `role ${s.username} has ${bad.join(", ")}` : "", limitOk ? "" : `connection limit is ${r.rolconnlimit}, expected ${s.connectionLimit ?? "a positive limit"}`];
    return result(s.service, "role", "fail", why.filter(Boolean).join("; "));
}

function publicAccess(s: ServiceUnderTest, f: FactsRow): CheckResult {
    const found = [
        ...(f.public_connect ? [`PUBLIC has CONNECT on database ${s.database}`] : []),
        ...(f.public_temp ? [`PUBLIC has TEMP on database ${s.database}`] : []),
        ...f.public_create.map((x) => `PUBLIC has CREATE on schema ${x}`),
        ...f.public_select.map((t) => `PUBLIC can SELECT ${t}`),
    ];
    return found.length ? result(s.service, "public-access", "fail", found.join("; "))
        : result(s.service, "public-access", "pass", `PUBLIC has no CONNECT/TEMP on ${s.database}, no CREATE on ${s.schemas.join(", ")}, no table`);
}

/** Other roles' reach into the owner's database, by the peer service they log in as. */
function reach(owner: ServiceUnderTest, peers: readonly ServiceUnderTest[], f: FactsRow): Map<string, string[]> {
    const byRole = new Map(peers.map((p) => [p.username, p.service]));
    const out = new Map<string, string[]>();
    const add = (role: string, what: string) => {
        const svc = byRole.get(role);
        if (svc) out.set(svc, [...(out.get(svc) ?? []), what]);
    };
    for (const m of f.members) add(m, `is a member of role ${owner.username} (service ${owner.service})`);
    for (const [role, t] of f.readable) {
        const peer = peers.find((p) => p.username === role);
        if (peer && declaresRead(peer, owner, t.split(".")[0])) continue; // declared: the reads check proves it
        add(role, `can SELECT ${owner.database}.${t} of service ${owner.service}`);
    }
    return out;
}

/** Everything one service's own session can prove; `peers` are the other services on its server. */
export async function inspectOwn(c: Client, s: ServiceUnderTest, peers: readonly ServiceUnderTest[], maintenanceDb: string): Promise<SessionFacts> {
    const login = await loginProof(c, s);
    const f = (await c.query(FACTS, [s.schemas, [...peers.map((p) => p.database), maintenanceDb], peers.map((p) => p.username), loginsOf(s)])).rows[0] as FactsRow;
    return {
        loggedIn: true,
        results: [login, roleAttributes(s, f.role), judgeSettings(s, f.settings), publicAccess(s, f)],
        connect: new Map(Object.entries(f.connect)),
        exposures: reach(s, peers, f),
    };
}

/** What is known when the service cannot log in to its own database at all. */
export function noSession(s: ServiceUnderTest, error: unknown): SessionFacts {
    const why = `cannot log in to its own database ${s.database}: ${(error as Error).message}`;
    return {
        loggedIn: false,
        results: [result(s.service, "login", "fail", why), result(s.service, "role", "skip", "needs a login"), result(s.service, "settings", "skip", "needs a login"),
            result(s.service, "public-access", "skip", "needs a login")],
        connect: new Map(),
        exposures: new Map(),
    };
}
