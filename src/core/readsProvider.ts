/**
 * The ServiceReads resource (`servicedb:core: single`; components/serviceReads.ts): one
 * service's reads of the others on its server, granted, read back on refresh and taken back, in
 * one step. A resource of its own (not part of the ServiceCore) so that two services may read
 * each other: each waits for both cores, no core waits for another.
 */
import type { Client } from "pg";
import type { CoreServer } from "./inputs";
import { MISSING } from "./facts";
import { ReadGrant, describeRead, expectedRead, grantDatabase, grantInside, removedReads, revokeDatabase, revokeInside } from "./reads";
import { inTransaction, withAdmin, withServerSlot } from "./session";

export interface ReadsInputs extends CoreServer {
    /** The reading service's owning role (its second login inherits). */
    readonly role: string;
    readonly reads: ReadGrant[];
    /** Facts: each read service's database as it should look (check) or looks (refresh). */
    readonly readStates?: Record<string, string>;
}

/** The inputs with the facts they declare. */
export function checkReads(news: ReadsInputs): { inputs: ReadsInputs } {
    return { inputs: { ...news, readStates: Object.fromEntries(news.reads.map((g) => [g.service, expectedRead(g)])) } };
}

export function diffReads(olds: ReadsInputs, news: ReadsInputs): { changes: boolean; replaces: string[] } {
    const keys = ["host", "port", "role", "reads", "readStates"] as const;
    const changed = keys.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
    return { changes: changed.length > 0, replaces: changed.filter((k) => k === "host" || k === "port" || k === "role") };
}

async function exists(c: Client, database: string): Promise<boolean> {
    return (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rows.length > 0;
}

async function apply(olds: readonly ReadGrant[], i: ReadsInputs): Promise<void> {
    await withServerSlot(i, async () => {
        const gone = removedReads(olds, i.reads);
        const present = await withAdmin(i, i.maintenanceDatabase, async (c) => {
            const found = new Set<string>();
            for (const d of [...gone.map((g) => g.database), ...i.reads.map((g) => g.database)]) if (await exists(c, d)) found.add(d);
            return found;
        });
        for (const g of gone.filter((x) => present.has(x.database))) {
            await withAdmin(i, g.database, (c) => inTransaction(c, revokeInside(i.role, g.owner, g.schemas)));
        }
        await withAdmin(i, i.maintenanceDatabase, (c) => inTransaction(c, [
            ...gone.filter((g) => g.whole && present.has(g.database)).flatMap((g) => revokeDatabase(i.role, g.database)),
            ...i.reads.flatMap((g) => grantDatabase(i.role, g)),
        ]));
        for (const g of i.reads) await withAdmin(i, g.database, (c) => inTransaction(c, grantInside(i.role, g)));
    });
}

function failure(i: ReadsInputs, e: unknown): Error {
    return new Error(`servicedb: reads of role "${i.role}" on ${i.host}:${i.port}: ${e instanceof Error ? e.message : String(e)}`);
}

export async function createReads(i: ReadsInputs): Promise<ReadsInputs> {
    const outs = checkReads(i).inputs;
    await apply([], outs).catch((e: unknown) => { throw failure(i, e); });
    return outs;
}

export async function updateReads(olds: ReadsInputs, news: ReadsInputs): Promise<ReadsInputs> {
    const outs = checkReads(news).inputs;
    await apply(olds.reads, outs).catch((e: unknown) => { throw failure(news, e); });
    return outs;
}

export async function deleteReads(props: ReadsInputs): Promise<void> {
    await apply(props.reads, { ...props, reads: [] }).catch((e: unknown) => { throw failure(props, e); });
}

interface SchemaRow { nspname: string; usage: string[]; without_select: string; by_default: boolean }

async function observe(i: ReadsInputs, g: ReadGrant): Promise<string> {
    const connect = await withAdmin(i, i.maintenanceDatabase, (c) => c.query<{ p: string[] }>(
        `SELECT ARRAY(SELECT a.privilege_type FROM aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                 JOIN pg_roles r ON r.oid = a.grantee WHERE r.rolname = $2) AS p
           FROM pg_database d WHERE d.datname = $1`, [g.database, i.role]));
    if (connect.rows.length === 0) return `${MISSING} (no database)`;
    const schemas = await withAdmin(i, g.database, (c) => c.query<SchemaRow>(
        `SELECT n.nspname,
                ARRAY(SELECT a.privilege_type FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a WHERE a.grantee = r.oid) AS usage,
                (SELECT count(*) FROM pg_class t WHERE t.relnamespace = n.oid AND t.relkind IN ('r', 'p', 'v', 'm', 'f')
                    AND NOT has_table_privilege(r.oid, t.oid, 'SELECT')) AS without_select,
                EXISTS (SELECT 1 FROM pg_default_acl da, aclexplode(da.defaclacl) a
                         WHERE da.defaclrole = w.oid AND da.defaclnamespace = n.oid AND da.defaclobjtype = 'r'
                           AND a.grantee = r.oid AND a.privilege_type = 'SELECT') AS by_default
           FROM pg_namespace n JOIN pg_roles r ON r.rolname = $2 LEFT JOIN pg_roles w ON w.rolname = $3
          WHERE n.nspname = ANY($1)`, [g.schemas, i.role, g.owner]));
    const rows = new Map(schemas.rows.map((r) => [r.nspname, r]));
    return describeRead({
        connect: connect.rows[0].p,
        schemas: g.schemas.map((name) => {
            const r = rows.get(name);
            return { name, usage: r?.usage ?? [MISSING], tablesWithoutSelect: Number(r?.without_select ?? 0), selectByDefault: r?.by_default ?? false };
        }),
    });
}

/** `pulumi refresh`: each read as the server shows it now, as outputs and inputs (drift is a changed `readStates`). */
export async function readReads(id: string, props: ReadsInputs): Promise<{ id: string; props: ReadsInputs; inputs: ReadsInputs }> {
    const states: Record<string, string> = {};
    try {
        await withServerSlot(props, async () => { for (const g of props.reads) states[g.service] = await observe(props, g); });
    } catch (e) {
        throw failure(props, e);
    }
    const outs = { ...props, readStates: states };
    return { id, props: outs, inputs: outs };
}
