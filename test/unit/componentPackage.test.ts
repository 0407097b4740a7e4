/**
 * The component package (provider/): the schema the Node.js component provider host infers is
 * plain enough for other languages, and the wrappers validate and declare as the package does.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental/provider";
import { Platform, ServiceDatabase } from "../../provider/components";
import { outputPaths, requirePlain } from "../../provider/plain";
import { runUnderMocks } from "../../src/mockRun";
import { valueOf } from "./harness";
import { POOLER_SETTINGS } from "../../src/settings/pooler";
import { CLUSTER_SETTINGS, CONTAINER_SETTINGS } from "../../src/settings/server";
import { SERVICE_SETTINGS } from "../../src/settings/service";

/** The value, or a failed test when it is missing. */
function must<T>(v: T | undefined): T {
    if (v === undefined) throw new Error("expected a value");
    return v;
}

const ROOT = path.resolve(__dirname, "../..");

interface Property { type?: string; $ref?: string; plain?: boolean; items?: Property; additionalProperties?: Property }
interface Schema {
    name: string; version: string;
    resources: Record<string, { isComponent: boolean; inputProperties: Record<string, Property>; requiredInputs: string[]; properties: Record<string, Property> }>;
    types: Record<string, { properties: Record<string, Property> }>;
}

describe("the schema other languages get", () => {
    let schema: Schema;
    beforeAll(async () => {
        const provider = new ComponentProvider({ components: [ServiceDatabase, Platform], name: "servicedb", dirname: path.join(ROOT, "provider") });
        schema = JSON.parse(await provider.getSchema()) as Schema;
    }, 60_000);

    test("two components, servicedb:index:*, the version of the package", () => {
        expect(Object.keys(schema.resources).sort()).toEqual(["servicedb:index:Platform", "servicedb:index:ServiceDatabase"]);
        for (const r of Object.values(schema.resources)) expect(r.isComponent).toBe(true);
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
        expect(schema.version).toBe(pkg.version);
    });

    test("every property has a concrete type (no Any), and only the admin passwords may be outputs", () => {
        const all: [string, Property][] = [];
        for (const [n, r] of Object.entries(schema.resources)) {
            for (const [k, p] of Object.entries(r.inputProperties)) all.push([`${n}.${k}`, p]);
            for (const [k, p] of Object.entries(r.properties)) all.push([`${n}.${k} (output)`, p]);
        }
        for (const [n, t] of Object.entries(schema.types)) for (const [k, p] of Object.entries(t.properties)) all.push([`${n}.${k}`, p]);
        for (const [where, p] of all) expect({ where, any: JSON.stringify(p).includes("pulumi.json#/Any") }).toEqual({ where, any: false });
        const inputs = Object.entries(schema.resources).flatMap(([n, r]) => Object.entries(r.inputProperties).map(([k, p]) => [`${n}.${k}`, p] as const));
        const notPlain = inputs.filter(([, p]) => !p.plain).map(([k]) => k).sort();
        expect(notPlain).toEqual(["servicedb:index:Platform.adminPasswords", "servicedb:index:ServiceDatabase.adminPassword"]);
    });

    test("the ServiceDatabase and Platform services of other languages take every declared setting (src/settings/), nothing more", () => {
        const db = schema.resources["servicedb:index:ServiceDatabase"];
        const declared = Object.keys(SERVICE_SETTINGS);
        expect(Object.keys(db.inputProperties).sort()).toEqual([...declared, "adminPassword", "container", "server"].sort());
        expect(Object.keys(schema.types["servicedb:index:Service"].properties).sort()).toEqual([...declared, "cluster", "container"].sort());
        const secret = Object.entries(CLUSTER_SETTINGS).filter(([, x]) => x.secret === true).map(([k]) => k);
        expect(Object.keys(schema.types["servicedb:index:Server"].properties).sort()).toEqual(Object.keys(CLUSTER_SETTINGS).filter((k) => !secret.includes(k)).sort());
        expect(Object.keys(schema.types["servicedb:index:Container"].properties).sort()).toEqual(Object.keys(CONTAINER_SETTINGS).sort());
        expect(Object.keys(schema.types["servicedb:index:Pooler"].properties).sort()).toEqual(Object.keys(POOLER_SETTINGS).sort());
        expect(db.inputProperties.extensions).toMatchObject({ type: "array", items: { type: "string" } });
        expect(db.inputProperties.server.$ref).toBe("#/types/servicedb:index:Server");
        expect(Object.keys(db.properties).sort()).toEqual(["database", "host", "password", "port", "url", "username"]);
        expect(schema.resources["servicedb:index:Platform"].requiredInputs).toEqual(["services"]);
        // Platform.databases: the consumer's entry (src of truth: consumer/index.ts) and its cluster.
        expect(Object.keys(schema.types["servicedb:index:Connection"].properties).sort())
            .toEqual(["cluster", "database", "host", "password", "pooledUrl", "port", "reads", "url", "username"]);
    });
});

describe("the wrappers", () => {
    test("an Output where a plain value decides resources: refused with the field named", () => {
        expect(outputPaths({ a: 1, b: { c: pulumi.output("x") }, d: [pulumi.output(2)] })).toEqual(["b.c", "d[0]"]);
        expect(() => requirePlain('service "orders"', { connectionLimit: pulumi.output(5), adminPassword: pulumi.output("pw") }, ["adminPassword"]))
            .toThrow(/service "orders", field "connectionLimit": is an output of another resource/);
    });

    test("ServiceDatabase: servicedb:index:ServiceDatabase around the package's component; url secret", async () => {
        let url: pulumi.Output<string> | undefined;
        const run = await runUnderMocks({}, [], async () => {
            url = new ServiceDatabase("orders", { container: { port: 5544 }, connectionLimit: 5, settings: { workMem: "8MB" } }).url;
            return {};
        }, "dev");
        const outer = run.get("servicedb:index:ServiceDatabase", "orders");
        expect(run.get("servicedb:postgres:ServiceDatabase", "orders").parent).toBe(outer.urn);
        expect(await pulumi.isSecret(must(url))).toBe(true);
        // The default core, as from TypeScript: one ServiceCore on the container's servicedb provider.
        const core = run.get("servicedb:core:ServiceCore", "orders-core");
        // Every guardrail, work_mem included (no longer left to the server for other languages).
        expect(core.inputs).toMatchObject({ connectionLimit: 5, parameters: { work_mem: "8192" } });
        expect(core.provider).toContain("pulumi:providers:servicedb::orders-container-servicedb::");
    });

    test("Platform: the stack config's shapes; admin passwords per cluster reach the services' cores as secrets; databases secret", async () => {
        let databases: pulumi.Output<Record<string, { url: string; database: string }>> | undefined;
        const run = await runUnderMocks({}, [], async () => {
            databases = new Platform("platform", {
                clusters: { main: { host: "127.0.0.1", maxConnections: 40 } },
                adminPasswords: pulumi.secret({ main: "admin-pw" }),
                services: { orders: { cluster: "main", connectionLimit: 20 }, search: { cluster: "main" } },
            }).databases;
            return {};
        }, "dev");
        expect(run.get("servicedb:platform:Platform", "platform").parent).toBe(run.get("servicedb:index:Platform", "platform").urn);
        for (const svc of ["orders", "search"]) expect(run.get("servicedb:core:ServiceCore", `${svc}-core`).secretInputs).toContain("adminPassword");
        expect(await pulumi.isSecret(must(databases))).toBe(true);
        expect(Object.keys(await valueOf(must(databases))).sort()).toEqual(["orders", "search"]);
    });
});
