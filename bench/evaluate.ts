/**
 * One measured evaluation, in its own process: `evaluate.ts <components|floor> <services>`.
 * Prints one JSON line: { variant, services, resources, ms, maxRssMb }.
 *  - components: the real Platform → PostgresServer → ServiceDatabase tree.
 *  - floor: the same provider and resources (same inputs and dependsOn) registered in a bare
 *    loop, no component resources: what the program could cost at the least.
 */
import * as pulumi from "@pulumi/pulumi";
import * as postgresql from "@pulumi/postgresql";
import * as random from "@pulumi/random";
import { Platform } from "../components/platform";
import { ClusterSpec, ServiceSpec } from "../src/spec";
import { clusterSpecOf, serviceSpecOf } from "../src/parse";

let registered = 0;
const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => {
        registered++;
        const state = args.type === "random:index/randomPassword:RandomPassword" ? { ...args.inputs, result: "x".repeat(40) } : args.inputs;
        return { id: `${args.name}-id`, state };
    },
    call: (args) => args.inputs,
};

const cluster: ClusterSpec = clusterSpecOf("main", { host: "127.0.0.1", maxConnections: 100000 });

function services(n: number): ServiceSpec[] {
    return Array.from({ length: n }, (_, i) => serviceSpecOf(`svc-${i}`, { cluster: "main", connectionLimit: 5 }));
}

function floor(specs: readonly ServiceSpec[]): void {
    const provider = new postgresql.Provider("main-provider", { host: cluster.host, port: cluster.port, username: cluster.adminUser, database: "postgres", sslmode: "disable", superuser: true, connectTimeout: 30, maxConnections: 4 });
    for (const s of specs) {
        const o = { provider };
        const pw = new random.RandomPassword(`${s.name}-password`, { length: 40, special: false, minLower: 2, minUpper: 2, minNumeric: 2 });
        const password = pulumi.secret(pw.result);
        const role = new postgresql.Role(`${s.name}-role`, { name: s.role, login: true, password, superuser: false, createDatabase: false, createRole: false, replication: false, bypassRowLevelSecurity: false, inherit: true, connectionLimit: s.connectionLimit }, o);
        const db = new postgresql.Database(`${s.name}-db`, { name: s.database, owner: role.name, encoding: "UTF8", template: "template0", connectionLimit: s.connectionLimit, allowConnections: true }, { ...o, dependsOn: [role] });
        const g = new postgresql.Grant(`${s.name}-revoke-public-db`, { database: db.name, role: "public", objectType: "database", privileges: [] }, { ...o, dependsOn: [db] });
        const schema = new postgresql.Schema(`${s.name}-schema-public`, { name: "public", database: db.name, owner: role.name, ifNotExists: true, dropCascade: false }, { ...o, dependsOn: [g], retainOnDelete: true });
        new postgresql.Grant(`${s.name}-revoke-public-schema-public`, { database: db.name, schema: "public", role: "public", objectType: "schema", privileges: [] }, { ...o, dependsOn: [schema] });
        pulumi.secret(pulumi.all([db.name, role.name, password]).apply(([d, u, p]) => `postgresql://${u}:${p}@127.0.0.1:5432/${d}?sslmode=disable`));
    }
}

async function main(): Promise<void> {
    const [variant, count] = [process.argv[2], Number(process.argv[3])];
    await pulumi.runtime.setMocks(mocks, "servicedb", "bench", false);
    const specs = services(count);
    const start = process.hrtime.bigint();
    if (variant === "components") new Platform("servicedb", { stack: "bench", clusters: [cluster], services: specs });
    else floor(specs);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify({ variant, services: count, resources: registered, ms: Math.round(ms), maxRssMb: Math.round(maxRssMb) }) + "\n");
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
