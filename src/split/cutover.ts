/**
 * `split cutover`: freeze writes on the moved tables in the monolith, then bring every target to
 * the frozen state (tables whose count or checksum differ are copied again, sequences moved on),
 * verify everything, and record the cutover. After it, each service switches to its own URL.
 */
import { Client } from "pg";
import { withConnection } from "../connect";
import { ServiceTables } from "./assign";
import { copyTable } from "./copyTable";
import { serviceDdl } from "./ddl";
import { Emit } from "./events";
import { SplitContext, serviceConnection, stateFor } from "./context";
import { SplitError } from "./errors";
import { freeze } from "./freeze";
import { setSequences } from "./copy";
import { SplitState, normalizeSession } from "./state";
import { TableCheck, checkTable } from "./verify";

export interface CutoverOptions {
    readonly emit: Emit;
    readonly lockTimeoutMs: number;
    readonly progressIntervalMs: number;
}

interface Open { readonly st: ServiceTables; readonly target: Client; readonly state: SplitState }

/** Opens a connection per service target (the service's role) for the length of `fn`. */
export async function withTargets<T>(ctx: SplitContext, fn: (open: Open[]) => Promise<T>): Promise<T> {
    const opened: Open[] = [];
    const step = async (i: number): Promise<T> => {
        if (i === ctx.assignment.services.length) return fn(opened);
        const st = ctx.assignment.services[i];
        const svc = serviceConnection(ctx, st.service);
        return withConnection({ connectionString: svc.url }, async (target) => {
            await normalizeSession(target);
            opened.push({ st, target, state: stateFor(target, svc, ctx.plan) });
            return step(i + 1);
        });
    };
    return step(0);
}

export async function cutover(ctx: SplitContext, opts: CutoverOptions): Promise<TableCheck[]> {
    return withConnection({ connectionString: ctx.sourceUrl }, async (source) => {
        await normalizeSession(source);
        return withTargets(ctx, async (open) => {
            for (const o of open) {
                if ((await o.state.all()).get("copy")?.state !== "done") throw new SplitError(`service ${o.st.service} has not been copied completely; run split copy first`);
            }
            await freeze(source, open.flatMap((o) => o.st.tables.map((t) => ({ table: t.name, state: o.state }))), opts.lockTimeoutMs);
            opts.emit({ event: "note", message: `writes frozen on ${open.reduce((n, o) => n + o.st.tables.length, 0)} tables of the source` });
            const checks: TableCheck[] = [];
            for (const o of open) {
                let recopied = 0;
                for (const t of o.st.tables) {
                    const c = await checkTable(source, o.target, o.st.service, t);
                    if (c.match) { checks.push(c); continue; }
                    opts.emit({ event: "note", service: o.st.service, message: `${t.name} changed since the copy; copying it again` });
                    await copyTable(source, o.target, t, { service: o.st.service, state: o.state, emit: opts.emit, progressIntervalMs: opts.progressIntervalMs });
                    checks.push(await checkTable(source, o.target, o.st.service, t));
                    recopied++;
                }
                if (recopied) await setSequences(o.target, o.st.service, serviceDdl(o.st, ctx.catalog, (s) => o.target.escapeIdentifier(s)).sequences, opts.emit);
                if (checks.every((c) => c.service !== o.st.service || c.match)) await o.state.mark("cutover", "done");
            }
            return checks;
        });
    });
}

/** What each service does now; printed after a cutover and written in the README. */
export function nextSteps(ctx: SplitContext): string[] {
    return ctx.assignment.services.map((st) =>
        `${st.service}: switch DATABASE_URL to the stack output databases.${st.service}.url (its own database, role ${serviceConnection(ctx, st.service).username}) and redeploy; its ${st.tables.length} tables are read-only in the monolith from now on`);
}
