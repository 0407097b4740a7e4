/**
 * Services for the pooler tests, built on the real server the way servicedb declares them (two
 * logins per service: the owning role and `<role>_b`, a member that becomes the owner at login),
 * with every login's password set to the SCRAM verifier servicedb computes — what the role's
 * PASSWORD must be for PgBouncer to log in to the server with the client's SCRAM keys. The
 * pooler's files come from the program's own planning and rendering (findProblems → PoolerSpec →
 * renderFiles).
 */
import { randomBytes } from "crypto";
import { asAdmin } from "./scratch";
import { findProblems } from "../../src/plan";
import { formatProblem } from "../../src/problems";
import { renderFiles } from "../../src/pooler/config";
import { scramVerifier } from "../../src/pooler/scram";
import { PoolerSpec } from "../../src/pooler/spec";
import { secondLogin } from "../../src/rotation";

export interface PooledService {
    readonly service: string;
    readonly database: string;
    readonly role: string;
    readonly connectionLimit: number;
    readonly poolSize?: number;
    /** login → plaintext password (what a service holds). */
    readonly passwords: Readonly<Record<string, string>>;
}

export function newService(tag: string, name: string, connectionLimit: number, poolSize?: number): PooledService {
    const role = `sdb_p${tag}_${name}`;
    const pw = () => randomBytes(30).toString("base64url").replace(/[-_]/g, "x").slice(0, 40);
    return { service: `p${tag}-${name}`, database: role, role, connectionLimit, poolSize, passwords: { [role]: pw(), [secondLogin(role)]: pw() } };
}

export async function createService(s: PooledService): Promise<void> {
    await asAdmin(async (c) => {
        const owner = c.escapeIdentifier(s.role);
        const b = c.escapeIdentifier(secondLogin(s.role));
        const verifier = (login: string) => c.escapeLiteral(scramVerifier(login, s.passwords[login]));
        await c.query(`CREATE ROLE ${owner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT ${s.connectionLimit} PASSWORD ${verifier(s.role)}`);
        await c.query(`CREATE ROLE ${b} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT ${s.connectionLimit} PASSWORD ${verifier(secondLogin(s.role))} IN ROLE ${owner}`);
        await c.query(`ALTER ROLE ${b} SET role = ${c.escapeLiteral(s.role)}`);
        await c.query(`CREATE DATABASE ${c.escapeIdentifier(s.database)} OWNER ${owner} TEMPLATE template0 CONNECTION LIMIT ${s.connectionLimit}`);
        await c.query(`REVOKE ALL ON DATABASE ${c.escapeIdentifier(s.database)} FROM PUBLIC`);
    });
}

export async function dropServices(services: readonly PooledService[]): Promise<void> {
    await asAdmin(async (c) => {
        for (const s of services) {
            await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(s.database)} WITH (FORCE)`);
            for (const login of [secondLogin(s.role), s.role]) await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(login)}`);
        }
    });
}

/** The pooler servicedb plans for these services on the local cluster (127.0.0.1:5432). */
export function plannedPooler(services: readonly PooledService[], pooler: Record<string, unknown> = {}): PoolerSpec {
    const { spec, problems } = findProblems({
        clusters: { local: { host: "127.0.0.1", port: 5432, maxConnections: 100, reservedConnections: 10, pooler } },
        services: Object.fromEntries(services.map((s) => [s.service, {
            cluster: "local", role: s.role, database: s.database, connectionLimit: s.connectionLimit, ...(s.poolSize ? { poolSize: s.poolSize } : {}),
        }])),
        clustersAreSecret: false,
    });
    if (problems.length) throw new Error(problems.map(formatProblem).join("\n"));
    return spec.poolers[0];
}

/** pgbouncer.ini and userlist.txt for running PgBouncer in `dir` on `port`. */
export function pgbouncerFiles(spec: PoolerSpec, services: readonly PooledService[], dir: string, port: number): Record<string, string> {
    const userlist = services.flatMap((s) => Object.entries(s.passwords).map(([username, pw]) => ({ username, verifier: scramVerifier(username, pw) })));
    return renderFiles(spec, userlist, undefined, { configDir: dir, listenAddress: "127.0.0.1", listenPort: port });
}

export function pooledConfig(port: number, s: PooledService, login = s.role, database = s.database, password = s.passwords[login]) {
    return { host: "127.0.0.1", port, user: login, password, database, connectionTimeoutMillis: 10_000 };
}
