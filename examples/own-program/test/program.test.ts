/**
 * The program under mocks: its own resource next to servicedb's, no postgresql provider process
 * (the default core needs none), each service one ServiceCore with its role and database, migrations for orders, URLs secret. Run by the
 * repository's `npm test` (the package resolved to its source) and, installed from the packed
 * tarball, by test/unit/pack.test.ts.
 */
import * as pulumi from "@pulumi/pulumi";

interface Created { type: string; name: string; inputs: Record<string, unknown> }
const created: Created[] = [];
let exported: Record<string, pulumi.Output<unknown>> = {};

const one = (type: string, name: string): Created => {
    const found = created.filter((c) => c.type === type && c.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} ${name}, got ${found.length}: ${created.map((c) => c.name).join(", ")}`);
    return found[0];
};
const valueOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => { resolve(v); return v; }));

beforeAll(async () => {
    await pulumi.runtime.setMocks({
        newResource: (args) => {
            created.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
            const state = args.type === "random:index/randomPassword:RandomPassword" ? { ...args.inputs, result: "pw0123456789abcdefghijklmnopqrstuvwxyzAB" } : args.inputs;
            return { id: `${args.name}-id`, state };
        },
        call: (args) => args.inputs,
    }, "own-program", "dev");
    pulumi.runtime.setAllConfig({ "own-program:dbHost": "127.0.0.1", "own-program:dbPort": "5432" });
    await jest.isolateModulesAsync(async () => { exported = (await import("../index")) as Record<string, pulumi.Output<unknown>>; });
    await new Promise((r) => setTimeout(r, 200));
});

test("the program's own resource stands next to servicedb's", () => {
    expect(one("random:index/randomPet:RandomPet", "release").inputs).toMatchObject({ length: 2 });
    expect(created.filter((c) => c.type === "servicedb:postgres:ServiceDatabase").map((c) => c.name).sort()).toEqual(["billing", "orders"]);
});

test("no postgresql provider: the default core reaches the server itself", () => {
    expect(created.filter((c) => c.type === "pulumi:providers:postgresql")).toEqual([]);
});

test("each service: its own login role with its limit and its own database, on the program's server", () => {
    const core = (name: string) => one("servicedb:core:ServiceCore", name).inputs;
    expect(core("orders-core")).toMatchObject({ role: "orders", database: "orders", connectionLimit: 20, host: "127.0.0.1", port: 5432, sslmode: "disable" });
    expect(core("billing-core")).toMatchObject({ role: "billing", database: "billing", connectionLimit: 5, extensions: ["pgcrypto"] });
});

test("orders' migrations, in order; none for billing", () => {
    const m = one("servicedb:migrations:ServiceMigrations", "orders-migrations");
    expect((m.inputs.files as string[]).map((f) => f.split(" ")[0])).toEqual(["V001__create_orders.sql", "V002__add_order_total.sql"]);
    expect(created.some((c) => c.name === "billing-migrations")).toBe(false);
});

test("the URLs are secrets and name each service's own database", async () => {
    expect(await pulumi.isSecret(exported.ordersUrl)).toBe(true);
    expect(await valueOf(exported.ordersUrl)).toMatch(/^postgresql:\/\/orders:[A-Za-z0-9]+@127\.0\.0\.1:5432\/orders\?sslmode=disable$/);
    expect(await valueOf(exported.billingDatabase)).toBe("billing");
});
