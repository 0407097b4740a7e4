import * as pulumi from "@pulumi/pulumi";
import { MigrationFile } from "../src/migrations/files";
import { fileEntry } from "../src/migrations/provider";
import { RESOURCE_TYPES } from "../src/plugin/types";
import type { ServicedbResourceOptions } from "./servicedbProvider";

export interface ServiceMigrationsArgs {
    /** Service name (the resource id). */
    readonly service: string;
    /** The service's own connection URL (secret): migrations run as the service role. */
    readonly url: pulumi.Input<string>;
    /** Parsed files of `migrations/<service>/`, in order. */
    readonly files: readonly MigrationFile[];
    /** Schema of the history table. Defaults to "public". */
    readonly schema?: string;
    /** How long to wait for another run's lock, in ms. Defaults to 120000. */
    readonly lockTimeoutMs?: number;
    /**
     * Folder (relative to the project) for a backup of the database taken before pending files
     * are applied (see README, "Day 2"). Defaults to none: no backup.
     */
    readonly backupDir?: string;
}

/**
 * servicedb:migrations:ServiceMigrations — applies `migrations/<service>/` to the
 * service's database as the service's role. Its `files` input lists `<script> sha256:<checksum>`,
 * so `pulumi preview --diff` shows exactly which migration files a change adds; unchanged files
 * give no diff. The URL stays secret in state (additionalSecretOutputs) and under mocks.
 */
export class ServiceMigrations extends pulumi.CustomResource {
    declare readonly applied: pulumi.Output<string[]>;
    declare readonly files: pulumi.Output<string[]>;
    declare readonly pending: pulumi.Output<string[]>;

    constructor(name: string, args: ServiceMigrationsArgs, opts: ServicedbResourceOptions) {
        const props = {
            service: args.service,
            url: pulumi.secret(args.url),
            schema: args.schema ?? "public",
            files: args.files.map((f) => fileEntry(f.script, f.checksum)),
            sources: Object.fromEntries(args.files.map((f) => [f.script, f.sql])),
            lockTimeoutMs: args.lockTimeoutMs ?? 120_000,
            ...(args.backupDir ? { backupDir: args.backupDir } : {}),
            // Declared: nothing pending once `up` ran; a refresh reads what the database says.
            pending: [],
            applied: undefined,
        };
        super(RESOURCE_TYPES.migrations, name, props, { ...opts, additionalSecretOutputs: ["url"] });
    }
}
