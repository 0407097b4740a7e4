import { databaseOwner, databasePublicRevoke } from "../src/databases";
import { pgProvider, runStack, UNKNOWN_STRING } from "./fakes";
import { patch, service, without } from "./layout";

const main = pgProvider("main-provider");
const other = pgProvider("other-provider", { host: "10.0.0.5", sslmode: "verify-full" });
const stack = [main, ...service(main, "orders", { schemas: ["public", "ledger"] }), ...service(main, "payments", { reader: true })];

describe("postgresql-database-public-revoke", () => {
    test("servicedb's layout passes", async () => {
        expect(await runStack(databasePublicRevoke, stack)).toEqual([]);
    });

    test("a database without its PUBLIC revoke is reported with the Grant to declare", async () => {
        expect(await runStack(databasePublicRevoke, without(stack, "orders-revoke-public-db"))).toEqual([
            "orders-db: postgresql.Database \"orders-db\" (orders): no PUBLIC revoke on the same provider — every role of the server can CONNECT and create TEMP tables in it; "
            + "declare postgresql.Grant { database: \"orders\", role: \"public\", objectType: \"database\", privileges: [] } with the database's provider.",
        ]);
    });

    test("a revoke through another provider (another server) does not count", async () => {
        const moved = stack.map((r) => (r.name === "orders-revoke-public-db" ? { ...r, provider: other } : r));
        expect(await runStack(databasePublicRevoke, moved)).toEqual([expect.stringMatching(/^orders-db: .*no PUBLIC revoke on the same provider/)]);
    });

    test("a revoke of a schema, or of another database, does not count", async () => {
        const s = patch(without(stack, "orders-revoke-public-db"), "payments-revoke-public-schema-public", { database: "orders" });
        expect(await runStack(databasePublicRevoke, s)).toEqual([expect.stringMatching(/^orders-db: /)]);
    });

    test("a grant of privileges to PUBLIC in a service database is reported, PUBLIC spelled any way", async () => {
        const s = patch(stack, "orders-revoke-public-db", { role: "PUBLIC", privileges: ["CONNECT", "TEMPORARY"] });
        const found = await runStack(databasePublicRevoke, s);
        expect(found).toContain("orders-revoke-public-db: postgresql.Grant \"orders-revoke-public-db\": privileges [CONNECT, TEMPORARY] are granted to PUBLIC in database \"orders\" — every role of the server gets them; grant them to the roles that need them and keep privileges: [] for public.");
        expect(found).toContainEqual(expect.stringMatching(/^orders-db: .*no PUBLIC revoke/));
    });

    test("a database whose name is not known yet is not reported", async () => {
        expect(await runStack(databasePublicRevoke, patch(without(stack, "orders-revoke-public-db"), "orders-db", { name: UNKNOWN_STRING }))).toEqual([]);
    });
});

describe("postgresql-database-owner", () => {
    test("servicedb's layout passes", async () => {
        expect(await runStack(databaseOwner, stack)).toEqual([]);
    });

    test("a database without owner would belong to the admin", async () => {
        expect(await runStack(databaseOwner, patch(stack, "orders-db", { owner: undefined }))).toEqual([
            "orders-db: postgresql.Database \"orders-db\" (orders): owner is unset — the database would belong to the provider's admin user; set owner to the service's own login role.",
        ]);
    });

    test("an owner the engine does not know yet: unset when no resource is behind it, else not judged", async () => {
        const unknownOwner = patch(stack, "orders-db", { owner: UNKNOWN_STRING });
        expect(await runStack(databaseOwner, unknownOwner)).toEqual([expect.stringMatching(/^orders-db: .*owner is unset/)]);
        const role = stack.find((r) => r.name === "orders-role");
        const fromRole = unknownOwner.map((r) => (r.name === "orders-db" && role ? { ...r, deps: { owner: [role] } } : r));
        expect(await runStack(databaseOwner, fromRole)).toEqual([]);
    });

    test("an owner that is not a role of the stack, or a NOLOGIN role, is reported", async () => {
        expect(await runStack(databaseOwner, patch(stack, "orders-db", { owner: "postgres" }))).toEqual([
            expect.stringContaining("owner \"postgres\" is not a postgresql.Role declared in this stack on the same provider"),
        ]);
        expect(await runStack(databaseOwner, patch(stack, "orders-db", { owner: "payments_reader" }))).toEqual([expect.stringContaining("owner \"payments_reader\" is a NOLOGIN role")]);
    });

    test("a role that owns two databases is reported on both", async () => {
        const s = patch(stack, "payments-db", { owner: "orders" });
        const found = await runStack(databaseOwner, s);
        expect(found).toContain("orders-db: postgresql.Database \"orders-db\" (orders): owner \"orders\" also owns database \"payments\" — one login role per database; give each database a role of its own.");
        expect(found).toContainEqual(expect.stringMatching(/^payments-db: .*owner "orders" also owns database "orders"/));
    });

    test("the same role name on another server is another role", async () => {
        const elsewhere = service(other, "orders").map((r) => ({ ...r, name: `replica-${r.name}` }));
        expect(await runStack(databaseOwner, [...stack, other, ...elsewhere])).toEqual([]);
    });

    test("a schema owned by one service's role in another service's database is reported", async () => {
        const s = patch(stack, "payments-schema-public", { owner: "orders" });
        expect(await runStack(databaseOwner, s)).toEqual([
            "payments-schema-public: postgresql.Schema \"payments-schema-public\" (public): owner \"orders\" owns database \"orders\" but this schema is in database \"payments\" — a service role owns objects in its own database only; make the schema's database owner its owner.",
        ]);
    });
});
