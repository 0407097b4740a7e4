/**
 * What servicedb's provider does for each of its resource types: the implementations of
 * src/core and src/migrations, each as check, diff, create, read, update and delete.
 */
import * as core from "../core/provider";
import type { CoreInputs, CoreOutputs } from "../core/inputs";
import type { LoginSettingsInputs } from "../core/loginSettings";
import type { ReadsInputs } from "../core/readsProvider";
import { applyMigrations, diffMigrations, readMigrations } from "../migrations/provider";
import type { MigrationsInputs, MigrationsOutputs } from "../migrations/provider";
import { RESOURCE_TYPES } from "./types";

export interface DiffOutcome {
    readonly changes: boolean;
    readonly replaces?: string[];
    readonly deleteBeforeReplace?: boolean;
}

/** One resource type's operations, on its own inputs (I) and outputs (O). */
export interface Handler<I = unknown, O = unknown> {
    /** The inputs to store: the declared ones with what they imply. Defaults to the inputs as given. */
    check?(news: I): { inputs: I };
    diff(olds: O, news: I): DiffOutcome;
    create(inputs: I): Promise<{ id: string; outs: O }>;
    read(id: string, props: O): Promise<{ id: string; props: O; inputs: I }>;
    update(olds: O, news: I): Promise<O>;
    delete(props: O): Promise<void>;
}

export const coreHandler: Handler<CoreInputs, CoreOutputs> = {
    check: core.checkCore,
    diff: core.diffCore,
    create: async (i) => ({ id: `${i.host}:${i.port}/${i.database}`, outs: await core.createCore(i) }),
    read: core.readCore,
    update: core.updateCore,
    delete: core.deleteCore,
};

export const readsHandler: Handler<ReadsInputs, ReadsInputs> = {
    check: core.checkReads,
    diff: core.diffReads,
    create: async (i) => ({ id: `${i.host}:${i.port}/${i.role}/reads`, outs: await core.createReads(i) }),
    read: core.readReads,
    update: core.updateReads,
    delete: core.deleteReads,
};

export const loginSettingsHandler: Handler<LoginSettingsInputs, LoginSettingsInputs> = {
    check: core.checkLoginSettings,
    diff: core.diffLoginSettings,
    create: async (i) => ({ id: `${i.host}:${i.port}/${i.logins[0]}/settings`, outs: await core.createLoginSettings(i) }),
    read: core.readLoginSettings,
    update: core.updateLoginSettings,
    delete: core.deleteLoginSettings,
};

export const migrationsHandler: Handler<MigrationsInputs, MigrationsOutputs> = {
    diff: diffMigrations,
    create: async (i) => ({ id: i.service, outs: await applyMigrations(i) }),
    read: async (id, props) => ({ id, ...await readMigrations(props) }),
    update: (_olds, news) => applyMigrations(news),
    // The history lives and dies with the database: deleting this resource changes nothing.
    delete: async () => undefined,
};

/** Each resource type's handler (its methods take the wire's values as their own types). */
export const HANDLERS: Readonly<Record<string, Handler>> = {
    [RESOURCE_TYPES.core]: coreHandler,
    [RESOURCE_TYPES.reads]: readsHandler,
    [RESOURCE_TYPES.loginSettings]: loginSettingsHandler,
    [RESOURCE_TYPES.migrations]: migrationsHandler,
};
