import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { CliIo, runCli } from "../../src/migrations/cli";
import { Scratch, scratchDatabase } from "./scratch";

const ROOT = path.resolve(__dirname, "../..");

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), isTty: false };
}

let db: Scratch;
let dir: string;
let url: string;
beforeEach(async () => {
    db = await scratchDatabase();
    url = `postgresql://postgres@127.0.0.1:5432/${db.database}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-cli-"));
    fs.writeFileSync(path.join(dir, "V001__create_users.sql"), "CREATE TABLE users (id bigint PRIMARY KEY);");
    fs.writeFileSync(path.join(dir, "V002__add_user_roles.sql"), "CREATE TABLE user_roles (user_id bigint REFERENCES users(id));");
});
afterEach(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db.drop();
});

test("info --json, migrate, info again", async () => {
    let io = capture();
    expect(await runCli(["info", "--dir", dir, "--url", url, "--json"], io)).toBe(0);
    const before = JSON.parse(io.stdout[0]) as { version: number; description: string; checksum: string; state: string }[];
    expect(before.map((i) => [i.version, i.description, i.state])).toEqual([["1", "create users", "pending"], ["2", "add user roles", "pending"]]);
    expect(before[0].checksum).toMatch(/^[0-9a-f]{64}$/);

    io = capture();
    expect(await runCli(["migrate", "--dir", dir, "--url", url], io)).toBe(0);
    expect(io.stdout).toEqual([`applied 2 migration(s) from ${dir}`]);

    io = capture();
    expect(await runCli(["info", `--dir=${dir}`, `--url=${url}`, "--json"], io)).toBe(0);
    expect((JSON.parse(io.stdout[0]) as { state: string }[]).map((i) => i.state)).toEqual(["applied", "applied"]);
});

test("validate fails with one line after an applied file changed", async () => {
    expect(await runCli(["migrate", "--dir", dir, "--url", url], capture())).toBe(0);
    fs.appendFileSync(path.join(dir, "V001__create_users.sql"), "\nALTER TABLE users ADD COLUMN x int;");
    const io = capture();
    expect(await runCli(["validate", "--dir", dir, "--url", url], io)).toBe(1);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^servicedb migrate: 1 problem\(s\): V001__create_users\.sql: was applied with checksum [0-9a-f]{12}… but the file now has [0-9a-f]{12}…; applied migrations are immutable/);
    const mig = capture();
    expect(await runCli(["migrate", "--dir", dir, "--url", url], mig)).toBe(1);
    expect(mig.stderr).toHaveLength(1);
    expect(mig.stderr[0]).toMatch(/^servicedb migrate: validation failed, nothing applied: V001__create_users\.sql: was applied/);
});

test("baseline marks an existing database; only later files apply", async () => {
    await (await db.client()).query("CREATE TABLE users (id bigint PRIMARY KEY)");
    const io = capture();
    expect(await runCli(["baseline", "--dir", dir, "--url", url, "--version", "1"], io)).toBe(0);
    expect(io.stdout).toEqual(["baselined at version 1"]);
    const m = capture();
    const code = await runCli(["migrate", "--dir", dir, "--url", url, "--json"], m);
    expect(m.stderr).toEqual([]);
    expect(code).toBe(0);
    expect((JSON.parse(m.stdout[0]) as { script: string }[]).map((a) => a.script)).toEqual(["V002__add_user_roles.sql"]);
});

test.each([
    ["a malformed URL", ["migrate", "--dir", "DIR", "--url", "not a url"], 1, "servicedb migrate: --url is not a postgres:// or postgresql:// URL"],
    ["an unreachable server", ["migrate", "--dir", "DIR", "--url", "postgresql://postgres@127.0.0.1:1/x"], 1, "servicedb migrate: cannot connect to 127.0.0.1:1: connection refused (is PostgreSQL running there?)"],
    ["a database that does not exist", ["info", "--dir", "DIR", "--url", "postgresql://postgres@127.0.0.1:5432/sdb_no_such_db"], 1, `servicedb migrate: database "sdb_no_such_db" does not exist`],
    ["a missing folder", ["migrate", "--dir", "/nonexistent/migrations", "--url", "URL"], 1, "servicedb migrate: /nonexistent/migrations: no such migrations folder"],
    ["a bad file name", ["migrate", "--dir", "BADDIR", "--url", "URL"], 1, "servicedb migrate: 1_init.sql: is not a migration file name; use V<version>__<description>.sql (e.g. V001__create_users.sql, V1.2__add_index.sql) or R__<description>.sql"],
])("%s: one line, non-zero exit, nothing changed", async (_what, argv, code, line) => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-bad-"));
    fs.writeFileSync(path.join(bad, "1_init.sql"), "SELECT 1;");
    const io = capture();
    const args = argv.map((a) => (a === "DIR" ? dir : a === "BADDIR" ? bad : a === "URL" ? url : a));
    expect(await runCli(args, io)).toBe(code);
    expect(io.stderr).toEqual([line]);
    const check = await db.client();
    expect((await check.query("SELECT to_regclass('servicedb_schema_history') AS t")).rows[0].t).toBeNull();
    fs.rmSync(bad, { recursive: true });
});

test("usage errors exit 2", async () => {
    const io = capture();
    expect(await runCli(["migrate", "--dir", dir], io, {})).toBe(2);
    expect(io.stderr[0]).toBe("servicedb migrate: --url is required (or set DATABASE_URL)");
});

test("npm run migrate works as a command (exit codes and stdout)", async () => {
    const run = promisify(execFile);
    const ok = await run("npm", ["run", "-s", "migrate", "--", "migrate", "--dir", dir, "--url", url, "--json"], { cwd: ROOT });
    expect((JSON.parse(ok.stdout) as unknown[]).length).toBe(2);
    const bad = await run("npm", ["run", "-s", "migrate", "--", "migrate", "--dir", dir, "--url", "postgresql://postgres@127.0.0.1:1/x"], { cwd: ROOT }).then(() => undefined, (e: { code: number; stderr: string }) => e);
    expect(bad?.code).toBe(1);
    expect(bad?.stderr.trim().split("\n").filter((l) => l.startsWith("servicedb migrate:"))).toEqual(["servicedb migrate: cannot connect to 127.0.0.1:1: connection refused (is PostgreSQL running there?)"]);
}, 60_000);

test("a wrong password: one line, exit 1, nothing changed", async () => {
    const { asAdmin } = await import("./scratch");
    const { withScramFor } = await import("./hba");
    const role = `sdb_mpw_${process.pid}`;
    await asAdmin(async (c) => {
        await c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'right-password'`);
        await c.query(`GRANT ALL ON DATABASE ${c.escapeIdentifier(db.database)} TO ${role}`);
    });
    try {
        await withScramFor([role], async () => {
            const io = capture();
            expect(await runCli(["migrate", "--dir", dir, "--url", `postgresql://${role}:wrong@127.0.0.1:5432/${db.database}`], io)).toBe(1);
            expect(io.stderr).toEqual([`servicedb migrate: password authentication failed for user "${role}" (wrong password)`]);
        });
        const check = await db.client();
        expect((await check.query("SELECT to_regclass('servicedb_schema_history') AS t")).rows[0].t).toBeNull();
    } finally {
        await db.drop();
        await asAdmin((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
        db = await scratchDatabase();
    }
});
