import { loginRoleAttributes, loginRoleProblems, rolePassword } from "../src/roles";
import { TYPES } from "../src/resources";
import { Fake, pgProvider, runResource, runStack, UNKNOWN_STRING } from "./fakes";
import { patch, service } from "./layout";

const provider = pgProvider("main-provider");
const orders = service(provider, "orders", { limit: 20 });
const role = (props: Record<string, unknown>): Fake => ({ ...orders[1], props: { ...orders[1].props, ...props } });

describe("postgresql-login-role-attributes", () => {
    test("servicedb's login role and a NOLOGIN role with defaults pass", async () => {
        expect(await runResource(loginRoleAttributes, orders[1])).toEqual([]);
        expect(await runResource(loginRoleAttributes, { type: TYPES.role, name: "r", props: { name: "r", superuser: true } })).toEqual([]);
    });

    test.each(["superuser", "createRole", "createDatabase", "replication", "bypassRowLevelSecurity"])("%s: true is reported with the resource, the field and the fix", async (field) => {
        expect(await runResource(loginRoleAttributes, role({ [field]: true }))).toEqual([
            expect.stringMatching(new RegExp(`^postgresql\\.Role "orders-role" \\(orders\\): ${field} is true — .*; set ${field}: false\\.$`)),
        ]);
    });

    test("every elevated attribute is reported, one message each", async () => {
        const all = role({ superuser: true, createRole: true, createDatabase: true, replication: true, bypassRowLevelSecurity: true });
        expect(await runResource(loginRoleAttributes, all)).toHaveLength(5);
    });

    test("a connection limit is required: unset, -1 (unlimited) and 0 are reported", async () => {
        expect(await runResource(loginRoleAttributes, role({ connectionLimit: undefined }))).toEqual([expect.stringContaining("connectionLimit is unset (unlimited) — set connectionLimit")]);
        expect(await runResource(loginRoleAttributes, role({ connectionLimit: -1 }))).toEqual([expect.stringContaining("connectionLimit is -1 (unlimited)")]);
        expect(await runResource(loginRoleAttributes, role({ connectionLimit: 0 }))).toEqual([expect.stringContaining("connectionLimit is 0 — the role cannot connect")]);
    });

    test("values not known during preview are neither reported nor fatal", async () => {
        expect(await runResource(loginRoleAttributes, role({ connectionLimit: UNKNOWN_STRING, superuser: UNKNOWN_STRING }))).toEqual([]);
    });

    test("the pure check sees login from the JSON-encoded form too", () => {
        expect(loginRoleProblems({ login: "true", superuser: "true", connectionLimit: 5 })).toEqual([expect.stringContaining("superuser is true")]);
    });
});

describe("postgresql-role-password", () => {
    test("a password produced by a resource passes, known or not yet known", async () => {
        expect(await runStack(rolePassword, orders)).toEqual([]);
        expect(await runStack(rolePassword, patch(orders, "orders-role", { password: UNKNOWN_STRING }))).toEqual([]);
    });

    test("a password written in the program (no resource behind it) is reported on the role", async () => {
        const plain = orders.map((r) => (r.name === "orders-role" ? { ...r, props: { ...r.props, password: "hunter2" }, deps: {} } : r));
        expect(await runStack(rolePassword, plain)).toEqual([
            "orders-role: postgresql.Role \"orders-role\" (orders): password is a plain value written in the program or its config — generate it (random.RandomPassword) and pass its result, which stays secret in the state.",
        ]);
    });

    test("encryptedPassword: false is reported; roles without login are not checked", async () => {
        expect(await runStack(rolePassword, patch(orders, "orders-role", { encryptedPassword: false }))).toEqual([expect.stringContaining("encryptedPassword is false")]);
        const nologin: Fake = { type: TYPES.role, name: "group", provider, props: { name: "group", login: false, password: "x" } };
        expect(await runStack(rolePassword, [nologin])).toEqual([]);
    });
});

describe("postgresql-statement-timeout (advisory)", () => {
    test("a login without a statement timeout is named; with one, or a ServiceCore that declares it, it is not", async () => {
        const { statementTimeout } = await import("../src/roles");
        const role = (name: string, props: Record<string, unknown>) => ({ type: TYPES.role, name, props: { name, login: true, ...props } });
        const core = (name: string, parameters: Record<string, string>) => ({ type: TYPES.serviceCore, name, props: { role: name, parameters } });
        expect(await runStack(statementTimeout, [role("a", { statementTimeout: 30000 }), role("r", { login: false }), core("c", { statement_timeout: "60000" })])).toEqual([]);
        expect(await runStack(statementTimeout, [role("b", {}), core("d", {}), core("e", { statement_timeout: "0" })])).toEqual([
            expect.stringMatching(/^b: postgresql\.Role "b": logs in without a statement timeout/),
            expect.stringMatching(/^d: servicedb\.ServiceCore "d"( \(d\))?: logs in without a statement timeout/),
            expect.stringMatching(/^e: servicedb\.ServiceCore "e"( \(e\))?: logs in without a statement timeout/),
        ]);
    });
});
