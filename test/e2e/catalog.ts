/**
 * What a deployed platform left in a server's catalog, as plain data two deployments can be
 * compared by: the roles whose names start with a prefix (attributes, limits, memberships, role
 * settings, comments), their databases (owner, encoding, limit, ACL, comment) and, inside each,
 * the schemas (owner, ACL), extensions and default privileges. Passwords are left out (they are
 * generated), and so are OIDs; ACL entries are (grantee, privilege, grantor) triples, sorted.
 */
import { Client, ClientConfig } from "pg";

export interface Catalog {
    readonly roles: Record<string, Record<string, unknown>>;
    readonly memberships: string[];
    readonly databases: Record<string, Record<string, unknown>>;
}

const like = (prefix: string) => `${prefix.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** ACL entries as `grantee privilege (grantor)`, PUBLIC for the grantee 0. */
const ACL = (column: string, kind: string, owner: string) => `ARRAY(
    SELECT coalesce(nullif(a.grantee, 0)::regrole::text, 'PUBLIC') || ' ' || a.privilege_type || ' (' || a.grantor::regrole::text || ')'
      FROM aclexplode(coalesce(${column}, acldefault('${kind}', ${owner}))) a ORDER BY 1)`;

async function withClient<T>(config: ClientConfig, fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client(config);
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
}

/** The catalog of everything named `prefix…`, read as `config` (a superuser, or an admin that can read it). */
export async function readCatalog(config: (database: string) => ClientConfig, prefix: string): Promise<Catalog> {
    const outside = await withClient(config("postgres"), async (c) => {
        const roles = await c.query(`
            SELECT r.rolname, r.rolcanlogin, r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolreplication, r.rolbypassrls,
                   r.rolinherit, r.rolconnlimit, shobj_description(r.oid, 'pg_authid') AS comment,
                   ARRAY(SELECT unnest(s.setconfig) FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0 ORDER BY 1) AS settings
              FROM pg_roles r WHERE r.rolname LIKE $1 ORDER BY r.rolname`, [like(prefix)]);
        const members = await c.query<{ m: string }>(`
            SELECT g.rolname || ' -> ' || u.rolname AS m FROM pg_auth_members am
              JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles u ON u.oid = am.member
             WHERE g.rolname LIKE $1 OR u.rolname LIKE $1 ORDER BY 1`, [like(prefix)]);
        const dbs = await c.query(`
            SELECT d.datname, pg_get_userbyid(d.datdba) AS owner, pg_encoding_to_char(d.encoding) AS encoding, d.datconnlimit,
                   d.datallowconn, shobj_description(d.oid, 'pg_database') AS comment, ${ACL("d.datacl", "d", "d.datdba")} AS acl
              FROM pg_database d WHERE d.datname LIKE $1 ORDER BY d.datname`, [like(prefix)]);
        return {
            roles: Object.fromEntries(roles.rows.map(({ rolname, ...rest }) => [rolname as string, rest])),
            memberships: members.rows.map((r) => r.m),
            databases: dbs.rows as Record<string, unknown>[],
        };
    });
    const databases: Record<string, Record<string, unknown>> = {};
    for (const { datname, ...rest } of outside.databases) {
        databases[datname as string] = { ...rest, ...await withClient(config(datname as string), async (c) => ({
            schemas: (await c.query(`
                SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner, ${ACL("n.nspacl", "n", "n.nspowner")} AS acl
                  FROM pg_namespace n WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' ORDER BY 1`)).rows,
            extensions: (await c.query("SELECT extname FROM pg_extension ORDER BY 1")).rows.map((r) => r.extname as string),
            defaultPrivileges: (await c.query(`
                SELECT pg_get_userbyid(da.defaclrole) AS owner, coalesce(n.nspname, '*') AS schema, da.defaclobjtype AS kind,
                       ARRAY(SELECT a.grantee::regrole::text || ' ' || a.privilege_type FROM aclexplode(da.defaclacl) a ORDER BY 1) AS acl
                  FROM pg_default_acl da LEFT JOIN pg_namespace n ON n.oid = da.defaclnamespace ORDER BY 1, 2, 3`)).rows,
        })) };
    }
    return { roles: outside.roles, memberships: outside.memberships, databases };
}

/**
 * The catalog without what docs/architecture.md lists as intended differences between the two
 * cores: the ServiceCore's ownership mark (a COMMENT on its roles and databases).
 */
export function withoutIntendedDifferences(c: Catalog): Catalog {
    const drop = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== "comment"));
    return {
        roles: Object.fromEntries(Object.entries(c.roles).map(([k, v]) => [k, drop(v)])),
        memberships: c.memberships,
        databases: Object.fromEntries(Object.entries(c.databases).map(([k, v]) => [k, drop(v)])),
    };
}
