import { parseMigrationFile } from "../../src/migrations/files";
import { HistoryRow } from "../../src/migrations/history";
import { ServiceStatus, effectiveLimit, flagsOf, summarizeMigrations, summarizeServers } from "../../src/status/model";
import { formatAge, formatBytes, guards, renderJson, renderTable, wrap } from "../../src/status/render";
import { CLEAR, frameText, watch } from "../../src/status/watch";

const AT = "2026-01-10T12:00:00.000Z";
function service(over: Partial<ServiceStatus> = {}): ServiceStatus {
    const base = {
        service: "orders", cluster: "main", server: "db:5432", database: "orders", role: "orders", reachable: "yes" as const,
        sessions: { inUse: 2, idleInTransaction: 0, longestTransactionSeconds: null }, limit: 10, share: 0.1, sizeBytes: 8 * 1024 * 1024,
        migrations: { applied: 3, pending: 0, lastAppliedAt: "2026-01-07T12:00:00.000Z", problems: [], folder: true },
        settings: { statement_timeout: "60000", work_mem: "4096" }, ...over,
    };
    return { ...base, flags: over.flags ?? flagsOf(base) };
}

describe("model", () => {
    test("effective limit: the tighter one; -1 is no limit", () => {
        expect(effectiveLimit(10, 5)).toBe(5);
        expect(effectiveLimit(-1, 7)).toBe(7);
        expect(effectiveLimit(-1, -1)).toBeNull();
        expect(effectiveLimit(undefined, null)).toBeNull();
    });
    test("migrations: applied and pending from history × files; a bad folder is a problem", () => {
        const files = [parseMigrationFile("V001__a.sql", "SELECT 1;"), parseMigrationFile("V002__b.sql", "SELECT 2;")];
        const history = [{ version: "1", type: "SQL", script: "V001__a.sql", checksum: files[0].checksum, success: true, installed_on: new Date(AT) } as HistoryRow];
        expect(summarizeMigrations(() => files, history)).toEqual({ applied: 1, pending: 1, lastAppliedAt: AT, problems: [], folder: true });
        expect(summarizeMigrations(() => undefined, history)).toEqual({ applied: 1, pending: 0, lastAppliedAt: AT, problems: [], folder: false });
        expect(summarizeMigrations(() => { throw new Error("x.sql: bad"); }, [])).toEqual({ applied: 0, pending: 0, lastAppliedAt: null, problems: ["x.sql: bad"], folder: true });
    });
    test("flags: over 80% of the limit (80% itself is not), pending, history problems, unreachable, full", () => {
        expect(service({ sessions: { inUse: 8, idleInTransaction: 0, longestTransactionSeconds: null } }).flags).toEqual([]);
        expect(service({ sessions: { inUse: 9, idleInTransaction: 0, longestTransactionSeconds: null } }).flags).toEqual(["9 of 10 connections in use (90% of its limit, over 80%)"]);
        expect(service({ migrations: { applied: 1, pending: 2, lastAppliedAt: null, problems: ["p"], folder: true } }).flags)
            .toEqual(["2 pending migration(s)", "history disagrees with migrations/orders/: 1 problem(s); run npm run migrate -- validate"]);
        expect(service({ reachable: "no", error: "cannot connect", sessions: null, migrations: null }).flags).toEqual(["unreachable: cannot connect"]);
        expect(service({ reachable: "full", sessions: null, migrations: null }).flags).toEqual(["connection limit reached: the server refuses new logins of this role"]);
    });
    test("servers: admin totals when there are, else the services' own sessions", () => {
        const all = [service(), service({ service: "b", limit: 5 }), service({ service: "c", server: "other:5432", sessions: null })];
        expect(summarizeServers(all, new Map([["db:5432", { maxConnections: 100, inUse: 40 }]]), new Map())).toEqual([
            { server: "db:5432", maxConnections: 100, inUse: 40, allocated: 15, services: 2, view: "admin" },
            { server: "other:5432", maxConnections: null, inUse: null, allocated: 10, services: 1, view: "own sessions" },
        ]);
        expect(summarizeServers(all.slice(0, 2), new Map(), new Map([["db:5432", 50]]))[0]).toMatchObject({ maxConnections: 50, inUse: 4, view: "own sessions" });
    });
});

describe("render", () => {
    test("bytes and ages", () => {
        expect([0, 1023, 1536, 8 * 1024 * 1024, 150 * 1024 ** 3, null].map(formatBytes)).toEqual(["0 B", "1023 B", "1.5 kB", "8.0 MB", "150 GB", "-"]);
        expect([5, 65, 3 * 3600 + 120, 2 * 86400 + 3600, null].map(formatAge)).toEqual(["5s", "1m05s", "3h02m", "2d01h", "-"]);
    });
    test("the table fits 100 columns even with long names and large numbers, and lists each flag", () => {
        const long = service({ service: "a-service-with-a-name-far-longer-than-any-column", limit: 262143, share: 1,
            sessions: { inUse: 262143, idleInTransaction: 12345, longestTransactionSeconds: 999 * 86400 }, sizeBytes: 999 * 1024 ** 4 });
        const text = renderTable({ at: AT, services: [long, service()], servers: summarizeServers([long, service()], new Map(), new Map([["db:5432", 262143]])) }, false);
        const lines = text.split("\n");
        for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
        expect(lines[0]).toBe("status at 2026-01-10T12:00:00Z; own logins: each service sees its own sessions (--admin-url: all)");
        expect(lines[3]).toMatch(/^a-servi…\s+yes\s+262143\/262143\s+100%\s+100%\s+12345\s+999d00h\s+999 TB\s+3\s+0\s+3d ago\s+!$/);
        expect(lines[4]).toMatch(/^orders\s+yes\s+2\/10\s+20%\s+10%\s+0\s+-\s+8\.0 MB\s+3\s+0\s+3d ago$/);
        const flag = lines.indexOf("! a-service-with-a-name-far-longer-than-any-column: 262143 of 262143 connections in use (100% of its");
        expect(lines[flag + 1]).toBe("    limit, over 80%)");
    });
    test("wrap: words kept whole, continuation indented, a word longer than the width cut", () => {
        expect(wrap("aaa bbb ccc", 7)).toEqual(["aaa bbb", "    ccc"]);
        expect(wrap("abcdefghij", 5)).toEqual(["abcd…"]);
        expect(wrap("  in use 9/100", 10)).toEqual(["  in use", "    9/100"]);
    });
    test("JSON says whether anything is flagged", () => {
        const doc = JSON.parse(renderJson({ at: AT, services: [service()], servers: [] }, true));
        expect(doc).toMatchObject({ ok: true, view: "admin", at: AT, services: [{ service: "orders", flags: [] }] });
        expect(renderJson({ at: AT, services: [], servers: [] }, false, true)).not.toContain("\n");
    });
});

describe("watch", () => {
    test("a terminal gets cursor-home and clear before each frame; a pipe gets frames one after another", () => {
        expect(frameText("F", true)).toBe(`${CLEAR}F\n`);
        expect(frameText("F", false)).toBe("F\n\n");
    });
    test("frames until stopped", async () => {
        const stop = new AbortController();
        const written: string[] = [];
        let n = 0;
        const frames = await watch(async () => `frame ${++n}`, { intervalMs: 1, tty: false, signal: stop.signal, write: (t) => { written.push(t); if (written.length === 3) stop.abort(); } });
        expect(frames).toBe(3);
        expect(written).toEqual(["frame 1\n\n", "frame 2\n\n", "frame 3\n\n"]);
    });
});

describe("the guards column", () => {
    test("the stored values in PostgreSQL's units, unknown when the login failed", () => {
        expect(guards({ statement_timeout: "60000", lock_timeout: "10000", idle_in_transaction_session_timeout: "500", work_mem: "4096", temp_file_limit: "100" }))
            .toBe("stmt 1min lock 10s idle 500ms mem 4MB tmp 100kB");
        expect(guards({})).toBe("none");
        expect(guards(null)).toBe("?");
    });
});
