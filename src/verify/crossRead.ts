/**
 * `no-cross-read`: no table of another service on the same server is readable by this service's
 * role, it is no member of another service's role (both read by each owner's session), and the
 * maintenance database it may reach by default has no dblink/postgres_fdw into other databases.
 * The maintenance database is inspected once per server, by the first service that can connect.
 */
import { withConnection } from "../connect";
import { ConnectionBudget, connectionKeys } from "./budget";
import { configOf, serverOf } from "./connections";
import { ServiceUnderTest } from "./outputs";
import { CheckResult, result } from "./results";
import { SessionFacts } from "./session";

/** Server → the dblink/postgres_fdw extensions in its maintenance database (undefined: not inspected). */
export type MaintenanceFindings = ReadonlyMap<string, readonly string[] | undefined>;

export async function inspectMaintenance(all: readonly ServiceUnderTest[], facts: readonly SessionFacts[], maintenanceDb: string, budget: ConnectionBudget): Promise<MaintenanceFindings> {
    const servers = [...new Set(all.map(serverOf))];
    const found = await Promise.all(servers.map(async (server) => {
        const candidates = all.filter((s, i) => serverOf(s) === server && facts[i].connect.get(maintenanceDb) === true);
        for (const s of candidates) {
            const ext = await budget.use(connectionKeys(server, s.username, maintenanceDb), () =>
                withConnection(configOf(s, { database: maintenanceDb }), (c) => c.query("SELECT extname FROM pg_extension WHERE extname IN ('dblink', 'postgres_fdw') ORDER BY 1")))
                .then((r) => r.rows.map((x) => x.extname as string), () => undefined);
            if (ext) return [server, ext] as const;
        }
        return [server, undefined] as const;
    }));
    return new Map(found);
}

export function judgeCrossRead(all: readonly ServiceUnderTest[], facts: readonly SessionFacts[], maintenance: MaintenanceFindings, maintenanceDb: string): CheckResult[] {
    return all.map((s, i) => {
        const found = all.flatMap((_, j) => (j === i ? [] : facts[j].exposures.get(s.service) ?? []));
        const unseen = all.filter((o, j) => j !== i && serverOf(o) === serverOf(s) && !facts[j].loggedIn).map((o) => o.database);
        let note = unseen.length ? `; not inspected (their owners could not log in): ${unseen.join(", ")}` : "";
        if (facts[i].connect.get(maintenanceDb) === true) {
            const ext = maintenance.get(serverOf(s));
            for (const e of ext ?? []) found.push(`can connect to maintenance database ${maintenanceDb}, where ${e} can reach other databases`);
            note += `; can connect to maintenance database ${maintenanceDb} (PUBLIC default)`;
            if (ext && !ext.length) note += ", which holds no way into other databases (no dblink/postgres_fdw)";
            if (!ext) note += ", which no service could open to inspect";
        }
        return found.length ? result(s.service, "no-cross-read", "fail", found.join("; "))
            : result(s.service, "no-cross-read", "pass", `cannot read any other service's table${note}`);
    });
}
