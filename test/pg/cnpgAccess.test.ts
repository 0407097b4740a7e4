/**
 * The access Job of a service on a CloudNativePG cluster, run here as the Job would run it
 * (`sh run.sh`: psql as the service's own roles, no admin) against roles and databases made the
 * way CloudNativePG's managed roles and Database objects make them. No kubelet runs here; this
 * is what proves the Job's SQL and migrations: PUBLIC shut out, a reader's grants (tables now and
 * later), guardrails and the second login's switch, migrations applied exactly once, a changed
 * repeatable re-applied, a failed migration leaving the database as before.
 */
import { execFile } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { Client } from "pg";
import { parseMigrationFile } from "../../src/migrations/files";
import { accessFiles } from "../../src/kubernetes/access";
import { serviceSpecOf } from "../../src/parse";
import type { ServiceSpec } from "../../src/spec";
import { asAdmin } from "./scratch";

const run = promisify(execFile);
const tag = randomBytes(3).toString("hex");
const chatRole = `sdb_k_${tag}_chat`;
const aiRole = `sdb_k_${tag}_ai`;
const dirs: string[] = [];

function chatSpec(migrations: Record<string, string>): ServiceSpec {
    const spec = serviceSpecOf("chat", { cluster: "chat", role: chatRole, database: chatRole, schemas: ["public", "messages"], readers: true, settings: { statementTimeout: "45s" } });
    return { ...spec, migrations: Object.entries(migrations).map(([f, sql]) => parseMigrationFile(f, sql)) };
}

/** Writes the Job's files to a folder and runs `sh run.sh` there, as the Job's container would. */
async function runJob(spec: ServiceSpec): Promise<{ code: number; stderr: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-access-"));
    dirs.push(dir);
    const { files, command } = accessFiles(spec, [{ role: aiRole, schemas: ["messages"] }], { host: "127.0.0.1", port: 5432, sslmode: "disable", dir });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    try {
        await run(command[0], command.slice(1), { env: { ...process.env, OWNER_PASSWORD: "x", SECOND_PASSWORD: "y" }, timeout: 60_000 });
        return { code: 0, stderr: "" };
    } catch (e) {
        const err = e as { code?: number; stderr?: string };
        return { code: typeof err.code === "number" ? err.code : 1, stderr: err.stderr ?? "" };
    }
}

async function as<T>(user: string, fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client({ host: "127.0.0.1", port: 5432, database: chatRole, user });
    c.on("error", () => undefined);
    await c.connect();
    try { return await fn(c); } finally { await c.end().catch(() => undefined); }
}

const V1 = "CREATE TABLE messages.messages (id bigint PRIMARY KEY, body text NOT NULL);\nCREATE TABLE public.drafts (id bigint);\n";

beforeAll(async () => {
    // What CloudNativePG makes from the managed roles and the Database object.
    await asAdmin(async (c) => {
        for (const r of [chatRole, `${chatRole}_b`, aiRole]) await c.query(`CREATE ROLE ${c.escapeIdentifier(r)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
        await c.query(`CREATE ROLE ${c.escapeIdentifier(`${chatRole}_reader`)} NOLOGIN`);
        await c.query(`GRANT ${c.escapeIdentifier(chatRole)} TO ${c.escapeIdentifier(`${chatRole}_b`)}`);
        await c.query(`CREATE DATABASE ${c.escapeIdentifier(chatRole)} OWNER ${c.escapeIdentifier(chatRole)} TEMPLATE template0`);
    });
    await asAdmin((c) => c.query(`CREATE SCHEMA messages AUTHORIZATION ${c.escapeIdentifier(chatRole)}`), chatRole);
}, 60_000);

afterAll(async () => {
    await asAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(chatRole)} WITH (FORCE)`);
        for (const r of [`${chatRole}_b`, `${chatRole}_reader`, aiRole, chatRole]) await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(r)}`);
    });
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}, 60_000);

test("the Job shuts PUBLIC out, grants the reads and guardrails, and applies each migration once", async () => {
    const spec = chatSpec({ "V1__create_messages.sql": V1, "R__latest.sql": "CREATE OR REPLACE VIEW messages.latest AS SELECT max(id) AS id FROM messages.messages;\n" });
    expect(await runJob(spec)).toEqual({ code: 0, stderr: "" });
    expect(await runJob(spec)).toEqual({ code: 0, stderr: "" }); // a re-run (a Job's retry) changes nothing

    const acl = await asAdmin((c) => c.query<{ datacl: string }>("SELECT datacl::text FROM pg_database WHERE datname = $1", [chatRole]));
    expect(acl.rows[0].datacl).not.toMatch(/(^|[{,])=/); // no PUBLIC entry
    expect(acl.rows[0].datacl).toContain(`${aiRole}=c/`);
    const history = await as(chatRole, (c) => c.query<{ script: string; n: string }>("SELECT script, count(*) AS n FROM public.servicedb_schema_history WHERE success GROUP BY script ORDER BY script"));
    expect(history.rows).toEqual([{ script: "R__latest.sql", n: "1" }, { script: "V1__create_messages.sql", n: "1" }]);
    // The second login becomes the owner; both carry the guardrails.
    const settings = await asAdmin((c) => c.query<{ rolname: string; rolconfig: string[] }>("SELECT rolname, rolconfig FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname", [[chatRole, `${chatRole}_b`]]));
    expect(settings.rows[0].rolconfig).toContain("statement_timeout=45000");
    expect(settings.rows[1].rolconfig).toEqual(expect.arrayContaining([`role=${chatRole}`, "statement_timeout=45000"]));
    // ai reads chat's messages, now and later, and nothing else.
    await as(chatRole, (c) => c.query("CREATE TABLE messages.later (id int)"));
    await as(aiRole, async (c) => {
        await expect(c.query("SELECT count(*) FROM messages.messages")).resolves.toBeDefined();
        await expect(c.query("SELECT count(*) FROM messages.later")).resolves.toBeDefined();
        await expect(c.query("SELECT count(*) FROM public.drafts")).rejects.toMatchObject({ code: "42501" });
        await expect(c.query("INSERT INTO messages.messages VALUES (1, 'x')")).rejects.toMatchObject({ code: "42501" });
    });
}, 120_000);

test("a changed repeatable runs again, a failing migration leaves the database as before and fails the Job", async () => {
    const changed = chatSpec({
        "V1__create_messages.sql": V1,
        "R__latest.sql": "CREATE OR REPLACE VIEW messages.latest AS SELECT max(id) AS id, count(*) AS n FROM messages.messages;\n",
    });
    expect(await runJob(changed)).toEqual({ code: 0, stderr: "" });
    const broken = chatSpec({ ...Object.fromEntries(changed.migrations.map((m) => [m.script, m.sql])), "V2__broken.sql": "CREATE TABLE messages.half (id int);\nSELECT no_such_column FROM messages.messages;\n" });
    const result = await runJob(broken);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("no_such_column");
    const after = await as(chatRole, (c) => c.query<{ t: string | null; n: string }>(
        "SELECT to_regclass('messages.half')::text AS t, (SELECT count(*) FROM public.servicedb_schema_history WHERE script = 'R__latest.sql') AS n"));
    expect(after.rows[0]).toEqual({ t: null, n: "2" });
}, 120_000);
