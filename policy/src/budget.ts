/**
 * The connection budget of each server: the connection limits of the login roles reached through
 * its providers, plus the reserved connections, fit within max_connections (a login that switches
 * to another login role at login, `assumeRole`, counts with that role). The server's numbers
 * come from policy config (the program cannot tell them): `servers["host:port"]` with
 * maxConnections and reservedConnections, else the defaults. The reserve covers admins,
 * monitoring and the providers themselves: the providers' own maxConnections must fit in it.
 * ServiceCores (`servicedb:core: single`) count their `connectionLimit` once per service, and
 * their provider process its `parallelism` connections per server.
 */
import { stackPolicy } from "./define";
import { Finding, StackResource, TYPES, shortType } from "./resources";
import { coresByServer, providersByServer, serverKey } from "./providers";
import { bool, num, str, Unknown, UNKNOWN } from "./values";

/** What the terraform postgresql provider opens when maxConnections is unset. */
export const PROVIDER_DEFAULT_MAX_CONNECTIONS = 20;

export interface ServerBudget {
    readonly maxConnections: number;
    readonly reservedConnections: number;
}

export interface BudgetConfig {
    /** "host:port" → the server's max_connections and the connections kept for admins, monitoring and providers. */
    readonly servers?: Readonly<Record<string, ServerBudget>>;
    /** For servers not listed. Defaults to 100, PostgreSQL's own default max_connections. */
    readonly defaultMaxConnections?: number;
    /** For servers not listed. Defaults to 10. */
    readonly defaultReservedConnections?: number;
}

/** The budget config gives for a server, keys spelled as serverKey spells them. */
export function budgetFor(server: string, config: BudgetConfig): ServerBudget {
    for (const [key, budget] of Object.entries(config.servers ?? {})) {
        const colon = key.lastIndexOf(":");
        const normal = colon > 0 ? serverKey({ host: key.slice(0, colon), port: key.slice(colon + 1) }) : serverKey({ host: key });
        if (normal === server) return budget;
    }
    return { maxConnections: config.defaultMaxConnections ?? 100, reservedConnections: config.defaultReservedConnections ?? 10 };
}

/** The largest number, or UNKNOWN when any is not known yet. */
function maxOf(values: readonly (number | Unknown)[]): number | Unknown {
    if (values.includes(UNKNOWN)) return UNKNOWN;
    return Math.max(...values.map((v) => (typeof v === "number" ? v : 0)));
}

export function budgetFindings(resources: readonly StackResource[], config: BudgetConfig = {}): Finding[] {
    const out: Finding[] = [];
    const providerGroups = providersByServer(resources);
    const coreGroups = coresByServer(resources);
    for (const server of new Set([...providerGroups.keys(), ...coreGroups.keys()])) {
        const providers = providerGroups.get(server) ?? [];
        const cores = coreGroups.get(server) ?? [];
        const { maxConnections, reservedConnections } = budgetFor(server, config);
        const first = providers[0] ?? cores[0];
        const where = `server ${server} (${shortType(first.type)} "${first.name}")`;
        const urn = first.urn;
        const urns = new Set(providers.map((p) => p.urn));
        const logins = resources.filter((r) => r.type === TYPES.role && r.provider && urns.has(r.provider.urn) && bool(r.props, "login") === true);
        // A second login that becomes another login role at login (servicedb's rotation pair:
        // `assumeRole`) shares that role's budget: the service database's limit caps both.
        const loginNames = new Set(logins.map((r) => str(r.props, "name")));
        const roles = logins.filter((r) => { const to = str(r.props, "assumeRole"); return !(typeof to === "string" && loginNames.has(to)); });
        // A ServiceCore's two logins and its database share one connectionLimit: counted once.
        const limits = [...roles.map((r) => ({ r, name: str(r.props, "name") })), ...cores.map((r) => ({ r, name: str(r.props, "role") }))]
            .map(({ r, name }) => ({ role: typeof name === "string" ? name : r.name, limit: num(r.props, "connectionLimit") }));
        const unlimited = limits.filter((l) => l.limit === undefined || (typeof l.limit === "number" && l.limit < 0));
        if (unlimited.length > 0) {
            out.push({ urn, message: `${where}: login role ${unlimited.map((l) => `"${l.role}"`).join(", ")} has no connection limit, so the services' connections are unbounded — set connectionLimit on every login role.` });
            continue;
        }
        const counted = limits.flatMap((l) => (typeof l.limit === "number" ? [{ role: l.role, limit: l.limit }] : []));
        const used = counted.reduce((sum, l) => sum + l.limit, 0);
        const providerConns: (number | Unknown)[] = providers.map((p): number | Unknown => num(p.props, "maxConnections") ?? PROVIDER_DEFAULT_MAX_CONNECTIONS);
        // The ServiceCores of a deployment share one provider process and one semaphore per server.
        if (cores.length > 0) providerConns.push(maxOf(cores.map((c): number | Unknown => num(c.props, "parallelism") ?? 1)));
        if (!providerConns.includes(UNKNOWN)) {
            const total = providerConns.reduce<number>((s, n) => s + (n === UNKNOWN ? 0 : n), 0);
            if (total > reservedConnections) {
                out.push({ urn, message: `${where}: the provider opens up to ${total} connections but reservedConnections is ${reservedConnections} — the reserve covers the provider, admins and monitoring; `
                    + `lower the provider's maxConnections or raise reservedConnections in this policy's config (servers["${server}"]).` });
            }
        }
        if (used + reservedConnections > maxConnections) {
            const terms = counted.map((l) => `"${l.role}" ${l.limit}`).join(" + ");
            out.push({ urn, message: `${where}: the login roles' connection limits (${terms} = ${used}) plus ${reservedConnections} reserved come to ${used + reservedConnections}, over max_connections ${maxConnections} — `
                + `lower connectionLimit, or raise the server's max_connections and this policy's servers["${server}"].maxConnections.` });
        }
    }
    return out;
}

export const connectionBudget = stackPolicy<BudgetConfig>({
    name: "postgresql-connection-budget",
    description: "Per server, the login roles' connection limits plus the reserved connections (which must hold the providers' own) fit max_connections.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            servers: {
                type: "object",
                description: "\"host:port\" → { maxConnections, reservedConnections } of that server.",
                additionalProperties: {
                    type: "object",
                    properties: { maxConnections: { type: "integer", minimum: 1 }, reservedConnections: { type: "integer", minimum: 0 } },
                    required: ["maxConnections", "reservedConnections"],
                },
            },
            defaultMaxConnections: { type: "integer", minimum: 1, default: 100 },
            defaultReservedConnections: { type: "integer", minimum: 0, default: 10 },
        },
    },
    findings: budgetFindings,
});
