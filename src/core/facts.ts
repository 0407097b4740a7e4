/**
 * What a ServiceCore owns on the server, as facts a preview can compare: one line per object,
 * the same shape whether it is what the inputs declare (`expectedFacts`, added to the inputs by
 * the provider's `check`) or what the server's catalog says (src/core/observe.ts, on refresh).
 * A drifted object shows as a changed key (`~ databaseState`, `~ logins`), an `up` converges it.
 * Pure.
 */
import { describeParameters, managedParameters } from "../guards";
import { readerRole } from "../names";
import { databaseConnectionLimit } from "../pool";
import { secondLogin } from "../rotation";
import type { CoreInputs } from "./inputs";

export interface CoreFacts {
    /** Each login: attributes, limit, mark, password (superuser admins only), the second login's membership and role switch. */
    readonly logins: Record<string, string>;
    /** Each login's guardrails (role-level parameters servicedb manages). */
    readonly loginSettings: Record<string, string>;
    /** `<role>_reader`'s attributes and mark, when the service declares a reader. */
    readonly readerRole?: string;
    /** On managed servers: whether the admin is a member of the service's role. */
    readonly adminMember?: string;
    /** The database: owner, limit, mark, PUBLIC's and the reader's privileges. */
    readonly databaseState: string;
    /** Each declared schema: owner, PUBLIC's privileges, the reader's grants. */
    readonly schemaStates: Record<string, string>;
    /** Each declared extension: installed or missing. */
    readonly extensionStates: Record<string, string>;
}

/** The keys of CoreFacts: inputs derived from the declared ones, never set by a user. */
export const FACT_KEYS = ["logins", "loginSettings", "readerRole", "adminMember", "databaseState", "schemaStates", "extensionStates"] as const;

export const MISSING = "missing";
export const INSTALLED = "installed";

/** A role's attributes as PostgreSQL names them, in a fixed order. */
export interface RoleAttributes {
    readonly login: boolean;
    readonly superuser: boolean;
    readonly createdb: boolean;
    readonly createrole: boolean;
    readonly replication: boolean;
    readonly bypassrls: boolean;
    readonly inherit: boolean;
}

const PLAIN: RoleAttributes = { login: true, superuser: false, createdb: false, createrole: false, replication: false, bypassrls: false, inherit: true };

export function describeAttributes(a: RoleAttributes): string {
    const flag = (on: boolean, name: string) => (on ? name : `NO${name}`);
    return [flag(a.login, "LOGIN"), flag(a.superuser, "SUPERUSER"), flag(a.createdb, "CREATEDB"), flag(a.createrole, "CREATEROLE"),
        flag(a.replication, "REPLICATION"), flag(a.bypassrls, "BYPASSRLS"), flag(a.inherit, "INHERIT")].join(" ");
}

/** One login as a line: `LOGIN NOSUPERUSER … CONNECTION LIMIT 10, marked[, password as declared][, member of x, SET role=x]`. */
export function describeLogin(l: {
    readonly attributes: RoleAttributes; readonly limit: number; readonly marked: boolean;
    readonly password?: boolean; readonly memberOf?: string | null; readonly setRole?: string | null;
}): string {
    const parts = [`${describeAttributes(l.attributes)} CONNECTION LIMIT ${l.limit}`, l.marked ? "marked" : "not marked"];
    if (l.password !== undefined) parts.push(l.password ? "password as declared" : "password changed outside servicedb");
    if (l.memberOf !== undefined) parts.push(l.memberOf === null ? "member of nothing" : `member of ${l.memberOf}`);
    if (l.setRole !== undefined) parts.push(l.setRole === null ? "no role switch" : `SET role=${l.setRole}`);
    return parts.join(", ");
}

export function describeReader(attributes: RoleAttributes, marked: boolean): string {
    return `${describeAttributes(attributes)}, ${marked ? "marked" : "not marked"}`;
}

/** `none`, or the privileges sorted and comma-separated. */
export function privilegeList(privileges: readonly string[]): string {
    return privileges.length === 0 ? "none" : [...new Set(privileges)].sort().join(" ");
}

export function describeDatabase(d: {
    readonly owner: string; readonly limit: number; readonly marked: boolean;
    readonly publicPrivileges: readonly string[]; readonly reader?: { readonly name: string; readonly privileges: readonly string[] };
}): string {
    const parts = [`owner ${d.owner}`, `CONNECTION LIMIT ${d.limit}`, d.marked ? "marked" : "not marked", `PUBLIC: ${privilegeList(d.publicPrivileges)}`];
    if (d.reader) parts.push(`${d.reader.name}: ${privilegeList(d.reader.privileges)}`);
    return parts.join(", ");
}

export function describeSchema(s: {
    readonly owner: string; readonly publicPrivileges: readonly string[];
    readonly reader?: { readonly name: string; readonly privileges: readonly string[]; readonly tablesWithoutSelect: number; readonly selectByDefault: boolean };
}): string {
    const parts = [`owner ${s.owner}`, `PUBLIC: ${privilegeList(s.publicPrivileges)}`];
    if (s.reader) {
        const r = s.reader;
        parts.push(`${r.name}: ${privilegeList(r.privileges)}`,
            r.tablesWithoutSelect === 0 ? "SELECT on every table" : `no SELECT on ${r.tablesWithoutSelect} table(s)`,
            r.selectByDefault ? "SELECT on future tables" : "no SELECT on future tables");
    }
    return parts.join(", ");
}

/** What the inputs declare, as facts: what `observeFacts` reads back from a converged server. */
export function expectedFacts(i: CoreInputs): CoreFacts {
    const reader = i.readers ? readerRole(i.role) : undefined;
    const password = i.superuser ? true : undefined;
    const login = { attributes: PLAIN, limit: i.connectionLimit, marked: true, password };
    return {
        logins: {
            [i.role]: describeLogin(login),
            [secondLogin(i.role)]: describeLogin({ ...login, memberOf: i.role, setRole: i.role }),
        },
        loginSettings: Object.fromEntries([i.role, secondLogin(i.role)].map((l) => [l, describeParameters(i.parameters, managedParameters(i.superuser))])),
        ...(reader ? { readerRole: describeReader({ ...PLAIN, login: false }, true) } : {}),
        ...(i.superuser ? {} : { adminMember: `${i.adminUser} is a member of ${i.role}` }),
        databaseState: describeDatabase({
            owner: i.role, limit: databaseConnectionLimit(i.connectionLimit, i.superuser, i.reservedConnections), marked: true, publicPrivileges: [],
            ...(reader ? { reader: { name: reader, privileges: ["CONNECT"] } } : {}),
        }),
        schemaStates: Object.fromEntries(i.schemas.map((s) => [s, describeSchema({
            owner: i.role, publicPrivileges: [],
            ...(reader ? { reader: { name: reader, privileges: ["USAGE"], tablesWithoutSelect: 0, selectByDefault: true } } : {}),
        })])),
        extensionStates: Object.fromEntries(i.extensions.map((e) => [e, INSTALLED])),
    };
}

/** The inputs with their expected facts: what `check` hands to diff, create and update. */
export function withExpectedFacts<T extends CoreInputs>(i: T): T & CoreFacts {
    return { ...i, ...expectedFacts(i) };
}
