/**
 * Every connection verify opens goes through one ConnectionBudget: at most `limit` at once in
 * total, and at most one at a time per key. Keys name what a connection uses up on the server:
 * the login role (`role:<server>/<name>`) and the database (`db:<server>/<name>`), so verify
 * never holds more than one of any service's connections, whatever its connection limit.
 * A job starts when the total and all its keys have room; the waiting jobs are taken in the
 * order they were queued, skipping those whose keys are busy.
 */

export interface BudgetStats {
    /** Connections (and connection attempts) started. */
    readonly opened: number;
    /** The most that were in flight at one moment. */
    readonly peak: number;
    /** The most that were in flight at one moment for any single key. */
    readonly peakPerKey: number;
}

interface Waiting {
    readonly keys: readonly string[];
    readonly start: () => void;
}

export class ConnectionBudget {
    private readonly busy = new Map<string, number>();
    private readonly queue: (Waiting | undefined)[] = [];
    private head = 0;
    private inFlight = 0;
    private stats = { opened: 0, peak: 0, peakPerKey: 0 };

    constructor(readonly limit: number) {
        if (!(Number.isInteger(limit) && limit >= 1)) throw new Error(`connection budget: limit must be a whole number ≥ 1, got ${limit}`);
    }

    /** Runs `fn` once the budget has room for one connection using `keys`. */
    use<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            const start = () => {
                this.take(keys);
                fn().then(resolve, reject).finally(() => { this.give(keys); this.pump(); });
            };
            this.queue.push({ keys, start });
            this.pump();
        });
    }

    snapshot(): BudgetStats {
        return { ...this.stats };
    }

    private free(keys: readonly string[]): boolean {
        return keys.every((k) => !this.busy.get(k));
    }

    private take(keys: readonly string[]): void {
        this.inFlight++;
        this.stats.opened++;
        this.stats.peak = Math.max(this.stats.peak, this.inFlight);
        for (const k of keys) {
            const n = (this.busy.get(k) ?? 0) + 1;
            this.busy.set(k, n);
            this.stats.peakPerKey = Math.max(this.stats.peakPerKey, n);
        }
    }

    private give(keys: readonly string[]): void {
        this.inFlight--;
        for (const k of keys) {
            const n = (this.busy.get(k) ?? 1) - 1;
            if (n) this.busy.set(k, n); else this.busy.delete(k);
        }
    }

    /** Starts waiting jobs while there is room. */
    private pump(): void {
        while (this.head < this.queue.length && this.queue[this.head] === undefined) this.head++;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
            this.queue.splice(0, this.head);
            this.head = 0;
        }
        for (let i = this.head; i < this.queue.length && this.inFlight < this.limit; i++) {
            const w = this.queue[i];
            if (w && this.free(w.keys)) {
                this.queue[i] = undefined;
                w.start();
            }
        }
    }
}

/** The budget keys of a connection as `user` to `database` on `server` (`host:port`). */
export const connectionKeys = (server: string, user: string, database: string): string[] => [`role:${server}/${user}`, `db:${server}/${database}`];
