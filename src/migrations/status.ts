/**
 * Files on disk × rows of the history table → the state of every migration, the problems that
 * stop a run, and what is pending. Pure: no database access.
 */
import { MigrationFile } from "./files";
import { HISTORY_TABLE, HistoryRow } from "./history";
import { compareVersions, maxVersion, versionKey } from "./versions";

export type MigrationState = "applied" | "pending" | "failed" | "changed" | "missing";

export interface MigrationInfo {
    /** Canonical version text ("3", "1.2"); null for repeatables. */
    readonly version: string | null;
    readonly description: string;
    readonly script: string;
    readonly checksum: string | null;
    readonly state: MigrationState;
}

export interface ValidateOptions {
    /** Apply a pending version lower than the highest applied one. Defaults to false. */
    readonly allowOutOfOrder?: boolean;
    /** Accept applied files whose content changed. Defaults to false. */
    readonly allowChanged?: boolean;
    /** Accept applied migrations whose file was deleted. Defaults to false. */
    readonly allowMissing?: boolean;
}

export interface Status {
    readonly infos: MigrationInfo[];
    readonly problems: string[];
    /** What `migrate` would apply, in order. */
    readonly pending: MigrationFile[];
}

const short = (c: string | null) => (c ?? "none").slice(0, 12);

export function computeStatus(files: readonly MigrationFile[], history: readonly HistoryRow[], opts: ValidateOptions = {}): Status {
    const infos: MigrationInfo[] = [];
    const problems: string[] = [];
    const pending: MigrationFile[] = [];
    const baseline = history.filter((h) => h.type === "BASELINE").map((h) => String(h.version)).pop();
    const versioned = new Map<string, HistoryRow>();
    const repeatable = new Map<string, HistoryRow>();
    for (const h of history) {
        if (h.type === "SQL") versioned.set(versionKey(String(h.version)), h);
        if (h.type === "SQL_REPEATABLE" && h.success) repeatable.set(h.script, h);
    }
    const applied = [...versioned.values()].filter((h) => h.success).map((h) => String(h.version));
    const highest = maxVersion([...(baseline === undefined ? [] : [baseline]), ...applied]);

    if (baseline !== undefined) {
        infos.push({ version: baseline, description: "<< Baseline >>", script: "<< Baseline >>", checksum: null, state: "applied" });
    }
    for (const f of files) {
        const info = (state: MigrationState, checksum: string | null = f.checksum): MigrationInfo =>
            ({ version: f.version ?? null, description: f.description, script: f.script, checksum, state });
        if (f.version === undefined) {
            const row = repeatable.get(f.script);
            const state = row && row.checksum === f.checksum ? "applied" : "pending";
            infos.push(info(state));
            if (state === "pending") pending.push(f);
            continue;
        }
        if (baseline !== undefined && compareVersions(f.version, baseline) <= 0) continue;
        const row = versioned.get(versionKey(f.version));
        if (!row) {
            infos.push(info("pending"));
            if (highest !== undefined && compareVersions(f.version, highest) < 0 && !opts.allowOutOfOrder) {
                problems.push(`${f.script}: version ${f.version} is pending but version ${highest} is already applied (out of order); give it a version above ${highest}, or allow out-of-order migrations`);
            }
            pending.push(f);
        } else if (!row.success) {
            infos.push(info("failed", row.checksum));
            problems.push(`${f.script}: failed or was interrupted on ${row.installed_on.toISOString()} outside a transaction and may have left changes behind; repair the database by hand, then delete the row of version ${f.version} from ${HISTORY_TABLE}`);
        } else if (row.checksum !== f.checksum) {
            infos.push(info("changed"));
            if (!opts.allowChanged) {
                problems.push(`${f.script}: was applied with checksum ${short(row.checksum)}… but the file now has ${short(f.checksum)}…; applied migrations are immutable: restore the file and put the change in a new migration`);
            }
        } else {
            infos.push(info("applied"));
        }
    }
    const onDisk = new Set(files.map((f) => f.script));
    const versionsOnDisk = new Set(files.map((f) => (f.version === undefined ? undefined : versionKey(f.version))));
    for (const h of history) {
        const gone = h.type === "SQL" ? !versionsOnDisk.has(versionKey(String(h.version))) : h.type === "SQL_REPEATABLE" && h.success && !onDisk.has(h.script);
        if (!gone || (h.type === "SQL_REPEATABLE" && repeatable.get(h.script) !== h)) continue;
        infos.push({ version: h.version === null ? null : String(h.version), description: h.description, script: h.script, checksum: h.checksum, state: "missing" });
        if (!opts.allowMissing) {
            problems.push(`${h.script}: was applied on ${h.installed_on.toISOString()} but its file is gone; restore it, or allow missing migrations`);
        }
    }
    // Pending versioned files run in version order, repeatables after them.
    pending.sort((a, b) => (a.version === undefined ? (b.version === undefined ? 0 : 1) : b.version === undefined ? -1 : compareVersions(a.version, b.version)));
    return { infos, problems, pending };
}
