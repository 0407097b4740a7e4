/**
 * One service's settings (`servicedb:services.<name>`, a ServiceDatabase's arguments): declared
 * once here; src/parse.ts reads them, components take the values, docs and other languages
 * are generated from them (`npm run gen:settings`).
 */
import { snakeCase } from "../names";
import { NO_ROTATION, Rotation, readRotation } from "../rotation";
import { DEFAULTS } from "../spec";
import { custom, flag, integer, optionalInteger, text, textList } from "./kinds";
import { GUARD_SETTINGS } from "./guards";
import { readsSetting } from "./reads";
import { readSettings, type Declaration, type InputOf, type ValuesOf } from "./setting";
import { isObject } from "../fields";
import type { Owner } from "./server";

/** The level above a service's settings: its name and the platform's defaults. */
export interface ServiceOwner extends Owner {
    readonly name: string;
    /** `servicedb:protect`. */
    readonly protect: boolean;
    /** `servicedb:settings`: the guardrails every service inherits. */
    readonly settings: GuardValues;
}

export type GuardValues = ValuesOf<typeof GUARD_SETTINGS>;

export const SERVICE_SETTINGS = {
    database: text<ServiceOwner>({ doc: "Database name.", default: ({ outer }) => snakeCase(outer.name), defaultDoc: "the service name in snake_case (`k-indexer` → `k_indexer`)" }),
    role: text<ServiceOwner>({ doc: "Login role name; owns the database and its schemas.", default: ({ outer }) => snakeCase(outer.name), defaultDoc: "the service name in snake_case" }),
    connectionLimit: integer<ServiceOwner>({
        doc: "Connections the role and the database accept; a server's services plus its reservedConnections must fit in maxConnections.",
        default: DEFAULTS.connectionLimit, min: 1, max: 262143, hint: `a whole number of 1 or more (default ${DEFAULTS.connectionLimit})`,
    }),
    poolSize: optionalInteger<ServiceOwner>({ doc: "Server connections of its PgBouncer pool, when its server has a pooler.", min: 1, max: 262143, hint: "the pool's server connections, at most connectionLimit", defaultDoc: "connectionLimit" }),
    extensions: textList<ServiceOwner>({ doc: "Extensions to create in the database (`CASCADE`), e.g. `[pgcrypto, timescaledb]`; removing one keeps it on the server.", default: [] }),
    schemas: textList<ServiceOwner>({ doc: "Schemas owned by the service role, PUBLIC shut out; the first holds the migration history; removing one keeps it on the server.", default: DEFAULTS.schemas }),
    readers: flag<ServiceOwner>({ doc: "Also declare `<role>_reader`: NOLOGIN, CONNECT, USAGE on the schemas, SELECT on their tables, and default privileges `FOR ROLE <role>` so tables created later by migrations are covered.", default: false }),
    rotation: custom<Rotation, number, ServiceOwner>({
        doc: "Rotations so far; raising it by one regenerates the login not in use and hands it out, the previous one stays valid (see [Rotating a password](rotation.md)).", defaultDoc: "`0`", wire: "integer",
        read: (r, k, { raw, outer }) => {
            const rotation = readRotation(raw[k]);
            if (rotation) return rotation;
            r.problems.push({
                subject: outer.subject, field: k, problem: `must be a whole number of rotations (0, 1, 2, …), got ${JSON.stringify(raw[k])}`,
                fix: `set ${outer.path}.${k} to the next number to rotate the password (see docs/rotation.md)`,
            });
            return NO_ROTATION;
        },
    }),
    protect: flag<ServiceOwner>({ doc: "Pulumi `protect` on the role and database: destroy and replace are refused.", default: ({ outer }) => outer.protect, defaultDoc: "`servicedb:protect` (`false`)" }),
    retainOnDelete: flag<ServiceOwner>({ doc: "Leave the role and database on the server when they leave the stack (or on destroy).", default: false }),
    backupBeforeMigrate: custom<string | undefined, string | boolean, ServiceOwner>({
        doc: "`true` (folder `backups/<service>`) or a folder: before `pulumi up` applies pending migrations, a custom-format `pg_dump` of the database with its manifest is written there, undone with `servicedb restore`; nothing when nothing is pending, and a failed backup applies nothing. Needs `pg_dump` where `pulumi up` runs.", defaultDoc: "`false`", wire: "string",
        read: (r, k, { raw, outer }) => {
            const v = raw[k];
            if (v === true || v === "true") return `backups/${outer.name}`;
            if (v === undefined || v === null || v === false || v === "false") return undefined;
            return r.string(k);
        },
    }),
    reads: readsSetting<ServiceOwner>(),
    settings: custom<GuardValues, InputOf<typeof GUARD_SETTINGS>, ServiceOwner>({
        doc: "Guardrails set on both logins (`ALTER ROLE … SET`), each overriding `servicedb:settings` (see [Guardrails](#servicedbsettings--guardrails-every-service-inherits)).",
        defaultDoc: "`servicedb:settings`", wire: { nested: "Guards", settings: GUARD_SETTINGS },
        read: (r, k, { raw, outer }) => {
            const v = raw[k];
            if (v === undefined || v === null) return outer.settings;
            if (!isObject(v)) {
                r.add(k, `must be a map of settings, got ${JSON.stringify(v)}`, `write ${r.pathOf(k)} as a map, e.g. { statementTimeout: 30s }`);
                return outer.settings;
            }
            return readSettings(GUARD_SETTINGS, r.nested(v, `${k}.`), v, outer.settings);
        },
    }),
} satisfies Declaration<ServiceOwner>;
