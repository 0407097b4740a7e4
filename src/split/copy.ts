/**
 * `split copy`: per service, schema first (as the service's role, so it owns every table; or
 * through its migrations), then the data table by table (parents before children), then keys,
 * checks, indexes and foreign keys, then sequences past the copied maximum. Each step is recorded
 * in the target, so a second run continues where the first stopped.
 */
import * as fs from "fs";
import * as path from "path";
import { Client } from "pg";
import { withConnection } from "../connect";
import { loadMigrations } from "../migrations/files";
import { migrate } from "../migrations/runner";
import { ServiceTables } from "./assign";
import { Table } from "./catalog";
import { copyTable } from "./copyTable";
import { serviceDdl, qualified, SequenceStep, copyColumns } from "./ddl";
import { Emit } from "./events";
import { SplitContext, serviceConnection, stateFor, targetFindings } from "./context";
import { SplitError } from "./errors";
import { SplitState, normalizeSession } from "./state";

export interface CopyOptions {
    readonly emit: Emit;
    readonly progressIntervalMs: number;
    readonly migrationsRoot: string;
}

/** Parents before children, so the rows of a table that has foreign keys find their parents. */
export function copyOrder(tables: readonly Table[], fks: readonly { table: string; references?: string }[]): Table[] {
    const left = new Map(tables.map((t) => [t.name, t]));
    const out: Table[] = [];
    while (left.size) {
        const ready = [...left.values()].filter((t) => !fks.some((f) => f.table === t.name && f.references !== t.name && f.references !== undefined && left.has(f.references)));
        const next = ready.length ? ready : [[...left.values()][0]]; // a cycle: any order, keys come after the data anyway
        for (const t of next) { out.push(t); left.delete(t.name); }
    }
    return out;
}

export function schemaSource(st: ServiceTables, migrationsRoot: string): "source" | "migrations" {
    if (st.claim.schemaFrom !== "auto") return st.claim.schemaFrom;
    return fs.existsSync(path.join(migrationsRoot, st.service)) ? "migrations" : "source";
}

async function createSchema(target: Client, st: ServiceTables, ctx: SplitContext, state: SplitState, opts: CopyOptions): Promise<void> {
    const via = schemaSource(st, opts.migrationsRoot);
    const ddl = serviceDdl(st, ctx.catalog, (s) => target.escapeIdentifier(s));
    if (via === "migrations") {
        const applied = await migrate(target, loadMigrations(path.join(opts.migrationsRoot, st.service)));
        for (const t of st.tables) {
            const r = await target.query<{ name: string }>("SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped", [qualified(t.name, (s) => target.escapeIdentifier(s))]);
            const missing = copyColumns(t).filter((c) => !r.rows.some((x) => x.name === c));
            if (missing.length) throw new SplitError(`${st.service}: after migrations/${st.service}/, table ${t.name} ${r.rows.length ? `lacks column(s) ${missing.join(", ")}` : "does not exist"}; add a migration that creates it as in the monolith, or set services.${st.service}.schemaFrom: source`);
        }
        await state.mark("schema", "done", { detail: { via, applied: applied.length, createdTables: [], createdSchemas: [], createdSequences: [] } });
        opts.emit({ event: "schema", service: st.service, via, statements: applied.length });
        return;
    }
    await target.query("BEGIN");
    try {
        const exists = async (sql: string, v: string) => (await target.query<{ x: boolean }>(sql, [v])).rows[0].x;
        const q = (s: string) => target.escapeIdentifier(s);
        const created = {
            via,
            createdSchemas: [] as string[], createdSequences: [] as string[], createdTables: [] as string[],
        };
        for (const s of new Set(st.tables.map((t) => t.schema))) if (!(await exists("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS x", s))) created.createdSchemas.push(s);
        for (const t of st.tables) if (!(await exists("SELECT to_regclass($1) IS NOT NULL AS x", qualified(t.name, q)))) created.createdTables.push(t.name);
        for (const s of ddl.sequences) if (s.sequence && !(await exists("SELECT to_regclass($1) IS NOT NULL AS x", qualified(s.sequence, q)))) created.createdSequences.push(s.sequence);
        for (const sql of ddl.preData) await target.query(sql);
        await state.mark("schema", "done", { detail: created });
        await target.query("COMMIT");
    } catch (e) {
        await target.query("ROLLBACK").catch(() => undefined);
        throw e;
    }
    opts.emit({ event: "schema", service: st.service, via, statements: ddl.preData.length });
}

async function postData(target: Client, st: ServiceTables, ctx: SplitContext, state: SplitState, opts: CopyOptions): Promise<void> {
    if (schemaSource(st, opts.migrationsRoot) === "migrations") return; // the service's migrations own its keys and indexes
    const done = await state.all();
    for (const step of serviceDdl(st, ctx.catalog, (s) => target.escapeIdentifier(s)).postData) {
        const item = `${step.kind}:${step.table}.${step.name}`;
        const started = Date.now();
        if (done.get(item)?.state !== "done") {
            await target.query("BEGIN");
            await target.query(step.sql).then(() => state.mark(item, "done")).then(() => target.query("COMMIT"),
                async (e: unknown) => { await target.query("ROLLBACK"); throw e; });
        }
        opts.emit({ event: "post-data", service: st.service, kind: step.kind, name: step.name, seconds: (Date.now() - started) / 1000, skipped: done.get(item)?.state === "done" });
    }
}

/** Moves each sequence past both its value in the monolith and the largest copied value. */
export async function setSequences(target: Client, service: string, steps: readonly SequenceStep[], emit: Emit): Promise<void> {
    const q = (s: string) => target.escapeIdentifier(s);
    for (const s of steps) {
        const seq = s.sequence ?? (await target.query<{ s: string | null }>("SELECT pg_get_serial_sequence($1, $2) AS s", [qualified(s.table ?? "", q), s.column])).rows[0].s;
        if (!seq) continue;
        const max = s.table && s.column ? `(SELECT max(${q(s.column)})::int8 FROM ${qualified(s.table, q)})` : "NULL::int8";
        const r = await target.query<{ v: string | null }>(`SELECT CASE WHEN v IS NOT NULL THEN setval($1::regclass, v) END::text AS v FROM (SELECT greatest($2::int8, ${max}) AS v) x`, [s.sequence ? qualified(s.sequence, q) : seq, s.sourceLastValue]);
        if (r.rows[0].v !== null) emit({ event: "sequence", service, sequence: seq, value: r.rows[0].v });
    }
}

export async function copyService(ctx: SplitContext, st: ServiceTables, opts: CopyOptions): Promise<void> {
    const svc = serviceConnection(ctx, st.service);
    const started = Date.now();
    await withConnection({ connectionString: ctx.sourceUrl }, (source) => withConnection({ connectionString: svc.url }, async (target) => {
        await normalizeSession(source);
        await normalizeSession(target);
        const state = stateFor(target, svc, ctx.plan);
        const before = await state.all();
        const occupied = await targetFindings(target, st, before);
        if (occupied.length) throw new SplitError(occupied.map((f) => `${f.subject} ${f.problem}. Fix: ${f.fix}.`).join("\n"));
        await state.ensure();
        if (before.get("schema")?.state === "done") opts.emit({ event: "schema", service: st.service, via: "done before", statements: 0 });
        else await createSchema(target, st, ctx, state, opts);
        let rows = 0;
        let bytes = 0;
        let copied = 0;
        for (const t of copyOrder(st.tables, ctx.catalog.constraints.filter((c) => c.kind === "f"))) {
            const done = before.get(`table:${t.name}`);
            if (done?.state === "done") {
                opts.emit({ event: "table-skipped", service: st.service, table: t.name, rows: done.rows, reason: "copied by an earlier run" });
                continue;
            }
            const r = await copyTable(source, target, t, { service: st.service, state, emit: opts.emit, progressIntervalMs: opts.progressIntervalMs });
            copied++;
            rows += r.rows;
            bytes += r.bytes;
        }
        await postData(target, st, ctx, state, opts);
        await setSequences(target, st.service, serviceDdl(st, ctx.catalog, (s) => target.escapeIdentifier(s)).sequences, opts.emit);
        await state.mark("copy", "done");
        opts.emit({ event: "service-done", service: st.service, tables: st.tables.length, copied, rows, bytes, seconds: (Date.now() - started) / 1000 });
    }));
}
