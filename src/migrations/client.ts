/** The part of a `pg.Client` the runner needs: injected, so tests and callers choose the client. */
import type { Submittable } from "pg";

export interface QueryResultLike<R> {
    readonly rows: R[];
}

export interface SqlClient {
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResultLike<R>>;
    /** Streams and custom queries (COPY FROM STDIN, statement counting), as `pg.Client` takes them. */
    query<T extends Submittable>(submittable: T): T;
    escapeIdentifier(s: string): string;
    escapeLiteral(s: string): string;
}

/** The fields of a PostgreSQL error that the runner reports (see pg's DatabaseError). */
export interface PgErrorLike {
    readonly message: string;
    readonly code?: string;
    /** 1-based character position in the query text, as a string. */
    readonly position?: string;
    /** Context lines, e.g. `COPY orders, line 3, column id: "x"`. */
    readonly where?: string;
}

export function isPgError(e: unknown): e is PgErrorLike {
    return e instanceof Error && typeof (e as { code?: unknown }).code === "string";
}
