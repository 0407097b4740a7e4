/**
 * What the bench's `bundled` prototype does for one service, on one admin connection to the
 * maintenance database and one to the service's database: the core of what servicedb's
 * ServiceDatabase declares as six postgresql resources (two logins, the database, PUBLIC's
 * privileges revoked on it and on schema public, the schema owned by the role). A measurement of
 * what one provider step per service would cost (bench/engine.bench.ts, variant `bundled`), not
 * a part of servicedb: no import, no repair, no rotation, no policy checks.
 */
import { Client } from "pg";

export interface CoreInputs {
    readonly host: string;
    readonly port: number;
    readonly adminUser: string;
    readonly role: string;
    readonly secondLogin: string;
    readonly database: string;
    readonly connectionLimit: number;
    /** The two logins' passwords (secrets in the state). */
    readonly passwordA: string;
    readonly passwordB: string;
}

async function withClient<T>(i: CoreInputs, database: string, fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client({ host: i.host, port: i.port, user: i.adminUser, database, application_name: "servicedb-bench-bundled" });
    await c.connect();
    try {
        return await fn(c);
    } finally {
        await c.end();
    }
}

const LOGIN = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";

/** Creates the logins, the database and the revokes; a failure drops what this call created. */
export async function createCore(i: CoreInputs): Promise<void> {
    const limit = Math.trunc(i.connectionLimit);
    await withClient(i, "postgres", async (c) => {
        const [role, login2, db] = [i.role, i.secondLogin, i.database].map((n) => c.escapeIdentifier(n));
        await c.query("BEGIN");
        await c.query(`CREATE ROLE ${role} ${LOGIN} CONNECTION LIMIT ${limit} PASSWORD ${c.escapeLiteral(i.passwordA)}`);
        await c.query(`CREATE ROLE ${login2} ${LOGIN} CONNECTION LIMIT ${limit} IN ROLE ${role} PASSWORD ${c.escapeLiteral(i.passwordB)}`);
        await c.query(`ALTER ROLE ${login2} SET role = ${c.escapeLiteral(i.role)}`);
        await c.query("COMMIT");
        let created = false;
        try {
            // CREATE DATABASE cannot run inside a transaction block.
            await c.query(`CREATE DATABASE ${db} OWNER ${role} TEMPLATE template0 ENCODING 'UTF8' CONNECTION LIMIT ${limit}`);
            created = true;
            await c.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
        } catch (e) {
            // Only what this call created: a database of that name that was there before stays.
            if (created) await c.query(`DROP DATABASE ${db}`);
            await c.query(`DROP ROLE ${login2}`);
            await c.query(`DROP ROLE ${role}`);
            throw e;
        }
    });
    await withClient(i, i.database, async (c) => {
        const role = c.escapeIdentifier(i.role);
        await c.query(`ALTER SCHEMA public OWNER TO ${role}; REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    });
}

/** Drops the database (its sessions ended) and both logins. */
export async function deleteCore(i: CoreInputs): Promise<void> {
    await withClient(i, "postgres", async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(i.database)} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(i.secondLogin)}`);
        await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(i.role)}`);
    });
}
