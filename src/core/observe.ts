/**
 * A ServiceCore's facts as the server's catalog shows them (`pulumi refresh`, `--refresh`): the
 * same lines as `expectedFacts` builds from the inputs (src/core/facts.ts), so that a converged
 * server reads back exactly what was declared and anything else is drift. Reads only; as the
 * admin, on the maintenance database and then the service's database.
 */
import type { Client } from "pg";
import { describeParameters, managedParameters, parseSetconfig } from "../guards";
import { scramVerifier } from "../pooler/scram";
import { readerRole } from "../names";
import { secondLogin } from "../rotation";
import {
    CoreFacts, INSTALLED, MISSING, RoleAttributes, describeDatabase, describeLogin, describeReader, describeSchema,
} from "./facts";
import { CoreOutputs, ownerMark } from "./inputs";
import { withAdmin } from "./session";

interface RoleRow {
    rolname: string; rolcanlogin: boolean; rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean;
    rolreplication: boolean; rolbypassrls: boolean; rolinherit: boolean; rolconnlimit: number;
    mark: string | null; member_of_owner: boolean; set_role: string | null; setconfig: string[] | null;
}

const attributes = (r: RoleRow): RoleAttributes => ({
    login: r.rolcanlogin, superuser: r.rolsuper, createdb: r.rolcreatedb, createrole: r.rolcreaterole,
    replication: r.rolreplication, bypassrls: r.rolbypassrls, inherit: r.rolinherit,
});

async function roles(c: Client, o: CoreOutputs): Promise<Map<string, RoleRow>> {
    const names = [o.role, secondLogin(o.role), readerRole(o.role)];
    const r = await c.query<RoleRow>(
        `SELECT r.rolname, r.rolcanlogin, r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolreplication, r.rolbypassrls,
                r.rolinherit, r.rolconnlimit, shobj_description(r.oid, 'pg_authid') AS mark,
                EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid AND g.rolname = $2) AS member_of_owner,
                (SELECT substr(cfg, 6) FROM pg_db_role_setting s, unnest(s.setconfig) AS cfg
                  WHERE s.setrole = r.oid AND s.setdatabase = 0 AND cfg LIKE 'role=%' LIMIT 1) AS set_role,
                (SELECT s.setconfig FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0) AS setconfig
           FROM pg_roles r WHERE r.rolname = ANY($1)`, [names, o.role]);
    return new Map(r.rows.map((row) => [row.rolname, row]));
}

/** Superuser admins only: whether each login's stored verifier is the one of its declared password. */
async function passwords(c: Client, o: CoreOutputs): Promise<Map<string, boolean>> {
    const declared = new Map([[o.role, o.passwordA], [secondLogin(o.role), o.passwordB]]);
    const r = await c.query<{ rolname: string; rolpassword: string | null }>(
        "SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1)", [[...declared.keys()]]);
    return new Map(r.rows.map((row) => [row.rolname, row.rolpassword === scramVerifier(row.rolname, declared.get(row.rolname) ?? "")]));
}

async function loginFacts(c: Client, o: CoreOutputs, found: Map<string, RoleRow>): Promise<Record<string, string>> {
    const pw = o.superuser ? await passwords(c, o) : undefined;
    const mark = ownerMark(o.owner);
    const line = (name: string, second: boolean): string => {
        const r = found.get(name);
        if (!r) return MISSING;
        return describeLogin({
            attributes: attributes(r), limit: r.rolconnlimit, marked: r.mark === mark, password: pw?.get(name),
            ...(second ? { memberOf: r.member_of_owner ? o.role : null, setRole: r.set_role } : {}),
        });
    };
    return { [o.role]: line(o.role, false), [secondLogin(o.role)]: line(secondLogin(o.role), true) };
}

async function adminMember(c: Client, o: CoreOutputs): Promise<string> {
    const r = await c.query<{ member: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles a ON a.oid = m.member
                         WHERE g.rolname = $1 AND a.rolname = $2) AS member`, [o.role, o.adminUser]);
    return `${o.adminUser} ${r.rows[0].member ? "is" : "is not"} a member of ${o.role}`;
}

async function databaseState(c: Client, o: CoreOutputs): Promise<string> {
    const reader = o.readers ? readerRole(o.role) : null;
    const r = await c.query<{ owner: string; limit: number; mark: string | null; public: string[]; reader: string[] }>(
        `SELECT pg_get_userbyid(d.datdba) AS owner, d.datconnlimit AS limit, shobj_description(d.oid, 'pg_database') AS mark,
                ARRAY(SELECT a.privilege_type FROM aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a WHERE a.grantee = 0) AS public,
                ARRAY(SELECT a.privilege_type FROM aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                       JOIN pg_roles g ON g.oid = a.grantee WHERE g.rolname = $2) AS reader
           FROM pg_database d WHERE d.datname = $1`, [o.database, reader]);
    if (r.rows.length === 0) return MISSING;
    const d = r.rows[0];
    return describeDatabase({
        owner: d.owner, limit: d.limit, marked: d.mark === ownerMark(o.owner), publicPrivileges: d.public,
        ...(reader ? { reader: { name: reader, privileges: d.reader } } : {}),
    });
}

interface SchemaRow { nspname: string; owner: string; public: string[]; reader: string[]; without_select: string; by_default: boolean }

/** Schemas and extensions, read inside the service's database. */
async function inside(c: Client, o: CoreOutputs): Promise<Pick<CoreFacts, "schemaStates" | "extensionStates">> {
    const reader = o.readers ? readerRole(o.role) : null;
    const s = await c.query<SchemaRow>(
        `SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner,
                ARRAY(SELECT a.privilege_type FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a WHERE a.grantee = 0) AS public,
                ARRAY(SELECT a.privilege_type FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a WHERE a.grantee = r.oid) AS reader,
                (SELECT count(*) FROM pg_class t WHERE r.oid IS NOT NULL AND t.relnamespace = n.oid AND t.relkind IN ('r', 'p', 'v', 'm', 'f')
                    AND NOT has_table_privilege(r.oid, t.oid, 'SELECT')) AS without_select,
                EXISTS (SELECT 1 FROM pg_default_acl da, aclexplode(da.defaclacl) a
                         WHERE da.defaclrole = w.oid AND da.defaclnamespace = n.oid AND da.defaclobjtype = 'r'
                           AND a.grantee = r.oid AND a.privilege_type = 'SELECT') AS by_default
           FROM pg_namespace n LEFT JOIN pg_roles r ON r.rolname = $2 LEFT JOIN pg_roles w ON w.rolname = $3
          WHERE n.nspname = ANY($1)`, [o.schemas, reader, o.role]);
    const found = new Map(s.rows.map((row) => [row.nspname, row]));
    const e = await c.query<{ extname: string }>("SELECT extname FROM pg_extension WHERE extname = ANY($1)", [o.extensions]);
    const installed = new Set(e.rows.map((row) => row.extname));
    return {
        schemaStates: Object.fromEntries(o.schemas.map((name) => {
            const row = found.get(name);
            return [name, row ? describeSchema({
                owner: row.owner, publicPrivileges: row.public,
                ...(reader ? { reader: { name: reader, privileges: row.reader, tablesWithoutSelect: Number(row.without_select), selectByDefault: row.by_default } } : {}),
            }) : MISSING];
        })),
        extensionStates: Object.fromEntries(o.extensions.map((x) => [x, installed.has(x) ? INSTALLED : MISSING])),
    };
}

/** Every schema and extension as `missing` (no database), or as not readable (why). */
function nothingInside(o: CoreOutputs, why: string): Pick<CoreFacts, "schemaStates" | "extensionStates"> {
    return {
        schemaStates: Object.fromEntries(o.schemas.map((s) => [s, why])),
        extensionStates: Object.fromEntries(o.extensions.map((x) => [x, why])),
    };
}

/** The facts of one ServiceCore as the server shows them now. Throws when the server cannot be reached. */
export async function observeFacts(o: CoreOutputs): Promise<CoreFacts> {
    const outside = await withAdmin(o, o.maintenanceDatabase, async (c) => {
        const found = await roles(c, o);
        const reader = found.get(readerRole(o.role));
        return {
            logins: await loginFacts(c, o, found),
            loginSettings: Object.fromEntries([o.role, secondLogin(o.role)].map((l) => {
                const row = found.get(l);
                return [l, row ? describeParameters(parseSetconfig(row.setconfig), managedParameters(o.superuser)) : MISSING];
            })),
            ...(o.readers ? { readerRole: reader ? describeReader(attributes(reader), reader.mark === ownerMark(o.owner)) : MISSING } : {}),
            ...(o.superuser ? {} : { adminMember: await adminMember(c, o) }),
            databaseState: await databaseState(c, o),
        };
    });
    if (outside.databaseState === MISSING) return { ...outside, ...nothingInside(o, `${MISSING} (no database)`) };
    try {
        return { ...outside, ...await withAdmin(o, o.database, (c) => inside(c, o)) };
    } catch (e) {
        // The admin may have lost its way in (its membership revoked on a managed server): drift
        // that the next update repairs, not a refresh that fails.
        const code = (e as { code?: string }).code;
        if (code === undefined || !["42501", "3D000", "28000"].includes(code)) throw e;
        return { ...outside, ...nothingInside(o, `not readable: ${(e as Error).message}`) };
    }
}
