/**
 * The SQL of a ServiceCore, as statement lists (pure: every identifier through escapeIdentifier,
 * every value through escapeLiteral). src/core/provider.ts decides which lists run, on which
 * connection and in which transaction.
 */
import { escapeIdentifier as id, escapeLiteral as lit } from "pg";
import { readerRole } from "../names";
import { databaseConnectionLimit } from "../pool";
import { secondLogin } from "../rotation";
import type { CoreInputs } from "./inputs";

const PLAIN = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";
/**
 * What ALTER ROLE may say: PostgreSQL lets only a superuser name SUPERUSER, REPLICATION or
 * BYPASSRLS in an ALTER ROLE, even to switch them off (a managed server's admin gets "must be
 * superuser to alter superuser roles"). A role that has one of them was changed by a superuser,
 * and only one can take it back: the refresh shows it, the update fails saying so.
 */
const plainAlter = (superuserAdmin: boolean) => (superuserAdmin ? PLAIN : "NOCREATEDB NOCREATEROLE INHERIT");

const databaseLimit = (i: CoreInputs) => databaseConnectionLimit(i.connectionLimit, i.superuser, i.reservedConnections);

function limit(n: number): string {
    return `CONNECTION LIMIT ${Math.trunc(n)}`;
}

/** A new login (`verifier`: its SCRAM-SHA-256 verifier, never the password), marked as ours. */
export function createLogin(name: string, verifier: string, connectionLimit: number, mark: string): string[] {
    return [
        `CREATE ROLE ${id(name)} LOGIN ${PLAIN} ${limit(connectionLimit)} PASSWORD ${lit(verifier)}`,
        `COMMENT ON ROLE ${id(name)} IS ${lit(mark)}`,
    ];
}

/** An existing login brought to what the inputs say (attributes, limit, password, mark). */
export function alterLogin(name: string, verifier: string, connectionLimit: number, mark: string, superuserAdmin: boolean): string[] {
    return [
        `ALTER ROLE ${id(name)} LOGIN ${plainAlter(superuserAdmin)} ${limit(connectionLimit)} PASSWORD ${lit(verifier)}`,
        `COMMENT ON ROLE ${id(name)} IS ${lit(mark)}`,
    ];
}

/** The second login is a member of the owning role and becomes it at login. */
export function secondLoginSetup(role: string): string[] {
    const b = secondLogin(role);
    return [`GRANT ${id(role)} TO ${id(b)}`, `ALTER ROLE ${id(b)} SET role = ${lit(role)}`];
}

/** The reader role, created or (`exists`) brought back to its attributes and mark. */
export function reader(role: string, mark: string, exists: boolean, superuserAdmin: boolean): string[] {
    const r = id(readerRole(role));
    return [exists ? `ALTER ROLE ${r} NOLOGIN ${plainAlter(superuserAdmin)}` : `CREATE ROLE ${r} NOLOGIN ${PLAIN}`, `COMMENT ON ROLE ${r} IS ${lit(mark)}`];
}

/** Managed servers: REVOKE … FROM PUBLIC on the role's database takes effect only for a member. */
export function adminMembership(role: string, adminUser: string): string[] {
    return [`GRANT ${id(role)} TO ${id(adminUser)}`];
}

/** CREATE DATABASE cannot run in a transaction: its own statement, then the comment. */
export function createDatabase(i: CoreInputs): string {
    return `CREATE DATABASE ${id(i.database)} OWNER ${id(i.role)} TEMPLATE template0 ENCODING 'UTF8' ${limit(databaseLimit(i))}`;
}

/** What every database of a service gets, new or adopted: owner, limit, mark, PUBLIC shut out. */
export function databaseSettings(i: CoreInputs, mark: string): string[] {
    const db = id(i.database);
    return [
        `ALTER DATABASE ${db} OWNER TO ${id(i.role)}`,
        `ALTER DATABASE ${db} ALLOW_CONNECTIONS true ${limit(databaseLimit(i))}`,
        `COMMENT ON DATABASE ${db} IS ${lit(mark)}`,
        `REVOKE ALL ON DATABASE ${db} FROM PUBLIC`,
        ...(i.readers ? [`REVOKE ALL ON DATABASE ${db} FROM ${id(readerRole(i.role))}`, `GRANT CONNECT ON DATABASE ${db} TO ${id(readerRole(i.role))}`] : []),
    ];
}

/**
 * Inside the service's database: schemas, extensions (before the grants, so that the reader's
 * SELECT covers the tables an extension brings), then each schema's owner, PUBLIC revoked and the
 * reader's grants.
 */
export function insideDatabase(i: CoreInputs): string[] {
    const role = id(i.role);
    const out = i.schemas.map((s) => `CREATE SCHEMA IF NOT EXISTS ${id(s)} AUTHORIZATION ${role}`);
    for (const e of i.extensions) out.push(`CREATE EXTENSION IF NOT EXISTS ${id(e)} CASCADE`);
    for (const s of i.schemas) {
        const schema = id(s);
        out.push(`ALTER SCHEMA ${schema} OWNER TO ${role}`, `REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`);
        if (i.readers) {
            const reader = id(readerRole(i.role));
            out.push(`REVOKE ALL ON SCHEMA ${schema} FROM ${reader}`, `GRANT USAGE ON SCHEMA ${schema} TO ${reader}`, `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${reader}`,
                `ALTER DEFAULT PRIVILEGES FOR ROLE ${role} IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${reader}`);
        }
    }
    return out;
}

export interface Rename { readonly kind: "ROLE" | "DATABASE"; readonly from: string; readonly to: string }

/** Renames of an update: the role and its companions, and the database (the second login's role switch follows in secondLoginSetup). */
export function renames(olds: CoreInputs, news: CoreInputs): Rename[] {
    const out: Rename[] = [];
    if (olds.role !== news.role) {
        out.push({ kind: "ROLE", from: olds.role, to: news.role }, { kind: "ROLE", from: secondLogin(olds.role), to: secondLogin(news.role) });
        if (olds.readers) out.push({ kind: "ROLE", from: readerRole(olds.role), to: readerRole(news.role) });
    }
    if (olds.database !== news.database) out.push({ kind: "DATABASE", from: olds.database, to: news.database });
    return out;
}

export function renameStatement(r: Rename): string {
    return `ALTER ${r.kind} ${id(r.from)} RENAME TO ${id(r.to)}`;
}

/** Dropping the reader, inside the service's database first (its grants and default privileges). */
export function dropReaderInside(role: string): string[] {
    return [`DROP OWNED BY ${id(readerRole(role))}`];
}

/** After the database is gone: the service's roles (reader, second login, owner). */
export function dropRoles(role: string): string[] {
    return [readerRole(role), secondLogin(role), role].map((r) => `DROP ROLE IF EXISTS ${id(r)}`);
}
