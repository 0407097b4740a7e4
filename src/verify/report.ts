/** `verify` output: a service × check table for people, JSON for machines. */
import { CHECKS, CheckResult } from "./checks";

export function renderTable(results: readonly CheckResult[]): string {
    const services = [...new Set(results.map((r) => r.service))];
    const width = Math.max(7, ...services.map((s) => s.length));
    const cell = (r: CheckResult | undefined) => (r?.outcome === "fail" ? "FAIL" : r?.outcome ?? "-");
    const lines = [
        ["service".padEnd(width), ...CHECKS.map((c) => c.padEnd(Math.max(c.length, 4)))].join("  ").trimEnd(),
        ...services.map((s) => [s.padEnd(width), ...CHECKS.map((c) => cell(results.find((r) => r.service === s && r.check === c)).padEnd(Math.max(c.length, 4)))].join("  ").trimEnd()),
    ];
    const failures = results.filter((r) => r.outcome === "fail");
    if (failures.length) {
        lines.push("", ...failures.map((r) => `FAIL ${r.service} ${r.check}: ${r.reason}`));
    }
    const counts = { pass: 0, fail: 0, skip: 0 };
    for (const r of results) counts[r.outcome]++;
    lines.push("", `verify: ${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped (${services.length} services × ${CHECKS.length} checks)`);
    return lines.join("\n");
}

export function renderJson(results: readonly CheckResult[]): string {
    return JSON.stringify({ ok: !results.some((r) => r.outcome === "fail"), results }, null, 2);
}
