/**
 * A correct three-service layout, broken one way at a time: each break must fail verify, with
 * the same failures, on the fast path (ring only: 3 of the 6 pairs tried for real) and with
 * --full-matrix. Two breaks are invisible to one of the two sources of proof: a pg_hba.conf line
 * that rejects a service's own login (only a real attempt sees it), and a CONNECT grant that
 * pg_hba.conf happens to refuse (only the privilege catalog sees it).
 */
import { attempt, withRejected, withScramFor } from "./hba";
import { Layout, buildLayout } from "./layout";
import { asAdmin } from "./scratch";
import { MODES, failures, reasonOf, tempDir, verify } from "./verifyRun";

let layout: Layout;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
    layout = await buildLayout(["orders", "payments", "search"]);
    tmp = tempDir();
}, 180_000);
afterAll(async () => {
    await layout.drop();
    tmp.remove();
}, 180_000); // DROP DATABASE waits for a checkpoint: slow on a busy shared server

const svc = (service: string) => layout.services.find((s) => s.service === service) as (typeof layout.services)[number];
const db = (service: string) => svc(service).database;
const role = (service: string) => svc(service).role;

/** Verifies in both modes; returns per mode the sorted failures and the reasons asked for. */
async function bothModes(outputs = layout.outputs(), reasons: [string, string][] = []): Promise<Record<string, { code: number; failed: string[]; reasons: (string | undefined)[] }>> {
    const out: Record<string, { code: number; failed: string[]; reasons: (string | undefined)[] }> = {};
    for (const [mode, flags] of MODES) {
        const r = await verify(tmp.dir, outputs, flags);
        out[mode] = { code: r.code, failed: failures(r.results), reasons: reasons.map(([s, c]) => reasonOf(r.results, s, c)) };
    }
    return out;
}

const same = <T>(value: T) => Object.fromEntries(MODES.map(([m]) => [m, value]));

test("the unbroken layout passes in both modes", async () => {
    expect(await bothModes()).toEqual(same({ code: 0, failed: [], reasons: [] }));
});

test("PUBLIC CONNECT granted back: the owner's public-access fails, and the others can now connect", async () => {
    await layout.adminIn("orders", `GRANT CONNECT ON DATABASE ${db("orders")} TO PUBLIC`);
    try {
        expect(await bothModes(undefined, [["orders", "public-access"], ["search", "no-other-db"], ["payments", "no-other-db"]])).toEqual(same({
            code: 1,
            failed: ["orders public-access", "payments no-other-db", "search no-other-db"],
            reasons: [`PUBLIC has CONNECT on database ${db("orders")}`, `connected to database ${db("orders")} of service orders`, `connected to database ${db("orders")} of service orders`],
        }));
    } finally {
        await layout.adminIn("orders", `REVOKE ALL ON DATABASE ${db("orders")} FROM PUBLIC`);
    }
});

test("a role made CREATEDB fails that service's role check only", async () => {
    await layout.adminIn("payments", `ALTER ROLE ${role("payments")} CREATEDB`);
    try {
        expect(await bothModes(undefined, [["payments", "role"]])).toEqual(same({ code: 1, failed: ["payments role"], reasons: [`role ${role("payments")} has rolcreatedb`] }));
    } finally {
        await layout.adminIn("payments", `ALTER ROLE ${role("payments")} NOCREATEDB`);
    }
});

test("a cross-service grant: the reader's no-cross-read fails, naming the table", async () => {
    await layout.adminIn("orders", `GRANT USAGE ON SCHEMA public TO ${role("search")}; GRANT SELECT ON secrets TO ${role("search")}`);
    try {
        expect(await bothModes(undefined, [["search", "no-cross-read"]])).toEqual(same({
            code: 1, failed: ["search no-cross-read"], reasons: [`can SELECT ${db("orders")}.public.secrets of service orders`],
        }));
    } finally {
        await layout.adminIn("orders", `REVOKE ALL ON secrets FROM ${role("search")}; REVOKE ALL ON SCHEMA public FROM ${role("search")}`);
    }
});

test("a table granted to PUBLIC: the owner's public-access fails, every other service could read it", async () => {
    await layout.adminIn("payments", "GRANT SELECT ON secrets TO PUBLIC");
    try {
        expect(await bothModes(undefined, [["payments", "public-access"]])).toEqual(same({
            code: 1, failed: ["orders no-cross-read", "payments public-access", "search no-cross-read"], reasons: ["PUBLIC can SELECT public.secrets"],
        }));
    } finally {
        await layout.adminIn("payments", "REVOKE ALL ON secrets FROM PUBLIC");
    }
});

test("a wrong password is refused (scram-sha-256 in pg_hba.conf for the test roles)", async () => {
    await withScramFor(layout.services.map((s) => s.role), async () => {
        expect(await bothModes()).toEqual(same({ code: 0, failed: [], reasons: [] }));
        const wrong = layout.outputs((s) => (s.service === "search" ? { password: "wrong-password" } : {}));
        expect(await bothModes(wrong, [["search", "login"]])).toEqual(same({
            code: 1, failed: ["search login"],
            reasons: [`cannot log in to its own database ${db("search")}: password authentication failed for user "${role("search")}"`],
        }));
    });
});

test("only a real attempt sees it: pg_hba.conf rejects a service's own login, which the catalog allows", async () => {
    await withRejected(db("orders"), role("orders"), async () => {
        const catalog = await asAdmin((c) => c.query("SELECT has_database_privilege($1, $2, 'CONNECT') AS can", [role("orders"), db("orders")]));
        expect(catalog.rows[0].can).toBe(true);
        const seen = await bothModes(undefined, [["orders", "login"]]);
        for (const [mode] of MODES) {
            expect({ mode, failed: seen[mode].failed, code: seen[mode].code }).toEqual({ mode, failed: ["orders login"], code: 1 });
            expect(seen[mode].reasons[0]).toMatch(new RegExp(`^cannot log in to its own database ${db("orders")}: pg_hba\\.conf rejects connection for host "127\\.0\\.0\\.1", user "${role("orders")}"`));
        }
    });
});

test("only the catalog sees it: a CONNECT grant to another service that pg_hba.conf happens to refuse", async () => {
    await layout.adminIn("orders", `GRANT CONNECT ON DATABASE ${db("orders")} TO ${role("search")}`);
    try {
        await withRejected(db("orders"), role("search"), async () => {
            expect(await attempt(role("search"), svc("search").password, db("orders"))).toBe("28000");
            const seen = await bothModes(undefined, [["search", "no-other-db"]]);
            for (const [mode] of MODES) {
                expect({ mode, failed: seen[mode].failed, code: seen[mode].code }).toEqual({ mode, failed: ["search no-other-db"], code: 1 });
                expect(seen[mode].reasons[0]).toMatch(new RegExp(`^has CONNECT on database ${db("orders")} of service orders \\(the attempt was refused: pg_hba\\.conf rejects connection .*; revoke it\\)$`));
            }
        });
    } finally {
        await layout.adminIn("orders", `REVOKE CONNECT ON DATABASE ${db("orders")} FROM ${role("search")}`);
    }
});
