/**
 * verify on a correct three-service layout: what it reports, how it answers the N×N question
 * (fast path and --full-matrix), the connections it holds, and its one-line errors. The layout
 * broken one way at a time is in verifyBreaks.test.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { Client } from "pg";
import { runVerify } from "../../src/verify/cli";
import { Layout, buildLayout } from "./layout";
import { ADMIN } from "./scratch";
import { failures, reasonOf, tempDir, verify } from "./verifyRun";

let layout: Layout;
let tmp: ReturnType<typeof tempDir>;
let dir: string;

beforeAll(async () => {
    layout = await buildLayout(["orders", "payments", "search"]);
    tmp = tempDir();
    dir = tmp.dir;
}, 180_000);
afterAll(async () => {
    await layout.drop();
    tmp.remove();
}, 180_000); // DROP DATABASE waits for a checkpoint: slow on a busy shared server

test("a correct layout passes every check", async () => {
    const { code, results, matrix } = await verify(dir, layout.outputs());
    expect(failures(results)).toEqual([]);
    expect(results).toHaveLength(24);
    // Nobody reads another service here: that check has nothing to prove.
    expect(results.filter((r) => r.outcome === "skip").map((r) => `${r.service} ${r.check}`)).toEqual(["orders reads", "payments reads", "search reads"]);
    expect(reasonOf(results, "orders", "settings")).toBe("both logins: none");
    // Three services: the ring and the (default 10) random draws cover all six pairs.
    expect(matrix).toMatchObject({ mode: "fast", pairs: 6, ring: 3, random: 3, attempts: 6 });
    expect(reasonOf(results, "orders", "no-other-db")).toBe("refused by all 2 other databases (2 real attempts refused; the privilege catalog denies CONNECT on 2)");
    expect(reasonOf(results, "orders", "no-cross-read")).toBe("cannot read any other service's table; can connect to maintenance database postgres (PUBLIC default), which holds no way into other databases (no dblink/postgres_fdw)");
    expect(reasonOf(results, "payments", "password")).toBe("stored as SCRAM-SHA-256");
    expect(code).toBe(0);
});

test("the table for people lists service × check and a summary line", async () => {
    const file = path.join(dir, "outputs.json");
    fs.writeFileSync(file, JSON.stringify(layout.outputs()));
    let out = "";
    expect(await runVerify(["--outputs", file], { out: (t) => { out += t; }, err: () => undefined })).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toMatch(/^service\s+login\s+role\s+settings\s+public-access\s+no-other-db\s+no-cross-read\s+reads\s+password$/);
    expect(lines[1]).toMatch(/^orders\s+pass\s+pass\s+pass\s+pass\s+pass\s+pass\s+skip\s+skip$/);
    expect(lines[lines.length - 3]).toMatch(/^matrix: 6 pairs judged by the server's privilege catalog; 6 tried for real: ring 3, 3 random \(seed \d+\) \(all pairs: --full-matrix; this sample again: --seed \d+\)$/);
    expect(lines[lines.length - 2]).toMatch(/^connections: \d+ opened, at most [1-8] at once \(--concurrency 8\), at most 1 per service role and per database$/);
    expect(lines[lines.length - 1]).toBe("verify: 18 passed, 0 failed, 6 skipped (3 services × 8 checks)");
});

test("the fast path tries the ring for real and leaves the rest to the catalog; --full-matrix tries every pair", async () => {
    const fast = await verify(dir, layout.outputs(), ["--sample-pairs", "0", "--seed", "7"]);
    expect(fast.code).toBe(0);
    expect(fast.matrix).toEqual({ mode: "fast", pairs: 6, ring: 3, random: 0, crossServer: 0, fallback: 0, attempts: 3, seed: 7 });
    // orders → payments is in the ring; payments → orders only in the catalog.
    expect(reasonOf(fast.results, "orders", "no-other-db")).toBe("refused by all 2 other databases (1 real attempt refused; the privilege catalog denies CONNECT on 2)");
    const full = await verify(dir, layout.outputs(), ["--full-matrix"]);
    expect(full.code).toBe(0);
    expect(full.matrix).toMatchObject({ mode: "full", pairs: 6, attempts: 6 });
    expect(full.results.map((r) => `${r.service} ${r.check} ${r.outcome}`)).toEqual(fast.results.map((r) => `${r.service} ${r.check} ${r.outcome}`));
});

test("verify's connections never exceed --concurrency, nor one per service role or database (seen by the server too)", async () => {
    const roles = layout.services.map((s) => s.role);
    const watcher = new Client(ADMIN);
    await watcher.connect();
    let seen = 0, perRole = 0, samples = 0, running = true;
    const watch = (async () => {
        while (running) {
            const r = await watcher.query("SELECT usename, count(*)::int AS n FROM pg_stat_activity WHERE usename = ANY($1) GROUP BY usename", [roles]);
            seen = Math.max(seen, r.rows.reduce((n, x) => n + x.n, 0));
            perRole = Math.max(perRole, ...r.rows.map((x) => x.n as number));
            samples++;
        }
    })();
    try {
        const run = await verify(dir, layout.outputs(), ["--full-matrix", "--concurrency", "2"]);
        expect(run.code).toBe(0);
        expect(run.connections).toMatchObject({ limit: 2, peakPerKey: 1 });
        expect(run.connections?.peak).toBeLessThanOrEqual(2);
        expect(run.connections?.opened).toBeGreaterThanOrEqual(3 + 6);
    } finally {
        running = false;
        await watch;
        await watcher.end();
    }
    expect(samples).toBeGreaterThan(0);
    expect(seen).toBeLessThanOrEqual(2);
    expect(perRole).toBeLessThanOrEqual(1);
});

test("--full-matrix with --sample-pairs, or a bad number, is a usage error", async () => {
    for (const [argv, line] of [
        [["--outputs", "x.json", "--full-matrix", "--sample-pairs", "3"], "servicedb verify: --full-matrix tries every pair; drop --sample-pairs"],
        [["--outputs", "x.json", "--concurrency", "0"], "servicedb verify: --concurrency takes a whole number ≥ 1, got \"0\""],
        [["--outputs", "x.json", "--seed", "-1"], "servicedb verify: --seed takes a whole number ≥ 0, got \"-1\""],
        [["--outputs", "x.json", "--sample-pairs", "2.5"], "servicedb verify: --sample-pairs takes a whole number ≥ 0, got \"2.5\""],
    ] as const) {
        const err: string[] = [];
        expect(await runVerify(argv, { out: () => undefined, err: (l) => err.push(l) })).toBe(2);
        expect(err[0]).toBe(line);
    }
});

test.each([
    ["a missing outputs file", null, /^servicedb verify: \S+missing\.json does not exist; write it with: pulumi stack output --json --show-secrets > \S+$/],
    ["a malformed outputs file", "{not json", /^servicedb verify: \S+ is not JSON \(.*\); write it with: pulumi stack output --json --show-secrets > \S+$/],
    ["outputs of another stack", JSON.stringify({ url: "x" }), /^servicedb verify: \S+ has no "databases" output: is it the output of a servicedb stack/],
    ["outputs without --show-secrets", "MASKED", /^servicedb verify: \S+: databases\.orders\.password is "\[secret\]"; export the outputs with --show-secrets$/],
    ["an unreachable host", "UNREACHABLE", /^servicedb verify: cannot connect to 127\.0\.0\.1:1: connection refused \(is PostgreSQL running there\?\)$/],
])("%s: one line, exit 1", async (_what, content, line) => {
    const file = path.join(dir, content === null ? "missing.json" : `bad-${Math.random()}.json`);
    if (content === "MASKED") {
        const o = layout.outputs() as { databases: Record<string, Record<string, unknown>> };
        o.databases.orders.password = "[secret]";
        fs.writeFileSync(file, JSON.stringify(o));
    } else if (content === "UNREACHABLE") {
        const o = layout.outputs() as { databases: Record<string, Record<string, unknown>> };
        for (const d of Object.values(o.databases)) { d.port = 1; d.url = String(d.url).replace(":5432/", ":1/"); }
        fs.writeFileSync(file, JSON.stringify(o));
    } else if (content !== null) {
        fs.writeFileSync(file, content);
    }
    const err: string[] = [];
    let out = "";
    expect(await runVerify(["--outputs", file], { out: (t) => { out += t; }, err: (l) => err.push(l) })).toBe(1);
    expect(out).toBe("");
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(line);
});

test("usage errors exit 2", async () => {
    const err: string[] = [];
    expect(await runVerify([], { out: () => undefined, err: (l) => err.push(l) })).toBe(2);
    expect(err[0]).toBe("servicedb verify: give exactly one of --outputs <file> or --stack <name>");
});

describe("a declared read (reads:)", () => {
    const sql = (s: { role: string; database: string }, reader: string) => ({
        grant: [`GRANT CONNECT ON DATABASE "${s.database}" TO "${reader}"`],
        inside: [`GRANT USAGE ON SCHEMA public TO "${reader}"`, `GRANT SELECT ON ALL TABLES IN SCHEMA public TO "${reader}"`,
            `ALTER DEFAULT PRIVILEGES FOR ROLE "${s.role}" IN SCHEMA public GRANT SELECT ON TABLES TO "${reader}"`],
    });
    const readsOrders = () => {
        const o = layout.outputs() as { summary: Record<string, Record<string, unknown>> };
        o.summary.search.reads = ["orders"];
        return o;
    };

    beforeAll(async () => {
        const [orders, , search] = layout.services;
        const g = sql(orders, search.role);
        await layout.adminIn("payments", g.grant.join("; "));
        await layout.adminIn("orders", g.inside.join("; "));
    });
    afterAll(async () => {
        const [orders, , search] = layout.services;
        await layout.adminIn("orders", `ALTER DEFAULT PRIVILEGES FOR ROLE "${orders.role}" IN SCHEMA public REVOKE ALL ON TABLES FROM "${search.role}"; REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "${search.role}"; REVOKE ALL ON SCHEMA public FROM "${search.role}"`);
        await layout.adminIn("payments", `REVOKE ALL ON DATABASE "${orders.database}" FROM "${search.role}"`);
    });

    test("declared: proved live, and the isolation checks let it through", async () => {
        const { code, results } = await verify(dir, readsOrders());
        expect(failures(results)).toEqual([]);
        expect(reasonOf(results, "search", "reads")).toBe("reads orders: SELECT on every table (one read for real), SELECT on later tables, no write, no CREATE (refused for real)");
        expect(reasonOf(results, "search", "no-other-db")).toMatch(/; may connect to orders, which it reads$/);
        expect(code).toBe(0);
    });

    test("the same grants undeclared: a leak, named by no-other-db and no-cross-read", async () => {
        const { code, results } = await verify(dir, layout.outputs());
        expect(failures(results)).toEqual(["search no-cross-read", "search no-other-db"]);
        expect(code).toBe(1);
    });

    test("declared but writable: the reads check fails naming the table", async () => {
        await layout.adminIn("orders", `GRANT INSERT ON secrets TO "${layout.services[2].role}"`);
        try {
            const { results } = await verify(dir, readsOrders());
            expect(failures(results)).toEqual(["search reads"]);
            expect(reasonOf(results, "search", "reads")).toBe("orders: may write public.secrets");
        } finally {
            await layout.adminIn("orders", `REVOKE INSERT ON secrets FROM "${layout.services[2].role}"`);
        }
    });
});
