/**
 * Connections for our own PostgreSQL clients (migrate, verify, the migrations provider): one
 * helper to connect, run and always close, and one clear line for the ways connecting fails.
 */
import { Client, ClientConfig } from "pg";

/** Connects, runs `fn`, always closes. A dropped connection never crashes the process. */
export async function withConnection<T>(config: ClientConfig, fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client(config);
    c.on("error", () => undefined);
    await c.connect();
    try { return await fn(c); } finally { await c.end().catch(() => undefined); }
}

interface ErrorLike { message?: string; code?: string; address?: string; port?: number; hostname?: string }

export function connectionProblem(e: unknown): string {
    const err = (typeof e === "object" && e !== null ? e : { message: String(e) }) as ErrorLike;
    const where = err.address ? `${err.address}${err.port ? `:${err.port}` : ""}` : err.hostname ?? "the server";
    switch (err.code) {
        case "ECONNREFUSED": return `cannot connect to ${where}: connection refused (is PostgreSQL running there?)`;
        case "ENOTFOUND": case "EAI_AGAIN": return `cannot resolve host ${where}`;
        case "ETIMEDOUT": return `cannot connect to ${where}: timed out`;
        case "28P01": return `${err.message} (wrong password)`;
        case "28000": return `${err.message} (the server refuses this login)`;
        case "3D000": return `${err.message}`;
    }
    const msg = err.message ?? String(e);
    if (/timeout expired|Connection terminated due to connection timeout/i.test(msg)) return `cannot connect: timed out (${msg})`;
    if (/Invalid URL|invalid connection string/i.test(msg)) return `the URL is not a valid postgres:// URL`;
    return msg.split("\n")[0];
}
