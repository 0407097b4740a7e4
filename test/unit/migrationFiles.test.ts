import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MigrationFileError, checksumOf, loadMigrations, parseMigrationFile, sortMigrations } from "../../src/migrations/files";
import { splitStatements } from "../../src/migrations/sqlSplit";
import { lineAndColumn } from "../../src/migrations/positions";
import { computeStatus } from "../../src/migrations/status";
import { HistoryRow } from "../../src/migrations/history";

describe("migration files", () => {
    test("versioned and repeatable names", () => {
        const v = parseMigrationFile("V001__create_users.sql", "CREATE TABLE users ();");
        expect(v).toMatchObject({ version: "1", description: "create users", script: "V001__create_users.sql", transactional: true });
        expect(parseMigrationFile("R__views.sql", "SELECT 1;")).toMatchObject({ version: undefined, description: "views" });
    });
    test("bad names, empty files and duplicate versions are refused with the file name", () => {
        expect(() => parseMigrationFile("001_create.sql", "SELECT 1")).toThrow(
            "001_create.sql: is not a migration file name; use V<version>__<description>.sql (e.g. V001__create_users.sql, V1.2__add_index.sql) or R__<description>.sql");
        expect(() => parseMigrationFile("V1__empty.sql", "  -- only a comment\n/* and this */\n")).toThrow(
            "V1__empty.sql: has no SQL statement; write the migration or delete the file");
        expect(() => sortMigrations([parseMigrationFile("V1__a.sql", "SELECT 1"), parseMigrationFile("V001__b.sql", "SELECT 2")])).toThrow(
            "V001__b.sql: has version 1, like V1__a.sql; give one of them another version");
    });
    test("versions compare as numbers, repeatables come last", () => {
        const files = sortMigrations(["V10__j.sql", "R__b.sql", "V2__b.sql", "V1__a.sql", "R__a.sql"].map((n) => parseMigrationFile(n, "SELECT 1")));
        expect(files.map((f) => f.script)).toEqual(["V1__a.sql", "V2__b.sql", "V10__j.sql", "R__a.sql", "R__b.sql"]);
    });
    test("the no-transaction header counts only before the first statement", () => {
        expect(parseMigrationFile("V1__a.sql", "-- an index\n-- servicedb:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);").transactional).toBe(false);
        expect(parseMigrationFile("V1__a.sql", "SELECT 1;\n-- servicedb:no-transaction\n").transactional).toBe(true);
    });
    test("checksums ignore CRLF vs LF", () => {
        expect(checksumOf("a;\r\nb;")).toBe(checksumOf("a;\nb;"));
        expect(checksumOf("a;")).not.toBe(checksumOf("b;"));
    });
    test("loadMigrations reads .sql files of a folder and nothing else", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-mig-"));
        fs.writeFileSync(path.join(dir, "V2__b.sql"), "SELECT 2;");
        fs.writeFileSync(path.join(dir, "V1__a.sql"), "SELECT 1;");
        fs.writeFileSync(path.join(dir, "README.md"), "notes");
        expect(loadMigrations(dir).map((f) => f.script)).toEqual(["V1__a.sql", "V2__b.sql"]);
        fs.rmSync(dir, { recursive: true });
        expect(() => loadMigrations(dir)).toThrow(MigrationFileError);
    });
});

describe("splitStatements", () => {
    test("splits at top-level semicolons only", () => {
        const sql = [
            "CREATE TABLE a (t text DEFAULT 'x;y');",
            "-- a comment; with a semicolon",
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;",
            "CREATE FUNCTION g() RETURNS int AS $body$ BEGIN RETURN 2; END $body$ LANGUAGE plpgsql;",
            "/* block /* nested; */ still; */ SELECT E'it\\'s;' AS \"we;ird\";",
            "",
        ].join("\n");
        expect(splitStatements(sql).map((s) => s.sql)).toEqual([
            "CREATE TABLE a (t text DEFAULT 'x;y')",
            "-- a comment; with a semicolon\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
            "CREATE FUNCTION g() RETURNS int AS $body$ BEGIN RETURN 2; END $body$ LANGUAGE plpgsql",
            "/* block /* nested; */ still; */ SELECT E'it\\'s;' AS \"we;ird\"",
        ]);
    });
    test("offsets point into the original script", () => {
        const sql = "SELECT 1;\n\n  SELECT 2;";
        const [, second] = splitStatements(sql);
        expect(sql.slice(second.offset, second.offset + second.sql.length)).toBe("SELECT 2");
        expect(lineAndColumn(sql, second.offset)).toEqual({ line: 3, column: 3 });
    });
});

describe("computeStatus", () => {
    const row = (version: number, script: string, checksum: string, success = true): HistoryRow => ({
        installed_rank: version, version: String(version), description: script, type: "SQL", script, checksum,
        installed_by: "svc", installed_on: new Date("2026-01-02T03:04:05Z"), execution_time_ms: 1, success,
    });
    const f1 = parseMigrationFile("V1__a.sql", "SELECT 1;");
    const f2 = parseMigrationFile("V2__b.sql", "SELECT 2;");
    test("states", () => {
        const s = computeStatus([f1, f2], [row(1, "V1__a.sql", f1.checksum), row(3, "V3__c.sql", "abc")], { allowOutOfOrder: true, allowMissing: true });
        expect(s.infos.map((i) => [i.script, i.state])).toEqual([["V1__a.sql", "applied"], ["V2__b.sql", "pending"], ["V3__c.sql", "missing"]]);
        expect(s.problems).toEqual([]);
        expect(s.pending.map((p) => p.script)).toEqual(["V2__b.sql"]);
    });
    test("a failed row blocks", () => {
        const s = computeStatus([f1], [row(1, "V1__a.sql", f1.checksum, false)]);
        expect(s.infos[0].state).toBe("failed");
        expect(s.problems).toEqual(["V1__a.sql: failed or was interrupted on 2026-01-02T03:04:05.000Z outside a transaction and may have left changes behind; repair the database by hand, then delete the row of version 1 from servicedb_schema_history"]);
    });
});
