/**
 * A correct layout (three services by default; bench/verify.bench.ts builds hundreds) built on
 * the real server with the SQL that the ServiceDatabase component makes the provider run, and
 * the stack outputs that describe it.
 */
import { randomBytes } from "crypto";
import { Client } from "pg";
import { asAdmin } from "./scratch";

export interface LayoutService { service: string; role: string; database: string; password: string; connectionLimit: number }

export interface Layout {
    readonly services: LayoutService[];
    /** `pulumi stack output --json --show-secrets` of such a stack. */
    outputs(override?: (s: LayoutService) => Partial<LayoutService>): Record<string, unknown>;
    /** Runs SQL as the admin in a service's database (for breaking things on purpose). */
    adminIn(service: string, sql: string): Promise<void>;
    drop(): Promise<void>;
}

const url = (s: LayoutService) => `postgresql://${s.role}:${encodeURIComponent(s.password)}@127.0.0.1:5432/${s.database}?sslmode=disable`;

export interface LayoutOptions {
    /** Prefix of role and database names (a random tag follows). Defaults to "sdb_v". */
    readonly prefix?: string;
    /** Connection limit of the i-th service. Defaults to 5, 4, 3, then 2. */
    readonly connectionLimit?: (i: number) => number;
}

export async function buildLayout(names: readonly string[] = ["orders", "payments", "search"], opts: LayoutOptions = {}): Promise<Layout> {
    const tag = randomBytes(3).toString("hex");
    const limit = opts.connectionLimit ?? ((i: number) => [5, 4, 3][i] ?? 2);
    const services = names.map((service, i) => {
        const base = `${opts.prefix ?? "sdb_v"}${tag}_${service.replace(/-/g, "_")}`;
        return { service, role: base, database: base, password: randomBytes(18).toString("base64url"), connectionLimit: limit(i) };
    });
    const drop = () => asAdmin(async (c) => {
        for (const s of services) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(s.database)} WITH (FORCE)`);
        for (const s of services) await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(s.role)}`);
    });
    try {
        await asAdmin(async (c) => {
            for (const s of services) {
                const r = c.escapeIdentifier(s.role);
                await c.query(`CREATE ROLE ${r} LOGIN PASSWORD ${c.escapeLiteral(s.password)} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT ${s.connectionLimit}`);
                await c.query(`CREATE DATABASE ${c.escapeIdentifier(s.database)} OWNER ${r} ENCODING 'UTF8' TEMPLATE template0 CONNECTION LIMIT ${s.connectionLimit}`);
                await c.query(`REVOKE ALL ON DATABASE ${c.escapeIdentifier(s.database)} FROM PUBLIC`);
            }
        });
        for (const s of services) {
            await asAdmin(async (c) => {
                await c.query(`ALTER SCHEMA public OWNER TO ${c.escapeIdentifier(s.role)}`);
                await c.query("REVOKE ALL ON SCHEMA public FROM PUBLIC");
            }, s.database);
            // The service's own data, created by the service (as its migrations would).
            const own = new Client({ host: "127.0.0.1", port: 5432, user: s.role, password: s.password, database: s.database });
            await own.connect();
            await own.query("CREATE TABLE secrets (id int PRIMARY KEY, note text)");
            await own.end();
        }
    } catch (e) {
        await drop(); // a half-built layout leaves nothing behind
        throw e;
    }
    return {
        services,
        outputs(override) {
            const databases: Record<string, unknown> = {};
            const summary: Record<string, unknown> = {};
            for (const base of services) {
                const s = { ...base, ...(override?.(base) ?? {}) };
                databases[s.service] = { cluster: "local", host: "127.0.0.1", port: 5432, database: s.database, username: s.role, password: s.password, url: url(s) };
                // No guardrails declared, and none set: the settings check passes on that.
                summary[s.service] = { cluster: "local", database: s.database, role: s.role, connectionLimit: s.connectionLimit, schemas: ["public"], settings: {} };
            }
            return { databases, summary };
        },
        adminIn: (service, sql) => asAdmin(async (c) => { await c.query(sql); }, services.find((s) => s.service === service)?.database),
        drop,
    };
}
