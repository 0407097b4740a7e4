/**
 * No path from one service into another: no grant (or default privilege) that gives a service's
 * role privileges in another service's database, no membership of one service's role in
 * another's, and no predefined role that reads or writes across databases.
 */
import { stackPolicy } from "./define";
import { Catalog, grantedIn, isPublic, ownedBy, readCatalog, serviceOf } from "./catalog";
import { Finding, TYPES, subject } from "./resources";

/** What a declared read may hold in the read service's database. */
const READ_PRIVILEGES: readonly string[] = ["CONNECT", "USAGE", "SELECT"];
import { UNKNOWN } from "./values";

/** Predefined roles whose members reach beyond their own database. */
export const CROSS_DATABASE_ROLES = [
    "pg_read_all_data", "pg_write_all_data", "pg_read_server_files", "pg_write_server_files",
    "pg_execute_server_program", "pg_signal_backend",
];

export interface CrossServiceConfig {
    /** Roles allowed to hold privileges in several services' databases (e.g. a platform-wide auditor). */
    readonly sharedRoles?: readonly string[];
}

const quoted = (names: Iterable<unknown>) => [...names].map((n) => `"${String(n)}"`).join(", ");

export function grantFindings(c: Catalog, config: CrossServiceConfig = {}): Finding[] {
    const out: Finding[] = [];
    const reported = new Set<string>();
    for (const g of c.grants) {
        const role = g.role;
        if (typeof role !== "string" || isPublic(role) || (config.sharedRoles ?? []).includes(role)) continue;
        if (g.privileges === UNKNOWN || g.privileges.length === 0 || typeof g.database !== "string") continue;
        if (!c.databases.some((d) => d.provider === g.provider && d.database === g.database)) continue;
        const at = subject(g.res.type, g.res.name);
        // Declared by `reads:`, and read-only: what servicedb grants for a read.
        if (g.res.parent?.type === TYPES.serviceRead && g.privileges.every((x) => READ_PRIVILEGES.includes(x))) continue;
        const owned = ownedBy(c, g.provider, role).map((d) => d.database);
        if (owned.length > 0 && !owned.includes(g.database)) {
            out.push({ urn: g.res.urn, message: `${at}: gives role "${role}" (owner of database ${quoted(owned)}) [${g.privileges.join(", ")}] in database "${g.database}", another service's database — `
                + "a service's role reaches its own database only; remove the grant, and declare a read with `reads:` on the reading service if it must read that data." });
            continue;
        }
        const held = grantedIn(c, g.provider, role);
        if (owned.length === 0 && held.size > 1 && !reported.has(`${g.provider}|${role}`)) {
            reported.add(`${g.provider}|${role}`);
            out.push({ urn: g.res.urn, message: `${at}: role "${role}" holds privileges in databases ${quoted([...held].sort())} of different services — `
                + "a role serves one service's database; declare one role per database, or list it in this policy's sharedRoles if it is meant to span services." });
        }
    }
    return out;
}

export function membershipFindings(c: Catalog, config: CrossServiceConfig = {}): Finding[] {
    const out: Finding[] = [];
    const shared = config.sharedRoles ?? [];
    for (const m of c.memberships) {
        if (typeof m.member !== "string" || typeof m.granted !== "string" || shared.includes(m.member) || shared.includes(m.granted)) continue;
        const at = subject(m.res.type, m.res.name);
        const mine = serviceOf(c, m.provider, m.member);
        if (CROSS_DATABASE_ROLES.includes(m.granted) && mine.size > 0) {
            out.push({ urn: m.res.urn, message: `${at}: makes "${m.member}" (role of database ${quoted(mine)}) a member of ${m.granted}, which reaches every database — remove the membership.` });
            continue;
        }
        const theirs = serviceOf(c, m.provider, m.granted);
        if (mine.size > 0 && theirs.size > 0 && ![...mine].some((d) => theirs.has(d))) {
            out.push({ urn: m.res.urn, message: `${at}: makes "${m.member}" (role of database ${quoted(mine)}) a member of "${m.granted}" (role of database ${quoted(theirs)}) — `
                + "one service's role never joins another's; remove the GrantRole, or grant the reader role to a login outside the services." });
        }
    }
    return out;
}

export const crossServiceAccess = stackPolicy<CrossServiceConfig>({
    name: "postgresql-cross-service-access",
    description: "No grant gives one service's role privileges in another service's database; no role is a member of another service's role or of a cross-database predefined role.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            sharedRoles: { type: "array", items: { type: "string" }, description: "Roles allowed to hold privileges in several services' databases." },
        },
    },
    findings: (resources, config) => {
        const c = readCatalog(resources);
        return [...grantFindings(c, config), ...membershipFindings(c, config)];
    },
});
