/**
 * `split rollback`: gives the monolith its write privileges back (exactly those the freeze
 * recorded), then removes from each target what the copy created: tables, sequences and schemas
 * it made are dropped, tables it only filled (made by migrations) are emptied, and the state table
 * goes last. The source's rows are never touched.
 */
import { withConnection } from "../connect";
import { qualified } from "./ddl";
import { Emit } from "./events";
import { SplitContext } from "./context";
import { WriteGrant, thaw } from "./freeze";
import { withTargets } from "./cutover";

interface Created { createdTables?: string[]; createdSequences?: string[]; createdSchemas?: string[] }

export async function rollback(ctx: SplitContext, emit: Emit): Promise<void> {
    await withConnection({ connectionString: ctx.sourceUrl }, (source) => withTargets(ctx, async (open) => {
        for (const o of open) {
            const state = await o.state.all();
            for (const [item, row] of state) {
                if (!item.startsWith("freeze:")) continue;
                const table = item.slice("freeze:".length);
                await thaw(source, table, (row.detail.grants ?? []) as WriteGrant[]);
                await o.state.forget(item);
                emit({ event: "note", service: o.st.service, message: `write privileges on ${table} restored in the source` });
            }
        }
        for (const o of open) {
            const state = await o.state.all();
            if (!state.size) { emit({ event: "note", service: o.st.service, message: "nothing to roll back" }); continue; }
            const q = (s: string) => o.target.escapeIdentifier(s);
            const created = (state.get("schema")?.detail ?? {}) as Created;
            const dropped = new Set(created.createdTables ?? []);
            const filled = o.st.tables.map((t) => t.name).filter((t) => !dropped.has(t) && state.has(`table:${t}`));
            await o.target.query("BEGIN");
            try {
                if (dropped.size) await o.target.query(`DROP TABLE IF EXISTS ${[...dropped].map((t) => qualified(t, q)).join(", ")}`);
                if (filled.length) await o.target.query(`TRUNCATE ${filled.map((t) => qualified(t, q)).join(", ")}`);
                for (const s of created.createdSequences ?? []) await o.target.query(`DROP SEQUENCE IF EXISTS ${qualified(s, q)}`);
                await o.state.drop();
                for (const s of created.createdSchemas ?? []) await o.target.query(`DROP SCHEMA IF EXISTS ${q(s)}`);
                await o.target.query("COMMIT");
            } catch (e) {
                await o.target.query("ROLLBACK").catch(() => undefined);
                throw e;
            }
            emit({ event: "note", service: o.st.service, message: `dropped ${dropped.size} tables, emptied ${filled.length}, removed the split state` });
        }
    }));
}
