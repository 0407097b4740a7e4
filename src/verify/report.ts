/** `verify` output: a service × check table for people, JSON for machines. */
import type { MatrixSummary, VerifyRun } from "./checks";
import { CHECKS, CheckResult } from "./results";

/** One line on how the N×N question was answered, with the seed that reproduces the sample. */
export function describeMatrix(m: MatrixSummary): string {
    if (m.mode === "full") return `matrix: all ${m.pairs} pairs tried for real (--full-matrix), and judged by the privilege catalog`;
    const why = [`ring ${m.ring}`, `${m.random} random (seed ${m.seed})`];
    if (m.crossServer) why.push(`${m.crossServer} across servers`);
    if (m.fallback) why.push(`${m.fallback} the catalog could not settle or grants`);
    return `matrix: ${m.pairs} pairs judged by the server's privilege catalog; ${m.attempts} tried for real: ${why.join(", ")} (all pairs: --full-matrix; this sample again: --seed ${m.seed})`;
}

export function renderTable(run: VerifyRun): string {
    const { results } = run;
    const services = [...new Set(results.map((r) => r.service))];
    const width = Math.max(7, ...services.map((s) => s.length));
    const cell = (r: CheckResult | undefined) => (r?.outcome === "fail" ? "FAIL" : r?.outcome ?? "-");
    // The columns of the checks that ran (the pooler's only where the stack has a pooler).
    const checks = CHECKS.filter((c) => results.some((r) => r.check === c));
    const lines = [
        ["service".padEnd(width), ...checks.map((c) => c.padEnd(Math.max(c.length, 4)))].join("  ").trimEnd(),
        ...services.map((s) => [s.padEnd(width), ...checks.map((c) => cell(results.find((r) => r.service === s && r.check === c)).padEnd(Math.max(c.length, 4)))].join("  ").trimEnd()),
    ];
    const failures = results.filter((r) => r.outcome === "fail");
    if (failures.length) {
        lines.push("", ...failures.map((r) => `FAIL ${r.service} ${r.check}: ${r.reason}`));
    }
    const counts = { pass: 0, fail: 0, skip: 0 };
    for (const r of results) counts[r.outcome]++;
    const c = run.connections;
    lines.push("", describeMatrix(run.matrix), `connections: ${c.opened} opened, at most ${c.peak} at once (--concurrency ${c.limit}), at most ${c.peakPerKey} per service role and per database`);
    lines.push(`verify: ${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped (${services.length} services × ${checks.length} checks)`);
    return lines.join("\n");
}

export function renderJson(run: VerifyRun): string {
    return JSON.stringify({ ok: !run.results.some((r) => r.outcome === "fail"), results: run.results, matrix: run.matrix, connections: run.connections }, null, 2);
}
