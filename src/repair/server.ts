/**
 * Where a pending create's object lives: the server its `postgresql.Provider` points at, read from
 * the provider resource in the state (secrets only in memory, from an export with
 * --show-secrets), with the provider's own fallbacks (PGHOST, PGPORT, PGUSER, PGPASSWORD,
 * PGSSLMODE).
 */
import { ClientConfig } from "pg";
import { connectionUrl } from "../url";
import { isLoopbackHost } from "../spec";
import { StateResource, plain, str } from "./state";

export interface ServerTarget {
    /** `host:port`, for messages (never the password). */
    readonly label: string;
    /** The database the provider connects to (where roles and databases are looked up). */
    readonly maintenanceDatabase: string;
    /** The admin's login, the one that created the objects. */
    readonly adminUser: string;
    /** Connection settings for a database of this server. */
    config(database: string): ClientConfig;
}

/** Provider inputs may arrive as strings (`"5432"`), as the engine stores provider config. */
function num(v: unknown): number | undefined {
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

export function serverTarget(provider: StateResource, env: NodeJS.ProcessEnv = process.env): ServerTarget {
    const inputs = provider.inputs ?? {};
    const host = str(inputs, "host") ?? env.PGHOST ?? "localhost";
    const port = num(plain(inputs.port)) ?? num(env.PGPORT) ?? 5432;
    const adminUser = str(inputs, "username") ?? env.PGUSER ?? "postgres";
    const password = str(inputs, "password") ?? env.PGPASSWORD ?? "";
    // servicedb always sets sslmode; this is the config's own default otherwise.
    const sslmode = str(inputs, "sslmode") ?? env.PGSSLMODE ?? (isLoopbackHost(host) ? "disable" : "require");
    const sslrootcert = str(inputs, "sslrootcert");
    const maintenanceDatabase = str(inputs, "database") ?? "postgres";
    return {
        label: `${host}:${port}`,
        maintenanceDatabase,
        adminUser,
        config: (database) => ({
            connectionString: connectionUrl({ host, port, database, username: adminUser, password, sslmode, sslrootcert }),
            connectionTimeoutMillis: 15_000,
            application_name: "servicedb repair",
        }),
    };
}
