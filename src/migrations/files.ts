/**
 * Migration files on disk: `V<version>__<description>.sql` (versioned, applied once, in numeric
 * order) and `R__<description>.sql` (repeatable, re-applied whenever its checksum changes).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

export interface MigrationFile {
    /** Integer version; undefined for repeatables. */
    readonly version?: number;
    readonly description: string;
    /** File name, e.g. `V001__create_users.sql`. */
    readonly script: string;
    readonly sql: string;
    /** sha256 of the content with line endings normalized (a CRLF checkout changes nothing). */
    readonly checksum: string;
    /** `-- servicedb:no-transaction` on a line of its own before the first statement. */
    readonly transactional: boolean;
}

export class MigrationFileError extends Error {
    constructor(readonly script: string, message: string) {
        super(`${script}: ${message}`);
        this.name = "MigrationFileError";
    }
}

const VERSIONED = /^V(\d+)__([A-Za-z0-9][A-Za-z0-9_ .-]*)\.sql$/;
const REPEATABLE = /^R__([A-Za-z0-9][A-Za-z0-9_ .-]*)\.sql$/;
const NO_TRANSACTION = /^\s*--\s*servicedb:no-transaction\s*$/m;

export function checksumOf(sql: string): string {
    return createHash("sha256").update(sql.replace(/\r\n/g, "\n")).digest("hex");
}

/** Whether the header (comment lines before the first statement) opts out of the transaction. */
function isTransactional(sql: string): boolean {
    for (const line of sql.split("\n")) {
        const t = line.trim();
        if (t === "") continue;
        if (!t.startsWith("--")) return true;
        if (NO_TRANSACTION.test(t)) return false;
    }
    return true;
}

export function parseMigrationFile(script: string, sql: string): MigrationFile {
    const v = VERSIONED.exec(script);
    const r = REPEATABLE.exec(script);
    if (!v && !r) {
        throw new MigrationFileError(script, "is not a migration file name; use V<number>__<description>.sql (e.g. V001__create_users.sql) or R__<description>.sql");
    }
    if (sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, "").trim() === "") {
        throw new MigrationFileError(script, "has no SQL statement; write the migration or delete the file");
    }
    const version = v ? Number(v[1]) : undefined;
    if (version !== undefined && !Number.isSafeInteger(version)) {
        throw new MigrationFileError(script, "has a version too large to compare exactly");
    }
    return {
        version,
        description: (v ? v[2] : (r as RegExpExecArray)[1]).replace(/_/g, " "),
        script,
        sql,
        checksum: checksumOf(sql),
        transactional: isTransactional(sql),
    };
}

/** Versioned files sorted by version, then repeatables by name. Rejects duplicate versions. */
export function sortMigrations(files: readonly MigrationFile[]): MigrationFile[] {
    const byVersion = new Map<number, string>();
    for (const f of files) {
        if (f.version === undefined) continue;
        const other = byVersion.get(f.version);
        if (other) throw new MigrationFileError(f.script, `has version ${f.version}, like ${other}; give one of them another version`);
        byVersion.set(f.version, f.script);
    }
    const versioned = files.filter((f) => f.version !== undefined).sort((a, b) => (a.version ?? 0) - (b.version ?? 0));
    const repeatable = files.filter((f) => f.version === undefined).sort((a, b) => a.script.localeCompare(b.script));
    return [...versioned, ...repeatable];
}

/** Every `.sql` file of `dir` (other files are ignored), parsed and sorted. */
export function loadMigrations(dir: string): MigrationFile[] {
    if (!fs.existsSync(dir)) throw new MigrationFileError(dir, "no such migrations folder");
    const names = fs.readdirSync(dir).filter((n) => n.endsWith(".sql"));
    return sortMigrations(names.map((n) => parseMigrationFile(n, fs.readFileSync(path.join(dir, n), "utf8"))));
}

/** Loader for `<root>/<service>/`: undefined when a service has no folder. */
export function folderLoader(root: string): (service: string) => MigrationFile[] | undefined {
    return (service) => {
        const dir = path.join(root, service);
        return fs.existsSync(dir) ? loadMigrations(dir) : undefined;
    };
}
