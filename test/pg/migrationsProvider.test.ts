/**
 * The ServiceMigrations dynamic provider's methods, called as the engine would, against a real
 * database owned by a real service role.
 */
import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { migrationsHandler as migrationsProvider } from "../../src/plugin/handlers";
import { parseMigrationFile } from "../../src/migrations/files";
import { MigrationsInputs, MigrationsOutputs, fileEntry } from "../../src/migrations/provider";
import { asAdmin } from "./scratch";

const name = `sdb_prov_${randomBytes(4).toString("hex")}`;
const url = `postgresql://${name}:irrelevant-under-trust@127.0.0.1:5432/${name}?sslmode=disable`;

function inputs(files: Record<string, string>): MigrationsInputs {
    const parsed = Object.entries(files).map(([s, sql]) => parseMigrationFile(s, sql));
    return {
        service: "orders", url, schema: "public", lockTimeoutMs: 10_000,
        files: parsed.map((f) => fileEntry(f.script, f.checksum)),
        sources: Object.fromEntries(parsed.map((f) => [f.script, f.sql])), pending: [],
    };
}

const V1 = { "V001__create_orders.sql": "CREATE TABLE orders (id bigint PRIMARY KEY);" };
const V2 = { ...V1, "V002__add_status.sql": "ALTER TABLE orders ADD COLUMN status text;" };

beforeAll(async () => {
    await asAdmin(async (c) => {
        await c.query(`CREATE ROLE ${c.escapeIdentifier(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
        await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} OWNER ${c.escapeIdentifier(name)}`);
        await c.query(`REVOKE ALL ON DATABASE ${c.escapeIdentifier(name)} FROM PUBLIC`);
    });
    // As on PostgreSQL 15+: the database owner owns schema public (pg_database_owner).
    await asAdmin((c) => c.query(`ALTER SCHEMA public OWNER TO ${c.escapeIdentifier(name)}`), name);
});
afterAll(async () => {
    await asAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(name)}`);
    });
});

test("create applies the files as the service role; diff, update and read follow", async () => {
    const created = await migrationsProvider.create(inputs(V1));
    expect(created.id).toBe("orders");
    expect((created.outs as MigrationsOutputs).applied).toEqual(["V001__create_orders.sql"]);

    const owner = await asAdmin((c) => c.query("SELECT tableowner FROM pg_tables WHERE tablename IN ('orders', 'servicedb_schema_history') ORDER BY tablename"), name);
    expect(owner.rows.map((r) => r.tableowner)).toEqual([name, name]);

    expect(await migrationsProvider.diff(created.outs, inputs(V1))).toMatchObject({ changes: false });
    expect(await migrationsProvider.diff(created.outs, inputs(V2))).toMatchObject({ changes: true, replaces: [] });

    const updated = await migrationsProvider.update(created.outs, inputs(V2));
    expect((updated as MigrationsOutputs).applied).toEqual(["V001__create_orders.sql", "V002__add_status.sql"]);

    const read = await migrationsProvider.read("orders", updated);
    expect((read.props as MigrationsOutputs).applied).toEqual(["V001__create_orders.sql", "V002__add_status.sql"]);
    expect(read.inputs.pending).toEqual([]);
    expect(await migrationsProvider.diff(read.props, inputs(V2))).toMatchObject({ changes: false });

    await migrationsProvider.delete(created.outs);
    const c = new Client({ connectionString: url });
    await c.connect();
    expect((await c.query("SELECT count(*)::int AS n FROM servicedb_schema_history")).rows[0].n).toBe(2);
    await c.end();
});

test("a refresh of a database restored from an older backup shows its pending files; the update applies each once", async () => {
    const done = await migrationsProvider.update({ ...inputs(V2), applied: [] }, inputs(V2));
    // As a restore of a backup taken before V002: the column and its history row are gone.
    await asAdmin(async (c) => {
        await c.query("ALTER TABLE orders DROP COLUMN IF EXISTS status");
        await c.query("DELETE FROM servicedb_schema_history WHERE script = 'V002__add_status.sql'");
    }, name);
    const read = await migrationsProvider.read("orders", done);
    expect(read.inputs.pending).toEqual(["V002__add_status.sql"]);
    expect(await migrationsProvider.diff(read.props, inputs(V2))).toMatchObject({ changes: true });
    const converged = await migrationsProvider.update(read.props, inputs(V2));
    expect((converged as MigrationsOutputs).pending).toEqual([]);
    const rows = await asAdmin((c) => c.query("SELECT script FROM servicedb_schema_history WHERE success ORDER BY installed_rank"), name);
    expect(rows.rows.map((r) => r.script)).toEqual(["V001__create_orders.sql", "V002__add_status.sql"]);
    expect((await migrationsProvider.read("orders", converged)).inputs.pending).toEqual([]);
});

test("a refresh of a database that no longer exists shows every file pending instead of failing", async () => {
    const gone = { ...inputs(V2), url: url.replace(`/${name}?`, `/${name}_gone?`), applied: [] };
    const read = await migrationsProvider.read("orders", gone);
    expect(read.inputs.pending).toEqual(["V001__create_orders.sql", "V002__add_status.sql"]);
});

test("a refresh waits for a slot while the admin's sessions fill the database's CONNECTION LIMIT", async () => {
    // A superuser's session is exempt from the limit's check, not from its count: with it held,
    // the service's login is refused ("too many connections", 53300) until it is released.
    await asAdmin((c) => c.query(`ALTER DATABASE ${c.escapeIdentifier(name)} CONNECTION LIMIT 1`));
    const held = new Client({ host: "127.0.0.1", port: 5432, user: "postgres", database: name });
    held.on("error", () => undefined);
    await held.connect();
    try {
        const released = new Promise((r) => setTimeout(r, 700)).then(() => held.end());
        const read = await migrationsProvider.read("orders", { ...inputs(V2), applied: [] });
        await released;
        expect((read.props as MigrationsOutputs).applied).toEqual(["V001__create_orders.sql", "V002__add_status.sql"]);
    } finally {
        await held.end().catch(() => undefined);
        await asAdmin((c) => c.query(`ALTER DATABASE ${c.escapeIdentifier(name)} CONNECTION LIMIT -1`));
    }
});

test("a failing migration fails the update with the file name, position and cause", async () => {
    const bad = { ...V2, "V003__broken.sql": "INSERT INTO nope VALUES (1);" };
    await expect(migrationsProvider.update({ ...inputs(V2), applied: [] }, inputs(bad))).rejects.toThrow(/^V003__broken\.sql: line 1, column 13: relation "nope" does not exist/);
});

test("backupDir: a backup before pending files are applied, none when nothing is pending", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-prebackup-"));
    try {
        const V3 = { ...V2, "V003__add_note.sql": "ALTER TABLE orders ADD COLUMN note text;" };
        await migrationsProvider.update({ ...inputs(V2), applied: [] }, { ...inputs(V3), backupDir: dir });
        const dumps = fs.readdirSync(dir).filter((f) => f.endsWith(".dump"));
        expect(dumps).toHaveLength(1);
        // The dump holds the database as it was before V003: no "note" column yet.
        const listing = execFileSync("pg_restore", ["--schema-only", "-f", "-", path.join(dir, dumps[0])], { encoding: "utf8" });
        expect(listing).toMatch(/CREATE TABLE public\.orders/);
        expect(listing).not.toMatch(/note text/);
        await migrationsProvider.update({ ...inputs(V3), applied: [] }, { ...inputs(V3), backupDir: dir });
        expect(fs.readdirSync(dir).filter((f) => f.endsWith(".dump"))).toHaveLength(1);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});
