import * as fs from "fs";
import * as path from "path";
import { assignTables, globToRegExp } from "../../src/split/assign";
import { Catalog, Table } from "../../src/split/catalog";
import { mentions } from "../../src/split/catalogRead";
import { copyOrder } from "../../src/split/copy";
import { createTable, serviceDdl } from "../../src/split/ddl";
import { describe as describeEvent, etaSeconds, formatBytes, plainEmitter } from "../../src/split/events";
import { PlanError, parsePlan, sourceUrl } from "../../src/split/planFile";
import { COMMANDS } from "../../src/cli/commands";
import { parseCommand } from "../../src/cli/parse";
import { splitArgs } from "../../src/split/cli";
import { ROOT } from "../../src/stackFile";

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

function table(name: string, extra: Partial<Table> = {}): Table {
    const [schema, t] = name.split(".");
    return { name, schema, table: t, owner: "app", rowEstimate: 10, bytes: 8192, primaryKey: ["id"], columns: [{ name: "id", type: "bigint", userType: false, notNull: true, identity: "" }], ...extra };
}

const catalog: Catalog = {
    tables: [table("public.samples"), table("public.sample_files"), table("public.ai_models"), table("public.ai_predictions"), table("audit.events"), table("public.schema_migrations")],
    constraints: [
        { table: "public.sample_files", name: "sample_files_sample_id_fkey", kind: "f", definition: "FOREIGN KEY (sample_id) REFERENCES public.samples(id)", references: "public.samples" },
        { table: "public.ai_predictions", name: "ai_predictions_sample_id_fkey", kind: "f", definition: "FOREIGN KEY (sample_id) REFERENCES public.samples(id)", references: "public.samples" },
        { table: "public.samples", name: "samples_pkey", kind: "p", definition: "PRIMARY KEY (id)" },
    ],
    indexes: [{ table: "public.sample_files", name: "sample_files_by_sample", definition: "CREATE INDEX sample_files_by_sample ON public.sample_files USING btree (sample_id)" }],
    sequences: [{ name: "public.samples_id_seq", options: "AS bigint INCREMENT 1", ownedBy: { table: "public.samples", column: "id", identity: false }, usedBy: ["public.samples"], lastValue: "2000" }],
    dependents: [{ kind: "view", name: "public.recent", dependsOn: ["public.ai_predictions", "public.samples"] }],
};

const PLAN = `
source: { urlEnv: MONOLITH_DATABASE_URL }
services:
  samples: { tables: [samples, sample_files] }
  ai: { patterns: ["ai_*"] }
  audit: { schemas: [audit] }
leave: [schema_migrations]
dropForeignKeys: [public.ai_predictions.ai_predictions_sample_id_fkey]
`;
const STACK = ["samples", "ai", "audit"];

describe("plan file", () => {
    test("parses claims, qualifies bare names, and never holds a URL", () => {
        const p = parsePlan(PLAN, "split/x.yaml");
        expect(p.name).toBe("x");
        expect(p.services[0].tables).toEqual(["public.samples", "public.sample_files"]);
        expect(p.leave).toEqual(["public.schema_migrations"]);
        expect(sourceUrl(p, { MONOLITH_DATABASE_URL: "postgresql://a@h/db\n" }, () => "")).toBe("postgresql://a@h/db");
        expect(() => sourceUrl(p, {}, () => "")).toThrow("reads the source URL from $MONOLITH_DATABASE_URL, which is not set");
    });

    test("a URL in the file, an unknown field and an empty service are refused with the fix", () => {
        const bad = "source: { url: 'postgresql://u:hunter2@h/db' }\nservices:\n  samples: { tabels: [a] }\n";
        let err: PlanError | undefined;
        try { parsePlan(bad, "split/bad.yaml"); } catch (e) { err = e as PlanError; }
        const text = err?.message ?? "";
        expect(text).toContain('field "url": holds a URL, and with it a password, in the repository');
        expect(text).toContain('field "tabels": is not a known field. Fix: rename it to "tables"');
        expect(text).toContain('service "samples", field "tables": claims no table');
        expect(text).not.toContain("hunter2");
        expect(text.match(/field "url"/g)).toHaveLength(1);
    });

    test("every plan in split/ parses", () => {
        const dir = path.join(ROOT, "split");
        for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".yaml"))) expect(() => parsePlan(fs.readFileSync(path.join(dir, f), "utf8"), f)).not.toThrow();
    });
});

describe("assignment", () => {
    test("each table goes to one service; the confirmed crossing key is dropped; dependent views are warned about", () => {
        const a = assignTables(parsePlan(PLAN, "p.yaml"), catalog, STACK);
        expect(a.problems).toEqual([]);
        expect(a.services.map((s) => [s.service, s.tables.map((t) => t.name)])).toEqual([
            ["samples", ["public.samples", "public.sample_files"]], ["ai", ["public.ai_models", "public.ai_predictions"]], ["audit", ["audit.events"]]]);
        expect(a.droppedForeignKeys.map((c) => c.name)).toEqual(["ai_predictions_sample_id_fkey"]);
        expect(a.warnings[0].subject).toBe("view public.recent");
        expect(a.warnings[0].problem).toContain("public.ai_predictions (ai), public.samples (samples)");
    });

    test("claimed twice, unclaimed, unknown names, an unconfirmed crossing key and a service the stack lacks are all reported", () => {
        const plan = parsePlan(PLAN.replace("tables: [samples, sample_files]", "tables: [samples, sample_files, ai_models, nope]").replace(/dropForeignKeys.*/, "").replace("leave: [schema_migrations]", ""), "p.yaml");
        const texts = assignTables(plan, catalog, ["samples", "ai"]).problems.map((p) => `${p.subject} ${p.problem}`);
        expect(texts).toEqual(expect.arrayContaining([
            'service "audit" is in the plan but not in the stack\'s outputs',
            'service "samples" claims public.nope, which matches no table of the source',
            "table public.ai_models is claimed by 2 services: samples (tables: public.ai_models) and ai (patterns: public.ai_*)",
            "table public.schema_migrations is claimed by no service",
            "foreign key public.ai_predictions.ai_predictions_sample_id_fkey FOREIGN KEY (sample_id) REFERENCES public.samples(id) links public.ai_predictions (service ai) to public.samples (service samples); no database can enforce it after the split",
        ]));
        expect(texts).toHaveLength(5);
    });

    test("a sequence feeding two services' tables is a problem", () => {
        const shared = { ...catalog, sequences: [{ ...catalog.sequences[0], usedBy: ["public.samples", "audit.events"] }] };
        const p = assignTables(parsePlan(PLAN, "p.yaml"), shared, STACK).problems;
        expect(p.map((x) => x.subject)).toEqual(["sequence public.samples_id_seq"]);
    });

    test("globs match schema.table", () => {
        expect(globToRegExp("public.ai_*").test("public.ai_models")).toBe(true);
        expect(globToRegExp("public.ai_*").test("public.aix")).toBe(false);
    });
});

describe("DDL and order", () => {
    test("tables keep types, identity, defaults and NOT NULL; keys and indexes come after the data", () => {
        const t = table("public.t", { columns: [
            { name: "id", type: "bigint", userType: false, notNull: true, identity: "d" },
            { name: "n", type: "integer", userType: false, notNull: false, identity: "", default: "nextval('public.n_seq'::regclass)" },
            { name: "Up", type: "text", userType: false, notNull: false, identity: "", generated: "upper(n::text)" },
        ] });
        expect(createTable(t, quote)).toBe('CREATE TABLE IF NOT EXISTS "public"."t" (\n    "id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n    "n" integer DEFAULT nextval(\'public.n_seq\'::regclass),\n    "Up" text GENERATED ALWAYS AS (upper(n::text)) STORED\n)');
        const a = assignTables(parsePlan(PLAN, "p.yaml"), catalog, STACK);
        const ddl = serviceDdl(a.services[0], catalog, quote);
        expect(ddl.preData[0]).toBe('CREATE SCHEMA IF NOT EXISTS "public"');
        expect(ddl.preData).toContain('CREATE SEQUENCE IF NOT EXISTS "public"."samples_id_seq" AS bigint INCREMENT 1');
        expect(ddl.postData.map((s) => s.name)).toEqual(["samples_pkey", "sample_files_by_sample", "sample_files_sample_id_fkey"]);
        expect(serviceDdl(a.services[1], catalog, quote).postData).toEqual([]); // the crossing key is not created
        expect(ddl.sequences).toEqual([{ sequence: "public.samples_id_seq", table: "public.samples", column: "id", sourceLastValue: "2000" }]);
    });

    test("parents are copied before their children", () => {
        const tables = [table("public.sample_files"), table("public.samples")];
        expect(copyOrder(tables, catalog.constraints).map((t) => t.name)).toEqual(["public.samples", "public.sample_files"]);
    });

    test("a function body that names a table depends on it", () => {
        expect(mentions("select count(*) from public.samples", table("public.samples"))).toBe(true);
        expect(mentions("select * from samples_archive", table("public.samples"))).toBe(false);
    });
});

describe("progress and arguments", () => {
    test("figures people read", () => {
        expect(formatBytes(1_234_567)).toBe("1.23 MB");
        expect(etaSeconds(250, 0, 10, 1000, 0)).toBe(30);
        expect(etaSeconds(0, 0, 10, 0, 0)).toBeNull();
        expect(describeEvent({ event: "progress", service: "audit", table: "audit.events", rows: 1500, bytes: 2_000_000, bytesPerSecond: 1_000_000, rowsPerSecond: 750, etaSeconds: 75 }))
            .toBe("audit: audit.events 1,500 rows 2.00 MB 1.00 MB/s ETA 1m15s");
    });

    test("plain output writes progress at most once per interval", () => {
        const lines: string[] = [];
        let now = 0;
        const emit = plainEmitter((l) => lines.push(l), 10_000, () => now);
        const p = { event: "progress", service: "s", table: "t", rows: 1, bytes: 1, bytesPerSecond: 1, rowsPerSecond: 1, etaSeconds: null } as const;
        emit({ event: "table-start", service: "s", table: "t", estimatedRows: 1, estimatedBytes: 1 });
        emit(p);
        now = 10_001;
        emit(p);
        emit(p);
        expect(lines).toHaveLength(2);
    });

    test("usage errors name the flag", () => {
        const parseSplitArgs = (argv: string[]) => splitArgs(parseCommand(COMMANDS.split, argv));
        expect(() => parseSplitArgs(["copy", "--plan", "p.yaml"])).toThrow("give exactly one of --stack <name> or --outputs <file>");
        expect(() => parseSplitArgs(["move"])).toThrow('unknown command "move"');
        expect(parseSplitArgs(["verify", "--plan=p.yaml", "--stack", "monolith", "--json"]).json).toBe(true);
    });
});
