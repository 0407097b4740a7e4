/**
 * pg_dump and pg_restore as child processes. Credentials travel in the libpq environment
 * (PGPASSWORD and friends), never on the command line where `ps` would show them.
 */
import { spawn } from "child_process";

export class BackupError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "BackupError";
    }
}

/** URL query parameters libpq understands, and the environment variable of each. */
const PARAMS: Record<string, string> = {
    sslmode: "PGSSLMODE", sslrootcert: "PGSSLROOTCERT", sslcert: "PGSSLCERT", sslkey: "PGSSLKEY",
    sslcrl: "PGSSLCRL", connect_timeout: "PGCONNECT_TIMEOUT", application_name: "PGAPPNAME",
    target_session_attrs: "PGTARGETSESSIONATTRS", options: "PGOPTIONS",
};

/**
 * The libpq environment for a `postgres://` URL, optionally aimed at another database. Every
 * inherited PG* variable is dropped, so a stray PGSERVICE or PGPASSFILE cannot change the target.
 */
export function libpqEnv(url: string, database?: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    let u: URL;
    try {
        u = new URL(url);
    } catch {
        throw new BackupError("the service's url is not a valid postgres:// URL; check the stack outputs");
    }
    if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") throw new BackupError(`the service's url has protocol ${u.protocol}, not postgres:`);
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(base).filter(([k]) => !k.startsWith("PG")));
    env.PGHOST = u.hostname.replace(/^\[(.*)\]$/, "$1");
    env.PGPORT = u.port || "5432";
    env.PGUSER = decodeURIComponent(u.username);
    env.PGPASSWORD = decodeURIComponent(u.password);
    env.PGDATABASE = database ?? decodeURIComponent(u.pathname.replace(/^\//, ""));
    for (const [key, value] of u.searchParams) {
        const name = PARAMS[key];
        if (!name) throw new BackupError(`the service's url has the parameter "${key}", which pg_dump/pg_restore cannot be given here; remove it from the url`);
        env[name] = value;
    }
    return env;
}

export interface ToolRun {
    readonly code: number;
    readonly stderr: string;
}

/** Runs a client tool; resolves with its exit code and stderr (stdout is not used). */
export function runTool(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ToolRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => { stderr += d.toString("utf8"); });
        child.on("error", (e: NodeJS.ErrnoException) => {
            reject(e.code === "ENOENT" ? new BackupError(`${command} is not on PATH; install the PostgreSQL client tools (e.g. apt-get install postgresql-client)`) : e);
        });
        child.on("close", (code) => resolve({ code: code ?? 1, stderr }));
    });
}

/** The first meaningful line of a tool's stderr, with a fix where one is known. */
export function toolProblem(command: string, stderr: string): string {
    const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
    const line = (lines.find((l) => /error:/i.test(l)) ?? lines[0] ?? "failed without a message").replace(/^\S+: error: /, "");
    if (/server version mismatch/i.test(stderr)) {
        return `${command}: ${line}; install client tools of the server's major version or newer`;
    }
    return `${command}: ${line}`;
}
