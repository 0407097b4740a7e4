/**
 * src/inventory.ts lists, from the spec alone, what the program registers: held equal here to
 * the registrations of the real program under mocks, type and name, for every stack file and for
 * generated platforms that exercise every branch (readers, managed servers, schemas, extensions,
 * migrations, containers, container and external poolers).
 */
import { platformInventory } from "../../src/inventory";
import { loadStackConfig, stackNames, stackSpec } from "../../src/stackFile";
import { runProgram, StackConfig } from "./harness";
import { CHAIN, FIVE_SERVICES, LOCAL_CLUSTER } from "./fixtures";

const key = (r: { type: string; name: string }) => `${r.type} ${r.name}`;

function inventoryOf(config: StackConfig, secretKeys: readonly string[], stack: string): string[] {
    const { spec, problems } = stackSpec(stack, { config, secretKeys: [...secretKeys] });
    expect(problems).toEqual([]);
    return platformInventory(spec, stack).map(key).sort();
}

async function registered(config: StackConfig, secretKeys: readonly string[] = []): Promise<string[]> {
    return (await runProgram(config, secretKeys)).resources.map(key).sort();
}

test.each(stackNames())("stack file %s: the inventory is what the program registers", async (stack) => {
    const { config, secretKeys } = loadStackConfig(stack);
    // The harness runs as stack "test"; only the Docker network's name carries the stack's.
    expect(inventoryOf(config, secretKeys, "test")).toEqual(await registered(config, secretKeys));
});

/** n services over a managed cluster, a superuser cluster and containers, every option mixed in. */
function generated(n: number): StackConfig {
    const services: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
        const opts = {
            ...(i % 3 === 0 ? { readers: true, schemas: ["public", `s${i}`] } : {}),
            ...(i % 4 === 1 ? { extensions: ["pgcrypto", "citext"] } : {}),
            ...(i % 5 === 2 ? { schemas: ["app"] } : {}),
        };
        if (i % 6 === 5) services[`svc-${i}`] = { container: { port: 5600 + i, image: "postgres:16", ...(i % 12 === 5 ? { pooler: { image: "pgbouncer:1" } } : {}) }, ...opts };
        else services[`svc-${i}`] = { cluster: i % 2 === 0 ? "managed" : "main", connectionLimit: 2, ...opts };
    }
    return {
        "servicedb:clusters": {
            main: { ...LOCAL_CLUSTER, maxConnections: 500, pooler: { maxClientConnections: 200 } },
            managed: { host: "db.example.internal", sslmode: "require", superuser: false, maxConnections: 500, pooler: { external: true, host: "pgb.example.internal", clientTls: true } },
        },
        "servicedb:services": services,
    };
}

test.each([1, 7, 24])("a generated platform of %i services: the inventory is what the program registers", async (n) => {
    const config = generated(n);
    expect(inventoryOf(config, [], "test")).toEqual(await registered(config));
});

test.each([1, 13])("a generated platform of %i services with core single: the inventory is what the program registers", async (n) => {
    const config = { ...generated(n), "servicedb:core": "single" };
    const inv = inventoryOf(config, [], "test");
    expect(inv).toEqual(await registered(config));
    // Only the containers' admin passwords stay RandomPasswords; services have none, nor postgresql resources.
    expect(inv.filter((k) => k.startsWith("postgresql:index") || /^random:\S+ svc-\d+-password/.test(k))).toEqual([]);
});

test("the five-services scenario on the resource chain: 5 components, 10 passwords, 10 logins, and one provider", async () => {
    const config = { ...FIVE_SERVICES, ...CHAIN };
    const inv = inventoryOf(config, [], "test");
    expect(inv).toEqual(await registered(config));
    const count = (type: string) => inv.filter((k) => k.startsWith(`${type} `)).length;
    expect(count("servicedb:postgres:ServiceDatabase")).toBe(5);
    expect(count("random:index/randomPassword:RandomPassword")).toBe(10);
    expect(count("postgresql:index/role:Role")).toBe(10);
    expect(count("pulumi:providers:postgresql")).toBe(1);
});
