import { derivedSalt, isScramVerifier, scramVerifier, scramVerifierWithSalt } from "../../src/pooler/scram";

describe("SCRAM-SHA-256 verifiers", () => {
    test("match what PostgreSQL 15 stored for the password 'pencil' with its own salt", () => {
        // CREATE ROLE … PASSWORD 'pencil'; SELECT rolpassword FROM pg_authid … (PostgreSQL 15.x)
        const stored = "SCRAM-SHA-256$4096:remje0zcBgi4jQRf1pKG5Q==$YT1TF3m+El60l2X4HpyKy5T6ovE2TZs3TOkwClRepG0=:y4iYVCGQfb9hQTEc8rgoVIl7NyWHLZhBEYJubfSQ9nQ=";
        expect(scramVerifierWithSalt("pencil", Buffer.from("remje0zcBgi4jQRf1pKG5Q==", "base64"))).toBe(stored);
        expect(scramVerifierWithSalt("pencils", Buffer.from("remje0zcBgi4jQRf1pKG5Q==", "base64"))).not.toBe(stored);
    });

    test("are stable for one role and password, so the pooler's files never diff on their own", () => {
        expect(scramVerifier("orders", "Pw0rdFromMocks0123456789abcdefghijKLMNOP")).toBe(scramVerifier("orders", "Pw0rdFromMocks0123456789abcdefghijKLMNOP"));
    });

    test("get a salt of their own per role and per password", () => {
        const pw = "Pw0rdFromMocks0123456789abcdefghijKLMNOP";
        expect(derivedSalt("orders", pw)).toHaveLength(16);
        expect(derivedSalt("orders", pw).equals(derivedSalt("orders_b", pw))).toBe(false);
        expect(derivedSalt("orders", pw).equals(derivedSalt("orders", `${pw}x`))).toBe(false);
        const [, salt] = /^SCRAM-SHA-256\$4096:([^$]+)\$/.exec(scramVerifier("orders", pw)) ?? [];
        expect(salt).toBe(derivedSalt("orders", pw).toString("base64"));
    });

    test("never contain the password, and have the form PostgreSQL and PgBouncer read", () => {
        const v = scramVerifier("orders", "Pw0rdFromMocks0123456789abcdefghijKLMNOP");
        expect(isScramVerifier(v)).toBe(true);
        expect(v).not.toContain("Pw0rdFromMocks");
        expect(isScramVerifier("Pw0rdFromMocks0123456789abcdefghijKLMNOP")).toBe(false);
        expect(isScramVerifier("md5a3556571e93b0d20722ba62be61e8c2d")).toBe(false);
    });

    test("refuse passwords PostgreSQL would normalise (SASLprep) differently", () => {
        expect(() => scramVerifier("orders", "pässword")).toThrow(/printable ASCII/);
        expect(() => scramVerifier("orders", "")).toThrow(/non-empty/);
    });
});
