/* eslint-disable @typescript-eslint/no-require-imports -- the dynamic provider loads its implementation at run time; see below. */
import * as pulumi from "@pulumi/pulumi";
import type { DiffResult, MigrationsInputs, MigrationsOutputs } from "../src/migrations/provider";
import { MigrationFile } from "../src/migrations/files";
import { fileEntry } from "../src/migrations/provider";

type Impl = typeof import("../src/migrations/provider");

/**
 * Where the implementation is, found at run time in the provider's own process (working
 * directory: the project): the compiled copy of an installed servicedb package, else (this
 * repository) the TypeScript sources through src/migrations/dynamic.js. Captures nothing.
 */
function implementation(): Impl {
    const path = require("path") as typeof import("path");
    let file: string;
    try {
        file = require.resolve("servicedb/internal/migrations-provider", { paths: [process.cwd()] });
    } catch {
        file = path.resolve("src/migrations/dynamic.js");
    }
    return require(file) as Impl;
}

/**
 * The dynamic provider. Pulumi serializes this object into the state and runs it in its own
 * process, so the methods capture nothing from this module but `implementation`, which loads
 * the implementation (and `pg` with it) at run time.
 */
export const migrationsProvider = {
    async diff(_id: string, olds: MigrationsOutputs, news: MigrationsInputs): Promise<DiffResult> {
        const impl = implementation();
        return impl.diffMigrations(olds, news);
    },
    async create(inputs: MigrationsInputs) {
        const impl = implementation();
        return { id: inputs.service, outs: await impl.applyMigrations(inputs) };
    },
    async update(_id: string, _olds: MigrationsOutputs, news: MigrationsInputs) {
        const impl = implementation();
        return { outs: await impl.applyMigrations(news) };
    },
    async read(id: string, props: MigrationsOutputs) {
        const impl = implementation();
        return { id, ...await impl.readMigrations(props) };
    },
    // Deleting this resource changes nothing: the history lives and dies with the database.
    async delete() {
        return;
    },
} satisfies pulumi.dynamic.ResourceProvider;

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
 * pulumi-nodejs:dynamic/servicedb:ServiceMigrations — applies `migrations/<service>/` to the
 * service's database as the service's role. Its `files` input lists `<script> sha256:<checksum>`,
 * so `pulumi preview --diff` shows exactly which migration files a change adds; unchanged files
 * give no diff. The URL stays secret in state (additionalSecretOutputs) and under mocks.
 */
export class ServiceMigrations extends pulumi.dynamic.Resource {
    declare readonly applied: pulumi.Output<string[]>;
    declare readonly files: pulumi.Output<string[]>;
    declare readonly pending: pulumi.Output<string[]>;

    constructor(name: string, args: ServiceMigrationsArgs, opts?: pulumi.CustomResourceOptions) {
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
        super(migrationsProvider, name, props, { ...opts, additionalSecretOutputs: ["url"] }, "servicedb", "ServiceMigrations");
    }
}
