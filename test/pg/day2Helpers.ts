/**
 * Helpers of the backup and status tests: an outputs file for a layout, a command runner that
 * captures its output, and a plain pg_dump (as the admin) to compare databases.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { ADMIN } from "./scratch";

export interface Captured {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string[];
}

type Command = (argv: readonly string[], io: { out(t: string): void; err(l: string): void }) => Promise<number>;

export async function capture(run: Command, argv: readonly string[]): Promise<Captured> {
    let stdout = "";
    const stderr: string[] = [];
    const code = await run(argv, { out: (t) => { stdout += t; }, err: (l) => stderr.push(l) });
    return { code, stdout, stderr };
}

export function writeOutputs(dir: string, outputs: unknown): string {
    const file = path.join(dir, `outputs-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(outputs));
    return file;
}

/** The whole database as plain SQL (schema and data), as the admin sees it. */
export async function plainDump(database: string): Promise<string> {
    const { stdout } = await promisify(execFile)("pg_dump", ["--no-password", "--restrict-key=servicedbtest", `--dbname=${database}`], {
        env: { ...process.env, PGHOST: String(ADMIN.host), PGPORT: String(ADMIN.port), PGUSER: String(ADMIN.user) }, maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
}

/** What a custom-format dump would execute, as SQL text. */
export async function dumpAsSql(file: string): Promise<string> {
    const { stdout } = await promisify(execFile)("pg_restore", ["--file=-", file], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
}
