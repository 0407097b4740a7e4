/**
 * What servicedb's provider does for a ServiceCore (src/plugin/handlers.ts; the resource:
 * components/serviceCore.ts). Create, update and delete each hold one admin connection at
 * a time and one slot of the server's semaphore (src/core/session.ts).
 *
 * Ownership is marked on the server: every role and database a ServiceCore creates carries the
 * COMMENT `servicedb ServiceCore of <project>/<stack>`. A create that finds an object of that name
 * takes it over only when it carries this stack's mark (what an interrupted create left behind);
 * anything else (another stack's, a hand-made one, one made by the resource chain of
 * `servicedb:core: resources`) is refused before any statement changes the server. A create that
 * fails drops what it created, and nothing that was there before.
 */
import type { Client } from "pg";
import { managedParameters, parameterStatements } from "../guards";
import { scramVerifier } from "../pooler/scram";
import { readerRole } from "../names";
import { secondLogin } from "../rotation";
import { withExpectedFacts } from "./facts";
import { CoreInputs, CoreOutputs, CoreServer, generatePassword, ownerMark } from "./inputs";
import { observeFacts } from "./observe";
import { inTransaction, withAdmin, withServerSlot } from "./session";
import * as sql from "./sql";

export { diffCore } from "./inputs";

/** The provider's `check`: the inputs with the facts they declare, which a refresh compares with the server's. */
export function checkCore(news: CoreInputs): { inputs: CoreInputs } {
    return { inputs: withExpectedFacts(news) };
}

/**
 * The provider's `read` (`pulumi refresh`, `--refresh`): the state's outputs with the facts the
 * server shows now, as outputs and as inputs, so that a drifted object is a changed key of the
 * next diff and `up` converges it. A server that cannot be reached fails the refresh.
 */
export async function readCore(id: string, props: CoreOutputs): Promise<{ id: string; props: CoreOutputs; inputs: CoreInputs }> {
    let facts;
    try {
        facts = await withServerSlot(props, () => observeFacts(props));
    } catch (err) {
        throw failure(props, err);
    }
    const outs: CoreOutputs = { ...props, ...facts };
    const inputs = Object.fromEntries(Object.entries(outs).filter(([k]) => k !== "passwordA" && k !== "passwordB")) as unknown as CoreInputs;
    return { id, props: outs, inputs };
}

interface Existing {
    /** Role name → its mark (COMMENT), null when it has none. */
    readonly roles: ReadonlyMap<string, string | null>;
    /** The database's mark, undefined when there is no such database. */
    readonly database: string | null | undefined;
    /** The database's owner, when it exists. */
    readonly databaseOwner?: string;
}

/** What the ownership rule reads: the server, the names and whose mark counts as this stack's. */
export type CoreNames = CoreServer & Pick<CoreInputs, "owner" | "role" | "database">;

async function existing(c: Client, i: CoreNames): Promise<Existing> {
    const names = [i.role, secondLogin(i.role), readerRole(i.role)];
    const roles = await c.query<{ rolname: string; mark: string | null }>(
        "SELECT rolname, shobj_description(oid, 'pg_authid') AS mark FROM pg_roles WHERE rolname = ANY($1)", [names]);
    const db = await c.query<{ mark: string | null; owner: string }>(
        "SELECT shobj_description(oid, 'pg_database') AS mark, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [i.database]);
    return {
        roles: new Map(roles.rows.map((r) => [r.rolname, r.mark])),
        database: db.rows.length > 0 ? db.rows[0].mark : undefined,
        databaseOwner: db.rows[0]?.owner,
    };
}

/**
 * A database a cut left between `CREATE DATABASE` (which commits on its own) and the COMMENT
 * that marks it: unmarked, owned by the service's role that this stack marked (so made by this
 * stack's create, which makes the role first), and empty. Anything else unmarked is foreign.
 */
async function halfMade(i: CoreNames, e: Existing): Promise<boolean> {
    if (e.database !== null || e.databaseOwner !== i.role || e.roles.get(i.role) !== ownerMark(i.owner)) return false;
    const objects = await withAdmin(i, i.database, (c) => c.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'`));
    return Number(objects.rows[0].n) === 0;
}

/**
 * What a create of `i` would find on the server (`npm run repair` asks, for a create the engine
 * recorded as failed): the objects of its names, and those it would refuse as not this stack's.
 */
export async function inspectCore(i: CoreNames): Promise<{ found: string[]; foreign: string[] }> {
    return withAdmin(i, i.maintenanceDatabase, async (c) => {
        const e = await existing(c, i);
        const found = [...e.roles.keys()].map((r) => `role "${r}"`);
        if (e.database !== undefined) found.push(`database "${i.database}"`);
        return { found, foreign: await foreign(i, e) };
    });
}

function where(i: CoreInputs): string {
    return `servicedb: service database "${i.database}" (role "${i.role}") on ${i.host}:${i.port}`;
}

/** Objects of these names that this stack did not create: the create must not touch them. */
async function foreign(i: CoreNames, e: Existing): Promise<string[]> {
    const mark = ownerMark(i.owner);
    const out = [...e.roles].filter(([, m]) => m !== mark).map(([name]) => `role "${name}"`);
    if (e.database !== undefined && e.database !== mark && !(await halfMade(i, e))) out.push(`database "${i.database}"`);
    return out;
}

function verifiers(i: CoreInputs, o: Pick<CoreOutputs, "passwordA" | "passwordB">) {
    return { a: scramVerifier(i.role, o.passwordA), b: scramVerifier(secondLogin(i.role), o.passwordB) };
}

/** Logins, reader and the admin's membership: one transaction on the maintenance database. */
function roleStatements(i: CoreInputs, e: Existing, v: { a: string; b: string }): string[] {
    const mark = ownerMark(i.owner);
    const login = (name: string, verifier: string) => e.roles.has(name)
        ? sql.alterLogin(name, verifier, i.connectionLimit, mark, i.superuser) : sql.createLogin(name, verifier, i.connectionLimit, mark);
    return [
        ...login(i.role, v.a),
        ...login(secondLogin(i.role), v.b),
        ...sql.secondLoginSetup(i.role),
        ...[i.role, secondLogin(i.role)].flatMap((l) => parameterStatements(l, i.parameters ?? {}, managedParameters(i.superuser))),
        ...(i.readers ? sql.reader(i.role, mark, e.roles.has(readerRole(i.role)), i.superuser) : []),
        ...(i.superuser ? [] : sql.adminMembership(i.role, i.adminUser)),
    ];
}

/** The database (created when missing) and its settings, then what lives inside it. */
async function applyDatabase(i: CoreInputs, c: Client, e: Existing): Promise<boolean> {
    let created = false;
    if (e.database === undefined) {
        await c.query(sql.createDatabase(i));
        created = true;
    }
    await inTransaction(c, sql.databaseSettings(i, ownerMark(i.owner)));
    return created;
}

async function inside(i: CoreInputs, extra: readonly string[] = []): Promise<void> {
    await withAdmin(i, i.database, (c) => inTransaction(c, [...extra, ...sql.insideDatabase(i)]));
}

function failure(i: CoreInputs, e: unknown): Error {
    return new Error(`${where(i)}: ${e instanceof Error ? e.message : String(e)}`);
}

/** Creates (or takes over, see above) the service's logins, database, schemas, extensions and reader. */
export async function createCore(i: CoreInputs): Promise<CoreOutputs> {
    const out: CoreOutputs = { ...withExpectedFacts(i), passwordA: generatePassword(i.passwordLength), passwordB: generatePassword(i.passwordLength) };
    await withServerSlot(i, async () => {
        const made = await withAdmin(i, i.maintenanceDatabase, async (c) => {
            const e = await existing(c, i);
            const others = await foreign(i, e);
            if (others.length > 0) {
                const list = others.length > 1 ? `${others.slice(0, -1).join(", ")} and ${others[others.length - 1]}` : others[0];
                throw new Error(`${where(i)}: ${list} already exist${others.length > 1 ? "" : "s"} and ${others.length > 1 ? "were" : "was"} not created by this stack's ServiceCore (servicedb:core single); nothing was changed. Fix: choose another name for the service's role and database, drop them if they are left over, or keep this stack on servicedb:core resources if the resource chain made them.`);
            }
            const newRoles = [i.role, secondLogin(i.role), ...(i.readers ? [readerRole(i.role)] : [])].filter((r) => !e.roles.has(r));
            try {
                await inTransaction(c, roleStatements(i, e, verifiers(i, out)));
            } catch (err) {
                throw failure(i, err);
            }
            try {
                return { roles: newRoles, database: await applyDatabase(i, c, e) };
            } catch (err) {
                await undo(c, i, { roles: newRoles, database: false });
                throw failure(i, err);
            }
        });
        try {
            await inside(i);
        } catch (err) {
            // Best effort: after a cut the server may be gone; the next create takes over what stays.
            await withAdmin(i, i.maintenanceDatabase, (c) => undo(c, i, made)).catch(() => undefined);
            throw failure(i, err);
        }
    });
    return out;
}

/**
 * The renames an update still has to do: those whose old name exists and new name does not (a
 * cut after the renames' transaction committed leaves them done; the retried update skips them).
 */
async function pendingRenames(c: Client, olds: CoreInputs, news: CoreInputs): Promise<string[]> {
    const renames = sql.renames(olds, news);
    if (renames.length === 0) return [];
    const names = renames.flatMap((r) => [r.from, r.to]);
    const found = await c.query<{ kind: string; name: string }>(
        `SELECT 'ROLE' AS kind, rolname AS name FROM pg_roles WHERE rolname = ANY($1)
         UNION ALL SELECT 'DATABASE', datname FROM pg_database WHERE datname = ANY($1)`, [names]);
    const has = (kind: string, name: string) => found.rows.some((r) => r.kind === kind && r.name === name);
    return renames.filter((r) => has(r.kind, r.from) && !has(r.kind, r.to)).map(sql.renameStatement);
}

/** Drops what a failed create made (never what existed before it). */
async function undo(c: Client, i: CoreInputs, made: { roles: readonly string[]; database: boolean }): Promise<void> {
    if (made.database) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(i.database)}`).catch(() => undefined);
    for (const r of [...made.roles].reverse()) await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(r)}`).catch(() => undefined);
}

/**
 * In place: renames, the limit, attributes, the passwords of rotated slots (a changed keeper or
 * length), added schemas and extensions, the reader added or dropped. Idempotent, like create.
 */
export async function updateCore(olds: CoreOutputs, news: CoreInputs): Promise<CoreOutputs> {
    const regenerate = (slot: "A" | "B") => olds[`rotation${slot}`] !== news[`rotation${slot}`] || olds.passwordLength !== news.passwordLength;
    const out: CoreOutputs = {
        ...withExpectedFacts(news),
        passwordA: regenerate("A") ? generatePassword(news.passwordLength) : olds.passwordA,
        passwordB: regenerate("B") ? generatePassword(news.passwordLength) : olds.passwordB,
    };
    const dropReader = olds.readers && !news.readers;
    try {
        await withServerSlot(news, async () => {
            await withAdmin(news, news.maintenanceDatabase, async (c) => {
                await inTransaction(c, await pendingRenames(c, olds, news));
                const e = await existing(c, news);
                await inTransaction(c, roleStatements(news, e, verifiers(news, out)));
                await applyDatabase(news, c, e);
            });
            await inside(news, dropReader ? sql.dropReaderInside(news.role) : []);
            if (dropReader) {
                await withAdmin(news, news.maintenanceDatabase, (c) => c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(readerRole(news.role))}`));
            }
        });
    } catch (err) {
        throw failure(news, err);
    }
    return out;
}

/** Drops the database (its sessions ended first), then the reader, the second login and the role. */
export async function deleteCore(props: CoreOutputs): Promise<void> {
    try {
        await withServerSlot(props, () => withAdmin(props, props.maintenanceDatabase, async (c) => {
            const db = c.escapeIdentifier(props.database);
            const version = Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v);
            if (version >= 130000) {
                await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
            } else {
                await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [props.database]);
                await c.query(`DROP DATABASE IF EXISTS ${db}`);
            }
            for (const s of sql.dropRoles(props.role)) await c.query(s);
        }));
    } catch (err) {
        throw failure(props, err);
    }
}

export { checkReads, createReads, deleteReads, diffReads, readReads, updateReads } from "./readsProvider";
export { checkLoginSettings, createLoginSettings, deleteLoginSettings, diffLoginSettings, readLoginSettings, updateLoginSettings } from "./loginSettings";
