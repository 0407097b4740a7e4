/**
 * The bench's one-step-per-service prototype (bench/bundled/core.ts) on the real server: what it
 * creates passes `verify` like a layout of the shipped component (so the bench compares the same
 * work), its second login switches to the owning role, a failed create leaves nothing behind,
 * and delete removes it all.
 */
import { randomBytes } from "crypto";
import { CoreInputs, createCore, deleteCore } from "../../bench/bundled/core";
import { asAdmin } from "./scratch";
import { failures, tempDir, verify } from "./verifyRun";

const tag = randomBytes(3).toString("hex");
const services = ["orders", "payments", "search"].map((service, i): CoreInputs & { service: string } => {
    const base = `sdb_bundled_${tag}_${service}`;
    return {
        service, host: "127.0.0.1", port: 5432, adminUser: "postgres", role: base, secondLogin: `${base}_b`,
        database: base, connectionLimit: 3 - i + 2, passwordA: randomBytes(18).toString("base64url"), passwordB: randomBytes(18).toString("base64url"),
    };
});
const tmp = tempDir();

const exists = (s: CoreInputs) => asAdmin(async (c) => {
    const r = await c.query<{ roles: string; dbs: string }>(
        "SELECT (SELECT count(*) FROM pg_roles WHERE rolname = ANY($1)) AS roles, (SELECT count(*) FROM pg_database WHERE datname = $2) AS dbs",
        [[s.role, s.secondLogin], s.database]);
    return { roles: Number(r.rows[0].roles), databases: Number(r.rows[0].dbs) };
});

afterAll(async () => {
    for (const s of services) await deleteCore(s);
    tmp.remove();
}, 180_000);

test("what it creates passes every verify check, and the second login acts as the owner", async () => {
    for (const s of services) await createCore(s);
    const databases = Object.fromEntries(services.map((s) => [s.service, {
        cluster: "local", host: "127.0.0.1", port: 5432, database: s.database, username: s.role, password: s.passwordA,
        url: `postgresql://${s.role}:${s.passwordA}@127.0.0.1:5432/${s.database}?sslmode=disable`,
    }]));
    const summary = Object.fromEntries(services.map((s) => [s.service, { cluster: "local", database: s.database, role: s.role, connectionLimit: s.connectionLimit, schemas: ["public"] }]));
    const { code, results } = await verify(tmp.dir, { databases, summary });
    expect(failures(results)).toEqual([]);
    expect(code).toBe(0);

    const s = services[0];
    const setting = await asAdmin((c) => c.query<{ cfg: string[] }>(
        "SELECT setconfig AS cfg FROM pg_db_role_setting JOIN pg_roles r ON r.oid = setrole WHERE r.rolname = $1", [s.secondLogin]));
    expect(setting.rows[0].cfg).toEqual([`role=${s.role}`]);
}, 180_000);

test("a create that fails on the database drops the logins it made; delete removes everything", async () => {
    const s = services[1];
    const clash: CoreInputs = { ...s, role: `${s.role}_x`, secondLogin: `${s.role}_x_b` }; // same database name: CREATE DATABASE fails
    await expect(createCore(clash)).rejects.toThrow(/already exists/);
    expect(await exists(clash)).toEqual({ roles: 0, databases: 1 }); // the database is the first create's, untouched

    await deleteCore(services[2]);
    expect(await exists(services[2])).toEqual({ roles: 0, databases: 0 });
}, 180_000);
