/**
 * The splitter against psql itself: psql -e echoes every statement it sends, exactly as sent
 * (from its first character to its semicolon), so on a script without line comments (psql drops
 * those) the echo must be our statements, one after the other.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { splitStatements } from "../../src/migrations/sqlSplit";
import { Scratch, scratchDatabase } from "./scratch";

const SCRIPT = [
    "CREATE TABLE t (id int, \"we;ird\" text DEFAULT 'x;y', b bit(3) DEFAULT B'101');",
    "CREATE TABLE log (id int);",
    "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (NEW.id); INSERT INTO log VALUES (NEW.id + 1));",
    "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\n  SELECT a;\nEND;",
    "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO log VALUES (1); END;",
    "CREATE FUNCTION g() RETURNS text AS $é$ SELECT ';'::text $é$ LANGUAGE sql;",
    "CREATE FUNCTION h() RETURNS text AS $x$ SELECT $$;$$ $x$ LANGUAGE sql;",
    "/* block /* nested; */ still; */ SELECT E'it\\'s;' AS x, U&'d;' AS y, 'a''b;' AS z;",
    "SELECT 1 AS a$b$c;",
    "SELECT (1; 2;",
].join("\n") + "\n";

let db: Scratch;
beforeAll(async () => { db = await scratchDatabase("sdb_split"); });
afterAll(async () => { await db.drop(); });

test("statement boundaries are psql's", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sdb-split-")), "script.sql");
    fs.writeFileSync(file, SCRIPT);
    // The last statement is unbalanced on purpose: psql sends it at the end of the file, and the
    // server refuses it; without ON_ERROR_STOP the echo is complete.
    const echo = execFileSync("psql", ["-X", "-q", "-e", "-h", String(db.config.host), "-U", String(db.config.user), "-d", db.database, "-f", file, "-o", "/dev/null"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    fs.rmSync(path.dirname(file), { recursive: true });
    const ours = splitStatements(SCRIPT).map((s, i, all) => s.sql + (i < all.length - 1 ? ";" : ""));
    expect(echo).toBe(ours.map((s) => `${s}\n`).join(""));
    expect(ours).toHaveLength(10);
});
