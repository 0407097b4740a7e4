/**
 * Two-phase rotation: which credential is handed out, which password each rotation regenerates
 * (only the one not in use), and the resources under mocks: the second login becomes the owning
 * role at login, and the outputs follow the active credential.
 */
import { NO_ROTATION, activeSlot, readRotation, rotationKeepers, secondLogin } from "../../src/rotation";
import { findProblems } from "../../src/plan";
import { formatProblem } from "../../src/problems";
import { runProgram, valueOf } from "./harness";
import { CHAIN, LOCAL_CLUSTER, T } from "./fixtures";
import type { ServiceConnection } from "../../components/platform";

describe("rotation plan", () => {
    test("each rotation regenerates exactly the slot not in use, and hands it out", () => {
        let before = rotationKeepers({ count: 0 });
        for (let n = 1; n <= 6; n++) {
            const after = rotationKeepers({ count: n });
            const fresh = activeSlot({ count: n });
            const previous = activeSlot({ count: n - 1 });
            expect(fresh).not.toBe(previous);
            expect(after[fresh]).not.toBe(before[fresh]); // the handed-out credential is new
            expect(after[previous]).toBe(before[previous]); // the one consumers may still hold is kept
            before = after;
        }
    });
    test("slot a keeps its first password until it is regenerated at 2", () => {
        expect(rotationKeepers(NO_ROTATION)).toEqual({ a: "", b: "0" });
        expect(rotationKeepers({ count: 1 })).toEqual({ a: "", b: "1" });
        expect(rotationKeepers({ count: 2 })).toEqual({ a: "2", b: "1" });
    });
    test("config values", () => {
        expect([0, 3, "4", " 5 ", "", undefined].map(readRotation)).toEqual([{ count: 0 }, { count: 3 }, { count: 4 }, { count: 5 }, NO_ROTATION, NO_ROTATION]);
        // No labels: a word is refused like any other value that is not a count.
        expect([-1, 1.5, true, ["x"], "2026-11"].map(readRotation)).toEqual([undefined, undefined, undefined, undefined, undefined]);
        const problems = findProblems({ clusters: { main: { host: "h" } }, services: { a: { cluster: "main", rotation: -1 } }, clustersAreSecret: false }).problems.map(formatProblem);
        expect(problems).toEqual([`service "a", field "rotation": must be a whole number of rotations (0, 1, 2, …), got -1. Fix: set servicedb:services.a.rotation to the next number to rotate the password (see docs/rotation.md).`]);
    });
    test("the second login's name is checked like the role's", () => {
        expect(secondLogin("orders")).toBe("orders_b");
        const long = "r".repeat(62);
        const problems = findProblems({ clusters: { main: { host: "h" } }, services: { a: { cluster: "main", role: long }, b: { cluster: "main", role: "a_b" }, c: { cluster: "main", role: "a" } }, clustersAreSecret: false }).problems.map(formatProblem);
        expect(problems).toEqual([
            `service "a", field "role": the second login "${long}_b" is 64 bytes; PostgreSQL silently truncates role names to 63. Fix: shorten servicedb:services.a.role to at most 61 bytes.`,
            `service "c", field "role": resolves to role "a_b" in cluster "main", which service "b" already uses. Fix: set servicedb:services.c.role to a name of its own.`,
        ]);
    });
});

describe("rotation resources", () => {
    const config = (rotation: unknown) => ({
        ...CHAIN,
        "servicedb:clusters": { main: LOCAL_CLUSTER },
        "servicedb:services": { orders: { cluster: "main", rotation } },
    });

    test("a second login, member of the owning role, switching to it at login", async () => {
        const run = await runProgram(config(0));
        expect(run.get(T.role, "orders-login-b").inputs).toEqual({
            name: "orders_b", login: true, password: expect.any(String), connectionLimit: 10, roles: ["orders"], assumeRole: "orders",
            superuser: false, createDatabase: false, createRole: false, replication: false, bypassRowLevelSecurity: false, inherit: true,
            // The default guardrails the Role sets itself (the others: LoginSettings).
            statementTimeout: 60000, idleInTransactionSessionTimeout: 60000,
        });
        expect(run.get(T.role, "orders-login-b").secretInputs).toContain("password");
        expect(run.dependencyNames(run.get(T.role, "orders-login-b"))).toEqual(expect.arrayContaining(["orders-role", "orders-password-b"]));
        expect(run.get(T.password, "orders-password").inputs.keepers).toEqual({ rotation: "" });
        expect(run.get(T.password, "orders-password-b").inputs.keepers).toEqual({ rotation: "0" });
    });

    test.each([[0, "orders"], [1, "orders_b"], [2, "orders"]])("rotation %i hands out %s, secret", async (rotation, login) => {
        const run = await runProgram(config(rotation));
        const db = (run.exports.databases as Record<string, ServiceConnection>).orders;
        expect(await valueOf(db.username)).toBe(login);
        expect(await valueOf(db.url)).toMatch(new RegExp(`^postgresql://${login}:`));
        expect(await pulumiIsSecret(db.password)).toBe(true);
    });
});

/** Whether an Output is secret (the SDK's own flag). */
function pulumiIsSecret(o: unknown): Promise<boolean> {
    return (o as { isSecret: Promise<boolean> }).isSecret;
}
