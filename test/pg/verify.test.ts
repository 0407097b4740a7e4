import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CheckResult } from "../../src/verify/checks";
import { runVerify } from "../../src/verify/cli";
import { withScramFor } from "./hba";
import { Layout, buildLayout } from "./layout";

const ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable";
let layout: Layout;
let dir: string;

beforeAll(async () => {
    layout = await buildLayout(["orders", "payments", "search"]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-verify-"));
});
afterAll(async () => {
    await layout.drop();
    fs.rmSync(dir, { recursive: true, force: true });
});

async function verify(outputs: unknown, extra: string[] = []): Promise<{ code: number; results: CheckResult[]; stdout: string; stderr: string[] }> {
    const file = path.join(dir, `outputs-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(outputs));
    let stdout = "";
    const stderr: string[] = [];
    const code = await runVerify(["--outputs", file, "--json", "--admin-url", ADMIN_URL, ...extra], { out: (t) => { stdout += t; }, err: (l) => stderr.push(l) });
    const results = stdout ? (JSON.parse(stdout) as { results: CheckResult[] }).results : [];
    return { code, results, stdout, stderr };
}

const failures = (results: CheckResult[]) => results.filter((r) => r.outcome === "fail").map((r) => `${r.service} ${r.check}`).sort();
const reasonOf = (results: CheckResult[], service: string, check: string) => results.find((r) => r.service === service && r.check === check)?.reason;
const db = (service: string) => layout.services.find((s) => s.service === service)?.database as string;
const role = (service: string) => layout.services.find((s) => s.service === service)?.role as string;

test("a correct layout passes every check", async () => {
    const { code, results } = await verify(layout.outputs());
    expect(failures(results)).toEqual([]);
    expect(results).toHaveLength(18);
    expect(results.filter((r) => r.outcome === "skip")).toEqual([]);
    expect(reasonOf(results, "orders", "no-other-db")).toBe("refused by all 2 other databases");
    expect(reasonOf(results, "payments", "password")).toBe("stored as SCRAM-SHA-256");
    expect(code).toBe(0);
});

test("the table for people lists service × check and a summary line", async () => {
    const file = path.join(dir, "outputs.json");
    fs.writeFileSync(file, JSON.stringify(layout.outputs()));
    let out = "";
    expect(await runVerify(["--outputs", file], { out: (t) => { out += t; }, err: () => undefined })).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toMatch(/^service\s+login\s+role\s+public-access\s+no-other-db\s+no-cross-read\s+password$/);
    expect(lines[1]).toMatch(/^orders\s+pass\s+pass\s+pass\s+pass\s+pass\s+skip$/);
    expect(lines[lines.length - 1]).toBe("verify: 15 passed, 0 failed, 3 skipped (3 services × 6 checks)");
});

test("PUBLIC CONNECT granted back: the owner's public-access fails, and the others can now connect", async () => {
    await layout.adminIn("orders", `GRANT CONNECT ON DATABASE ${db("orders")} TO PUBLIC`);
    try {
        const { code, results } = await verify(layout.outputs());
        expect(failures(results)).toEqual(["orders public-access", "payments no-other-db", "search no-other-db"]);
        expect(reasonOf(results, "orders", "public-access")).toBe(`PUBLIC has CONNECT on database ${db("orders")}`);
        expect(reasonOf(results, "search", "no-other-db")).toBe(`connected to database ${db("orders")} of service orders`);
        expect(code).toBe(1);
    } finally {
        await layout.adminIn("orders", `REVOKE ALL ON DATABASE ${db("orders")} FROM PUBLIC`);
    }
});

test("a role made CREATEDB fails that service's role check only", async () => {
    await layout.adminIn("payments", `ALTER ROLE ${role("payments")} CREATEDB`);
    try {
        const { code, results } = await verify(layout.outputs());
        expect(failures(results)).toEqual(["payments role"]);
        expect(reasonOf(results, "payments", "role")).toBe(`role ${role("payments")} has rolcreatedb`);
        expect(code).toBe(1);
    } finally {
        await layout.adminIn("payments", `ALTER ROLE ${role("payments")} NOCREATEDB`);
    }
});

test("a cross-service grant: the reader's no-cross-read fails, naming the table", async () => {
    await layout.adminIn("orders", `GRANT USAGE ON SCHEMA public TO ${role("search")}; GRANT SELECT ON secrets TO ${role("search")}`);
    try {
        const { results } = await verify(layout.outputs());
        expect(failures(results)).toEqual(["search no-cross-read"]);
        expect(reasonOf(results, "search", "no-cross-read")).toBe(`can SELECT ${db("orders")}.public.secrets of service orders`);
    } finally {
        await layout.adminIn("orders", `REVOKE ALL ON secrets FROM ${role("search")}; REVOKE ALL ON SCHEMA public FROM ${role("search")}`);
    }
});

test("a table granted to PUBLIC: the owner's public-access fails, every other service could read it", async () => {
    await layout.adminIn("payments", "GRANT SELECT ON secrets TO PUBLIC");
    try {
        const { results } = await verify(layout.outputs());
        expect(failures(results)).toEqual(["orders no-cross-read", "payments public-access", "search no-cross-read"]);
        expect(reasonOf(results, "payments", "public-access")).toBe("PUBLIC can SELECT public.secrets");
    } finally {
        await layout.adminIn("payments", "REVOKE ALL ON secrets FROM PUBLIC");
    }
});

test("a wrong password is refused (scram-sha-256 in pg_hba.conf for the test roles)", async () => {
    await withScramFor(layout.services.map((s) => s.role), async () => {
        const ok = await verify(layout.outputs());
        expect(failures(ok.results)).toEqual([]);
        const { code, results } = await verify(layout.outputs((s) => (s.service === "search" ? { password: "wrong-password" } : {})));
        expect(failures(results)).toEqual(["search login"]);
        expect(reasonOf(results, "search", "login")).toBe(`cannot log in to its own database ${db("search")}: password authentication failed for user "${role("search")}"`);
        expect(code).toBe(1);
    });
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
