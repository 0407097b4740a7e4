/**
 * servicedb's own provider (src/plugin/): type tokens from URNs, secrets on its wire, the dispatch
 * by resource type, and the plugin executable as the engine starts it.
 */
import * as path from "path";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { servicedbProvider } from "../../src/plugin/provider";
import { openSecrets } from "../../src/plugin/secrets";
import { RESOURCE_TYPES, typeOfUrn } from "../../src/plugin/types";
import { ROOT, firstLine } from "./servicedbProcess";

const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
const urn = (type: string, name: string) => `urn:pulumi:dev::servicedb::servicedb:platform:Platform$servicedb:postgres:ServiceDatabase$${type}::${name}`;

test("the type token of a URN, under parents", () => {
    expect(typeOfUrn(urn(RESOURCE_TYPES.core, "orders-core"))).toBe("servicedb:core:ServiceCore");
    expect(typeOfUrn("urn:pulumi:dev::p::servicedb:migrations:ServiceMigrations::orders-migrations")).toBe(RESOURCE_TYPES.migrations);
});

test("secrets: unwrapped for the implementation, sealed again under the keys that came in secret", () => {
    const s = openSecrets<{ adminPassword: string; host: string }>({ adminPassword: secret("pw"), host: "db" });
    expect(s.values).toEqual({ adminPassword: "pw", host: "db" });
    const out = s.seal({ adminPassword: "pw", host: "db", passwordA: "generated" });
    expect(out).toEqual({ adminPassword: secret("pw"), host: "db", passwordA: "generated" });
    // Already sealed, or absent: left as it is.
    expect(s.seal({ adminPassword: secret("pw") })).toEqual({ adminPassword: secret("pw") });
    expect(s.seal({ host: "db" })).toEqual({ host: "db" });
});

const CORE = {
    host: "127.0.0.1", port: 5432, adminUser: "postgres", adminPassword: secret("admin-pw"), sslmode: "disable", maintenanceDatabase: "postgres",
    superuser: true, parallelism: 4, reservedConnections: 10, owner: "servicedb/dev", role: "orders", database: "orders", connectionLimit: 20,
    schemas: ["public"], extensions: [], readers: false, parameters: {}, rotationA: "0", rotationB: "0", passwordLength: 40,
};

test("check goes to the ServiceCore's handler: the declared facts added, the admin password still secret", async () => {
    const p = servicedbProvider("0.1.0");
    const checked = await p.check?.(urn(RESOURCE_TYPES.core, "orders-core"), {}, CORE);
    expect(checked?.inputs.adminPassword).toEqual(secret("admin-pw"));
    expect(checked?.inputs.databaseState).toBe("owner orders, CONNECTION LIMIT 20, marked, PUBLIC: none");
    expect(Object.keys(checked?.inputs.logins as object)).toEqual(["orders", "orders_b"]);
});

test("a diff compares plain values: the same admin password, secret or not, is no change", async () => {
    const p = servicedbProvider("0.1.0");
    const checked = await p.check?.(urn(RESOURCE_TYPES.core, "orders-core"), {}, CORE);
    const olds = { ...checked?.inputs, adminPassword: "admin-pw", passwordA: "a", passwordB: "b" };
    expect(await p.diff?.("id", urn(RESOURCE_TYPES.core, "orders-core"), olds, checked?.inputs)).toMatchObject({ changes: false });
    expect(await p.diff?.("id", urn(RESOURCE_TYPES.core, "orders-core"), olds, { ...checked?.inputs, connectionLimit: 21 })).toMatchObject({ changes: true });
});

test("a type it does not serve is refused by name", async () => {
    await expect(servicedbProvider("0.1.0").check?.(urn("servicedb:core:Nope", "x"), {}, {})).rejects.toThrow("unknown resource type servicedb:core:Nope");
});

test("the plugin executable starts and prints its port, as the engine expects of a plugin", async () => {
    expect(Number(await firstLine(path.join(ROOT, "plugin", "pulumi-resource-servicedb"), ROOT))).toBeGreaterThan(0);
}, 90_000);
