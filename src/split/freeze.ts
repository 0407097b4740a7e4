/**
 * The write freeze on the monolith: every role's INSERT, UPDATE, DELETE and TRUNCATE on the moved
 * tables is recorded (in the target's state, before anything changes) and revoked, under a SHARE
 * lock that first waits for the writers already running. `thaw` grants exactly the recorded
 * privileges back. Only privileges change in the source; its rows are never touched.
 */
import { Client } from "pg";
import { qualified } from "./ddl";
import { SplitError } from "./errors";
import { SplitState } from "./state";

export interface WriteGrant {
    readonly role: string;
    readonly privilege: string;
    readonly grantable: boolean;
}

const WRITE = ["INSERT", "UPDATE", "DELETE", "TRUNCATE"];

export async function writeGrants(source: Client, table: string): Promise<WriteGrant[]> {
    const r = await source.query<{ role: string; privilege: string; grantable: boolean }>(
        `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS role, a.privilege_type AS privilege, a.is_grantable AS grantable
         FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
         WHERE c.oid = $1::regclass AND a.privilege_type = ANY($2) ORDER BY 1, 2`, [qualified(table, (s) => source.escapeIdentifier(s)), WRITE]);
    return r.rows;
}

export function grantee(c: Client, role: string): string {
    return role === "PUBLIC" ? "PUBLIC" : c.escapeIdentifier(role);
}

/** Records then revokes; a table frozen by an earlier run keeps its first record. */
export async function freeze(source: Client, tables: readonly { table: string; state: SplitState }[], lockTimeoutMs: number): Promise<void> {
    for (const t of tables) {
        await t.state.mark(`freeze:${t.table}`, "frozen", { detail: { grants: await writeGrants(source, t.table) } }, true);
    }
    const q = (s: string) => source.escapeIdentifier(s);
    await source.query("BEGIN");
    try {
        await source.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
        await source.query(`LOCK TABLE ${tables.map((t) => qualified(t.table, q)).join(", ")} IN SHARE MODE`);
        for (const t of tables) {
            const roles = [...new Set((await writeGrants(source, t.table)).map((g) => g.role))];
            for (const role of roles) await source.query(`REVOKE ${WRITE.join(", ")} ON ${qualified(t.table, q)} FROM ${grantee(source, role)} CASCADE`);
        }
        await source.query("COMMIT");
    } catch (e) {
        await source.query("ROLLBACK").catch(() => undefined);
        throw e;
    }
    for (const t of tables) {
        const left = await writeGrants(source, t.table);
        if (left.length) throw new SplitError(`the freeze of ${t.table} left write privileges: ${left.map((g) => `${g.privilege} for ${g.role}`).join(", ")} (granted by another role); revoke them as that role, then run cutover again`);
    }
}

export async function thaw(source: Client, table: string, grants: readonly WriteGrant[]): Promise<void> {
    const q = (s: string) => source.escapeIdentifier(s);
    for (const g of grants) {
        if (!WRITE.includes(g.privilege)) throw new SplitError(`the recorded privilege "${g.privilege}" on ${table} is not one the freeze revokes; fix the freeze:${table} row of the split state`);
        await source.query(`GRANT ${g.privilege} ON ${qualified(table, q)} TO ${grantee(source, g.role)}${g.grantable ? " WITH GRANT OPTION" : ""}`);
    }
}
