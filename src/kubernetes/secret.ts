/**
 * The keys of a service's Secret (pure): what libpq, most drivers and twelve-factor apps read.
 * URLs in it name the CA where the Secret is mounted (CA_MOUNT), not where `pulumi` ran.
 */
import { connectionUrl, type UrlParts } from "../url";

/** Where a pod mounts the Secret when it verifies the server (docs/kubernetes.md). */
export const SECRET_MOUNT = "/var/run/secrets/servicedb";
export const CA_KEY = "ca.crt";
export const CA_MOUNT = `${SECRET_MOUNT}/${CA_KEY}`;

/** The connection (libpq's parts, the CA as a path replaced by its contents) and what the Secret adds. */
export interface SecretParts extends Omit<UrlParts, "sslrootcert"> {
    /** PEM of the CA that signed the server's certificate, when the server has one. */
    readonly ca?: string;
    /** Through the server's pooler, when it has one. */
    readonly pooledUrl?: string;
    /** The services it reads: their database, and the pooled URL where there is a pooler. */
    readonly reads: readonly { readonly service: string; readonly database: string; readonly pooledUrl?: string }[];
}

/** `chat-v2` → `CHAT_V2`: a service's part of a variable name. */
export function envSuffix(service: string): string {
    return service.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

export function secretData(p: SecretParts): Record<string, string> {
    const url = (database: string) => connectionUrl({ ...p, database, ...(p.ca ? { sslrootcert: CA_MOUNT } : {}) });
    const out: Record<string, string> = {
        DATABASE_URL: url(p.database),
        PGHOST: p.host, PGPORT: String(p.port), PGDATABASE: p.database, PGUSER: p.username, PGPASSWORD: p.password, PGSSLMODE: p.sslmode,
    };
    if (p.ca) { out[CA_KEY] = p.ca; out.PGSSLROOTCERT = CA_MOUNT; }
    if (p.pooledUrl) out.DATABASE_POOLED_URL = p.pooledUrl;
    for (const r of p.reads) {
        out[`DATABASE_URL_${envSuffix(r.service)}`] = url(r.database);
        if (r.pooledUrl) out[`DATABASE_POOLED_URL_${envSuffix(r.service)}`] = r.pooledUrl;
    }
    return out;
}
