/**
 * End to end: a 12-service deploy killed with SIGKILL (the CLI, its language host and plugins, as
 * when a CI runner is lost) at several points — when the first Database create starts, when the
 * first Grant starts, while the first migrations run, and 8 s into adding 6 services to 6 — and
 * each time `repair` then `up` converges: no pending operation is left, a preview shows no change,
 * verify passes, and every migration is applied exactly once. And after an `up`, an emptied
 * `.attrs` sidecar (what a SIGKILL can leave) and then an emptied checkpoint (what a host crash
 * can leave) are each settled by repair.
 */
import * as fs from "fs";
import * as path from "path";
import { Client } from "pg";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { engineMissing, projectCopy, skipSuite, Workspace } from "./engine";
import { asAdmin } from "./server";
import { processesIn } from "./deadline";
import { runRepair } from "../../src/repair/cli";
import { pulumiCli } from "../../src/repair/pulumi";
import { readExport } from "../../src/repair/state";
import { runVerify } from "../../src/verify/cli";

const missing = engineMissing(["postgresql", "random"]);
const PREFIX = "sdb_repe2e_";
const name = (i: number) => `${PREFIX}${String(i).padStart(2, "0")}`;
const MIGRATED = [0, 3, 6, 9];

// The resource chain, whose creates (Database, Grant) are the kill points; the default core's
// interrupted creates are in faults.e2e.test.ts.
const stackYaml = (services: number) => [
    "config:",
    "  servicedb:core: resources",
    "  servicedb:clusters:",
    "    local: { host: 127.0.0.1, port: 5432, sslmode: disable, maxConnections: 100, reservedConnections: 10, parallelism: 4 }",
    "  servicedb:services:",
    ...Array.from({ length: services }, (_, i) => {
        const extra = i % 4 === 0 ? ", readers: true, schemas: [public, app]" : i % 4 === 1 ? ", extensions: [pgcrypto]" : "";
        return `    rep-${i}: { cluster: local, database: ${name(i)}, role: ${name(i)}, connectionLimit: 2${extra} }`;
    }),
].join("\n") + "\n";

/** Two migrations per migrated service; the second inserts one row and takes a moment, so a kill can land in it. */
const migrationFiles = Object.fromEntries(MIGRATED.flatMap((i) => [
    [`migrations/rep-${i}/V001__create_items.sql`, "CREATE TABLE items (id int PRIMARY KEY, note text);\n"],
    [`migrations/rep-${i}/V002__seed_items.sql`, "SELECT pg_sleep(1.5);\nINSERT INTO items VALUES (1, 'seeded once');\n"],
]));

async function dropLeftovers(): Promise<void> {
    await asAdmin(async (c) => {
        const like = `${PREFIX.replace(/_/g, "\\_")}%`;
        for (const r of (await c.query("SELECT datname AS n FROM pg_database WHERE datname LIKE $1", [like])).rows) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(r.n)} WITH (FORCE)`);
        for (const r of (await c.query("SELECT rolname AS n FROM pg_roles WHERE rolname LIKE $1 ORDER BY length(rolname) DESC", [like])).rows) {
            await c.query(`DROP OWNED BY ${c.escapeIdentifier(r.n)}`).catch(() => undefined);
            await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(r.n)}`);
        }
    });
}

/**
 * Starts `up` and SIGKILLs every process of the copy `delayMs` after the first event `when`
 * matches. Kill points are engine events, never wall-clock times: on a fast machine an `up` can
 * end before any fixed time.
 */
async function upKilled(ws: Workspace, when: (e: EngineEvent) => boolean, delayMs: number): Promise<void> {
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const kill = () => { killed = true; for (const pid of processesIn(ws.dir)) { try { process.kill(pid, "SIGKILL"); } catch { /* gone */ } } };
    const arm = () => { timer ??= setTimeout(kill, delayMs); };
    const outcome = await ws.up({ parallel: 8, onEvent: (e) => { if (when(e)) arm(); } }, 300).then(() => "finished", (e: Error) => e);
    clearTimeout(timer); // an up that ended first: no kill later, into whatever runs next
    if (!killed) throw new Error(`up was not killed (${outcome instanceof Error ? outcome.message.split("\n")[0] : outcome}): the kill point never came`);
}

const pendingOf = (ws: Workspace) => readExport(ws.cli(["stack", "export"]), "export").pending;
const checkpointFile = (ws: Workspace) => path.join(ws.dir, ".state", ".pulumi", "stacks", "servicedb", "e2erepair.json");
/** Pending operations read from the checkpoint file itself: the CLI cannot read it while a kill left its `.attrs` empty. */
const pendingInCheckpoint = (ws: Workspace): unknown[] =>
    (JSON.parse(fs.readFileSync(checkpointFile(ws), "utf8")) as { checkpoint: { latest?: { pending_operations?: unknown[] } } }).checkpoint.latest?.pending_operations ?? [];
const started = (type: string) => (e: EngineEvent) => e.resourcePreEvent?.metadata.type === type && e.resourcePreEvent.metadata.op === "create";
/** True from the `n`-th create that starts on (any type). */
const nthCreate = (n: number) => {
    let seen = 0;
    return (e: EngineEvent) => e.resourcePreEvent?.metadata.op === "create" && ++seen >= n;
};

async function repair(ws: Workspace, extra: string[] = []): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await runRepair(["--stack", ws.stack.name, ...extra], { out: (l) => lines.push(l), err: (l) => lines.push(l) },
        { projectDir: ws.dir, pulumi: pulumiCli(ws.dir, { ...process.env, ...ws.env }), waitSeconds: 20 });
    const out = lines.join("\n");
    process.stdout.write(`repair ${extra.join(" ")} → ${code}\n${out}\n`);
    return { code, out };
}

/** After repair and up: nothing pending, a clean preview, verify passes, each migration once. */
async function expectConverged(ws: Workspace, services: number): Promise<void> {
    const up = await ws.up({ parallel: 8 });
    expect(up.summary.result).toBe("succeeded");
    expect(pendingOf(ws)).toEqual([]);
    await ws.preview({ expectNoChanges: true });
    const file = path.join(ws.dir, "outputs.json");
    fs.writeFileSync(file, ws.cli(["stack", "output", "--json", "--show-secrets"]), { mode: 0o600 });
    let report = "";
    const code = await runVerify(["--outputs", file, "--admin-url", "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable"], { out: (t) => { report += t; }, err: (l) => { report += l; } });
    expect(report).toMatch(/verify: \d+ passed, 0 failed/);
    expect(code).toBe(0);
    const dbs = JSON.parse(fs.readFileSync(file, "utf8")).databases as Record<string, { url: string }>;
    expect(Object.keys(dbs)).toHaveLength(services);
    for (const i of MIGRATED.filter((m) => m < services)) {
        const c = new Client({ connectionString: dbs[`rep-${i}`].url });
        await c.connect();
        try {
            const history = await c.query("SELECT script, count(*)::int AS n, bool_and(success) AS ok FROM servicedb_schema_history GROUP BY script ORDER BY script");
            expect(history.rows).toEqual([{ script: "V001__create_items.sql", n: 1, ok: true }, { script: "V002__seed_items.sql", n: 1, ok: true }]);
            expect((await c.query("SELECT count(*)::int AS n FROM items")).rows[0].n).toBe(1);
        } finally {
            await c.end();
        }
    }
}

if (missing) {
    skipSuite("end-to-end (repair after a killed pulumi up)", missing);
} else {
    describe("a killed pulumi up, then repair and up", () => {
        beforeEach(dropLeftovers, 120_000);
        afterAll(dropLeftovers, 120_000);

        test.each([
            ["the first Database create starts", started("postgresql:index/database:Database"), 150],
            ["the first Grant create starts", started("postgresql:index/grant:Grant"), 150],
            ["the first migrations run", started("servicedb:migrations:ServiceMigrations"), 700],
        ])("killed when %s: repair, then up converges", async (_point, when, delay) => {
            const ws = await projectCopy("e2erepair", stackYaml(12), migrationFiles);
            try {
                await upKilled(ws, when, delay);
                const pending = pendingInCheckpoint(ws).length;
                expect(pending).toBeGreaterThan(0);
                const dry = await repair(ws, ["--dry-run"]);
                expect(dry.code).toBe(0);
                expect(dry.out).toMatch(/lock .*stale.*would be removed/);
                expect(pendingInCheckpoint(ws)).toHaveLength(pending);
                const fixed = await repair(ws);
                expect(fixed.code).toBe(0);
                expect(fixed.out).toMatch(/lock .*stale.*removed/);
                expect(fixed.out.split("\n").filter((l) => /^(import|drop|refresh) /.test(l))).toHaveLength(pending);
                await expectConverged(ws, 12);
            } finally {
                ws.cleanup();
            }
        }, 1_200_000);

        test("6 services, 6 more added, killed mid-way (at the 25th create): repair, then up converges", async () => {
            const ws = await projectCopy("e2erepair", stackYaml(6), migrationFiles);
            try {
                expect((await ws.up({ parallel: 8 })).summary.result).toBe("succeeded");
                const file = path.join(ws.dir, "Pulumi.e2erepair.yaml");
                const salt = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.startsWith("encryptionsalt:"));
                fs.writeFileSync(file, [...salt, stackYaml(12)].join("\n"));
                // 6 services add about 60 creates: the 25th is mid-way, with operations in flight.
                await upKilled(ws, nthCreate(25), 100);
                expect((await repair(ws)).code).toBe(0);
                await expectConverged(ws, 12);
            } finally {
                ws.cleanup();
            }
        }, 1_200_000);

        test("an emptied .attrs sidecar, then an emptied checkpoint: repair moves the one aside, restores the other, then up converges", async () => {
            const ws = await projectCopy("e2erepair", stackYaml(3), migrationFiles);
            try {
                expect((await ws.up({ parallel: 8 })).summary.result).toBe("succeeded");
                const file = checkpointFile(ws);
                fs.writeFileSync(`${file}.attrs`, ""); // what a SIGKILL during a save can leave
                expect(() => ws.cli(["stack", "export"])).toThrow(/failed to load checkpoint: EOF/);
                const sidecar = await repair(ws);
                expect(sidecar.code).toBe(0);
                expect(sidecar.out).toMatch(/^checkpoint .*e2erepair\.json\.attrs is empty .*: kept as .*\.attrs\.damaged-\d+/m);
                expect(readExport(ws.cli(["stack", "export"]), "export").pending).toEqual([]);
                fs.writeFileSync(file, "");
                expect(() => ws.cli(["stack", "export"])).toThrow(/failed to load checkpoint/);
                const dry = await repair(ws, ["--dry-run"]);
                expect(dry.code).toBe(0);
                expect(dry.out).toMatch(/^checkpoint .*e2erepair\.json is empty: would be kept as .* and replaced by .*(history\/servicedb\/e2erepair\/e2erepair-\d+\.checkpoint|backups\/servicedb\/e2erepair\/e2erepair\.\d+)\.json .*, 0 pending operation/m);
                expect(fs.readFileSync(file, "utf8")).toBe("");
                const fixed = await repair(ws);
                expect(fixed.code).toBe(0);
                expect(fixed.out).toMatch(/^checkpoint .*e2erepair\.json is empty: kept as .*\.damaged-\d+, replaced by /m);
                expect(fs.readdirSync(path.dirname(file)).filter((f) => /^e2erepair\.json\.damaged-\d+$/.test(f))).toHaveLength(1);
                await expectConverged(ws, 3);
            } finally {
                ws.cleanup();
            }
        }, 1_200_000);
    });
}
