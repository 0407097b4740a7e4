/**
 * `npm run bench`: time and peak memory to evaluate the program under mocks for 10, 100 and
 * 1000 services, next to the floor (the same resources registered in a bare loop). Each run is
 * its own process (clean heap, honest max RSS); variants alternate so drift hits both alike.
 * Prints a Markdown table for docs/benchmarks.md.
 */
import { execFileSync } from "child_process";
import * as os from "os";
import * as path from "path";

interface Sample { variant: string; services: number; resources: number; ms: number; maxRssMb: number }

const ROOT = path.resolve(__dirname, "..");
const SIZES = (process.env.BENCH_SIZES ?? "10,100,1000").split(",").map(Number);
const REPS = Number(process.env.BENCH_REPS ?? 5);

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

function once(variant: string, n: number): Sample {
    const out = execFileSync(process.execPath, [path.join(ROOT, "bin/bench/evaluate.js"), variant, String(n)], { encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").pop() ?? "{}") as Sample;
}

function main(): void {
    // Measure compiled JavaScript: identical for both variants, and free of ts-node's
    // source-map stack rewriting, which otherwise dominates (about 3x) and hides the difference.
    execFileSync("npx", ["tsc", "-p", ".", "--noEmit", "false", "--outDir", "bin"], { cwd: ROOT, stdio: "inherit" });
    const rows: string[] = [];
    for (const n of SIZES) {
        const samples: Record<string, Sample[]> = { components: [], floor: [] };
        for (let i = 0; i < REPS; i++) {
            for (const v of i % 2 ? ["floor", "components"] : ["components", "floor"]) samples[v].push(once(v, n));
        }
        const c = samples.components, f = samples.floor;
        const cms = median(c.map((s) => s.ms)), fms = median(f.map((s) => s.ms));
        const crss = median(c.map((s) => s.maxRssMb)), frss = median(f.map((s) => s.maxRssMb));
        rows.push(`| ${n} | ${c[0].resources} / ${f[0].resources} | ${cms} | ${fms} | **${(cms / fms).toFixed(2)}×** | ${crss} | ${frss} | ${(crss / frss).toFixed(2)}× |`);
        process.stderr.write(`${n} services done\n`);
    }
    console.log(`Machine: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; median of ${REPS} runs each.\n`);
    console.log("| services | resources (components / floor) | components ms | floor ms | time ratio | components max RSS MB | floor max RSS MB | memory ratio |");
    console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of rows) console.log(r);
}

main();
