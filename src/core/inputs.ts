/**
 * What the ServiceCore resource (components/serviceCore.ts) is given and keeps: one
 * service's logins, database, schemas, extensions and reader on one server, done in one provider
 * step (src/core/provider.ts). Pure: the types, the diff and the generated passwords.
 */
import { randomInt } from "crypto";
import type { CoreFacts } from "./facts";

/** How the provider reaches the server as its admin. */
export interface CoreServer {
    readonly host: string;
    readonly port: number;
    readonly adminUser: string;
    /** Secret. Absent: PGPASSWORD of the process that runs `pulumi`. */
    readonly adminPassword?: string;
    readonly sslmode: string;
    readonly sslrootcert?: string;
    readonly maintenanceDatabase: string;
    /** false on managed servers: the admin is made a member of the service's role. */
    readonly superuser: boolean;
    /** ServiceCore operations on this server at once, each on one connection (the provider's semaphore). */
    readonly parallelism: number;
    /** The server's admin reserve: on managed servers the database allows it on top of the service's limit. */
    readonly reservedConnections: number;
}

export interface CoreInputs extends CoreServer {
    /** Who may adopt objects left by an interrupted create: `<project>/<stack>` (stored as a COMMENT). */
    readonly owner: string;
    /** The owning role, also the first login (slot a); the second login is `<role>_b`. */
    readonly role: string;
    readonly database: string;
    readonly connectionLimit: number;
    /** Owned by the role, PUBLIC's privileges revoked. Removing one keeps it on the server. */
    readonly schemas: string[];
    /** Created with CASCADE. Removing one keeps it on the server. */
    readonly extensions: string[];
    /** Declare `<role>_reader` (NOLOGIN, SELECT on the schemas' tables, now and later). */
    readonly readers: boolean;
    /** Guardrails of both logins as stored (`{ statement_timeout: "60000" }`, src/guards.ts); the managed ones not listed are reset. */
    readonly parameters: Record<string, string>;
    /** Keepers: a changed value regenerates that slot's password (src/rotation.ts). */
    readonly rotationA: string;
    readonly rotationB: string;
    /** Length of the generated passwords (letters and digits). */
    readonly passwordLength: number;
}

/** The inputs, the facts they declare (src/core/facts.ts) or a refresh read, and the passwords. */
export interface CoreOutputs extends CoreInputs, CoreFacts {
    /** Secrets: the two logins' passwords. The server only ever sees their SCRAM verifiers. */
    readonly passwordA: string;
    readonly passwordB: string;
}

/** Inputs that name another server: a change creates the service there and drops it here. */
export const REPLACE_KEYS = ["host", "port"] as const;

export interface CoreDiff {
    readonly changes: boolean;
    readonly replaces: string[];
    readonly deleteBeforeReplace: boolean;
    readonly stables?: string[];
}

function same(a: unknown, b: unknown): boolean {
    return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Keys of the inputs whose values differ: what a preview shows. */
export function changedKeys(olds: Partial<CoreInputs>, news: CoreInputs): string[] {
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
    // Outputs: the provider generates them.
    for (const k of ["passwordA", "passwordB"]) keys.delete(k);
    const o: Readonly<Record<string, unknown>> = olds;
    const n: Readonly<Record<string, unknown>> = { ...news };
    return [...keys].filter((k) => !same(o[k], n[k])).sort();
}

/**
 * Unchanged inputs: no change (a no-change preview stays empty). Another host or port: a replace
 * (the new server gets the service, then the old one loses it). Anything else is updated in place:
 * renames, limits, rotations, added schemas, extensions and the reader.
 */
export function diffCore(olds: Partial<CoreInputs>, news: CoreInputs): CoreDiff {
    const changed = changedKeys(olds, news);
    const replaces = changed.filter((k) => (REPLACE_KEYS as readonly string[]).includes(k));
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
}

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();
const DIGITS = "0123456789";
const ALPHABET = LOWER + UPPER + DIGITS;

/** A password of letters and digits (URL-safe) with at least two of each kind, from the OS's CSPRNG. */
export function generatePassword(length: number): string {
    if (!Number.isInteger(length) || length < 6) throw new Error(`password length ${length} is below 6`);
    for (;;) {
        let pw = "";
        for (let i = 0; i < length; i++) pw += ALPHABET[randomInt(ALPHABET.length)];
        const count = (set: string) => [...pw].filter((c) => set.includes(c)).length;
        if (count(LOWER) >= 2 && count(UPPER) >= 2 && count(DIGITS) >= 2) return pw;
    }
}

/** The COMMENT a ServiceCore writes on the roles and the database it creates. */
export function ownerMark(owner: string): string {
    return `servicedb ServiceCore of ${owner}`;
}
