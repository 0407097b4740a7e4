/**
 * `reads`: each declared read proved live with the reader's own login, in the read service's
 * database — it may SELECT every table and view of the read schemas (a real SELECT of one), will
 * SELECT the tables created later (default privileges of the owner), may write none and create
 * nothing (a real CREATE TABLE, refused), and reaches no schema it does not read.
 */
import { Client } from "pg";
import { withConnection } from "../connect";
import { ConnectionBudget, connectionKeys } from "./budget";
import { TIMEOUT, configOf, serverOf } from "./connections";
import { DeclaredRead, ServiceUnderTest } from "./outputs";
import { CheckResult, result } from "./results";

interface SchemaRow { nspname: string; usage: boolean; can_create: boolean; unreadable: string[]; writable: string[]; later: boolean; first: string | null }

const SCHEMAS = `SELECT n.nspname, has_schema_privilege(current_user, n.oid, 'USAGE') AS usage, has_schema_privilege(current_user, n.oid, 'CREATE') AS can_create,
    ARRAY(SELECT c.relname::text FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT has_table_privilege(current_user, c.oid, 'SELECT') ORDER BY 1) AS unreadable,
    ARRAY(SELECT c.relname::text FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p')
           AND (has_table_privilege(current_user, c.oid, 'INSERT') OR has_table_privilege(current_user, c.oid, 'UPDATE')
             OR has_table_privilege(current_user, c.oid, 'DELETE') OR has_table_privilege(current_user, c.oid, 'TRUNCATE')) ORDER BY 1) AS writable,
    EXISTS (SELECT 1 FROM pg_default_acl da JOIN pg_roles o ON o.oid = da.defaclrole, aclexplode(da.defaclacl) a
             WHERE o.rolname = $2 AND da.defaclnamespace = n.oid AND da.defaclobjtype = 'r' AND a.privilege_type = 'SELECT'
               AND pg_has_role(current_user, a.grantee, 'USAGE')) AS later,
    (SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY c.relname LIMIT 1) AS first
  FROM pg_namespace n WHERE n.nspname = ANY($1)`;

async function prove(c: Client, read: DeclaredRead, target: ServiceUnderTest): Promise<string[]> {
    const wanted = read.schemas ?? target.schemas;
    const others = target.schemas.filter((s) => !wanted.includes(s));
    const rows = (await c.query<SchemaRow>(SCHEMAS, [[...wanted, ...others], target.role ?? ""])).rows;
    const problems: string[] = [];
    for (const r of rows) {
        if (others.includes(r.nspname)) {
            if (r.usage) problems.push(`has USAGE on schema ${r.nspname}, which it does not read`);
            continue;
        }
        if (!r.usage) problems.push(`no USAGE on schema ${r.nspname}`);
        if (r.unreadable.length) problems.push(`cannot SELECT ${r.unreadable.map((t) => `${r.nspname}.${t}`).join(", ")}`);
        if (r.writable.length) problems.push(`may write ${r.writable.map((t) => `${r.nspname}.${t}`).join(", ")}`);
        if (r.can_create) problems.push(`may CREATE in schema ${r.nspname}`);
        if (target.role && !r.later) problems.push(`no SELECT on tables ${target.role} creates later in ${r.nspname}`);
        if (r.first && r.usage && !r.unreadable.length) await c.query(`SELECT * FROM ${r.first} LIMIT 1`).catch((e: Error) => problems.push(`SELECT from ${r.first} failed: ${e.message}`));
    }
    const schema = c.escapeIdentifier(wanted[0] ?? "public");
    const refused = await c.query(`BEGIN; CREATE TABLE ${schema}.servicedb_verify_${process.pid} (id int)`)
        .then(() => false, (e: { code?: string }) => e.code === "42501").finally(() => c.query("ROLLBACK").catch(() => undefined));
    if (!refused) problems.push(`could create a table in ${wanted[0]}`);
    return problems;
}

export async function checkReads(all: readonly ServiceUnderTest[], budget: ConnectionBudget): Promise<CheckResult[]> {
    return Promise.all(all.map(async (s) => {
        const reads = s.reads ?? [];
        if (reads.length === 0) return result(s.service, "reads", "skip", "reads no other service");
        const problems: string[] = [];
        for (const r of reads) {
            const target = all.find((x) => x.service === r.service);
            if (!target) { problems.push(`${r.service}: not among the stack's databases`); continue; }
            // The URL the outputs hand out (databases.<svc>.reads), else its own pointed at that database.
            const config = r.url ? { connectionString: r.url, connectionTimeoutMillis: TIMEOUT } : configOf(s, { database: target.database });
            const found = await budget.use(connectionKeys(serverOf(target), s.username, target.database), () => withConnection(config, (c) => prove(c, r, target)))
                .catch((e: Error) => [`cannot connect to ${target.database}: ${e.message}`]);
            problems.push(...found.map((p) => `${r.service}: ${p}`));
        }
        const what = reads.map((r) => (r.schemas ? `${r.service} (${r.schemas.join(", ")})` : r.service)).join(", ");
        return problems.length ? result(s.service, "reads", "fail", problems.join("; "))
            : result(s.service, "reads", "pass", `reads ${what}: SELECT on every table (one read for real), SELECT on later tables, no write, no CREATE (refused for real)`);
    }));
}

/** Whether `reader` declares a read of `owner` (in `schema`, when given). */
export function declaresRead(reader: ServiceUnderTest, owner: ServiceUnderTest, schema?: string): boolean {
    return (reader.reads ?? []).some((r) => r.service === owner.service && (schema === undefined || r.schemas === undefined || r.schemas.includes(schema)));
}
