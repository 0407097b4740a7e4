/** The part of a `pg.Client` the runner needs: injected, so tests and callers choose the client. */
export interface QueryResultLike<R> {
    readonly rows: R[];
}

export interface SqlClient {
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResultLike<R>>;
    escapeIdentifier(s: string): string;
    escapeLiteral(s: string): string;
}

/** The fields of a PostgreSQL error that the runner reports (see pg's DatabaseError). */
export interface PgErrorLike {
    readonly message: string;
    readonly code?: string;
    /** 1-based character position in the query text, as a string. */
    readonly position?: string;
}

export function isPgError(e: unknown): e is PgErrorLike {
    return e instanceof Error && typeof (e as { code?: unknown }).code === "string";
}
