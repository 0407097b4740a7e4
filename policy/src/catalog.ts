/**
 * The PostgreSQL objects a stack declares, read once from the stack's resources for the stack
 * policies: roles, databases, grants (and default privileges), memberships and schemas, each
 * with the provider it goes through. Everything is keyed on properties (the role's `name`, the
 * database's `owner`…), never on resource names or dependency shapes.
 */
import { providerKey, StackResource, Str, TYPES } from "./resources";
import { bool, list, num, str, Unknown, UNKNOWN } from "./values";

interface Entry {
    readonly res: StackResource;
    /** Provider key (see providerKey): objects of one provider live on one server. */
    readonly provider: string;
}
export interface RoleEntry extends Entry { readonly role: Str; readonly login: boolean | Unknown; readonly connectionLimit: number | undefined | Unknown }
export interface DatabaseEntry extends Entry { readonly database: Str; readonly owner: Str }
export interface GrantEntry extends Entry {
    readonly role: Str;
    readonly database: Str;
    readonly objectType: Str;
    /** Empty: a revoke of everything (how the provider spells REVOKE ALL). */
    readonly privileges: readonly string[] | Unknown;
}
export interface MembershipEntry extends Entry { readonly member: Str; readonly granted: Str }
export interface SchemaEntry extends Entry { readonly schema: Str; readonly database: Str; readonly owner: Str }

export interface Catalog {
    readonly roles: readonly RoleEntry[];
    readonly databases: readonly DatabaseEntry[];
    /** postgresql.Grant and postgresql.DefaultPrivileges alike. */
    readonly grants: readonly GrantEntry[];
    readonly memberships: readonly MembershipEntry[];
    readonly schemas: readonly SchemaEntry[];
}

function privileges(r: StackResource): readonly string[] | Unknown {
    const v = list(r.props, "privileges");
    if (v === UNKNOWN) return UNKNOWN;
    return (v ?? []).filter((p): p is string => typeof p === "string").map((p) => p.toUpperCase());
}

export function readCatalog(resources: readonly StackResource[]): Catalog {
    const at = (type: string) => resources.filter((r) => r.type === type).map((res) => ({ res, provider: providerKey(res) }));
    const p = (e: Entry, key: string) => str(e.res.props, key);
    return {
        roles: at(TYPES.role).map((e) => ({
            ...e, role: p(e, "name"), login: bool(e.res.props, "login") ?? false, connectionLimit: num(e.res.props, "connectionLimit"),
        })),
        databases: at(TYPES.database).map((e) => ({ ...e, database: p(e, "name"), owner: p(e, "owner") })),
        grants: [...at(TYPES.grant), ...at(TYPES.defaultPrivileges)].map((e) => ({
            ...e, role: p(e, "role"), database: p(e, "database"), objectType: p(e, "objectType"), privileges: privileges(e.res),
        })),
        memberships: at(TYPES.grantRole).map((e) => ({ ...e, member: p(e, "role"), granted: p(e, "grantRole") })),
        schemas: at(TYPES.schema).map((e) => ({ ...e, schema: p(e, "name"), database: p(e, "database"), owner: p(e, "owner") })),
    };
}

/** PUBLIC, however the program spells it. */
export function isPublic(role: Str): boolean {
    return typeof role === "string" && role.toLowerCase() === "public";
}

/** The databases a role owns on a provider: a role that owns one is that service's role. */
export function ownedBy(c: Catalog, provider: string, role: string): DatabaseEntry[] {
    return c.databases.filter((d) => d.provider === provider && d.owner === role);
}

/** The stack's databases a role holds privileges in (revokes do not count). */
export function grantedIn(c: Catalog, provider: string, role: string): Set<string> {
    const names = c.databases.filter((d) => d.provider === provider).map((d) => d.database);
    const held = c.grants.filter((g) => g.provider === provider && g.role === role && g.privileges !== UNKNOWN && g.privileges.length > 0);
    return new Set(held.flatMap((g) => (typeof g.database === "string" && names.includes(g.database) ? [g.database] : [])));
}

/**
 * The service databases a role belongs to: those it owns or, for a role that owns none (a
 * reader), those it holds privileges in. Empty for roles outside every service (an admin).
 */
export function serviceOf(c: Catalog, provider: string, role: string): Set<string> {
    const owned = ownedBy(c, provider, role).flatMap((d) => (typeof d.database === "string" ? [d.database] : []));
    return owned.length > 0 ? new Set(owned) : grantedIn(c, provider, role);
}
