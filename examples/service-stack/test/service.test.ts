/**
 * The consumer stack under mocks: the StackReference returns what a servicedb platform stack
 * exports, and the tests check values, secrecy, and the error for an unknown service.
 */
import * as pulumi from "@pulumi/pulumi";

const DATABASES = {
    orders: { cluster: "main", host: "127.0.0.1", port: 5433, database: "orders", username: "orders", password: "s3cr3t-from-platform", url: "postgresql://orders:s3cr3t-from-platform@127.0.0.1:5433/orders?sslmode=disable" },
    payments: {
        cluster: "main", host: "127.0.0.1", port: 5433, database: "payments", username: "payments", password: "other", url: "postgresql://payments:other@127.0.0.1:5433/payments?sslmode=disable",
        reads: { orders: { url: "postgresql://payments:other@127.0.0.1:5433/orders?sslmode=disable" } },
    },
};

const created: Record<string, Record<string, unknown>> = {};

async function setup(service: string): Promise<void> {
    await pulumi.runtime.setMocks({
        newResource: (args) => {
            created[`${args.type}::${args.name}`] = args.inputs as Record<string, unknown>;
            if (args.type === "pulumi:pulumi:StackReference") {
                return { id: args.inputs.name as string, state: { ...args.inputs, outputs: { databases: DATABASES }, secretOutputNames: ["databases"] } };
            }
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
    }, "orders-service", "dev");
    pulumi.runtime.setAllConfig({
        "orders-service:platformStack": "organization/servicedb/dev",
        "orders-service:service": service,
        "orders-service:image": "ghcr.io/acme/orders:1.42.0",
    });
}

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => { resolve(v); return v; }));

describe("a consumer of the platform stack", () => {
    let program: Record<string, pulumi.Output<unknown>>;
    beforeAll(async () => {
        await setup("orders");
        await jest.isolateModulesAsync(async () => { program = await import("../index"); });
    });

    test("reads its service's connection details through a StackReference", async () => {
        const { serviceDatabase } = await import("../../../consumer");
        const db = serviceDatabase(new pulumi.StackReference("platform", { name: "organization/servicedb/dev" }), "orders");
        expect(await value(db.host)).toBe("127.0.0.1");
        expect(await value(db.port)).toBe(5433);
        expect(await value(db.url)).toBe(DATABASES.orders.url);
        expect(await pulumi.isSecret(db.password)).toBe(true);
        expect(await pulumi.isSecret(db.url)).toBe(true);
        expect(await pulumi.isSecret(db.host)).toBe(false);
        expect(await pulumi.isSecret(db.username)).toBe(false);
    });

    test("a read service's URL: db.reads.<service>.url, secret; one it does not read fails naming the fix", async () => {
        const { serviceDatabase } = await import("../../../consumer");
        const db = serviceDatabase(new pulumi.StackReference("platform-reads", { name: "organization/servicedb/dev" }), "payments");
        expect(await value(db.reads.orders.url)).toBe(DATABASES.payments.reads.orders.url);
        expect(await pulumi.isSecret(db.reads.orders.url)).toBe(true);
        const { readOf } = await import("../../../consumer");
        expect(() => readOf(DATABASES.payments, "payments", "users"))
            .toThrow(`servicedb: service "payments" does not read "users" (it reads orders). Add "users" to servicedb:services.payments.reads of the platform stack.`);
    });

    test("the container gets DATABASE_URL and the PG* variables, as a secret", async () => {
        await new Promise((r) => setTimeout(r, 50));
        const envs = created["docker:index/container:Container::orders"].envs as unknown[];
        expect(JSON.stringify(envs)).toContain("DATABASE_URL=postgresql://orders:s3cr3t-from-platform@127.0.0.1:5433/orders?sslmode=disable");
        expect(JSON.stringify(envs)).toContain("PGPASSWORD=s3cr3t-from-platform");
        expect(created["pulumi:pulumi:StackReference::servicedb-organization-servicedb-dev"]).toEqual({ name: "organization/servicedb/dev" });
    });

    test("exports keep secrets secret", async () => {
        expect(await pulumi.isSecret(program.secretManifest)).toBe(true);
        expect(JSON.parse(await value(program.secretManifest as pulumi.Output<string>))).toMatchObject({ kind: "Secret", stringData: { PGUSER: "orders" } });
        expect(await pulumi.isSecret(program.databaseHost)).toBe(false);
    });
});

describe("an unknown service", () => {
    test("fails the deployment with a message that names the stack, the service and what exists", async () => {
        await setup("billing");
        const { connectionEntry } = await import("../../../consumer");
        const entry = connectionEntry(new pulumi.StackReference("platform2", { name: "organization/servicedb/dev" }), "billing");
        // The engine awaits an Output through these promises; each rejects with the helper's error.
        const internals = entry as unknown as { promise(): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean>; allResources?: () => Promise<unknown> };
        void internals.isKnown.catch(() => undefined);
        void internals.isSecret.catch(() => undefined);
        void internals.allResources?.().catch(() => undefined);
        const settled = await internals.promise().then(() => "resolved", (e: Error) => e.message);
        expect(settled).toBe(
            `servicedb: stack organization/servicedb/dev has no database for service "billing"; it has: orders, payments. Add "billing" to servicedb:services of that stack, or fix the service name here.`);
    });

    test("connectionProblem covers a stack that is no platform stack", async () => {
        const { connectionProblem } = await import("../../../consumer");
        expect(connectionProblem("a/b/c", "orders", undefined)).toBe(`servicedb: stack a/b/c has no "databases" output; is it a servicedb platform stack, and has it been deployed?`);
        expect(connectionProblem("a/b/c", "orders", { orders: { host: "h" } })).toBe(`servicedb: stack a/b/c's database for "orders" lacks port, database, username, password, url; redeploy the platform stack with a current servicedb`);
        expect(connectionProblem("a/b/c", "orders", DATABASES)).toBeUndefined();
    });
});
