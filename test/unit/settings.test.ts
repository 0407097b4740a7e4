/**
 * Each setting is declared once (src/settings/): the parser, the shapes, the docs' tables and
 * the cross-language arguments follow from the declarations. These tests hold that together.
 */
import * as fs from "fs";
import * as path from "path";
import { findProblems } from "../../src/plan";
import { GENERATED_DOCS, TABLES, providerSettingsSource, withTables } from "../../src/settings/reference";
import { PLACEMENT_SETTINGS } from "../../src/settings/placement";
import { POOLER_SETTINGS } from "../../src/settings/pooler";
import { CLUSTER_SETTINGS, CONTAINER_SETTINGS } from "../../src/settings/server";
import { SERVICE_SETTINGS } from "../../src/settings/service";
import type { Declaration, WireType } from "../../src/settings/setting";

const ROOT = path.resolve(__dirname, "../..");

/** A value of the wrong type for a setting of `wire`. */
function wrongValue(wire: WireType): unknown {
    if (typeof wire !== "string") return 42;
    return { string: 42, integer: "many", boolean: "maybe", "string[]": "a" }[wire];
}

/** The problems of a platform of one cluster `main` and one service `orders`, with `patch` applied. */
function problemsOf(patch: { cluster?: Record<string, unknown>; service?: Record<string, unknown> }): string[] {
    const { problems } = findProblems({
        clusters: { main: { host: "127.0.0.1", ...patch.cluster } }, clustersAreSecret: true,
        services: { orders: { cluster: "main", ...patch.service } },
    });
    return problems.map((p) => `${p.subject} ${p.field}: ${p.problem}`);
}

describe("generated from the declarations", () => {
    test("docs' reference tables are current (run npm run gen:settings after changing src/settings/)", () => {
        for (const doc of GENERATED_DOCS) {
            const page = fs.readFileSync(path.join(ROOT, doc), "utf8");
            expect(withTables(page)).toBe(page);
        }
        const all = GENERATED_DOCS.map((d) => fs.readFileSync(path.join(ROOT, d), "utf8")).join("\n");
        for (const name of Object.keys(TABLES)) expect(all).toContain(`<!-- BEGIN settings:${name} `);
    });

    test("provider/settings.ts is current (run npm run gen:settings)", () => {
        expect(fs.readFileSync(path.join(ROOT, "provider", "settings.ts"), "utf8")).toBe(providerSettingsSource());
    });

    test("every setting has a one-line meaning and a default", () => {
        const decls: Declaration<never>[] = [SERVICE_SETTINGS, PLACEMENT_SETTINGS, CLUSTER_SETTINGS, CONTAINER_SETTINGS, POOLER_SETTINGS];
        for (const d of decls) {
            for (const [k, s] of Object.entries(d)) {
                expect({ k, ok: s.doc.length > 10 && !s.doc.includes("\n") && s.defaultDoc.length > 0 }).toEqual({ k, ok: true });
            }
        }
    });
});

describe("the parser is the declarations'", () => {
    test("a service: every declared field is read, the default applied, a wrong type named with its field", () => {
        const { spec } = findProblems({ clusters: { main: { host: "127.0.0.1" } }, clustersAreSecret: true, services: { orders: { cluster: "main" } } });
        const service = spec.services[0] as unknown as Record<string, unknown>;
        for (const k of Object.keys(SERVICE_SETTINGS)) expect(k in service).toBe(true);
        for (const [k, s] of Object.entries(SERVICE_SETTINGS)) {
            expect(problemsOf({ service: { [k]: wrongValue(s.wire) } }).some((p) => p.startsWith(`service "orders" ${k}: `))).toBe(true);
        }
    });

    test("a cluster: the same, and a key it does not declare is refused with a suggestion", () => {
        for (const [k, s] of Object.entries(CLUSTER_SETTINGS)) {
            if (k === "pooler") continue; // a number is not a map: reported as such, below
            expect(problemsOf({ cluster: { [k]: wrongValue(s.wire) } }).some((p) => p.startsWith(`cluster "main" ${k}: `))).toBe(true);
        }
        expect(problemsOf({ cluster: { pooler: 42 } })).toEqual([`cluster "main" pooler: must be a map of settings (or true), got 42`]);
        expect(problemsOf({ cluster: { maxconnections: 5 } })).toEqual([`cluster "main" maxconnections: is not a known field`]);
        expect(problemsOf({ service: { conectionLimit: 5 } })).toEqual([`service "orders" conectionLimit: is not a known field`]);
    });

    test("nested maps (container, pooler) are read by their declarations too", () => {
        for (const [k, s] of Object.entries(CONTAINER_SETTINGS)) {
            if (k === "pooler") continue;
            const problems = findProblems({ clusters: {}, clustersAreSecret: true, services: { orders: { container: { [k]: wrongValue(s.wire) } } } }).problems;
            expect(problems.some((p) => p.field === `container.${k}`)).toBe(true);
        }
        for (const [k, s] of Object.entries(POOLER_SETTINGS)) {
            expect(problemsOf({ cluster: { pooler: { external: true, host: "pgb", [k]: wrongValue(s.wire) } } }).some((p) => p.startsWith(`cluster "main" pooler.${k}: `))).toBe(true);
        }
    });
});
