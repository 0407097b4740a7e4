/**
 * servicedb's SCRAM verifiers against the real server: the same bytes PostgreSQL computes, and a
 * role whose PASSWORD is the verifier logs in with the plaintext (under scram-sha-256 in
 * pg_hba.conf), while the server stores the verifier byte for byte — what PgBouncer needs.
 */
import { randomBytes } from "crypto";
import { Client } from "pg";
import { asAdmin } from "./scratch";
import { withScramFor } from "./hba";
import { scramVerifier, scramVerifierWithSalt } from "../../src/pooler/scram";

const role = `sdb_scram_${randomBytes(4).toString("hex")}`;
const password = randomBytes(30).toString("base64url").replace(/[-_]/g, "x");

const storedVerifier = () => asAdmin(async (c) => (await c.query("SELECT rolpassword FROM pg_authid WHERE rolname = $1", [role])).rows[0].rolpassword as string);

async function login(pw: string): Promise<string | undefined> {
    const c = new Client({ host: "127.0.0.1", port: 5432, user: role, password: pw, database: "postgres" });
    try {
        await c.connect();
        return undefined;
    } catch (e) {
        return (e as { code?: string }).code ?? "error";
    } finally {
        await c.end().catch(() => undefined);
    }
}

beforeAll(() => asAdmin((c) => c.query(`CREATE ROLE ${c.escapeIdentifier(role)} LOGIN PASSWORD ${c.escapeLiteral(password)}`)));
afterAll(() => asAdmin((c) => c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(role)}`)));

test("with the server's own salt, the verifier is the one PostgreSQL stored for the plaintext", async () => {
    const stored = await storedVerifier();
    const salt = Buffer.from(stored.split("$")[1].split(":")[1], "base64");
    expect(scramVerifierWithSalt(password, salt)).toBe(stored);
});

test("a role whose PASSWORD is the verifier logs in with the plaintext; the server keeps the verifier as given", async () => {
    const verifier = scramVerifier(role, password);
    await asAdmin((c) => c.query(`ALTER ROLE ${c.escapeIdentifier(role)} PASSWORD ${c.escapeLiteral(verifier)}`));
    expect(await storedVerifier()).toBe(verifier);
    await withScramFor([role], async () => {
        expect(await login(password)).toBeUndefined();
        expect(await login(`${password}x`)).toBe("28P01");
        expect(await login(verifier)).toBe("28P01");
    });
});
