import { migrationPosition } from "../../src/backup/backup";
import { backupPaths, dumpFileName, parseManifest } from "../../src/backup/manifest";
import { libpqEnv, toolProblem } from "../../src/backup/pgTools";
import { restoreArgs } from "../../src/backup/restore";
import { checkScratchName, conninfoDbname, nonEmptyProblem } from "../../src/backup/target";
import { HistoryRow } from "../../src/migrations/history";
import { ServiceUnderTest } from "../../src/verify/outputs";

const MANIFEST = {
    format: "servicedb-backup/1", service: "orders", database: "orders", role: "orders", serverVersion: "15.20", migrationVersion: 3,
    lastMigration: "V003__x.sql", createdAt: "2026-01-02T03:04:05.678Z", file: "orders-x.dump", bytes: 10, sha256: "a".repeat(64),
};

describe("libpqEnv", () => {
    test("takes every part of the URL, decodes the password, drops inherited PG* variables", () => {
        const env = libpqEnv("postgresql://svc%40x:p%2Fw%3Ad@[::1]:6543/orders?sslmode=verify-full&sslrootcert=%2Fca.pem", undefined, { PATH: "/bin", PGSERVICE: "evil", PGPASSFILE: "/x" });
        expect(env).toEqual({ PATH: "/bin", PGHOST: "::1", PGPORT: "6543", PGUSER: "svc@x", PGPASSWORD: "p/w:d", PGDATABASE: "orders", PGSSLMODE: "verify-full", PGSSLROOTCERT: "/ca.pem" });
    });
    test("another database, the default port", () => {
        expect(libpqEnv("postgres://u:p@db.example/orders", "scratch", {})).toMatchObject({ PGPORT: "5432", PGDATABASE: "scratch" });
    });
    test.each([
        ["not a url", "the service's url is not a valid postgres:// URL; check the stack outputs"],
        ["mysql://u:p@h/d", "the service's url has protocol mysql:, not postgres:"],
        ["postgres://u:p@h/d?fallback=1", `the service's url has the parameter "fallback", which pg_dump/pg_restore cannot be given here; remove it from the url`],
    ])("%s is refused", (url, message) => expect(() => libpqEnv(url, undefined, {})).toThrow(message));
});

test("toolProblem: the error line, with the fix for a version mismatch", () => {
    expect(toolProblem("pg_dump", "pg_dump: error: connection to server failed: FATAL:  nope\n")).toBe("pg_dump: connection to server failed: FATAL:  nope");
    expect(toolProblem("pg_dump", "pg_dump: error: aborting because of server version mismatch\npg_dump: detail: server version: 17.0; pg_dump version: 15.20"))
        .toBe("pg_dump: aborting because of server version mismatch; install client tools of the server's major version or newer");
    expect(toolProblem("pg_restore", "")).toBe("pg_restore: failed without a message");
});

describe("manifest", () => {
    test("file names sort by time and hold no colon", () => {
        expect(dumpFileName("orders", new Date("2026-01-02T03:04:05.678Z"))).toBe("orders-2026-01-02T03-04-05.678Z.dump");
    });
    test("--from takes the dump or the manifest", () => {
        expect(backupPaths("b/orders-1.dump")).toEqual({ dump: "b/orders-1.dump", manifest: "b/orders-1.json" });
        expect(backupPaths("b/orders-1.json")).toEqual({ dump: "b/orders-1.dump", manifest: "b/orders-1.json" });
    });
    test("a valid manifest parses", () => expect(parseManifest(JSON.stringify(MANIFEST), "m.json")).toEqual(MANIFEST));
    test.each([
        ["{", /^m\.json is not JSON \(.*\); is it the manifest written by npm run backup\?$/],
        ["[]", /^m\.json is not a backup manifest \(not an object\)$/],
        [JSON.stringify({ ...MANIFEST, format: "other" }), /^m\.json: format is "other", expected "servicedb-backup\/1"/],
        [JSON.stringify({ ...MANIFEST, service: undefined }), /^m\.json: field "service" is missing or not a string$/],
        [JSON.stringify({ ...MANIFEST, sha256: "xyz" }), /^m\.json: field "sha256" is not 64 hex digits$/],
        [JSON.stringify({ ...MANIFEST, bytes: -1 }), /^m\.json: field "bytes" is not a whole number$/],
        [JSON.stringify({ ...MANIFEST, migrationVersion: "3" }), /^m\.json: field "migrationVersion" is neither a whole number nor null$/],
    ])("%s is refused", (text, message) => expect(() => parseManifest(text, "m.json")).toThrow(message));
});

describe("restore target", () => {
    test.each([
        ["orders_inspect", undefined],
        ["1abc", `--as "1abc": use letters, digits, "_" and "-" (starting with a letter or "_")`],
        ["a b", `--as "a b": use letters, digits, "_" and "-" (starting with a letter or "_")`],
        ["x".repeat(64), `--as "${"x".repeat(64)}": longer than PostgreSQL's 63-byte limit for names`],
        ["orders", `--as "orders" is the service's live database; to restore into it, leave out --as`],
    ])("scratch name %s", (name, problem) => expect(checkScratchName(name, "orders")).toBe(problem));
    test("database names never become a connection string", () => {
        expect(conninfoDbname("host=evil")).toBe("dbname='host=evil'");
        expect(conninfoDbname("it's\\x")).toBe("dbname='it\\'s\\\\x'");
    });
    test("the non-empty refusal names some objects and the ways forward", () => {
        expect(nonEmptyProblem("orders", ["public.a", "public.b", "public.c", "public.f()"])).toBe(
            "database orders is not empty (4 object(s): public.a, public.b, public.c, …); nothing was restored. Use --clean to drop and recreate the backup's objects, --force to restore on top of what is there, or --as <name> for a new scratch database");
    });
    test("pg_restore runs as the service role, in one transaction, cleaning only with --clean", () => {
        const s = { username: "orders_role" } as ServiceUnderTest;
        expect(restoreArgs(s, "orders", "clean", "/b/x.dump")).toEqual(["--no-owner", "--role=orders_role", "--single-transaction", "--exit-on-error", "--no-password", "--clean", "--if-exists", "--dbname=dbname='orders'", "/b/x.dump"]);
        expect(restoreArgs(s, "orders", "force", "/b/x.dump")).not.toContain("--clean");
    });
});

test("migrationPosition: highest successful version (baseline included), last script", () => {
    const row = (version: string | null, type: HistoryRow["type"], script: string, success = true) => ({ version, type, script, success }) as HistoryRow;
    expect(migrationPosition([])).toEqual({ version: null, script: null });
    expect(migrationPosition([row("5", "BASELINE", "<< Baseline >>"), row("6", "SQL", "V006__a.sql"), row(null, "SQL_REPEATABLE", "R__v.sql"), row("7", "SQL", "V007__b.sql", false)]))
        .toEqual({ version: 6, script: "R__v.sql" });
});
