/** Repair's pure decisions: provider IDs, what to do per pending operation, conflicts and their fixes. */
import { decide, plan } from "../../src/repair/decide";
import { dockerProbe } from "../../src/repair/docker";
import { inEffect, normalisePrivileges } from "../../src/repair/grantProbes";
import { kindOf, postgresId } from "../../src/repair/ids";
import { databaseFix, databaseMismatches, roleFix, roleMismatches } from "../../src/repair/ownerProbes";
import { refreshArgs } from "../../src/repair/pulumi";
import { COMMANDS } from "../../src/cli/commands";
import { parseCommand } from "../../src/cli/parse";
import { repairArgs } from "../../src/repair/cli";
import { PendingOperation } from "../../src/repair/state";

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
const op = (type: PendingOperation["type"], t: string, name: string): PendingOperation => ({ type, resource: { urn: `urn:pulumi:s::p::${t}::${name}`, type: t } });

describe("provider IDs (the provider's own formats)", () => {
    test.each([
        ["role", { name: "orders" }, "orders"],
        ["database", { name: "orders" }, "orders"],
        ["schema", { name: "app", database: "orders" }, "orders.app"],
        ["extension", { name: "pgcrypto", database: "orders" }, "orders.pgcrypto"],
        ["grant", { role: "public", database: "orders", objectType: "database", privileges: [] }, "public_orders_database"],
        ["grant", { role: "public", database: "orders", schema: "app", objectType: "schema", privileges: [] }, "public_orders_app_schema"],
        ["grant", { role: "r", database: "d", schema: "s", objectType: "table", objects: ["t1"], privileges: ["SELECT"] }, "r_d_s_table_t1"],
        ["grantRole", { role: "admin", grantRole: "orders" }, "admin_orders_false"],
        ["defaultPrivileges", { role: "orders_reader", database: "orders", schema: "public", owner: "orders", objectType: "table" }, "orders_reader_orders_public_orders_table"],
        ["defaultPrivileges", { role: "r", database: "d", owner: "o", objectType: "table" }, "r_d_noschema_o_table"],
    ] as const)("%s %j → %s", (kind, inputs, id) => {
        expect(postgresId(kind, inputs, "postgres")).toBe(id);
    });
    test("a schema without a database input lives in the provider's database", () => {
        expect(postgresId("schema", { name: "app" }, "maint")).toBe("maint.app");
    });
    test("types map to kinds; providers and unknown types are recognised", () => {
        expect(kindOf("postgresql:index/database:Database")).toBe("database");
        expect(kindOf("servicedb:migrations:ServiceMigrations")).toBe("migrations");
        expect(kindOf("pulumi:providers:postgresql")).toBe("provider");
        expect(kindOf("aws:s3/bucket:Bucket")).toBe("unknown");
    });
});

describe("decisions", () => {
    const db = op("creating", "postgresql:index/database:Database", "orders-db");
    test("present → import with the ID, absent → drop, differs → conflict that names the fix", () => {
        expect(decide(db, { state: "present", what: 'database "orders"', id: "orders" })).toMatchObject({ action: "import", id: "orders", line: 'import     orders-db (database): database "orders" exists as declared: imported with ID "orders"' });
        expect(decide(db, { state: "absent", what: 'database "orders"' }).action).toBe("clear");
        const c = decide(db, { state: "different", what: 'database "orders"', differences: ['owner is "x", declared "orders"'], fix: "ALTER DATABASE …" });
        expect(c.action).toBe("conflict");
        expect(c.line).toBe('CONFLICT   orders-db (database): database "orders" exists but differs from the stack (owner is "x", declared "orders"); left alone. Fix: ALTER DATABASE …');
    });
    test("pending updates and deletes are left to the refresh; a create without a probe is never guessed", () => {
        expect(decide(op("updating", "postgresql:index/role:Role", "r")).action).toBe("refresh");
        expect(decide(op("deleting", "postgresql:index/role:Role", "r")).action).toBe("refresh");
        expect(decide(op("creating", "postgresql:index/role:Role", "r")).action).toBe("unresolved");
    });
    test("the plan lists imports and clears, and a single conflict blocks every change", () => {
        const ok = plan([decide(db, { state: "present", what: "d", id: "orders" }), decide(op("creating", "random:index/randomPassword:RandomPassword", "p"), { state: "recreate", what: "p", note: "n" })]);
        expect(ok).toMatchObject({ imports: [[db.resource.urn, "orders"]], clears: ["urn:pulumi:s::p::random:index/randomPassword:RandomPassword::p"], blocked: false });
        expect(plan([...ok.decisions, decide(db, { state: "unknown", what: "d", reason: "r", fix: "f" })]).blocked).toBe(true);
    });
});

describe("conflicts: an existing object that differs", () => {
    const declaredRole = { name: "orders", login: true, superuser: false, inherit: true, connectionLimit: 10 };
    const row = { rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolreplication: false, rolbypassrls: false, rolcanlogin: true, rolinherit: true, rolconnlimit: 10 };
    test("a role as declared has no mismatch; another one gets the ALTER ROLE that would make it match", () => {
        expect(roleMismatches(row, declaredRole)).toEqual([]);
        const m = roleMismatches({ ...row, rolsuper: true, rolconnlimit: -1 }, declaredRole);
        expect(m.map((x) => x.difference)).toEqual(["SUPERUSER is true, declared false", "CONNECTION LIMIT is -1, declared 10"]);
        expect(roleFix("orders", m, quote)).toBe('if role "orders" is this service\'s, run ALTER ROLE "orders" NOSUPERUSER CONNECTION LIMIT 10; then npm run repair again. If it belongs to something else, give the service another role (servicedb:services.<service>.role)');
    });
    test("a database of another owner: ALTER DATABASE … OWNER TO, or another name; another encoding cannot be altered", () => {
        const inputs = { name: "orders", owner: "orders", encoding: "UTF8", connectionLimit: 10, allowConnections: true };
        const same = { owner: "orders", encoding: "UTF8", datconnlimit: 10, datallowconn: true };
        expect(databaseMismatches(same, inputs)).toEqual([]);
        const owner = databaseMismatches({ ...same, owner: "legacy" }, inputs);
        expect(databaseFix("orders", "orders", owner, quote)).toMatch(/^if database "orders" is this service's, run ALTER DATABASE "orders" OWNER TO "orders"; then npm run repair again/);
        const enc = databaseMismatches({ ...same, encoding: "LATIN1" }, inputs);
        expect(databaseFix("orders", "orders", enc, quote)).toMatch(/cannot be altered to match: rename it \(ALTER DATABASE "orders" RENAME TO "orders_old"\)/);
    });
});

test("grants compare the exact privilege set, TEMP being TEMPORARY; ALL is not compared", () => {
    expect(normalisePrivileges(["temp", "CONNECT"])).toEqual(["CONNECT", "TEMPORARY"]);
    expect(normalisePrivileges(["ALL"])).toBeUndefined();
    expect(inEffect([], [[]])).toBe(true);
    expect(inEffect([], [["CONNECT", "TEMPORARY"]])).toBe(false);
    expect(inEffect(["SELECT"], [["SELECT"], ["SELECT"]])).toBe(true);
    expect(inEffect(["SELECT"], [["SELECT"], []])).toBe(false);
});

test("docker inspect answers: an ID, no such object, or a daemon that does not answer", () => {
    expect(dockerProbe("volume", "v", { code: 0, stdout: "servicedb-dev-a-data\n", stderr: "" })).toEqual({ state: "present", what: "v", id: "servicedb-dev-a-data" });
    expect(dockerProbe("container", "c", { code: 1, stdout: "", stderr: "Error: No such container: x" }).state).toBe("absent");
    expect(dockerProbe("container", "c", { code: 1, stdout: "", stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." })).toMatchObject({ state: "unknown", reason: "docker container inspect failed: Cannot connect to the Docker daemon at unix:///var/run/docker.sock." });
});

test("refresh runs non-interactively, without a preview, on the given stack", () => {
    expect(refreshArgs("dev")).toEqual(["refresh", "--yes", "--non-interactive", "--skip-preview", "--stack", "dev"]);
});

test("arguments: --stack is required, unknown flags are refused", () => {
    const parseRepairArgs = (argv: string[]) => repairArgs(parseCommand(COMMANDS.repair, argv));
    expect(parseRepairArgs(["--stack", "dev", "--dry-run"])).toEqual({ stack: "dev", dryRun: true, clearForeignLocks: false });
    expect(parseRepairArgs(["--stack=prod", "--clear-foreign-locks"])).toEqual({ stack: "prod", dryRun: false, clearForeignLocks: true });
    expect(() => parseRepairArgs([])).toThrow("--stack is required (the stack to repair)");
    expect(() => parseRepairArgs(["--stack"])).toThrow("--stack needs a value");
    expect(() => parseRepairArgs(["--stack", "dev", "--force"])).toThrow("unknown option --force");
});

describe("a pending create of a ServiceCore (servicedb:core single)", () => {
    test("is dropped without a lookup: the next up runs it again and takes over what it made", async () => {
        const { probeAll } = await import("../../src/repair/probeAll");
        const pending = op("creating", "servicedb:core:ServiceCore", "orders-core");
        const withInputs = { ...pending, resource: { ...pending.resource, inputs: { database: "orders", role: "orders" } } };
        const probes = await probeAll({ resources: [], pending: [withInputs] });
        const d = decide(withInputs, probes.get(withInputs));
        expect(d.action).toBe("clear");
        expect(d.kind).toBe("core");
        expect(d.line).toMatch(/^drop {7}orders-core \(core\): core of database "orders" \(role "orders"\): pending create dropped: the next up runs it again/);
    });
});
