/**
 * What a split run reports, and the three ways it is shown: a live line per table on a terminal,
 * plain lines otherwise (logs, CI), one JSON object per line with `--json` (pipelines).
 */
export type SplitEvent =
    | { readonly event: "schema"; readonly service: string; readonly via: "source" | "migrations" | "done before"; readonly statements: number }
    | { readonly event: "table-start"; readonly service: string; readonly table: string; readonly estimatedRows: number; readonly estimatedBytes: number }
    | { readonly event: "progress"; readonly service: string; readonly table: string; readonly rows: number; readonly bytes: number; readonly bytesPerSecond: number; readonly rowsPerSecond: number; readonly etaSeconds: number | null }
    | { readonly event: "table-done"; readonly service: string; readonly table: string; readonly rows: number; readonly bytes: number; readonly seconds: number }
    | { readonly event: "table-skipped"; readonly service: string; readonly table: string; readonly rows: number; readonly reason: string }
    | { readonly event: "post-data"; readonly service: string; readonly kind: "constraint" | "index"; readonly name: string; readonly seconds: number; readonly skipped: boolean }
    | { readonly event: "sequence"; readonly service: string; readonly sequence: string; readonly value: string }
    | { readonly event: "service-done"; readonly service: string; readonly tables: number; readonly copied: number; readonly rows: number; readonly bytes: number; readonly seconds: number }
    | { readonly event: "note"; readonly service?: string; readonly message: string };

export type Emit = (e: SplitEvent) => void;

export function formatBytes(n: number): string {
    const units = ["B", "kB", "MB", "GB", "TB"];
    let i = 0;
    let v = n;
    while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
    return `${i === 0 ? Math.round(v) : v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

export function formatSeconds(s: number): string {
    if (s < 60) return `${Math.round(s)}s`;
    const m = Math.floor(s / 60);
    return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** Seconds left, from whichever estimate the table has (rows from reltuples, else its size on disk). */
export function etaSeconds(rows: number, bytes: number, elapsed: number, estimatedRows: number, estimatedBytes: number): number | null {
    if (elapsed <= 0) return null;
    const done = estimatedRows > 0 ? rows / estimatedRows : estimatedBytes > 0 ? bytes / estimatedBytes : 0;
    if (done <= 0) return null;
    return Math.max(0, (elapsed / Math.min(done, 1)) - elapsed);
}

export function describe(e: SplitEvent): string {
    switch (e.event) {
        case "schema": return `${e.service}: schema ${e.via === "done before" ? "already created" : `from ${e.via} (${e.statements} statements)`}`;
        case "table-start": return `${e.service}: ${e.table} … (~${e.estimatedRows.toLocaleString("en")} rows)`;
        case "progress": return `${e.service}: ${e.table} ${e.rows.toLocaleString("en")} rows ${formatBytes(e.bytes)} ${formatBytes(e.bytesPerSecond)}/s${e.etaSeconds === null ? "" : ` ETA ${formatSeconds(e.etaSeconds)}`}`;
        case "table-done": return `${e.service}: ${e.table} ${e.rows.toLocaleString("en")} rows ${formatBytes(e.bytes)} in ${e.seconds.toFixed(1)}s (${formatBytes(e.bytes / Math.max(e.seconds, 0.001))}/s)`;
        case "table-skipped": return `${e.service}: ${e.table} ${e.reason} (${e.rows.toLocaleString("en")} rows)`;
        case "post-data": return `${e.service}: ${e.kind} ${e.name} ${e.skipped ? "already there" : `created in ${e.seconds.toFixed(1)}s`}`;
        case "sequence": return `${e.service}: sequence ${e.sequence} set to ${e.value}`;
        case "service-done": return `${e.service}: done, ${e.tables} tables (${e.copied} copied by this run: ${e.rows.toLocaleString("en")} rows, ${formatBytes(e.bytes)} in ${formatSeconds(e.seconds)})`;
        case "note": return e.service ? `${e.service}: ${e.message}` : e.message;
    }
}

/** `--json`: one object per line. */
export function jsonEmitter(out: (line: string) => void): Emit {
    return (e) => out(JSON.stringify(e));
}

/** Plain lines; progress at most every `everyMs` per table (a log should not fill up). */
export function plainEmitter(out: (line: string) => void, everyMs = 10_000, now: () => number = Date.now): Emit {
    let last = 0;
    return (e) => {
        if (e.event === "progress") {
            if (now() - last < everyMs) return;
            last = now();
        } else if (e.event === "table-start") last = now();
        out(describe(e));
    };
}

/** A terminal: the current table's progress redrawn in place. */
export function ttyEmitter(write: (text: string) => void): Emit {
    let live = false;
    return (e) => {
        if (e.event === "progress") {
            write(`\r\x1b[K${describe(e)}`);
            live = true;
            return;
        }
        write(`${live ? "\r\x1b[K" : ""}${describe(e)}\n`);
        live = false;
    };
}
