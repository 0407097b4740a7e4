/**
 * `npm run bench:startup`: how long a command takes from `node` to its first output, compiled
 * (bin/, what `npm run <cmd>` uses after `npm ci`) against the same command from its TypeScript
 * sources through ts-node (what ran before, and what runs after an edit without a build), and
 * against a bare `node -e ''` (the floor). Each command is run with arguments that make it print
 * its usage and exit before any network I/O. Median of BENCH_ROUNDS (default 11) runs each.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";

const ROOT = path.resolve(__dirname, "..");
const rounds = Number(process.env.BENCH_ROUNDS ?? 11);
const commands: Record<string, string[]> = { migrate: ["--help"], verify: ["--help"], plan: ["--stack", "local"] };

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

function time(args: string[]): number {
    const runs: number[] = [];
    for (let i = 0; i < rounds; i++) {
        const t = performance.now();
        const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
        if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${r.status}: its time would measure a failure`);
        runs.push(performance.now() - t);
    }
    return median(runs);
}

const floor = time(["-e", ""]);
const rows = Object.entries(commands).map(([cmd, args]) => {
    const compiled = time([path.join(ROOT, "bin/scripts/servicedb.js"), cmd, ...args]);
    const source = time(["-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts/servicedb.ts"), cmd, ...args]);
    const launcher = time([path.join(ROOT, "scripts/cli.js"), cmd, ...args]);
    return `| ${cmd} | ${launcher.toFixed(0)} | ${compiled.toFixed(0)} | ${source.toFixed(0)} | ${(source / launcher).toFixed(1)}× |`;
});
process.stdout.write([
    `node floor (\`node -e ''\`): ${floor.toFixed(0)} ms; median of ${rounds} runs`,
    "",
    "| command | `npm run` path: scripts/cli.js → bin/ (ms) | bin/scripts/servicedb.js directly (ms) | ts-node from sources (ms) | sources / npm run path |",
    "|---|---:|---:|---:|---:|",
    ...rows,
].join("\n") + "\n");
