/**
 * A real PgBouncer (Debian's package) for the PostgreSQL tier: started in the foreground on a
 * free port with the files servicedb renders, in a private temporary directory, and stopped (and
 * the directory removed) by `stop`. As root (CI) it drops to the `postgres` user (`-u`), since
 * PgBouncer refuses to run as root.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { INI_FILE } from "../../src/pooler/config";

export interface RunningPgBouncer {
    readonly port: number;
    readonly dir: string;
    /** Writes new files and sends SIGHUP (PgBouncer's RELOAD): clients stay connected. */
    reload(files: Record<string, string>): void;
    /** What PgBouncer wrote to stderr (its log), for failure messages. */
    log(): string;
    stop(): Promise<void>;
}

/** Why the tests cannot run PgBouncer here, or undefined. */
export function pgbouncerMissing(): string | undefined {
    try {
        execFileSync("pgbouncer", ["--version"], { stdio: "ignore" });
        return undefined;
    } catch {
        return "pgbouncer is not installed (apt-get install pgbouncer)";
    }
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const port = (srv.address() as net.AddressInfo).port;
            srv.close(() => resolve(port));
        });
    });
}

function writeFiles(dir: string, files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text, { mode: 0o644 });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
    for (let i = 0; i < 100; i++) {
        if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}): ${log()}`);
        const open = await new Promise<boolean>((resolve) => {
            const s = net.connect(port, "127.0.0.1", () => { s.end(); resolve(true); });
            s.once("error", () => resolve(false));
        });
        if (open) return;
        await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`pgbouncer did not listen on ${port}: ${log()}`);
}

/** `render(dir, port)` returns the files (pgbouncer.ini pointing at `dir` and `port`). */
export async function startPgBouncer(render: (dir: string, port: number) => Record<string, string>): Promise<RunningPgBouncer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "servicedb-pgbouncer-"));
    fs.chmodSync(dir, 0o755);
    const port = await freePort();
    writeFiles(dir, render(dir, port));
    const asRoot = process.getuid?.() === 0;
    const child = spawn("pgbouncer", [...(asRoot ? ["-u", "postgres"] : []), path.join(dir, INI_FILE)], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000); });
    const log = () => stderr;
    try {
        await waitForPort(port, child, log);
    } catch (e) {
        child.kill("SIGKILL");
        fs.rmSync(dir, { recursive: true, force: true });
        throw e;
    }
    return {
        port, dir, log,
        reload(files) {
            writeFiles(dir, files);
            child.kill("SIGHUP");
        },
        async stop() {
            if (child.exitCode === null) {
                const exited = new Promise((r) => child.once("exit", r));
                child.kill("SIGTERM");
                await exited;
            }
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
