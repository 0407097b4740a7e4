/**
 * The database a restore writes into: the service's own, or a scratch database made for
 * inspection (`--as <name>`, created by an admin, owned by the service role). "Non-empty" means
 * any table, sequence, view, materialized view, foreign table or function in a non-system
 * schema, not counting objects that belong to an extension.
 */
import { ClientConfig } from "pg";
import { withConnection } from "../connect";
import { BackupError } from "./pgTools";

/** A scratch database name: letters, digits, `_` and `-`, at most 63 bytes. */
export function checkScratchName(name: string, liveDatabase: string): string | undefined {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) return `--as "${name}": use letters, digits, "_" and "-" (starting with a letter or "_")`;
    if (Buffer.byteLength(name) > 63) return `--as "${name}": longer than PostgreSQL's 63-byte limit for names`;
    if (name === liveDatabase) return `--as "${name}" is the service's live database; to restore into it, leave out --as`;
    return undefined;
}

/** `dbname='…'` for pg_restore's --dbname, so no database name is read as a connection string. */
export function conninfoDbname(name: string): string {
    return `dbname='${name.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

const NON_SYSTEM = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;
const NOT_EXTENSION = (cls: string, oid: string) => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${cls}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

/** The query that lists what makes a database non-empty (names, in order). */
export const CONTENT_SQL = `
    SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f') AND ${NON_SYSTEM} AND ${NOT_EXTENSION("pg_class", "c.oid")}
    UNION ALL
    SELECT n.nspname || '.' || p.proname || '()' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE ${NON_SYSTEM} AND ${NOT_EXTENSION("pg_proc", "p.oid")}
    ORDER BY 1`;

export async function contentOf(config: ClientConfig): Promise<string[]> {
    return withConnection(config, async (c) => (await c.query<{ name: string }>(CONTENT_SQL)).rows.map((r) => r.name));
}

/** The refusal for a non-empty target, naming a few of its objects and the ways forward. */
export function nonEmptyProblem(database: string, content: readonly string[]): string {
    const some = content.slice(0, 3).join(", ") + (content.length > 3 ? ", …" : "");
    return `database ${database} is not empty (${content.length} object(s): ${some}); nothing was restored. ` +
        "Use --clean to drop and recreate the backup's objects, --force to restore on top of what is there, or --as <name> for a new scratch database";
}

export async function databaseExists(serviceConfig: ClientConfig, name: string): Promise<boolean> {
    return withConnection(serviceConfig, async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rows.length > 0);
}

/** Creates the scratch database as the admin, owned by the service role, closed to PUBLIC. */
export async function createScratch(adminUrl: string | undefined, name: string, owner: string): Promise<void> {
    if (!adminUrl) {
        throw new BackupError(`database ${name} does not exist and the service role may not create databases; give --admin-url <url of a role with CREATEDB> to create it, or create it yourself (owned by ${owner})`);
    }
    await withConnection({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 }, async (c) => {
        await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} OWNER ${c.escapeIdentifier(owner)} ENCODING 'UTF8' TEMPLATE template0`);
        await c.query(`REVOKE ALL ON DATABASE ${c.escapeIdentifier(name)} FROM PUBLIC`);
    });
}
