/**
 * What a conforming program declares for one service, resource by resource as
 * components/serviceDatabase.ts and components/readerRole.ts do: a generated password, a login
 * role, a database it owns, PUBLIC revoked on the database and each schema, optionally the admin
 * made a member (managed servers) and a NOLOGIN reader with grants in the same database.
 */
import { TYPES } from "../src/resources";
import { Fake } from "./fakes";

export interface ServiceOptions {
    readonly limit?: number;
    readonly schemas?: readonly string[];
    readonly reader?: boolean;
    /** The admin user made a member of the service role (servers whose admin is no superuser). */
    readonly adminMember?: string;
}

const pg = (provider: Fake, type: string, name: string, props: Record<string, unknown>, deps?: Record<string, readonly Fake[]>): Fake =>
    ({ type, name, props, provider, deps });

/** What a random.RandomPassword hands to a role in these fakes (test data, not a credential). */
const GENERATED_A = "generated-Pw0rd-1234567890abcdefghijklmn";
const GENERATED_B = "generated-Pw0rd-b-234567890abcdefghijklmn";

export function service(provider: Fake, svc: string, o: ServiceOptions = {}): Fake[] {
    const role = svc.replace(/-/g, "_");
    const password: Fake = { type: "random:index/randomPassword:RandomPassword", name: `${svc}-password`, props: { length: 40, special: false } };
    const out: Fake[] = [password];
    out.push(pg(provider, TYPES.role, `${svc}-role`, {
        name: role, login: true, password: GENERATED_A, superuser: false, createDatabase: false, createRole: false,
        replication: false, bypassRowLevelSecurity: false, inherit: true, connectionLimit: o.limit ?? 10,
    }, { password: [password] }));
    // The second login of servicedb's two-phase rotation: a member of the role, switching to it.
    out.push(pg(provider, TYPES.role, `${svc}-login-b`, {
        name: `${role}_b`, login: true, password: GENERATED_B, superuser: false, createDatabase: false, createRole: false,
        replication: false, bypassRowLevelSecurity: false, inherit: true, connectionLimit: o.limit ?? 10, roles: [role], assumeRole: role,
    }, { password: [password] }));
    if (o.adminMember) out.push(pg(provider, TYPES.grantRole, `${svc}-admin-member`, { role: o.adminMember, grantRole: role }));
    const reader = `${role}_reader`;
    if (o.reader) {
        out.push(pg(provider, TYPES.role, `${svc}-reader`, {
            name: reader, login: false, superuser: false, createDatabase: false, createRole: false, replication: false, bypassRowLevelSecurity: false, inherit: true,
        }));
    }
    out.push(pg(provider, TYPES.database, `${svc}-db`, { name: role, owner: role, encoding: "UTF8", template: "template0", connectionLimit: o.limit ?? 10, allowConnections: true }));
    out.push(pg(provider, TYPES.grant, `${svc}-revoke-public-db`, { database: role, role: "public", objectType: "database", privileges: [] }));
    for (const schema of o.schemas ?? ["public"]) {
        out.push(pg(provider, TYPES.schema, `${svc}-schema-${schema}`, { name: schema, database: role, owner: role, ifNotExists: true }));
        out.push(pg(provider, TYPES.grant, `${svc}-revoke-public-schema-${schema}`, { database: role, schema, role: "public", objectType: "schema", privileges: [] }));
    }
    if (o.reader) {
        out.push(pg(provider, TYPES.grant, `${svc}-reader-connect`, { database: role, role: reader, objectType: "database", privileges: ["CONNECT"] }));
        for (const schema of o.schemas ?? ["public"]) {
            out.push(pg(provider, TYPES.grant, `${svc}-reader-usage-${schema}`, { database: role, schema, role: reader, objectType: "schema", privileges: ["USAGE"] }));
            out.push(pg(provider, TYPES.grant, `${svc}-reader-tables-${schema}`, { database: role, schema, role: reader, objectType: "table", privileges: ["SELECT"], objects: [] }));
            out.push(pg(provider, TYPES.defaultPrivileges, `${svc}-reader-default-${schema}`, { database: role, schema, owner: role, role: reader, objectType: "table", privileges: ["SELECT"] }));
        }
    }
    return out;
}

/** Replaces the props of the resource named `name` (merged over the old ones). */
export function patch(resources: readonly Fake[], name: string, props: Record<string, unknown>): Fake[] {
    if (!resources.some((r) => r.name === name)) throw new Error(`no resource named ${name}`);
    return resources.map((r) => (r.name === name ? { ...r, props: { ...r.props, ...props } } : r));
}

export const without = (resources: readonly Fake[], name: string) => resources.filter((r) => r.name !== name);
