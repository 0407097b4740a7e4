import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { runProgram } from "./harness";
import { ROOT, loadStackConfig, stackNames } from "../../src/stackFile";
import { findProblems } from "../../src/plan";
import { formatProblem } from "../../src/problems";
import { DEFAULTS } from "../../src/spec";

describe("Pulumi.yaml", () => {
    const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;

    test("is the servicedb nodejs project with a local file backend by default", () => {
        expect(project.name).toBe("servicedb");
        expect((project.runtime as { name: string }).name).toBe("nodejs");
        expect(project.backend).toEqual({ url: "file://./.pulumi-state" });
    });

    test("disables the default postgresql and docker providers", () => {
        const config = project.config as Record<string, { value: string[] }>;
        expect(config["pulumi:disable-default-providers"].value).toEqual(expect.arrayContaining(["postgresql", "docker"]));
    });
});

describe.each(stackNames())("stack %s", (stack) => {
    test("passes validation", () => {
        const { config, secretKeys } = loadStackConfig(stack);
        const { problems } = findProblems({
            clusters: config["servicedb:clusters"],
            services: config["servicedb:services"],
            clustersAreSecret: secretKeys.includes("servicedb:clusters"),
        });
        expect(problems.map(formatProblem)).toEqual([]);
    });

    test("runs under mocks and declares a database per service", async () => {
        const { config, secretKeys } = loadStackConfig(stack);
        const run = await runProgram(config, secretKeys);
        const services = Object.keys(config["servicedb:services"] as object);
        // A postgresql.Database each, or a ServiceCore each with `servicedb:core: single`.
        // (or a CloudNativePG Database each, on a cluster servicedb declares).
        const type = config["servicedb:clusters"] && JSON.stringify(config["servicedb:clusters"]).includes('"cnpg"') ? "kubernetes:postgresql.cnpg.io/v1:Database"
            : (config["servicedb:core"] ?? DEFAULTS.core) === "single" ? "servicedb:core:ServiceCore" : "postgresql:index/database:Database";
        expect(run.ofType(type)).toHaveLength(services.length);
        expect(Object.keys(run.exports.databases as object).sort()).toEqual([...services].sort());
    });
});

test("the stacks the README promises exist", () => {
    expect(stackNames()).toEqual(expect.arrayContaining(["dev", "local", "prod"]));
});
