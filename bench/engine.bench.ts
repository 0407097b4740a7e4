/**
 * `npm run bench:engine`: the real engine against the raw SQL floor, in one run, on the local
 * server (127.0.0.1:5432). For N services (BENCH_SERVICES, default "20,100"): the floor is one
 * psql session doing what servicedb declares at its core per service (CREATE ROLE … LOGIN
 * PASSWORD … CONNECTION LIMIT, CREATE DATABASE … OWNER, REVOKE ALL ON DATABASE … FROM PUBLIC) and
 * dropping it again; then `pulumi up`, a no-change `pulumi preview` and `pulumi destroy` of the
 * same N services through the Automation API. Variants (BENCH_VARIANTS, default "default"):
 *   default      the program as shipped (transpile only, parallelism 4, the default core: single)
 *   resources    servicedb:core resources: the postgresql provider's resource chain per service
 *   tofu         the peer: OpenTofu 1.12 with the cyrilgdn/postgresql and hashicorp/random providers
 *                doing the same core work (bench/tofu.ts); apply, a no-change plan, destroy
 *   compiled     the program from bin/ (as after `npm ci`), not through ts-node
 *   typecheck    ts-node type-checks the program on every run (PULUMI_NODEJS_TRANSPILE_ONLY=false)
 *   lanes8       parallelism 8 (reservedConnections 16)
 *   nocheckpoint PULUMI_SKIP_CHECKPOINTS=true: the file backend writes the snapshot only at the
 *                start and the end of an operation (a measurement of what the per-step snapshot
 *                writes cost; not a setting servicedb ships: a crash loses the record of every step)
 * After each `up`, `npm run verify` on the deployed stack's outputs is timed too (issue #16).
 *   paralleldiff PULUMI_PARALLEL_DIFF=true: the engine runs the providers' Diff calls in parallel
 *                instead of one at a time in its step generator
 *   gzip         PULUMI_DIY_BACKEND_GZIP=true: the file backend writes the checkpoint gzipped
 *   single       servicedb:core single, spelled out (the default)
 *   cli          time `pulumi up --yes --skip-preview`, `pulumi preview --expect-no-changes` and
 *                `pulumi destroy --yes --skip-preview` as commands (as the peer's `tofu apply` is
 *                timed), not through the Automation API, which adds its event stream and a
 *                `pulumi stack output` call to every up (no step profile then)
 * Variants combine with "+" (e.g. compiled+resources). BENCH_CPU=1 also prints the CPU seconds of
 * each process during every `up` (bench/cpuByProcess.ts: the engine, each plugin, the program,
 * PostgreSQL's backends). BENCH_PREVIEWS (default 1) no-change
 * previews run after each `up`; the table shows their median, stderr each one's timeline. The floor is
 * measured BENCH_FLOOR_RUNS (default 3) times right before each variant; the table has the medians.
 * Besides the table, a profile per `up` on stderr: program start-up (until the first step
 * starts), the mean duration of a step per resource type, and how many steps ran at once; and a
 * timeline per preview: start-up, the resources' span, the wrap-up, the gaps between resources.
 * Prints a Markdown table; needs the Pulumi CLI and the postgresql and random plugins.
 */
import { execFileSync } from "child_process";
import { performance } from "perf_hooks";
import * as fs from "fs";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { ROOT, engineMissing, projectCopy } from "../test/e2e/engine";
import { CpuByProcess } from "./cpuByProcess";
import { median } from "./stats";
import { tofuMissing, tofuPeer } from "./tofu";

const sizes = (process.env.BENCH_SERVICES ?? "20,100").split(",").map(Number);
const variants = (process.env.BENCH_VARIANTS ?? "default").split(",");
const name = (i: number) => `sdb_bench_${String(i).padStart(3, "0")}`;

const previews = Number(process.env.BENCH_PREVIEWS ?? 1);
/** The parts of a variant name ("compiled+resources" → compiled, resources). */
const parts = (variant: string) => new Set(variant.split("+"));

function stackYaml(n: number, variant: string): string {
    const parallelism = parts(variant).has("lanes8") ? 8 : 4;
    return [
        "config:",
        ...(parts(variant).has("single") ? ["  servicedb:core: single"] : []),
        ...(parts(variant).has("resources") ? ["  servicedb:core: resources"] : []),
        "  servicedb:clusters:",
        // Nothing connects as the services here; 200 declares room for 100 × 1 + the reserve.
        `    local: { host: 127.0.0.1, port: 5432, sslmode: disable, maxConnections: 200, reservedConnections: ${2 * parallelism}, parallelism: ${parallelism} }`,
        "  servicedb:services:",
        ...Array.from({ length: n }, (_, i) => `    b-${i}: { cluster: local, database: ${name(i)}, role: ${name(i)}, connectionLimit: 1 }`),
    ].join("\n") + "\n";
}

function psql(sql: string): void {
    execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres"], { input: sql, stdio: ["pipe", "ignore", "inherit"] });
}

/** Seconds for the floor: create the N services' roles and databases, revoke PUBLIC, drop again. */
function floor(n: number): { create: number; drop: number } {
    const ids = Array.from({ length: n }, (_, i) => name(i));
    let t = performance.now();
    // CREATE DATABASE cannot run in a transaction block: autocommit, one statement at a time.
    psql(ids.map((id) => `CREATE ROLE ${id} LOGIN PASSWORD 'bench-${id}' CONNECTION LIMIT 1;\nCREATE DATABASE ${id} OWNER ${id} TEMPLATE template0 ENCODING 'UTF8' CONNECTION LIMIT 1;\nREVOKE ALL ON DATABASE ${id} FROM PUBLIC;\n`).join(""));
    const create = (performance.now() - t) / 1000;
    t = performance.now();
    psql(ids.map((id) => `DROP DATABASE ${id};\nDROP ROLE ${id};\n`).join(""));
    return { create, drop: (performance.now() - t) / 1000 };
}

const floorRuns = Number(process.env.BENCH_FLOOR_RUNS ?? 3);

/** BENCH_FLOOR_RUNS (default 3) floors in a row: their medians, and every run's figures. */
function medianFloor(n: number): { create: number; drop: number; creates: number[]; drops: number[] } {
    const runs = Array.from({ length: floorRuns }, () => floor(n));
    const creates = runs.map((r) => r.create);
    const drops = runs.map((r) => r.drop);
    return { create: median(creates), drop: median(drops), creates, drops };
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
    const t = performance.now();
    await fn();
    return (performance.now() - t) / 1000;
}

/** Step timings from the engine's events: when each step started and ended, by resource type. */
class StepProfile {
    private readonly t0 = performance.now();
    private readonly open = new Map<string, number>();
    private readonly done: { type: string; start: number; end: number }[] = [];

    readonly onEvent = (e: EngineEvent): void => {
        const now = performance.now() - this.t0;
        const pre = e.resourcePreEvent?.metadata;
        if (pre && pre.op !== "same") this.open.set(pre.urn, now);
        const fin = e.resOutputsEvent?.metadata;
        const start = fin ? this.open.get(fin.urn) : undefined;
        if (fin && start !== undefined) {
            this.open.delete(fin.urn);
            this.done.push({ type: fin.type, start, end: now });
        }
    };

    summary(): string {
        if (this.done.length === 0) return "no steps";
        const first = Math.min(...this.done.map((d) => d.start));
        const last = Math.max(...this.done.map((d) => d.end));
        const busy = this.done.reduce((n, d) => n + (d.end - d.start), 0);
        const byType = new Map<string, number[]>();
        for (const d of this.done) byType.set(d.type, [...(byType.get(d.type) ?? []), d.end - d.start]);
        const types = [...byType].map(([t, xs]) => `${t.split(":").pop()} ${xs.length}× ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(0)} ms`);
        return `first step at ${(first / 1000).toFixed(1)} s, steps over ${((last - first) / 1000).toFixed(1)} s, ${this.done.length} steps, ` +
            `${(busy / (last - first)).toFixed(1)} at once on average; mean step: ${types.join(", ")}`;
    }
}

/**
 * Where a preview's time goes: until the first resource event (start-up), from the first to the
 * last (the resources), and after the last (the engine's wrap-up and exit), with the gaps between
 * consecutive resource events.
 */
class PreviewTimeline {
    private readonly t0 = performance.now();
    /** Each resource event: when (ms since the start) and the resource's name. */
    private readonly events: { at: number; name: string }[] = [];

    readonly onEvent = (e: EngineEvent): void => {
        const pre = e.resourcePreEvent?.metadata;
        if (pre) this.events.push({ at: performance.now() - this.t0, name: pre.urn.split("::").pop() ?? pre.urn });
    };

    summary(totalSeconds: number): string {
        if (this.events.length === 0) return "no resource events";
        // The gap before each event after the first, and the name of the resource it waited for.
        const gapsBefore = this.events.slice(1).map((e, i) => ({ ms: e.at - this.events[i].at, name: e.name }));
        const gaps = gapsBefore.map((g) => g.ms).sort((a, b) => a - b);
        const widest = gapsBefore.reduce((w, g) => (g.ms > w.ms ? g : w), { ms: 0, name: "" });
        const q = (f: number) => (gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(f * gaps.length))] : 0).toFixed(0);
        const first = this.events[0].at / 1000;
        const last = this.events[this.events.length - 1].at / 1000;
        return `first resource at ${first.toFixed(1)} s, last at ${last.toFixed(1)} s (${this.events.length} resources), ` +
            `after it ${(totalSeconds - last).toFixed(1)} s; gaps median ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms (before ${widest.name})`;
    }
}

/** Size of the stack's checkpoint file in the copy's file backend (what every step rewrites). */
function checkpointBytes(dir: string): number {
    const stacks = path.join(dir, ".state", ".pulumi", "stacks");
    const files = fs.readdirSync(stacks, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json") || f.endsWith(".json.gz"));
    return files.reduce((n, f) => n + fs.statSync(path.join(stacks, f)).size, 0);
}

/**
 * `npm run verify` on the deployed stack, as a pipeline runs it after `up` (the compiled command,
 * a child process): seconds, and its closing line.
 */
function verifyDeployed(dir: string, outputs: string): { seconds: number; line: string } {
    const file = path.join(dir, "outputs.json");
    fs.writeFileSync(file, outputs, { mode: 0o600 });
    const t = performance.now();
    const out = execFileSync(process.execPath, [path.join(ROOT, "scripts/cli.js"), "verify", "--outputs", file], { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
    const seconds = (performance.now() - t) / 1000;
    return { seconds, line: out.trim().split("\n").pop() ?? "" };
}

/** The environment variable each variant part sets for the engine calls (see the list above). */
const VARIANT_ENV: Record<string, [string, string]> = {
    typecheck: ["PULUMI_NODEJS_TRANSPILE_ONLY", "false"],
    nocheckpoint: ["PULUMI_SKIP_CHECKPOINTS", "true"],
    paralleldiff: ["PULUMI_PARALLEL_DIFF", "true"],
    gzip: ["PULUMI_DIY_BACKEND_GZIP", "true"],
};

async function engine(n: number, variant: string): Promise<{ up: number; preview: number; destroy: number; verify: number }> {
    const v = parts(variant);
    for (const [part, [key, value]] of Object.entries(VARIANT_ENV)) {
        if (v.has(part)) process.env[key] = value;
        else Reflect.deleteProperty(process.env, key);
    }
    const ws = await projectCopy("bench", stackYaml(n, variant));
    if (v.has("compiled")) {
        // bin/ as `npm ci` leaves it: built after the sources (the copy gave them new times).
        fs.cpSync(path.join(ROOT, "bin"), path.join(ws.dir, "bin"), { recursive: true });
        const now = new Date();
        fs.utimesSync(path.join(ws.dir, "bin", ".tsbuildinfo"), now, now);
    }
    try {
        const profile = new StepProfile();
        const cpu = process.env.BENCH_CPU === "1" ? new CpuByProcess() : undefined;
        const asCommand = v.has("cli");
        const command = (args: string[]) => async (): Promise<unknown> => ws.cli(args, 1800);
        const up = await timed(asCommand ? command(["up", "--yes", "--skip-preview"]) : () => ws.up({ onOutput: () => undefined, onEvent: profile.onEvent }, 1800));
        const used = cpu?.stop();
        if (used) process.stderr.write(`cpu of up (${n} services, ${variant}): ${used.map(([p, s]) => `${p} ${s.toFixed(2)} s`).join(", ")}\n`);
        process.stderr.write(`profile of up (${n} services, ${variant}): ${profile.summary()}; checkpoint ${(checkpointBytes(ws.dir) / 1024).toFixed(0)} KiB\n`);
        const verified = verifyDeployed(ws.dir, ws.cli(["stack", "output", "--json", "--show-secrets"]));
        process.stderr.write(`verify (${n} services, ${variant}): ${verified.seconds.toFixed(1)} s, ${verified.line}\n`);
        const times: number[] = [];
        for (let i = 0; i < previews; i++) {
            const timeline = new PreviewTimeline();
            const preview = await timed(asCommand ? command(["preview", "--expect-no-changes"]) : () => ws.preview({ expectNoChanges: true, onOutput: () => undefined, onEvent: timeline.onEvent }, 600));
            times.push(preview);
            process.stderr.write(`timeline of preview (${n} services, ${variant}): ${preview.toFixed(2)} s; ${timeline.summary(preview)}\n`);
        }
        const destroy = await timed(asCommand ? command(["destroy", "--yes", "--skip-preview"]) : () => ws.destroy({ onOutput: () => undefined }, 1800));
        const preview = median(times);
        return { up, preview, destroy, verify: verified.seconds };
    } finally {
        ws.cleanup();
    }
}

async function main(): Promise<void> {
    const missing = engineMissing(["postgresql", "random"]);
    if (missing) { process.stdout.write(`skipped: engine benchmark: ${missing}\n`); return; }
    const rows: string[] = [];
    for (const n of sizes) {
        for (const variant of variants) {
            // The floor right before each variant, so both see the same machine; one psql run
            // varied 0.5–0.9 s for 20 services within a session, so the median of several.
            const f = medianFloor(n);
            process.stderr.write(`floor (${n} services) before ${variant}: create ${f.creates.map((x) => x.toFixed(2)).join(" / ")} s, drop ${f.drops.map((x) => x.toFixed(2)).join(" / ")} s\n`);
            let e: { up: number; preview: number; destroy: number; verify?: number };
            if (variant === "tofu") {
                const missing = tofuMissing();
                if (missing) { process.stdout.write(`skipped: the OpenTofu peer: ${missing}\n`); continue; }
                e = tofuPeer(n, name);
            } else {
                e = await engine(n, variant);
            }
            rows.push(`| ${n} | ${variant} | ${f.create.toFixed(2)} | ${e.up.toFixed(1)} | **${(e.up / f.create).toFixed(1)}×** | ${e.preview.toFixed(1)} | ${e.destroy.toFixed(1)} | ${f.drop.toFixed(2)} | ${(e.destroy / f.drop).toFixed(1)}× | ${e.verify === undefined ? "—" : e.verify.toFixed(1)} |`);
            process.stderr.write(`${rows[rows.length - 1]}\n`);
        }
    }
    process.stdout.write([
        "| services | variant | floor create (s) | `pulumi up` (s) | up / floor | no-change preview (s) | `pulumi destroy` (s) | floor drop (s) | destroy / floor | `npm run verify` after up (s) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ...rows,
    ].join("\n") + "\n");
}

main().catch((e: unknown) => { process.stderr.write(`${(e as Error).stack ?? String(e)}\n`); process.exitCode = 1; });
