import { ProgramRun, runProgram, valueOf } from "./harness";
import { CHAIN, T } from "./fixtures";
import type { ServiceConnection, ServiceSummary } from "../../components/platform";

describe("hardening options", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runProgram({
            ...CHAIN,
            "servicedb:protect": true,
            "servicedb:clusters": { prod: { host: "db.example.com", sslmode: "verify-full", sslrootcert: "/etc/ssl/rds-ca.pem" } },
            "servicedb:services": {
                reports: { cluster: "prod", readers: true, schemas: ["public", "stats"], rotation: 2 },
                scratch: { cluster: "prod", protect: false, retainOnDelete: true },
            },
        });
    });

    test("readers: a NOLOGIN <role>_reader with CONNECT, USAGE, SELECT and default privileges for later tables", () => {
        expect(run.get(T.role, "reports-reader").inputs).toMatchObject({ name: "reports_reader", login: false, superuser: false, createDatabase: false, createRole: false });
        expect(run.get(T.grant, "reports-reader-connect").inputs).toEqual({ database: "reports", role: "reports_reader", objectType: "database", privileges: ["CONNECT"] });
        expect(run.get(T.grant, "reports-reader-usage-stats").inputs).toEqual({ database: "reports", schema: "stats", role: "reports_reader", objectType: "schema", privileges: ["USAGE"] });
        expect(run.get(T.grant, "reports-reader-tables-stats").inputs).toEqual({ database: "reports", schema: "stats", role: "reports_reader", objectType: "table", privileges: ["SELECT"], objects: [] });
        expect(run.get("postgresql:index/defaultPrivileges:DefaultPrivileges", "reports-reader-default-public").inputs).toEqual({
            database: "reports", schema: "public", owner: "reports", role: "reports_reader", objectType: "table", privileges: ["SELECT"],
        });
        expect(run.ofType(T.role).map((r) => r.name).sort()).toEqual(["reports-login-b", "reports-reader", "reports-role", "scratch-login-b", "scratch-role"]);
    });

    test("the database depends on the reader role: destroy drops the database (and the reader's privileges in it) first", () => {
        expect(run.dependencyNames(run.get(T.database, "reports-db"))).toEqual(expect.arrayContaining(["reports-role", "reports-reader"]));
    });

    test("reader grants continue the database's single chain", () => {
        const usage = run.get(T.grant, "reports-reader-usage-public");
        expect(run.dependencyNames(usage)).toContain("reports-reader-connect");
        expect(run.dependencyNames(run.get(T.grant, "reports-reader-connect"))).toContain("reports-revoke-public-schema-stats");
    });

    test("each password's keeper is the rotation at which its slot was last regenerated", () => {
        expect(run.get(T.password, "reports-password").inputs.keepers).toEqual({ rotation: "2" });
        expect(run.get(T.password, "scratch-password").inputs.keepers).toEqual({ rotation: "" });
    });

    test("servicedb:protect protects role and database; a service may opt out and retain instead", () => {
        expect([run.get(T.database, "reports-db").protect, run.get(T.role, "reports-role").protect]).toEqual([true, true]);
        expect(run.get(T.grant, "reports-revoke-public-db").protect).toBe(false);
        const db = run.get(T.database, "scratch-db");
        expect([db.protect, db.retainOnDelete, run.get(T.role, "scratch-role").retainOnDelete]).toEqual([false, true, true]);
    });

    test("the CA certificate goes to the provider and into the URLs", async () => {
        expect(run.get(T.provider, "prod-provider").inputs).toMatchObject({ sslmode: "verify-full", sslrootcert: "/etc/ssl/rds-ca.pem" });
        const db = (run.exports.databases as Record<string, ServiceConnection>).reports;
        expect(await valueOf(db.url)).toMatch(/\?sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Frds-ca\.pem$/);
    });

    test("the summary names the reader role", () => {
        expect((run.exports.summary as Record<string, ServiceSummary>).reports).toEqual({
            cluster: "prod", database: "reports", role: "reports", connectionLimit: 10, schemas: ["public", "stats"], readerRole: "reports_reader",
            settings: { idle_in_transaction_session_timeout: "60000", lock_timeout: "10000", statement_timeout: "60000", work_mem: "4096" },
        });
    });
});
