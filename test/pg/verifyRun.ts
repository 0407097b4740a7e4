/** Runs `verify` the way a pipeline does (an outputs file, `--json`) and reads its answer. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { VerifyRun } from "../../src/verify/checks";
import { runVerify } from "../../src/verify/cli";
import { CheckResult } from "../../src/verify/results";

export const ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable";

/** The two ways to answer the N×N question; every break must fail both. */
export const MODES: readonly (readonly [string, readonly string[]])[] = [
    ["fast path (ring only)", ["--sample-pairs", "0"]],
    ["--full-matrix", ["--full-matrix"]],
];

export interface Verified extends Partial<VerifyRun> {
    readonly code: number;
    readonly results: CheckResult[];
    readonly stdout: string;
    readonly stderr: string[];
}

export function tempDir(): { dir: string; remove(): void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-verify-"));
    return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function verify(dir: string, outputs: unknown, extra: readonly string[] = []): Promise<Verified> {
    const file = path.join(dir, `outputs-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(outputs));
    let stdout = "";
    const stderr: string[] = [];
    const code = await runVerify(["--outputs", file, "--json", "--admin-url", ADMIN_URL, ...extra], { out: (t) => { stdout += t; }, err: (l) => stderr.push(l) });
    const parsed = stdout ? (JSON.parse(stdout) as VerifyRun) : { results: [] };
    return { code, stdout, stderr, ...parsed };
}

export const failures = (results: readonly CheckResult[]): string[] => results.filter((r) => r.outcome === "fail").map((r) => `${r.service} ${r.check}`).sort();
export const reasonOf = (results: readonly CheckResult[], service: string, check: string): string | undefined =>
    results.find((r) => r.service === service && r.check === check)?.reason;
