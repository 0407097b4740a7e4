/**
 * `status` output: a table that fits 100 columns (flag details below it, then one line per
 * server), or JSON. Pure: the same report always renders the same text.
 */
import { guards } from "../guards";
import { ServiceStatus, StatusReport } from "./model";

export const WIDTH = 100;

export function formatBytes(n: number | null): string {
    if (n === null) return "-";
    const units = ["B", "kB", "MB", "GB", "TB"];
    let v = n;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    return `${u === 0 || v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

export function formatAge(seconds: number | null): string {
    if (seconds === null) return "-";
    const s = Math.max(0, Math.floor(seconds));
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
    if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
    return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, "0")}h`;
}

const pct = (x: number | null) => (x === null ? "-" : `${x > 0 && x < 0.1 ? (100 * x).toFixed(1) : Math.round(100 * x)}%`);
/** "3d ago": the largest unit of the age only. */
const ago = (at: string | null, now: string) => (at === null ? "never" : `${formatAge((Date.parse(now) - Date.parse(at)) / 1000).match(/^\d+[a-z]/)?.[0]} ago`);
const fit = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`);

/** Word-wraps `text` to `width`, keeping its indentation; continuation lines are indented by four spaces. */
export function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    const lead = /^ */.exec(text)?.[0] ?? "";
    let line = lead;
    for (const word of text.slice(lead.length).split(" ")) {
        if (line.trim() && line.length + 1 + word.length > width) {
            lines.push(line);
            line = `    ${word}`;
        } else {
            line = line.trim() ? `${line} ${word}` : `${line}${word}`;
        }
    }
    lines.push(line);
    return lines.map((l) => fit(l, width));
}

interface Column { readonly head: string; readonly right: boolean; readonly cell: (s: ServiceStatus, now: string) => string }

export { guards };

const COLUMNS: readonly Column[] = [
    { head: "service", right: false, cell: (s) => s.service },
    { head: "up", right: false, cell: (s) => s.reachable },
    { head: "conns", right: true, cell: (s) => `${s.sessions?.inUse ?? "?"}/${s.limit ?? "-"}` },
    { head: "use", right: true, cell: (s) => pct(s.sessions && s.limit ? s.sessions.inUse / s.limit : null) },
    { head: "share", right: true, cell: (s) => pct(s.share) },
    { head: "idle-tx", right: true, cell: (s) => (s.sessions ? String(s.sessions.idleInTransaction) : "?") },
    { head: "oldest-tx", right: true, cell: (s) => formatAge(s.sessions?.longestTransactionSeconds ?? null) },
    { head: "size", right: true, cell: (s) => formatBytes(s.sizeBytes) },
    { head: "applied", right: true, cell: (s) => (s.migrations ? String(s.migrations.applied) : "?") },
    { head: "pending", right: true, cell: (s) => (s.migrations ? (s.migrations.folder ? String(s.migrations.pending) : "-") : "?") },
    { head: "migrated", right: true, cell: (s, now) => (s.migrations ? ago(s.migrations.lastAppliedAt, now) : "?") },
    { head: "!", right: false, cell: (s) => (s.flags.length ? "!" : "") },
];

export function renderTable(report: StatusReport, admin: boolean, width = WIDTH): string {
    const rows = report.services.map((s) => COLUMNS.map((c) => c.cell(s, report.at)));
    const widths = COLUMNS.map((c, i) => Math.max(c.head.length, ...rows.map((r) => r[i].length)));
    const overflow = widths.reduce((n, w) => n + w, 0) + 2 * (COLUMNS.length - 1) - width;
    if (overflow > 0) widths[0] = Math.max(8, widths[0] - overflow);
    const line = (cells: readonly string[]) => fit(cells.map((v, i) => {
        const t = fit(v, widths[i]);
        return COLUMNS[i].right ? t.padStart(widths[i]) : t.padEnd(widths[i]);
    }).join("  ").trimEnd(), width);
    const view = admin ? "admin view: every role's sessions" : "own logins: each service sees its own sessions (--admin-url: all)";
    const out = [fit(`status at ${report.at.replace(/\.\d+Z$/, "Z")}; ${view}`, width), "", line(COLUMNS.map((c) => c.head)), ...rows.map(line)];
    const flagged = report.services.flatMap((s) => s.flags.flatMap((f) => wrap(`! ${s.service}: ${f}`, width)));
    // Guardrails, grouped: services that share them on one line.
    const bySet = new Map<string, string[]>();
    for (const s of report.services) bySet.set(guards(s.settings), [...(bySet.get(guards(s.settings)) ?? []), s.service]);
    out.push("", ...[...bySet].flatMap(([g, svcs]) => wrap(`guardrails ${g}: ${svcs.join(", ")}`, width)));
    if (flagged.length) out.push("", ...flagged);
    out.push("");
    for (const v of report.servers) {
        const of = (n: number | null) => (n === null ? "?" : v.maxConnections ? `${n}/${v.maxConnections} (${pct(n / v.maxConnections)})` : String(n));
        const who = v.view === "admin" ? "all roles" : "the services' own logins";
        out.push(fit(`server ${v.server}`, width), ...wrap(`  in use ${of(v.inUse)}, ${who}; allocated ${of(v.allocated)} to ${v.services} service(s)`, width));
    }
    out.push(fit(`conns: in use/limit; use: of its limit (flagged over 80%); share: limit ÷ max_connections`, width));
    return out.join("\n");
}

/** `{ ok, view, at, services, servers }`; `compact` puts it on one line (a --watch frame). */
export function renderJson(report: StatusReport, admin: boolean, compact = false): string {
    return JSON.stringify({ ok: report.services.every((s) => s.flags.length === 0), view: admin ? "admin" : "own sessions", ...report }, null, compact ? undefined : 2);
}
