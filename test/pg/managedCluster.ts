/**
 * A managed-like PostgreSQL server of the test's own, on another port: TLS only (a private CA,
 * so clients use `verify-full` with it), SCRAM for every TCP login, and an admin with CREATEDB
 * CREATEROLE and no superuser — what RDS or Cloud SQL hand out. Made with the machine's own
 * PostgreSQL binaries in a temporary folder, started and stopped by the test; the superuser
 * reaches it only over its unix socket (as a managed server's operator would, out of reach).
 */
import { execFile, execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Client, ClientConfig } from "pg";

export interface ManagedCluster {
    readonly host: "127.0.0.1";
    readonly port: number;
    readonly adminUser: string;
    readonly adminPassword: string;
    /** PEM file of the CA that signed the server's certificate. */
    readonly caFile: string;
    /** The superuser, over the unix socket: for a test to make drift that the admin could not. */
    superuserConfig(database?: string): ClientConfig;
    /** The admin, over TLS with verify-full. */
    adminConfig(database?: string): ClientConfig;
    /** `pg_ctl restart -m fast`: every session is cut; resolves once the server accepts logins again. */
    restart(): Promise<void>;
    stop(): void;
}

/** Why such a cluster cannot be made here (no PostgreSQL binaries or openssl), or undefined. */
export function managedClusterMissing(): string | undefined {
    if (!binDir()) return "no PostgreSQL server binaries (initdb) on this machine";
    try { execFileSync("openssl", ["version"], { stdio: "ignore" }); } catch { return "no openssl on this machine"; }
    return undefined;
}

function binDir(): string | undefined {
    const root = "/usr/lib/postgresql";
    if (!fs.existsSync(root)) return undefined;
    const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
    return versions.length ? path.join(root, versions[0], "bin") : undefined;
}

function freePort(from: number): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once("error", () => (from < 6500 ? freePort(from + 1).then(resolve, reject) : reject(new Error("no free port"))));
        srv.listen(from, "127.0.0.1", () => srv.close(() => resolve(from)));
    });
}

/** A server binary's command line, as `postgres` when we are root (initdb and postgres refuse root). */
function asPostgresArgs(cmd: string, args: readonly string[]): [string, string[]] {
    return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, [...args]];
}

function asPostgres(cmd: string, args: readonly string[]): void {
    const [file, argv] = asPostgresArgs(cmd, args);
    execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
}

function certificates(dir: string): { ca: string; cert: string; key: string } {
    const f = (n: string) => path.join(dir, n);
    const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore", cwd: dir });
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=servicedb test CA", "-keyout", f("ca.key"), "-out", f("ca.crt"));
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", f("server.key"), "-out", f("server.csr"));
    fs.writeFileSync(f("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    ssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", f("san.ext"), "-out", f("server.crt"));
    return { ca: f("ca.crt"), cert: f("server.crt"), key: f("server.key") };
}

/** Makes, configures and starts the cluster, with its admin role. */
export async function startManagedCluster(): Promise<ManagedCluster> {
    const bin = binDir();
    if (!bin) throw new Error(managedClusterMissing());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "servicedb-managed-"));
    const data = path.join(dir, "data");
    const port = await freePort(5460 + Math.floor(Math.random() * 200));
    const certs = certificates(dir);
    const adminUser = "sdb_admin";
    const adminPassword = randomBytes(18).toString("base64url");
    fs.chmodSync(dir, 0o755);
    if (process.getuid?.() === 0) execFileSync("chown", ["-R", "postgres:postgres", dir]);
    fs.chmodSync(certs.key, 0o600);
    asPostgres(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=reject", "-E", "UTF8"]);
    fs.appendFileSync(path.join(data, "postgresql.conf"), [
        `port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`,
        "ssl = on", `ssl_cert_file = '${certs.cert}'`, `ssl_key_file = '${certs.key}'`, "password_encryption = 'scram-sha-256'",
        "max_connections = 60", "fsync = off", "",
    ].join("\n"));
    fs.writeFileSync(path.join(data, "pg_hba.conf"), [
        "local all postgres trust",
        "hostssl all all 127.0.0.1/32 scram-sha-256",
        "", // no plain `host` line: TLS only
    ].join("\n"));
    const ctl = (...args: string[]) => asPostgres(path.join(bin, "pg_ctl"), ["-D", data, "-w", "-t", "60", ...args]);
    ctl("-l", path.join(dir, "server.log"), "start");
    const superuserConfig = (database = "postgres"): ClientConfig => ({ host: dir, port, user: "postgres", database });
    const su = new Client(superuserConfig());
    await su.connect();
    try {
        await su.query(`CREATE ROLE ${adminUser} LOGIN CREATEDB CREATEROLE PASSWORD ${su.escapeLiteral(adminPassword)}`);
    } finally {
        await su.end();
    }
    let stopped = false;
    return {
        host: "127.0.0.1", port, adminUser, adminPassword, caFile: certs.ca,
        superuserConfig,
        adminConfig: (database = "postgres") => ({
            host: "127.0.0.1", port, user: adminUser, password: adminPassword, database,
            ssl: { ca: fs.readFileSync(certs.ca, "utf8"), servername: "localhost" },
        }),
        restart: () => new Promise<void>((resolve, reject) => {
            const [file, argv] = asPostgresArgs(path.join(bin, "pg_ctl"), ["-D", data, "-w", "-t", "60", "-l", path.join(dir, "server.log"), "-m", "fast", "restart"]);
            execFile(file, argv, { timeout: 120_000 }, (err) => (err ? reject(err) : resolve()));
        }),
        stop: () => {
            if (stopped) return;
            stopped = true;
            try { ctl("-m", "immediate", "stop"); } catch { /* already down */ }
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
