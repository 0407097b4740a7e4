/**
 * Kubernetes under mocks: the k8s stack (a CloudNativePG cluster, its Pooler, a Secret per
 * service) and a shared cluster with Secrets, plus the checks that refuse bad input before
 * anything is declared. What the API server says about these objects is the e2e tier's
 * (test/e2e/kubernetes.e2e.test.ts).
 */
import { loadStackConfig } from "../../src/stackFile";
import { findProblems } from "../../src/plan";
import { rawPlatformConfig } from "../../src/parse";
import { formatProblem } from "../../src/problems";
import { envSuffix, secretData } from "../../src/kubernetes/secret";
import { kubectlResource, kubernetesProbe } from "../../src/repair/kubernetes";
import { kindOf } from "../../src/repair/ids";
import { accessJobName } from "../../src/kubernetes/names";
import { ProgramRun, Registration, runProgram } from "./harness";
import { LOCAL_CLUSTER } from "./fixtures";

const K = {
    secret: "kubernetes:core/v1:Secret",
    namespace: "kubernetes:core/v1:Namespace",
    namespacePatch: "kubernetes:core/v1:NamespacePatch",
    cluster: "kubernetes:postgresql.cnpg.io/v1:Cluster",
    database: "kubernetes:postgresql.cnpg.io/v1:Database",
    pooler: "kubernetes:postgresql.cnpg.io/v1:Pooler",
    job: "kubernetes:batch/v1:Job",
    configMap: "kubernetes:core/v1:ConfigMap",
    provider: "pulumi:providers:kubernetes",
};

type Obj = Record<string, unknown>;
const meta = (r: Registration) => r.inputs.metadata as { name: string; namespace: string; annotations?: Obj };
const spec = (r: Registration) => r.inputs.spec as Obj;

describe("the k8s stack: five services on a CloudNativePG cluster", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        const { config, secretKeys } = loadStackConfig("k8s");
        run = await runProgram(config, secretKeys);
    });

    test("one explicit kubernetes provider with the stack's context; no postgresql or docker provider", () => {
        const providers = run.resources.filter((r) => r.type.startsWith("pulumi:providers:"));
        expect(providers.map((p) => p.type)).toEqual([K.provider]);
        expect(providers[0].inputs).toMatchObject({ context: "servicedb-local" });
        const providerUrn = providers[0].urn;
        for (const r of run.resources.filter((x) => x.type.startsWith("kubernetes:"))) expect(r.provider.startsWith(`${providerUrn}::`)).toBe(true);
    });

    test("the Cluster: instances, image, storage, resources, max_connections from the budget, no superuser access", () => {
        const [cluster] = run.ofType(K.cluster);
        expect(meta(cluster)).toMatchObject({ name: "chat", namespace: "databases" });
        expect(spec(cluster)).toMatchObject({
            instances: 3, imageName: "ghcr.io/cloudnative-pg/postgresql:17", storage: { size: "20Gi" },
            resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } },
            postgresql: { parameters: { max_connections: "100" } }, enableSuperuserAccess: false,
        });
    });

    test("managed roles: both logins per service with their limit and nothing elevated, passwords from Secrets", () => {
        const roles = ((spec(run.ofType(K.cluster)[0]).managed as Obj).roles as Obj[]);
        expect(roles.map((r) => r.name)).toEqual(["ai", "ai_b", "chat", "chat_b", "chat_reader", "notifications", "notifications_b", "search", "search_b", "users", "users_b", "users_reader"]);
        for (const r of roles) expect(r).toMatchObject({ superuser: false, createdb: false, createrole: false, replication: false, bypassrls: false, ensure: "present" });
        expect(roles.find((r) => r.name === "chat_b")).toMatchObject({ login: true, inRoles: ["chat"], connectionLimit: 25, passwordSecret: { name: "chat-role-chat-b" } });
        expect(roles.find((r) => r.name === "chat_reader")).toMatchObject({ login: false });
        const secrets = run.ofType(K.secret).filter((s) => meta(s).namespace === "databases");
        expect(secrets.map((s) => meta(s).name).sort()).toEqual(roles.filter((r) => r.passwordSecret).map((r) => (r.passwordSecret as Obj).name).sort());
        for (const s of secrets) {
            expect(s.inputs.type).toBe("kubernetes.io/basic-auth");
            expect(s.secretInputs).toContain("stringData");
            expect(Object.keys(s.inputs.stringData as Obj).sort()).toEqual(["password", "username"]);
        }
    });

    test("a Database per service: owner, schemas, extensions, the service's connection limit", () => {
        const dbs = run.ofType(K.database);
        expect(dbs.map((d) => meta(d).name).sort()).toEqual(["chat-ai", "chat-chat", "chat-notifications", "chat-search", "chat-users"]);
        expect(spec(dbs.find((d) => meta(d).name === "chat-chat") as Registration)).toMatchObject({
            cluster: { name: "chat" }, name: "chat", owner: "chat", ensure: "present", connectionLimit: 25, encoding: "UTF8",
            schemas: [{ name: "public", owner: "chat", ensure: "present" }, { name: "messages", owner: "chat", ensure: "present" }],
        });
        expect(spec(dbs.find((d) => meta(d).name === "chat-notifications") as Registration)).toMatchObject({ extensions: [{ name: "pgcrypto", ensure: "present" }] });
    });

    test("the Pooler is sized from the budget", () => {
        const [pooler] = run.ofType(K.pooler);
        expect(meta(pooler)).toMatchObject({ name: "chat-pooler-rw", namespace: "databases" });
        expect(spec(pooler)).toMatchObject({ cluster: { name: "chat" }, type: "rw", pgbouncer: { poolMode: "transaction", parameters: { max_client_conn: "1000", default_pool_size: "20", max_db_connections: "20" } } });
        expect((run.exports.poolers as Record<string, unknown>).chat).toEqual({
            host: "chat-pooler-rw.databases.svc", port: 5432, mode: "transaction", external: false, maxClientConnections: 1000,
            pools: { chat: 20, ai: 15, users: 15, search: 10, notifications: 10 },
        });
    });

    test("an access Job per service runs the cluster's image with passwords from the role Secrets, never in its files", () => {
        const jobs = run.ofType(K.job);
        expect(jobs).toHaveLength(5);
        const chat = jobs.find((j) => meta(j).name.startsWith("chat-chat-access-")) as Registration;
        expect(meta(chat).annotations).toMatchObject({ "pulumi.com/skipAwait": "true" });
        const container = ((((spec(chat).template as Obj).spec as Obj).containers as Obj[])[0]);
        expect(container.image).toBe("ghcr.io/cloudnative-pg/postgresql:17");
        expect(container.env).toEqual([
            { name: "OWNER_PASSWORD", valueFrom: { secretKeyRef: { name: "chat-role-chat", key: "password" } } },
            { name: "SECOND_PASSWORD", valueFrom: { secretKeyRef: { name: "chat-role-chat-b", key: "password" } } },
        ]);
        const files = run.ofType(K.configMap).find((c) => meta(c).name === "chat-chat-access") as Registration;
        const text = Object.values(files.inputs.data as Obj).join("\n");
        expect(text).toContain('GRANT SELECT ON ALL TABLES IN SCHEMA "messages" TO "ai"');
        expect(text).not.toContain("Pw0rd");
        // notifications' migrations travel with its Job.
        const n = run.ofType(K.configMap).find((c) => meta(c).name === "chat-notifications-access") as Registration;
        expect(Object.keys(n.inputs.data as Obj)).toEqual(expect.arrayContaining(["history.sql", "m0001.sql", "m0001.psql"]));
    });

    test("a Secret per service in its namespace with the keys services read, all secret", () => {
        const secrets = run.ofType(K.secret).filter((s) => meta(s).namespace !== "databases");
        expect(secrets.map((s) => `${meta(s).namespace}/${meta(s).name}`).sort()).toEqual(["ai/ai-postgres", "chat/chat-postgres", "notifications/notifications-db", "search/search-postgres", "users/users-postgres"]);
        const search = secrets.find((s) => meta(s).name === "search-postgres") as Registration;
        expect(search.secretInputs).toContain("stringData");
        expect(search.additionalSecretOutputs).toEqual(expect.arrayContaining(["data", "stringData"]));
        const data = search.inputs.stringData as Record<string, string>;
        expect(Object.keys(data).sort()).toEqual(["DATABASE_POOLED_URL", "DATABASE_POOLED_URL_CHAT", "DATABASE_POOLED_URL_USERS", "DATABASE_URL", "DATABASE_URL_CHAT", "DATABASE_URL_USERS",
            "PGDATABASE", "PGHOST", "PGPASSWORD", "PGPORT", "PGSSLMODE", "PGUSER"]);
        expect(data).toMatchObject({ PGHOST: "chat-rw.databases.svc", PGPORT: "5432", PGDATABASE: "search", PGUSER: "search", PGSSLMODE: "require" });
        expect(data.DATABASE_URL_CHAT).toMatch(/^postgresql:\/\/search:[^@]+@chat-rw\.databases\.svc:5432\/chat\?sslmode=require$/);
        expect(data.DATABASE_POOLED_URL).toMatch(/@chat-pooler-rw\.databases\.svc:5432\/search\?sslmode=require$/);
        expect(meta(search).annotations).toMatchObject({ "servicedb.io/rotation": "0" });
    });

    test("servicedb declares the namespaces it writes to as its own (namespaces: own) and each object waits for its own", () => {
        expect(run.ofType(K.namespace).map((n) => meta(n).name).sort()).toEqual(["ai", "chat", "databases", "notifications", "search", "users"]);
        const chatSecret = run.ofType(K.secret).find((s) => meta(s).name === "chat-postgres") as Registration;
        expect(run.dependencyNames(chatSecret)).toContain("namespace-chat");
        expect(run.ofType(K.namespacePatch)).toHaveLength(0);
    });

    test("the summary names each Secret and holds no password", () => {
        const summary = JSON.stringify(run.exports.summary);
        expect(summary).toContain('"secret":"search/search-postgres"');
        expect(summary).not.toContain("Pw0rd");
    });
});

describe("a shared cluster with Secrets, after a rotation", () => {
    test("the Secret holds the active login (the second one after one rotation); its namespace is ensured by default", async () => {
        const run = await runProgram({
            "servicedb:kubernetes": { kubeconfig: "/tmp/kubeconfig" },
            "servicedb:clusters": { main: { ...LOCAL_CLUSTER } },
            "servicedb:services": { orders: { cluster: "main", rotation: 1, kubernetes: { namespace: "shop" } } },
        });
        const [secret] = run.ofType(K.secret);
        // namespaces: ensure (the default): a patch that creates it if missing and leaves it on destroy.
        expect(run.ofType(K.namespace)).toHaveLength(0);
        expect(run.ofType(K.namespacePatch).map((n) => meta(n).name)).toEqual(["shop"]);
        const data = secret.inputs.stringData as Record<string, string>;
        expect(data.PGUSER).toBe("orders_b");
        expect(data.DATABASE_URL).toMatch(/^postgresql:\/\/orders_b:/);
        expect(meta(secret).annotations).toMatchObject({ "servicedb.io/rotation": "1" });
    });
});

describe("names", () => {
    test("an access Job's name is at most 63 characters and always ends with the hash of its files", () => {
        const long = accessJobName("a".repeat(50), "b".repeat(40), "x");
        expect(long.length).toBeLessThanOrEqual(63);
        expect(long).toMatch(/-[0-9a-f]{8}$/);
        expect(accessJobName("a".repeat(50), "b".repeat(40), "y")).not.toBe(long);
    });
});

describe("secretData", () => {
    test("names the CA where the Secret is mounted and adds a URL per read", () => {
        const d = secretData({ host: "db", port: 5432, database: "ai", username: "ai", password: "p/w", sslmode: "verify-full", ca: "PEM", reads: [{ service: "chat-v2", database: "chat_v2" }] });
        expect(d["ca.crt"]).toBe("PEM");
        expect(d.PGSSLROOTCERT).toBe("/var/run/secrets/servicedb/ca.crt");
        expect(d.DATABASE_URL).toBe("postgresql://ai:p%2Fw@db:5432/ai?sslmode=verify-full&sslrootcert=%2Fvar%2Frun%2Fsecrets%2Fservicedb%2Fca.crt");
        expect(d.DATABASE_URL_CHAT_V2).toContain("/chat_v2?");
        expect(envSuffix("chat-v2")).toBe("CHAT_V2");
    });
});

describe("bad input is refused before anything is declared", () => {
    const problems = (config: Record<string, unknown>) => findProblems(rawPlatformConfig((k) => config[k], true, "k8s")).problems.map(formatProblem);

    test("a namespace Kubernetes would refuse, and two services writing one Secret", () => {
        const out = problems({
            clusters: { main: { host: "db" } },
            services: {
                a: { cluster: "main", kubernetes: { namespace: "Chat_NS" } },
                b: { cluster: "main", kubernetes: { namespace: "shop", secretName: "db" } },
                c: { cluster: "main", kubernetes: { namespace: "shop", secretName: "db" } },
                d: { cluster: "main", kubernetes: { secretName: "d" } },
            },
        });
        expect(out).toEqual(expect.arrayContaining([
            expect.stringMatching(/^service "a", field "kubernetes.namespace": "Chat_NS" is not a DNS-1123 label/),
            expect.stringMatching(/^service "c", field "kubernetes.secretName": is Secret "shop\/db", which service "b" already writes/),
            expect.stringMatching(/^service "d", field "kubernetes.namespace": is required/),
        ]));
    });

    test("a cnpg cluster: host and postgresVersion+image refused, storage checked, backups before migrating refused", () => {
        const out = problems({
            clusters: { pg: { host: "x", cnpg: { namespace: "db", storage: "lots", postgresVersion: 16, image: "x/pg:16", instances: 0 } } },
            services: { a: { cluster: "pg", backupBeforeMigrate: true, settings: { tempFileLimit: "1GB" } } },
        });
        expect(out).toEqual(expect.arrayContaining([
            expect.stringMatching(/^cluster "pg", field "host": is set together with cnpg/),
            expect.stringMatching(/^cluster "pg", field "cnpg.storage": "lots" is not a Kubernetes quantity/),
            expect.stringMatching(/^cluster "pg", field "cnpg.image": is set together with postgresVersion/),
            expect.stringMatching(/^cluster "pg", field "cnpg.instances": must be a whole number from 1 to 10/),
            expect.stringMatching(/^service "a", field "backupBeforeMigrate": is set, but cluster "pg" is a CloudNativePG cluster/),
            expect.stringMatching(/^service "a", field "settings.tempFileLimit"/),
        ]));
    });

    test("two read services whose Secret keys would be one", () => {
        const out = problems({ clusters: { main: { host: "db" } }, services: { "chat-v2": { cluster: "main" }, chat_v2: { cluster: "main", database: "c2", role: "c2" }, ai: { cluster: "main", reads: ["chat-v2", "chat_v2"], kubernetes: { namespace: "ai" } } } });
        expect(out).toEqual(expect.arrayContaining([expect.stringMatching(/^service "ai", field "reads": reads "chat-v2" and "chat_v2", whose Secret keys are both DATABASE_URL_CHAT_V2/)]));
    });

    test("an unknown field of cnpg or kubernetes gets a suggestion", () => {
        const out = problems({ clusters: { pg: { cnpg: { namespace: "db", instance: 2 } } }, services: { a: { cluster: "pg", kubernetes: { namespace: "a", secret: "x" } } } });
        expect(out).toEqual(expect.arrayContaining([
            expect.stringMatching(/field "cnpg.instance": is not a known field. Fix: rename it to "instances"/),
            expect.stringMatching(/field "kubernetes.secret": is not a known field/),
        ]));
    });
});

describe("repair: a pending create of a Kubernetes object", () => {
    test("is looked up as kind.version.group and imported as <namespace>/<name>, or dropped when the server has none", () => {
        expect(kubectlResource("kubernetes:postgresql.cnpg.io/v1:Cluster")).toBe("Cluster.v1.postgresql.cnpg.io");
        expect(kubectlResource("kubernetes:core/v1:Secret")).toBe("Secret.v1.");
        expect(kubectlResource("kubernetes:batch/v1:Job")).toBe("Job.v1.batch");
        expect(kindOf("kubernetes:core/v1:Namespace")).toBe("kubernetes");
        expect(kubernetesProbe("Secret \"shop/orders-postgres\"", "shop/orders-postgres", { code: 0, stdout: "secret/orders-postgres\n", stderr: "" }))
            .toEqual({ state: "present", what: "Secret \"shop/orders-postgres\"", id: "shop/orders-postgres" });
        expect(kubernetesProbe("x", "shop/x", { code: 1, stdout: "", stderr: "Error from server (NotFound): secrets \"x\" not found" })).toEqual({ state: "absent", what: "x" });
        expect(kubernetesProbe("x", "shop/x", { code: 1, stdout: "", stderr: "Unable to connect to the server: dial tcp 127.0.0.1:6443: connect: connection refused" }))
            .toMatchObject({ state: "unknown", reason: expect.stringContaining("connection refused") });
    });
});
