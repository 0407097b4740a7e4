/**
 * Per-service guardrails (`settings:` of a service, `servicedb:settings` for the platform's
 * defaults): session parameters set on both logins with `ALTER ROLE … SET`, so one service's
 * runaway query, forgotten transaction or memory-hungry sort cannot take a shared server down.
 * Values are written as PostgreSQL writes them (`30s`, `64MB`) and kept in its base units (ms,
 * kB), exactly as the server stores them; `none` leaves a parameter to the server.
 */
import { identifierProblem } from "../names";
import { custom } from "./kinds";
import type { Declaration, ReadContext, Setting } from "./setting";

/** The values a level above gives (the platform's, for a service): its defaults. */
export type GuardDefaults = Partial<Readonly<Record<string, number | readonly string[] | undefined>>> | undefined;

const MAX_INT = 2147483647;
const TIME_UNITS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Readonly<Record<string, number>> = { B: 1 / 1024, kB: 1, MB: 1024, GB: 1024 * 1024, TB: 1024 * 1024 * 1024 };

/** "30s" → 30000 (ms); a bare number is ms, as PostgreSQL reads it. Undefined when malformed. */
export function parseDuration(v: string): number | undefined {
    const m = /^\s*(\d+)\s*(us|ms|s|min|h|d)?\s*$/.exec(v);
    if (!m) return undefined;
    const ms = Math.round(Number(m[1]) * TIME_UNITS[m[2] ?? "ms"]);
    return ms <= MAX_INT ? ms : undefined;
}

/** "64MB" → 65536 (kB); a bare number is kB, as PostgreSQL reads it. Undefined when malformed. */
export function parseSize(v: string): number | undefined {
    const m = /^\s*(-?\d+)\s*(B|kB|MB|GB|TB)?\s*$/.exec(v);
    if (!m) return undefined;
    const kb = Math.ceil(Number(m[1]) * SIZE_UNITS[m[2] ?? "kB"]);
    return kb <= MAX_INT ? kb : undefined;
}

interface GuardKind {
    readonly doc: string;
    /** The built-in default as written ("60s"), or "none". */
    readonly builtin: string;
    readonly parse: (v: string) => number | undefined;
    readonly min: number;
    /** What to write instead, for the fix. */
    readonly example: string;
}

/** A time or size parameter: a string in PostgreSQL's units, or `none`. */
function guard(o: GuardKind): Setting<number | undefined, string, GuardDefaults> {
    const fallback = o.builtin === "none" ? undefined : o.parse(o.builtin);
    return custom({
        doc: o.doc, defaultDoc: `\`${o.builtin}\``, wire: "string",
        read: (r, k, ctx: ReadContext<GuardDefaults>) => {
            const inherited = ctx.outer && k in ctx.outer ? ctx.outer[k] as number | undefined : fallback;
            const raw = ctx.raw[k];
            if (raw === undefined || raw === null) return inherited;
            const text = typeof raw === "number" ? String(raw) : raw;
            if (text === "none") return undefined;
            const value = typeof text === "string" ? o.parse(text) : undefined;
            if (value === undefined || value < o.min) {
                r.add(k, `must be ${o.min < 0 ? "-1 or " : ""}a ${o.parse === parseDuration ? "duration such as 30s, 500ms or 5min" : "size such as 64MB or 512kB"}${o.min > 0 ? ` of at least ${o.min} ${o.parse === parseDuration ? "ms" : "kB"}` : ""}, or none; got ${JSON.stringify(raw)}`, `set ${r.pathOf(k)} to ${o.example}, or none to leave the server's value`);
                return inherited;
            }
            return value;
        },
    });
}

export const GUARD_SETTINGS = {
    statementTimeout: guard({ doc: "`statement_timeout`: a statement running longer is cancelled (migrations too: raise it, or `SET` it inside a long migration).", builtin: "60s", parse: parseDuration, min: 0, example: "30s" }),
    lockTimeout: guard({ doc: "`lock_timeout`: a statement waiting longer for a lock fails instead of queueing every other session behind it.", builtin: "10s", parse: parseDuration, min: 0, example: "5s" }),
    idleInTransactionSessionTimeout: guard({ doc: "`idle_in_transaction_session_timeout`: a session idle inside a transaction longer is ended (its locks released).", builtin: "60s", parse: parseDuration, min: 0, example: "1min" }),
    workMem: guard({ doc: "`work_mem`: memory per sort or hash before spilling to disk; counted in the server's memory budget (`memory`).", builtin: "4MB", parse: parseSize, min: 64, example: "16MB" }),
    tempFileLimit: guard({ doc: "`temp_file_limit`: temporary file space per session (-1: unlimited). Needs a superuser admin.", builtin: "none", parse: parseSize, min: -1, example: "1GB" }),
    searchPath: custom<readonly string[] | undefined, readonly string[], GuardDefaults>({
        doc: "`search_path`: the schemas unqualified names resolve in, in order.", defaultDoc: "`none` (the server's)", wire: "string[]",
        read: (r, k, ctx) => {
            const inherited = ctx.outer && k in ctx.outer ? ctx.outer[k] as readonly string[] | undefined : undefined;
            if (ctx.raw[k] === undefined || ctx.raw[k] === null) return inherited;
            if (ctx.raw[k] === "none") return undefined;
            const list = r.stringList(k, inherited ?? []);
            for (const s of list) {
                const p = s === "$user" ? undefined : identifierProblem(s, "schema");
                if (p) r.add(k, p, `list schema names (or $user) in ${r.pathOf(k)}`);
            }
            return list;
        },
    }),
} satisfies Declaration<GuardDefaults>;
