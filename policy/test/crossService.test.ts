import { crossServiceAccess } from "../src/crossService";
import { TYPES } from "../src/resources";
import { Fake, pgProvider, runStack } from "./fakes";
import { service } from "./layout";

const main = pgProvider("main-provider");
const stack = [main, ...service(main, "orders", { adminMember: "platform_admin" }), ...service(main, "payments", { reader: true, adminMember: "platform_admin" })];
const grant = (name: string, props: Record<string, unknown>): Fake => ({ type: TYPES.grant, name, provider: main, props });
const member = (name: string, role: string, grantRole: string): Fake => ({ type: TYPES.grantRole, name, provider: main, props: { role, grantRole } });

describe("postgresql-cross-service-access", () => {
    test("servicedb's layout passes: the admin joins every service role, the reader stays in its database", async () => {
        expect(await runStack(crossServiceAccess, stack)).toEqual([]);
    });

    test("a grant giving one service's role privileges in another service's database is reported", async () => {
        const s = [...stack, grant("orders-reads-payments", { role: "orders", database: "payments", objectType: "database", privileges: ["CONNECT"] })];
        expect(await runStack(crossServiceAccess, s)).toEqual([
            "orders-reads-payments: postgresql.Grant \"orders-reads-payments\": gives role \"orders\" (owner of database \"orders\") [CONNECT] in database \"payments\", another service's database — "
            + "a service's role reaches its own database only; remove the grant, and declare a read with `reads:` on the reading service if it must read that data.",
        ]);
    });

    test("a read declared with reads: passes: read-only grants that are children of a servicedb:postgres:ServiceRead", async () => {
        const read: Fake = { type: TYPES.serviceRead, name: "orders-reads-payments", props: {} };
        const declared = (name: string, objectType: string, privileges: string[]): Fake => ({ ...grant(name, { role: "orders", database: "payments", schema: "public", objectType, privileges }), parent: read });
        const ok = [declared("c", "database", ["CONNECT"]), declared("u", "schema", ["USAGE"]), declared("t", "table", ["SELECT"])];
        expect(await runStack(crossServiceAccess, [...stack, read, ...ok])).toEqual([]);
        // Under a ServiceRead, but writing: refused all the same.
        expect(await runStack(crossServiceAccess, [...stack, read, declared("w", "table", ["SELECT", "INSERT"])]))
            .toEqual([expect.stringMatching(/^w: postgresql\.Grant "w": gives role "orders" \(owner of database "orders"\) \[SELECT, INSERT\]/)]);
    });

    test("default privileges count like grants; revokes (privileges []) do not", async () => {
        const dp: Fake = { type: TYPES.defaultPrivileges, name: "dp", provider: main, props: { role: "orders", database: "payments", owner: "payments", schema: "public", objectType: "table", privileges: ["SELECT"] } };
        expect(await runStack(crossServiceAccess, [...stack, dp])).toEqual([expect.stringMatching(/^dp: postgresql\.DefaultPrivileges "dp": gives role "orders"/)]);
        const revoke = grant("revoke", { role: "orders", database: "payments", objectType: "database", privileges: [] });
        expect(await runStack(crossServiceAccess, [...stack, revoke])).toEqual([]);
    });

    test("a role that owns no database but holds privileges in two services' databases is reported once", async () => {
        const s = [...stack,
            grant("reader-orders-connect", { role: "payments_reader", database: "orders", objectType: "database", privileges: ["CONNECT"] }),
            grant("reader-orders-usage", { role: "payments_reader", database: "orders", schema: "public", objectType: "schema", privileges: ["USAGE"] })];
        expect(await runStack(crossServiceAccess, s)).toEqual([expect.stringContaining("role \"payments_reader\" holds privileges in databases \"orders\", \"payments\" of different services")]);
        expect(await runStack(crossServiceAccess, s, { sharedRoles: ["payments_reader"] })).toEqual([]);
    });

    test("membership of one service's role in another's is reported; the reader granted to an outside login is not", async () => {
        expect(await runStack(crossServiceAccess, [...stack, member("m", "orders", "payments_reader")])).toEqual([
            "m: postgresql.GrantRole \"m\": makes \"orders\" (role of database \"orders\") a member of \"payments_reader\" (role of database \"payments\") — "
            + "one service's role never joins another's; remove the GrantRole, or grant the reader role to a login outside the services.",
        ]);
        expect(await runStack(crossServiceAccess, [...stack, member("m2", "payments", "orders")])).toHaveLength(1);
        expect(await runStack(crossServiceAccess, [...stack, member("bi", "analyst", "payments_reader")])).toEqual([]);
    });

    test("a service role made a member of a predefined cross-database role is reported", async () => {
        expect(await runStack(crossServiceAccess, [...stack, member("all", "orders", "pg_read_all_data")])).toEqual([
            expect.stringContaining("makes \"orders\" (role of database \"orders\") a member of pg_read_all_data, which reaches every database — remove the membership."),
        ]);
    });
});
