/**
 * How verify reaches a database as a service: the service's own URL, pointed at another
 * database or server where needed, and a connection attempt that reports instead of throwing.
 */
import { ClientConfig } from "pg";
import { withConnection } from "../connect";
import { ServiceUnderTest } from "./outputs";

export const TIMEOUT = 10_000;

/** The server a service lives on, as `host:port`. */
export const serverOf = (s: Pick<ServiceUnderTest, "host" | "port">): string => `${s.host}:${s.port}`;

/**
 * The service's own URL, optionally pointed at another server or database. (pg lets the values
 * in a connection string win over separate fields, so the URL itself is rewritten.)
 */
export function configOf(s: ServiceUnderTest, target: { database?: string; host?: string; port?: number } = {}): ClientConfig {
    const u = new URL(s.url);
    if (target.database) u.pathname = `/${encodeURIComponent(target.database)}`;
    if (target.host) u.hostname = target.host;
    if (target.port) u.port = String(target.port);
    return { connectionString: u.toString(), connectionTimeoutMillis: TIMEOUT };
}

export interface AttemptOutcome {
    readonly ok: boolean;
    /** The server's (or the network's) reason for refusing. */
    readonly error?: string;
}

/** One real connection attempt: connects and closes at once. */
export async function canConnect(config: ClientConfig): Promise<AttemptOutcome> {
    try {
        await withConnection(config, async () => undefined);
        return { ok: true };
    } catch (e) {
        return { ok: false, error: (e as Error).message };
    }
}
