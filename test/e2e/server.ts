/**
 * The local server as the end-to-end suites see it: an admin connection, and the roles and
 * databases a suite left behind (by a crashed run, or a faulty destroy), found by name prefix.
 */
import { Client } from "pg";

export const ADMIN = { host: "127.0.0.1", port: 5432, user: "postgres", database: "postgres" };

export async function asAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client(ADMIN);
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
}

/** `prefix` as a LIKE pattern that matches it literally, then anything. */
const like = (prefix: string) => `${prefix.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** Databases and roles whose names start with `prefix`. */
export const leftovers = (prefix: string) => asAdmin(async (c) => {
    const dbs = await c.query<{ n: string }>("SELECT datname AS n FROM pg_database WHERE datname LIKE $1 ORDER BY 1", [like(prefix)]);
    const roles = await c.query<{ n: string }>("SELECT rolname AS n FROM pg_roles WHERE rolname LIKE $1 ORDER BY 1", [like(prefix)]);
    return { databases: dbs.rows.map((r) => r.n), roles: roles.rows.map((r) => r.n) };
});

/** Drops them: databases first (sessions ended), then roles, longest names (companions) first. */
export async function dropLeftovers(prefix: string): Promise<void> {
    const { databases, roles } = await leftovers(prefix);
    await asAdmin(async (c) => {
        for (const d of databases) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(d)} WITH (FORCE)`);
        for (const r of roles.sort((a, b) => b.length - a.length)) {
            await c.query(`DROP OWNED BY ${c.escapeIdentifier(r)}`).catch(() => undefined);
            await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(r)}`);
        }
    });
}
