/**
 * The corpus tier: folders of real-world-shaped migration files (written for this project, in
 * the shapes found in public projects: pg_dump output with COPY data and a BOM, Flyway version
 * names, SPDX block-comment headers, rules, SQL-standard bodies, non-ASCII dollar tags, session
 * settings, an upgrade chain). Each folder is applied twice, as a plain owner role: by the runner,
 * and file by file by psql (`psql -1 -f`, or `-f` for no-transaction files), the reference.
 * `pg_dump --schema-only` and the data must be identical; a rerun applies nothing; validate and
 * info agree. Needs PostgreSQL on 127.0.0.1:5432 and psql/pg_dump on PATH.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadMigrations } from "../../src/migrations/files";
import { info, migrate, validate } from "../../src/migrations/runner";
import { Owned, ownedDatabases } from "../pg/ownedDatabase";

const FOLDERS = fs.readdirSync(__dirname).filter((d) => fs.statSync(path.join(__dirname, d)).isDirectory()).sort();
const HISTORY = ["public.servicedb_schema_history", "public.servicedb_schema_history_installed_rank_seq"];

function cli(tool: string, own: Owned, database: string, args: string[]): string {
    const c = own.config(database);
    return execFileSync(tool, ["-X", "-h", String(c.host), "-p", String(c.port), "-U", own.owner, "-d", database, ...args].filter((a) => tool === "psql" || a !== "-X"), { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Schema and data of a database, without the runner's history table. */
function dump(own: Owned, database: string): { schema: string; data: string } {
    const common = ["--no-owner", "--restrict-key=corpus", ...HISTORY.flatMap((t) => ["-T", t])];
    return {
        schema: cli("pg_dump", own, database, ["--schema-only", ...common]),
        data: cli("pg_dump", own, database, ["--data-only", ...common]),
    };
}

let own: Owned;
beforeAll(async () => { own = await ownedDatabases(FOLDERS.length * 2, "sdb_corpus"); });
afterAll(async () => { await own?.drop(); });

test("the corpus holds folders of files", () => {
    expect(FOLDERS).toEqual(["indexer-chain", "lineage", "rental"]);
});

test.each(FOLDERS.map((f, i) => [f, i] as const))("%s: the runner and psql build the same database", async (folder, i) => {
    const dir = path.join(__dirname, folder);
    const files = loadMigrations(dir);
    const [ours, theirs] = [own.databases[2 * i], own.databases[2 * i + 1]];

    const c = await own.client(ours);
    expect((await migrate(c, files)).map((a) => a.script)).toEqual(files.map((f) => f.script));
    for (const f of files) {
        cli("psql", own, theirs, ["-q", "-v", "ON_ERROR_STOP=1", ...(f.transactional ? ["-1"] : []), "-f", path.join(dir, f.script)]);
    }
    const a = dump(own, ours);
    const b = dump(own, theirs);
    expect(a.schema).toBe(b.schema);
    expect(a.data).toBe(b.data);
    expect(a.data.length).toBeGreaterThan(0);

    expect(await migrate(c, files)).toEqual([]);
    expect(await validate(c, files)).toEqual([]);
    expect((await info(c, files)).every((x) => x.state === "applied")).toBe(true);
}, 120_000);
