/**
 * What servicedb's provider does for a ServiceMigrations (src/plugin/handlers.ts), as plain
 * functions, tested on the real server.
 */
import type { Client } from "pg";
import { withConnection } from "../connect";
import { parseMigrationFile, sortMigrations } from "./files";
import { info, migrate } from "./runner";
import { backupBeforeMigrate } from "../backup/backup";

export interface MigrationsInputs {
    readonly service: string;
    /** Secret: the service's own URL; migrations run as the service role. */
    readonly url: string;
    readonly schema: string;
    /** `<script> sha256:<checksum>` per file, in order: what a preview diff shows. */
    readonly files: string[];
    /** SQL of each file by script name. */
    readonly sources: Record<string, string>;
    readonly lockTimeoutMs: number;
    /**
     * Where to take a backup (custom-format pg_dump, src/backup) before applying pending files;
     * relative to the project directory. No backup when absent, or when nothing is pending.
     */
    readonly backupDir?: string;
    /**
     * Scripts the database's history does not record as applied: declared empty (an `up` leaves
     * nothing pending); a refresh reads what the database says (restored from an older backup,
     * recreated empty), so the next preview lists those files and the next `up` applies them.
     */
    readonly pending: string[];
}

export interface MigrationsOutputs extends MigrationsInputs {
    /** Scripts the history table records as applied after the run. */
    readonly applied: string[];
}

export interface DiffResult {
    readonly changes: boolean;
    readonly replaces?: string[];
    readonly deleteBeforeReplace?: boolean;
}

/** The `files` entry of one migration. */
export function fileEntry(script: string, checksum: string): string {
    return `${script} sha256:${checksum}`;
}

function filesOf(inputs: MigrationsInputs) {
    return sortMigrations(Object.entries(inputs.sources).map(([script, sql]) => parseMigrationFile(script, sql)));
}

/**
 * How long the service's login waits for a free slot of its database. Every session counts
 * against the database's CONNECTION LIMIT, a superuser's too (PostgreSQL only exempts superusers
 * from the check), so the admin's own sessions — the postgresql provider refreshing grants, a
 * ServiceCore reading schemas — can fill it for a moment: "too many connections" (53300).
 */
export const SLOT_WAIT_MS = 30_000;

/** The service's connection, retried while its database is full, then `fn`; always closed. */
const withClient = <T>(url: string, fn: (c: Client) => Promise<T>) => withConnection({ connectionString: url, connectionTimeoutMillis: 30_000 }, fn,
    { retryable: new Set(["53300"]), deadlineMs: SLOT_WAIT_MS, delayMs: (attempt) => Math.min(100 * 2 ** attempt, 1000) });

const sameList = (a: readonly string[] = [], b: readonly string[] = []) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Unchanged files, schema, URL and nothing pending: no change. Anything else is an in-place update, never a replace. */
export function diffMigrations(olds: MigrationsInputs, news: MigrationsInputs): DiffResult {
    const same = olds.url === news.url && olds.schema === news.schema && sameList(olds.files, news.files) && sameList(olds.pending, news.pending);
    return { changes: !same, replaces: [], deleteBeforeReplace: false };
}

const notApplied = (infos: readonly { script: string; state: string }[]) =>
    infos.filter((i) => i.state === "pending" || i.state === "failed").map((i) => i.script);

/** Applies what is pending (as the service role) and reports what the history holds. */
export async function applyMigrations(inputs: MigrationsInputs): Promise<MigrationsOutputs> {
    const files = filesOf(inputs);
    if (inputs.backupDir) {
        // Before the runner connects: a failed backup applies nothing.
        await backupBeforeMigrate({ service: inputs.service, url: inputs.url, schema: inputs.schema, files, dir: inputs.backupDir });
    }
    return withClient(inputs.url, async (c) => {
        await migrate(c, files, { schema: inputs.schema, lockTimeoutMs: inputs.lockTimeoutMs });
        const infos = await info(c, files, { schema: inputs.schema });
        return { ...inputs, applied: infos.filter((i) => i.state === "applied").map((i) => i.script), pending: notApplied(infos) };
    });
}

/** Connecting failed in a way the core's own refresh shows and its update repairs. */
const REPAIRABLE = new Set(["3D000", "28P01", "28000", "42501"]);

/**
 * For `pulumi refresh`: what the database's history says is applied and pending now, as outputs
 * and as inputs (so the next diff compares them with the declared nothing-pending). A database
 * that does not exist has every file pending; one the service cannot log in to (its login
 * dropped or changed by hand: the core's refresh shows that too) has its history unread.
 */
export async function readMigrations(props: MigrationsOutputs): Promise<{ props: MigrationsOutputs; inputs: MigrationsInputs }> {
    const files = filesOf(props);
    let outs: MigrationsOutputs;
    try {
        outs = await withClient(props.url, async (c) => {
            const infos = await info(c, files, { schema: props.schema, allowMissing: true, allowChanged: true, allowOutOfOrder: true });
            return { ...props, applied: infos.filter((i) => i.state === "applied").map((i) => i.script), pending: notApplied(infos) };
        });
    } catch (e) {
        const code = (e as { code?: string }).code ?? "";
        if (!REPAIRABLE.has(code)) throw e;
        const pending = code === "3D000" ? files.map((f) => f.script) : [`(history not readable: ${(e as Error).message})`];
        outs = { ...props, applied: [], pending };
    }
    const inputs = Object.fromEntries(Object.entries(outs).filter(([k]) => k !== "applied")) as unknown as MigrationsInputs;
    return { props: outs, inputs };
}
