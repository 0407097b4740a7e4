/**
 * A real PgBouncer with the configuration servicedb generates, in front of the real server.
 * The test roles get scram-sha-256 lines in pg_hba.conf (the server otherwise trusts local
 * logins), so every server login PgBouncer makes is a real SCRAM exchange, done with the keys of
 * the client's own exchange: no plaintext password in any file.
 */
import { randomBytes } from "crypto";
import { Client, ClientConfig } from "pg";
import { asAdmin } from "./scratch";
import { withScramFor } from "./hba";
import { RunningPgBouncer, pgbouncerMissing, startPgBouncer } from "./pgbouncer";
import { PooledService, createService, dropServices, newService, pgbouncerFiles, plannedPooler, pooledConfig } from "./poolerLayout";
import { secondLogin } from "../../src/rotation";
import { pooledUrlsFrom, verifyThroughPooler } from "../../src/verify/pooler";
import { ServiceUnderTest } from "../../src/verify/outputs";

const missing = pgbouncerMissing();
const suite = missing ? describe.skip : describe;
if (missing) process.stdout.write(`skipped: pooler (PostgreSQL tier): ${missing}\n`);

const tag = randomBytes(3).toString("hex");
const a = newService(tag, "a", 50, 5); // pool 5 of connectionLimit 50: the pool, not the limit, caps the server
const b = newService(tag, "b", 5);
const c = newService(tag, "c", 5); // added by a reload
const all = [a, b, c];
const logins = all.flatMap((s) => [s.role, secondLogin(s.role)]);

async function connected(config: ClientConfig): Promise<Client> {
    const client = new Client(config);
    client.on("error", () => undefined);
    await client.connect();
    return client;
}

async function refusal(config: ClientConfig): Promise<{ code?: string; message: string } | undefined> {
    try {
        const client = await connected(config);
        await client.end();
        return undefined;
    } catch (e) {
        return { code: (e as { code?: string }).code, message: (e as Error).message };
    }
}

suite("PgBouncer in front of the server, with servicedb's configuration", () => {
    let bouncer: RunningPgBouncer;
    let release: () => void = () => undefined;
    let hba: Promise<void> = Promise.resolve();

    beforeAll(async () => {
        await createService(a);
        await createService(b);
        await createService(c);
        await new Promise<void>((ready, fail) => {
            hba = withScramFor(logins, () => { ready(); return new Promise<void>((r) => { release = r; }); });
            hba.catch(fail);
        });
        const spec = plannedPooler([a, b], { maxClientConnections: 300 });
        bouncer = await startPgBouncer((dir, port) => pgbouncerFiles(spec, [a, b], dir, port));
    });

    afterAll(async () => {
        await bouncer?.stop();
        release();
        await hba;
        await dropServices(all);
    });

    test("200 concurrent clients of one service (pool 5) all get answers; the server never sees more than 5", async () => {
        let peak = 0;
        let sampling = true;
        const sampler = asAdmin(async (admin) => {
            while (sampling) {
                const r = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [a.database]);
                peak = Math.max(peak, r.rows[0].n as number);
                await new Promise((res) => setTimeout(res, 5));
            }
        });
        const answers = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
            const client = await connected(pooledConfig(bouncer.port, a));
            try {
                const r = await client.query("SELECT $1::int AS i, current_database() AS db, pg_sleep(0.02)", [i]);
                return r.rows[0] as { i: number; db: string };
            } finally {
                await client.end();
            }
        })).finally(() => { sampling = false; });
        await sampler;
        expect(answers.map((x) => x.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
        expect(new Set(answers.map((x) => x.db))).toEqual(new Set([a.database]));
        expect(peak).toBeGreaterThan(0);
        expect(peak).toBeLessThanOrEqual(5);
    });

    test("both logins of a service get through (rotation), and the second one acts as the owning role", async () => {
        for (const login of [a.role, secondLogin(a.role)]) {
            const client = await connected(pooledConfig(bouncer.port, a, login));
            const r = await client.query("SELECT session_user AS s, current_user AS u, current_database() AS db");
            await client.end();
            expect(r.rows[0]).toEqual({ s: login, u: a.role, db: a.database });
        }
    });

    test("a service's credentials reach no other database through the pooler", async () => {
        const intoB = await refusal(pooledConfig(bouncer.port, a, a.role, b.database));
        expect(intoB?.message).toMatch(/permission denied for database/);
        const intoMaintenance = await refusal(pooledConfig(bouncer.port, a, a.role, "postgres"));
        expect(intoMaintenance?.message).toMatch(/no such database/);
        const own = await refusal(pooledConfig(bouncer.port, b));
        expect(own).toBeUndefined();
    });

    test("a wrong password is refused by the pooler", async () => {
        const wrong = await refusal(pooledConfig(bouncer.port, a, a.role, a.database, `${a.passwords[a.role]}x`));
        // PgBouncer answers a failed SCRAM exchange with "SASL authentication failed" (08P01).
        expect(wrong?.message).toMatch(/SASL authentication failed/);
        const otherServices = await refusal(pooledConfig(bouncer.port, a, a.role, a.database, b.passwords[b.role]));
        expect(otherServices?.message).toMatch(/SASL authentication failed/);
    });

    test("verify's pooler checks fail once a service can reach another's database, and pass on the intact layout", async () => {
        // Each run gets a PgBouncer of its own: PgBouncer keeps a pool's server connections after
        // a REVOKE, and waits server_login_retry (15 s) after a failed login before trying again.
        const url = (port: number, x: PooledService) => `postgresql://${x.role}:${x.passwords[x.role]}@127.0.0.1:${port}/${x.database}?sslmode=disable`;
        const services: ServiceUnderTest[] = [a, b].map((x) => ({
            service: x.service, cluster: "local", host: "127.0.0.1", port: 5432, database: x.database, username: x.role,
            password: x.passwords[x.role], url: url(5432, x), schemas: ["public"],
        }));
        const spec = plannedPooler([a, b]);
        const verifyOnce = async () => {
            const own = await startPgBouncer((dir, port) => pgbouncerFiles(spec, [a, b], dir, port));
            try {
                const outputs = { databases: Object.fromEntries([a, b].map((x) => [x.service, { url: url(5432, x), pooledUrl: url(own.port, x) }])) };
                const pooled = pooledUrlsFrom(outputs);
                expect([...pooled.keys()]).toEqual([a.service, b.service]);
                return { port: own.port, results: await verifyThroughPooler(services, pooled) };
            } finally {
                await own.stop();
            }
        };
        await asAdmin((c) => c.query(`GRANT CONNECT ON DATABASE ${c.escapeIdentifier(b.database)} TO ${c.escapeIdentifier(a.role)}`));
        try {
            const broken = await verifyOnce();
            expect(broken.results.find((r) => r.service === a.service && r.check === "pooled-no-other-db")).toMatchObject({ outcome: "fail", reason: `${a.role} reaches ${b.database} through 127.0.0.1:${broken.port}` });
            expect(broken.results.find((r) => r.service === b.service && r.check === "pooled-no-other-db")?.outcome).toBe("pass");
        } finally {
            await asAdmin((c) => c.query(`REVOKE CONNECT ON DATABASE ${c.escapeIdentifier(b.database)} FROM ${c.escapeIdentifier(a.role)}`));
        }
        const intact = await verifyOnce();
        expect(intact.results.map((r) => `${r.service} ${r.check} ${r.outcome}`)).toEqual([
            `${a.service} pooled-login pass`, `${a.service} pooled-no-other-db pass`,
            `${b.service} pooled-login pass`, `${b.service} pooled-no-other-db pass`,
        ]);
    });

    test("a reload that adds a service keeps existing clients, mid-transaction", async () => {
        const before = await refusal(pooledConfig(bouncer.port, c));
        expect(before?.message).toMatch(/no such database|SASL authentication failed|password authentication failed/);
        const kept = await connected(pooledConfig(bouncer.port, a));
        await kept.query("BEGIN");
        const pid = (await kept.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;

        bouncer.reload(pgbouncerFiles(plannedPooler([a, b, c], { maxClientConnections: 300 }), all, bouncer.dir, bouncer.port));
        let reached: { code?: string; message: string } | undefined = { message: "not tried" };
        for (let i = 0; i < 50 && reached; i++) {
            reached = await refusal(pooledConfig(bouncer.port, c));
            if (reached) await new Promise((r) => setTimeout(r, 100));
        }
        expect(reached).toBeUndefined();

        const after = (await kept.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
        await kept.query("COMMIT");
        expect((await kept.query("SELECT current_database() AS db")).rows[0].db).toBe(a.database);
        await kept.end();
        expect(after).toBe(pid);
    });
});

