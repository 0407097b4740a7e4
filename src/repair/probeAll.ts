/**
 * Looks up every pending create of an exported state on its server: PostgreSQL objects through the
 * admin login of their provider, Docker objects through the daemon, migration histories through
 * the service's own URL. One client per database, all closed at the end.
 */
import { Client } from "pg";
import { connectionProblem, withConnection } from "../connect";
import { historyTable } from "../migrations/history";
import { Probe } from "./decide";
import { probeDocker } from "./docker";
import { kindOf } from "./ids";
import { probeKubernetes } from "./kubernetes";
import { Connections, describe, probePostgres } from "./probes";
import { ServerTarget, serverTarget } from "./server";
import { ExportedState, PendingOperation, StateResource, providerOf, str } from "./state";

const POSTGRES = ["role", "database", "schema", "extension", "grant", "grantRole", "defaultPrivileges"];
const DOCKER = ["container", "volume", "network", "image"];

/** Lazily opened clients of one server, one per database. */
function connections(target: ServerTarget): Connections & { close(): Promise<void> } {
    const open = new Map<string, Promise<Client | undefined>>();
    const connect = (db: string) => {
        if (!open.has(db)) {
            open.set(db, (async () => {
                const c = new Client(target.config(db));
                c.on("error", () => undefined);
                try {
                    await c.connect();
                    return c;
                } catch (e) {
                    if ((e as { code?: string }).code === "3D000") return undefined; // no such database
                    throw e;
                }
            })());
        }
        return open.get(db) as Promise<Client | undefined>;
    };
    return {
        maintenanceDatabase: target.maintenanceDatabase,
        admin: async () => {
            const c = await connect(target.maintenanceDatabase);
            if (!c) throw new Error(`database "${target.maintenanceDatabase}" does not exist on ${target.label}`);
            return c;
        },
        database: connect,
        close: async () => { await Promise.all([...open.values()].map((p) => p.then((c) => c?.end()).catch(() => undefined))); },
    };
}

/** Applied migrations in the service's history, read with the service's own URL (0 when its database is gone). */
async function migrationsProbe(inputs: Record<string, unknown>): Promise<Probe> {
    const what = describe("migrations", inputs, "");
    const url = str(inputs, "url");
    let applied = "an unknown number of";
    if (url) {
        applied = await withConnection({ connectionString: url, connectionTimeoutMillis: 15_000 }, async (c) => {
            const table = historyTable(c, str(inputs, "schema") ?? "public");
            if (!(await c.query("SELECT to_regclass($1) AS t", [table])).rows[0].t) return "0";
            return String((await c.query(`SELECT count(*) AS n FROM ${table} WHERE success`)).rows[0].n);
        }).catch((e) => ((e as { code?: string }).code === "3D000" || (e as { code?: string }).code === "28000" ? "0" : `an unknown number of (${connectionProblem(e)})`));
    }
    return { state: "recreate", what, note: `the history holds ${applied} applied migration(s): pending create dropped, the next up re-runs the resource, which applies only the missing ones` };
}

const unknown = (what: string, reason: string, fix: string): Probe => ({ state: "unknown", what, reason, fix });

/** A probe per pending create (other operations need none), in the order of the state. */
export async function probeAll(state: ExportedState): Promise<Map<PendingOperation, Probe>> {
    const probes = new Map<PendingOperation, Probe>();
    const servers = new Map<string, ReturnType<typeof connections>>();
    try {
        for (const op of state.pending.filter((o) => o.type === "creating" || o.type === "importing")) {
            const r: StateResource = op.resource;
            const kind = kindOf(r.type);
            const inputs = r.inputs ?? {};
            const provider = providerOf(state, r.provider);
            if (kind === "password") probes.set(op, { state: "recreate", what: "generated password", note: "nothing on a server: pending create dropped, the next up generates it" });
            else if (kind === "provider") probes.set(op, { state: "recreate", what: "provider", note: "nothing on a server: pending create dropped, the next up configures it" });
            else if (kind === "migrations") probes.set(op, await migrationsProbe(inputs));
            // A ServiceCore's create takes over the objects an interrupted create of this stack
            // left (they carry the stack's mark, src/core/provider.ts): running it again is safe.
            else if (kind === "core") probes.set(op, { state: "recreate", what: describe(kind, inputs, ""), note: "pending create dropped: the next up runs it again and takes over what it had made (objects marked as this stack's)" });
            // Guardrails (LoginSettings) and reads (ServiceReads) only set what they declare: running them again is safe.
            else if (kind === "access") probes.set(op, { state: "recreate", what: r.type.split(":").pop() ?? r.type, note: "pending create dropped: the next up runs it again (it only sets what it declares)" });
            else if (kind === "kubernetes") probes.set(op, await probeKubernetes(r.type, inputs, provider?.inputs));
            else if (DOCKER.includes(kind)) probes.set(op, await probeDocker(kind, inputs, str(provider?.inputs, "host")));
            else if (POSTGRES.includes(kind) && provider) {
                const target = serverTarget(provider);
                if (!servers.has(target.label)) servers.set(target.label, connections(target));
                const cx = servers.get(target.label) as ReturnType<typeof connections>;
                probes.set(op, await probePostgres(cx, kind, inputs).catch((e) => unknown(describe(kind, inputs, cx.maintenanceDatabase),
                    `cannot look it up on ${target.label}: ${connectionProblem(e)}`, `make ${target.label} reachable for the admin login, then npm run repair again`)));
            } else {
                probes.set(op, unknown(r.type, POSTGRES.includes(kind) ? "its provider is not in the state" : "a resource type repair does not know",
                    "resolve it with an interactive pulumi refresh (import it with its ID, or clear it)"));
            }
        }
    } finally {
        await Promise.all([...servers.values()].map((s) => s.close()));
    }
    return probes;
}
