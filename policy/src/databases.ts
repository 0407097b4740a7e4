/**
 * Databases: PUBLIC shut out of every database (a revoke on the same provider, no grant to
 * PUBLIC), and each database owned by a login role of its own that owns nothing else.
 */
import { stackPolicy } from "./define";
import { Catalog, DatabaseEntry, isPublic, ownedBy, readCatalog } from "./catalog";
import { Finding, subject } from "./resources";
import { sameOrUnknown, UNKNOWN } from "./values";

const who = (e: { res: { type: string; name: string } }, object?: unknown) =>
    subject(e.res.type, e.res.name, typeof object === "string" ? object : undefined);

function hasPublicRevoke(c: Catalog, d: DatabaseEntry): boolean {
    return c.grants.some((g) => g.provider === d.provider && isPublic(g.role)
        && (g.objectType === "database" || g.objectType === UNKNOWN) && sameOrUnknown(g.database, d.database)
        && (g.privileges === UNKNOWN || g.privileges.length === 0));
}

/** Databases without a PUBLIC revoke, and grants that hand PUBLIC privileges in a database of the stack. */
export function publicAccessFindings(c: Catalog): Finding[] {
    const missing = c.databases.filter((d) => d.database !== UNKNOWN && !hasPublicRevoke(c, d)).map((d) => ({
        urn: d.res.urn,
        message: `${who(d, d.database)}: no PUBLIC revoke on the same provider — every role of the server can CONNECT and create TEMP tables in it; `
            + `declare postgresql.Grant { database: "${String(d.database)}", role: "public", objectType: "database", privileges: [] } with the database's provider.`,
    }));
    const granted = c.grants.filter((g) => isPublic(g.role) && g.privileges !== UNKNOWN && g.privileges.length > 0
        && c.databases.some((d) => d.provider === g.provider && sameOrUnknown(d.database, g.database))).map((g) => ({
        urn: g.res.urn,
        message: `${who(g)}: privileges [${g.privileges === UNKNOWN ? "" : g.privileges.join(", ")}] are granted to PUBLIC in database "${String(g.database)}" — `
            + "every role of the server gets them; grant them to the roles that need them and keep privileges: [] for public.",
    }));
    return [...missing, ...granted];
}

/** Databases whose owner is not a login role of their own, and schemas owned by another database's role. */
export function ownerFindings(c: Catalog): Finding[] {
    const out: Finding[] = [];
    for (const d of c.databases) {
        const at = who(d, d.database);
        if (typeof d.owner !== "string") {
            // Not known at preview and no resource behind it: the program set none, and the
            // provider fills in the admin (the engine's planned value is unknown, not unset).
            const fromResource = (d.res.propertyDependencies?.owner ?? []).length > 0;
            if (d.owner === undefined || !fromResource) {
                out.push({ urn: d.res.urn, message: `${at}: owner is unset — the database would belong to the provider's admin user; set owner to the service's own login role.` });
            }
            continue;
        }
        const owner = d.owner;
        const role = c.roles.find((r) => r.provider === d.provider && r.role === owner);
        if (!role) {
            out.push({ urn: d.res.urn, message: `${at}: owner "${owner}" is not a postgresql.Role declared in this stack on the same provider — declare the service's login role and make it the owner.` });
        } else if (role.login === false) {
            out.push({ urn: d.res.urn, message: `${at}: owner "${owner}" is a NOLOGIN role — the owner is the service's own login role; set login: true on it or give the database a login role.` });
        }
        const others = ownedBy(c, d.provider, owner).filter((o) => o !== d).map((o) => `"${String(o.database)}"`);
        if (others.length > 0) {
            out.push({ urn: d.res.urn, message: `${at}: owner "${owner}" also owns database ${others.join(", ")} — one login role per database; give each database a role of its own.` });
        }
    }
    for (const s of c.schemas) {
        if (typeof s.owner !== "string" || s.database === UNKNOWN) continue;
        const homes = ownedBy(c, s.provider, s.owner).map((d) => d.database);
        if (homes.length > 0 && !homes.some((h) => sameOrUnknown(h, s.database))) {
            out.push({ urn: s.res.urn, message: `${who(s, s.schema)}: owner "${s.owner}" owns database "${String(homes[0])}" but this schema is in database "${String(s.database)}" — a service role owns objects in its own database only; make the schema's database owner its owner.` });
        }
    }
    return out;
}

export const databasePublicRevoke = stackPolicy({
    name: "postgresql-database-public-revoke",
    description: "Every postgresql.Database has a PUBLIC revoke (privileges: [] on objectType database, same provider), and nothing grants PUBLIC privileges in it.",
    enforcementLevel: "mandatory",
    findings: (resources) => publicAccessFindings(readCatalog(resources)),
});

export const databaseOwner = stackPolicy({
    name: "postgresql-database-owner",
    description: "Every postgresql.Database is owned by a login role declared in the stack that owns no other database, and that role's schemas are in its own database.",
    enforcementLevel: "mandatory",
    findings: (resources) => ownerFindings(readCatalog(resources)),
});
