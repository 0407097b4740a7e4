/** Connection URLs as libpq, node-postgres, psql and most drivers read them. */

export interface UrlParts {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly username: string;
    readonly password: string;
    readonly sslmode: string;
    /** Path of the CA certificate (PEM) for verify-ca / verify-full. */
    readonly sslrootcert?: string;
}

/**
 * `postgresql://user:password@host:port/database?sslmode=…`, every part percent-encoded so that
 * any password survives the trip, and IPv6 hosts in brackets.
 */
export function connectionUrl(p: UrlParts): string {
    const host = p.host.includes(":") && !p.host.startsWith("[") ? `[${p.host}]` : p.host;
    const auth = `${encodeURIComponent(p.username)}:${encodeURIComponent(p.password)}`;
    const ca = p.sslrootcert ? `&sslrootcert=${encodeURIComponent(p.sslrootcert)}` : "";
    return `postgresql://${auth}@${host}:${p.port}/${encodeURIComponent(p.database)}?sslmode=${encodeURIComponent(p.sslmode)}${ca}`;
}
