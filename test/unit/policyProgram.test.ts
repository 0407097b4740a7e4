/**
 * The policy pack over what this repository's program declares: every stack file, run under
 * Pulumi mocks, handed to every policy as the analyzer would (with property dependencies and
 * provider inputs), passes with the config `npm run policy-config` derives from the stack file.
 * The real-engine counterpart is test/e2e/policy.e2e.test.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { policies } from "../../policy/src/pack";
import { Fake, runAll } from "../../policy/test/fakes";
import { policyConfigOf, policyConfigOfStack } from "../../scripts/policyConfig";
import { Registration, runUnderMocks } from "../../src/mockRun";
import { loadStackConfig } from "../../src/stackFile";
import { DEFAULTS } from "../../src/spec";

interface DependencyRequest {
    getName(): string;
    getType(): string;
    getPropertydependenciesMap(): { forEach(fn: (deps: { getUrnsList(): string[] }, key: string) => void): void };
}

/** Runs index.ts under mocks for a stack file; returns its resources as the analyzer describes them. */
async function stackResources(stack: string): Promise<Fake[]> {
    const propertyDeps = new Map<string, Record<string, string[]>>();
    const { config, secretKeys } = loadStackConfig(stack);
    const run = await runUnderMocks(config, secretKeys, async () => {
        const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitor;
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: DependencyRequest, callback: Parameters<MockMonitor["registerResource"]>[1]) => {
            const deps: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((d, key) => { deps[key] = d.getUrnsList(); });
            propertyDeps.set(`${req.getType()}::${req.getName()}`, deps);
            return register(req, callback);
        };
        let exports: Record<string, unknown> = {};
        await jest.isolateModulesAsync(async () => { exports = (await import("../../index")) as Record<string, unknown>; });
        return exports;
    }, stack);
    const fakes = new Map<string, Fake>();
    const toFake = (r: Registration): Fake => {
        const cached = fakes.get(r.urn);
        if (cached) return cached;
        const provider = run.resources.find((p) => r.provider.startsWith(`${p.urn}::`));
        const deps = Object.entries(propertyDeps.get(`${r.type}::${r.name}`) ?? {}).map(([key, urns]) =>
            [key, urns.flatMap((u) => run.resources.filter((x) => x.urn === u).map(toFake))] as const);
        const fake: Fake = { type: r.type, name: r.name, props: r.inputs, provider: provider && toFake(provider), deps: Object.fromEntries(deps) };
        fakes.set(r.urn, fake);
        return fake;
    };
    return run.resources.map(toFake);
}

const runs = new Map<string, Promise<Fake[]>>();
const resourcesOf = (stack: string) => runs.get(stack) ?? runs.set(stack, stackResources(stack)).get(stack) as Promise<Fake[]>;

describe.each(["local", "dev", "staging", "prod"])("the %s stack", (stack) => {
    let resources: Fake[];
    beforeAll(async () => { resources = await resourcesOf(stack); });

    test("reaches the policies as the analyzer describes it: providers with their inputs, the password's origin", () => {
        const cores = resources.filter((r) => r.type === "servicedb:core:ServiceCore");
        if ((loadStackConfig(stack).config["servicedb:core"] ?? DEFAULTS.core) === "single") {
            // One ServiceCore per service, with the server's address the policies group it by.
            expect(cores.length).toBe(Object.keys(loadStackConfig(stack).config["servicedb:services"] as object).length);
            for (const c of cores) expect(c.props).toMatchObject({ host: expect.any(String), port: expect.any(Number), connectionLimit: expect.any(Number) });
            return;
        }
        expect(cores).toEqual([]);
        const roles = resources.filter((r) => r.type === "postgresql:index/role:Role" && r.props.login === true);
        expect(roles.length).toBeGreaterThan(0);
        for (const r of roles) {
            expect(r.provider?.type).toBe("pulumi:providers:postgresql");
            expect(r.provider?.props.port).toMatch(/^\d+$/);
            expect(r.deps?.password?.map((d) => d.type)).toEqual(["random:index/randomPassword:RandomPassword"]);
        }
    });

    test("passes every policy of the pack", async () => {
        const { config, problems } = policyConfigOfStack(stack);
        expect(problems).toEqual([]);
        expect(await runAll(policies, resources, config)).toEqual([]);
    });
});

test("the budget needs the stack's numbers: prod without its policy config is over the default 100", async () => {
    const found = await runAll(policies, await resourcesOf("prod"));
    expect(found).toEqual([expect.stringMatching(/^\[postgresql-connection-budget\] \S+: server platform-db\.cluster-abc123\.eu-west-1\.rds\.amazonaws\.com:5432/)]);
    expect(found[0]).toContain("plus 10 reserved come to 250, over max_connections 100");
});

test("policyConfigOf: clusters by host:port, containers on loopback at their port", () => {
    const spec = {
        clusters: [{ name: "main", host: "db.internal", port: 6432, maxConnections: 200, reservedConnections: 20 }],
        containers: [{ name: "k", port: 5433, maxConnections: 100, reservedConnections: 10 }],
    } as unknown as Parameters<typeof policyConfigOf>[0];
    expect(policyConfigOf(spec)).toEqual({ "postgresql-connection-budget": { servers: {
        "db.internal:6432": { maxConnections: 200, reservedConnections: 20 },
        "127.0.0.1:5433": { maxConnections: 100, reservedConnections: 10 },
    } } });
});
