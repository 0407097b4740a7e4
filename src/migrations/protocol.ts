/**
 * Two ways of sending SQL beyond `client.query(text)`:
 * - `runCounted`: a simple-protocol query (many statements, one round trip) that counts the
 *   statements the server completed, so an error without a position still names its statement.
 *   It is a `pg` Submittable (the documented extension point that pg-copy-streams uses too).
 * - `copyIn`: `COPY … FROM STDIN` with the file's inline data, through pg-copy-streams.
 */
import type { Connection, Submittable } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { SqlClient } from "./client";

/** The error of a counted query, with how many statements had completed before it. */
export class CountedError extends Error {
    constructor(readonly cause: Error, readonly completed: number) {
        super(cause.message);
    }
}

class CountingQuery implements Submittable {
    completed = 0;
    readonly done: Promise<void>;
    private settle: (e?: Error) => void = () => undefined;

    constructor(readonly text: string) {
        this.done = new Promise<void>((resolve, reject) => {
            this.settle = (e) => (e ? reject(new CountedError(e, this.completed)) : resolve());
        });
    }

    submit(connection: Connection): void {
        connection.query(this.text);
    }

    // The messages pg's Client hands to its active query. Rows are not needed; a COPY FROM STDIN
    // reaching here (it never should: the runner sends those through copyIn) is refused.
    handleRowDescription(): void { /* rows are not collected */ }
    handleDataRow(): void { /* rows are not collected */ }
    handlePortalSuspended(): void { /* simple protocol: never suspended */ }
    handleEmptyQuery(): void { /* an empty statement completes nothing */ }
    handleCopyData(): void { /* COPY TO STDOUT output is dropped, as by psql -o /dev/null */ }
    handleCommandComplete(): void {
        this.completed++;
    }
    handleCopyInResponse(connection: Connection): void {
        (connection as unknown as { sendCopyFail(msg: string): void }).sendCopyFail("COPY FROM STDIN without inline data");
    }
    handleError(err: Error): void {
        this.settle(err);
    }
    handleReadyForQuery(): void {
        this.settle();
    }
}

/** Runs `text` as one simple query; rejects with a CountedError. */
export async function runCounted(client: SqlClient, text: string): Promise<void> {
    await client.query(new CountingQuery(text)).done;
}

/** Runs `COPY … FROM STDIN` with `data` (COPY's text or CSV lines) as its input. */
export function copyIn(client: SqlClient, sql: string, data: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
        const stream = client.query(copyFrom(sql));
        stream.on("error", reject);
        stream.on("finish", () => resolve());
        stream.end(data);
    });
}
