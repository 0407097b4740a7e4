/**
 * Runs the compiled servicedb command (bin/scripts/servicedb.js, what package.json "bin" installs)
 * in a process of its own. Jest's globalSetup (test/globalSetup.js) builds bin/ first when it is
 * stale, so no test waits for ts-node or tsc.
 */
import { execFile } from "child_process";
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
