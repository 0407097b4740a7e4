/**
 * End to end on a real Kubernetes API server (docs/kubernetes.md, "The Kubernetes test tier"):
 * the engine deploys a CloudNativePG platform and a shared cluster's Secrets. Every object must be
 * accepted by the API server's validation (CloudNativePG's CRDs included), land in its namespace
 * with its keys; a no-change preview is clean; a rotation updates the Secrets; a bad spec is
 * refused at preview with the server's message; destroy removes what servicedb made and nothing
 * else. No kubelet runs: the operator and the Jobs' pods are not (see the docs for what that leaves).
 */
import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import { Client } from "pg";
import { engineMissing, projectCopy, skipSuite, Workspace } from "./engine";

const KUBECONFIG = process.env.SERVICEDB_KUBECONFIG ?? "/opt/k8s-local/kubeconfig";
const KUBECTL = process.env.SERVICEDB_KUBECTL ?? (fs.existsSync("/opt/k8s-local/bin/kubectl") ? "/opt/k8s-local/bin/kubectl" : "kubectl");
const tag = randomBytes(3).toString("hex");

function kubectl(args: readonly string[]): string {
    return execFileSync(KUBECTL, ["--kubeconfig", KUBECONFIG, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
}

/** Why the API server tier cannot run here, or undefined. */
function apiServerMissing(): string | undefined {
    if (!fs.existsSync(KUBECONFIG)) return `no kubeconfig at ${KUBECONFIG} (SERVICEDB_KUBECONFIG)`;
    try {
        kubectl(["get", "--raw", "/readyz"]);
        kubectl(["get", "crd", "clusters.postgresql.cnpg.io"]);
        return undefined;
    } catch (e) {
        return `the API server or CloudNativePG's CRDs do not answer through ${KUBECTL} (${String((e as Error).message).split("\n")[0]})`;
    }
}

const json = (args: readonly string[]) => JSON.parse(kubectl([...args, "-o", "json"])) as Record<string, unknown>;
const secretOf = (ns: string, name: string): Record<string, string> => {
    const data = (json(["-n", ns, "get", "secret", name]).data ?? {}) as Record<string, string>;
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
};
const exists = (args: readonly string[]) => { try { kubectl(["get", ...args]); return true; } catch { return false; } };
const names = (ns: string, kind: string) => ((json(["-n", ns, "get", kind]).items ?? []) as { metadata: { name: string } }[]).map((i) => i.metadata.name).sort();

const missing = engineMissing(["kubernetes", "random", "postgresql"]) ?? apiServerMissing();

const db = `databases-${tag}`;
const ns = (svc: string) => `${svc}-${tag}`;
const cnpgYaml = (o: { rotation?: number; cpu?: string } = {}) => `config:
  servicedb:kubernetes: { kubeconfig: ${KUBECONFIG}, context: servicedb-local, namespaces: own }
  servicedb:clusters:
    chat:
      cnpg:
        namespace: ${db}
        instances: 3
        storage: 1Gi
        postgresVersion: 17
        resources: { requests: { cpu: "${o.cpu ?? "250m"}", memory: 512Mi } }
      maxConnections: 100
      pooler: { mode: transaction, maxClientConnections: 500 }
  servicedb:services:
    chat: { cluster: chat, connectionLimit: 20, poolSize: 15, schemas: [public, messages], rotation: ${o.rotation ?? 0}, kubernetes: { namespace: ${ns("chat")} } }
    ai: { cluster: chat, connectionLimit: 10, reads: [chat.messages], kubernetes: { namespace: ${ns("ai")} } }
    notifications: { cluster: chat, connectionLimit: 5, extensions: [pgcrypto], kubernetes: { namespace: ${ns("notifications")}, secretName: notifications-db } }
`;

if (missing) {
    skipSuite("end-to-end (Kubernetes API server)", missing);
} else {
    describe("a CloudNativePG platform on a real API server", () => {
        let ws: Workspace;
        beforeAll(async () => {
            ws = await projectCopy("e2ek8s", cnpgYaml());
            await ws.up();
        }, 900_000);
        afterAll(async () => {
            try { await ws?.destroy(); } finally { ws?.cleanup(); }
        }, 900_000);

        test("the Cluster, its Pooler, a Database, role Secrets and an access Job per service land in the cluster's namespace", () => {
            const cluster = json(["-n", db, "get", "clusters.postgresql.cnpg.io", "chat"]) as { spec: { instances: number; managed: { roles: { name: string }[] } } };
            expect(cluster.spec.instances).toBe(3);
            expect(cluster.spec.managed.roles.map((r) => r.name)).toEqual(["ai", "ai_b", "chat", "chat_b", "chat_reader", "notifications", "notifications_b"]);
            expect(names(db, "databases.postgresql.cnpg.io")).toEqual(["chat-ai", "chat-chat", "chat-notifications"]);
            expect(names(db, "poolers.postgresql.cnpg.io")).toEqual(["chat-pooler-rw"]);
            expect(names(db, "jobs")).toHaveLength(3);
            expect(secretOf(db, "chat-role-chat-b")).toEqual({ username: "chat_b", password: expect.stringMatching(/^[A-Za-z0-9]{40}$/) });
        });

        test("each service's Secret is in its own namespace with the keys services read", () => {
            const ai = secretOf(ns("ai"), "ai-postgres");
            expect(Object.keys(ai).sort()).toEqual(["DATABASE_POOLED_URL", "DATABASE_POOLED_URL_CHAT", "DATABASE_URL", "DATABASE_URL_CHAT", "PGDATABASE", "PGHOST", "PGPASSWORD", "PGPORT", "PGSSLMODE", "PGUSER"]);
            expect(ai).toMatchObject({ PGHOST: `chat-rw.${db}.svc`, PGUSER: "ai", PGDATABASE: "ai", PGSSLMODE: "require" });
            expect(ai.DATABASE_URL_CHAT).toBe(`postgresql://ai:${ai.PGPASSWORD}@chat-rw.${db}.svc:5432/chat?sslmode=require`);
            expect(secretOf(db, "chat-role-ai").password).toBe(ai.PGPASSWORD);
            expect(Object.keys(secretOf(ns("notifications"), "notifications-db"))).toContain("DATABASE_URL");
        });

        test("no password is in clear in the state or the outputs", () => {
            const passwords = ["chat-role-chat", "chat-role-chat-b", "chat-role-ai"].map((n) => secretOf(db, n).password);
            const state = ws.cli(["stack", "export"]);
            const outputs = ws.cli(["stack", "output", "--json"]);
            for (const p of passwords) {
                expect(state.includes(p)).toBe(false);
                expect(outputs.includes(p)).toBe(false);
            }
            expect(state).toContain("chat-role-chat-b"); // the export is the stack's, with its Secrets in it
        });

        test("a preview without changes is clean", async () => {
            const preview = await ws.preview({ expectNoChanges: true });
            expect(Object.keys(preview.changeSummary).filter((k) => k !== "same")).toEqual([]);
        }, 600_000);

        test("a rotation updates the service's Secret to the second login, whose password Secret is regenerated", async () => {
            const before = secretOf(db, "chat-role-chat-b").password;
            fs.writeFileSync(`${ws.dir}/Pulumi.e2ek8s.yaml`, cnpgYaml({ rotation: 1 }));
            await ws.up();
            const chat = secretOf(ns("chat"), "chat-postgres");
            expect(chat.PGUSER).toBe("chat_b");
            const b = secretOf(db, "chat-role-chat-b").password;
            expect(b).not.toBe(before);
            expect(chat.PGPASSWORD).toBe(b);
            expect((json(["-n", ns("chat"), "get", "secret", "chat-postgres"]).metadata as { annotations: Record<string, string> }).annotations["servicedb.io/rotation"]).toBe("1");
        }, 900_000);

        test("a spec the API server refuses fails the preview with its message, and changes nothing", async () => {
            fs.writeFileSync(`${ws.dir}/Pulumi.e2ek8s.yaml`, cnpgYaml({ rotation: 1, cpu: "lots" }));
            const failed = await ws.preview().then(() => "", (e: Error) => e.message);
            expect(failed).toMatch(/quantities must match the regular expression|Invalid value: "lots"/);
            fs.writeFileSync(`${ws.dir}/Pulumi.e2ek8s.yaml`, cnpgYaml({ rotation: 1 }));
            expect((json(["-n", db, "get", "clusters.postgresql.cnpg.io", "chat"]) as { spec: { resources: { requests: { cpu: string } } } }).spec.resources.requests.cpu).toBe("250m");
        }, 600_000);

        test("destroy removes the namespaces servicedb declared, with what it put there", async () => {
            await ws.destroy();
            for (const n of [db, ns("chat"), ns("ai"), ns("notifications")]) {
                const phase = exists(["namespace", n]) ? (json(["get", "namespace", n]).status as { phase: string }).phase : "gone";
                expect([n, phase]).toEqual([n, "gone"]);
            }
        }, 900_000);
    });

    describe("Secrets of a shared cluster: a namespace that exists with others' objects, one that does not (namespaces: ensure)", () => {
        const shop = `shop-${tag}`;
        const pay = `pay-${tag}`;
        const role = `sdb_k8s_${tag}`;
        let ws: Workspace;
        const yaml = (extra = "") => `config:
  servicedb:kubernetes: { kubeconfig: ${KUBECONFIG}, context: servicedb-local }
  servicedb:clusters:
    local: { host: 127.0.0.1, port: 5432, sslmode: disable }
  servicedb:services:
    orders: { cluster: local, role: ${role}, database: ${role}, connectionLimit: 5, kubernetes: { namespace: ${shop} } }
    payments: { cluster: local, role: ${role}_p, database: ${role}_p, connectionLimit: 5, kubernetes: { namespace: ${pay} } }
${extra}`;
        beforeAll(async () => {
            kubectl(["create", "namespace", shop]);
            kubectl(["-n", shop, "create", "configmap", "bystander", "--from-literal=keep=me"]);
            kubectl(["-n", shop, "create", "secret", "generic", "orders-other", "--from-literal=keep=me"]);
            ws = await projectCopy("e2ek8sshared", yaml());
        }, 300_000);
        afterAll(async () => {
            try { await ws?.destroy(); } finally {
                ws?.cleanup();
                for (const n of [shop, pay]) try { kubectl(["delete", "namespace", n, "--wait=true"]); } catch { /* already gone */ }
            }
        }, 600_000);

        test("two services writing one Secret are refused at preview, before anything is declared", async () => {
            fs.writeFileSync(`${ws.dir}/Pulumi.e2ek8sshared.yaml`, yaml(`    refunds: { cluster: local, role: ${role}_r, database: ${role}_r, kubernetes: { namespace: ${shop}, secretName: orders-postgres } }\n`));
            const failed = await ws.preview().then(() => "", (e: Error) => e.message);
            expect(failed).toContain(`service "refunds", field "kubernetes.secretName": is Secret "${shop}/orders-postgres", which service "orders" already writes`);
            fs.writeFileSync(`${ws.dir}/Pulumi.e2ek8sshared.yaml`, yaml());
        }, 300_000);

        test("up writes the Secrets (the missing namespace made), and a DATABASE_URL logs in to the service's database", async () => {
            await ws.up();
            expect(Object.keys(secretOf(pay, "payments-postgres"))).toContain("DATABASE_URL");
            const s = secretOf(shop, "orders-postgres");
            expect(s).toMatchObject({ PGHOST: "127.0.0.1", PGPORT: "5432", PGUSER: role, PGDATABASE: role, PGSSLMODE: "disable" });
            const c = new Client({ connectionString: s.DATABASE_URL });
            await c.connect();
            try {
                expect((await c.query<{ u: string; d: string }>("SELECT current_user AS u, current_database() AS d")).rows[0]).toEqual({ u: role, d: role });
            } finally { await c.end(); }
        }, 900_000);

        test("destroy removes the Secrets and leaves the namespaces and what others put there", async () => {
            await ws.destroy();
            expect(exists(["-n", shop, "secret", "orders-postgres"])).toBe(false);
            expect(exists(["-n", pay, "secret", "payments-postgres"])).toBe(false);
            expect(exists(["namespace", pay])).toBe(true);
            expect(exists(["namespace", shop])).toBe(true);
            expect(exists(["-n", shop, "configmap", "bystander"])).toBe(true);
            expect(secretOf(shop, "orders-other")).toEqual({ keep: "me" });
        }, 900_000);
    });
}
