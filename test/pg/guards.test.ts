/**
 * Guardrails and reads on the real server, through the providers both cores use: a statement past
 * one service's statement_timeout is cancelled for that service only, an idle transaction past
 * its timeout is ended, a reader sees a table created after the grant and may do nothing else.
 */
import { randomBytes } from "crypto";
import { Client } from "pg";
import { checkCore, createCore, deleteCore } from "../../src/core/provider";
import { CoreInputs, CoreOutputs } from "../../src/core/inputs";
import { checkLoginSettings, createLoginSettings, deleteLoginSettings, readLoginSettings } from "../../src/core/loginSettings";
import { ReadsInputs, createReads, deleteReads, readReads, updateReads } from "../../src/core/readsProvider";
import { asAdmin } from "./scratch";

const tag = randomBytes(3).toString("hex");
const SERVER = { host: "127.0.0.1", port: 5432, adminUser: "postgres", sslmode: "disable", maintenanceDatabase: "postgres", superuser: true, parallelism: 2, reservedConnections: 10 };
const inputs = (service: string, parameters: Record<string, string>): CoreInputs => checkCore({
    ...SERVER, owner: `test/${tag}`, role: `sdb_g_${tag}_${service}`, database: `sdb_g_${tag}_${service}`, connectionLimit: 5,
    schemas: ["public", "app"], extensions: [], readers: true, parameters, rotationA: "", rotationB: "0", passwordLength: 32,
}).inputs;

const made: CoreOutputs[] = [];
let chat: CoreOutputs;
let ai: CoreOutputs;
let users: CoreOutputs;

async function as<T>(o: CoreOutputs, database: string, fn: (c: Client) => Promise<T>, slot: "a" | "b" = "a"): Promise<T> {
    const c = new Client({ host: "127.0.0.1", port: 5432, database, user: slot === "a" ? o.role : `${o.role}_b`, password: slot === "a" ? o.passwordA : o.passwordB });
    c.on("error", () => undefined);
    await c.connect();
    try { return await fn(c); } finally { await c.end().catch(() => undefined); }
}

const code = async (p: Promise<unknown>): Promise<string> => p.then(() => "ok", (e: { code?: string }) => e.code ?? "error");

beforeAll(async () => {
    chat = await createCore(inputs("chat", { statement_timeout: "300", idle_in_transaction_session_timeout: "500" }));
    ai = await createCore(inputs("ai", { statement_timeout: "5000" }));
    users = await createCore(inputs("users", {}));
    made.push(chat, ai, users);
}, 120_000);

afterAll(async () => {
    for (const o of made) await deleteCore(o).catch(() => undefined);
}, 120_000);

describe("guardrails", () => {
    test("a statement past statement_timeout is cancelled, for that service's logins only", async () => {
        for (const slot of ["a", "b"] as const) expect(await code(as(chat, chat.database, (c) => c.query("SELECT pg_sleep(1)"), slot))).toBe("57014");
        expect(await code(as(ai, ai.database, (c) => c.query("SELECT pg_sleep(1)")))).toBe("ok");
    });

    test("a transaction left idle past its timeout is ended, its session with it", async () => {
        const result = await as(chat, chat.database, async (c) => {
            await c.query("BEGIN");
            await new Promise((r) => setTimeout(r, 1500));
            return code(c.query("SELECT 1"));
        });
        expect(result).not.toBe("ok");
        expect(await code(as(users, users.database, async (c) => { await c.query("BEGIN"); await new Promise((r) => setTimeout(r, 1500)); await c.query("SELECT 1"); }))).toBe("ok");
    });

    test("the logins' pg_db_role_setting holds exactly the declared parameters (the role switch aside)", async () => {
        const rows = await asAdmin((c) => c.query<{ rolname: string; setconfig: string[] }>(
            "SELECT r.rolname, s.setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = ANY($1) ORDER BY 1", [[chat.role, `${chat.role}_b`]]));
        expect(rows.rows.map((r) => [r.rolname, r.setconfig.filter((x) => !x.startsWith("role=")).sort()])).toEqual([
            [chat.role, ["idle_in_transaction_session_timeout=500", "statement_timeout=300"]],
            [`${chat.role}_b`, ["idle_in_transaction_session_timeout=500", "statement_timeout=300"]],
        ]);
    });

    test("LoginSettings (the chain's): sets, reads back, resets on delete", async () => {
        const i = checkLoginSettings({ ...SERVER, logins: [users.role, `${users.role}_b`], parameters: { work_mem: "8192" }, managed: ["lock_timeout", "temp_file_limit", "work_mem"] }).inputs;
        const outs = await createLoginSettings(i);
        expect(await as(users, users.database, (c) => c.query<{ work_mem: string }>("SHOW work_mem"), "b").then((r) => r.rows[0].work_mem)).toBe("8MB");
        await asAdmin((c) => c.query(`ALTER ROLE ${c.escapeIdentifier(users.role)} RESET work_mem`));
        const { props } = await readLoginSettings("id", outs);
        expect(props.loginSettings).toEqual({ [users.role]: "none", [`${users.role}_b`]: "work_mem=8192" });
        await deleteLoginSettings(outs);
        expect((await readLoginSettings("id", outs)).props.loginSettings).toEqual({ [users.role]: "none", [`${users.role}_b`]: "none" });
    });
});

describe("reads", () => {
    let reads: ReadsInputs;
    const grant = (o: CoreOutputs, schemas = ["public", "app"]) => ({ service: o.role, database: o.database, owner: o.role, schemas });

    test("ai reads chat: SELECT on a table created after the grant, nothing else", async () => {
        reads = await createReads({ ...SERVER, role: ai.role, reads: [grant(chat)] });
        await as(chat, chat.database, (c) => c.query("CREATE TABLE app.messages (id int, body text); INSERT INTO app.messages VALUES (1, 'hi')"), "b");
        for (const slot of ["a", "b"] as const) {
            expect(await as(ai, chat.database, (c) => c.query<{ n: string }>("SELECT count(*) AS n FROM app.messages"), slot).then((r) => r.rows[0].n)).toBe("1");
            for (const write of ["INSERT INTO app.messages VALUES (2, 'x')", "UPDATE app.messages SET body = 'x'", "DELETE FROM app.messages", "TRUNCATE app.messages", "CREATE TABLE app.mine (x int)"]) {
                expect(await code(as(ai, chat.database, (c) => c.query(write), slot))).toBe("42501");
            }
        }
        expect(await code(as(ai, users.database, (c) => c.query("SELECT 1")))).toBe("42501");
    });

    test("a grant revoked by hand shows in the refresh; the update converges", async () => {
        await asAdmin((c) => c.query(`REVOKE SELECT ON app.messages FROM ${c.escapeIdentifier(ai.role)}`), chat.database);
        const { props } = await readReads("id", reads);
        expect(props.readStates?.[chat.role]).toContain("app: USAGE, no SELECT on 1 table(s)");
        reads = await updateReads(props, { ...reads });
        expect((await readReads("id", reads)).props.readStates).toEqual(reads.readStates);
    });

    test("narrowed to a schema, then dropped: the rest is taken back", async () => {
        reads = await updateReads(reads, { ...reads, reads: [grant(chat, ["public"])] });
        expect(await code(as(ai, chat.database, (c) => c.query("SELECT * FROM app.messages")))).toBe("42501");
        expect(await code(as(ai, chat.database, (c) => c.query("SELECT 1")))).toBe("ok");
        await deleteReads(reads);
        expect(await code(as(ai, chat.database, (c) => c.query("SELECT 1")))).toBe("42501");
    });
});
