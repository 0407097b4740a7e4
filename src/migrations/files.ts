/**
 * Migration files on disk: `V<version>__<description>.sql` (versioned, applied once, in version
 * order; Flyway's version syntax, see versions.ts) and `R__<description>.sql` (repeatable,
 * re-applied whenever its checksum changes).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { statementProblems } from "./checks";
import { lineAndColumn } from "./positions";
import { leadingComments, splitStatements } from "./sqlSplit";
import { canonicalVersion, compareVersions, versionKey } from "./versions";

export interface MigrationFile {
    /** Canonical version text ("1", "1.2", "2.0.1"); undefined for repeatables. */
    readonly version?: string;
    readonly description: string;
    /** File name, e.g. `V001__create_users.sql`. */
    readonly script: string;
    /** The file's text, without a leading UTF-8 byte order mark. */
    readonly sql: string;
    /** sha256 of the content with line endings normalized and a BOM dropped (a CRLF checkout or
     * an editor adding a BOM changes nothing; files without either keep their checksums). */
    readonly checksum: string;
    /** `-- servicedb:no-transaction` as a comment line before the first statement. */
    readonly transactional: boolean;
}

export class MigrationFileError extends Error {
    constructor(readonly script: string, message: string) {
        super(`${script}: ${message}`);
        this.name = "MigrationFileError";
    }
}

const VERSIONED = /^V(\d+(?:[._]\d+)*)__([A-Za-z0-9][A-Za-z0-9_ .-]*)\.sql$/;
const REPEATABLE = /^R__([A-Za-z0-9][A-Za-z0-9_ .-]*)\.sql$/;
const NO_TRANSACTION = /^--\s*servicedb:no-transaction\s*$/;
const BOM = "\uFEFF";

const withoutBom = (sql: string) => (sql.startsWith(BOM) ? sql.slice(1) : sql);

export function checksumOf(sql: string): string {
    return createHash("sha256").update(withoutBom(sql).replace(/\r\n/g, "\n")).digest("hex");
}

/** Whether the header (the comments before the first statement, block comments included) opts
 * out of the transaction. */
function isTransactional(sql: string): boolean {
    return !leadingComments(sql).some((c) => NO_TRANSACTION.test(c.trim()));
}

export function parseMigrationFile(script: string, sql: string): MigrationFile {
    const v = VERSIONED.exec(script);
    const r = REPEATABLE.exec(script);
    if (!v && !r) {
        throw new MigrationFileError(script, "is not a migration file name; use V<version>__<description>.sql (e.g. V001__create_users.sql, V1.2__add_index.sql) or R__<description>.sql");
    }
    const text = withoutBom(sql);
    const statements = splitStatements(text);
    if (statements.length === 0) {
        throw new MigrationFileError(script, "has no SQL statement; write the migration or delete the file");
    }
    const transactional = isTransactional(text);
    const [problem] = statementProblems(statements, transactional);
    if (problem) throw new MigrationFileError(script, `line ${lineAndColumn(text, problem.offset).line}: ${problem.problem}`);
    return {
        version: v ? canonicalVersion(v[1]) : undefined,
        description: (v ? v[2] : (r as RegExpExecArray)[1]).replace(/_/g, " "),
        script,
        sql: text,
        checksum: checksumOf(text),
        transactional,
    };
}

/** Versioned files sorted by version, then repeatables by name. Rejects duplicate versions. */
export function sortMigrations(files: readonly MigrationFile[]): MigrationFile[] {
    const byVersion = new Map<string, string>();
    for (const f of files) {
        if (f.version === undefined) continue;
        const other = byVersion.get(versionKey(f.version));
        if (other) throw new MigrationFileError(f.script, `has version ${f.version}, like ${other}; give one of them another version`);
        byVersion.set(versionKey(f.version), f.script);
    }
    const versioned = files.filter((f) => f.version !== undefined).sort((a, b) => compareVersions(a.version as string, b.version as string));
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
