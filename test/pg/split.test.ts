/**
 * The split on the real server: the five-service monolith of test/pg/monolith.ts moved into its
 * five databases with the repository's own plan (split/monolith.yaml): plan, a copy killed
 * mid-table and resumed, verify catching a changed row, cutover, rollback.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn } from "child_process";
import { runSplit } from "../../src/split/cli";
import { SplitState } from "../../src/split/state";
import { ROOT } from "../../src/stackFile";
import { Monolith, buildMonolith } from "./monolith";
import { BIN } from "../unit/servicedbProcess";

const PLAN = path.join(ROOT, "split/monolith.yaml");
let mono: Monolith;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-split-"));
    mono = await buildMonolith(dir, 20_000);
    env = { MONOLITH_DATABASE_URL: mono.sourceUrl };
}, 120_000);
afterAll(async () => {
    await mono?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
});

async function split(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runSplit([...argv, "--outputs", mono.outputsFile], {
        out: (l) => { out += `${l}\n`; }, err: (l) => { err += `${l}\n`; }, write: (t) => { out += t; }, isTty: false,
    }, env);
    return { code, out, err };
}

async function sourceFingerprint(): Promise<string> {
    const c = await mono.source();
    try {
        const tables = ["samples", "sample_files", "ai_models", "ai_predictions", "audit.events", "backups", "backup_files", "settings", "feature_flags", "schema_migrations"];
        const parts = await Promise.all(tables.map(async (t) => (await c.query(`SELECT count(*) || ':' || coalesce(sum(hashtext(x::text)), 0) AS f FROM ${t} x`)).rows[0].f as string));
        return parts.join(" ");
    } finally { await c.end(); }
}

async function targetTables(service: string): Promise<string[]> {
    const c = await mono.target(service);
    try {
        const r = await c.query<{ t: string }>("SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1");
        return r.rows.map((x) => x.t);
    } finally { await c.end(); }
}

test("plan: the repository's plan is accepted, the crossing foreign key is reported as dropped", async () => {
    const r = await split("plan", "--plan", PLAN);
    expect(r.err).toBe("");
    expect(r.out).toContain("public.ai_predictions.ai_predictions_sample_id_fkey: FOREIGN KEY (sample_id) REFERENCES public.samples(id) (public.ai_predictions → public.samples)");
    expect(r.out).toMatch(/view public\.recent_predictions depends on moved tables public\.ai_predictions \(ai\), public\.samples \(samples\)/);
    expect(r.out).toMatch(/sequence public\.samples_id_seq at 2000/);
    expect(r.out).toContain("no problems: ready to copy");
    expect(r.code).toBe(0);
});

test("plan: a table claimed twice and an unconfirmed crossing foreign key are refused, and copy moves nothing", async () => {
    const bad = fs.readFileSync(PLAN, "utf8").replace("tables: [samples, sample_files]", "tables: [samples, sample_files, ai_models]").replace(/^dropForeignKeys:[\s\S]*$/m, "");
    const file = mono.planFile(bad, "bad");
    const r = await split("plan", "--plan", file);
    expect(r.code).toBe(1);
    expect(r.out).toContain("table public.ai_models is claimed by 2 services: samples (tables: public.ai_models) and ai (patterns: public.ai_*)");
    expect(r.out).toContain("foreign key public.ai_predictions.ai_predictions_sample_id_fkey FOREIGN KEY (sample_id) REFERENCES public.samples(id) links public.ai_predictions (service ai) to public.samples (service samples)");
    const copy = await split("copy", "--plan", file);
    expect(copy.code).toBe(1);
    expect(copy.err).toMatch(/the plan has 2 problems/);
    expect(await targetTables("samples")).toEqual([]);
});

test("copy killed mid-table resumes without duplicates, then verifies", async () => {
    const before = await sourceFingerprint();
    // The kill must land before audit.events commits, however fast the machine: an open transaction
    // holds the key of its "done" mark, so the copy's last statement for that table waits on it.
    const blocker = await mono.target("audit");
    await new SplitState(blocker, "public", "monolith").ensure();
    await blocker.query("BEGIN");
    await new SplitState(blocker, "public", "monolith").mark("table:audit.events", "blocked by the test");
    const child = spawn(process.execPath, [BIN, "split", "copy", "--plan", PLAN, "--outputs", mono.outputsFile, "--json", "--progress-interval", "0"],
        { cwd: ROOT, env: { ...process.env, ...env } });
    let buffered = "";
    const killedAt = await new Promise<{ table: string; rows: number } | undefined>((resolve) => {
        child.stdout.on("data", (d: Buffer) => {
            buffered += d.toString();
            for (const line of buffered.split("\n").slice(0, -1)) {
                const e = JSON.parse(line) as { event: string; table?: string; rows?: number };
                if (e.event === "progress" && e.table === "audit.events" && (e.rows ?? 0) > 0) {
                    child.kill("SIGKILL");
                    resolve({ table: e.table, rows: e.rows ?? 0 });
                }
            }
            buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
        });
        child.on("exit", () => resolve(undefined));
    });
    expect(killedAt?.table).toBe("audit.events");
    await new Promise((r) => child.exitCode !== null || child.signalCode !== null ? r(null) : child.on("exit", r));
    expect(child.signalCode).toBe("SIGKILL");
    await blocker.query("ROLLBACK");
    await blocker.end();

    const audit = await mono.target("audit");
    try {
        // The half-copied table rolled back with its transaction; samples and ai stayed copied.
        await audit.query("SELECT 1"); // connection up
        const rows = await audit.query<{ n: string }>("SELECT count(*) AS n FROM audit.events").catch(() => ({ rows: [{ n: "missing" }] }));
        expect(["0", "missing"]).toContain(rows.rows[0].n);
    } finally { await audit.end(); }
    const samples = await mono.target("samples");
    try {
        expect((await samples.query("SELECT count(*)::int AS n FROM samples")).rows[0].n).toBe(2000);
    } finally { await samples.end(); }

    const resumed = await split("copy", "--plan", PLAN);
    expect(resumed.err).toBe("");
    expect(resumed.out).toContain("samples: public.samples copied by an earlier run (2,000 rows)");
    expect(resumed.out).toMatch(/audit: audit\.events 20,000 rows/);
    expect(resumed.code).toBe(0);

    const verified = await split("verify", "--plan", PLAN);
    expect(verified.out).not.toContain("DIFFERS");
    expect(verified.out).toContain("ok      audit: audit.events 20,000 rows");
    expect(verified.code).toBe(0);
    expect(await sourceFingerprint()).toBe(before);
}, 120_000);

test("the copy made the service own its tables, kept its own foreign keys and moved sequences on", async () => {
    const ai = await mono.target("ai");
    try {
        const owners = await ai.query<{ t: string; o: string }>("SELECT tablename AS t, tableowner AS o FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
        const role = mono.targets.find((t) => t.service === "ai")?.role;
        expect(owners.rows).toEqual([{ t: "ai_models", o: role }, { t: "ai_predictions", o: role }, { t: "servicedb_split_progress", o: role }]);
        const fks = await ai.query<{ n: string }>("SELECT conname AS n FROM pg_constraint WHERE contype = 'f' ORDER BY 1");
        expect(fks.rows.map((r) => r.n)).toEqual(["ai_predictions_model_id_fkey"]);
        const next = await ai.query<{ id: string }>("INSERT INTO ai_predictions (model_id, sample_id) VALUES (1, 99999) RETURNING id");
        expect(Number(next.rows[0].id)).toBe(5001);
        await ai.query("DELETE FROM ai_predictions WHERE id = 5001");
    } finally { await ai.end(); }
    const samples = await mono.target("samples");
    try {
        const r = await samples.query<{ id: string }>("INSERT INTO sample_files (sample_id, path) VALUES (1, 'x') RETURNING id");
        expect(Number(r.rows[0].id)).toBe(3001);
        await expect(samples.query("INSERT INTO sample_files (sample_id, path) VALUES (424242, 'y')")).rejects.toThrow(/foreign key/);
        const idx = await samples.query("SELECT 1 FROM pg_indexes WHERE indexname = 'sample_files_by_sample'");
        expect(idx.rowCount).toBe(1);
        await samples.query("DELETE FROM sample_files WHERE id = 3001");
    } finally { await samples.end(); }
});

test("verify names a row changed after the copy; cutover freezes the source and catches it up", async () => {
    const app = await mono.source();
    try {
        await app.query("UPDATE settings SET value = 'changed' WHERE key = 'key7'");
        const r = await split("verify", "--plan", PLAN);
        expect(r.err).toBe("");
        expect(r.code).toBe(1);
        expect(r.out).toContain("DIFFERS config: public.settings 20 rows on both sides, content differs; first differing key key=key7 (differs)");
        expect(r.out.split("\n").filter((l) => l.startsWith("DIFFERS"))).toHaveLength(1);

        const c = await split("cutover", "--plan", PLAN);
        expect(c.err).toBe("");
        expect(c.out).toContain("config: public.settings changed since the copy; copying it again");
        expect(c.out).toContain("config: switch DATABASE_URL to the stack output databases.config.url");
        expect(c.code).toBe(0);
        await expect(app.query("INSERT INTO settings (key) VALUES ('after-freeze')")).rejects.toThrow(/permission denied/);
        await expect(app.query("DELETE FROM audit.events WHERE id = 1")).rejects.toThrow(/permission denied/);
        expect((await app.query("SELECT count(*)::int AS n FROM schema_migrations")).rows[0].n).toBe(7); // left behind, still readable
        await app.query("INSERT INTO schema_migrations VALUES (8)").then(() => app.query("DELETE FROM schema_migrations WHERE version = 8"));
        expect((await split("verify", "--plan", PLAN)).code).toBe(0);
    } finally { await app.end(); }
}, 60_000);

test("rollback empties the targets and gives the source its privileges back, its rows untouched", async () => {
    const before = await sourceFingerprint();
    const r = await split("rollback", "--plan", PLAN);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    for (const t of mono.targets) expect(await targetTables(t.service)).toEqual([]);
    const audit = await mono.target("audit");
    try {
        expect((await audit.query("SELECT 1 FROM pg_namespace WHERE nspname = 'audit'")).rowCount).toBe(0);
    } finally { await audit.end(); }
    expect(await sourceFingerprint()).toBe(before);
    const app = await mono.source();
    try {
        await app.query("BEGIN");
        await app.query("INSERT INTO settings (key) VALUES ('after-rollback')");
        await app.query("DELETE FROM audit.events WHERE id = 1");
        await app.query("ROLLBACK");
    } finally { await app.end(); }
    expect((await split("rollback", "--plan", PLAN)).out).toContain("samples: nothing to roll back");
});
