/**
 * Runs the compiled servicedb command (bin/scripts/servicedb.js, what package.json "bin" installs)
 * in a process of its own. Jest's globalSetup (test/globalSetup.js) builds bin/ first when it is
 * stale, so no test waits for ts-node or tsc.
 */
import { execFile, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "../..");
export const BIN = path.join(ROOT, "bin", "scripts", "servicedb.js");

/** A PATH with node and npm but certainly no pulumi. */
export const NO_PULUMI: NodeJS.ProcessEnv = { ...process.env, PATH: [path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter) };

export interface Ran { readonly code: number; readonly stdout: string; readonly stderr: string }

/** `node bin/scripts/servicedb.js …args` in the repository; never rejects. */
export function servicedb(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
    if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: the build (npm run build) did not run`);
    return new Promise((resolve) => {
        execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env }, (err, stdout, stderr) => {
            resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
        });
    });
}

/** The first line an executable prints (then it is stopped): a plugin's port. Fails if it ends first or prints nothing in 60 s. */
export function firstLine(file: string, cwd: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const p = spawn(file, [], { cwd, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        const timer = setTimeout(() => { p.kill("SIGKILL"); reject(new Error(`${file}: no line within 60 s: ${err}`)); }, 60_000);
        p.stderr.on("data", (d: Buffer) => { err += d.toString(); });
        p.stdout.on("data", (d: Buffer) => {
            out += d.toString();
            if (out.includes("\n")) { clearTimeout(timer); p.kill("SIGKILL"); resolve(out.split("\n")[0]); }
        });
        p.on("exit", () => { clearTimeout(timer); reject(new Error(`${file}: exited before printing a line: ${err}`)); });
    });
}
