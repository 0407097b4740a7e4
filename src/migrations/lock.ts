/**
 * The run's lock: a session advisory lock on ('sdb!', hash(schema)), so one database can host
 * several histories. Waiting polls `pg_try_advisory_lock` with backoff (as Flyway does) instead
 * of blocking in `pg_advisory_lock`: a blocked call sits in a statement that holds a snapshot,
 * and `CREATE INDEX CONCURRENTLY` run by the lock holder waits for every older snapshot, so the
 * two would deadlock. Between polls the waiting session is idle and holds nothing.
 */
import { SqlClient } from "./client";
import { MigrationError } from "./errors";

/** Two int4 keys: "sdb!" and a hash of the schema. */
export function lockKeys(schema: string): [number, number] {
    let h = 0x811c9dc5;
    for (const ch of Buffer.from(schema, "utf8")) h = Math.imul(h ^ ch, 0x01000193);
    return [0x73646221, h | 0];
}

/** Pauses between polls: 20 ms doubling up to 250 ms, with ±25% jitter so waiters spread out. */
export function backoff(attempt: number, random: () => number = Math.random): number {
    const base = Math.min(250, 20 * 2 ** attempt);
    return Math.round(base * (0.75 + random() / 2));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withLock<T>(client: SqlClient, schema: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    const [k1, k2] = lockKeys(schema);
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
        const r = await client.query<{ ok: boolean }>("SELECT pg_catalog.pg_try_advisory_lock($1, $2) AS ok", [k1, k2]);
        if (r.rows[0]?.ok) break;
        const left = deadline - Date.now();
        if (left <= 0) {
            throw new MigrationError(`another migration run has held the lock on this database for more than ${timeoutMs} ms; wait for it to finish, or raise the lock timeout`);
        }
        await sleep(Math.min(left, backoff(attempt)));
    }
    try {
        return await fn();
    } finally {
        await client.query("SELECT pg_catalog.pg_advisory_unlock($1, $2)", [k1, k2]).catch(() => undefined);
    }
}
