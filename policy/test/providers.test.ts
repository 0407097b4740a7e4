import { noDefaultProviders, oneProviderPerServer, providerTls, serverKey, serviceCoreTls, tlsProblems } from "../src/providers";
import { TYPES } from "../src/resources";
import { isLoopback } from "../src/values";
import { Fake, pgProvider, runResource, runStack, UNKNOWN_STRING } from "./fakes";

const remote = (props: Record<string, unknown>) => pgProvider("shared-provider", { host: "db.example.com", ...props });

describe("postgresql-provider-tls", () => {
    test("loopback hosts and unix sockets may go without TLS; verify-full and verify-ca pass anywhere", async () => {
        for (const host of ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2", "/var/run/postgresql"]) {
            expect(await runResource(providerTls, pgProvider("p", { host, sslmode: "disable" }))).toEqual([]);
        }
        expect(await runResource(providerTls, remote({ sslmode: "verify-full" }))).toEqual([]);
        expect(await runResource(providerTls, remote({ sslmode: "verify-ca" }))).toEqual([]);
    });

    test.each(["disable", "require", "prefer", undefined])("sslmode %s towards a remote host is reported with the fix", async (sslmode) => {
        expect(await runResource(providerTls, remote({ sslmode }))).toEqual([
            `postgresql.Provider "shared-provider": sslmode is ${sslmode === undefined ? "unset" : `"${sslmode}"`} for host "db.example.com" — traffic to a remote server must be encrypted and the server verified; `
            + "set sslmode: \"verify-full\" (or \"verify-ca\") and sslrootcert to the server's CA bundle, or list the host in this policy's allowedHosts.",
        ]);
    });

    test("allowedHosts in policy config exempt a host; an unknown host is not judged", async () => {
        expect(await runResource(providerTls, remote({ sslmode: "disable" }), { allowedHosts: ["db.example.com"] })).toEqual([]);
        expect(tlsProblems({ host: "10.1.2.3", sslmode: "disable" }, { allowedHosts: ["db.example.com"] })).toHaveLength(1);
        expect(await runResource(providerTls, remote({ host: UNKNOWN_STRING, sslmode: "disable" }))).toEqual([]);
    });

    test("isLoopback: 127.0.0.0/8, ::1, localhost, sockets; not 10.x or names", () => {
        expect(["127.255.0.1", "LOCALHOST", "/tmp"].every(isLoopback)).toBe(true);
        expect(["10.0.0.1", "128.0.0.1", "localhost.example.com", "0.0.0.0", "::"].some(isLoopback)).toBe(false);
    });
});

describe("no-default-providers", () => {
    const role = (provider: Fake): Fake => ({ type: TYPES.role, name: "orders-role", provider, props: { name: "orders" } });

    test("a resource on the engine's default provider is reported; explicit providers pass", async () => {
        expect(await runResource(noDefaultProviders, role(pgProvider("default_3_18_1")))).toEqual([
            "postgresql.Role \"orders-role\": uses the default postgresql provider, built from the environment of whoever runs pulumi — pass provider: explicitly and list postgresql under pulumi:disable-default-providers in Pulumi.yaml.",
        ]);
        expect(await runResource(noDefaultProviders, role(pgProvider("main-provider")))).toEqual([]);
        expect(await runResource(noDefaultProviders, role(pgProvider("defaults-for-orders")))).toEqual([]);
    });

    test("docker resources too; other packages are not this pack's business", async () => {
        const docker: Fake = { type: TYPES.dockerProvider, name: "default", props: {} };
        expect(await runResource(noDefaultProviders, { type: TYPES.container, name: "db", provider: docker, props: {} })).toEqual([expect.stringContaining("uses the default docker provider")]);
        expect(await runResource(noDefaultProviders, { type: "random:index/randomPassword:RandomPassword", name: "pw", provider: { ...docker, type: "pulumi:providers:random" }, props: {} })).toEqual([]);
    });
});

describe("postgresql-one-provider-per-server", () => {
    test("two providers reaching one server are reported; localhost and 127.0.0.1 are one server", async () => {
        const found = await runStack(oneProviderPerServer, [pgProvider("a", { host: "localhost" }), pgProvider("b"), pgProvider("c", { port: "5433" })]);
        expect(found).toEqual([
            "b: postgresql.Provider \"b\": reaches 127.0.0.1:5432 like postgresql.Provider \"a\" — each provider opens a connection pool of its own; declare one provider per server and pass it to every resource on that server.",
        ]);
    });

    test("serverKey reads the JSON-encoded port and defaults like the provider", () => {
        expect(serverKey({ host: "DB.example.com", port: "6432" })).toBe("db.example.com:6432");
        expect(serverKey({})).toBe("127.0.0.1:5432");
    });
});

describe("servicedb-core-tls", () => {
    const core = (props: Record<string, unknown>): Fake => ({ type: TYPES.serviceCore, name: "orders-core", props: { role: "orders", ...props } });

    test("a ServiceCore towards a remote host needs a verifying sslmode; loopback may go without", async () => {
        expect(await runResource(serviceCoreTls, core({ host: "127.0.0.1", sslmode: "disable" }))).toEqual([]);
        expect(await runResource(serviceCoreTls, core({ host: "db.example.com", sslmode: "verify-full" }))).toEqual([]);
        expect(await runResource(serviceCoreTls, core({ host: "db.example.com", sslmode: "require" }))).toEqual([
            expect.stringMatching(/^servicedb\.ServiceCore "orders-core": sslmode is "require" for host "db\.example\.com" — /),
        ]);
    });
});
