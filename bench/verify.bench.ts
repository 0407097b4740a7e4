/**
 * `npm run bench:verify`: `npm run verify` on N services of one server, the fast path against
 * --full-matrix (the previous behaviour: every pair tried for real), in the same run.
 *
 * For each size (BENCH_SIZES, default 50,200) it creates N roles and databases on the local
 * server with the SQL the ServiceDatabase component runs (test/pg/layout.ts; connection limit
 * BENCH_LIMIT, default 2, each), writes the outputs file `pulumi stack output --json
 * --show-secrets` would give, and runs the verify command as a child process, BENCH_REPS times per
 * mode (alternating; one value per size, e.g. BENCH_REPS=3,1). With BENCH_AUTH=scram (the default) pg_hba.conf asks these roles, and only
 * them, for scram-sha-256 passwords, as a real deployment does; the lines are taken out again
 * afterwards, and everything created is dropped, even on failure. While verify runs, an admin
 * session samples pg_stat_activity for the bench roles. Ctrl-C stops the run and still cleans up.
 * Prints Markdown for docs/benchmarks.md.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { withScramFor } from "../test/pg/hba";
import { buildLayout } from "../test/pg/layout";
import { ADMIN, asAdmin } from "../test/pg/scratch";
import { median } from "./stats";

const ROOT = path.resolve(__dirname, "..");
const SIZES = (process.env.BENCH_SIZES ?? "50,200").split(",").map(Number);
const REPS = (process.env.BENCH_REPS ?? "3,1").split(",").map(Number);
const LIMIT = Number(process.env.BENCH_LIMIT ?? 2);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? "8";
const SCRAM = (process.env.BENCH_AUTH ?? "scram") === "scram";
const LOAD = os.loadavg().map((x) => x.toFixed(1)).join(" ");
/** The floor: the same command stopping at a usage error (Node, the compiled verify loaded; no connection). */
const MODES = { "startup only": ["--no-such-flag"], "fast path": [] as string[], "--full-matrix": ["--full-matrix"] };
type Mode = keyof typeof MODES;

// A signal must not leave pg_hba.conf lines or roles behind: stop the child, let `finally` clean up.
let child: ChildProcess | undefined;
let interrupted = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => { interrupted = true; child?.kill(); });
const stopIfInterrupted = () => { if (interrupted) throw new Error("interrupted; cleaned up"); };

interface Sample { seconds: number; attempts: number; peak: number; seen: number; summary: string }

/** Peak number of backends of `roles` in pg_stat_activity while `run` runs (sampled back to back). */
async function watchConnections<T>(roles: readonly string[], run: () => Promise<T>): Promise<[T, number]> {
    const c = new Client(ADMIN);
    await c.connect();
    let seen = 0, running = true;
    const loop = (async () => {
        while (running) seen = Math.max(seen, (await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = ANY($1)", [roles])).rows[0].n);
    })();
    try { return [await run(), seen]; } finally { running = false; await loop; await c.end(); }
}

function verifyCommand(file: string, flags: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }> {
    return new Promise((resolve, reject) => {
        const c = spawn(process.execPath, ["scripts/cli.js", "verify", "--outputs", file, "--json", "--concurrency", CONCURRENCY, ...flags], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        child = c;
        let stdout = "", stderr = "";
        c.stdout.on("data", (d) => { stdout += d; });
        c.stderr.on("data", (d) => { stderr += d; });
        c.on("error", reject);
        c.on("close", (code) => resolve({ stdout, stderr, code: code ?? 1 }));
    });
}

async function once(file: string, roles: readonly string[], mode: Mode): Promise<Sample> {
    const t0 = process.hrtime.bigint();
    const [{ stdout, stderr, code }, seen] = await watchConnections(roles, () => verifyCommand(file, MODES[mode]));
    stopIfInterrupted();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (mode === "startup only") {
        if (code !== 2) throw new Error(`verify with a bad flag exited ${code}, expected 2: ${stderr}`);
        return { seconds, attempts: 0, peak: 0, seen, summary: "usage error (exit 2)" };
    }
    if (!stdout) throw new Error(`verify (${mode}) printed nothing (exit ${code}): ${stderr}`);
    const run = JSON.parse(stdout) as { results: { outcome: string }[]; matrix: { attempts: number }; connections: { peak: number } };
    const count = (o: string) => run.results.filter((r) => r.outcome === o).length;
    const summary = `${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`;
    if (code !== 0 || count("fail")) throw new Error(`verify (${mode}) did not pass on a correct layout: ${summary}`);
    return { seconds, attempts: run.matrix.attempts, peak: run.connections.peak, seen, summary };
}


async function size(n: number, reps: number): Promise<string[]> {
    const names = Array.from({ length: n }, (_, i) => `svc-${i}`);
    const t0 = Date.now();
    const layout = await buildLayout(names, { prefix: "sdb_vb", connectionLimit: () => LIMIT });
    process.stderr.write(`${n} services created in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-bench-verify-"));
    try {
        stopIfInterrupted();
        const file = path.join(dir, "outputs.json");
        fs.writeFileSync(file, JSON.stringify(layout.outputs()), { mode: 0o600 });
        const roles = layout.services.map((s) => s.role);
        const samples: Record<Mode, Sample[]> = { "startup only": [], "fast path": [], "--full-matrix": [] };
        const measure = async () => {
            for (let r = 0; r < reps; r++) {
                const modes = Object.keys(MODES) as Mode[];
                for (const mode of r % 2 ? [...modes].reverse() : modes) {
                    samples[mode].push(await once(file, roles, mode));
                    process.stderr.write(`${n} services, ${mode}: ${samples[mode].at(-1)?.seconds.toFixed(1)} s\n`);
                }
            }
        };
        await (SCRAM ? withScramFor(roles, measure) : measure());
        const fast = median(samples["fast path"].map((s) => s.seconds));
        return (Object.keys(samples) as Mode[]).map((mode) => {
            const s = samples[mode];
            const t = median(s.map((x) => x.seconds));
            return `| ${n} | ${mode} | ${t.toFixed(1)} | ${(t / fast).toFixed(1)}× | ${s[0].attempts} | ${Math.max(...s.map((x) => x.peak))} | ${Math.max(...s.map((x) => x.seen))} | ${s[0].summary} |`;
        });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        await layout.drop();
    }
}

async function main(): Promise<void> {
    const version = await asAdmin(async (c) => (await c.query("SHOW server_version")).rows[0].server_version as string);
    console.log(`${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${version} on 127.0.0.1; ${SCRAM ? "scram-sha-256" : "trust"} logins; --concurrency ${CONCURRENCY}; connection limit ${LIMIT} per service; median of ${SIZES.map((n, i) => `${REPS[i] ?? REPS[REPS.length - 1]} (${n})`).join(", ")} runs per mode; load average before the run ${LOAD}.\n`);
    console.log("| services | mode | median s | vs fast path | real connection attempts | peak connections (verify's count) | peak seen in pg_stat_activity | result |");
    console.log("|---:|---|---:|---:|---:|---:|---:|---|");
    // Each size's rows as soon as they are measured: an interrupted run still reports what it finished.
    for (const [i, n] of SIZES.entries()) for (const r of await size(n, REPS[i] ?? REPS[REPS.length - 1])) console.log(r);
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
