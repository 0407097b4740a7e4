/**
 * `npm run bench:pgbouncer`: pgbench (select-only, scale 1) against one service database, directly
 * and through a real PgBouncer with the configuration servicedb renders (transaction mode, the
 * service's pool), at 50 and 200 clients, with persistent connections and with a new connection
 * per transaction (-C). For each run: transactions per second, failed clients, and the peak number
 * of server connections to the database (pg_stat_activity, sampled every 20 ms). The service gets
 * a connection limit of 80 (its direct budget) and a pool of BENCH_POOL (default 20).
 */
import { execFile } from "child_process";
import { randomBytes } from "crypto";
import * as os from "os";
import { promisify } from "util";
import { startPgBouncer } from "../test/pg/pgbouncer";
import { asAdmin } from "../test/pg/scratch";
import { createService, dropServices, newService, pgbouncerFiles, plannedPooler } from "../test/pg/poolerLayout";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const POOL = Number(process.env.BENCH_POOL ?? 20);
const run = promisify(execFile);

interface Result { label: string; clients: number; tps: number | undefined; failed: string | undefined; peak: number }

function sampledPeak<T>(database: string, work: () => Promise<T>): Promise<{ value: T; peak: number }> {
    return asAdmin(async (admin) => {
        let peak = 0;
        let on = true;
        const loop = (async () => {
            while (on) {
                const r = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [database]);
                peak = Math.max(peak, r.rows[0].n as number);
                await new Promise((res) => setTimeout(res, 20));
            }
        })();
        try {
            return { value: await work(), peak };
        } finally {
            on = false;
            await loop;
        }
    });
}

async function pgbench(port: number, user: string, password: string, database: string, clients: number, connectEach: boolean): Promise<{ tps?: number; failed?: string }> {
    const args = ["-h", "127.0.0.1", "-p", String(port), "-U", user, "-S", "-n", "-c", String(clients), "-j", "2", "-T", String(SECONDS), ...(connectEach ? ["-C"] : []), database];
    try {
        const { stdout } = await run("pgbench", args, { env: { ...process.env, PGPASSWORD: password }, maxBuffer: 1 << 24 });
        const tps = /tps = ([\d.]+)/.exec(stdout);
        return { tps: tps ? Number(tps[1]) : undefined };
    } catch (e) {
        const err = e as { stderr?: string; message?: string };
        const text = `${err.stderr ?? ""}\n${err.message ?? ""}`;
        const why = /(too many clients already|too many connections for role "[^"]+"|too many connections for database "[^"]+"|remaining connection slots are reserved[^\n]*)/.exec(text);
        return { failed: why ? why[1] : text.split("\n").find((l) => l.trim() && !l.startsWith("pgbench (")) ?? "pgbench failed" };
    }
}

async function main(): Promise<void> {
    const s = newService(randomBytes(3).toString("hex"), "bench", 80, POOL);
    await createService(s);
    const bouncer = await startPgBouncer((dir, port) => pgbouncerFiles(plannedPooler([s], { maxClientConnections: 1000 }), [s], dir, port));
    const results: Result[] = [];
    try {
        await run("pgbench", ["-i", "-q", "-s", "1", "-h", "127.0.0.1", "-p", "5432", "-U", s.role, s.database], { env: { ...process.env, PGPASSWORD: s.passwords[s.role] } });
        for (const connectEach of [false, true]) {
            for (const clients of [50, 200]) {
                for (const [label, port] of [["direct", 5432], ["PgBouncer", bouncer.port]] as const) {
                    const { value, peak } = await sampledPeak(s.database, () => pgbench(port, s.role, s.passwords[s.role], s.database, clients, connectEach));
                    results.push({ label: `${label}${connectEach ? ", new connection per transaction (-C)" : ""}`, clients, tps: value.tps, failed: value.failed, peak });
                    process.stderr.write(`${label} ${clients} clients${connectEach ? " -C" : ""}: ${value.tps ?? value.failed} (peak ${peak})\n`);
                }
            }
        }
    } finally {
        await bouncer.stop();
        await dropServices([s]);
    }
    const server = await asAdmin(async (c) => (await c.query("SHOW server_version")).rows[0].server_version as string);
    const direct = (r: Result) => results.find((x) => x.clients === r.clients && x.label === r.label.replace("PgBouncer", "direct"));
    const lines = [
        `pgbench -S (select-only, scale 1), ${SECONDS} s per run, -j 2; service connectionLimit 80, pool ${POOL}; ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}, PostgreSQL ${server}, PgBouncer (Debian) on 127.0.0.1.`,
        "",
        "| connection | clients | tps | vs direct | peak server connections |",
        "|---|---:|---:|---:|---:|",
        ...results.map((r) => {
            const d = direct(r);
            const ratio = r.tps !== undefined && d?.tps !== undefined ? `${(r.tps / d.tps).toFixed(2)}×` : "—";
            return `| ${r.label} | ${r.clients} | ${r.tps !== undefined ? Math.round(r.tps) : `failed: ${r.failed}`} | ${ratio} | ${r.peak} |`;
        }),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((e: unknown) => { process.stderr.write(`bench:pgbouncer: ${(e as Error).message}\n`); process.exitCode = 1; });
