/**
 * Databases owned by a plain (non-superuser) login role, as a service's database is, plus a
 * second role the owner is a member of (for files that SET ROLE). Random names; `drop` removes
 * all of it, and is safe to call after a failure.
 */
import { randomBytes } from "crypto";
import { Client, ClientConfig } from "pg";
import { ADMIN, asAdmin } from "./scratch";

export interface Owned {
    readonly owner: string;
    /** A NOLOGIN role granted to the owner, with no privileges of its own. */
    readonly member: string;
    readonly databases: readonly string[];
    config(database: string): ClientConfig;
    /** A connected client as the owner (closed by `drop`). */
    client(database: string, options?: string): Promise<Client>;
    drop(): Promise<void>;
}

export async function ownedDatabases(count = 1, prefix = "sdb_own"): Promise<Owned> {
    const tag = randomBytes(4).toString("hex");
    const owner = `${prefix}_${tag}`;
    const member = `${prefix}_${tag}_member`;
    const databases = Array.from({ length: count }, (_, i) => `${prefix}_${tag}_${i}`);
    const clients: Client[] = [];
    const config = (database: string): ClientConfig => ({ ...ADMIN, user: owner, database });
    const drop = async () => {
        await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
        await asAdmin(async (c) => {
            for (const d of databases) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(d)} WITH (FORCE)`);
            await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(member)}`);
            await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(owner)}`);
        });
    };
    try {
        await asAdmin(async (c) => {
            await c.query(`CREATE ROLE ${c.escapeIdentifier(owner)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
            await c.query(`CREATE ROLE ${c.escapeIdentifier(member)} NOLOGIN`);
            await c.query(`GRANT ${c.escapeIdentifier(member)} TO ${c.escapeIdentifier(owner)}`);
            for (const d of databases) await c.query(`CREATE DATABASE ${c.escapeIdentifier(d)} OWNER ${c.escapeIdentifier(owner)}`);
        });
        // As on PostgreSQL 15+ with a service database: the owner owns schema public.
        for (const d of databases) await asAdmin((c) => c.query(`ALTER SCHEMA public OWNER TO ${c.escapeIdentifier(owner)}`), d);
    } catch (e) {
        await drop();
        throw e;
    }
    return {
        owner, member, databases, config, drop,
        async client(database, options) {
            const c = new Client({ ...config(database), ...(options ? { options } : {}) });
            c.on("error", () => undefined);
            await c.connect();
            clients.push(c);
            return c;
        },
    };
}
