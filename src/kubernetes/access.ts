/**
 * What CloudNativePG does not declare, as the files of a service's access Job (pure): a shell
 * entry point run with the cluster's own image (psql, pg_isready), SQL run as the service's
 * owning role (PUBLIC shut out of its database and schemas, its reader's and its readers'
 * grants, its guardrails), SQL run as its second login (its role switch and guardrails), and its
 * migrations, each applied once under the runner's advisory lock and recorded in the same
 * history table `servicedb migrate` writes. No admin login is used: an owner may do all of it.
 * docs/kubernetes.md has the design and its limits.
 */
import { escapeIdentifier as id, escapeLiteral as lit } from "pg";
import { managedParameters, parameterStatements, roleParameters } from "../guards";
import { HISTORY_TABLE } from "../migrations/history";
import { lockKeys } from "../migrations/lock";
import type { MigrationFile } from "../migrations/files";
import { readerRole } from "../names";
import { secondLogin } from "../rotation";
import type { ServiceSpec } from "../spec";
import { grantDatabase, grantInside, type ReadGrant } from "../core/reads";

/** Where the ConfigMap is mounted in the Job's container. */
export const ACCESS_DIR = "/servicedb";

/** A service that reads this one: its owning role and the schemas it reads (undefined: all). */
export interface Reader {
    readonly role: string;
    readonly schemas?: readonly string[];
}

/** Where the Job connects, and where its files are (a test runs them outside Kubernetes). */
export interface AccessTarget {
    readonly host: string;
    readonly port: number;
    /** Defaults to "require" (CloudNativePG serves TLS with its own CA). */
    readonly sslmode?: string;
    /** Defaults to ACCESS_DIR. */
    readonly dir?: string;
}

export interface AccessFiles {
    /** ConfigMap data: file name → contents. */
    readonly files: Readonly<Record<string, string>>;
    /** The container's command. */
    readonly command: readonly string[];
}

/** Statements the owning role runs in its own database. */
export function ownerSql(s: ServiceSpec, readers: readonly Reader[]): string[] {
    const db = id(s.database);
    const out = [`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`];
    if (s.readers) out.push(`REVOKE ALL ON DATABASE ${db} FROM ${id(readerRole(s.role))}`, `GRANT CONNECT ON DATABASE ${db} TO ${id(readerRole(s.role))}`);
    for (const schema of s.schemas.map(id)) {
        out.push(`REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`);
        if (s.readers) {
            const reader = id(readerRole(s.role));
            out.push(`REVOKE ALL ON SCHEMA ${schema} FROM ${reader}`, `GRANT USAGE ON SCHEMA ${schema} TO ${reader}`, `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${reader}`,
                `ALTER DEFAULT PRIVILEGES FOR ROLE ${id(s.role)} IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${reader}`);
        }
    }
    for (const r of readers) {
        const grant: ReadGrant = { service: s.name, database: s.database, owner: s.role, schemas: r.schemas ?? s.schemas };
        out.push(...grantDatabase(r.role, grant), ...grantInside(r.role, grant));
    }
    // Its own guardrails: an ordinary role may set its own session defaults (not temp_file_limit, refused at preview).
    out.push(...parameterStatements(s.role, roleParameters(s.settings), managedParameters(false)));
    return out;
}

/** Statements the second login runs: back to itself first (`SET ROLE NONE`: it becomes the owner at login, and RESET would return to that), then its switch and guardrails. */
export function secondLoginSql(s: ServiceSpec): string[] {
    const b = secondLogin(s.role);
    return ["SET ROLE NONE", `ALTER ROLE ${id(b)} SET role = ${lit(s.role)}`, ...parameterStatements(b, roleParameters(s.settings), managedParameters(false))];
}

const history = (schema: string) => `${id(schema)}.${id(HISTORY_TABLE)}`;

/** One migration as a psql script: under the runner's lock, applied only when the history says it is pending. */
export function migrationScript(f: MigrationFile, file: string, schema: string, dir = ACCESS_DIR): string {
    const [k1, k2] = lockKeys(schema);
    const h = history(schema);
    const pending = f.version !== undefined
        ? `SELECT NOT EXISTS (SELECT 1 FROM ${h} WHERE version = ${lit(f.version)} AND success) AS pending \\gset`
        : `SELECT coalesce((SELECT checksum FROM ${h} WHERE script = ${lit(f.script)} AND success ORDER BY installed_rank DESC LIMIT 1), '') <> ${lit(f.checksum)} AS pending \\gset`;
    const row = (success: boolean) => `INSERT INTO ${h} (version, description, type, script, checksum, execution_time_ms, success) VALUES (` +
        `${f.version === undefined ? "NULL" : lit(f.version)}, ${lit(f.description)}, ${lit(f.version === undefined ? "SQL_REPEATABLE" : "SQL")}, ${lit(f.script)}, ${lit(f.checksum)}, 0, ${success})`;
    const lines = ["\\set ON_ERROR_STOP on"];
    if (f.transactional) {
        lines.push("BEGIN;", `SELECT pg_catalog.pg_advisory_xact_lock(${k1}, ${k2});`, pending, "\\if :pending", `\\i ${dir}/${file}`, `${row(true)};`, "\\endif", "COMMIT;");
    } else {
        // Outside a transaction, as the runner does: a row with success = false first, so a cut is never re-run silently.
        lines.push(`SELECT pg_catalog.pg_advisory_lock(${k1}, ${k2});`, pending, "\\if :pending", `${row(false)} RETURNING installed_rank AS rank \\gset`,
            `\\i ${dir}/${file}`, `UPDATE ${h} SET success = true WHERE installed_rank = :rank;`, "\\endif", `SELECT pg_catalog.pg_advisory_unlock(${k1}, ${k2});`);
    }
    return `${lines.join("\n")}\n`;
}

/** The history table, as `servicedb migrate` creates it (src/migrations/history.ts). */
export function historyTableSql(schema: string): string {
    return `CREATE SCHEMA IF NOT EXISTS ${id(schema)};\nCREATE TABLE IF NOT EXISTS ${history(schema)} (
    installed_rank serial PRIMARY KEY, version text, description text NOT NULL,
    type text NOT NULL CHECK (type IN ('SQL', 'SQL_REPEATABLE', 'BASELINE')), script text NOT NULL, checksum text,
    installed_by text NOT NULL DEFAULT current_user, installed_on timestamptz NOT NULL DEFAULT now(),
    execution_time_ms integer NOT NULL DEFAULT 0, success boolean NOT NULL);\n`;
}

const sqlFile = (statements: readonly string[]) => `\\set ON_ERROR_STOP on\n${statements.map((x) => `${x};`).join("\n")}\n`;
const sh = (v: string) => `'${v.replace(/'/g, "'\\''")}'`;

/**
 * The Job's files: `run.sh` waits for the primary, runs `owner.sql` as the owning role and
 * `second-login.sql` as `<role>_b`, then each migration in order as the owning role. The
 * passwords come from the environment (the role Secrets), never from a file.
 */
export function accessFiles(s: ServiceSpec, readers: readonly Reader[], where: AccessTarget): AccessFiles {
    const { host, port, sslmode = "require", dir = ACCESS_DIR } = where;
    const schema = s.schemas[0] ?? "public";
    const files: Record<string, string> = {
        "owner.sql": sqlFile(ownerSql(s, readers)),
        "second-login.sql": sqlFile(secondLoginSql(s)),
    };
    const run = [
        "set -eu",
        `export PGHOST=${sh(host)} PGPORT=${port} PGDATABASE=${sh(s.database)} PGSSLMODE=${sh(sslmode)} PGCONNECT_TIMEOUT=10`,
        "until pg_isready -q; do sleep 2; done",
        `PGUSER=${sh(s.role)} PGPASSWORD="$OWNER_PASSWORD" psql -X -q -f ${dir}/owner.sql`,
        `PGUSER=${sh(secondLogin(s.role))} PGPASSWORD="$SECOND_PASSWORD" psql -X -q -f ${dir}/second-login.sql`,
    ];
    if (s.migrations.length > 0) {
        files["history.sql"] = historyTableSql(schema);
        run.push(`PGUSER=${sh(s.role)} PGPASSWORD="$OWNER_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -f ${dir}/history.sql`);
        s.migrations.forEach((f, i) => {
            // ConfigMap keys allow no spaces: files are numbered, their names stay in the history.
            const key = `m${String(i + 1).padStart(4, "0")}`;
            files[`${key}.sql`] = f.sql;
            files[`${key}.psql`] = migrationScript(f, `${key}.sql`, schema, dir);
            run.push(`PGUSER=${sh(s.role)} PGPASSWORD="$OWNER_PASSWORD" psql -X -q -f ${dir}/${key}.psql`);
        });
    }
    files["run.sh"] = `${run.join("\n")}\n`;
    return { files, command: ["sh", `${dir}/run.sh`] };
}

/** service → the services that read it (their owning role and schemas). */
export function readersOf(services: readonly ServiceSpec[]): Map<string, Reader[]> {
    const out = new Map<string, Reader[]>();
    for (const s of services) {
        for (const r of s.reads) out.set(r.service, [...(out.get(r.service) ?? []), { role: s.role, ...(r.schemas ? { schemas: r.schemas } : {}) }]);
    }
    return out;
}
