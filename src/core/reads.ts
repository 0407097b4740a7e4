/**
 * What a service may read of the others on its server (`reads:`), as SQL and as facts: both
 * logins (through the owning role: the second login is a member and switches to it) get CONNECT
 * on the read database, USAGE on the read schemas, SELECT on their tables and views, and SELECT
 * on the tables the read service's role creates later. The same privileges the resource chain
 * declares with the postgresql provider's Grant and DefaultPrivileges. Pure.
 */
import { escapeIdentifier as id } from "pg";

/** One read: a database of the same server, its owning role, the schemas read. */
export interface ReadGrant {
    readonly service: string;
    readonly database: string;
    readonly owner: string;
    readonly schemas: readonly string[];
}

/** Statements on the maintenance database: exactly CONNECT on each read database. */
export function grantDatabase(role: string, g: ReadGrant): string[] {
    return [`REVOKE ALL ON DATABASE ${id(g.database)} FROM ${id(role)}`, `GRANT CONNECT ON DATABASE ${id(g.database)} TO ${id(role)}`];
}

/** Statements inside the read database: per schema USAGE, SELECT on its tables, now and later. */
export function grantInside(role: string, g: ReadGrant): string[] {
    const r = id(role);
    return g.schemas.flatMap((s) => {
        const schema = id(s);
        return [
            `REVOKE ALL ON SCHEMA ${schema} FROM ${r}`, `GRANT USAGE ON SCHEMA ${schema} TO ${r}`,
            `REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${r}`, `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${r}`,
            `ALTER DEFAULT PRIVILEGES FOR ROLE ${id(g.owner)} IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${r}`,
        ];
    });
}

/** Inside a database no longer read (or read narrower): the schemas' privileges taken back. */
export function revokeInside(role: string, owner: string, schemas: readonly string[]): string[] {
    const r = id(role);
    return schemas.flatMap((s) => [
        `REVOKE ALL ON ALL TABLES IN SCHEMA ${id(s)} FROM ${r}`, `REVOKE ALL ON SCHEMA ${id(s)} FROM ${r}`,
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${id(owner)} IN SCHEMA ${id(s)} REVOKE ALL ON TABLES FROM ${r}`,
    ]);
}

export function revokeDatabase(role: string, database: string): string[] {
    return [`REVOKE ALL ON DATABASE ${id(database)} FROM ${id(role)}`];
}

/** What a read looks like on a converged server, one line per read database. */
export function describeRead(r: {
    readonly connect: readonly string[];
    readonly schemas: readonly { readonly name: string; readonly usage: readonly string[]; readonly tablesWithoutSelect: number; readonly selectByDefault: boolean }[];
}): string {
    const list = (p: readonly string[]) => (p.length === 0 ? "none" : [...new Set(p)].sort().join(" "));
    return [`database: ${list(r.connect)}`, ...r.schemas.map((s) => `${s.name}: ${list(s.usage)}, ${s.tablesWithoutSelect === 0 ? "SELECT on every table" : `no SELECT on ${s.tablesWithoutSelect} table(s)`}, ${s.selectByDefault ? "SELECT on future tables" : "no SELECT on future tables"}`)].join("; ");
}

export function expectedRead(g: ReadGrant): string {
    return describeRead({ connect: ["CONNECT"], schemas: g.schemas.map((name) => ({ name, usage: ["USAGE"], tablesWithoutSelect: 0, selectByDefault: true })) });
}

/** Removed reads and schemas of an update: what to take back. */
export function removedReads(olds: readonly ReadGrant[], news: readonly ReadGrant[]): { database: string; owner: string; schemas: string[]; whole: boolean }[] {
    return olds.flatMap((o) => {
        const n = news.find((x) => x.database === o.database);
        const schemas = o.schemas.filter((s) => !n?.schemas.includes(s));
        if (n && schemas.length === 0) return [];
        return [{ database: o.database, owner: o.owner, schemas, whole: n === undefined }];
    });
}
