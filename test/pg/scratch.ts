/**
 * Scratch databases on the real server (127.0.0.1:5432, trust auth): each test makes its own and
 * drops it, so nothing depends on leftovers.
 */
import { randomBytes } from "crypto";
import { Client, ClientConfig } from "pg";

export const ADMIN: ClientConfig = {
    host: process.env.PGHOST ?? "127.0.0.1",
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? "postgres",
    database: "postgres",
};

export async function asAdmin<T>(fn: (c: Client) => Promise<T>, database = "postgres"): Promise<T> {
    const c = new Client({ ...ADMIN, database });
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
}

export interface Scratch {
    readonly database: string;
    readonly config: ClientConfig;
    /** A connected client on the scratch database; closed by `drop`. */
    client(): Promise<Client>;
    drop(): Promise<void>;
}

export async function scratchDatabase(prefix = "sdb_test"): Promise<Scratch> {
    const database = `${prefix}_${randomBytes(5).toString("hex")}`;
    await asAdmin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(database)}`));
    const config = { ...ADMIN, database };
    const clients: Client[] = [];
    return {
        database,
        config,
        async client() {
            const c = new Client(config);
            c.on("error", () => undefined); // a terminated backend must not crash the test process
            await c.connect();
            clients.push(c);
            return c;
        },
        async drop() {
            await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
            await asAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(database)} WITH (FORCE)`));
        },
    };
}
