/**
 * SCRAM-SHA-256 verifiers (RFC 5802 / RFC 7677), in the form PostgreSQL stores in
 * `pg_authid.rolpassword` and PgBouncer reads from its auth file:
 *
 *   SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>      (base64 parts)
 *
 * PostgreSQL takes a string of that form given as `PASSWORD '…'` as the stored verifier itself
 * (it does not hash it again), so the role's password can be set to the verifier and the plaintext
 * never reaches the server or the pooler. PgBouncer logs in to the server with the keys it learns
 * from the client's SCRAM exchange, which works only when its verifier is byte-identical to the
 * server's (same salt and iterations): hence a *deterministic* salt, derived from the password and
 * the role, so that every `pulumi up` computes the same verifier (no perpetual diff) and two
 * independent computations (the role's password, the pooler's auth file) agree.
 *
 * Why a derived salt is acceptable: a salt must differ between users and between passwords, so
 * that one precomputed table does not crack many verifiers; HMAC(password, role) differs for both
 * and reveals nothing about the password (HMAC is one-way). It only lets someone who already
 * knows a candidate password recompute the salt, which the verifier's own check lets them anyway.
 * servicedb's passwords are 40 random letters and digits (~238 bits): no dictionary reaches them.
 */
import { createHash, createHmac, pbkdf2Sync } from "crypto";

/** PostgreSQL's default `scram_iterations`. */
export const SCRAM_ITERATIONS = 4096;
const SALT_BYTES = 16;
const VERIFIER = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;

const hmac = (key: Buffer | string, data: Buffer | string) => createHmac("sha256", key).update(data).digest();

/**
 * The salt of `role`'s verifier: the first 16 bytes of HMAC-SHA-256(password, domain ‖ role).
 * Changes whenever the password (or the role) does.
 */
export function derivedSalt(role: string, password: string): Buffer {
    return hmac(password, `servicedb scram salt\u0000${role}`).subarray(0, SALT_BYTES);
}

/**
 * Refuses what PostgreSQL would SASLprep-normalise differently: servicedb's own passwords are
 * letters and digits, so printable ASCII (which SASLprep leaves unchanged) is all we need.
 */
function checkPassword(password: string): void {
    if (password.length === 0 || !/^[\x20-\x7e]+$/.test(password)) {
        throw new Error("scramVerifier: the password must be non-empty printable ASCII (servicedb generates letters and digits); compute verifiers of other passwords with PostgreSQL itself");
    }
}

/** The verifier of `password` with an explicit salt (RFC 7677's test vector uses one). */
export function scramVerifierWithSalt(password: string, salt: Buffer, iterations = SCRAM_ITERATIONS): string {
    checkPassword(password);
    const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
    const clientKey = hmac(salted, "Client Key");
    const storedKey = createHash("sha256").update(clientKey).digest();
    const serverKey = hmac(salted, "Server Key");
    return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** The stable verifier of `role`'s `password`: what the role's PASSWORD and the auth file hold. */
export function scramVerifier(role: string, password: string): string {
    return scramVerifierWithSalt(password, derivedSalt(role, password));
}

/** Whether `text` has the form of a SCRAM-SHA-256 verifier (never a plaintext password). */
export function isScramVerifier(text: string): boolean {
    return VERIFIER.test(text);
}
