/**
 * The isolation checks, run with each service's own credentials against the live server.
 * Every check returns pass / fail / skip with a reason that names what it saw.
 */
import { ClientConfig } from "pg";
import { withConnection } from "../connect";
import { ServiceUnderTest } from "./outputs";

export type Outcome = "pass" | "fail" | "skip";

export interface CheckResult {
    readonly service: string;
    readonly check: CheckName;
    readonly outcome: Outcome;
    readonly reason: string;
}

export const CHECKS = ["login", "role", "public-access", "no-other-db", "no-cross-read", "password"] as const;
export type CheckName = (typeof CHECKS)[number];

export interface VerifyOptions {
    /** Admin URL for the SCRAM check (reads pg_authid). Optional. */
    readonly adminUrl?: string;
    /** Connection attempts in flight at once. Defaults to 8. */
    readonly concurrency?: number;
    /** Maintenance database probed as an extra path. Defaults to "postgres". */
    readonly maintenanceDatabase?: string;
}

const TIMEOUT = 10_000;

/**
 * The service's own URL, optionally pointed at another server or database. (pg lets the values
 * in a connection string win over separate fields, so the URL itself is rewritten.)
 */
function configOf(s: ServiceUnderTest, target: { database?: string; host?: string; port?: number } = {}): ClientConfig {
    const u = new URL(s.url);
    if (target.database) u.pathname = `/${encodeURIComponent(target.database)}`;
    if (target.host) u.hostname = target.host;
    if (target.port) u.port = String(target.port);
    return { connectionString: u.toString(), connectionTimeoutMillis: TIMEOUT };
}

async function canConnect(config: ClientConfig): Promise<{ ok: boolean; error?: string }> {
    try {
        await withConnection(config, async () => undefined);
        return { ok: true };
    } catch (e) {
        return { ok: false, error: (e as Error).message };
    }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => { while (next < items.length) { const i = next++; out[i] = await fn(items[i]); } };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return out;
}

const result = (service: string, check: CheckName, outcome: Outcome, reason: string): CheckResult => ({ service, check, outcome, reason });

async function checkOwn(s: ServiceUnderTest): Promise<CheckResult[]> {
    try {
        return await withConnection(configOf(s), async (c) => {
            const out: CheckResult[] = [];
            const schema = s.schemas[0] ?? "public";
            const probe = `${c.escapeIdentifier(schema)}.${c.escapeIdentifier(`servicedb_verify_${process.pid}`)}`;
            await c.query(`CREATE TABLE ${probe} (id int)`);
            await c.query(`DROP TABLE ${probe}`);
            out.push(result(s.service, "login", "pass", `logged in to ${s.database} as ${s.username}; created and dropped a table in ${schema}`));

            const r = (await c.query("SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolconnlimit FROM pg_roles WHERE rolname = current_user")).rows[0];
            const bad = ["rolsuper", "rolcreatedb", "rolcreaterole", "rolreplication", "rolbypassrls"].filter((k) => r[k] === true);
            const limitOk = s.connectionLimit === undefined ? r.rolconnlimit > 0 : r.rolconnlimit === s.connectionLimit;
            out.push(bad.length || !limitOk
                ? result(s.service, "role", "fail", [bad.length ? `role ${s.username} has ${bad.join(", ")}` : "", limitOk ? "" : `connection limit is ${r.rolconnlimit}, expected ${s.connectionLimit ?? "a positive limit"}`].filter(Boolean).join("; "))
                : result(s.service, "role", "pass", `no elevated attribute; connection limit ${r.rolconnlimit}`));

            const found: string[] = [];
            const db = (await c.query("SELECT has_database_privilege('public', current_database(), 'CONNECT') AS conn, has_database_privilege('public', current_database(), 'TEMP') AS temp")).rows[0];
            if (db.conn) found.push(`PUBLIC has CONNECT on database ${s.database}`);
            if (db.temp) found.push(`PUBLIC has TEMP on database ${s.database}`);
            for (const sch of s.schemas) {
                const x = (await c.query("SELECT has_schema_privilege('public', $1, 'CREATE') AS cr", [sch])).rows[0];
                if (x.cr) found.push(`PUBLIC has CREATE on schema ${sch}`);
            }
            const tables = await c.query(`SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                AND has_table_privilege('public', c.oid, 'SELECT') ORDER BY 1`);
            for (const t of tables.rows) found.push(`PUBLIC can SELECT ${t.t}`);
            out.push(found.length ? result(s.service, "public-access", "fail", found.join("; "))
                : result(s.service, "public-access", "pass", `PUBLIC has no CONNECT/TEMP on ${s.database}, no CREATE on ${s.schemas.join(", ")}, no table`));
            return out;
        });
    } catch (e) {
        const why = `cannot log in to its own database ${s.database}: ${(e as Error).message}`;
        return [result(s.service, "login", "fail", why), result(s.service, "role", "skip", "needs a login"), result(s.service, "public-access", "skip", "needs a login")];
    }
}

const sameServer = (a: ServiceUnderTest, b: ServiceUnderTest) => a.host === b.host && a.port === b.port;

/** Every service tries every other service's database with its own credentials. */
async function checkOtherDatabases(all: readonly ServiceUnderTest[], limit: number): Promise<CheckResult[]> {
    const pairs = all.flatMap((a) => all.filter((b) => b !== a).map((b) => [a, b] as const));
    const attempts = await mapBounded(pairs, limit, async ([a, b]) => ({ a, b, ...(await canConnect(configOf(a, { host: b.host, port: b.port, database: b.database }))) }));
    return all.map((a) => {
        const mine = attempts.filter((x) => x.a === a);
        const leaks = mine.filter((x) => x.ok).map((x) => `connected to database ${x.b.database} of service ${x.b.service}`);
        return leaks.length ? result(a.service, "no-other-db", "fail", leaks.join("; "))
            : result(a.service, "no-other-db", "pass", `refused by all ${mine.length} other databases`);
    });
}

/** Whether any other service's role can read this service's tables, seen from the owner's side. */
async function checkCrossRead(all: readonly ServiceUnderTest[], limit: number, maintenanceDb: string): Promise<CheckResult[]> {
    const exposures = new Map<string, string[]>(all.map((s) => [s.service, []]));
    await mapBounded(all, limit, async (owner) => {
        const readers = all.filter((r) => r !== owner && sameServer(r, owner));
        if (!readers.length) return;
        await withConnection(configOf(owner), async (c) => {
            for (const r of readers) {
                const member = (await c.query("SELECT pg_has_role($1, $2, 'MEMBER') AS m", [r.username, owner.username]).catch(() => ({ rows: [{ m: false }] }))).rows[0];
                if (member.m) exposures.get(r.service)?.push(`is a member of role ${owner.username} (service ${owner.service})`);
                const t = await c.query(`SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                    AND has_table_privilege($1, c.oid, 'SELECT') ORDER BY 1`, [r.username]).catch(() => ({ rows: [] as { t: string }[] }));
                for (const row of t.rows) exposures.get(r.service)?.push(`can SELECT ${owner.database}.${row.t} of service ${owner.service}`);
            }
        }).catch(() => undefined);
    });
    return mapBounded(all, limit, async (s) => {
        const found = exposures.get(s.service) ?? [];
        const maint = await canConnect(configOf(s, { database: maintenanceDb }));
        let note = maint.ok ? `; can connect to maintenance database ${maintenanceDb} (PUBLIC default)` : "";
        if (maint.ok) {
            const ext = await withConnection(configOf(s, { database: maintenanceDb }), (c) => c.query("SELECT extname FROM pg_extension WHERE extname IN ('dblink', 'postgres_fdw') ORDER BY 1")).catch(() => ({ rows: [] }));
            for (const e of ext.rows) found.push(`can connect to maintenance database ${maintenanceDb}, where ${e.extname} can reach other databases`);
            if (!ext.rows.length) note += ", which holds no way into other databases (no dblink/postgres_fdw)";
        }
        return found.length ? result(s.service, "no-cross-read", "fail", found.join("; "))
            : result(s.service, "no-cross-read", "pass", `cannot read any other service's table${note}`);
    });
}

async function checkPasswords(all: readonly ServiceUnderTest[], adminUrl: string | undefined): Promise<CheckResult[]> {
    if (!adminUrl) return all.map((s) => result(s.service, "password", "skip", "needs --admin-url to read pg_authid"));
    const rows = await withConnection({ connectionString: adminUrl, connectionTimeoutMillis: TIMEOUT }, (c) =>
        c.query("SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1)", [all.map((s) => s.username)]));
    const byRole = new Map(rows.rows.map((r) => [r.rolname as string, r.rolpassword as string | null]));
    return all.map((s) => {
        const pw = byRole.get(s.username);
        if (pw?.startsWith("SCRAM-SHA-256$")) return result(s.service, "password", "pass", "stored as SCRAM-SHA-256");
        return result(s.service, "password", "fail", pw ? `stored as ${pw.startsWith("md5") ? "md5" : "plain text"}, not SCRAM-SHA-256` : "role has no password");
    });
}

const NETWORK = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * The first server (host:port) that cannot be reached at all, as the error that says so; a
 * refused login is not this (that is a check result).
 */
export async function unreachableServer(all: readonly ServiceUnderTest[]): Promise<unknown> {
    const servers = [...new Map(all.map((s) => [`${s.host}:${s.port}`, s])).values()];
    for (const s of servers) {
        try {
            await withConnection(configOf(s), async () => undefined);
        } catch (e) {
            const code = (e as { code?: string }).code;
            if ((code && NETWORK.has(code)) || /timeout/i.test((e as Error).message)) return e;
        }
    }
    return undefined;
}

/** All checks for all services, in CHECKS order per service. */
export async function verifyServices(all: readonly ServiceUnderTest[], opts: VerifyOptions = {}): Promise<CheckResult[]> {
    const limit = opts.concurrency ?? 8;
    const [own, others, cross, pw] = await Promise.all([
        mapBounded(all, limit, checkOwn).then((r) => r.flat()),
        checkOtherDatabases(all, limit),
        checkCrossRead(all, limit, opts.maintenanceDatabase ?? "postgres"),
        checkPasswords(all, opts.adminUrl),
    ]);
    const results = [...own, ...others, ...cross, ...pw];
    return all.flatMap((s) => CHECKS.map((c) => results.find((r) => r.service === s.service && r.check === c) as CheckResult));
}
