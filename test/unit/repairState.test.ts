/** The pending-operation reader on exported state documents (`pulumi stack export`). */
import { leftAfterRefresh } from "../../src/repair/apply";
import { plan } from "../../src/repair/decide";
import { plain, providerOf, readExport, resourceName, str } from "../../src/repair/state";
import { settlePendingCreates } from "../../src/repair/stateEdit";

const STACK = "urn:pulumi:local::servicedb";
const PROVIDER_URN = `${STACK}::pulumi:providers:postgresql::local-provider`;
const PROVIDER = `${PROVIDER_URN}::4b6f6c63-0a1e-4b8e-9f4f-1d2c3e4f5a6b`;
const SECRET = "4dabf18193072939515e22adb298388d";

/** A state as `pulumi stack export --show-secrets` writes it after a killed `up`. */
function exported(pending: unknown[], extra: unknown[] = []): string {
    return JSON.stringify({
        version: 3,
        deployment: {
            manifest: { time: "2025-01-01T00:00:00Z", magic: "x", version: "v3.248.0" },
            secrets_providers: { type: "passphrase", state: { salt: "v1:abc" } },
            resources: [
                { urn: `${STACK}::pulumi:pulumi:Stack::servicedb-local`, custom: false, type: "pulumi:pulumi:Stack" },
                {
                    urn: PROVIDER_URN, custom: true, id: "4b6f6c63-0a1e-4b8e-9f4f-1d2c3e4f5a6b", type: "pulumi:providers:postgresql",
                    inputs: { host: "127.0.0.1", port: "5432", username: "postgres", sslmode: "disable", password: { [SECRET]: "1b47061264138c4ac30d75fd1eb44270", plaintext: "\"s3cret\"" } },
                },
                ...extra,
            ],
            pending_operations: pending,
        },
    });
}

const pendingCreate = (type: string, name: string, inputs: Record<string, unknown>) => ({
    resource: { urn: `${STACK}::servicedb:platform:Platform$servicedb:postgres:ServiceDatabase$${type}::${name}`, custom: true, type, inputs, provider: PROVIDER },
    type: "creating",
});

test("reads pending creates, updates and deletes with their resource", () => {
    const s = readExport(exported([
        pendingCreate("postgresql:index/database:Database", "orders-db", { name: "orders", owner: "orders" }),
        { ...pendingCreate("postgresql:index/role:Role", "orders-role", { name: "orders" }), type: "updating" },
        { ...pendingCreate("postgresql:index/grant:Grant", "orders-revoke-public-db", {}), type: "deleting" },
    ]), "state.json");
    expect(s.pending.map((o) => [o.type, resourceName(o.resource.urn)])).toEqual([
        ["creating", "orders-db"], ["updating", "orders-role"], ["deleting", "orders-revoke-public-db"],
    ]);
    expect(s.resources).toHaveLength(2);
    expect(str(s.pending[0].resource.inputs, "owner")).toBe("orders");
});

test("a state without pending operations (or without resources at all) reads as empty lists", () => {
    expect(readExport(exported([]), "s").pending).toEqual([]);
    expect(readExport(JSON.stringify({ version: 3, deployment: { manifest: {} } }), "s")).toEqual({ resources: [], pending: [] });
});

test("the provider reference `<urn>::<id>` leads to the provider and its inputs, secrets unwrapped", () => {
    const s = readExport(exported([pendingCreate("postgresql:index/role:Role", "a-role", { name: "a" })]), "s");
    const p = providerOf(s, s.pending[0].resource.provider);
    expect(p?.type).toBe("pulumi:providers:postgresql");
    expect(str(p?.inputs, "password")).toBe("s3cret");
    expect(providerOf(s, `${PROVIDER_URN}::another-id`)).toBeUndefined();
});

test("an encrypted secret (an export without --show-secrets) reads as unknown, never as its ciphertext", () => {
    expect(plain({ [SECRET]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:AAAA" })).toBeUndefined();
    expect(plain({ [SECRET]: "1b47061264138c4ac30d75fd1eb44270", plaintext: "5432" })).toBe(5432);
});

test.each([
    ["not json", "{", /state.json is not JSON .*pulumi stack export --stack <stack> --file state.json/],
    ["no deployment", JSON.stringify({ version: 3 }), /has no "deployment" object/],
    ["an old version", JSON.stringify({ version: 1, deployment: {} }), /version 1 is not a deployment this tool reads/],
    ["an unknown operation", exported([{ ...pendingCreate("t:x:Y", "n", {}), type: "exploding" }]), /pending_operations\[0\]\.type is "exploding"; expected one of creating, updating/],
    ["a resource without urn", exported([{ resource: { type: "t" }, type: "creating" }]), /pending_operations\[0\]\.resource\.urn is missing/],
    ["pending operations that are not a list", JSON.stringify({ version: 3, deployment: { pending_operations: {} } }), /deployment\.pending_operations is not a list/],
])("refuses %s, naming the field", (_what, text, message) => {
    expect(() => readExport(text, "state.json")).toThrow(message);
});

test("after the refresh: a pending create left, or an import that did not land, is reported", () => {
    const db = pendingCreate("postgresql:index/database:Database", "orders-db", { name: "orders" });
    const p = plan([{ urn: db.resource.urn, name: "orders-db", kind: "database", operation: "creating", action: "import", id: "orders", line: "" }]);
    expect(leftAfterRefresh(exported([]), p)).toEqual([`${db.resource.urn} was not imported`]);
    expect(leftAfterRefresh(exported([], [{ ...db.resource, id: "orders" }]), p)).toEqual([]);
    expect(leftAfterRefresh(exported([db], [{ ...db.resource, id: "orders" }]), p)).toEqual([`${db.resource.urn} is still pending (creating)`]);
});

describe("the state edit that settles pending creates", () => {
    const db = pendingCreate("postgresql:index/database:Database", "orders-db", { name: "orders", owner: "orders", __defaults: ["template"] });
    const pw = pendingCreate("random:index/randomPassword:RandomPassword", "orders-password", { length: 40 });
    const upd = { ...pendingCreate("postgresql:index/role:Role", "orders-role", { name: "orders" }), type: "updating" };
    const doc = JSON.parse(exported([db, pw, upd]));
    const p = plan([
        { urn: db.resource.urn, name: "orders-db", kind: "database", operation: "creating", action: "import", id: "orders", line: "" },
        { urn: pw.resource.urn, name: "orders-password", kind: "password", operation: "creating", action: "clear", line: "" },
        { urn: upd.resource.urn, name: "orders-role", kind: "role", operation: "updating", action: "refresh", line: "" },
    ]);
    const edited = settlePendingCreates(doc, p) as { deployment: { resources: Record<string, unknown>[]; pending_operations: unknown[] } };

    test("an import joins the resources, last, with its ID and its inputs as outputs (without __defaults)", () => {
        const last = edited.deployment.resources[edited.deployment.resources.length - 1];
        expect(last).toMatchObject({ urn: db.resource.urn, id: "orders", provider: db.resource.provider, inputs: db.resource.inputs, outputs: { name: "orders", owner: "orders" } });
        expect(edited.deployment.resources).toHaveLength(3);
    });
    test("a dropped create is gone; a pending update stays for the refresh; the input document is untouched", () => {
        expect(edited.deployment.pending_operations).toEqual([upd]);
        expect(doc.deployment.pending_operations).toHaveLength(3);
        expect(doc.deployment.resources).toHaveLength(2);
    });
    test("the edited document reads back as a state without pending creates", () => {
        const s = readExport(JSON.stringify(edited), "edited");
        expect(s.pending.map((o) => o.type)).toEqual(["updating"]);
        expect(leftAfterRefresh(JSON.stringify({ ...edited, deployment: { ...edited.deployment, pending_operations: [] } }), p)).toEqual([]);
    });
});
