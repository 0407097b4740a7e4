/**
 * What the ServiceMigrations dynamic provider does, as plain functions (tested on the real
 * server). The provider object in components/serviceMigrations.ts loads this module at run time
 * through src/migrations/dynamic.js, so its serialized closure captures nothing.
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

const withClient = <T>(url: string, fn: (c: Client) => Promise<T>) =>
    withConnection({ connectionString: url, connectionTimeoutMillis: 30_000 }, fn);

/** Unchanged files, schema and URL: no change. Anything else is an in-place update, never a replace. */
export function diffMigrations(olds: MigrationsInputs, news: MigrationsInputs): DiffResult {
    const same = olds.url === news.url && olds.schema === news.schema
        && olds.files.length === news.files.length && olds.files.every((f, i) => f === news.files[i]);
    return { changes: !same, replaces: [], deleteBeforeReplace: false };
}

/** Applies what is pending (as the service role) and reports what the history holds. */
export async function applyMigrations(inputs: MigrationsInputs): Promise<MigrationsOutputs> {
    const files = filesOf(inputs);
    if (inputs.backupDir) {
        // Before the runner connects: a failed backup applies nothing.
        await backupBeforeMigrate({ service: inputs.service, url: inputs.url, schema: inputs.schema, files, dir: inputs.backupDir });
    }
    return withClient(inputs.url, async (c) => {
        await migrate(c, files, { schema: inputs.schema, lockTimeoutMs: inputs.lockTimeoutMs });
        const applied = (await info(c, files, { schema: inputs.schema })).filter((i) => i.state === "applied").map((i) => i.script);
        return { ...inputs, applied };
    });
}

/** For `pulumi refresh`: what the database's history says is applied now. */
export async function readMigrations(props: MigrationsOutputs): Promise<MigrationsOutputs> {
    const files = filesOf(props);
    return withClient(props.url, async (c) => {
        const infos = await info(c, files, { schema: props.schema, allowMissing: true, allowChanged: true, allowOutOfOrder: true });
        return { ...props, applied: infos.filter((i) => i.state === "applied").map((i) => i.script) };
    });
}
