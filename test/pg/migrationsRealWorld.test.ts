/**
 * Real-world file shapes on the real server: COPY … FROM stdin data (both modes), error
 * positions (characters outside the BMP, errors without a position, COPY data lines), the
 * transaction hint, Flyway versions and the history table of earlier releases.
 */
import { Client } from "pg";
import { MigrationFile, parseMigrationFile, sortMigrations } from "../../src/migrations/files";
import { info, migrate, validate } from "../../src/migrations/runner";
import { Scratch, scratchDatabase } from "./scratch";

let db: Scratch;
let c: Client;
beforeEach(async () => {
    db = await scratchDatabase("sdb_real");
    c = await db.client();
});
afterEach(async () => { await db.drop(); });

const files = (entries: Record<string, string>) => sortMigrations(Object.entries(entries).map(([s, sql]) => parseMigrationFile(s, sql)));
const failure = (p: Promise<unknown>) => p.then(() => "no error", (e: Error) => e.message);

const DUMP = [
    "CREATE TABLE public.film (id integer NOT NULL, title text, note text);",
    "COPY public.film (id, title, note) FROM stdin;",
    "1\tAcademy; Dinosaur\t\\N",
    "2\tAce 'Goldfinger'\tline\\nbreak",
    "3\tÉté 😀\t$$",
    "\\.",
    "",
    "ALTER TABLE ONLY public.film ADD CONSTRAINT film_pkey PRIMARY KEY (id);",
    "",
].join("\n");
const films = async () => (await c.query("SELECT id, title, note FROM film ORDER BY id")).rows;
const EXPECTED = [
    { id: 1, title: "Academy; Dinosaur", note: null },
    { id: 2, title: "Ace 'Goldfinger'", note: "line\nbreak" },
    { id: 3, title: "Été 😀", note: "$$" },
];

test("COPY … FROM stdin with inline data, in a transaction and outside one", async () => {
    await migrate(c, files({ "V1__dump.sql": DUMP }));
    expect(await films()).toEqual(EXPECTED);
    await c.query("DROP TABLE film; DROP TABLE servicedb_schema_history");
    await migrate(c, files({ "V1__dump.sql": `/* SPDX-License-Identifier: CC0-1.0 */\n-- servicedb:no-transaction\n${DUMP}` }));
    expect(await films()).toEqual(EXPECTED);
    expect(await validate(c, files({ "V1__dump.sql": `/* SPDX-License-Identifier: CC0-1.0 */\n-- servicedb:no-transaction\n${DUMP}` }))).toEqual([]);
});

test("a bad COPY data row names its line in the file, and the file is rolled back", async () => {
    const bad = DUMP.replace("2\tAce", "two\tAce");
    expect(await failure(migrate(c, files({ "V1__dump.sql": bad })))).toBe(
        'V1__dump.sql: COPY data, line 4: invalid input syntax for type integer: "two" (SQLSTATE 22P02); the migration was rolled back; earlier migrations stay applied');
    expect((await c.query("SELECT to_regclass('film') AS t")).rows[0].t).toBeNull();
});

test("error columns count characters like PostgreSQL; errors without a position name the statement's line", async () => {
    expect(await failure(migrate(c, files({ "V1__emoji.sql": "CREATE TABLE t (a text);\nINSERT INTO t VALUES ('😀😀'), (nope);" })))).toBe(
        'V1__emoji.sql: line 2, column 31: column "nope" does not exist (SQLSTATE 42703); the migration was rolled back; earlier migrations stay applied');
    expect(await failure(migrate(c, files({ "V1__dup.sql": "CREATE TABLE t (a int PRIMARY KEY);\nINSERT INTO t VALUES (1);\n\nINSERT INTO t\n  VALUES (1);\nSELECT 1;" })))).toBe(
        'V1__dup.sql: statement at line 4: duplicate key value violates unique constraint "t_pkey" (SQLSTATE 23505); the migration was rolled back; earlier migrations stay applied');
    expect(await failure(migrate(c, files({ "V1__dup.sql": "-- servicedb:no-transaction\nCREATE TABLE t (a int PRIMARY KEY);\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (1);" })))).toBe(
        'V1__dup.sql: statement at line 4: duplicate key value violates unique constraint "t_pkey" (SQLSTATE 23505); it ran outside a transaction: statements before this one stay applied');
});

test("a statement PostgreSQL refuses in a transaction gets the fix in its error", async () => {
    const sneaky: MigrationFile = { ...parseMigrationFile("V1__idx.sql", "SELECT 1;"), sql: "CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);" };
    expect(await failure(migrate(c, [sneaky]))).toBe(
        'V1__idx.sql: statement at line 2: CREATE INDEX CONCURRENTLY cannot run inside a transaction block (SQLSTATE 25001); this statement cannot run inside a transaction: add the line "-- servicedb:no-transaction" to the file\'s header; the migration was rolled back; earlier migrations stay applied');
});

test("a BOM, SQL-standard bodies, rules and non-ASCII dollar tags apply as psql applies them", async () => {
    await migrate(c, files({
        "V1__bom.sql": "\uFEFFCREATE TABLE t (id int);\nCREATE TABLE log (id int);",
        "V2__rule.sql": "-- servicedb:no-transaction\nCREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (NEW.id); INSERT INTO log VALUES (NEW.id + 1));\nINSERT INTO t VALUES (10);",
        "V3__atomic.sql": "-- servicedb:no-transaction\nCREATE FUNCTION twice(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN a > 0 THEN a * 2 ELSE 0 END; END;\nCREATE FUNCTION semi() RETURNS text AS $é$ SELECT ';'::text $é$ LANGUAGE sql;",
    }));
    expect((await c.query("SELECT array_agg(id ORDER BY id) AS ids FROM log")).rows[0].ids).toEqual([10, 11]);
    expect((await c.query("SELECT twice(4) AS a, semi() AS b")).rows[0]).toEqual({ a: 8, b: ";" });
});

test("Flyway versions apply in order and are stored as text", async () => {
    const v1 = parseMigrationFile("V001__a.sql", "CREATE TABLE a (id int);");
    expect((await migrate(c, [v1])).map((a) => a.version)).toEqual(["1"]);
    const set = sortMigrations([v1, ...files({ "V1.1__b.sql": "CREATE TABLE b (id int);", "V1_2__c.sql": "CREATE TABLE c (id int);", "V2.0.1__d.sql": "CREATE TABLE d (id int);", "V10__e.sql": "CREATE TABLE e (id int);" })]);
    expect((await migrate(c, set)).map((a) => [a.version, a.script])).toEqual([["1.1", "V1.1__b.sql"], ["1.2", "V1_2__c.sql"], ["2.0.1", "V2.0.1__d.sql"], ["10", "V10__e.sql"]]);
    expect((await c.query("SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'servicedb_schema_history'::regclass AND attname = 'version'")).rows[0].t).toBe("text");
    expect((await info(c, set)).map((i) => [i.version, i.state])).toEqual([["1", "applied"], ["1.1", "applied"], ["1.2", "applied"], ["2.0.1", "applied"], ["10", "applied"]]);
    const late = sortMigrations([...set, parseMigrationFile("V1.5__late.sql", "SELECT 1;")]);
    expect(await validate(c, late)).toEqual(["V1.5__late.sql: version 1.5 is pending but version 10 is already applied (out of order); give it a version above 10, or allow out-of-order migrations"]);
});
