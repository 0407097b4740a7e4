/**
 * Connections for our own PostgreSQL clients (migrate, verify, the migrations provider): one
 * helper to connect, run and always close, and one clear line for the ways connecting fails.
 */
import { Client, ClientConfig } from "pg";

/** When a connect is tried again (connectRetrying): on which codes, for how long, after how long a wait. */
export interface ConnectRetry {
    readonly retryable: ReadonlySet<string>;
    readonly deadlineMs: number;
    readonly delayMs: (attempt: number) => number;
}

const NO_RETRY: ConnectRetry = { retryable: new Set(), deadlineMs: 0, delayMs: () => 0 };

/**
 * A connected client, the connect retried while it fails with one of `retryable` (a SQLSTATE or
 * a Node.js error code) and `deadlineMs` has not passed, waiting `delayMs(attempt)` in between.
 * The last error is thrown as it came. Closed by the caller.
 */
export async function connectRetrying(config: ClientConfig, { retryable, deadlineMs, delayMs }: ConnectRetry): Promise<Client> {
    const end = Date.now() + deadlineMs;
    for (let attempt = 0; ; attempt++) {
        const c = new Client(config);
        c.on("error", () => undefined);
        try {
            await c.connect();
            return c;
        } catch (e) {
            await c.end().catch(() => undefined);
            if (!retryable.has((e as { code?: string }).code ?? "") || Date.now() > end) throw e;
            await new Promise((r) => setTimeout(r, delayMs(attempt)));
        }
    }
}

/** Connects (retried as `retry` says; by default not), runs `fn`, always closes. A dropped connection never crashes the process. */
export async function withConnection<T>(config: ClientConfig, fn: (c: Client) => Promise<T>, retry: ConnectRetry = NO_RETRY): Promise<T> {
    const c = await connectRetrying(config, retry);
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
