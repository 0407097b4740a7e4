/**
 * Connections of the ServiceCore provider: the admin's, to one database of one server, at most
 * `parallelism` at once per server. Every ServiceCore of a server runs in the same provider
 * process (the server's `<server>-servicedb` provider resource), so a semaphore held in this module bounds
 * what the provider opens on a server, whatever the engine's `--parallel`: each operation holds
 * one connection at a time.
 */
import { Client } from "pg";
import { connectRetrying, connectionProblem } from "../connect";
import { connectionUrl } from "../url";
import type { CoreServer } from "./inputs";

class Semaphore {
    private active = 0;
    private readonly waiting: (() => void)[] = [];
    constructor(private readonly size: number) {}
    async run<T>(fn: () => Promise<T>): Promise<T> {
        if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
        else this.active++;
        try {
            return await fn();
        } finally {
            const next = this.waiting.shift();
            if (next) next(); else this.active--;
        }
    }
}

const perServer = new Map<string, Semaphore>();

/** Runs `fn` once fewer than `parallelism` operations of this provider process hold the server. */
export function withServerSlot<T>(s: CoreServer, fn: () => Promise<T>): Promise<T> {
    const key = `${s.host}:${s.port}`;
    let sem = perServer.get(key);
    if (!sem) perServer.set(key, sem = new Semaphore(Math.max(1, Math.floor(s.parallelism))));
    return sem.run(fn);
}

/** How long a connect keeps trying a server that refuses or is still starting (a new container). */
export const CONNECT_DEADLINE_MS = 60_000;

const RETRYABLE = new Set(["ECONNREFUSED", "57P03", "ECONNRESET"]);

/** The admin's connection to `database`, retried while the server is not up yet. Closed by the caller. */
export async function adminClient(s: CoreServer, database: string, deadlineMs = CONNECT_DEADLINE_MS): Promise<Client> {
    const config = {
        connectionString: connectionUrl({
            host: s.host, port: s.port, database, username: s.adminUser,
            password: s.adminPassword ?? process.env.PGPASSWORD ?? "", sslmode: s.sslmode, sslrootcert: s.sslrootcert,
        }),
        connectionTimeoutMillis: 15_000,
        application_name: "servicedb core",
    };
    try {
        return await connectRetrying(config, { retryable: RETRYABLE, deadlineMs, delayMs: () => 500 });
    } catch (e) {
        throw Object.assign(new Error(`${s.host}:${s.port} as ${s.adminUser}: ${connectionProblem(e)}`), { code: (e as { code?: string }).code ?? "" });
    }
}

/** Opens, runs, always closes. */
export async function withAdmin<T>(s: CoreServer, database: string, fn: (c: Client) => Promise<T>): Promise<T> {
    const c = await adminClient(s, database);
    try {
        return await fn(c);
    } finally {
        await c.end().catch(() => undefined);
    }
}

/** Statements in one transaction: all or nothing. */
export async function inTransaction(c: Client, statements: readonly string[]): Promise<void> {
    if (statements.length === 0) return;
    await c.query("BEGIN");
    try {
        for (const s of statements) await c.query(s);
        await c.query("COMMIT");
    } catch (e) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw e;
    }
}
