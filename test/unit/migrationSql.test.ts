/**
 * The pure parts of reading real-world migration files: psql's statement boundaries, COPY data,
 * the no-transaction header, BOMs, character positions, Flyway versions and the statements that
 * cannot run in a transaction. (test/pg/migrationsSplitPsql.test.ts holds the splitter against
 * psql itself; test/corpus/ whole files through both.)
 */
import * as path from "path";
import { nonTransactionalKind } from "../../src/migrations/checks";
import { checksumOf, loadMigrations, parseMigrationFile, sortMigrations } from "../../src/migrations/files";
import { backoff } from "../../src/migrations/lock";
import { indexOfChar, lineAndColumn } from "../../src/migrations/positions";
import { leadingComments, splitStatements } from "../../src/migrations/sqlSplit";
import { canonicalVersion, compareVersions } from "../../src/migrations/versions";
import { stepsOf } from "../../src/migrations/apply";

const sqls = (script: string) => splitStatements(script).map((s) => s.sql);

describe("splitStatements follows psql", () => {
    test("parentheses keep CREATE RULE … DO (…; …) whole", () => {
        expect(sqls("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); INSERT INTO log VALUES (2));\nSELECT 1;"))
            .toEqual(["CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); INSERT INTO log VALUES (2))", "SELECT 1"]);
    });
    test("BEGIN ATOMIC … END bodies, with CASE … END inside, stay whole; BEGIN elsewhere does not nest", () => {
        const fn = "CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\n  SELECT a;\nEND";
        expect(sqls(`${fn};\nCREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;\nBEGIN;\nSELECT 2;`))
            .toEqual([fn, "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END", "BEGIN", "SELECT 2"]);
    });
    test("dollar-quote tags may hold non-ASCII letters; `$` inside an identifier starts nothing", () => {
        expect(sqls("CREATE FUNCTION g() RETURNS text AS $é$ SELECT ';' $é$ LANGUAGE sql;\nSELECT a$b$c FROM t;\nSELECT $1;"))
            .toEqual(["CREATE FUNCTION g() RETURNS text AS $é$ SELECT ';' $é$ LANGUAGE sql", "SELECT a$b$c FROM t", "SELECT $1"]);
    });
    test("quotes of every kind, nested comments and line comments hide semicolons", () => {
        const script = "SELECT E'it\\'s;', U&'d;', B'1', X'0;', N'n;', 'a''b;' AS \"we;ird\"; -- c; d\n/* x /* y; */ z; */ SELECT 2;";
        expect(sqls(script)).toEqual(["SELECT E'it\\'s;', U&'d;', B'1', X'0;', N'n;', 'a''b;' AS \"we;ird\"", "-- c; d\n/* x /* y; */ z; */ SELECT 2"]);
    });
    test("COPY … FROM stdin takes the lines up to \\. as data, semicolons and quotes included", () => {
        const script = "CREATE TABLE t (a int, b text);\nCOPY public.t (a, b) FROM stdin;\n1\tx;y\n2\t'q\n\\.\nSELECT 3;\n";
        const st = splitStatements(script);
        expect(st.map((s) => s.sql)).toEqual(["CREATE TABLE t (a int, b text)", "COPY public.t (a, b) FROM stdin", "SELECT 3"]);
        expect(st[1].copy).toEqual({ data: "1\tx;y\n2\t'q\n", offset: script.indexOf("1\tx"), trailing: "" });
        expect(splitStatements("COPY t FROM STDIN;\r\n1\r\n\\.\r\nSELECT 1;")[0].copy?.data).toBe("1\r\n");
        expect(splitStatements("COPY t FROM stdin;\n1\n")[0].copy?.data).toBe("1\n");
        expect(splitStatements("COPY (SELECT 1 FROM stdin) TO stdout;\nSELECT 2;").map((s) => s.copy)).toEqual([undefined, undefined]);
    });
    test("a file cut at its COPY statements", () => {
        const sql = "CREATE TABLE t (a int);\nCOPY t FROM stdin;\n1\n\\.\nSELECT 1;\nSELECT 2;\n";
        const steps = stepsOf(sql, splitStatements(sql));
        expect(steps.map((s) => ("chunk" in s ? s.chunk.text : `COPY ${s.copy.copy?.data}`))).toEqual(["CREATE TABLE t (a int);\n", "COPY 1\n", "SELECT 1;\nSELECT 2;\n"]);
    });
});

describe("file headers, BOMs and positions", () => {
    test("the no-transaction header counts after block comments (SPDX), not after a statement", () => {
        const spdx = "/* SPDX-License-Identifier: Apache-2.0 */\n/* multi\n   line */\n-- servicedb:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);";
        expect(leadingComments(spdx)).toHaveLength(3);
        expect(parseMigrationFile("V1__a.sql", spdx).transactional).toBe(false);
        expect(parseMigrationFile("V1__a.sql", "\uFEFF-- servicedb:no-transaction\r\nVACUUM t;").transactional).toBe(false);
        expect(parseMigrationFile("V1__a.sql", "SELECT 1;\n-- servicedb:no-transaction\n").transactional).toBe(true);
    });
    test("a BOM is dropped from the SQL and from the checksum; checksums of existing files do not change", () => {
        const f = parseMigrationFile("V1__a.sql", "\uFEFFCREATE TABLE a (id int);");
        expect(f.sql).toBe("CREATE TABLE a (id int);");
        expect(f.checksum).toBe(checksumOf("CREATE TABLE a (id int);"));
        // Pinned: computed by the release before BOM handling; deployed histories hold these.
        expect(loadMigrations(path.join(__dirname, "../../migrations/orders")).map((m) => m.checksum)).toEqual([
            "74641dd1527f2865ceaa3f5147e0ef604964a39b41baabc60fad2d62632ea5e2",
            "d567e6e2b7c9a72bc0f51c8c234c88e0558fda00e3b56ce7d5f419ee772c04b0",
            "9dbec5d6d27658b70ada01dfe6a2d19e5b81ef2fb31e909e61163a0e72ac11b2",
        ]);
    });
    test("PostgreSQL's character positions map to the right column on lines with characters outside the BMP", () => {
        const text = "SELECT 1;\nSELECT '😀😀', nope;";
        const serverPosition = [...text].indexOf("n") + 1; // 1-based, in characters, as the server counts
        const idx = indexOfChar(text, serverPosition - 1);
        expect(text.slice(idx, idx + 4)).toBe("nope");
        expect(lineAndColumn(text, idx)).toEqual({ line: 2, column: 14 });
    });
});

describe("Flyway versions", () => {
    test("dots or underscores, compared part by part numerically", () => {
        expect(["1", "001", "1.1", "1_2", "2.0.1", "1.10"].map(canonicalVersion)).toEqual(["1", "1", "1.1", "1.2", "2.0.1", "1.10"]);
        expect(compareVersions("1.10", "1.9")).toBeGreaterThan(0);
        expect(compareVersions("1.0", "1")).toBe(0);
        const files = sortMigrations(["V2.0.1__c.sql", "V1_2__b.sql", "V10__e.sql", "V1.1__a.sql", "V2__d.sql", "V1__z.sql"].map((n) => parseMigrationFile(n, "SELECT 1")));
        expect(files.map((f) => f.version)).toEqual(["1", "1.1", "1.2", "2", "2.0.1", "10"]);
        expect(() => sortMigrations([parseMigrationFile("V1__a.sql", "SELECT 1"), parseMigrationFile("V1.0__b.sql", "SELECT 1")])).toThrow(
            "V1.0__b.sql: has version 1.0, like V1__a.sql; give one of them another version");
    });
});

describe("statements checked before anything runs", () => {
    test("statements PostgreSQL refuses in a transaction block", () => {
        const kind = (sql: string) => nonTransactionalKind(splitStatements(sql)[0].words);
        expect(kind("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (c)")).toBe("CREATE INDEX CONCURRENTLY");
        expect(kind("DROP INDEX CONCURRENTLY i")).toBe("DROP INDEX CONCURRENTLY");
        expect(kind("REINDEX (VERBOSE) TABLE CONCURRENTLY t")).toBe("REINDEX CONCURRENTLY");
        expect(kind("VACUUM (ANALYZE) t")).toBe("VACUUM");
        expect(kind("ALTER TABLE p DETACH PARTITION c CONCURRENTLY")).toBe("ALTER TABLE … DETACH PARTITION … CONCURRENTLY");
        expect(kind("CREATE INDEX i ON t (concurrently)")).toBeUndefined();
        expect(kind("ALTER TYPE mood ADD VALUE 'ok'")).toBeUndefined();
    });
    test("a transactional file holding one is refused with its line and the fix; COMMIT too", () => {
        expect(() => parseMigrationFile("V3__idx.sql", "CREATE TABLE t (c int);\n\nVACUUM t;")).toThrow(
            'V3__idx.sql: line 3: VACUUM cannot run inside a transaction, and this file runs in one; add the line "-- servicedb:no-transaction" to the file\'s header (the comments before the first statement) so that it runs statement by statement');
        expect(() => parseMigrationFile("V3__c.sql", "INSERT INTO t VALUES (1);\nCOMMIT;")).toThrow(
            "V3__c.sql: line 2: COMMIT would end the transaction that holds this migration and its history row; remove it (each file runs in one transaction), or make the file no-transaction");
        expect(parseMigrationFile("V3__s.sql", "SAVEPOINT a; ROLLBACK TO SAVEPOINT a;").transactional).toBe(true);
        expect(() => parseMigrationFile("V4__copy.sql", "COPY t FROM stdin; SELECT 1;\n1\n\\.\n")).toThrow(/^V4__copy\.sql: line 1: has text after the semicolon of COPY … FROM stdin/);
    });
});

test("the lock is polled with a bounded backoff", () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => backoff(a, () => 0.5))).toEqual([20, 40, 80, 160, 250, 250, 250]);
    expect(backoff(0, () => 0)).toBe(15);
    expect(backoff(9, () => 1)).toBe(313);
});
