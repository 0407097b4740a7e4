/**
 * CPU seconds by process while something runs (bench/engine.bench.ts, BENCH_CPU=1): polls
 * /proc every 100 ms and keeps each live process's user+system time since the start, grouped by
 * name (the resource plugins by their executable, since the kernel cuts names at 15 bytes).
 * PostgreSQL's backends are mostly short-lived (the provider opens a connection per statement),
 * so they are counted through the postmaster's children time, which the kernel adds when it
 * reaps them; other processes that start and exit between two polls are missed. Linux only.
 */
import * as fs from "fs";

const TICK = 100; // USER_HZ on Linux
const POLL_MS = 100;

interface ProcTimes { name: string; self: number; children: number }

/** A plugin's name from its executable (read once per pid: polling stays cheap). */
const plugins = new Map<number, string | undefined>();
function pluginName(pid: number): string | undefined {
    if (!plugins.has(pid)) {
        const exe = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
        plugins.set(pid, /pulumi-(resource|language)-/.test(exe) ? exe.split("/").pop() : undefined);
    }
    return plugins.get(pid);
}

function readProc(pid: number): ProcTimes | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
        const name = pluginName(pid) ?? stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        return { name, self: (f[11] + f[12]) / TICK, children: (f[13] + f[14]) / TICK };
    } catch {
        return undefined; // gone, or not ours to read
    }
}

const pids = (): number[] => fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);

/** The postmaster's pid, from the cluster's pid file in /var/run/postgresql. */
function postmaster(): number | undefined {
    const dir = "/var/run/postgresql";
    const file = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith(".pid")) : undefined;
    return file ? Number(fs.readFileSync(`${dir}/${file}`, "utf8").split("\n")[0]) : undefined;
}

export class CpuByProcess {
    private readonly base = new Map<number, number>();
    private readonly last = new Map<number, { name: string; cpu: number }>();
    private readonly pm = postmaster();
    private readonly pm0: ProcTimes | undefined;
    private readonly timer: NodeJS.Timeout;

    constructor() {
        for (const pid of pids()) {
            const t = readProc(pid);
            if (t) this.base.set(pid, t.self);
        }
        this.pm0 = this.pm === undefined ? undefined : readProc(this.pm);
        this.timer = setInterval(() => this.poll(), POLL_MS);
    }

    private poll(): void {
        for (const pid of pids()) {
            if (pid === this.pm || pid === process.pid) continue;
            const t = readProc(pid);
            if (t) this.last.set(pid, { name: t.name === "postgres" ? "postgres (live backends)" : t.name, cpu: t.self - (this.base.get(pid) ?? 0) });
        }
    }

    /** Stops polling; CPU seconds by process name, largest first (≥ 0.05 s). */
    stop(): [string, number][] {
        clearInterval(this.timer);
        this.poll();
        const by = new Map<string, number>();
        for (const { name, cpu } of this.last.values()) by.set(name, (by.get(name) ?? 0) + cpu);
        const pm1 = this.pm === undefined ? undefined : readProc(this.pm);
        if (this.pm0 && pm1) by.set("postgres (postmaster, exited backends)", pm1.self + pm1.children - this.pm0.self - this.pm0.children);
        return [...by].filter(([, s]) => s >= 0.05).sort((a, b) => b[1] - a[1]);
    }
}
