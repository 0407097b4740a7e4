/**
 * One table, source → target, streamed with COPY (pg-copy-streams), in one target transaction:
 * foreign keys that point at the table are set aside, the table is emptied, the rows streamed in,
 * the keys put back (and so re-validated) and the "done" mark written. Interrupted anywhere, the
 * transaction rolls back and the next run starts the table from empty again.
 */
import { Transform, TransformCallback } from "stream";
import { pipeline } from "stream/promises";
import { Client } from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { Table } from "./catalog";
import { copyColumns, qualified } from "./ddl";
import { Emit, etaSeconds } from "./events";
import { SplitState } from "./state";

export interface CopyTableOptions {
    readonly service: string;
    readonly state: SplitState;
    readonly emit: Emit;
    /** Minimum time between two progress events; 0 reports every chunk. */
    readonly progressIntervalMs: number;
}

/** Counts bytes and rows (text COPY ends every row with a newline; newlines in values are escaped). */
class Meter extends Transform {
    rows = 0;
    bytes = 0;

    constructor(private readonly onChunk: () => void) {
        super();
    }

    _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
        this.bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.rows++;
        this.onChunk();
        done(null, chunk);
    }
}

export async function copyTable(source: Client, target: Client, t: Table, opts: CopyTableOptions): Promise<{ rows: number; bytes: number }> {
    const q = (s: string) => target.escapeIdentifier(s);
    const name = qualified(t.name, q);
    const cols = copyColumns(t).map(q).join(", ");
    const started = Date.now();
    let lastReport = 0;
    opts.emit({ event: "table-start", service: opts.service, table: t.name, estimatedRows: t.rowEstimate, estimatedBytes: t.bytes });
    const meter: Meter = new Meter(() => {
        const now = Date.now();
        if (now - lastReport < opts.progressIntervalMs) return;
        lastReport = now;
        const elapsed = (now - started) / 1000;
        opts.emit({
            event: "progress", service: opts.service, table: t.name, rows: meter.rows, bytes: meter.bytes,
            bytesPerSecond: elapsed > 0 ? meter.bytes / elapsed : 0, rowsPerSecond: elapsed > 0 ? meter.rows / elapsed : 0,
            etaSeconds: etaSeconds(meter.rows, meter.bytes, elapsed, t.rowEstimate, t.bytes),
        });
    });
    await target.query("BEGIN");
    try {
        const incoming = await target.query<{ tbl: string; name: string; def: string }>(
            `SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
             WHERE contype = 'f' AND confrelid = $1::regclass AND conrelid <> confrelid`, [name]);
        for (const fk of incoming.rows) await target.query(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT ${q(fk.name)}`);
        await target.query(`TRUNCATE ${name}`);
        const into = target.query(copyFrom(`COPY ${name} (${cols}) FROM STDIN`));
        await pipeline(source.query(copyTo(`COPY ${qualified(t.name, (s) => source.escapeIdentifier(s))} (${cols}) TO STDOUT`)), meter, into);
        for (const fk of incoming.rows) await target.query(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT ${q(fk.name)} ${fk.def}`);
        await opts.state.mark(`table:${t.name}`, "done", { rows: into.rowCount, bytes: meter.bytes });
        await target.query("COMMIT");
        const seconds = (Date.now() - started) / 1000;
        opts.emit({ event: "table-done", service: opts.service, table: t.name, rows: into.rowCount, bytes: meter.bytes, seconds });
        return { rows: into.rowCount, bytes: meter.bytes };
    } catch (e) {
        await target.query("ROLLBACK").catch(() => undefined);
        throw e;
    }
}
